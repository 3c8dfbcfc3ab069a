/**
 * The first journey: open the app, load an example project, train, watch the loss fall and the
 * epoch counter rise, pause, and see it stay paused.
 */
import { expect, test } from '@playwright/test';

const url = () => process.env.NNSTUDIO_URL!;

async function number(locator: import('@playwright/test').Locator): Promise<number> {
  return Number((await locator.textContent())!.replace('−', '-'));
}

test('load an example, train it, see it learn, pause it', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));

  await page.goto(url());
  await expect(page.getByRole('button', { name: /Spiral classifier/ })).toBeVisible();
  await page.getByTestId('example-select').selectOption('spiral');
  await expect(page.getByTestId('compile-status')).toHaveText('✓ compiles — 2 → 16 → 16 → 1, 337 parameters');
  await expect(page.getByTestId('epoch')).toHaveText('0');
  await expect(page).toHaveTitle('Spiral — NN Studio');

  // Enough epochs that the run cannot end on its own during the journey.
  await page.getByRole('textbox', { name: 'Max epochs' }).fill('100000');
  await page.keyboard.press('Enter');
  await expect(page).toHaveTitle('Spiral • — NN Studio'); // an edit: unsaved

  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveText('running');
  await expect.poll(() => number(page.getByTestId('epoch'))).toBeGreaterThanOrEqual(3);
  const early = await number(page.getByTestId('loss'));
  const earlyEpoch = await number(page.getByTestId('epoch'));
  await expect.poll(() => number(page.getByTestId('epoch'))).toBeGreaterThanOrEqual(earlyEpoch + 40);
  await expect.poll(() => number(page.getByTestId('loss'))).toBeLessThan(early);

  // The curves draw the history as it arrives; the decision regions show the plane.
  await expect(page.getByTestId('decision-regions')).toBeVisible();
  await expect(page.getByTestId('curves').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('curves')).toContainText('validation loss');

  await page.getByTestId('train-button').click(); // pause
  await expect(page.getByTestId('training-state')).toHaveText('paused');
  await expect(page.getByTestId('train-button')).toHaveText('▶ Resume');
  const pausedAt = await page.getByTestId('epoch').textContent();
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('epoch')).toHaveText(pausedAt!);
  await expect(page.getByTestId('training-state')).toHaveText('paused');

  // A hyperparameter changed while paused applies from the next step: the run goes on.
  await page.getByRole('textbox', { name: 'Learning rate' }).fill('0.01');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('training-state')).toHaveText('paused');
  await page.getByTestId('train-button').click(); // resume
  await expect.poll(() => number(page.getByTestId('epoch'))).toBeGreaterThan(Number(pausedAt));
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveText('paused');

  await page.waitForTimeout(300); // the decision regions redraw at most every 100 ms
  await page.screenshot({ path: testInfo.outputPath('training-paused.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('the app refuses to work without the launch token', async ({ page }) => {
  const withoutToken = url().replace(/\?token=.*/, '');
  await page.goto(withoutToken);
  await expect(page.getByRole('alert')).toContainText(/Cannot reach NN Studio’s host|connection to NN Studio’s host closed/);
});

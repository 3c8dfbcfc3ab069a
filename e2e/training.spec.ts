/**
 * The first journey: open the app, load an example project, train, watch the loss fall and the
 * epoch counter rise, pause, and see it stay paused.
 */
import { appUrl, edition, expect, test } from './fixtures';
import { findExample, projectData } from '../engine/src/index';

const url = () => appUrl();

async function number(locator: import('@playwright/test').Locator): Promise<number> {
  return Number((await locator.textContent())!.replace(/−/g, '-'));
}

async function percent(locator: import('@playwright/test').Locator): Promise<number> {
  return Number.parseFloat((await locator.textContent()) ?? '') || 0;
}

/** Samples trained on so far, from the toolbar's epoch and "sample i/n" readouts. */
async function samplesSeen(page: import('@playwright/test').Page): Promise<number> {
  const epoch = await number(page.getByTestId('epoch'));
  const [into, size] = ((await page.getByTestId('epoch-progress').textContent()) ?? '0/0').split('/').map(Number);
  return epoch * size + into;
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
  // The spiral standardises its inputs: the panel shows the statistics fitted on the training split.
  const fitted = projectData(findExample('spiral')!.create()).normalisation;
  for (const f of fitted.features) {
    expect(Number(await page.getByTestId(`shift-${f.name}`).getAttribute('data-value'))).toBe(f.shift);
    expect(Number(await page.getByTestId(`scale-${f.name}`).getAttribute('data-value'))).toBe(f.scale);
  }

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

  // The evaluation panel follows the weights: accuracy on the training split passes 90%.
  await expect.poll(() => percent(page.getByTestId('accuracy-train')), { timeout: 60_000 }).toBeGreaterThan(90);
  await expect(page.getByTestId('confusion')).toContainText('true ↓ predicted →');
  // Inside each unit, its output over the input plane.
  await expect(page.getByTestId('unit-map-h1').locator('canvas')).toHaveCount(4);
  await expect(page.getByTestId('unit-map-y').locator('canvas')).toHaveCount(1);

  await page.getByTestId('train-button').click(); // pause
  await expect(page.getByTestId('training-state')).toHaveText('paused');
  await expect(page.getByTestId('train-button')).toHaveText('Resume');
  const pausedAt = await page.getByTestId('epoch').textContent();
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('epoch')).toHaveText(pausedAt!);
  await expect(page.getByTestId('training-state')).toHaveText('paused');

  // A hyperparameter changed while paused applies from the next step: the run goes on.
  await page.getByRole('textbox', { name: 'Learning rate' }).fill('0.01');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('training-state')).toHaveText('paused');
  // One batch (F10): the counter moves by exactly the batch size of 10.
  const before = await samplesSeen(page);
  await page.keyboard.press('F10');
  await expect.poll(() => samplesSeen(page)).toBe(before + 10);
  await expect(page.getByTestId('training-state')).toHaveText('paused');

  // At 2 steps a second, every step is visible: the run moves a batch at a time, far less than an epoch.
  await page.getByTestId('speed').selectOption('2');
  const slowFrom = await samplesSeen(page);
  await page.getByTestId('train-button').click(); // resume, slowly
  await expect.poll(() => samplesSeen(page)).toBeGreaterThanOrEqual(slowFrom + 20);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveText('paused');
  const slowMoved = (await samplesSeen(page)) - slowFrom;
  expect(slowMoved % 10).toBe(0);
  expect(slowMoved).toBeLessThan(280); // one epoch of the spiral's 280 training samples

  await page.getByTestId('speed').selectOption('full');
  await page.getByTestId('train-button').click(); // resume
  await expect.poll(() => number(page.getByTestId('epoch'))).toBeGreaterThan(Number(pausedAt) + 2);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveText('paused');

  await page.waitForTimeout(300); // the decision regions redraw at most every 100 ms
  await page.screenshot({ path: testInfo.outputPath('training-paused.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('a run says what it computes in, and a precision chosen while it runs takes effect at once', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url());
  await page.getByTestId('example-select').selectOption('digits');
  await expect(page.getByTestId('compile-status')).toContainText('2410 parameters');
  // No run yet: nothing says how one computes.
  await expect(page.getByTestId('run-computing')).toHaveCount(0);
  const precision = page.getByLabel('Precision');
  await precision.selectOption('fast');
  // Slowly, so that the run is still going when the precision changes.
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('train-button').click();
  const computing = page.getByTestId('run-computing');
  await expect(computing).toHaveText(/^This run: float32, (one thread|products on \d+ threads)$/);
  await expect(page.getByTestId('training-state')).toHaveText('running');

  // Exact precision mid-run: the worker binds the samples in float64 again and trains on.
  await precision.focus();
  await precision.selectOption('exact');
  await expect(computing).toHaveText(/^This run: float64, /);
  const from = await samplesSeen(page);
  await expect.poll(() => samplesSeen(page)).toBeGreaterThan(from);
  await precision.selectOption('auto'); // the digits network is lecture-sized: float64
  await expect(computing).toHaveText(/^This run: float64, /);
  await precision.selectOption('fast');
  await expect(computing).toHaveText(/^This run: float32, /);
  const again = await samplesSeen(page);
  await expect.poll(() => samplesSeen(page)).toBeGreaterThan(again);
  await expect(page.getByTestId('training-state')).toHaveText('running');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveText('paused');
  // Held still, the line keeps saying how the run trained.
  await expect(computing).toHaveText(/^This run: float32, /);
  expect(errors).toEqual([]);
});

test('the app refuses to work without the launch token', async ({ page }) => {
  test.skip(edition() === 'web', 'the web edition has no host to hold a token: nothing leaves the page');
  const withoutToken = url().replace(/\?token=.*/, '');
  await page.goto(withoutToken);
  await expect(page.getByRole('alert')).toContainText(/Cannot reach NN Studio’s host|connection to NN Studio’s host closed/);
});

/**
 * The coach: a student draws a single perceptron on the empty canvas's XOR, trains it with the
 * perceptron rule and reads that the data is not linearly separable; loads the lecture's 2-2-1
 * XOR network, trains it and hears nothing wrong; then sets η = 1000, which saturates the
 * sigmoid units, and reads that. Screenshots of the coach at 1280×800 and 1920×1080.
 */
import { appUrl, expect, test, type Page } from './fixtures';
import { dropFromPalette, wire } from './gestures';

async function trainToStop(page: Page): Promise<void> {
  await page.getByTestId('train-button').click();
  await expect(page.locator('.status')).toContainText('training: stopped', { timeout: 60_000 });
}

async function shoot(page: Page, name: string, outputPath: (name: string) => string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width, height });
    await page.getByTestId('coach').scrollIntoViewIfNeeded();
    await page.screenshot({ path: outputPath(`${name}-${width}x${height}.png`) });
  }
}

test('the coach explains a perceptron on XOR and saturation at η = 1000, and is quiet on a healthy run', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('__blank');
  await expect(page.getByTestId('data-panel')).toContainText('4 samples; features x1, x2; targets y.');

  // 1. One step perceptron on the XOR truth table, trained with the perceptron rule.
  await dropFromPalette(page, 'Input', 120, 90);
  await dropFromPalette(page, 'Input', 120, 210);
  await dropFromPalette(page, 'Perceptron (step)', 400, 150);
  await wire(page, 'x1', 'p1');
  await wire(page, 'x2', 'p1');
  await page.getByTestId('unit-p1').click();
  await page.getByTestId('palette-Output').click();
  await page.getByLabel('Algorithm').selectOption('perceptron');
  await expect(page.getByTestId('compile-status')).toContainText('compiles — 2 → 1, 3 parameters');
  await expect(page.getByTestId('coach-notSeparable')).toHaveCount(0);
  await trainToStop(page);
  await expect(page.locator('.message')).toContainText('linearly separable');
  const separable = page.getByTestId('coach-notSeparable');
  await expect(separable).toContainText('The data is not linearly separable');
  await expect(separable).toContainText('perceptron convergence theorem');
  await expect(separable.getByRole('listitem').first()).toContainText('Add a hidden layer');
  await expect(page.getByTestId('coach')).toHaveAttribute('role', 'status');
  await shoot(page, '1-not-separable', (n) => testInfo.outputPath(n));
  await page.setViewportSize({ width: 1280, height: 800 });

  // 2. The lecture's 2-2-1 sigmoid network learns XOR: the coach has nothing to say.
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await page.getByTestId('prompt-discard').click();
  await expect(page.getByTestId('coach-notSeparable')).toHaveCount(0); // another document: cleared
  await trainToStop(page);
  await expect(page.getByTestId('coach-none')).toBeVisible();
  await expect(page.getByTestId('coach')).toHaveAttribute('data-diagnoses', '0');
  await expect(page.locator('[data-testid="coach"] article')).toHaveCount(0);

  // 3. η = 1000 from fresh weights: the hidden sigmoid units saturate.
  await page.getByTestId('learning-rate').fill('1000');
  await page.getByTestId('learning-rate').press('Enter');
  await expect(page.getByTestId('coach-none')).toHaveCount(0); // an edit clears the coach
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await trainToStop(page);
  const saturated = page.getByTestId('coach').locator('[data-testid="coach-saturation"], [data-testid="coach-divergence"]');
  await expect(saturated).toHaveCount(1);
  await expect(page.getByTestId('coach-saturation')).toContainText("φ'(s) ≈ 0");
  await expect(page.getByTestId('coach-saturation')).toContainText('Lower the learning rate η (now 1000)');
  await shoot(page, '2-saturation', (n) => testInfo.outputPath(n));

  // Training again clears it while the run is under way.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('coach-saturation')).toHaveCount(0);
  expect(errors).toEqual([]);
});

/**
 * A setting's explanation shows its formula typeset (KaTeX, in the lecture's notation), on hover
 * and on keyboard focus, and follows the optimiser chosen.
 */
import { expect, test } from './fixtures';

test('the hyperparameters explain themselves with typeset formulas, on hover and on focus', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(process.env.NNSTUDIO_URL!);
  await page.getByTestId('example-select').selectOption('iris');
  const rate = page.getByTestId('hint-Learning rate η');
  await expect(rate).toBeHidden();
  await page.getByTestId('learning-rate').hover();
  await expect(rate).toBeVisible();
  await expect(rate.locator('.katex')).toBeVisible();
  await expect(rate.locator('annotation')).toHaveText('\\Delta w = -\\eta\\, \\frac{\\partial J}{\\partial w}');
  await page.screenshot({ path: testInfo.outputPath('hint-learning-rate.png') });

  // From the keyboard: the optimiser's own rule, and it follows the choice.
  await page.getByLabel('Optimiser').focus();
  const optimiser = page.getByTestId('hint-Optimiser');
  await expect(optimiser).toBeVisible();
  await expect(optimiser.locator('annotation')).toContainText('\\alpha');
  await page.getByLabel('Optimiser').selectOption('adam');
  await expect(optimiser.locator('annotation')).toContainText('\\hat m');
  await page.getByTestId('beta2').focus();
  await expect(page.getByTestId('hint-β₂ (square)').locator('annotation')).toHaveText('v \\leftarrow \\beta_2 v + (1 - \\beta_2)\\, g^2');
});

/**
 * A setting's explanation shows its formula typeset (KaTeX, in the lecture's notation), on hover
 * and on keyboard focus, and follows the optimiser chosen.
 */
import { appUrl, expect, test } from './fixtures';

test('the hyperparameters explain themselves with typeset formulas, on hover and on focus', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(appUrl());
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

test('the palette explains the unit under the pointer or focus, its activation typeset; the data panel its normalisation', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  const hint = page.getByTestId('palette-hint');
  await expect(hint).toHaveCount(0);
  await page.getByTestId('palette-Neuron (sigmoid)').hover();
  await expect(hint).toContainText('Neuron (sigmoid)');
  await expect(hint.locator('annotation')).toHaveText('\\varphi(s) = \\frac{1}{1 + e^{-s}}');
  await page.screenshot({ path: testInfo.outputPath('palette-hint.png') });
  // From the keyboard: the focused entry's explanation, and the button is described by it.
  await page.getByTestId('palette-Bias 1').focus();
  await expect(hint).toContainText('the constant 1');
  await expect(page.getByTestId('palette-Bias 1')).toHaveAccessibleDescription(/the constant 1/);
  await page.getByTestId('palette-Bias 1').blur();
  await page.mouse.move(640, 400);
  await expect(hint).toHaveCount(0);

  // The normalisation's formula over its fitted statistics, in the symbols of the method chosen.
  await page.getByTestId('example-select').selectOption('iris');
  await page.getByLabel('Normalisation').selectOption('standardise');
  await expect(page.getByTestId('normalisation-stats').locator('caption annotation')).toHaveText("x' = \\dfrac{x - \\mu}{\\sigma}");
});

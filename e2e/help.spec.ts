/**
 * Help › The Lecture's Notation: F1 (the menu item's command) and the toolbar's ? open the
 * notation, every symbol typeset; Escape and Close dismiss it, and while it is open the app's
 * shortcuts stay behind it.
 */
import { appUrl, expect, test } from './fixtures';

test('the notation opens from F1 and from the toolbar, and closes with Escape or Close', async ({ page }, testInfo) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await expect(page.getByTestId('canvas')).toBeVisible();

  await page.keyboard.press('F1');
  const notation = page.getByTestId('notation');
  await expect(notation).toBeVisible();
  await expect(notation).toContainText('δ_j = −∂J/∂s_j');
  await expect(notation).toContainText('Δw_ji = η·δ_j·x_ji');
  // Each symbol is typeset beside its plain spelling: the MathML keeps the TeX it came from.
  const tex = notation.locator('dt annotation');
  await expect(tex.filter({ hasText: /^\\delta_j = -\\frac\{\\partial J\}\{\\partial s_j\}$/ })).toHaveCount(1);
  await expect(tex.filter({ hasText: /^\\Delta w_\{ji\} = \\eta\\, \\delta_j x_\{ji\}$/ })).toHaveCount(1);
  await expect(notation.locator('dt .katex-error')).toHaveCount(0);
  expect(await notation.locator('dt').count()).toBe(await notation.locator('dt .katex').count());
  // A shortcut behind the dialog does nothing: F5 would start training.
  await page.keyboard.press('F5');
  await expect(page.getByTestId('training-state')).toHaveText('idle');
  await page.screenshot({ path: testInfo.outputPath('notation.png') });
  await page.keyboard.press('Escape');
  await expect(notation).toHaveCount(0);

  await page.getByTestId('notation-button').click();
  await expect(notation).toBeVisible();
  await notation.getByRole('button', { name: 'Close' }).click();
  await expect(notation).toHaveCount(0);
});

/**
 * Number fields show the value in force: a refused value (η = −1) goes back to it with the reason
 * beside the field, text that is not a number likewise, and an allowed but implausible value
 * (η = 1e9) is kept with a warning.
 */
import { expect, test } from './fixtures';

test('a refused learning rate is not left on screen, and an implausible one is marked', async ({ page }, testInfo) => {
  await page.goto(process.env.NNSTUDIO_URL!);
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  const rate = page.getByTestId('learning-rate');
  await expect(rate).toBeVisible();

  await rate.fill('1e9');
  await rate.press('Enter');
  await expect(rate).toHaveValue('1000000000');
  await expect(page.getByTestId('learning-rate-note')).toContainText('very large');
  await expect(rate).not.toHaveAttribute('aria-invalid', 'true');

  await rate.fill('-1');
  await rate.press('Enter');
  // The field shows what training will use, and says why −1 was not taken.
  await expect(rate).toHaveValue('1000000000');
  await expect(rate).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('learning-rate-note')).toContainText('must be a positive number, got -1. In force: 1000000000.');
  await page.screenshot({ path: testInfo.outputPath('refused-rate.png') });

  await rate.fill('abc');
  await rate.press('Enter');
  await expect(rate).toHaveValue('1000000000');
  await expect(page.getByTestId('learning-rate-note')).toContainText('“abc” is not a number');

  await rate.fill('0.25');
  await rate.press('Enter');
  await expect(rate).toHaveValue('0.25');
  await expect(page.getByTestId('learning-rate-note')).toHaveCount(0);
  // Undo goes back to the value in force before: 1e9.
  await page.keyboard.press('Control+z');
  await expect(rate).toHaveValue('1000000000');
});

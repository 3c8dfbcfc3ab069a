/**
 * Number fields show the value in force: a refused value (η = −1) goes back to it with the reason
 * beside the field, text that is not a number likewise, and an allowed but implausible value
 * (η = 1e9) is kept with a warning.
 */
import { appUrl, expect, test } from './fixtures';

test('a refused learning rate is not left on screen, and an implausible one is marked', async ({ page }, testInfo) => {
  await page.goto(appUrl());
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

test('the data panel’s number fields keep the value in force, say why a value was refused, and mark implausible ones', async ({
  page,
}, testInfo) => {
  await page.goto(appUrl());
  // Two Gaussian blobs of 200 samples, split 0.7 / 0.15 / 0.15.
  await page.getByTestId('example-select').selectOption('logistic-regression');
  const samples = page.getByTestId('data-size');
  await expect(samples).toHaveValue('200');

  await samples.fill('200000');
  await samples.press('Enter');
  await expect(samples).toHaveValue('200');
  await expect(samples).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('data-size-note')).toHaveText(
    'A generated dataset has a whole number of samples from 1 to 100,000, got 200000. In force: 200.',
  );
  // The reason is beside the field, not a passing toast, and the data did not change.
  await expect(page.getByTestId('refusal')).toHaveCount(0);
  await expect(page.getByTestId('data-panel')).toContainText('200 samples;');
  await page.screenshot({ path: testInfo.outputPath('refused-samples.png') });

  const noise = page.getByTestId('data-noise');
  await noise.fill('3');
  await noise.press('Enter');
  await expect(noise).toHaveValue('3');
  await expect(noise).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('data-noise-note')).toContainText('Noise 3 is larger than the pattern');

  const train = page.getByTestId('share-train');
  await train.fill('0.9');
  await train.press('Enter');
  await expect(train).toHaveValue('0.7');
  await expect(page.getByTestId('share-train-note')).toHaveText(
    'The training and validation shares add up to 1.05; together they can be at most 1. In force: 0.7.',
  );
  // More decimals than the test share used to be rounded to are taken, the rest going to test.
  await train.fill('0.123456789');
  await train.press('Enter');
  // Out of focus the field reads six digits; in focus it holds the exact value.
  await expect(train).toHaveValue('0.123457');
  await train.focus();
  await expect(train).toHaveValue('0.123456789');
  await train.press('Enter');
  await expect(page.getByTestId('data-panel')).toContainText('test 0.7265');
  await expect(page.getByTestId('share-train-note')).toContainText('Only 0.123456789 of the samples train the network');
});

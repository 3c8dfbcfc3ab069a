/**
 * From a real CSV to a trained network in a handful of actions, as a student with their own data
 * would: the Wisconsin breast-cancer table (569 rows, 30 features, a 0/1 diagnosis) imported with
 * the binary target the importer picks, standardised, split, "New network for this data" with one
 * hidden layer, Adam, Train — then at least 95% test accuracy and the confusion matrix read.
 */
import { fileURLToPath } from 'node:url';
import { appUrl, expect, test } from './fixtures';

const CSV = fileURLToPath(new URL('../test/data/breast-cancer-wisconsin.csv', import.meta.url));

test('the breast-cancer CSV to a trained network: import, New network for this data, train, ≥ 95% on the test split', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('__blank');

  // 1. Import the CSV: the last column is the target, and its two values make it binary.
  await page.getByTestId('import-csv').click();
  await page.getByLabel('CSV file', { exact: true }).setInputFiles(CSV);
  await expect(page.locator('.csv-preview')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('1-import.png') });
  await page.getByTestId('csv-import').click();
  await expect(page.getByTestId('data-panel')).toContainText('569 samples');

  // 2. Standardise the features and keep 30% for the test.
  await page.getByLabel('Normalisation').selectOption('standardise');
  await page.getByTestId('share-train').fill('0.7');
  await page.getByTestId('share-train').press('Enter');

  // 3. Build › New network for this data…, from the command palette: one hidden layer of 8 tanh units.
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type('new network for this data');
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('new-network-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('new-network-summary')).toContainText("the data's 30 features");
  await expect(page.getByTestId('new-network-summary')).toContainText('one sigmoid for malignant (0/1)');
  await page.getByTestId('new-network-units-0').fill('8');
  await page.getByTestId('new-network-build').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('compile-status')).toContainText('compiles');
  await expect(page.getByTestId('compile-status')).toContainText('30 → 8 → 1');
  await page.screenshot({ path: testInfo.outputPath('2-network.png') });

  // 4. Adam, mini-batches of 32, 60 epochs; Train.
  await page.getByLabel('Optimiser').selectOption('adam');
  await page.getByTestId('learning-rate').fill('0.01');
  await page.getByTestId('learning-rate').press('Enter');
  await page.getByLabel('Mode').selectOption('minibatch');
  await page.getByLabel('Batch size').fill('32');
  await page.getByLabel('Batch size').press('Enter');
  await page.getByLabel('Max epochs').fill('60');
  await page.getByLabel('Max epochs').press('Enter');
  await page.keyboard.press('F5');
  await expect(page.getByTestId('compile-status')).toContainText('compiles');
  // Until the run has stopped at its maximum of epochs — not "idle", which is also what the status
  // says in the moment before F5 takes effect, when the weights are still the untrained ones.
  await expect(page.locator('.status')).toContainText('training: stopped', { timeout: 120_000 });

  // 5. The test split's accuracy, and the confusion matrix of the two classes.
  // The evaluation follows the weights at most twice a second: read it once it has caught up with the last epoch.
  const accuracy = page.getByTestId('accuracy-test');
  await expect(accuracy).toHaveText(/%$/);
  await expect.poll(async () => Number((await accuracy.textContent())!.replace('%', '')), { timeout: 10_000 }).toBeGreaterThanOrEqual(95);
  await expect(page.getByTestId('confusion')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('3-trained.png') });
  expect(errors).toEqual([]);
});

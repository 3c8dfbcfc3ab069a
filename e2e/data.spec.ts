/**
 * Importing a CSV: a bad cell is named by line and column; a good file becomes the project's data.
 */
import { expect, test } from './fixtures';

test('import a CSV: errors name line and column; the rows become the data', async ({ page }) => {
  await page.goto(process.env.NNSTUDIO_URL!);
  await page.getByTestId('example-select').selectOption('__blank');
  await page.getByTestId('import-csv').click();

  const bad = 'a,b,label\n1,2,yes\n3,x,no\n';
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  // Shown as soon as the file is read, next to the row it concerns, the bad cell marked.
  await expect(page.getByTestId('csv-error-row')).toContainText('3x');
  await expect(page.getByTestId('csv-error-row').locator('td.error-cell')).toHaveText('x');
  await expect(page.getByTestId('csv-error-note')).toHaveText("↑ Line 3, column 'b': 'x' is not a number.");
  await page.getByTestId('csv-import').click();
  await expect(page.getByTestId('csv-error')).toHaveText("Line 3, column 'b': 'x' is not a number.");
  await expect(page.getByRole('dialog')).toBeVisible(); // nothing imported

  const good = 'a,b,label\n1,2,yes\n3,4,no\n5,6,yes\n';
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByTestId('csv-import').click();
  await expect(page.getByTestId('data-panel')).toContainText('3 samples; features a, b; targets label=no, label=yes.');
  await expect(page.getByTestId('scatter')).toBeVisible();
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('data-panel')).toContainText('4 samples; features x1, x2; targets y.');
});

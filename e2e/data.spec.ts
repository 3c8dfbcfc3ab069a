/**
 * Importing a CSV: a bad cell is named by line and column; a good file becomes the project's data.
 * A large file is read off the page's thread with a progress bar and can be cancelled; a file over
 * a project's limits is refused with the limit and the line named.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS } from '../engine/src/index';
import { appUrl, expect, test } from './fixtures';

test('import a CSV: errors name line and column; the rows become the data', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('__blank');
  await page.getByTestId('import-csv').click();

  const bad = 'a,b,label\n1,2,yes\n3,x,no\n';
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  // Shown as soon as the file is read, next to the row it concerns, the bad cell marked.
  await expect(page.getByTestId('csv-error-row')).toContainText('3x');
  await expect(page.getByTestId('csv-error-row').locator('td.error-cell')).toHaveText('x');
  await expect(page.getByTestId('csv-error-note')).toHaveText("↑ Line 3, column 'b': 'x' is not a number.");
  await expect(page.getByTestId('csv-error')).toHaveText("Line 3, column 'b': 'x' is not a number.");
  // Nothing to import while the file has a problem.
  await expect(page.getByTestId('csv-import')).toBeDisabled();
  await expect(page.getByRole('dialog')).toBeVisible();

  const good = 'a,b,label\n1,2,yes\n3,4,no\n5,6,yes\n';
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  // Two values: read as one binary column by default, no → 0 and yes → 1.
  await page.getByTestId('csv-import').click();
  await expect(page.getByTestId('data-panel')).toContainText('3 samples; features a, b; targets label (no = 0, yes = 1).');
  await expect(page.getByTestId('scatter')).toBeVisible();
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('data-panel')).toContainText('4 samples; features x1, x2; targets y.');
});

test('import a large CSV: progress and Cancel; over a limit, the limit and the line are named', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'nnstudio-csv-'));
  try {
    // 56 MB in 900,000 rows: large enough to be read for a while, within every limit.
    const big = join(dir, 'big.csv');
    const row = (r: number) => `${r},${(r * 0.001).toFixed(6)},${'1234567890'.repeat(4)},${r % 2 ? 'yes' : 'no'}\n`;
    const lines = ['a,b,note,label\n'];
    for (let r = 0; r < 900_000; r++) lines.push(row(r));
    writeFileSync(big, lines.join(''));
    // One row more than a project holds, in a small file (4 bytes a row).
    const tooMany = join(dir, 'too-many.csv');
    writeFileSync(tooMany, `x,y\n${'1,0\n'.repeat(LIMITS.datasetRows + 1)}`);

    await page.goto(appUrl());
    await page.getByTestId('example-select').selectOption('__blank');
    await page.getByTestId('import-csv').click();
    const input = page.getByLabel('CSV file', { exact: true });
    const importButton = page.getByTestId('csv-import');

    await input.setInputFiles(big);
    const progress = page.getByTestId('csv-progress');
    await expect(progress).toBeVisible();
    await expect(page.getByTestId('csv-progress-text')).toHaveText(
      /^(Loading big\.csv: \d+% of [\d,]+ bytes…|Reading big\.csv: \d+%, [\d,]+ rows…|Importing [\d,]+ of 900,000 rows…)$/,
    );
    await expect(importButton).toBeDisabled();
    // The page stays responsive while the worker reads: it answers at once.
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    await page.getByTestId('csv-cancel').click();
    await expect(progress).toBeHidden();
    await expect(page.getByTestId('csv-notice')).toHaveText('Cancelled: big.csv was not imported. Choose a file to start again.');
    await expect(page.locator('.csv-preview')).toHaveCount(0);
    await expect(importButton).toBeDisabled();

    await input.setInputFiles(tooMany);
    const rows = LIMITS.datasetRows;
    const message = `Line ${(rows + 2).toLocaleString('en')}: the data has more than ${rows.toLocaleString('en')} rows, the most a project holds.`;
    await expect(page.getByTestId('csv-error')).toHaveText(message);
    await expect(page.getByTestId('csv-error-row')).toContainText(`${(rows + 2).toLocaleString('en')}1,0`);
    await expect(progress).toBeHidden();
    await expect(importButton).toBeDisabled();

    // And then a normal file imports.
    await input.setInputFiles({ name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from('p,q,kind\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n') });
    await expect(page.getByTestId('csv-error')).toHaveCount(0);
    // Read as class labels, one-hot, rather than the binary column two values suggest.
    await page.getByLabel('Target kind').selectOption('label');
    await expect(importButton).toBeEnabled();
    await importButton.click();
    await expect(page.getByTestId('data-panel')).toContainText('4 samples; features p, q; targets kind=a, kind=b.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

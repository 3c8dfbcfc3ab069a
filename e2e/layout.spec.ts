/**
 * The window holds its layout at the sizes students' screens have: at 1280×800, 1440×900 and
 * 1920×1080, open the app, load Iris, train a few epochs, open the CSV import on a wide file and
 * open the backprop inspector, and after each step no panel is squeezed below its minimum, nothing
 * overflows sideways, no select cuts its value, the toolbar is one row and a dialog's buttons
 * stay in view (e2e/layout-check.ts). Screenshots of every state are kept with the results. And a
 * splitter's size is the project's: kept in its view, without marking it unsaved.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PANELS } from '../src-renderer/src/app/panel-layout';
import { openFromPicker, saveAs, workspace } from './files';
import { appUrl, expect, test } from './fixtures';
import { expectLayoutHolds, layoutProblems } from './layout-check';

/** A CSV shaped like a real table: 30 numeric features with long names, a 0/1 target, 60 rows. */
function wideCsv(): string {
  const names = Array.from({ length: 30 }, (_, i) => `${['mean', 'error', 'worst'][i % 3]}_feature_number_${i + 1}`);
  const rows = [[...names, 'diagnosis'].join(',')];
  for (let r = 0; r < 60; r++) rows.push([...names.map((_, i) => ((r * 7 + i * 13) % 97) / 3.7), r % 2].map(String).join(','));
  return `${rows.join('\n')}\n`;
}

for (const [width, height] of [
  [1280, 800],
  [1440, 900],
  [1920, 1080],
] as const) {
  test(`the window holds its layout at ${width}×${height}`, async ({ page }, testInfo) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setViewportSize({ width, height });
    const at = (step: string) => `${width}x${height}-${step}`;

    await page.goto(appUrl());
    await expect(page.getByRole('button', { name: /Spiral classifier/ })).toBeVisible();
    await expectLayoutHolds(page, testInfo, at('1-start'));

    await page.getByTestId('example-select').selectOption('iris');
    await expect(page.getByTestId('compile-status')).toContainText('4 → 8 → 3');
    await expectLayoutHolds(page, testInfo, at('2-iris'));

    // A few epochs, one at a time (Ctrl+F10): the curves have a history to draw.
    for (let epoch = 1; epoch <= 4; epoch++) {
      await page.keyboard.press('Control+F10');
      await expect(page.getByTestId('epoch')).toHaveText(String(epoch));
    }
    // The legend reads the last epoch's values when the pointer is elsewhere, not "--".
    const legend = page.getByTestId('curves').locator('.u-legend .u-series').nth(1).locator('.u-value');
    await expect.soft(legend).not.toHaveText('--', { timeout: 5000 });
    expect.soft(Number(await legend.textContent())).toBeGreaterThan(0);
    await expectLayoutHolds(page, testInfo, at('3-trained'));

    // The CSV import of a wide table: the preview scrolls in its own box, Import and Close stay in view.
    await page.getByTestId('import-csv').click();
    await page
      .getByLabel('CSV file', { exact: true })
      .setInputFiles({ name: 'wide.csv', mimeType: 'text/csv', buffer: Buffer.from(wideCsv()) });
    await expect(page.locator('.csv-preview').first()).toBeVisible();
    await expect(page.getByTestId('csv-import')).toBeEnabled();
    await expectLayoutHolds(page, testInfo, at('4-csv-import'));
    await page.getByRole('dialog', { name: 'Import a CSV file' }).getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('dialog', { name: 'Import a CSV file' })).toHaveCount(0);

    // A unit in the side panel's inspector, then the backprop inspector in the dock.
    await page.getByTestId('unit-hidden').click();
    await expect(page.getByTestId('inspector')).toContainText('hidden');
    await expectLayoutHolds(page, testInfo, at('5-unit'));
    await page.getByTestId('inspect').click();
    await expect(page.getByTestId('backprop')).toBeVisible();
    await expectLayoutHolds(page, testInfo, at('6-backprop'));

    // The Learn panel beside it all (F2), on a lesson with formulas, a table and its tasks.
    await page.getByTestId('bp-close').click();
    await page.keyboard.press('F2');
    await page.getByTestId('lesson-perceptron-or-and').click();
    await page.getByTestId('lesson-begin').click();
    // The trained Iris is unsaved: starting the lesson asks first, as New does.
    await expect(page.getByRole('alertdialog', { name: 'Unsaved changes' })).toContainText('Save the changes to Iris?');
    await page.getByTestId('prompt-discard').click();
    await expect(page.getByTestId('tasks')).toBeVisible();
    await expectLayoutHolds(page, testInfo, at('7-learn'));
    expect(errors).toEqual([]);
  });
}

test('the layout check itself catches a clipped field, a cut select and a squeezed panel', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('iris');
  await expect(page.getByTestId('compile-status')).toContainText('4 → 8 → 3');
  expect(await layoutProblems(page)).toEqual([]);
  // The same page with three faults put in by hand: each is one sentence of the check's report.
  await page.evaluate(() => {
    const field = document.querySelector<HTMLInputElement>('[data-testid="learning-rate"]')!;
    field.style.width = '30px';
    field.value = '0.000123456789';
    const select = document.querySelector<HTMLSelectElement>('.toolbar select')!;
    select.style.width = '40px';
    document.querySelector<HTMLElement>('aside.panel')!.style.maxWidth = '60px';
  });
  const problems = await layoutProblems(page);
  expect(problems.some((p) => /field cuts “0\.000123456789”/.test(p))).toBe(true);
  expect(problems.some((p) => /select cuts/.test(p))).toBe(true);
  expect(problems.some((p) => /side panel is \d+ px wide, under its minimum/.test(p))).toBe(true);
});

test('a dragged splitter keeps its size in the project’s view, without marking it unsaved, and the file reopens with it', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await expect(page).toHaveTitle('XOR 2-2-1 — NN Studio');
  const side = page.locator('aside.panel');
  const width = async () => Math.round((await side.boundingBox())!.width);
  const before = await width();
  expect(before).toBe(PANELS.side.default);

  // Drag the splitter 80 px to the left: the side panel is 80 px wider.
  const splitter = (await page.getByRole('separator', { name: 'Resize the side panel' }).boundingBox())!;
  await page.mouse.move(splitter.x + splitter.width / 2, splitter.y + splitter.height / 2);
  await page.mouse.down();
  await page.mouse.move(splitter.x + splitter.width / 2 - 80, splitter.y + splitter.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect.poll(width).toBe(before + 80);
  await expect(page).toHaveTitle('XOR 2-2-1 — NN Studio'); // a view change: still not unsaved
  // Squeezed from the other side, it stops at its minimum.
  await page.getByRole('separator', { name: 'Resize the side panel' }).focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(width).toBe(PANELS.side.min);
  for (let i = 0; i < 40 && (await width()) < before + 80; i++) await page.keyboard.press('ArrowLeft');
  const chosen = await width();
  expect(chosen).toBeGreaterThanOrEqual(before + 80);

  rmSync(join(workspace(), 'panels.nnproj'), { force: true });
  await saveAs(page, 'panels.nnproj');
  const saved = JSON.parse(readFileSync(join(workspace(), 'panels.nnproj'), 'utf8'));
  expect(Math.abs(saved.view.panelSizes.side - chosen)).toBeLessThanOrEqual(1);
  await expectLayoutHolds(page, testInfo, 'panels-resized');

  // Another project opens at the default width; the saved one at its own.
  await page.getByTestId('example-select').selectOption('spiral');
  await expect.poll(width).toBe(PANELS.side.default);
  await openFromPicker(page, 'panels.nnproj');
  await expect(page).toHaveTitle('panels — NN Studio');
  await expect.poll(width).toBe(chosen);
});

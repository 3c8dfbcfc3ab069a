/**
 * A real CSV with a 0/1 target: the Wisconsin breast-cancer table (test/data, 569 rows, 30
 * features, `malignant`) imported through the dialog with the mouse and the keyboard. The dialog
 * chooses "binary" for `malignant` and says why and how its values are read; on the logistic-
 * regression example, whose inputs and output were drawn for other data, the status bar says ✗
 * with the reason instead of "compiles", the Problems list groups the problems in short lines,
 * and clicking one (or Enter on it) selects the node it names. Screenshots of the dialog and the
 * list at 1280×800 and 1920×1080.
 */
import { fileURLToPath } from 'node:url';
import { appUrl, expect, test, type Page } from './fixtures';

const FIXTURE = fileURLToPath(new URL('../test/data/breast-cancer-wisconsin.csv', import.meta.url));

/** The unit's box on the canvas, and whether it is selected. */
const unit = (page: Page, id: string) => page.getByTestId(`unit-${id}`);
const selected = (page: Page, id: string) => expect(unit(page, id)).toHaveClass(/\bselected\b/);
const notSelected = (page: Page, id: string) => expect(unit(page, id)).not.toHaveClass(/\bselected\b/);

test('import the breast-cancer CSV: binary chosen for malignant; ✗ with the reason; a problem selects its node', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('logistic-regression');
  await expect(page.getByTestId('compile-status')).toHaveText('✓ compiles — 2 → 1, 3 parameters');

  // The dialog: the file, then binary chosen for the last column, with the reason and the mapping.
  await page.getByTestId('import-csv').click();
  const dialog = page.getByRole('dialog', { name: 'Import a CSV file' });
  await dialog.getByLabel('CSV file', { exact: true }).setInputFiles(FIXTURE);
  await expect(dialog.getByLabel('malignant is a target')).toBeChecked();
  await expect(dialog.getByLabel('mean_radius is a feature')).toBeChecked();
  const kind = dialog.getByLabel('Target kind');
  await expect(kind).toHaveValue('binary');
  await expect(dialog.getByTestId('csv-suggestion')).toHaveText("Suggested from the data: binary — 'malignant' has two values, 0 and 1.");
  await expect(dialog.getByTestId('csv-mapping')).toHaveText('malignant: 0 and 1, as they areSwap 0 and 1');
  await expect(dialog.getByTestId('csv-import')).toBeEnabled();
  // The wide preview scrolls in its own box: the dialog itself never scrolls sideways.
  const widths = await dialog.locator('.modal-body').evaluate((body) => ({ scroll: body.scrollWidth, client: body.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  await page.screenshot({ path: testInfo.outputPath('csv-binary-dialog-1280x800.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: testInfo.outputPath('csv-binary-dialog-1920x1080.png') });
  await page.setViewportSize({ width: 1280, height: 800 });

  // The keyboard: the kind can be changed (the one-hot reading has no mapping) and back, then
  // Tab through Swap and Close to Import, and Enter.
  await kind.focus();
  await page.keyboard.press('ArrowDown');
  await expect(kind).toHaveValue('label');
  await expect(dialog.getByTestId('csv-mapping')).toHaveCount(0);
  await page.keyboard.press('ArrowUp');
  await expect(kind).toHaveValue('binary');
  await expect(dialog.getByTestId('csv-mapping')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Swap which value of malignant is 1' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByTestId('csv-import')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('data-panel')).toContainText(
    '569 samples; features mean_radius, mean_texture, mean_perimeter, mean_area, mean_smoothness … 25 more; targets malignant.',
  );

  // The network was drawn for two features x1, x2 and a target y: it compiles alone, but not
  // on this data, and the status bar says so in one line.
  const status = page.getByTestId('compile-status');
  await expect(status).toHaveText('✗ 2 inputs read features the data does not have: x1, x2 — choose from its 30 features (+2 more)');
  await expect(status).not.toContainText('compiles');
  await expect(page.getByTestId('train-button')).toBeDisabled();

  // The Problems list: one short line per kind.
  const problems = page.getByTestId('problems');
  await expect(problems.getByTestId('problem')).toHaveText([
    '2 inputs read features the data does not have: x1, x2 — choose from its 30 features',
    "Output 'y' predicts 'y', which is not a target of the dataset (it has 1 target: 'malignant').",
    "The dataset's target 'malignant' is predicted by no output node.",
  ]);
  // The list is capped: it never takes more than its box, whatever the canvas's size.
  expect((await problems.boundingBox())!.height).toBeLessThanOrEqual(134);

  // Clicking a problem selects the node it names; a group selects all of its nodes.
  await problems.getByTestId('problem').nth(1).click();
  await selected(page, 'y');
  await notSelected(page, 'x1');
  await problems.getByTestId('problem').first().click();
  await selected(page, 'x1');
  await selected(page, 'x2');
  await notSelected(page, 'y');
  // The group opens to list each of its problems; each selects its own input.
  await problems.getByRole('button', { name: 'List each of the 2 problems' }).click();
  await expect(problems.getByTestId('problem-item')).toHaveCount(2);
  await problems.getByTestId('problem-item').nth(1).click();
  await selected(page, 'x2');
  await notSelected(page, 'x1');
  await page.screenshot({ path: testInfo.outputPath('csv-binary-problems-1280x800.png') });

  // And from the keyboard: the arrows move between the problems, Enter selects.
  await problems.getByTestId('problem').first().focus();
  await page.keyboard.press('End');
  await expect(problems.getByTestId('problem').last()).toBeFocused();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await expect(problems.getByTestId('problem-item').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(problems.getByTestId('problem').nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await selected(page, 'y');
  await notSelected(page, 'x2');
  // The list folds away and opens again.
  await problems.getByTestId('problems-toggle').click();
  await expect(problems.getByTestId('problem')).toHaveCount(0);
  await problems.getByTestId('problems-toggle').press('Enter');
  await expect(problems.getByTestId('problem')).toHaveCount(3);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: testInfo.outputPath('csv-binary-problems-1920x1080.png') });
  expect(errors).toEqual([]);
});

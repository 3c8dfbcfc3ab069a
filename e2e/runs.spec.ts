/**
 * Runs side by side: the XOR network trained three times, η = 0.1, 1 and 10, with the weights
 * reset between; the Runs view lists the three with η, overlays their losses in one chart, and
 * the runs are saved with the project and come back when it is reopened.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appUrl, expect, test, type Page } from './fixtures';
import { openFromPicker, saveAs, workspace } from './files';
import { AxeBuilder } from '@axe-core/playwright';
import { describeViolations } from './axe';

async function setField(page: Page, name: string, value: string) {
  await page.getByRole('textbox', { name }).fill(value);
  await page.keyboard.press('Enter');
}

/** The runs' names in the table, top to bottom. */
const names = (page: Page) =>
  page
    .getByRole('table', { name: 'Training runs' })
    .getByRole('textbox', { name: /^Name of / })
    .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));

/** Trains until the run stops by itself (its max epochs or its target loss). */
async function trainToStop(page: Page) {
  await page.getByTestId('train-button').click();
  await expect(page.locator('.status')).toContainText('training: stopped', { timeout: 60_000 });
}

test('η = 0.1 vs 1 vs 10: three runs, one chart, a table of η; saved and reopened with the project', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await setField(page, 'Max epochs', '200');
  for (const [i, eta] of ['0.1', '1', '10'].entries()) {
    await setField(page, 'Learning rate', eta);
    await trainToStop(page);
    if (i < 2) {
      await page.getByRole('button', { name: 'Reset', exact: true }).click();
      await expect(page.getByTestId('epoch')).toHaveText('0');
    }
  }

  // The dock's Runs tab, by the keyboard: from the curves' tab, the right arrow.
  await page.getByTestId('dock-tab-curves').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('dock-tab-runs')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('dock-tab-runs')).toBeFocused();
  const table = page.getByRole('table', { name: 'Training runs' });
  await expect(table.getByTestId('run-row')).toHaveCount(3);
  // Only η differs, so it is the one setting with a column; newest first.
  await expect(table.locator('th.run-setting')).toHaveText(['η']);
  await expect(table.locator('td.run-setting')).toHaveText(['10', '1', '0.1']);
  await expect.poll(() => names(page)).toEqual(['Run 3', 'Run 2', 'Run 1']);
  // Each run says why it stopped, also when Reset came right after the stop (η = 1 reaches the target loss).
  await expect(table.locator('td.run-stop')).toHaveText(['max epochs', 'target loss', 'max epochs']);

  for (const name of ['Run 1', 'Run 2', 'Run 3']) await table.getByRole('checkbox', { name: `Show ${name} in the chart` }).check();
  const chart = page.getByTestId('runs-chart');
  // One series per run in the legend, each named with its η.
  await expect(chart.locator('.u-legend .u-series:not(:first-child) .u-label')).toHaveText([
    'Run 1 · η = 0.1',
    'Run 2 · η = 1',
    'Run 3 · η = 10',
  ]);
  await expect(chart.locator('canvas')).toBeVisible();

  // A name is edited in place (Enter keeps it); the legend follows.
  const first = table.getByRole('textbox', { name: 'Name of Run 1' });
  await first.fill('slow');
  await first.press('Enter');
  await expect(chart.locator('.u-legend .u-series:nth-child(2) .u-label')).toHaveText('slow · η = 0.1');
  // The Runs view itself passes axe (serious and critical findings), in the dock it fills.
  const axe = await new AxeBuilder({ page }).include('section[aria-label="Training runs"]').analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, describeViolations(serious)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('runs-1280x800.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect(chart.locator('canvas')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('runs-1920x1080.png') });

  await saveAs(page, 'runs.nnproj');
  const saved = JSON.parse(readFileSync(join(workspace(), 'runs.nnproj'), 'utf8'));
  expect(saved.runs.map((r: { hyperparameters: { learningRate: number } }) => r.hyperparameters.learningRate)).toEqual([0.1, 1, 10]);
  expect(saved.runs.map((r: { label: string }) => r.label)).toEqual(['slow', 'Run 2', 'Run 3']);

  await page.getByTestId('example-select').selectOption('spiral');
  await expect(page.getByTestId('runs-empty')).toBeVisible();
  await openFromPicker(page, 'runs.nnproj');
  await expect(page).toHaveTitle('runs — NN Studio');
  await expect(table.getByTestId('run-row')).toHaveCount(3);
  await expect(table.locator('td.run-setting')).toHaveText(['10', '1', '0.1']);
  await expect.poll(() => names(page)).toEqual(['Run 3', 'Run 2', 'slow']);
});

/**
 * Accessibility: axe-core finds no serious or critical violation in the window's main states — the
 * start screen, an example on the canvas with the side panel and the dock, the backprop inspector,
 * the command palette, the notation, the CSV import and the shortcut sheet — in the light theme and
 * in the dark one the system asks for (contrast is checked in both). The formulas are typeset by
 * KaTeX with fonts the page's policy lets load.
 */
import { ACTION_IDS, formatAccelerator, keysFor } from '../src-shared/actions';
import { appUrl, expect, test, type Locator, type Page } from './fixtures';
import { expectNoSeriousViolations } from './axe';

const CSV = 'radius,texture,diagnosis\n1.2,3.4,1\n2.5,1.1,0\n0.7,2.2,1\n';

/** Whether an element draws a focus ring: a solid outline at least 2 px wide in a colour that is not the background's. */
async function focusRing(element: Locator): Promise<boolean> {
  return element.evaluate((e) => {
    const style = getComputedStyle(e);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 && style.outlineColor !== style.backgroundColor;
  });
}

/** Every font face KaTeX's stylesheet declares that the page tried to load, by status. */
async function katexFonts(page: Page): Promise<{ loaded: number; failed: string[] }> {
  return page.evaluate(async () => {
    await document.fonts.ready;
    const faces = [...document.fonts].filter((f) => f.family.replace(/["']/g, '').startsWith('KaTeX'));
    return {
      loaded: faces.filter((f) => f.status === 'loaded').length,
      failed: faces.filter((f) => f.status === 'error').map((f) => `${f.family} ${f.style} ${f.weight}`),
    };
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test(`no serious or critical axe violation in the window's main states (${colorScheme})`, async ({ page }, testInfo) => {
      const blocked: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
      });
      await page.goto(appUrl());
      const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${colorScheme}-${name}.png`) });

      // The start screen.
      await expect(page.getByRole('heading', { name: 'NN Studio' })).toBeVisible();
      await expectNoSeriousViolations(page, 'the start screen');

      // An example: the canvas with its units and edges, the side panel, the dock.
      await page.getByTestId('example-select').selectOption('three-two-one');
      await expect(page.getByTestId('compile-status')).toContainText('3 → 2 → 1');
      await expect(page.getByTestId('unit-y1')).toBeVisible();
      // Units and edges are named by what they are and hold, where Tab reaches them.
      const y1 = page.locator('.react-flow__node[data-id="y1"]');
      await expect(y1).toHaveAccessibleName('sigmoid neuron y1, bias 0.1');
      await expect(page.locator('.react-flow__node[data-id="z1"]')).toHaveAccessibleName('sigmoid neuron z1, bias 0.2, output for t');
      await expect(page.locator('.react-flow__edge[data-id="x2->y1"]')).toHaveAccessibleName('weight from x2 to y1: −0.2');
      // The keyboard's focus shows: on a unit (React Flow's own stylesheet hides it) and on a button.
      await y1.focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      await expect(y1).toBeFocused();
      expect(await focusRing(page.getByTestId('unit-y1'))).toBe(true);
      await shot('focus-unit');
      await page.getByTestId('notation-button').focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      await expect(page.getByTestId('notation-button')).toBeFocused();
      expect(await focusRing(page.getByTestId('notation-button'))).toBe(true);
      await expectNoSeriousViolations(page, 'an example on the canvas');
      await shot('example');

      // The backprop inspector, at a forward stop and at the update (formulas typeset).
      await page.getByTestId('inspect').click();
      await expect(page.getByTestId('bp-detail').locator('.katex').first()).toBeVisible();
      await expectNoSeriousViolations(page, 'the inspector at a forward stop');
      await page.getByTestId('phase-update').click();
      await expect(page.getByTestId('bp-detail')).toHaveAttribute('data-phase', 'update');
      await expectNoSeriousViolations(page, 'the inspector at the update');
      const fonts = await katexFonts(page);
      expect(fonts.failed, 'KaTeX fonts that failed to load').toEqual([]);
      expect(fonts.loaded, 'KaTeX fonts loaded').toBeGreaterThan(0);
      await shot('inspector');

      // The command palette.
      await page.keyboard.press('Control+Shift+P');
      await expect(page.getByTestId('command-palette')).toBeVisible();
      await expectNoSeriousViolations(page, 'the command palette');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('command-palette')).toHaveCount(0);

      // The notation.
      await page.keyboard.press('F1');
      await expect(page.getByTestId('notation')).toBeVisible();
      await expectNoSeriousViolations(page, 'the notation');
      await shot('notation');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('notation')).toHaveCount(0);

      // The CSV import, with a file read and its preview shown.
      await page.getByTestId('bp-close').click();
      await page.getByTestId('import-csv').click();
      await page
        .getByLabel('CSV file', { exact: true })
        .setInputFiles({ name: 'cells.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
      await expect(page.getByRole('dialog')).toContainText('radius');
      await expectNoSeriousViolations(page, 'the CSV import');
      await shot('csv-import');
      await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0);

      // The shortcut sheet, on ?.
      await y1.focus();
      await page.keyboard.press('?');
      await expect(page.getByTestId('shortcut-sheet')).toBeVisible();
      await expectNoSeriousViolations(page, 'the shortcut sheet');
      await shot('shortcuts');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('shortcut-sheet')).toHaveCount(0);

      expect(blocked, 'nothing the page loads is refused by its Content-Security-Policy').toEqual([]);
    });

    test(`the plots paint in the ${colorScheme} theme's class colours`, async ({ page }) => {
      await page.goto(appUrl());
      await page.getByTestId('example-select').selectOption('xor-sigmoid');
      const plot = page.locator('canvas[data-testid="decision-regions"]');
      await expect(plot).toBeVisible();
      // The theme's variable, as the stylesheet resolves it, against the colours on the canvas.
      const expected = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--positive').trim());
      const rgb = [1, 3, 5].map((i) => parseInt(expected.slice(i, i + 2), 16));
      await expect
        .poll(() =>
          plot.evaluate((canvas: HTMLCanvasElement, want: number[]) => {
            const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
            // The nearest opaque-enough region cell to the theme's colour: translucent cells keep their
            // colour's channels up to the rounding of premultiplied storage.
            let nearest = Infinity;
            for (let i = 0; i < data.length; i += 4) {
              if (data[i + 3] < 100) continue;
              const d = Math.max(Math.abs(data[i] - want[0]), Math.abs(data[i + 1] - want[1]), Math.abs(data[i + 2] - want[2]));
              if (d < nearest) nearest = d;
            }
            return nearest;
          }, rgb),
        )
        .toBeLessThanOrEqual(2);
    });
  });
}

test('? opens the shortcut sheet outside a text field: every action’s keys from the action table; Escape gives focus back', async ({
  page,
}) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await expect(page.getByTestId('canvas')).toBeVisible();

  // In a text field ? is a character.
  const field = page.getByTestId('learning-rate');
  await field.fill('');
  await field.press('?');
  await expect(page.getByTestId('shortcut-sheet')).toHaveCount(0);
  await field.press('Escape');

  const button = page.getByTestId('notation-button');
  await button.focus();
  await page.keyboard.press('?');
  const sheet = page.getByTestId('shortcut-sheet');
  await expect(sheet).toBeVisible();
  // Every action with a key shows it, as the menus spell it on the host's platform (Linux here).
  let listed = 0;
  for (const id of ACTION_IDS) {
    const key = keysFor(id, 'linux')[0];
    if (!key) continue;
    await expect(sheet.getByTestId(`shortcut-${id}`)).toContainText(formatAccelerator(key, 'linux'));
    listed++;
  }
  expect(listed).toBeGreaterThan(15);
  await expect(sheet.getByTestId('shortcut-inspect.next')).toContainText(']');
  await expect(sheet.getByTestId('shortcut-help.shortcuts')).toContainText('?');
  await expect(sheet.getByTestId('shortcut-copy')).toContainText('Ctrl+C');
  // Behind the sheet the app's keys do nothing: F5 would start training.
  await page.keyboard.press('F5');
  await expect(page.getByTestId('training-state')).toHaveText('idle');
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  await expect(button).toBeFocused();
});

/**
 * The canvas editor: build the lecture's XOR network of two hidden sigmoid neurons from an empty
 * canvas by dragging from the palette and wiring handles with the mouse; see it compile with 9
 * parameters; try to wire a cycle and see it refused; undo everything back to an empty canvas and
 * redo it.
 */
import { appUrl, expect, test, type Page } from './fixtures';

async function dropFromPalette(page: Page, entry: string, x: number, y: number): Promise<void> {
  const canvas = page.getByTestId('canvas');
  await page.getByTestId(`palette-${entry}`).dragTo(canvas, { targetPosition: { x, y } });
}

async function wire(page: Page, from: string, to: string): Promise<void> {
  const source = await page.getByTestId(`out-${from}`).boundingBox();
  const target = await page.getByTestId(`in-${to}`).boundingBox();
  await page.mouse.move(source!.x + source!.width / 2, source!.y + source!.height / 2);
  await page.mouse.down();
  await page.mouse.move(target!.x + target!.width / 2, target!.y + target!.height / 2, { steps: 8 });
  await page.mouse.up();
}

test('build XOR 2-2-1 from an empty canvas, refuse a cycle, undo it all and redo it', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('__blank');
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  // The data panel shows the XOR truth table's four points.
  await expect(page.getByTestId('scatter')).toBeVisible();
  await expect(page.getByTestId('data-panel')).toContainText('4 samples; features x1, x2; targets y.');

  await dropFromPalette(page, 'Input', 120, 140);
  await dropFromPalette(page, 'Input', 120, 340);
  await dropFromPalette(page, 'Neuron (sigmoid)', 380, 140);
  await dropFromPalette(page, 'Neuron (sigmoid)', 380, 340);
  await dropFromPalette(page, 'Neuron (sigmoid)', 640, 240);
  await expect(page.locator('.react-flow__node')).toHaveCount(5);

  for (const [from, to] of [
    ['x1', 'h1'],
    ['x2', 'h1'],
    ['x1', 'h2'],
    ['x2', 'h2'],
    ['h1', 'h3'],
    ['h2', 'h3'],
  ]) {
    await wire(page, from, to);
  }
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);

  // A connection back from h3 to h1 would close a cycle: refused, with the reason at the cursor.
  await wire(page, 'h3', 'h1');
  await expect(page.getByTestId('refusal')).toContainText('That would make a cycle');
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);

  // Mark h3 as the output predicting the dataset's y.
  await page.getByTestId('unit-h3').click();
  await page.getByTestId('palette-Output').click();
  await expect(page.getByTestId('output-toggle')).toBeChecked();
  await expect(page.getByTestId('compile-status')).toHaveText('✓ compiles — 2 → 2 → 1, 9 parameters');

  // Double-click a weight to edit it in place.
  await page.getByTestId('weight-h1->h3').dblclick();
  await expect(page.getByRole('textbox', { name: 'Weight on the canvas' })).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('2.5');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('weight-h1->h3')).toHaveText('2.5');
  await page.screenshot({ path: testInfo.outputPath('xor-built.png') });

  // Undo everything, back to the empty canvas…
  const undo = page.getByTestId('undo');
  let steps = 0;
  while (await undo.isEnabled()) {
    await undo.click();
    steps++;
  }
  expect(steps).toBe(13); // 5 drops, 6 wires, 1 output mark, 1 weight: the refused cycle left no step
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  // …and redo it all.
  const redo = page.getByTestId('redo');
  while (await redo.isEnabled()) await redo.click();
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);
  await expect(page.getByTestId('compile-status')).toHaveText('✓ compiles — 2 → 2 → 1, 9 parameters');

  // Layout is one step; select all and duplicate copies the network (without a second output).
  await page.getByTestId('layout').click();
  await expect(page.getByTestId('undo')).toHaveAttribute('title', 'Undo Layout (Ctrl+Z)');
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+d');
  expect(errors).toEqual([]);
  await expect(page.locator('.react-flow__node')).toHaveCount(10);
  await expect(page.locator('.react-flow__edge')).toHaveCount(12);
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.getByTestId('compile-status')).toHaveText('✓ compiles — 2 → 2 → 1, 9 parameters');

  // Double-click the canvas: a searchable quick-add puts a unit where the double-click was.
  // On empty canvas, wherever the view has put the units: the first spot that no node, edge
  // label, minimap or control covers.
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const covered = await page
    .locator('.react-flow__node, .edge-label, .react-flow__minimap, .react-flow__controls')
    .evaluateAll((elements) =>
      elements
        .map((e) => e.getBoundingClientRect())
        .map((r) => ({ left: r.left - 30, right: r.right + 30, top: r.top - 30, bottom: r.bottom + 30 })),
    );
  const spot = [0.5, 0.3, 0.7, 0.15, 0.85]
    .flatMap((fy) => [0.5, 0.25, 0.75, 0.1, 0.9].map((fx) => ({ x: pane.width * fx, y: pane.height * fy })))
    .find(({ x, y }) => !covered.some((r) => pane.x + x > r.left && pane.x + x < r.right && pane.y + y > r.top && pane.y + y < r.bottom))!;
  await page.locator('.react-flow__pane').dblclick({ position: spot });
  await page.getByTestId('quick-add').getByRole('textbox').fill('relu');
  await page.keyboard.press('Enter');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await expect(page.getByTestId('compile-status')).toHaveText(/✓ compiles — 2 → 2 → 1, 9 parameters/);
  await page.keyboard.press('Control+z');

  // And it trains.
  await page.getByTestId('train-button').click();
  await expect.poll(async () => Number(await page.getByTestId('epoch').textContent())).toBeGreaterThan(10);
  await page.getByTestId('train-button').click();
});

/**
 * The input layer: drop an Input layer from the palette onto the canvas with the mouse, choose its
 * features from the data in the inspector (remove one, add it back from the data's list, move it
 * up), connect it to a dense layer and an output, and see the status say the network compiles. A
 * single Input dropped first takes the data's next unused feature, and the layer the rest.
 */
import { appUrl, expect, test } from './fixtures';
import { dropFromPalette, wire } from './gestures';

test('drop an input layer, choose its features from the data, wire it to a dense layer: it compiles', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('__blank');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await expect(page.getByTestId('data-panel')).toContainText('features x1, x2');

  // A single Input takes the data's first feature no input reads; the layer then takes the rest.
  await dropFromPalette(page, 'Input', 100, 60);
  await expect(page.getByTestId('unit-x1')).toContainText('x ← x1');
  await dropFromPalette(page, 'Input layer', 100, 180);
  const layer = page.getByTestId('unit-X1');
  await expect(layer).toBeVisible();
  await expect(page.getByTestId('features-X1').getByRole('listitem')).toHaveText([/x2$/]);

  // The single input goes; the layer then reads the data's features as the user chooses them.
  await page.getByTestId('unit-x1').click();
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await layer.click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByRole('heading')).toContainText('Input layer X1');
  const add = inspector.getByRole('combobox', { name: 'Add a feature' });
  // The field suggests the data's features the layer does not read yet.
  const suggestions = await add.evaluate((input: HTMLInputElement) => Array.from(input.list!.options).map((o) => o.value));
  expect(suggestions).toEqual(['x1']);
  await add.fill('x1');
  await add.press('Enter');
  await expect(inspector.getByTestId('feature-list').getByRole('listitem')).toHaveText([/x2/, /x1/]);
  await inspector.getByRole('button', { name: 'Move x1 up' }).click();
  await expect(inspector.getByTestId('feature-list').getByRole('listitem')).toHaveText([/x1/, /x2/]);
  await expect(page.getByTestId('features-X1').getByRole('listitem')).toHaveText([/x1$/, /x2$/]);
  await expect(layer).toContainText('2 features');

  // Wire it to a dense layer and that to a sigmoid output.
  await dropFromPalette(page, 'Dense layer', 330, 180);
  await dropFromPalette(page, 'Neuron (sigmoid)', 540, 100);
  await wire(page, 'X1', 'L1');
  await wire(page, 'L1', 'h1');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await page.getByTestId('unit-h1').click();
  await page.getByTestId('palette-Output').click();
  await expect(page.getByTestId('output-toggle')).toBeChecked();
  await expect(page.getByTestId('compile-status')).toContainText('compiles');
  await expect(page.getByTestId('compile-status')).toContainText('2 → 4 → 1, 17 parameters');

  // Removing a feature the data needs nothing for still compiles (1 → 4 → 1), and undo puts it back.
  await layer.click();
  await inspector.getByRole('button', { name: 'Remove x2' }).click();
  await expect(page.getByTestId('compile-status')).toContainText('1 → 4 → 1, 13 parameters');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('compile-status')).toContainText('2 → 4 → 1, 17 parameters');
  await page.screenshot({ path: testInfo.outputPath('input-layer.png') });
  expect(errors).toEqual([]);
});

/**
 * The digits journey: load the handwritten-digits example, train it, copy one test image onto
 * the pad with the mouse, and see the pad's predicted digit and each hidden unit's activation
 * equal the engine's own answer for those 64 pixels — computed here, in the test, by training the
 * same example with the same seeds in Node (training is deterministic, so these are the weights
 * the app's document holds; the test accuracy the app shows is checked against it too). Then
 * erase with the right button and Shift, drag a stroke, Clear, and paint with the keyboard.
 */
import { appUrl, expect, test, type Page } from './fixtures';
import { expectLayoutHolds } from './layout-check';
import {
  evaluateSession,
  findExample,
  generateDataset,
  openSession,
  predict,
  projectFromSession,
  splitIndices,
  type BuiltinSpec,
} from '../engine/src/index';

const example = findExample('digits')!.create();
const session = openSession(example, 'train');
session.trainer.run();
const trained = projectFromSession(example, session);
const testAccuracy = evaluateSession(session).test.accuracy!;

/** The engine's answer for 64 pixels (0–16): its predicted digit and the hidden layer's tanh activations. */
function engineAnswer(cells: number[]): { predicted: number; hidden: number[] } {
  const stats = session.data.normalisation.features;
  const x = session.model.features.map((f) => {
    const s = stats.find((n) => n.name === f)!;
    return (cells[Number(f.slice(1))] - s.shift) / s.scale;
  });
  const out = predict(session.model, session.trainer.params, x);
  let predicted = 0;
  out.forEach((v, k) => v > out[predicted] && (predicted = k));
  const w = trained.graph.edges.find((e) => e.id === 'pixels->hidden')!.weight as number[][];
  const hiddenNode = trained.graph.nodes.find((n) => n.id === 'hidden') as { bias: number[] };
  const xs = Array.from({ length: 64 }, (_, p) => {
    const s = stats.find((n) => n.name === `p${p}`)!;
    return (cells[p] - s.shift) / s.scale;
  });
  const hidden = w.map((row, j) => Math.tanh(hiddenNode.bias[j] + row.reduce((sum, v, p) => sum + v * xs[p], 0)));
  return { predicted: Number(session.model.targets[predicted].slice('digit='.length)), hidden };
}

/** The first test row's pixels, each painted (16) where the image is at least half inked. */
function testImage(): number[] {
  const data = generateDataset(example.dataset as BuiltinSpec);
  const row = splitIndices(data.size, example.split).test[0];
  return Array.from(data.x.subarray(64 * row, 64 * row + 64), (v) => (v >= 8 ? 16 : 0));
}

async function padValues(page: Page): Promise<number[]> {
  return page
    .getByTestId('digits-pad-grid')
    .locator('[data-value]')
    .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
}

test('train the digits example, draw a digit on the pad, see the engine’s answer; erase, Clear, paint with the keys', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('digits');
  await expect(page.getByTestId('compile-status')).toHaveText('✓ compiles — 64 → 32 → 10, 2410 parameters');
  const pad = page.getByRole('region', { name: 'Digits pad' });
  await expect(pad).toBeVisible();
  await page.getByTestId('train-button').click();
  await expect(page.getByText('training: stopped')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('epoch')).toHaveText('20');
  // The app's test accuracy is the one the same training gives here: these are the app's weights.
  expect(testAccuracy).toBeGreaterThanOrEqual(0.95);
  await expect(page.getByText(`${(testAccuracy * 100).toFixed(1)}%`).first()).toBeVisible();

  // Copy a test image onto the pad, one click per inked pixel.
  const image = testImage();
  for (let p = 0; p < 64; p++) if (image[p] > 0) await page.getByTestId(`pad-cell-${p}`).click();
  expect(await padValues(page)).toEqual(image);
  const expected = engineAnswer(image);
  await expect(page.getByTestId('digits-pad-predicted')).toHaveText(String(expected.predicted));
  for (let j = 0; j < 32; j++) await expect(page.getByTestId(`digits-pad-unit-${j}`)).toHaveText(expected.hidden[j].toFixed(2));
  await expectLayoutHolds(page, testInfo, 'digits pad with a drawing');

  // The right button erases; so does Shift with the left.
  const inked = image.flatMap((v, p) => (v > 0 ? [p] : []));
  await page.getByTestId(`pad-cell-${inked[0]}`).click({ button: 'right' });
  await page.getByTestId(`pad-cell-${inked[1]}`).click({ modifiers: ['Shift'] });
  const erased = [...image];
  erased[inked[0]] = 0;
  erased[inked[1]] = 0;
  expect(await padValues(page)).toEqual(erased);
  await expect(page.getByTestId('digits-pad-predicted')).toHaveText(String(engineAnswer(erased).predicted));

  // Clear empties the pad.
  await pad.getByRole('button', { name: 'Clear' }).click();
  expect(await padValues(page)).toEqual(new Array(64).fill(0));
  await expect(pad.getByRole('button', { name: 'Clear' })).toBeDisabled();

  // A drag paints every cell it crosses: along row 2 from column 1 to column 6.
  const box = async (p: number) => (await page.getByTestId(`pad-cell-${p}`).boundingBox())!;
  const from = await box(17);
  const to = await box(22);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
  const stroke = new Array(64).fill(0);
  for (let p = 17; p <= 22; p++) stroke[p] = 16;
  expect(await padValues(page)).toEqual(stroke);
  await pad.getByRole('button', { name: 'Clear' }).click();

  // The keyboard: arrows move the cursor (from the last cell touched, 17), Space paints and erases.
  const grid = page.getByTestId('digits-pad-grid');
  await grid.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await page.keyboard.press('Space');
  const keyed = new Array(64).fill(0);
  keyed[0] = 16;
  keyed[1] = 16;
  expect(await padValues(page)).toEqual(keyed);
  await expect(page.locator('#digits-pad-cursor')).toHaveText('Cursor at row 2, column 2: empty.');
  await expect(page.getByTestId('digits-pad-predicted')).toHaveText(String(engineAnswer(keyed).predicted));
  expect(errors).toEqual([]);
});

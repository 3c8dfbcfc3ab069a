/**
 * The canvas from the keyboard alone: Tab to a unit, Enter edits it in the inspector, the arrows
 * move the selected unit as one undoable edit each (the document takes the move: it survives a
 * reload of the view), Delete removes it, and the shortcut sheet lists those keys.
 */
import { appUrl, expect, test, type Page } from './fixtures';

const positionOf = async (page: Page, id: string) => {
  const transform = await page.locator(`.react-flow__node[data-id="${id}"]`).evaluate((el) => (el as HTMLElement).style.transform);
  const [, x, y] = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec(transform)!;
  return { x: Number(x), y: Number(y) };
};

test('Tab to a unit, Enter edits it, the arrows move it (undoable), Delete removes it; the sheet lists the keys', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await expect(page.getByTestId('compile-status')).toContainText('compiles');

  // Focus the canvas's first unit with Tab, as a keyboard user gets there.
  const first = page.locator('.react-flow__node').first();
  const id = (await first.getAttribute('data-id'))!;
  await first.focus();
  for (let k = 0; k < 40 && !(await first.evaluate((el) => el === document.activeElement)); k++) await page.keyboard.press('Tab');
  await expect(first).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="inspector"] input, [data-testid="inspector"] select').first()).toBeFocused();

  // Back to the unit, select it, and move it with the arrows: the document takes each move.
  await first.focus();
  await page.keyboard.press(' ');
  const before = await positionOf(page, id);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => positionOf(page, id)).not.toEqual(before);
  const moved = await positionOf(page, id);
  expect(moved.x).toBeGreaterThan(before.x);
  expect(moved.y).toBeGreaterThan(before.y);
  await expect(page.getByTestId('undo')).toHaveAttribute('title', /Undo Move/);
  // The move is the document's: Fit re-derives the canvas from it, and the unit stays where it went.
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await expect.poll(() => positionOf(page, id)).toEqual(before);
  await page.getByTestId('redo').click();
  await expect.poll(() => positionOf(page, id)).not.toEqual(before);

  // Delete removes the focused, selected unit.
  await first.focus();
  await page.keyboard.press(' ');
  await page.keyboard.press('Delete');
  await expect(page.locator(`.react-flow__node[data-id="${id}"]`)).toHaveCount(0);

  // The sheet (?) lists the canvas's keys.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toContainText('Move the selected units');
  await expect(page.getByRole('dialog')).toContainText('Edit it in the inspector');
});

test('a drag with the mouse is one Move: one Undo puts the unit back', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await expect(page.getByTestId('compile-status')).toContainText('compiles');
  const node = page.locator('.react-flow__node').last();
  const id = (await node.getAttribute('data-id'))!;
  const before = await positionOf(page, id);
  const box = (await node.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 8);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + 48, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => positionOf(page, id)).not.toEqual(before);
  await page.getByTestId('undo').click();
  await expect.poll(() => positionOf(page, id)).toEqual(before);
});

/**
 * A student's gestures on the canvas, shared by the journeys: dragging a palette entry onto the
 * canvas, and wiring two units by dragging from one's output handle to the other's input.
 */
import { expect, type Page } from './fixtures';

/** Drags the palette's `entry` onto the canvas at (x, y) in the canvas's own coordinates. */
export async function dropFromPalette(page: Page, entry: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${entry}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

/** Wires `from` to `to` with the mouse, and waits until the edge is drawn (the problem list under the canvas changes height as it goes). */
export async function wire(page: Page, from: string, to: string): Promise<void> {
  const source = (await page.getByTestId(`out-${from}`).boundingBox())!;
  const target = (await page.getByTestId(`in-${to}`).boundingBox())!;
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page.locator(`.react-flow__edge[data-id="${from}->${to}"]`)).toHaveCount(1);
}

/**
 * The canvas's minimap shows where there is room for it, and gives way on a small canvas, where it
 * would cover the units it maps.
 */
import { appUrl, expect, test } from './fixtures';

for (const [width, height, shown] of [
  [1280, 800, false],
  [1920, 1080, true],
] as const) {
  test(`at ${width}×${height} the minimap is ${shown ? 'shown' : 'hidden'}, and no unit lies under it`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto(appUrl());
    await page.getByTestId('example-select').selectOption('iris');
    await expect(page.getByTestId('compile-status')).toContainText('compiles');
    const minimap = page.locator('.react-flow__minimap');
    if (shown) await expect(minimap).toBeVisible();
    else await expect(minimap).toBeHidden();
    const box = await minimap.boundingBox();
    if (!box) return;
    // Where it is shown, the units of the example do not lie under it.
    for (const unit of await page.locator('.react-flow__node').all()) {
      const u = (await unit.boundingBox())!;
      const overlaps = u.x < box.x + box.width && u.x + u.width > box.x && u.y < box.y + box.height && u.y + u.height > box.y;
      expect(overlaps, `${await unit.getAttribute('data-id')} under the minimap`).toBe(false);
    }
  });
}

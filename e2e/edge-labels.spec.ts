/**
 * Labels on crossing edges do not pile up: in the lecture's 2-2-1 XOR network x1 → h2 and x2 → h1
 * cross halfway, where both labels would sit; on the inspector's update step (every edge carries
 * ∂J/∂w and Δw) and with the plain weights, no two shown labels overlap; a shrunk one shows its
 * value on hover (a label first moves along its edge to a free place).
 */
import { appUrl, expect, test, type Page } from './fixtures';

async function shownLabelBoxes(page: Page) {
  const boxes = [];
  for (const label of await page.locator('.edge-label:not(.collapsed)').all()) boxes.push((await label.boundingBox())!);
  return boxes;
}

async function expectNoOverlap(page: Page) {
  const boxes = await shownLabelBoxes(page);
  expect(boxes.length).toBeGreaterThan(0);
  for (let a = 0; a < boxes.length; a++)
    for (let b = a + 1; b < boxes.length; b++) {
      const [p, q] = [boxes[a], boxes[b]];
      const overlap = p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
      expect(overlap, `labels ${a} and ${b} overlap`).toBe(false);
    }
}

for (const [width, height] of [
  [1280, 800],
  [1920, 1080],
] as const) {
  test(`at ${width}×${height}, the inspector's gradient labels never overlap; a shrunk one shows on hover`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width, height });
    await page.goto(appUrl());
    await page.getByTestId('example-select').selectOption('xor-sigmoid');
    await expect(page.getByTestId('compile-status')).toContainText('compiles');
    await page.waitForTimeout(200);
    await expectNoOverlap(page);
    await page.getByTestId('inspect').click();
    await page.getByTestId('phase-update').click();
    await expect(page.locator('[data-testid^="gradient-"]').first()).toBeVisible();
    await page.waitForTimeout(200); // one frame for the labels to settle
    await expectNoOverlap(page);
    await page.screenshot({ path: testInfo.outputPath(`labels-${width}.png`) });
    // A label with no free place along its edge is a dot that shows its value on hover.
    if ((await page.locator('.edge-label.collapsed').count()) > 0) {
      const shrunk = page.locator('.edge-label.collapsed').first();
      await shrunk.hover();
      await expect(shrunk.locator('[data-testid^="gradient-"]')).toBeVisible();
    }
  });
}

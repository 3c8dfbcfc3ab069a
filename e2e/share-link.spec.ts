/**
 * Share by link, as two people would use it: one trains the lecture's XOR a little and copies a
 * link from the File menu; the other opens it in a browser of their own (a new context: nothing
 * shared but the address) and sees the same network with the same weights, as an unsaved copy. A
 * crafted link (valid compression of a project with a bad field) and one cut short say what is
 * wrong and open nothing; a link copied in a lesson (from the command palette) opens the lesson at
 * the student's step; and a link opened at start-up waits for the offer to restore unsaved work.
 * Links are built only from the page's own address (page.url()), so the journey runs against the
 * static web edition as well as the browser host.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Browser, BrowserContext } from '@playwright/test';
import { appUrl, edition, expect, test, type Page } from './fixtures';
// The modules themselves, not the engine's index: what the journey needs and nothing more.
import { findExample } from '../engine/src/project/examples';
import { parseProject, serialiseProject } from '../engine/src/project/format';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** The page's address without its fragment: what a link is made from. */
const base = (page: Page) => page.url().replace(/#.*$/, '');
/** A link holding `text` as its project, compressed as a link's data is (zlib, base64url), built here without the app. */
const linkTo = (page: Page, text: string) => `${base(page)}#nnproj=v1.${deflateSync(Buffer.from(text, 'utf8')).toString('base64url')}`;

/** Another person's browser: a context of its own, sharing nothing with the first but the address. */
async function anotherBrowser(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  return { context, page: await context.newPage() };
}

/** Each weight as the canvas shows it: the label's digits, and the full value its tooltip gives. */
async function weightsShown(page: Page, edges: readonly string[]): Promise<string[]> {
  const shown: string[] = [];
  for (const id of edges) {
    const label = page.getByTestId(`weight-${id}`);
    shown.push(`${id}: ${await label.textContent()} (${await label.getAttribute('title')})`);
  }
  return shown;
}

/** What the clipboard holds now. */
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/**
 * The lesson starts from its first step: the browser host is shared by every journey and keeps
 * progress in its data folder, where an earlier journey may have left this lesson at its last
 * step. (The web edition's progress is in the context's IndexedDB, new for each journey.)
 */
function forgetProgress(lessonId: string): void {
  const file = join(process.env.NNSTUDIO_DATA ?? '', 'lessons.json');
  if (edition() === 'web' || !existsSync(file)) return;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { lessons: Record<string, unknown> };
  delete saved.lessons[lessonId];
  writeFileSync(file, JSON.stringify(saved));
}

const notice = (page: Page) => page.locator('.notice-banner');
const errorBanner = (page: Page) => page.locator('.error-banner');

test('copy a trained XOR as a link; another browser opens the same network and weights, unsaved', async ({ page, browser }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const xor = findExample('xor-sigmoid')!.create();
  const edges = xor.graph.edges.map((e) => e.id);

  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await expect(page.getByTestId('compile-status')).toHaveText('✓ compiles — 2 → 2 → 1, 9 parameters');
  const untrained = await weightsShown(page, edges);
  // Three epochs, one at a time.
  for (let epoch = 1; epoch <= 3; epoch++) {
    await page.keyboard.press('Control+F10');
    await expect(page.getByTestId('epoch')).toHaveText(String(epoch));
  }
  await expect.poll(() => weightsShown(page, edges)).not.toEqual(untrained);
  const trained = await weightsShown(page, edges);
  for (const line of trained) expect(line).toMatch(/^\S+: −?\d.*\(w = -?[\d.e+-]+ — double-click to edit\)$/);

  // File › Copy Link, with the mouse.
  const bar = page.getByRole('menubar', { name: 'Menu' });
  await bar.getByRole('menuitem', { name: 'File', exact: true }).click();
  await page
    .getByRole('menu', { name: 'File' })
    .getByRole('menuitem', { name: /Copy Link/ })
    .click();
  await expect(notice(page)).toContainText('Copied a link to “XOR 2-2-1” (');
  await expect(notice(page)).toContainText('nothing was uploaded');
  const link = await clipboard(page);
  expect(link.startsWith(`${base(page)}#nnproj=v1.`)).toBe(true);
  // The notice gives the link's length; the lecture's XOR fits the strictest chat limit (2,000).
  const said = /\(([\d,]+) characters\)/.exec((await notice(page).textContent()) ?? '');
  expect(Number(said?.[1].replace(/,/g, ''))).toBe(link.length);
  expect(link.length).toBeLessThan(2000);
  await page.screenshot({ path: testInfo.outputPath('copied.png') });

  // Someone else's browser opens it.
  const other = await anotherBrowser(browser);
  other.page.on('pageerror', (error) => errors.push(error.message));
  await other.page.goto(link);
  await expect(other.page.getByTestId('compile-status')).toHaveText('✓ compiles — 2 → 2 → 1, 9 parameters');
  await expect(notice(other.page)).toHaveText(/^Opened “XOR 2-2-1” from a link, as an unsaved copy: save it to keep it\./);
  await expect.poll(() => weightsShown(other.page, edges)).toEqual(trained);
  // An unsaved copy of the weights: the window says so, and the training history stayed behind.
  await expect(other.page).toHaveTitle('XOR 2-2-1 • — NN Studio');
  await expect(other.page.getByTestId('epoch')).toHaveText('0');
  // The link is out of the address bar, so a reload does not open it again over later work.
  expect(other.page.url()).toBe(base(other.page));
  // New asks before the copy is lost.
  await other.page.keyboard.press('Control+n');
  await expect(other.page.getByRole('alertdialog', { name: 'Unsaved changes' })).toContainText('Save the changes to XOR 2-2-1?');
  await other.page.getByTestId('prompt-cancel').click();
  await expect.poll(() => weightsShown(other.page, edges)).toEqual(trained);
  await other.page.screenshot({ path: testInfo.outputPath('opened.png') });
  await other.context.close();
  expect(errors).toEqual([]);
});

test('a crafted link and a link cut short say what is wrong, and the app stays on its start screen', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());
  await expect(page.getByTestId('start-learn')).toBeVisible();

  // Valid compression of a project with a bad field: the loader's own sentence.
  const document = JSON.parse(serialiseProject(findExample('xor-sigmoid')!.create()));
  document.graph.edges[1].weight = 'heavy';
  const crafted = JSON.stringify(document);
  const loader = parseProject(crafted);
  expect(loader.ok).toBe(false);
  if (loader.ok) return;
  const craftedLink = linkTo(page, crafted);
  await page.goto(craftedLink);
  await expect(errorBanner(page)).toContainText(`This link’s project cannot be opened: ${loader.error.message}`);
  await expect(page.getByTestId('start-learn')).toBeVisible();
  await expect(page.getByTestId('canvas')).toHaveCount(0);
  expect(page.url()).toBe(base(page));
  await errorBanner(page).getByRole('button', { name: 'Dismiss' }).click();

  // A good link, cut short as a chat client might: damaged, never half-opened.
  const whole = linkTo(page, serialiseProject(findExample('or-perceptron')!.create()));
  await page.goto(whole.slice(0, Math.floor(whole.length * 0.7)));
  await expect(errorBanner(page)).toContainText('This link is damaged or cut short');
  await expect(page.getByTestId('start-learn')).toBeVisible();
  await expect(page.getByTestId('canvas')).toHaveCount(0);
  await errorBanner(page).getByRole('button', { name: 'Dismiss' }).click();

  // The whole link opens (here by the address changing under the open page).
  await page.goto(whole);
  await expect(notice(page)).toContainText('Opened “OR perceptron” from a link');
  await expect(page.getByTestId('canvas')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a link copied in a lesson opens the lesson at the student’s step, with the student’s network', async ({ page, browser }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  forgetProgress('backprop-321');
  await page.goto(appUrl());
  await expect(page.getByTestId('start-learn')).toBeVisible();
  await page.keyboard.press('F2');
  await page.getByTestId('lesson-backprop-321').click();
  await page.getByTestId('lesson-begin').click();
  await expect(page.getByTestId('lesson-step')).toHaveText('Step 1 of 3: Forward: s and z');
  await page.getByTestId('lesson-next-arrow').click();
  await expect(page.getByTestId('lesson-step')).toHaveText('Step 2 of 3: Backward: δ');
  // The student's own change to the network.
  await page.getByTestId('weight-y1->z1').dblclick();
  await expect(page.getByRole('textbox', { name: 'Weight on the canvas' })).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('0.75');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('weight-y1->z1')).toHaveText('0.75');

  // Copy Link from the command palette.
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type('copy link');
  await expect(page.getByTestId('command-palette').getByRole('option').first()).toContainText('Copy Link');
  await page.keyboard.press('Enter');
  await expect(notice(page)).toContainText('at step 2 of the lesson “7. Backpropagation on the 3-2-1 example”');
  const link = await clipboard(page);
  // Back to the first step here: the step that opens must be the link's, not a progress both browsers might share.
  await page.getByTestId('lesson-prev').click();
  await expect(page.getByTestId('lesson-step')).toHaveText('Step 1 of 3: Forward: s and z');

  const other = await anotherBrowser(browser);
  other.page.on('pageerror', (error) => errors.push(error.message));
  await other.page.goto(link);
  await expect(other.page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'backprop-321');
  await expect(other.page.getByTestId('lesson-step')).toHaveText('Step 2 of 3: Backward: δ');
  await expect(other.page.getByTestId('weight-y1->z1')).toHaveText('0.75');
  await expect(other.page.getByTestId('weight-y2->z1')).toHaveText('−0.4');
  await expect(notice(other.page)).toContainText('from a link in the lesson “7. Backpropagation on the 3-2-1 example”, at step 2');
  await expect(other.page).toHaveTitle(/ • — NN Studio$/);
  await other.context.close();
  expect(errors).toEqual([]);
});

test('a link opened at start-up waits for the offer to restore unsaved work, then asks about it like any open', async ({
  page,
  context,
}) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  // Once the example is on the canvas (a key pressed before that would find nothing to step).
  await expect(page.getByTestId('compile-status')).toHaveAttribute('data-state', /.+/);
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await expect(page.getByTestId('epoch')).toHaveText('1');
  await expect(page).toHaveTitle('XOR 2-2-1 • — NN Studio');
  // Unsaved work is backed up every 3 seconds while the document is dirty.
  await page.waitForTimeout(4500);

  // The tab is closed without its work saved (the web edition offers a backup only once no open
  // tab owns it); a new tab of the same browser, opened on a link: the backup's question comes first…
  const link = linkTo(page, serialiseProject(findExample('and-perceptron')!.create()));
  await page.close();
  const second = await context.newPage();
  await second.goto(link);
  await expect(second.getByRole('alertdialog', { name: 'Restore unsaved work' })).toContainText('XOR 2-2-1');
  await expect(second.getByTestId('canvas')).toHaveCount(0);
  await second.getByTestId('restore-accept').click();
  // …then the link's, about the work just restored.
  await expect(second.getByRole('alertdialog', { name: 'Unsaved changes' })).toContainText(
    'You are about to open the project from the link.',
  );
  await second.getByTestId('prompt-discard').click();
  await expect(notice(second)).toContainText('Opened “AND perceptron” from a link');
  await expect(second).toHaveTitle('AND perceptron • — NN Studio');
});

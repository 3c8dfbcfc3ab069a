/**
 * The static web edition offline and updating, in Chromium against dist/web as a plain static
 * server serves it (NNSTUDIO_WEB_URL; skipped when it is not set): once loaded, the app starts
 * with the network off and the parts it loads on demand (the Learn panel, the exporters) come
 * from the service worker's cache; the first load leaves them out; and a new deploy is announced
 * by a banner whose Reload puts the page under the new worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page, type Response } from '@playwright/test';

const webUrl = process.env.NNSTUDIO_WEB_URL;
const root = fileURLToPath(new URL('..', import.meta.url));

test.skip(
  !webUrl,
  'NNSTUDIO_WEB_URL is not set: build the web edition (node scripts/build-web.mjs), serve it (node scripts/serve-static.mjs --port 0 --dir dist/web) and set NNSTUDIO_WEB_URL to its address.',
);

/** Waits until the service worker has stored the app and answers this page's requests. */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

/** The responses of on-demand chunks whose file name starts with `name` (LearnPanel-, export-project-). */
function chunks(page: Page, name: string): Response[] {
  const seen: Response[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.split('/').pop()!.startsWith(`${name}-`)) seen.push(response);
  });
  return seen;
}

test('once loaded, the web edition starts offline, and the Learn panel and the ONNX export load from the cache', async ({
  page,
  context,
}) => {
  await page.goto(webUrl!);
  await expect(page.getByTestId('start-learn')).toBeVisible();
  await controlled(page);

  await context.setOffline(true);
  const learn = chunks(page, 'LearnPanel');
  const exporters = chunks(page, 'export-project');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'NN Studio' })).toBeVisible();
  await expect(page.getByTestId('start-learn')).toBeVisible();
  // Really offline: what the worker does not hold cannot be fetched.
  expect(
    await page.evaluate(() =>
      fetch('./bundle-report.json').then(
        () => 'fetched',
        () => 'failed',
      ),
    ),
  ).toBe('failed');
  // The lessons were not part of the start.
  expect(learn).toHaveLength(0);

  await page.getByTestId('start-learn').click();
  await expect(page.getByTestId('course')).toBeVisible();
  await expect(page.getByTestId('lesson-logistic-regression')).toContainText('Logistic regression');
  expect(learn.length).toBeGreaterThan(0);
  expect(learn.every((response) => response.fromServiceWorker())).toBe(true);

  await page.getByTestId('learn-close').click();
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await expect(page.getByTestId('compile-status')).toContainText('2 → 2 → 1');
  await page.keyboard.press('Control+e');
  await page.getByTestId('export-onnx').check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
  expect(download.suggestedFilename()).toBe('XOR 2-2-1.onnx');
  const onnx = readFileSync((await download.path())!);
  // A ModelProto: field 1 (ir_version) first, then the producer's name.
  expect([onnx[0], onnx[1]]).toEqual([0x08, 0x08]);
  expect(onnx.toString('latin1')).toContain('NN Studio');
  expect(exporters.length).toBeGreaterThan(0);
  expect(exporters.every((response) => response.fromServiceWorker())).toBe(true);
});

test('the first load leaves the lessons and the exporters out, within the bundle budget', async ({ request }) => {
  const report = (await (await request.get(new URL('bundle-report.json', webUrl!).href)).json()) as {
    budget: { firstLoadJsGzip: number };
    files: { path: string; firstLoad: boolean; kind: string }[];
    totals: { firstLoad: { js: { gzip: number } } };
    precache: string[];
  };
  expect(report.totals.firstLoad.js.gzip).toBeLessThanOrEqual(report.budget.firstLoadJsGzip);
  const named = (prefix: string) => report.files.filter((f) => f.path.startsWith(`assets/${prefix}-`) && f.kind === 'js');
  for (const prefix of ['LearnPanel', 'export-project', 'elk.bundled']) {
    expect(named(prefix).length, prefix).toBeGreaterThan(0);
    expect(named(prefix).every((f) => !f.firstLoad && report.precache.includes(f.path))).toBe(true);
  }
  // Nothing of them slipped into the first load: a lesson's text, the ONNX encoder's names.
  const lessonSummary = 'a single sigmoid neuron is logistic regression';
  for (const file of report.files.filter((f) => f.firstLoad && f.kind === 'js')) {
    const code = await (await request.get(new URL(file.path, webUrl!).href)).text();
    expect(code, file.path).not.toContain(lessonSummary);
    expect(code, file.path).not.toContain('nnstudio.normalisation');
  }
});

test.describe('a new deploy', () => {
  let folder: string;
  let server: ChildProcess | undefined;

  test.afterEach(() => {
    server?.kill('SIGTERM');
    server = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  /** Serves a copy of dist/web (the build NNSTUDIO_WEB_URL serves) from a folder of its own, which the test then deploys to. */
  async function serveCopy(): Promise<string> {
    folder = mkdtempSync(join(tmpdir(), 'nnstudio-web-deploy-'));
    const served = join(root, 'dist/web');
    cpSync(served, folder, { recursive: true });
    server = spawn(process.execPath, [join(root, 'scripts/serve-static.mjs'), '--port', '0', '--dir', folder], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise<string>((resolve, reject) => {
      let output = '';
      server!.stdout!.on('data', (chunk) => {
        output += String(chunk);
        const match = /served at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (match) resolve(match[1]);
      });
      server!.once('exit', (code) => reject(new Error(`The static server exited (${code}): ${output}`)));
    });
  }

  test('is announced by a banner, and Reload puts the page under the new version', async ({ page }) => {
    const url = await serveCopy();
    await page.goto(url);
    await controlled(page);
    const version = /const VERSION = "([^"]+)";/.exec(readFileSync(join(folder, 'sw.js'), 'utf8'))![1];
    expect(await page.evaluate(() => caches.keys())).toEqual([`nnstudio-${version}`]);
    await expect(page.getByTestId('update-banner')).toHaveCount(0);

    // The deploy: a new worker (what a rebuild with any change writes), found by the page's next check.
    const next = `${version}-next`;
    const worker = readFileSync(join(folder, 'sw.js'), 'utf8');
    writeFileSync(join(folder, 'sw.js'), worker.replace(`const VERSION = "${version}";`, `const VERSION = "${next}";`));
    await page.evaluate(() => {
      (window as unknown as { before: boolean }).before = true;
      return navigator.serviceWorker.getRegistration().then((r) => r?.update());
    });

    const banner = page.getByTestId('update-banner');
    await expect(banner).toContainText('A new version of NN Studio is ready.');
    // The old version runs until the user says so.
    expect(await page.evaluate(() => caches.keys())).toContain(`nnstudio-${version}`);

    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await expect(page.getByTestId('start-learn')).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { before?: boolean }).before)).toBeUndefined(); // reloaded
    await controlled(page);
    // Under the new worker, which dropped the old version's files on taking over.
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`nnstudio-${next}`]);
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
  });

  test('with unsaved changes, Reload asks first: Cancel keeps the page, Don’t Save switches without the browser asking again', async ({
    page,
  }) => {
    const url = await serveCopy();
    await page.goto(url);
    await controlled(page);
    await page.getByTestId('example-select').selectOption('xor-sigmoid');
    await page.getByLabel('Mode').selectOption('batch');
    await expect(page).toHaveTitle(/ •/); // unsaved
    const worker = readFileSync(join(folder, 'sw.js'), 'utf8');
    writeFileSync(join(folder, 'sw.js'), worker.replace(/const VERSION = "([^"]+)";/, 'const VERSION = "$1-next";'));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));

    await page.getByTestId('update-reload').click();
    await expect(page.getByRole('alertdialog', { name: 'Unsaved changes' })).toContainText('reload NN Studio with its new version');
    await page.getByTestId('prompt-cancel').click();
    await expect(page.getByTestId('update-banner')).toBeVisible();
    await expect(page.getByLabel('Mode')).toHaveValue('batch');

    // The app has asked: the browser must not ask again (its leave question) as the page reloads.
    const questions: string[] = [];
    page.on('dialog', (dialog) => {
      questions.push(dialog.type());
      void dialog.accept();
    });
    await page.getByTestId('update-reload').click();
    await Promise.all([page.waitForEvent('load'), page.getByTestId('prompt-discard').click()]);
    await expect(page.getByTestId('start-learn')).toBeVisible();
    expect(questions).toEqual([]);
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([expect.stringMatching(/-next$/)]);
  });

  test('a dismissed banner stays away, and the page goes on under the old version', async ({ page }) => {
    const url = await serveCopy();
    await page.goto(url);
    await controlled(page);
    const worker = readFileSync(join(folder, 'sw.js'), 'utf8');
    writeFileSync(join(folder, 'sw.js'), worker.replace(/const VERSION = "([^"]+)";/, 'const VERSION = "$1-next";'));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    await expect(page.getByTestId('update-banner')).toBeVisible();
    await page.getByTestId('update-banner').getByRole('button', { name: 'Dismiss' }).click();
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
    // The next check finds the same version waiting: not announced again.
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    await page.getByTestId('start-learn').click();
    await expect(page.getByTestId('course')).toBeVisible();
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
  });
});

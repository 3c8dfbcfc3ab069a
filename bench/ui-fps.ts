/**
 * The canvas's frame rate while training runs: the real renderer in Debian's Chromium against
 * the browser host, the spiral and the digits examples training at full speed, frames counted with
 * requestAnimationFrame. `npm run bench:ui` (a measurement, not a test: nothing here asserts).
 *
 * Reports frames a second, the longest frame, and how many frames took over 1/30 s, with and
 * without training, so a regression on the render path shows as the difference.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env.FPS_SECONDS ?? 5);

async function startHost(): Promise<{ url: string; stop: () => void }> {
  const workspace = mkdtempSync(join(tmpdir(), 'nnstudio-fps-'));
  const host = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'src-main/browser-host/cli.ts'),
      '--port',
      '0',
      '--workspace',
      workspace,
      '--data',
      join(workspace, '.data'),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    host.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    host.once('exit', (code) => reject(new Error(`The browser host exited (${code}): ${output}`)));
  });
  return { url, stop: () => (host.kill('SIGTERM'), rmSync(workspace, { recursive: true, force: true })) };
}

/** Starts counting frames in the page (requestAnimationFrame); {@link stopFrames} reports them. */
async function startFrames(page: Page): Promise<void> {
  // A string, not a function: tsx's transform would add helpers the page does not have.
  await page.evaluate(`(() => {
    const record = { times: [], on: true };
    window.__frames = record;
    const frame = (t) => {
      record.times.push(t);
      if (record.on) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })()`);
}

/** Frames since {@link startFrames}: frames per second, the longest frame and frames over 33 ms. */
async function stopFrames(page: Page) {
  return page.evaluate(`(() => {
    const record = window.__frames;
    record.on = false;
    const times = record.times;
    const gaps = times.slice(1).map((v, i) => v - times[i]);
    let longest = 0;
    for (const g of gaps) longest = Math.max(longest, g);
    return { fps: (times.length - 1) / ((times.at(-1) - times[0]) / 1000), longest, slow: gaps.filter((g) => g > 1000 / 30).length };
  })()`) as Promise<{ fps: number; longest: number; slow: number }>;
}

/** Frames over `seconds`. */
async function measure(page: Page, seconds: number) {
  await startFrames(page);
  await page.waitForTimeout(seconds * 1000);
  return stopFrames(page);
}

const row = (name: string, m: { fps: number; longest: number; slow: number }) =>
  `${name.padEnd(10)} ${m.fps.toFixed(1).padStart(6)} fps   longest frame ${m.longest.toFixed(1).padStart(6)} ms   frames over 33 ms: ${m.slow}`;

/** The spiral example (337 parameters, decision regions and unit maps redrawn) training at full speed. */
async function spiral(page: Page): Promise<void> {
  await page.getByTestId('example-select').selectOption('spiral');
  await page.getByRole('textbox', { name: 'Max epochs' }).fill('1000000');
  await page.keyboard.press('Enter');
  const idle = await measure(page, SECONDS);
  await page.getByTestId('train-button').click();
  await page.waitForTimeout(500);
  const training = await measure(page, SECONDS);
  const epochs = await page.getByTestId('epoch').textContent();
  console.log(`Spiral (337 parameters), ${SECONDS} s each, ${epochs} epochs trained by the end:`);
  console.log(row('idle', idle));
  console.log(row('training', training));
}

/**
 * The digits example (64-32-10, 2,410 parameters, the digits pad and its 32 unit maps redrawn):
 * its own 20 epochs from Train to the stop, with the test accuracy the app then shows; then
 * training on at full speed.
 */
async function digits(page: Page): Promise<void> {
  await page.getByTestId('example-select').selectOption('digits');
  await page.getByTestId('compile-status').filter({ hasText: '✓ compiles' }).waitFor();
  await page.getByRole('region', { name: 'Digits pad' }).waitFor();
  await page.waitForTimeout(500);
  await startFrames(page);
  const started = Date.now();
  await page.getByTestId('train-button').click();
  await page.getByText('training: stopped').waitFor({ timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  const untilStop = await stopFrames(page);
  await page.waitForTimeout(1000);
  const accuracy = (await page.getByTestId('accuracy-test').textContent()) ?? '?';
  await page.getByRole('textbox', { name: 'Max epochs' }).fill('1000000');
  await page.keyboard.press('Enter');
  await page.getByTestId('train-button').click();
  await page.waitForTimeout(500);
  const training = await measure(page, SECONDS);
  const epochs = await page.getByTestId('epoch').textContent();
  console.log(
    `Digits (2,410 parameters): its 20 epochs in ${seconds.toFixed(1)} s from Train to stopped, test accuracy shown ${accuracy};`,
  );
  console.log(`then ${SECONDS} s training on, ${epochs} epochs by the end:`);
  console.log(row('20 epochs', untilStop));
  console.log(row('training', training));
}

async function main() {
  if (spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit', cwd: root }).status !== 0)
    throw new Error('The build failed.');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    // A host of its own per scenario: the first one's unsaved work would otherwise be offered back to the next.
    for (const scenario of [spiral, digits]) {
      const host = await startHost();
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.goto(host.url);
        await scenario(page);
        await page.close();
      } finally {
        host.stop();
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

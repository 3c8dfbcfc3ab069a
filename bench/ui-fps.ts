/**
 * The canvas's frame rate while training runs: the real renderer in Debian's Chromium against
 * the browser host, the spiral example training at full speed, frames counted with
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

/** Frames over `seconds`: count, frames per second, the longest frame and frames over 33 ms. */
async function measure(page: Page, seconds: number) {
  // A string, not a function: tsx's transform would add helpers the page does not have.
  return page.evaluate(`new Promise((resolve) => {
    const times = [];
    const start = performance.now();
    const frame = (t) => {
      times.push(t);
      if (t - start < ${seconds * 1000}) return requestAnimationFrame(frame);
      const gaps = times.slice(1).map((v, i) => v - times[i]);
      resolve({ fps: (times.length - 1) / ((times.at(-1) - times[0]) / 1000), longest: Math.max(...gaps), slow: gaps.filter((g) => g > 1000 / 30).length });
    };
    requestAnimationFrame(frame);
  })`) as Promise<{ fps: number; longest: number; slow: number }>;
}

async function main() {
  if (spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit', cwd: root }).status !== 0)
    throw new Error('The build failed.');
  const host = await startHost();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.url);
    await page.getByTestId('example-select').selectOption('spiral');
    await page.getByRole('textbox', { name: 'Max epochs' }).fill('1000000');
    await page.keyboard.press('Enter');
    const idle = await measure(page, SECONDS);
    await page.getByTestId('train-button').click();
    await page.waitForTimeout(500);
    const training = await measure(page, SECONDS);
    const epochs = await page.getByTestId('epoch').textContent();
    const row = (name: string, m: { fps: number; longest: number; slow: number }) =>
      `${name.padEnd(10)} ${m.fps.toFixed(1).padStart(6)} fps   longest frame ${m.longest.toFixed(1).padStart(6)} ms   frames over 33 ms: ${m.slow}`;
    console.log(`Spiral (337 parameters), ${SECONDS} s each, ${epochs} epochs trained by the end:`);
    console.log(row('idle', idle));
    console.log(row('training', training));
  } finally {
    await browser.close();
    host.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

#!/usr/bin/env node
// Renders the app icon (src-renderer/public/icon.svg) to the PNGs packaging needs, in Debian's
// Chromium: build/icon.png (1024×1024) and build/nnproj.png for the file type.
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const svg = readFileSync(`${root}src-renderer/public/icon.svg`, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
for (const name of ['icon', 'nnproj']) {
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', '<svg width="1024" height="1024" ')}</body></html>`,
  );
  await page.screenshot({ path: `${root}build/${name}.png`, omitBackground: true });
}
await browser.close();
console.log('Wrote build/icon.png and build/nnproj.png');

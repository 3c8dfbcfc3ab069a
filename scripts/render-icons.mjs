#!/usr/bin/env node
// Renders the app icon (src-renderer/public/icon.svg) to the PNGs packaging needs, in Debian's
// Chromium: build/icon.png (1024×1024) and build/nnproj.png for the file type, and the web
// edition's manifest icons build/icon-192.png and build/icon-512.png (src-web/pwa/vite-plugin.ts
// copies them into dist/web; each size is rendered from the vector, not scaled down).
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const svg = readFileSync(`${root}src-renderer/public/icon.svg`, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const icons = [
  { name: 'icon', size: 1024 },
  { name: 'nnproj', size: 1024 },
  { name: 'icon-192', size: 192 },
  { name: 'icon-512', size: 512 },
];
for (const { name, size } of icons) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" style="display:block" `)}</body></html>`,
  );
  await page.screenshot({ path: `${root}build/${name}.png`, omitBackground: true });
  await page.close();
}
await browser.close();
console.log(`Wrote ${icons.map(({ name }) => `build/${name}.png`).join(', ')}`);

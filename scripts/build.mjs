#!/usr/bin/env node
// Builds everything the app runs from, without Electron's binary: the renderer with Vite
// (dist/renderer) and the main process, preload, training worker and its helper threads with esbuild (dist/main).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quiet = process.argv.includes('--quiet');

await viteBuild({ configFile: `${root}src-renderer/vite.config.ts`, logLevel: quiet ? 'warn' : 'info' });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: quiet ? 'warning' : 'info',
  external: ['electron'],
};
const esm = {
  ...common,
  format: 'esm',
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
};
await esbuild({ ...esm, entryPoints: [`${root}src-main/electron/main.ts`], outfile: `${root}dist/main/main.js` });
// .mjs: packaging unpacks the thread entries outside the archive, away from package.json's "type".
await esbuild({ ...esm, entryPoints: [`${root}src-main/training/worker.ts`], outfile: `${root}dist/main/worker.mjs` });
await esbuild({ ...esm, entryPoints: [`${root}src-main/training/product-helper.ts`], outfile: `${root}dist/main/product-helper.mjs` });
// A sandboxed preload must be a single CommonJS file.
await esbuild({ ...common, entryPoints: [`${root}src-main/electron/preload.ts`], outfile: `${root}dist/main/preload.cjs`, format: 'cjs' });
if (!quiet) console.log('Built dist/renderer and dist/main.');

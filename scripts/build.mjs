#!/usr/bin/env node
// Builds everything the app runs from, without Electron's binary: the renderer with Vite
// (dist/renderer) and the main process, preload and training worker with esbuild (dist/main).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quiet = process.argv.includes('--quiet');

await viteBuild({ configFile: `${root}src-renderer/vite.config.ts`, logLevel: quiet ? 'warn' : 'info' });

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: quiet ? 'warning' : 'info', external: ['electron'] };
await esbuild({ ...common, entryPoints: { main: `${root}src-main/electron/main.ts`, worker: `${root}src-main/training/worker.ts` }, outdir: `${root}dist/main`, format: 'esm', outExtension: { '.js': '.js' }, banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
// A sandboxed preload must be a single CommonJS file.
await esbuild({ ...common, entryPoints: [`${root}src-main/electron/preload.ts`], outfile: `${root}dist/main/preload.cjs`, format: 'cjs' });
if (!quiet) console.log('Built dist/renderer and dist/main.');

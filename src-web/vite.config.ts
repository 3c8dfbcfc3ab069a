import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { engineSideEffectFree, katexWoff2Only } from '../src-renderer/vite.config.ts';
import { pwa } from './pwa/vite-plugin.ts';

// The web edition: the same renderer with the in-page host (src-web/main.ts) in front of it,
// built to dist/web as plain static files with relative paths, so any static server (or a
// sub-folder of one) serves it.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: '../src-renderer/public',
  // pwa(): the manifest, the service worker and the bundle report with its budget (pwa/vite-plugin.ts).
  plugins: [react(), katexWoff2Only(), engineSideEffectFree(), pwa()],
  define: {
    __NNSTUDIO_VERSION__: JSON.stringify(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version),
  },
  worker: { format: 'es' },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1536,
    assetsInlineLimit: (file) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
  },
});

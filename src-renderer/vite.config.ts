import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer builds to dist/renderer with relative asset paths, so the same files load from
// app://nnstudio in the desktop app and from the browser host.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The app's bundle (the engine, React Flow, uPlot, zod) is about 650 kB and ELK's, loaded on the
    // first Layout, about 1.4 MB; both come from disk or loopback, so the default warning is noise.
    chunkSizeWarningLimit: 1536,
    // KaTeX's smallest fonts would be inlined as data: URLs, which the page's policy (font-src
    // falls back to default-src 'self') refuses: fonts are always files.
    assetsInlineLimit: (file) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
  },
});

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer builds to dist/renderer with relative asset paths, so the same files load from
// file:// in the desktop app and from the browser host.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One bundle of about 1 MB (the engine, React Flow, uPlot, zod) loads from disk or loopback:
    // splitting it would buy nothing, so the size warning would only be noise on every start.
    chunkSizeWarningLimit: 2048,
  },
});

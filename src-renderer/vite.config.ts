import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * KaTeX's stylesheet lists each font three times (woff2, woff, ttf) for old browsers; every
 * browser this app runs in (Electron's Chromium, current browsers) takes woff2, so the other two
 * would only ship about 900 kB of files nothing loads.
 */
function katexWoff2Only(): Plugin {
  return {
    name: 'katex-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/katex(\.min)?\.css$/.test(id)) return null;
      return code.replace(/,\s*url\([^)]+\.(?:woff|ttf)\)\s*format\("(?:woff|truetype)"\)/g, '');
    },
  };
}

// The renderer builds to dist/renderer with relative asset paths, so the same files load from
// app://nnstudio in the desktop app and from the browser host.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), katexWoff2Only()],
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

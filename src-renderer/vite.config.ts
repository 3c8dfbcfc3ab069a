import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * KaTeX's stylesheet lists each font three times (woff2, woff, ttf) for old browsers; every
 * browser this app runs in (Electron's Chromium, current browsers) takes woff2, so the other two
 * would only ship about 900 kB of files nothing loads.
 */
export function katexWoff2Only(): Plugin {
  return {
    name: 'katex-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/katex(\.min)?\.css$/.test(id)) return null;
      return code.replace(/,\s*url\([^)]+\.(?:woff|ttf)\)\s*format\("(?:woff|truetype)"\)/g, '');
    },
  };
}

/**
 * The engine's modules only define things at their top level (constants, frozen tables, zod
 * schemas: no registration, no I/O), so one none of whose exports are used need not run.
 * Saying so lets the bundler split off what the renderer loads with import() on first use (the
 * exporters, the lessons) even though the engine's index re-exports it: otherwise any engine
 * module with a call at its top level (`Object.freeze`, `z.object`) stays in the first-load
 * bundle, and with it every module it imports.
 */
export function engineSideEffectFree(): Plugin {
  // The repository's engine/src/ as the bundler spells module ids (forward slashes).
  const engine = `${import.meta.dirname.replace(/\\/g, '/').replace(/\/[^/]+$/, '')}/engine/src/`;
  return {
    name: 'engine-side-effect-free',
    transform(code, id) {
      // The code is unchanged (map: null keeps the source map as it was).
      return id.startsWith(engine) ? { code, map: null, moduleSideEffects: false } : null;
    },
    // The handwritten digits' rows load on demand in the page: its build takes the shim, which
    // fetches them with import() when first asked (engine/src/datasets/digits.ts says why). Only
    // the page's bundle: Vite builds the training worker with worker.plugins, without this one,
    // so the worker has the rows at once.
    // order 'pre': before Vite's own resolver, which would otherwise answer first.
    resolveId: {
      order: 'pre',
      handler(source, importer) {
        if (source !== './digits-data' || !importer?.replace(/\\/g, '/').startsWith(`${engine}datasets/digits.ts`)) return null;
        return `${import.meta.dirname.replace(/\\/g, '/')}/src/engine-shims/digits-data.ts`;
      },
    },
  };
}

// The renderer builds to dist/renderer with relative asset paths, so the same files load from
// app://nnstudio in the desktop app and from the browser host.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), katexWoff2Only(), engineSideEffectFree()],
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

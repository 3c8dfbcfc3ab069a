/**
 * The web edition's build step for going offline and staying small (registered in
 * src-web/vite.config.ts):
 * - the web app manifest (name, colours from the app's theme, the 192 and 512 px icons that
 *   `npm run icons` renders into build/), so the browser offers to install the app;
 * - `sw.js`, the service worker, written once every file is on disk: the exact list of the
 *   build's files to store for offline use and a version that is a hash of their names and
 *   contents, so each deploy that changes anything is a new worker (and an update prompt);
 * - the bundle report: every file's raw and gzip size, what the first load needs against what
 *   loads on demand, printed as a table and written to dist/web/bundle-report.json; the build
 *   fails when the first load's JavaScript grows past its budget.
 *
 * The worker, from the page's side, is register.ts. This file runs in Node, at build time only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

/**
 * The most JavaScript (gzip bytes) the first load may fetch before the app starts: the entry
 * chunk, the renderer it imports at once, and what they import statically. Measured when this
 * was set: 423.2 kB gzip (the renderer with React, React Flow, KaTeX, uPlot and zod; the in-page
 * host and its storage; the engine without its exporters and lessons, which load on demand:
 * before those moved out, the renderer's first load was 476 kB). The budget leaves 10% for the
 * app to grow; passing it means something heavy joined the first load — load it with import() where it
 * is used (as the Export dialog and the Learn panel do), or raise the budget here saying why.
 */
export const FIRST_LOAD_JS_BUDGET_GZIP = 465_000;

/** What the report groups files by. */
export type FileKind = 'js' | 'css' | 'font' | 'other';

/** One built file in the report. */
export interface BundleFile {
  /** Its path under dist/web, with forward slashes. */
  path: string;
  kind: FileKind;
  /** Fetched before the app starts (index.html, the entry chunk and what it imports statically, their CSS). */
  firstLoad: boolean;
  bytes: number;
  gzip: number;
}

/** Raw and gzip bytes of a group of files. */
export interface Size {
  bytes: number;
  gzip: number;
}

/** The report as bundle-report.json holds it. */
export interface BundleReport {
  /** The service worker's version (see {@link precacheVersion}). */
  version: string;
  budget: { firstLoadJsGzip: number };
  files: BundleFile[];
  totals: Record<'firstLoad' | 'onDemand', Record<FileKind | 'all', Size>>;
  /** What sw.js stores for offline use, relative to its scope. */
  precache: string[];
}

/** The kind of a file, from its name. */
export function kindOf(path: string): FileKind {
  if (/\.m?js$/.test(path)) return 'js';
  if (path.endsWith('.css')) return 'css';
  if (/\.(woff2?|ttf|otf)$/.test(path)) return 'font';
  return 'other';
}

/**
 * Whether sw.js stores a file for offline use: everything the app may fetch, not the source
 * maps (only developer tools read them, and they are most of the folder's size), the report and
 * the worker itself (the browser keeps that).
 */
export function isPrecached(path: string): boolean {
  return !path.endsWith('.map') && path !== 'sw.js' && path !== 'bundle-report.json';
}

/**
 * The worker's version: a hash of every stored file's path and contents, so a deploy that
 * changes any byte an offline user would run makes a new worker, and one that changes nothing
 * does not prompt anyone. `files` may come in any order.
 */
export function precacheVersion(files: readonly { path: string; content: Uint8Array }[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(file.path);
    hash.update('\0');
    hash.update(createHash('sha256').update(file.content).digest('hex'));
    hash.update('\n');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The service worker's source. On install it stores every file of this version in a cache of
 * its own; requests are answered from that cache first (the files' names carry their contents'
 * hash, index.html aside, which this very worker's version pins), and page loads with the cached
 * index.html whatever their query or fragment. On activation it deletes the caches of earlier
 * versions. It never takes over by itself (no skipWaiting on install): a newer version waits
 * until the page asks for it ('skip-waiting', register.ts's applyUpdate) and then reloads.
 */
export function serviceWorkerSource(version: string, files: readonly string[]): string {
  return `// NN Studio's service worker, written by the web build (src-web/pwa/vite-plugin.ts): do not edit.
const VERSION = ${JSON.stringify(version)};
const FILES = ${JSON.stringify(files, null, 2)};
const PREFIX = 'nnstudio-';
const CACHE = PREFIX + VERSION;
const scoped = (path) => new URL(path, self.registration.scope).href;
const INDEX = scoped('index.html');
const STORED = new Set(FILES.map(scoped));

self.addEventListener('install', (event) => {
  // 'reload': past the browser's HTTP cache, which may hold the previous deploy's index.html.
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((path) => new Request(scoped(path), { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      // The first visit's page, loaded before there was a worker, is served from here from now on.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') void self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(self.registration.scope)) return;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  const stored = STORED.has(url.href);
  // A page load of anything but one of the app's own files is the app.
  const key = request.mode === 'navigate' && !stored ? INDEX : stored ? url.href : null;
  if (key === null) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(key))
      .then((hit) => hit ?? fetch(request)),
  );
});
`;
}

/** Kilobytes as the table shows them. */
const kB = (bytes: number) => `${(bytes / 1000).toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} kB`;

function emptyTotals(): Record<FileKind | 'all', Size> {
  return {
    js: { bytes: 0, gzip: 0 },
    css: { bytes: 0, gzip: 0 },
    font: { bytes: 0, gzip: 0 },
    other: { bytes: 0, gzip: 0 },
    all: { bytes: 0, gzip: 0 },
  };
}

/** The report's totals: per kind and in all, for the first load and for what loads on demand. */
export function bundleTotals(files: readonly BundleFile[]): BundleReport['totals'] {
  const totals = { firstLoad: emptyTotals(), onDemand: emptyTotals() };
  for (const file of files) {
    const group = totals[file.firstLoad ? 'firstLoad' : 'onDemand'];
    for (const key of [file.kind, 'all'] as const) {
      group[key].bytes += file.bytes;
      group[key].gzip += file.gzip;
    }
  }
  return totals;
}

/**
 * The sentence that fails the build when the first load's JavaScript is over `budget` gzip
 * bytes, or null when it fits.
 */
export function budgetProblem(totals: BundleReport['totals'], budget: number): string | null {
  const js = totals.firstLoad.js.gzip;
  if (js <= budget) return null;
  return (
    `The web edition's first load fetches ${kB(js)} of JavaScript (gzip), over its budget of ${kB(budget)} ` +
    `(FIRST_LOAD_JS_BUDGET_GZIP in src-web/pwa/vite-plugin.ts): load what was added with import() where it is used, ` +
    `or raise the budget there and say why.`
  );
}

/** The table the build prints: every file, then the totals by kind. */
export function formatReport(report: BundleReport): string {
  const rows: string[][] = [['file', 'kind', 'loads', 'raw', 'gzip']];
  const order = [...report.files].sort((a, b) => Number(b.firstLoad) - Number(a.firstLoad) || b.bytes - a.bytes);
  for (const f of order) rows.push([f.path, f.kind, f.firstLoad ? 'first' : 'on demand', kB(f.bytes), kB(f.gzip)]);
  rows.push(['', '', '', '', '']);
  for (const [when, label] of [
    ['firstLoad', 'first load'],
    ['onDemand', 'on demand'],
  ] as const) {
    for (const kind of ['js', 'css', 'font', 'other', 'all'] as const) {
      const size = report.totals[when][kind];
      if (kind !== 'all' && size.bytes === 0) continue;
      rows.push([kind === 'all' ? `total ${label}` : `  ${label}: ${kind}`, '', '', kB(size.bytes), kB(size.gzip)]);
    }
  }
  const widths = rows[0].map((_, i) => rows.reduce((w, row) => Math.max(w, row[i].length), 0));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i >= 3 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const js = report.totals.firstLoad.js.gzip;
  return [
    ...rows.map(line),
    `First-load JavaScript: ${kB(js)} gzip of its ${kB(report.budget.firstLoadJsGzip)} budget; sw.js stores ${report.precache.length} files for offline use (version ${report.version}).`,
  ].join('\n');
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  return out.sort();
}

/** The width and height a PNG declares (its IHDR chunk), or null for anything else. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The light theme's colour `name` from theme.css (the first `:root` block), e.g. `--accent`. */
export function themeColour(css: string, name: string): string {
  const root = /:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
  const value = new RegExp(`${name}:\\s*(#[0-9a-fA-F]{3,8})\\s*;`).exec(root)?.[1];
  if (!value) throw new Error(`The app's theme (src-renderer/src/ui/theme.css) has no ${name} colour for the web app manifest.`);
  return value;
}

/** The web app manifest. */
export function webManifest(theme: { accent: string; background: string }): object {
  return {
    name: 'NN Studio',
    short_name: 'NN Studio',
    description: 'Learn and build neural networks by drawing them: wire neurons, train, and step through backpropagation.',
    id: './',
    start_url: './',
    scope: './',
    display: 'standalone',
    theme_color: theme.accent,
    background_color: theme.background,
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  };
}

/** Options of {@link pwa}. */
export interface PwaOptions {
  /** The first load's JavaScript budget, gzip bytes ({@link FIRST_LOAD_JS_BUDGET_GZIP}). */
  budget?: number;
  /**
   * Modules (paths from the repository's root) that the page imports with import() as it starts,
   * so they count as first load with what they import statically: main.ts installs the in-page
   * host, then imports the renderer at once (dynamically, so that the host is there before the
   * renderer's modules run).
   */
  startsAtOnce?: readonly string[];
}

/** The plugin: manifest and icons, then (all files written) sw.js and the bundle report. */
export function pwa(options: PwaOptions = {}): Plugin {
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const budget = options.budget ?? FIRST_LOAD_JS_BUDGET_GZIP;
  const startsAtOnce = (options.startsAtOnce ?? ['src-renderer/src/main.tsx']).map((path) => join(repo, path));
  let config: ResolvedConfig;
  const firstLoad = new Set<string>(['index.html']);
  return {
    name: 'nnstudio-pwa',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    generateBundle(_options, bundle) {
      const css = readFileSync(join(repo, 'src-renderer/src/ui/theme.css'), 'utf8');
      const manifest = webManifest({ accent: themeColour(css, '--accent'), background: themeColour(css, '--bg') });
      this.emitFile({ type: 'asset', fileName: 'manifest.webmanifest', source: `${JSON.stringify(manifest, null, 2)}\n` });
      for (const size of [192, 512]) {
        const path = join(repo, `build/icon-${size}.png`);
        let png: Uint8Array;
        try {
          png = readFileSync(path);
        } catch {
          throw new Error(`The web app manifest's icon build/icon-${size}.png is missing: run \`npm run icons\` to render it.`);
        }
        const declared = pngSize(png);
        if (declared?.width !== size || declared.height !== size)
          throw new Error(`build/icon-${size}.png is not a ${size}×${size} PNG: run \`npm run icons\` to render it again.`);
        this.emitFile({ type: 'asset', fileName: `icons/icon-${size}.png`, source: png });
      }
      // What the page fetches before it starts: the entry chunks and the chunks it imports at once,
      // what they import statically, and their CSS.
      const chunks = Object.values(bundle).flatMap((output) => (output.type === 'chunk' ? [output] : []));
      const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
      const pending = chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName);
      for (const module of startsAtOnce) {
        const chunk = chunks.find((c) => c.facadeModuleId === module);
        if (!chunk)
          throw new Error(
            `The bundle report counts ${relative(repo, module)} as part of the first load, but no chunk starts with it: correct pwa()'s startsAtOnce in src-web/vite.config.ts.`,
          );
        pending.push(chunk.fileName);
      }
      while (pending.length) {
        const name = pending.pop()!;
        if (firstLoad.has(name)) continue;
        firstLoad.add(name);
        const chunk = byName.get(name);
        for (const css of chunk?.viteMetadata?.importedCss ?? []) firstLoad.add(css);
        for (const imported of chunk?.imports ?? []) pending.push(imported);
      }
    },
    async writeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      const paths = await listFiles(outDir);
      const contents = new Map<string, Uint8Array>();
      for (const path of paths)
        if (!path.endsWith('.map') && path !== 'bundle-report.json') contents.set(path, await readFile(join(outDir, path)));
      const precache = paths.filter(isPrecached);
      const version = precacheVersion(precache.map((path) => ({ path, content: contents.get(path)! })));
      const worker = serviceWorkerSource(version, precache);
      await writeFile(join(outDir, 'sw.js'), worker);
      contents.set('sw.js', new TextEncoder().encode(worker));
      if (!paths.includes('sw.js')) paths.push('sw.js');

      const files: BundleFile[] = [...contents].map(([path, content]) => ({
        path,
        kind: kindOf(path),
        firstLoad: firstLoad.has(path),
        bytes: content.byteLength,
        gzip: gzipSync(content).byteLength,
      }));
      const report: BundleReport = { version, budget: { firstLoadJsGzip: budget }, files, totals: bundleTotals(files), precache };
      await writeFile(join(outDir, 'bundle-report.json'), `${JSON.stringify(report, null, 2)}\n`);
      config.logger.info(`\n${formatReport(report)}`);
      const problem = budgetProblem(report.totals, budget);
      if (problem) throw new Error(problem);
    },
  };
}

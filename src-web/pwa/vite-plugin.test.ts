/**
 * The web build's offline and size step: the service worker's file list and version, the worker
 * itself run against fake caches (install, page loads, files, activation, the update handshake),
 * the bundle report's totals and budget, and the plugin in a real (small) Vite build.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import {
  budgetProblem,
  bundleTotals,
  formatReport,
  isPrecached,
  kindOf,
  pngSize,
  precacheVersion,
  pwa,
  serviceWorkerSource,
  themeColour,
  webManifest,
  type BundleFile,
  type BundleReport,
} from './vite-plugin';

const repo = new URL('../../', import.meta.url);
const bytes = (text: string) => new TextEncoder().encode(text);

describe('the precache version', () => {
  const files = [
    { path: 'index.html', content: bytes('<html>') },
    { path: 'assets/main-abc.js', content: bytes('console.log(1)') },
  ];

  it('is the same whatever order the files come in, and for the same files again', () => {
    expect(precacheVersion([...files].reverse())).toBe(precacheVersion(files));
    expect(precacheVersion(files.map((f) => ({ ...f, content: Uint8Array.from(f.content) })))).toBe(precacheVersion(files));
  });

  it('changes with one byte of one file, with a renamed file, and with a file more', () => {
    const version = precacheVersion(files);
    expect(precacheVersion([files[0], { ...files[1], content: bytes('console.log(2)') }])).not.toBe(version);
    expect(precacheVersion([files[0], { ...files[1], path: 'assets/main-abd.js' }])).not.toBe(version);
    expect(precacheVersion([...files, { path: 'icon.svg', content: bytes('<svg/>') }])).not.toBe(version);
  });

  it('cannot be fooled by moving bytes between a name and its contents', () => {
    // Without the separators, 'a' + 'bc' and 'ab' + 'c' would hash alike.
    expect(precacheVersion([{ path: 'a', content: bytes('bc') }])).not.toBe(precacheVersion([{ path: 'ab', content: bytes('c') }]));
  });

  it('is the documented hash: sha256 over the sorted "path NUL sha256(contents) LF" lines, 16 hex digits', () => {
    const line = (path: string, text: string) => `${path}\0${createHash('sha256').update(text).digest('hex')}\n`;
    const expected = createHash('sha256')
      .update(line('assets/main-abc.js', 'console.log(1)') + line('index.html', '<html>'))
      .digest('hex')
      .slice(0, 16);
    expect(precacheVersion(files)).toBe(expected);
  });
});

describe('what the worker stores', () => {
  it('is every file but the source maps, the report and the worker itself', () => {
    const paths = ['index.html', 'assets/a.js', 'assets/a.js.map', 'sw.js', 'bundle-report.json', 'icons/icon-192.png', 'assets/f.woff2'];
    expect(paths.filter(isPrecached)).toEqual(['index.html', 'assets/a.js', 'icons/icon-192.png', 'assets/f.woff2']);
  });

  it('sorts files into the report’s kinds', () => {
    expect(['a.js', 'w.mjs', 'a.css', 'f.woff2', 'f.ttf', 'index.html', 'i.png'].map(kindOf)).toEqual([
      'js',
      'js',
      'css',
      'font',
      'font',
      'other',
      'other',
    ]);
  });
});

/** The generated worker run in a sandbox with fake caches, clients and network. */
function runWorker(version: string, files: string[], scope = 'https://example.org/app/') {
  const listeners = new Map<string, (event: unknown) => void>();
  const stores = new Map<string, Map<string, string>>();
  const fetched: { url: string; cache?: string }[] = [];
  const calls = { skipWaiting: 0, claim: 0 };
  const open = async (name: string) => {
    if (!stores.has(name)) stores.set(name, new Map());
    const store = stores.get(name)!;
    return {
      addAll: async (requests: { url: string; cache: string }[]) => {
        for (const request of requests) {
          fetched.push({ url: request.url, cache: request.cache });
          store.set(request.url, `network:${request.url}`);
        }
      },
      match: async (key: string) => store.get(key),
    };
  };
  const self = {
    registration: { scope },
    clients: { claim: async () => void calls.claim++ },
    skipWaiting: async () => void calls.skipWaiting++,
    addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener),
  };
  runInNewContext(serviceWorkerSource(version, files), {
    self,
    caches: { open, keys: async () => [...stores.keys()], delete: async (name: string) => stores.delete(name) },
    fetch: async (request: { url: string }) => {
      fetched.push({ url: request.url });
      return `network:${request.url}`;
    },
    Request: class {
      constructor(
        public url: string,
        init: { cache: string },
        public cache = init.cache,
      ) {}
    },
    URL,
  });
  /** Sends an event with waitUntil/respondWith, and waits for what it was given. */
  const dispatch = async (type: string, fields: object = {}) => {
    let waited: Promise<unknown> | undefined;
    let response: Promise<unknown> | undefined;
    listeners.get(type)!({
      ...fields,
      waitUntil: (p: Promise<unknown>) => (waited = p),
      respondWith: (p: Promise<unknown>) => (response = p),
    });
    await waited;
    return response === undefined ? 'not handled' : await response;
  };
  const request = (url: string, mode = 'no-cors', method = 'GET') => dispatch('fetch', { request: { url, mode, method } });
  return { stores, fetched, calls, dispatch, request };
}

describe('the service worker', () => {
  const files = ['index.html', 'assets/main-abc.js', 'assets/LearnPanel-def.js', 'icons/icon-192.png'];

  it('stores every file of its version on install, past the HTTP cache, and does not take over by itself', async () => {
    const sw = runWorker('v2', files);
    await sw.dispatch('install');
    expect([...sw.stores.keys()]).toEqual(['nnstudio-v2']);
    expect([...sw.stores.get('nnstudio-v2')!.keys()]).toEqual(files.map((f) => `https://example.org/app/${f}`));
    expect(sw.fetched.every((f) => f.cache === 'reload')).toBe(true);
    expect(sw.calls.skipWaiting).toBe(0);
  });

  it('waits for the page: only the page’s skip-waiting message activates it', async () => {
    const sw = runWorker('v2', files);
    await sw.dispatch('message', { data: 'something else' });
    expect(sw.calls.skipWaiting).toBe(0);
    await sw.dispatch('message', { data: 'skip-waiting' });
    expect(sw.calls.skipWaiting).toBe(1);
  });

  it('answers page loads with the stored index.html whatever their query, fragment or path', async () => {
    const sw = runWorker('v2', files);
    await sw.dispatch('install');
    sw.fetched.length = 0;
    const index = 'network:https://example.org/app/index.html';
    expect(await sw.request('https://example.org/app/', 'navigate')).toBe(index);
    expect(await sw.request('https://example.org/app/?share=abc#lesson', 'navigate')).toBe(index);
    expect(await sw.request('https://example.org/app/index.html?x=1', 'navigate')).toBe(index);
    expect(await sw.request('https://example.org/app/somewhere/else', 'navigate')).toBe(index);
    expect(sw.fetched).toEqual([]); // all from the cache: offline works
  });

  it('answers the app’s files from the cache, and leaves everything else to the network', async () => {
    const sw = runWorker('v2', files);
    await sw.dispatch('install');
    sw.fetched.length = 0;
    expect(await sw.request('https://example.org/app/assets/LearnPanel-def.js')).toBe(
      'network:https://example.org/app/assets/LearnPanel-def.js',
    );
    // With a query (a cache-buster, a module's ?import): still the stored file.
    expect(await sw.request('https://example.org/app/assets/main-abc.js?v=2')).toBe('network:https://example.org/app/assets/main-abc.js');
    expect(sw.fetched).toEqual([]);
    expect(await sw.request('https://example.org/app/assets/main-abc.js.map')).toBe('not handled');
    expect(await sw.request('https://elsewhere.org/app/assets/main-abc.js')).toBe('not handled');
    expect(await sw.request('https://example.org/app/assets/main-abc.js', 'no-cors', 'POST')).toBe('not handled');
  });

  it('fetches a stored file the cache has lost', async () => {
    const sw = runWorker('v2', files);
    // Not installed: the cache is empty.
    expect(await sw.request('https://example.org/app/assets/main-abc.js')).toBe('network:https://example.org/app/assets/main-abc.js');
    expect(sw.fetched).toEqual([{ url: 'https://example.org/app/assets/main-abc.js' }]);
  });

  it('deletes the earlier versions’ caches on activation (not other caches of the origin) and takes the open pages', async () => {
    const sw = runWorker('v2', files);
    sw.stores.set('nnstudio-v1', new Map());
    sw.stores.set('someone-else', new Map());
    await sw.dispatch('install');
    await sw.dispatch('activate');
    expect([...sw.stores.keys()].sort()).toEqual(['nnstudio-v2', 'someone-else']);
    expect(sw.calls.claim).toBe(1);
  });
});

describe('the bundle report', () => {
  const files: BundleFile[] = [
    { path: 'index.html', kind: 'other', firstLoad: true, bytes: 1000, gzip: 500 },
    { path: 'assets/main.js', kind: 'js', firstLoad: true, bytes: 300_000, gzip: 100_000 },
    { path: 'assets/vendor.js', kind: 'js', firstLoad: true, bytes: 200_000, gzip: 60_000 },
    { path: 'assets/main.css', kind: 'css', firstLoad: true, bytes: 50_000, gzip: 10_000 },
    { path: 'assets/elk.js', kind: 'js', firstLoad: false, bytes: 1_400_000, gzip: 430_000 },
    { path: 'assets/f.woff2', kind: 'font', firstLoad: false, bytes: 20_000, gzip: 20_100 },
  ];

  it('totals the first load and what loads on demand, by kind', () => {
    const totals = bundleTotals(files);
    expect(totals.firstLoad.js).toEqual({ bytes: 500_000, gzip: 160_000 });
    expect(totals.firstLoad.css).toEqual({ bytes: 50_000, gzip: 10_000 });
    expect(totals.firstLoad.other).toEqual({ bytes: 1000, gzip: 500 });
    expect(totals.firstLoad.all).toEqual({ bytes: 551_000, gzip: 170_500 });
    expect(totals.onDemand.js).toEqual({ bytes: 1_400_000, gzip: 430_000 });
    expect(totals.onDemand.font).toEqual({ bytes: 20_000, gzip: 20_100 });
    expect(totals.onDemand.all).toEqual({ bytes: 1_420_000, gzip: 450_100 });
  });

  it('holds the first load’s JavaScript (gzip) to the budget, and says by how much it is over', () => {
    const totals = bundleTotals(files);
    expect(budgetProblem(totals, 160_000)).toBeNull(); // exactly at the budget passes
    expect(budgetProblem(totals, 500_000)).toBeNull(); // what loads on demand does not count
    const problem = budgetProblem(totals, 159_999);
    expect(problem).toContain('160.0 kB of JavaScript (gzip), over its budget of 160.0 kB');
    expect(problem).toContain('FIRST_LOAD_JS_BUDGET_GZIP in src-web/pwa/vite-plugin.ts');
    expect(problem?.split('. ')).toHaveLength(1); // one sentence
  });

  it('prints every file with its sizes, and the totals', () => {
    const report: BundleReport = { version: 'abc', budget: { firstLoadJsGzip: 200_000 }, files, totals: bundleTotals(files), precache: [] };
    const text = formatReport(report);
    expect(text).toMatch(/assets\/main\.js\s+js\s+first\s+300\.0 kB\s+100\.0 kB/);
    expect(text).toMatch(/assets\/elk\.js\s+js\s+on demand\s+1,400\.0 kB\s+430\.0 kB/);
    expect(text).toMatch(/total first load\s+551\.0 kB\s+170\.5 kB/);
    expect(text).toMatch(/total on demand\s+1,420\.0 kB\s+450\.1 kB/);
    expect(text).toContain('First-load JavaScript: 160.0 kB gzip of its 200.0 kB budget');
  });
});

describe('the manifest', () => {
  it('takes its colours from the app’s light theme', () => {
    const css = readFileSync(new URL('src-renderer/src/ui/theme.css', repo), 'utf8');
    expect(themeColour(css, '--accent')).toBe('#2f6fde');
    expect(themeColour(css, '--bg')).toBe('#f7f7f8');
    // The dark block's --bg (#1b1c1f) is not the one read.
    expect(themeColour(':root { --bg: #ffffff; } @media (prefers-color-scheme: dark) { :root { --bg: #000000; } }', '--bg')).toBe(
      '#ffffff',
    );
    expect(() => themeColour(':root { }', '--accent')).toThrow("The app's theme (src-renderer/src/ui/theme.css) has no --accent colour");
  });

  it('is installable: name, standalone, start URL and scope relative to where the app is served, 192 and 512 px icons', () => {
    const manifest = webManifest({ accent: '#2f6fde', background: '#f7f7f8' }) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'NN Studio', short_name: 'NN Studio', start_url: './', scope: './', display: 'standalone' });
    expect(manifest.icons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' }),
        expect.objectContaining({ src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' }),
      ]),
    );
  });

  it('reads a PNG’s size, and refuses what is not a PNG', () => {
    expect(pngSize(readFileSync(new URL('build/icon-192.png', repo)))).toEqual({ width: 192, height: 192 });
    expect(pngSize(readFileSync(new URL('build/icon-512.png', repo)))).toEqual({ width: 512, height: 512 });
    expect(pngSize(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });
});

describe('the plugin in a build', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A tiny app: index.html, an entry that imports one module statically and one on demand. */
  async function buildApp({ budget, lazyText = 'on demand ', root }: { budget?: number; lazyText?: string; root?: string } = {}) {
    if (!root) {
      root = mkdtempSync(join(tmpdir(), 'nnstudio-pwa-'));
      dirs.push(root);
    }
    writeFileSync(
      join(root, 'index.html'),
      '<!doctype html><html><head></head><body><script type="module" src="./main.js"></script></body></html>',
    );
    writeFileSync(
      join(root, 'main.js'),
      "import { a } from './a.js';\nconsole.log(a);\ndocument.onclick = () => import('./lazy.js').then((m) => console.log(m.lazy));\n",
    );
    writeFileSync(join(root, 'a.js'), `export const a = ${JSON.stringify('first load '.repeat(50))};\n`);
    writeFileSync(join(root, 'lazy.js'), `export const lazy = ${JSON.stringify(lazyText.repeat(50))};\n`);
    await build({
      root,
      base: './',
      configFile: false,
      logLevel: 'silent',
      publicDir: false,
      plugins: [pwa({ budget, startsAtOnce: [] })],
      build: { outDir: join(root, 'dist'), sourcemap: true, emptyOutDir: true },
    });
    return join(root, 'dist');
  }

  it('writes sw.js with exactly the built files (no maps) and the report with the first load told apart', async () => {
    const dist = await buildApp();
    const onDisk = readdirSync(dist, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(dist.length + 1))
      .sort();
    const report = JSON.parse(readFileSync(join(dist, 'bundle-report.json'), 'utf8')) as BundleReport;
    const expected = onDisk.filter((p) => !p.endsWith('.map') && p !== 'sw.js' && p !== 'bundle-report.json');
    expect(expected).toEqual(expect.arrayContaining(['index.html', 'manifest.webmanifest', 'icons/icon-192.png', 'icons/icon-512.png']));
    expect(report.precache).toEqual(expected);
    const worker = readFileSync(join(dist, 'sw.js'), 'utf8');
    expect(worker).toContain(`const FILES = ${JSON.stringify(expected, null, 2)};`);
    expect(worker).toContain(`const VERSION = ${JSON.stringify(report.version)};`);
    expect(report.version).toBe(precacheVersion(expected.map((path) => ({ path, content: readFileSync(join(dist, path)) }))));

    const entry = report.files.find((f) => f.kind === 'js' && f.firstLoad && f.path.startsWith('assets/'))!;
    expect(readFileSync(join(dist, entry.path), 'utf8')).toContain('first load');
    const lazy = report.files.find((f) => f.path.startsWith('assets/lazy'))!;
    expect(lazy.firstLoad).toBe(false);
    expect(report.files.find((f) => f.path === 'index.html')?.firstLoad).toBe(true);
    expect(report.files.find((f) => f.path === 'sw.js')?.firstLoad).toBe(false);
    // The sizes are the files' own.
    expect(entry.bytes).toBe(readFileSync(join(dist, entry.path)).byteLength);
    expect(report.totals.firstLoad.js.gzip).toBe(
      report.files.filter((f) => f.kind === 'js' && f.firstLoad).reduce((s, f) => s + f.gzip, 0),
    );
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.webmanifest'), 'utf8'));
    expect(manifest.theme_color).toBe('#2f6fde');
  });

  it('fails the build, in a sentence naming the budget, when the first load is over it', async () => {
    await expect(buildApp({ budget: 10 })).rejects.toThrow(/first load fetches .* of JavaScript \(gzip\), over its budget of 0\.0 kB/);
  });

  it('builds the same worker from the same sources, and a new one when a file loaded on demand changes', async () => {
    // In one folder, as a deploy rebuilds its checkout (the bundler's chunk names may depend on where it runs).
    const root = mkdtempSync(join(tmpdir(), 'nnstudio-pwa-'));
    dirs.push(root);
    const versionOf = async (lazyText?: string) => {
      const dist = await buildApp({ lazyText, root });
      expect(existsSync(join(dist, 'sw.js'))).toBe(true);
      return (JSON.parse(readFileSync(join(dist, 'bundle-report.json'), 'utf8')) as BundleReport).version;
    };
    const first = await versionOf();
    expect(await versionOf()).toBe(first);
    expect(await versionOf('changed ')).not.toBe(first);
  });
});

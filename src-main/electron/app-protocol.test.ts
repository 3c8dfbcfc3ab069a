/**
 * The app:// handler on real files: it serves what is inside the built renderer folder with the
 * right content type and the desktop CSP, and nothing outside it, however the path is spelled.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, isAbsolute } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFilePath, serveAppRequest } from './app-protocol';
import { DESKTOP_CSP } from './security';

let base: string;
let renderer: string;
const SECRET = 'the secret outside the renderer folder';

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'nnstudio-app-protocol-'));
  renderer = join(base, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>NN Studio</title>');
  for (const name of ['index.js', 'index.css', 'icon.svg', 'icon.png', 'gemm.wasm', 'data.json', 'font.woff2', 'blob.bin'])
    writeFileSync(join(renderer, 'assets', name), `content of ${name}`);
  // What an escape would reach: beside the folder, and the folder's own parent.
  writeFileSync(join(base, 'secret.txt'), SECRET);
  writeFileSync(join(base, 'index.html'), SECRET);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveAppRequest(new Request(url, { method }), renderer);

describe('app:// handler', () => {
  it('serves the page and its assets with their content types and the desktop CSP', async () => {
    const page = await get('app://nnstudio/index.html');
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html><title>NN Studio</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await (await get('app://nnstudio/')).text()).toBe('<!doctype html><title>NN Studio</title>');
    const types: Record<string, string> = {
      'index.js': 'text/javascript; charset=utf-8',
      'index.css': 'text/css; charset=utf-8',
      'icon.svg': 'image/svg+xml',
      'icon.png': 'image/png',
      'gemm.wasm': 'application/wasm',
      'data.json': 'application/json',
      'font.woff2': 'font/woff2',
      'blob.bin': 'application/octet-stream',
    };
    for (const [name, type] of Object.entries(types)) {
      const response = await get(`app://nnstudio/assets/${name}?v=1#x`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toBe(type);
      expect(response.headers.get('content-security-policy'), name).toBe(DESKTOP_CSP);
      expect(await response.text(), name).toBe(`content of ${name}`);
    }
  });

  it('refuses every way out of the folder with 404, still under the CSP', async () => {
    const escapes = [
      'app://nnstudio/../secret.txt',
      'app://nnstudio/../../../../etc/passwd',
      'app://nnstudio/%2e%2e/secret.txt',
      'app://nnstudio/.%2e/secret.txt',
      'app://nnstudio/..%2fsecret.txt',
      'app://nnstudio/%2e%2e%2fsecret.txt',
      'app://nnstudio/assets/..%2f..%2fsecret.txt',
      'app://nnstudio/..%5csecret.txt',
      'app://nnstudio/%5c..%5csecret.txt',
      'app://nnstudio/..\\secret.txt',
      `app://nnstudio/${encodeURIComponent(join(base, 'secret.txt'))}`,
      'app://nnstudio//etc/passwd',
      'app://nnstudio/%2fetc%2fpasswd',
      'app://nnstudio/C:%5cWindows%5cwin.ini',
      'app://nnstudio/secret.txt%00.html',
      'app://nnstudio/%E0%A4%A',
      'app://elsewhere/index.html',
      'file:///etc/passwd',
    ];
    for (const url of escapes) {
      const file = appFilePath(url, renderer);
      // Either refused outright, or (when the URL parser has already folded the dots) a path
      // inside the folder, where there is no such file.
      if (file !== null) {
        const inside = relative(renderer, file);
        expect(inside.startsWith('..') || isAbsolute(inside), `${url} resolved to ${file}`).toBe(false);
      }
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy'), url).toBe(DESKTOP_CSP);
      expect(await response.text(), url).not.toContain(SECRET);
    }
  });

  it('answers a folder, a missing file and a method other than GET or HEAD with an error', async () => {
    expect((await get('app://nnstudio/assets')).status).toBe(404);
    expect((await get('app://nnstudio/assets/')).status).toBe(404);
    expect((await get('app://nnstudio/missing.js')).status).toBe(404);
    const post = await get('app://nnstudio/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    const head = await get('app://nnstudio/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

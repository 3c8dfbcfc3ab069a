/**
 * Serves the desktop page over `app://nnstudio/…` from the built renderer folder, with the
 * desktop CSP on every response. Written against the web's Request and Response (what Electron's
 * `protocol.handle` passes and expects), so tests run it without Electron.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { APP_HOST, APP_SCHEME, DESKTOP_CSP } from './security';

/** The content types of what the renderer build emits; anything else is served as bytes. */
export const APP_MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The file under `rendererDir` that an app:// URL names, or null when the URL is not the app's
 * host or its path could reach outside the folder: `..` (plain, percent-encoded, or smuggled in as
 * an encoded slash), backslashes (a separator on Windows), NUL, drive letters and absolute paths.
 */
export function appFilePath(url: string, rendererDir: string): string | null {
  let target: URL;
  let path: string;
  try {
    target = new URL(url);
    // The URL parser has already folded `..` and `%2e%2e` segments; decoding can still produce
    // new separators and dots (`..%2f`), so the decoded path is checked segment by segment.
    path = decodeURIComponent(target.pathname);
  } catch {
    return null;
  }
  if (target.protocol !== `${APP_SCHEME}:` || target.host !== APP_HOST) return null;
  if (path === '/' || path === '') path = '/index.html';
  if (!path.startsWith('/') || path.includes('\\') || path.includes('\0')) return null;
  const segments = path.slice(1).split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes(':'))) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, ...segments);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

function respond(status: number, body: Uint8Array | string | null, contentType: string): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': contentType,
      'content-security-policy': DESKTOP_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
  });
}

/**
 * Answers one app:// request: the file with its content type, or 404 for anything that is not a
 * file inside `rendererDir`, 405 for anything but GET and HEAD. Every answer carries DESKTOP_CSP.
 */
export async function serveAppRequest(request: Request, rendererDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, null, 'text/plain; charset=utf-8');
  const file = appFilePath(request.url, rendererDir);
  if (!file) return respond(404, 'Not found', 'text/plain; charset=utf-8');
  let body: Buffer;
  try {
    if (!(await stat(file)).isFile()) return respond(404, 'Not found', 'text/plain; charset=utf-8');
    body = await readFile(file);
  } catch {
    return respond(404, 'Not found', 'text/plain; charset=utf-8');
  }
  const type = APP_MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  return respond(200, request.method === 'HEAD' ? null : new Uint8Array(body.buffer, body.byteOffset, body.byteLength), type);
}

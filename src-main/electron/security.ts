/**
 * The desktop app's page: its origin (the privileged `app://nnstudio` scheme the window loads
 * from, instead of file://), what counts as the app's own URL, and its Content-Security-Policy.
 * Pure data and predicates, so tests check them without Electron. (The window's web
 * preferences are written out where the window is made, in main.ts, where Electronegativity
 * can read them; the scheme's file serving is in app-protocol.ts.)
 */

/** The scheme the desktop page is served from. */
export const APP_SCHEME = 'app';
/** The one host of that scheme: `app://nnstudio/…`. */
export const APP_HOST = 'nnstudio';
/** The page the window loads. */
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * How the scheme is registered before the app is ready: standard (a real origin, so relative URLs,
 * `'self'` and storage work as on the web), secure (like https, so the page is a secure context),
 * and fetch-able (the page's module scripts). Not `bypassCSP`: the page stays under DESKTOP_CSP.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

/**
 * Whether `url` is the app's own page, `app://nnstudio/index.html` (a query or fragment aside):
 * the only page that may call the IPC channels and the only place the window may navigate to.
 * file:// pages, other hosts of the scheme and the scheme's other files do not count.
 */
export function isAppUrl(url: string): boolean {
  try {
    const target = new URL(url);
    return (
      target.protocol === `${APP_SCHEME}:` &&
      target.host === APP_HOST &&
      target.pathname === '/index.html' &&
      target.username === '' &&
      target.password === ''
    );
  } catch {
    return false;
  }
}

/**
 * The Content-Security-Policy of the desktop app's page, sent with every app:// response. It
 * allows no WebSocket: only the browser host's page talks over one, under that host's own policy.
 */
export const DESKTOP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

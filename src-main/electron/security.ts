/**
 * The desktop app's page: what counts as the app's own URL, and its Content-Security-Policy.
 * Pure data and predicates, so tests check them without Electron. (The window's web
 * preferences are written out where the window is made, in main.ts, where Electronegativity
 * can read them.)
 */

/** The app's own pages are files under the built renderer folder, and nothing else. */
export function isAppUrl(url: string, rendererIndexUrl: string): boolean {
  try {
    const target = new URL(url);
    const index = new URL(rendererIndexUrl);
    return target.protocol === 'file:' && target.pathname === index.pathname;
  } catch {
    return false;
  }
}

/** The Content-Security-Policy of the desktop app's page (set as a header on every response). */
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

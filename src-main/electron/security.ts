/**
 * Every security setting of the desktop window in one place (Electron's security checklist):
 * context isolation, the sandbox, no Node in the page, no remote content, no navigation, no new
 * windows, no permissions. Pure data and predicates, so tests check them without Electron.
 */

/** The BrowserWindow web preferences. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  } as const;
}

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

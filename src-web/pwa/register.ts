/**
 * The web edition's service worker, from the page's side: registering it (so the app works
 * offline once loaded, and can be installed), noticing when a newer version has been downloaded,
 * and switching to it when the user says so. The worker itself is written by the build
 * (vite-plugin.ts): it never takes over on its own, so a page never runs a mix of two versions.
 */

/** How often an open tab asks the server whether a new version was deployed. */
export const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/** The worker's file, next to index.html; its scope is the folder the app is served from. */
const WORKER_URL = './sw.js';

/** Vite's dev server serves the sources, not the build: there is no sw.js to register. */
const viteDevServer = (import.meta as ImportMeta & { env?: { DEV?: boolean } }).env?.DEV === true;

/**
 * Registers the service worker (no-op where unsupported, and on Vite's dev server, whose files
 * are not the build's); calls onUpdateAvailable once a newer version is installed and waiting.
 * It checks for a new version as the page loads, every hour, and whenever the tab is shown again.
 */
export function registerServiceWorker(onUpdateAvailable: () => void): void {
  if (viteDevServer || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  // After the page's load: the worker's downloads do not compete with the app's own, and the
  // renderer is listening by then for the update it may announce at once.
  const start = () => {
    register(navigator.serviceWorker, onUpdateAvailable).catch(() => {
      // Without a worker (a private window that refuses it, a full disk) the app still works
      // online; there is nothing the user could do about it, so nothing is said.
    });
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}

/**
 * The registration and its update checks. Exported for the tests, which pass a fake container.
 * @internal
 */
export async function register(
  container: ServiceWorkerContainer,
  onUpdateAvailable: () => void,
  environment: { every: (ms: number, run: () => void) => void; onShown: (run: () => void) => void } = browserEnvironment,
): Promise<ServiceWorkerRegistration> {
  const registration = await container.register(WORKER_URL, { scope: './', updateViaCache: 'none' });
  const told = new WeakSet<ServiceWorker>();
  // A worker waiting while the page is controlled is a newer version (on the first visit the
  // worker installs with no controller: that is the app becoming available offline, not an update).
  const tell = () => {
    const waiting = registration.waiting;
    if (!waiting || !container.controller || told.has(waiting)) return;
    told.add(waiting);
    onUpdateAvailable();
  };
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') tell();
    });
  });
  // Downloaded on an earlier visit and still waiting (the user dismissed it, or closed the tab).
  tell();
  const check = () => {
    registration.update().then(tell, () => {
      // Offline, or the server is down: the next check tries again.
    });
  };
  check();
  environment.every(UPDATE_CHECK_INTERVAL_MS, check);
  environment.onShown(check);
  return registration;
}

const browserEnvironment = {
  every: (ms: number, run: () => void) => void setInterval(run, ms),
  onShown: (run: () => void) =>
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') run();
    }),
};

/** Activates the waiting version and reloads the page once it controls it. */
export async function applyUpdate(): Promise<void> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return location.reload();
  return activateWaiting(navigator.serviceWorker, () => location.reload());
}

/**
 * {@link applyUpdate} with its container and reload passed in, for the tests.
 * @internal
 */
export async function activateWaiting(container: ServiceWorkerContainer, reload: () => void): Promise<void> {
  const registration = await container.getRegistration();
  const waiting = registration?.waiting;
  // Nothing waiting: another tab has switched already (this page is under the new worker), or
  // the worker is gone; a reload loads whatever version is current either way.
  if (!waiting) return reload();
  await new Promise<void>((resolve, reject) => {
    container.addEventListener(
      'controllerchange',
      () => {
        resolve();
        reload();
      },
      { once: true },
    );
    waiting.addEventListener('statechange', () => {
      if (waiting.state === 'redundant') reject(new Error('the new version did not start; reload the page to try again'));
    });
    waiting.postMessage('skip-waiting');
  });
}

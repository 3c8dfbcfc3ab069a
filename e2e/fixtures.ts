/**
 * The journeys' test function and where the app is. The same journeys run against two editions
 * (playwright.config.ts's projects): `host`, the browser host global-setup.ts starts (the app's
 * `npm run start:web`), and `web`, the static web edition served by a plain static server.
 * Every journey starts without a backup of unsaved work: the host's is in its data folder (one
 * journey's unsaved document is backed up after a few seconds, and the next page would otherwise
 * open on the offer to restore it); the web edition's is in the browser context's IndexedDB,
 * which is new for every journey.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';

export { expect } from '@playwright/test';
export type { Locator, Page } from '@playwright/test';

/** Which edition this journey runs against: the browser host, or the static web edition. */
export function edition(): 'host' | 'web' {
  return base.info().project.name === 'web' ? 'web' : 'host';
}

/** The app's address in this journey's edition. */
export function appUrl(): string {
  const url = edition() === 'web' ? process.env.NNSTUDIO_WEB_URL : process.env.NNSTUDIO_URL;
  if (!url) throw new Error(`No address for the ${edition()} edition: global-setup.ts did not start it.`);
  return url;
}

export const test = base.extend<{ noBackup: void }>({
  noBackup: [
    async ({}, use) => {
      const data = process.env.NNSTUDIO_DATA;
      const clear = () => data && ['backup.nnproj', 'backup.json'].forEach((name) => rmSync(join(data, name), { force: true }));
      clear();
      // A backup the previous page sent just before it closed may still be landing on the host.
      await new Promise((resolve) => setTimeout(resolve, 100));
      clear();
      await use();
    },
    { auto: true },
  ],
});

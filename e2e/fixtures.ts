/**
 * The journeys' test function: every journey starts without a backup of unsaved work in the
 * shared host's data folder. One journey's unsaved document is backed up after a few seconds, and
 * the next page would otherwise open on the offer to restore it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';

export { expect } from '@playwright/test';
export type { Locator, Page } from '@playwright/test';

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

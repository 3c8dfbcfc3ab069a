/**
 * The web edition's files, as a student meets them: with the File System Access API (Chromium)
 * Save As asks where, Save writes back to the same file and Open Recent reopens it after a
 * reload; without it, Save is a download and Open an upload; unsaved work survives a killed tab;
 * closing the tab with unsaved changes asks. The system's own pickers cannot be clicked by a
 * journey, so they are stood in for by the browser's private file system (OPFS), whose handles
 * are the very FileSystemFileHandle objects the real pickers return.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { appUrl, expect, test, type Page } from './fixtures';

/** Stands in for the system's pickers: Save As creates `window.__saveAs`, Open picks `window.__open`, in OPFS. */
async function withPickers(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.showSaveFilePicker = async ({ suggestedName }: { suggestedName: string }) => {
      const root = await navigator.storage.getDirectory();
      return root.getFileHandle((w.__saveAs as string | undefined) ?? suggestedName, { create: true });
    };
    w.showOpenFilePicker = async () => {
      const root = await navigator.storage.getDirectory();
      return [await root.getFileHandle(w.__open as string)];
    };
  });
}

/** A file's text in the browser's private file system. */
function opfsText(page: Page, name: string): Promise<string> {
  return page.evaluate(async (file) => {
    const root = await navigator.storage.getDirectory();
    return (await (await root.getFileHandle(file)).getFile()).text();
  }, name);
}

async function setLearningRate(page: Page, value: string) {
  await page.getByRole('textbox', { name: 'Learning rate' }).fill(value);
  await page.keyboard.press('Enter');
}

test.beforeEach(() => {
  test.skip(test.info().project.name !== 'web', 'the web edition’s own files (the browser host has its workspace folder)');
});

test('Save As asks where, Save writes back to the same file, Open and Open Recent reopen it', async ({ page }) => {
  await withPickers(page);
  await page.goto(appUrl());
  await expect(page.getByTestId('status-host')).toContainText('web');
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await expect(page.getByTestId('epoch')).toHaveText('2');
  await setLearningRate(page, '0.25');

  await page.evaluate(() => ((window as unknown as Record<string, unknown>).__saveAs = 'journey.nnproj'));
  await page.keyboard.press('Control+Shift+S');
  await expect(page).toHaveTitle('journey — NN Studio');
  const saved = JSON.parse(await opfsText(page, 'journey.nnproj'));
  expect(saved.name).toBe('journey');
  expect(saved.training.epoch).toBe(2);
  expect(saved.hyperparameters.learningRate).toBe(0.25);

  // Save writes back to the very file: no question.
  await setLearningRate(page, '0.3');
  await expect(page).toHaveTitle('journey • — NN Studio');
  await page.keyboard.press('Control+s');
  await expect(page).toHaveTitle('journey — NN Studio');
  expect(JSON.parse(await opfsText(page, 'journey.nnproj')).hyperparameters.learningRate).toBe(0.3);

  await page.getByTestId('example-select').selectOption('spiral');
  await expect(page).toHaveTitle('Spiral — NN Studio');
  await page.evaluate(() => ((window as unknown as Record<string, unknown>).__open = 'journey.nnproj'));
  await page.keyboard.press('Control+o');
  await expect(page).toHaveTitle('journey — NN Studio');
  await expect(page.getByTestId('epoch')).toHaveText('2');
  await expect(page.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.3');

  // Another visit: the recent list (in IndexedDB) keeps the file's handle.
  await page.reload();
  await page
    .getByTestId('recent')
    .getByRole('button', { name: /journey\.nnproj/ })
    .click();
  await expect(page).toHaveTitle('journey — NN Studio');
  await expect(page.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.3');
});

test('without the File System Access API, Save As downloads the project and Open uploads it', async ({ page }, info) => {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    delete w.showSaveFilePicker;
    delete w.showOpenFilePicker;
  });
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await setLearningRate(page, '0.125');
  const downloaded = page.waitForEvent('download');
  await page.keyboard.press('Control+Shift+S');
  const download = await downloaded;
  expect(download.suggestedFilename()).toBe('XOR 2-2-1.nnproj');
  const file = info.outputPath('XOR 2-2-1.nnproj');
  await download.saveAs(file);
  expect(JSON.parse(readFileSync(file, 'utf8')).hyperparameters.learningRate).toBe(0.125);
  await expect(page).toHaveTitle('XOR 2-2-1 — NN Studio'); // saved: the download is the file

  await page.getByTestId('example-select').selectOption('spiral');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await (await chooser).setFiles(file);
  await expect(page).toHaveTitle('XOR 2-2-1 — NN Studio');
  await expect(page.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.125');

  // A damaged file: the loader's sentence, naming it, and the open project stays.
  const broken = info.outputPath('broken.nnproj');
  writeFileSync(broken, '{"format": "nnstudio-project", "version": 3, "name": "cut sh');
  const again = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await (await again).setFiles(broken);
  await expect(page.getByTestId('dialog-message')).toContainText('broken.nnproj');
  await page.getByTestId('dialog-ok').click();
  await expect(page).toHaveTitle('XOR 2-2-1 — NN Studio');
});

test('unsaved work survives a killed tab: the next visit offers it back; closing with changes asks', async ({ page, context, browser }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('iris');
  await setLearningRate(page, '0.0421');
  await expect(page).toHaveTitle('Iris • — NN Studio');
  // The backup is in IndexedDB within a few seconds.
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            new Promise<string | null>((resolve) => {
              const open = indexedDB.open('nnstudio');
              // Never create the app's database here: only read what the app wrote.
              open.onupgradeneeded = () => open.transaction?.abort();
              open.onsuccess = () => {
                const db = open.result;
                if (!db.objectStoreNames.contains('data')) return resolve(null);
                // Each tab keeps its own backup, under `backup:<tab>`.
                const all = db.transaction('data').objectStore('data').getAll(IDBKeyRange.bound('backup:', 'backup:\uffff'));
                all.onsuccess = () => resolve((all.result as { text?: string }[]).map((record) => record.text ?? '').join('\n') || null);
                all.onerror = () => resolve(null);
              };
              open.onerror = () => resolve(null);
            }),
        ),
      { timeout: 15_000 },
    )
    .toContain('"learningRate": 0.0421');
  // The tab is killed: its context goes without unload or goodbye. What the browser had stored by
  // then is all the next visit has (the same profile's IndexedDB, carried to a new context).
  const stored = await context.storageState({ indexedDB: true });
  await context.close();
  const next = await (await browser.newContext({ storageState: stored })).newPage();
  await next.goto(appUrl());
  await expect(next.getByRole('alertdialog', { name: 'Restore unsaved work' })).toContainText('Iris');
  await next.getByTestId('restore-accept').click();
  await expect(next).toHaveTitle('Iris • — NN Studio');
  await expect(next.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.0421');

  const asked = new Promise<string>((resolve) => next.once('dialog', (dialog) => (resolve(dialog.type()), void dialog.dismiss())));
  await next.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
});

test('two tabs keep separate backups: closing one offers its work to the next tab, never the other open tab’s', async ({ context }) => {
  const backups = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open('nnstudio');
          open.onupgradeneeded = () => open.transaction?.abort();
          open.onerror = () => resolve(0);
          open.onsuccess = () => {
            const count = open.result.transaction('data').objectStore('data').count(IDBKeyRange.bound('backup:', 'backup:\uffff'));
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => resolve(0);
          };
        }),
    );
  const first = await context.newPage();
  await first.goto(appUrl());
  await first.getByTestId('example-select').selectOption('iris');
  await setLearningRate(first, '0.0111');
  const second = await context.newPage();
  await second.goto(appUrl());
  await second.getByTestId('example-select').selectOption('spiral');
  await setLearningRate(second, '0.0222');
  await expect.poll(() => backups(second), { timeout: 15_000 }).toBe(2);

  await first.close(); // without the unload question: the tab is gone, its backup stays
  const third = await context.newPage();
  await third.goto(appUrl());
  await expect(third.getByRole('alertdialog', { name: 'Restore unsaved work' })).toContainText('Iris');
  await third.getByTestId('restore-accept').click();
  await expect(third.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.0111');
  // The second tab, still open, has its own work, untouched.
  await expect(second).toHaveTitle('Spiral • — NN Studio');
  await expect(second.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.0222');
});

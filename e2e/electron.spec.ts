/**
 * The same journey in the real desktop app, where Electron's binary is present. On machines
 * without it (it is downloaded lazily, and these have no internet) the test is skipped, saying why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));

function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

test('desktop app: load an example, train, pause, and close past the unsaved-changes question', async ({}, testInfo) => {
  const binary = electronBinary();
  test.skip(
    binary === null,
    "Electron's binary is not installed on this machine (it is downloaded lazily, and there is no internet here).",
  );
  const app = await electron.launch({ executablePath: binary!, args: [root] });
  try {
    const page = await app.firstWindow();
    await page.getByTestId('example-select').selectOption('spiral');
    await page.getByTestId('train-button').click();
    await expect.poll(async () => Number(await page.getByTestId('epoch').textContent())).toBeGreaterThanOrEqual(10);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('training-state')).toHaveText('paused');
    await page.screenshot({ path: testInfo.outputPath('electron-paused.png') });
    // The trained weights are unsaved: closing asks first, and closes once answered.
    const closing = app.close();
    await page.getByTestId('prompt-discard').click();
    await closing;
  } finally {
    // After a failure the window may still be waiting for an answer: end the process.
    if (app.process().exitCode === null) app.process().kill();
  }
});

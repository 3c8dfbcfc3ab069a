/**
 * Projects in the browser host: save, start another, reopen and find everything as it was; the
 * project is named after its file, and so are its exports; a corrupt file leaves the open project
 * alone; unsaved changes are asked about; and unsaved work survives the host being killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appUrl, expect, test, type Page } from './fixtures';
import { openFromPicker, saveAs, workspace } from './files';
import { findExample, serialiseProject } from '../engine/src/index';

async function setLearningRate(page: Page, value: string) {
  await page.getByRole('textbox', { name: 'Learning rate' }).fill(value);
  await page.keyboard.press('Enter');
}

test('save, start another project, reopen: graph, weights, history and view come back as they were', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await expect(page.getByTestId('epoch')).toHaveText('2');
  await setLearningRate(page, '0.25');
  await page.getByTestId('canvas').hover();
  await page.keyboard.press('Control+='); // the viewport is part of the view
  await page.waitForTimeout(400);
  await page.getByTestId('inspect').click();
  await page.getByTestId('bp-row').fill('2');
  await page.getByTestId('bp-row').press('Enter');
  await expect(page).toHaveTitle('XOR 2-2-1 • — NN Studio');

  await saveAs(page, 'journey.nnproj');
  await expect(page).toHaveTitle('journey — NN Studio'); // the project is named after its file
  const saved = JSON.parse(readFileSync(join(workspace(), 'journey.nnproj'), 'utf8'));
  expect(saved.name).toBe('journey');
  expect(saved.training.epoch).toBe(2);
  expect(saved.training.history.epoch).toEqual([1, 2]); // stored as columns
  expect(saved.hyperparameters.learningRate).toBe(0.25);
  expect(saved.view.inspectorSample).toBe(2);
  expect(saved.view.panels.inspector).toBe(true);
  expect(saved.view.viewport.zoom).toBeGreaterThan(0);

  await page.getByTestId('example-select').selectOption('spiral'); // clean: no question
  await expect(page).toHaveTitle('Spiral — NN Studio');
  await expect(page.getByTestId('backprop')).toHaveCount(0);

  await openFromPicker(page, 'journey.nnproj');
  await expect(page).toHaveTitle('journey — NN Studio');
  await expect(page.getByTestId('epoch')).toHaveText('2');
  await expect(page.getByTestId('backprop')).toBeVisible(); // the inspector reopens on its sample
  await expect(page.getByTestId('bp-row')).toHaveValue('2');
  // Everything the file holds survives the round trip: saving again writes the same document,
  // under the new file's name.
  await saveAs(page, 'journey-again.nnproj');
  await expect(page).toHaveTitle('journey-again — NN Studio');
  const again = JSON.parse(readFileSync(join(workspace(), 'journey-again.nnproj'), 'utf8'));
  expect(again).toEqual({ ...saved, name: 'journey-again' });

  // Saving over an existing file asks first.
  await page.keyboard.press('Control+Shift+S');
  await page.getByLabel('File name').fill('journey.nnproj');
  const picker = page.getByRole('dialog', { name: 'Save the project' });
  await picker.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('replace-warning')).toHaveText('journey.nnproj already exists. Save again to replace it.');
  await picker.getByRole('button', { name: 'Replace', exact: true }).click();
  await expect(picker).toHaveCount(0);
});

test('the name follows the file: a new canvas saved as “homework” is called homework, and exports as homework', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('__blank');
  await expect(page).toHaveTitle('Untitled — NN Studio');
  await page.keyboard.press('Control+Shift+S');
  await expect(page.getByLabel('File name')).toHaveValue('Untitled.nnproj');
  await page.getByLabel('File name').fill('homework');
  await page.getByRole('dialog', { name: 'Save the project' }).getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveTitle('homework — NN Studio'); // and clean: no unsaved mark
  expect(JSON.parse(readFileSync(join(workspace(), 'homework.nnproj'), 'utf8')).name).toBe('homework');

  await page.keyboard.press('Control+e');
  await expect(page.getByTestId('export-file-name')).toHaveText('homework.onnx');
  await page.getByTestId('export-svg').check();
  await expect(page.getByTestId('export-file-name')).toHaveText('homework.svg');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
  expect(download.suggestedFilename()).toBe('homework.svg');

  // The next Save As suggests the file it came from, so accepting it keeps the name.
  await page.keyboard.press('Control+Shift+S');
  await expect(page.getByLabel('File name')).toHaveValue('homework.nnproj');
  await page.getByRole('dialog', { name: 'Save the project' }).getByRole('button', { name: 'Cancel' }).click();
});

test('a corrupt or foreign file: the loader’s message in a dialog, and the open project untouched', async ({ page }) => {
  writeFileSync(join(workspace(), 'truncated.nnproj'), '{"format": "nnstudio-project", "version": 1, "name": "cut sh');
  writeFileSync(join(workspace(), 'future.nnproj'), JSON.stringify({ format: 'nnstudio-project', version: 99 }));
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('iris');
  await setLearningRate(page, '0.07'); // unsaved work that must survive the failed opens
  await page
    .getByTestId('prompt-discard')
    .waitFor({ state: 'detached' })
    .catch(() => undefined);

  await openFromPicker(page, 'truncated.nnproj');
  await page.getByTestId('prompt-discard').click(); // the question comes first; then the file fails
  await expect(page.getByRole('alertdialog', { name: /Could not open truncated\.nnproj/ })).toBeVisible();
  await expect(page.getByTestId('dialog-message')).toContainText('truncated.nnproj');
  await page.getByTestId('dialog-ok').click();
  await expect(page).toHaveTitle(/^Iris/);
  await expect(page.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.07');

  await openFromPicker(page, 'future.nnproj');
  await page.getByTestId('prompt-discard').click();
  await expect(page.getByTestId('dialog-message')).toContainText(/newer|version 99/i);
  await page.getByTestId('dialog-ok').click();
  await expect(page).toHaveTitle(/^Iris/);
});

test('unsaved changes: New asks Save / Don’t Save / Cancel, and closing the tab asks too', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('iris');
  await setLearningRate(page, '0.09');
  await expect(page).toHaveTitle('Iris • — NN Studio');

  await page.getByTestId('example-select').selectOption('spiral');
  await expect(page.getByRole('alertdialog', { name: 'Unsaved changes' })).toContainText('Save the changes to Iris?');
  await page.getByTestId('prompt-cancel').click();
  await expect(page).toHaveTitle('Iris • — NN Studio'); // Cancel: nothing happened
  await expect(page.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.09');

  await page.getByTestId('example-select').selectOption('spiral');
  await page.getByTestId('prompt-discard').click();
  await expect(page).toHaveTitle('Spiral — NN Studio');

  await setLearningRate(page, '0.5');
  const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => (resolve(dialog.type()), void dialog.dismiss())));
  await page.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
});

test('unsaved work survives the host being killed: the next launch offers it back', async ({ page }) => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'nnstudio-crash-'));
  const data = join(dir, 'data');
  const start = () =>
    new Promise<{ host: ChildProcess; url: string }>((resolve, reject) => {
      const host = spawn(
        process.execPath,
        ['--import', 'tsx', join(root, 'src-main/browser-host/cli.ts'), '--port', '0', '--workspace', dir, '--data', data],
        { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let output = '';
      host.stdout!.on('data', (chunk) => {
        output += String(chunk);
        const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
        if (match) resolve({ host, url: match[1] });
      });
      host.once('exit', (code) => reject(new Error(`host exited (${code}): ${output}`)));
    });
  let first: { host: ChildProcess; url: string } | null = null;
  let second: { host: ChildProcess; url: string } | null = null;
  try {
    first = await start();
    await page.goto(first.url);
    await page.getByTestId('example-select').selectOption('iris');
    await setLearningRate(page, '0.0421');
    await expect(page).toHaveTitle('Iris • — NN Studio');
    await expect.poll(() => existsSync(join(data, 'backup.nnproj')), { timeout: 15_000 }).toBe(true);
    await expect
      .poll(() => JSON.parse(readFileSync(join(data, 'backup.nnproj'), 'utf8')).hyperparameters.learningRate, { timeout: 15_000 })
      .toBe(0.0421);
    first.host.kill('SIGKILL'); // no chance to clean up
    await new Promise((r) => first!.host.once('exit', r));

    second = await start();
    await page.goto(second.url);
    await expect(page.getByRole('alertdialog', { name: 'Restore unsaved work' })).toContainText('Iris');
    await page.getByTestId('restore-accept').click();
    await expect(page).toHaveTitle('Iris • — NN Studio');
    await expect(page.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.0421');
    // Discarding it (Don't Save on New) removes the backup: nothing is offered next time.
    await page.getByTestId('example-select').selectOption('spiral');
    await page.getByTestId('prompt-discard').click();
    await expect.poll(() => existsSync(join(data, 'backup.nnproj'))).toBe(false);
  } finally {
    first?.host.kill('SIGKILL');
    second?.host.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a .nnproj dropped on the window opens; another kind of file is refused with the reason', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('iris');
  // The canvas mounts after the example loads; a drop dispatched before it exists would go nowhere.
  await expect(page.getByTestId('canvas')).toBeVisible();
  const dropped = findExample('xor-sigmoid')!.create();
  dropped.name = 'Dropped';
  dropped.training = { epoch: 7, history: [] };
  const text = serialiseProject(dropped);
  const drop = (name: string, content: string) =>
    page.evaluate(
      ([fileName, body]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([body], fileName, { type: 'application/json' }));
        document
          .querySelector('[data-testid="canvas"]')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      [name, content],
    );
  await drop('notes.txt', 'hello');
  await expect(page.getByTestId('dialog-message')).toContainText('Only NN Studio projects (.nnproj files)');
  await page.getByTestId('dialog-ok').click();
  await drop('dropped.nnproj', text); // it holds the name 'Dropped', but the file is dropped.nnproj
  await expect(page).toHaveTitle('dropped — NN Studio');
  await expect(page.getByTestId('epoch')).toHaveText('7');
});

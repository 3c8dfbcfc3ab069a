/**
 * Resuming is going on: train Iris (shuffled mini-batches, momentum 0.9), pause mid-epoch, save,
 * reload the page and open the file again. The counters are where the run was, the inspector
 * traces the step training takes next, and after more training the saved weights are, bit for
 * bit, the ones the engine computes here in one run without any pause.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appUrl, expect, test, type Page } from './fixtures';
import { openFromPicker, saveAs, workspace } from './files';
import { findExample, openSession, parseProject, projectFromSession, readParameters, traceStep, type Project } from '../engine/src/index';

function saved(name: string): Project {
  const result = parseProject(readFileSync(join(workspace(), name), 'utf8'));
  if (!result.ok) throw result.error;
  return result.project;
}

/** The engine's own run of the example in one go, without a pause: `epochs` epochs, then batches up to sample `into` of the next. */
function straight(epochs: number, into: number): Project {
  const start = findExample('iris')!.create();
  const session = openSession(start, 'train');
  session.trainer.run({ epochs });
  while (session.trainer.cursor < into) session.trainer.step('batch');
  expect(session.trainer.epoch).toBe(epochs);
  return projectFromSession(start, session);
}

async function counters(page: Page): Promise<{ epoch: number; into: number; size: number }> {
  const epoch = Number(await page.getByTestId('epoch').textContent());
  const [into, size] = ((await page.getByTestId('epoch-progress').textContent()) ?? '').split('/').map(Number);
  return { epoch, into, size };
}

/** A number shown on the page, at full precision (the data-value every number carries). */
async function shown(page: Page, testId: string): Promise<number> {
  const value = await page.getByTestId(testId).first().getAttribute('data-value');
  expect(value, `${testId} carries its value`).not.toBeNull();
  return Number(value);
}

test('train, pause, save, reload, reopen, resume: the run goes on exactly as the engine’s run in one go', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('iris');
  await expect(page.getByTestId('epoch')).toHaveText('0');
  // 100 steps a second: the pause lands somewhere inside an epoch of 12 batches.
  await page.getByTestId('speed').selectOption('100');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveText('running');
  await expect.poll(async () => (await counters(page)).epoch).toBeGreaterThanOrEqual(2);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveText('paused');

  await saveAs(page, 'resume.nnproj');
  await expect(page).toHaveTitle('resume — NN Studio'); // what is on screen is what was saved
  const first = saved('resume.nnproj');
  const at = await counters(page);
  expect(at).toEqual({ epoch: first.training.epoch, into: first.training.position!.next, size: 90 });
  // The file holds the run as it stood: the engine's run to the same place, without a pause, is the same, bit for bit.
  const reference = straight(at.epoch, at.into);
  expect(first.graph).toEqual(reference.graph);
  expect(first.training).toEqual(reference.training);

  // Close it all: a new page, the file opened again.
  await page.reload();
  await expect(page.getByTestId('example-select')).toBeVisible();
  await openFromPicker(page, 'resume.nnproj');
  await expect(page).toHaveTitle('resume — NN Studio');
  await expect.poll(() => counters(page)).toEqual(at);

  // The inspector traces the step training takes next: its rows and its momentum memory, from the file.
  const session = openSession(first, 'train');
  const rows = session.trainer.nextBatch('batch');
  const trace = traceStep(
    session.model,
    readParameters(session.model),
    session.trainer.optimiserState,
    session.train,
    rows,
    first.hyperparameters,
  );
  await page.getByTestId('inspect').click();
  await expect(page.getByTestId('bp-from-run')).toBeVisible();
  await page.getByTestId('phase-update').click();
  const unit = trace.samples[0].forward[0];
  const updates = trace.updates.filter((u) => u.nodeId === unit.nodeId && u.unit === 0);
  expect(updates.some((u) => u.momentumPart !== 0)).toBe(true);
  for (const [k, update] of updates.entries()) {
    expect(await shown(page, `bp-momentum-${k}`)).toBe(update.momentumPart);
    expect(await shown(page, `bp-new-${k}`)).toBeCloseTo(update.new, 12);
  }
  await page.getByTestId('bp-close').click();

  // Resume: a few steps one at a time, then the run again (slowly, so it is paused well before its last epoch), then pause and save.
  await page.getByTestId('speed').selectOption('100');
  const stepped = openSession(first, 'train').trainer;
  for (let k = 0; k < 3; k++) {
    await page.getByRole('button', { name: 'Step batch' }).click();
    stepped.step('batch');
    await expect.poll(() => counters(page)).toEqual({ epoch: stepped.epoch, into: stepped.cursor, size: 90 });
  }
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveText('running');
  await expect.poll(async () => (await counters(page)).epoch).toBeGreaterThanOrEqual(at.epoch + 2);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveText('paused');
  await saveAs(page, 'resume-2.nnproj');
  const second = saved('resume-2.nnproj');
  const later = await counters(page);
  expect(later.epoch).toBe(second.training.epoch);
  const again = straight(later.epoch, later.into);
  expect(second.graph).toEqual(again.graph);
  expect(second.training).toEqual(again.training);

  await page.screenshot({ path: testInfo.outputPath('resumed.png'), fullPage: true });
  expect(errors).toEqual([]);
});

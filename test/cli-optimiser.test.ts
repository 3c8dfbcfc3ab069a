/**
 * `nnstudio train` with another optimiser and its settings: the run uses them (its weights are
 * the engine's for the same settings, bit for bit), they are saved with the trained project, and
 * a wrong name or a value out of range is a usage error naming the option.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findExample, openSession, parseProject, serialiseProject } from '../engine/src/index';
import { runCliCaptured } from './support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'nnstudio-cli-optimiser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nnstudio train --optimiser', () => {
  it('trains with Adam and the given settings, and saves them with the trained project', async () => {
    const project = findExample('iris')!.create();
    writeFileSync(join(dir, 'iris.nnproj'), serialiseProject(project));
    const result = await runCliCaptured(
      dir,
      'train',
      'iris.nnproj',
      '--epochs',
      '3',
      '--optimiser',
      'adam',
      '--learning-rate',
      '0.005',
      '--beta1',
      '0.8',
      '--quiet',
      '--out',
      'adam.nnproj',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const saved = parseProject(readFileSync(join(dir, 'adam.nnproj'), 'utf8'));
    if (!saved.ok) throw new Error(saved.error.message);
    const h = saved.project.hyperparameters;
    expect([h.optimiser, h.learningRate, h.beta1, h.beta2]).toEqual(['adam', 0.005, 0.8, 0.999]);
    expect(saved.project.training.optimiser?.kind).toBe('adam');

    const engine = openSession({
      ...project,
      hyperparameters: { ...project.hyperparameters, optimiser: 'adam', learningRate: 0.005, beta1: 0.8 },
    });
    engine.trainer.run({ epochs: 3 });
    const reopened = openSession(saved.project);
    expect(Array.from(reopened.trainer.params)).toEqual(Array.from(engine.trainer.params));
  });

  it('refuses an unknown optimiser and a setting out of range, naming the option', async () => {
    writeFileSync(join(dir, 'or.nnproj'), serialiseProject(findExample('iris')!.create()));
    const unknown = await runCliCaptured(dir, 'train', 'or.nnproj', '--optimiser', 'lbfgs');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--optimiser takes one of sgd, nesterov, adagrad, rmsprop, adam, got 'lbfgs'\./);
    const range = await runCliCaptured(dir, 'train', 'or.nnproj', '--optimiser', 'adam', '--beta2', '1');
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/--beta2: Adam's β₂ must be at least 0 and below 1, got 1\./);
    const text = await runCliCaptured(dir, 'train', 'or.nnproj', '--epsilon', 'tiny');
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/--epsilon needs a number, got 'tiny'\./);
    expect(text.stderr).not.toMatch(/\n\s+at /);
  });

  it('lists the optimisers and their settings in its help', async () => {
    const help = await runCliCaptured(dir, 'train', '--help');
    expect(help.code).toBe(0);
    for (const word of ['adam (Adam)', 'rmsprop (RMSprop)', '--beta1 X', '--rho X', '--epsilon X']) expect(help.stdout).toContain(word);
  });
});

import { describe, expect, it } from 'vitest';
import { findExample } from './examples';
import { evaluateProject, evaluateSession, openSession, projectFromSession } from './session';
import { newProject } from './examples';

describe('evaluateProject', () => {
  it('agrees with a trained session’s evaluation; each confusion matrix counts every sample once, its diagonal the accuracy', () => {
    const base = findExample('iris')!.create();
    const session = openSession(base, 'train', { ...base.hyperparameters, maxEpochs: 15 });
    session.trainer.run();
    const project = projectFromSession(base, session);
    const { splits, regression } = evaluateProject(project);
    expect(regression).toBeNull();
    const reference = evaluateSession(session);
    for (const split of ['train', 'validation', 'test'] as const) {
      expect(splits[split].loss).toBeCloseTo(reference[split].loss, 12);
      expect(splits[split].accuracy).toBe(reference[split].accuracy);
      const { matrix, classes } = splits[split].confusion!;
      expect(classes).toHaveLength(3);
      const total = matrix.flat().reduce((a, b) => a + b, 0);
      expect(total).toBe(splits[split].size);
      const diagonal = matrix.reduce((sum, row, k) => sum + row[k], 0);
      if (total > 0) expect(diagonal / total).toBeCloseTo(splits[split].accuracy!, 12);
    }
    expect(splits.train.size + splits.validation.size + splits.test.size).toBe(150);
  });

  it('a regression output: predicted and target per sample, whose ½(t − z)² mean is the loss', () => {
    const project = newProject({
      name: 'line',
      graph: {
        nodes: [
          { id: 'x', kind: 'input', feature: 'x' },
          { id: 'y', kind: 'neuron', activation: 'linear', bias: 0.25, output: { targets: ['t'] } },
        ],
        edges: [{ id: 'e', source: 'x', target: 'y', weight: 2 }],
      },
      dataset: {
        kind: 'inline',
        features: ['x'],
        targets: ['t'],
        rows: [
          [0, 1],
          [1, 2],
          [2, 3],
          [3, 7],
        ],
      },
      hyperparameters: { loss: 'squaredError' },
      split: { train: 0.5, validation: 0.25, test: 0.25, seed: 3 },
    });
    const { splits, regression } = evaluateProject(project);
    expect(regression!.target).toBe('t');
    expect(splits.train.accuracy).toBeNull();
    expect(splits.train.confusion).toBeNull();
    const all = [...regression!.points.train, ...regression!.points.validation, ...regression!.points.test];
    expect(all.map((p) => p.actual).sort()).toEqual([1, 2, 3, 7]);
    // z = 2x + ¼ by hand, for the x that goes with each target.
    const xOf = new Map([
      [1, 0],
      [2, 1],
      [3, 2],
      [7, 3],
    ]);
    for (const p of all) expect(p.predicted).toBeCloseTo(2 * xOf.get(p.actual)! + 0.25, 12);
    for (const split of ['train', 'validation', 'test'] as const) {
      const points = regression!.points[split];
      const mean = points.reduce((s, p) => s + 0.5 * (p.actual - p.predicted) ** 2, 0) / points.length;
      expect(splits[split].loss).toBeCloseTo(mean, 12);
    }
  });

  it('names the problem when the network does not fit the data', () => {
    const project = findExample('iris')!.create();
    project.dataset = { kind: 'builtin', name: 'xor', size: 4, noise: 0, seed: 1, encoding: '01' };
    expect(() => evaluateProject(project)).toThrow(/sepal|feature|target/i);
  });
});

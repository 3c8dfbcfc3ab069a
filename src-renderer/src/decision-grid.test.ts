import { describe, expect, it } from 'vitest';
import { fitNormalisation, generateDataset, defaultSpec, lecture } from '../../engine/src/index';
import { decisionGrid, regionInputs } from './decision-grid';

describe('decision grid', () => {
  it('the lecture’s XOR perceptron network: 1 near (0,1) and (1,0), 0 near (0,0) and (1,1)', () => {
    const data = generateDataset(defaultSpec('xor'));
    const grid = decisionGrid(lecture.xorPerceptronNetwork(), data, fitNormalisation(data, 'none'), 41)!;
    expect(grid.threshold).toBe(0.5);
    // Cell centre nearest a point (a, b) of the plane.
    const at = (a: number, b: number) => {
      const c = Math.round(((a - grid.x[0]) / (grid.x[1] - grid.x[0])) * grid.size - 0.5);
      const r = Math.round(((grid.y[1] - b) / (grid.y[1] - grid.y[0])) * grid.size - 0.5);
      return grid.values[r * grid.size + c];
    };
    expect([at(0, 0), at(0, 1), at(1, 0), at(1, 1)]).toEqual([0, 1, 1, 0]);
  });

  it('applies the normalisation the network was trained with', () => {
    const data = generateDataset(defaultSpec('xor'));
    // Divided by 10, no input in the plotted range (up to about 1.1) reaches x1 + x2 > ½: OR stays off.
    const scaled = { method: 'standardise' as const, features: [{ name: 'x1', shift: 0, scale: 10 }, { name: 'x2', shift: 0, scale: 10 }] };
    const grid = decisionGrid(lecture.orPerceptron(), data, scaled, 21)!;
    expect(Math.max(...grid.values)).toBe(0);
    const plain = decisionGrid(lecture.orPerceptron(), data, fitNormalisation(data, 'none'), 21)!;
    expect(Math.max(...plain.values)).toBe(1);
  });

  it('is null for a network that does not read two features', () => {
    const data = generateDataset(defaultSpec('xor'));
    expect(decisionGrid(lecture.network321(), data, fitNormalisation(data, 'none'))).toBeNull();
  });
});

describe('decision grid on a trained, normalised network', () => {
  it('agrees with the network’s own predictions at the data points', async () => {
    const { findExample, openSession, projectFromSession, predict } = await import('../../engine/src/index');
    const base = findExample('logistic-regression')!.create();
    const session = openSession(base, 'train', { ...base.hyperparameters, maxEpochs: 20 });
    session.trainer.run();
    const project = projectFromSession(base, session);
    const { raw, normalisation } = regionInputs(base); // before any statistics are stored…
    expect(regionInputs(project).normalisation).toEqual(normalisation); // …the same as after
    // Fitted on the raw training split: the two Gaussians at ±2 spread far wider than 1.
    expect(normalisation.features.every((f) => f.scale > 1.5)).toBe(true);
    const grid = decisionGrid(project.graph, raw, normalisation, 80)!;
    let agree = 0;
    for (let n = 0; n < raw.size; n++) {
      const a = raw.x[n * 2];
      const b = raw.x[n * 2 + 1];
      const c = Math.min(grid.size - 1, Math.floor(((a - grid.x[0]) / (grid.x[1] - grid.x[0])) * grid.size));
      const r = Math.min(grid.size - 1, Math.floor(((grid.y[1] - b) / (grid.y[1] - grid.y[0])) * grid.size));
      const x = [(a - normalisation.features[0].shift) / normalisation.features[0].scale, (b - normalisation.features[1].shift) / normalisation.features[1].scale];
      const own = predict(session.model, session.trainer.params, x)[0];
      if (grid.values[r * grid.size + c] > 0.5 === own > 0.5) agree++;
    }
    // Cells are small but not points: only samples right at the boundary may differ.
    expect(agree / raw.size).toBeGreaterThan(0.97);
  });
});

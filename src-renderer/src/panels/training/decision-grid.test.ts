import { describe, expect, it } from 'vitest';
import { fitNormalisation, generateDataset, defaultSpec, lecture } from '../../../../engine/src/index';
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
    const scaled = {
      method: 'standardise' as const,
      features: [
        { name: 'x1', shift: 0, scale: 10 },
        { name: 'x2', shift: 0, scale: 10 },
      ],
    };
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
    const { findExample, openSession, projectFromSession, predict } = await import('../../../../engine/src/index');
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
      const x = [
        (a - normalisation.features[0].shift) / normalisation.features[0].scale,
        (b - normalisation.features[1].shift) / normalisation.features[1].scale,
      ];
      const own = predict(session.model, session.trainer.params, x)[0];
      if (grid.values[r * grid.size + c] > 0.5 === own > 0.5) agree++;
    }
    // Cells are small but not points: only samples right at the boundary may differ.
    expect(agree / raw.size).toBeGreaterThan(0.97);
  });
});

describe('unit maps', () => {
  it('each unit of the lecture’s XOR network draws its own region: OR and AND lines, combined into XOR', async () => {
    const { unitMaps } = await import('./decision-grid');
    const data = generateDataset(defaultSpec('xor'));
    const size = 25;
    const { maps } = unitMaps(lecture.xorPerceptronNetwork(), data, fitNormalisation(data, 'none'), size)!;
    const grid = decisionGrid(lecture.xorPerceptronNetwork(), data, fitNormalisation(data, 'none'), size)!;
    const step = (s: number) => (s >= 0 ? 1 : 0);
    // By hand from the graph's weights at each cell centre: y1 = step(x1 + x2 − ½), y2 = step(x1 + x2 − 3/2).
    for (let r = 0; r < size; r++) {
      const b = grid.y[1] - ((r + 0.5) / size) * (grid.y[1] - grid.y[0]);
      for (let c = 0; c < size; c++) {
        const a = grid.x[0] + ((c + 0.5) / size) * (grid.x[1] - grid.x[0]);
        const cell = r * size + c;
        expect(maps.get('x1')![0].values[cell]).toBeCloseTo(a, 5);
        expect(maps.get('x2')![0].values[cell]).toBeCloseTo(b, 5);
        expect(maps.get('y1')![0].values[cell]).toBe(step(a + b - 0.5));
        expect(maps.get('y2')![0].values[cell]).toBe(step(a + b - 1.5));
        expect(maps.get('out')![0].values[cell]).toBe(step(step(a + b - 0.5) - step(a + b - 1.5) - 0.5));
        expect(maps.get('out')![0].values[cell]).toBe(grid.values[cell]);
      }
    }
    expect(maps.get('y1')![0]).toMatchObject({ centre: 0.5, span: 0.5 });
    // Inputs are unbounded: scaled to the largest distance from 0 on the plane.
    expect(maps.get('x1')![0].span).toBeCloseTo(Math.max(Math.abs(grid.x[0]), Math.abs(grid.x[1])), 1);
  });

  it('a dense layer gets a map per unit, at most four; tanh is centred on 0', async () => {
    const { unitMaps, MAPS_PER_NODE } = await import('./decision-grid');
    const { findExample } = await import('../../../../engine/src/index');
    const project = findExample('spiral')!.create();
    const { raw, normalisation } = regionInputs(project);
    const { maps } = unitMaps(project.graph, raw, normalisation, 8)!;
    const dense = project.graph.nodes.filter((n) => n.kind === 'dense');
    expect(dense.length).toBeGreaterThan(0);
    for (const node of dense) {
      const list = maps.get(node.id)!;
      expect(list).toHaveLength(Math.min(MAPS_PER_NODE, (node as { units: number }).units));
      if ((node as { activation: string }).activation === 'tanh') expect(list[0]).toMatchObject({ centre: 0, span: 1 });
    }
    expect(unitMaps(lecture.network321(), raw, normalisation)).toBeNull();
  });
});

describe('plane views on wide networks', () => {
  it('a wide network gets a coarser grid, within the budget of arithmetic per redraw; a small one the full grid', async () => {
    const { gridSize, PLANE_BUDGET, unitMaps } = await import('./decision-grid');
    expect(gridSize(9, 48)).toBe(48);
    expect(gridSize(337, 48)).toBe(48); // the spiral: 48² · 337 ≈ 0.8 M
    const medium = gridSize(10_000, 48);
    expect(medium).toBe(14);
    expect(medium * medium * 10_000).toBeLessThanOrEqual(PLANE_BUDGET);
    expect(gridSize(66_000, 48)).toBe(8); // never coarser than 8 × 8, even past the budget
    // The size used comes back with the maps, so they are drawn at it.
    const data = generateDataset(defaultSpec('xor'));
    expect(unitMaps(lecture.xorSigmoidNetwork(), data, fitNormalisation(data, 'none'), 20)!.size).toBe(20);
  });
});

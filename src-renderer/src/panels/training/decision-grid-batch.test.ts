/**
 * The plane views (decision regions and the per-unit maps) through the engine's batched pass:
 * equal to the per-sample sweep they replaced, and with no per-sample forward pass at all.
 */
import { describe, expect, it, vi } from 'vitest';

const guard = vi.hoisted(() => ({ refuse: false }));

vi.mock('../../../../engine/src/fast/kernels', async (original) => {
  const actual = await original<typeof import('../../../../engine/src/fast/kernels')>();
  return {
    ...actual,
    forward: (...args: Parameters<typeof actual.forward>) => {
      if (guard.refuse) throw new Error('a per-sample forward pass ran');
      return actual.forward(...args);
    },
  };
});

const engine = await import('../../../../engine/src/index');
const { decisionGrid, gridSize, regionInputs, unitMaps, MAPS_PER_NODE } = await import('./decision-grid');
const { randomProblem } = await import('../../../../test/support/random-dag');

type Graph = import('../../../../engine/src/index').Graph;
type Dataset = import('../../../../engine/src/index').Dataset;
type Normalisation = import('../../../../engine/src/index').Normalisation;

/**
 * The sweep as it was, one grid point at a time through the per-sample forward pass: every
 * slot's z at every cell, and the grid's geometry.
 */
function sweepPerSample(graph: Graph, data: Dataset, normalisation: Normalisation, largest: number) {
  const model = engine.compileOrThrow(graph);
  const size = gridSize(model.paramCount, largest);
  const column = model.features.map((f) => data.features.indexOf(f));
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let n = 0; n < data.size; n++) {
    const a = data.x[n * 2 + column[0]];
    const b = data.x[n * 2 + column[1]];
    [minX, maxX, minY, maxY] = [Math.min(minX, a), Math.max(maxX, a), Math.min(minY, b), Math.max(maxY, b)];
  }
  const padX = (maxX - minX || 1) * 0.08;
  const padY = (maxY - minY || 1) * 0.08;
  const x = [minX - padX, maxX + padX];
  const y = [minY - padY, maxY + padY];
  const stat = (name: string) => normalisation.features.find((f) => f.name === name) ?? { shift: 0, scale: 1 };
  const [sa, sb] = model.features.map(stat);
  const params = engine.readParameters(model);
  const ws = engine.createWorkspace(model);
  const cells: Float64Array[] = [];
  for (let r = 0; r < size; r++) {
    const b = y[1] - ((r + 0.5) / size) * (y[1] - y[0]);
    for (let c = 0; c < size; c++) {
      const a = x[0] + ((c + 0.5) / size) * (x[1] - x[0]);
      engine.forward(model, params, [(a - sa.shift) / sa.scale, (b - sb.shift) / sb.scale], 0, ws);
      cells.push(ws.z.slice());
    }
  }
  return { model, size, x, y, cells };
}

/** Largest |a − b| relative to max(1, |b|). */
function worst(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let most = 0;
  for (let i = 0; i < expected.length; i++) most = Math.max(most, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  return most;
}

/** Checks the decision grid and every unit map against the per-sample sweep. */
function checkPlane(graph: Graph, data: Dataset, normalisation: Normalisation, largest: number): void {
  const reference = sweepPerSample(graph, data, normalisation, largest);
  const { model, size, cells } = reference;
  const grid = decisionGrid(graph, data, normalisation, largest)!;
  expect(grid.size).toBe(size);
  expect([...grid.x, ...grid.y]).toEqual([...reference.x, ...reference.y]);
  const output = model.outputs[0].start;
  expect(
    worst(
      grid.values,
      cells.map((z) => z[output]),
    ),
  ).toBeLessThan(1e-14);

  const { maps } = unitMaps(graph, data, normalisation, largest)!;
  // Each node's slots in unit order: an input layer's features, a dense layer's units.
  const slotsByNode = new Map<string, number[]>();
  const slotsOf = (id: string) => slotsByNode.get(id) ?? slotsByNode.set(id, []).get(id)!;
  for (const input of model.inputs) slotsOf(input.nodeId).push(input.slot);
  for (const node of model.computing) for (let u = 0; u < node.units; u++) slotsOf(node.id).push(node.start + u);
  expect([...maps.keys()].sort()).toEqual([...slotsByNode.keys()].sort());
  for (const [id, slots] of slotsByNode) {
    const list = maps.get(id)!;
    expect(list).toHaveLength(Math.min(MAPS_PER_NODE, slots.length));
    list.forEach((map, u) => {
      // The maps are Float32Array: the per-sample value to float32's rounding (one ulp, 2⁻²³,
      // where a last-bit difference in float64 rounds the other way).
      expect(
        worst(
          map.values,
          Float64Array.from(cells, (z) => z[slots[u]]),
        ),
      ).toBeLessThanOrEqual(2 ** -23);
    });
  }
}

describe('plane views through the batched pass', () => {
  it('every two-feature example, trained a little, equals the per-sample sweep (values, grid and maps)', () => {
    let checked = 0;
    for (const example of engine.EXAMPLES) {
      const base = example.create();
      const { raw, normalisation } = regionInputs(base);
      if (raw.features.length !== 2) continue;
      let project = base;
      if (base.hyperparameters.algorithm !== 'perceptron') {
        const session = engine.openSession(base, 'train', { ...base.hyperparameters, maxEpochs: 3 });
        session.trainer.run();
        project = engine.projectFromSession(base, session);
      }
      checkPlane(project.graph, raw, normalisation, 31);
      checked++;
    }
    expect(checked).toBeGreaterThan(4);
  });

  it('random two-input DAGs (skip connections, bias nodes, softmax layers) equal the per-sample sweep', () => {
    let checked = 0;
    for (let seed = 1; checked < 12 && seed < 200; seed++) {
      const problem = randomProblem(seed, engine.LOSS_NAMES[seed % engine.LOSS_NAMES.length], 30);
      if (problem.model.features.length !== 2) continue;
      const rows = Array.from({ length: problem.data.size }, (_, n) => Array.from(problem.data.x.subarray(n * 2, n * 2 + 2)));
      const data = engine.datasetFromRows(problem.model.features, [], rows);
      const normalisation = {
        method: 'standardise' as const,
        features: problem.model.features.map((name, f) => ({ name, shift: f * 0.3, scale: 1.5 })),
      };
      checkPlane(problem.graph, data, normalisation, 17);
      checked++;
    }
    expect(checked).toBe(12);
  });

  it('an input layer holding both features gets one map per feature, each its raw input', () => {
    const data = engine.generateDataset(engine.defaultSpec('xor'));
    const graph: Graph = {
      nodes: [
        { id: 'in', kind: 'inputLayer', features: ['x1', 'x2'] },
        { id: 'h', kind: 'dense', units: 2, activation: 'tanh', bias: [0.1, -0.3] },
        { id: 'out', kind: 'neuron', activation: 'sigmoid', bias: 0.2, output: { targets: ['y'] } },
      ],
      edges: [
        {
          id: 'in->h',
          source: 'in',
          target: 'h',
          weight: [
            [1, -2],
            [0.5, 0.7],
          ],
        },
        { id: 'h->out', source: 'h', target: 'out', weight: [[1.5, -1]] },
      ],
    } as Graph;
    const none = engine.fitNormalisation(data, 'none');
    checkPlane(graph, data, none, 9);
    const { maps } = unitMaps(graph, data, none, 9)!;
    expect(maps.get('in')).toHaveLength(2);
  });

  it('no per-sample forward pass runs for the decision regions or the unit maps', () => {
    const project = engine.findExample('spiral')!.create();
    const { raw, normalisation } = regionInputs(project);
    guard.refuse = true;
    try {
      expect(decisionGrid(project.graph, raw, normalisation)!.values.length).toBeGreaterThan(0);
      expect(unitMaps(project.graph, raw, normalisation)!.maps.size).toBeGreaterThan(0);
    } finally {
      guard.refuse = false;
    }
    // The guard does refuse where a per-sample pass runs.
    const model = engine.compileOrThrow(project.graph);
    guard.refuse = true;
    try {
      expect(() => engine.forward(model, engine.readParameters(model), [0, 0], 0, engine.createWorkspace(model))).toThrow(/per-sample/);
    } finally {
      guard.refuse = false;
    }
  });
});

/**
 * Weight initialisation: seeded, within the documented ranges, with the documented spread, and
 * leaving locked parameters at their current values.
 */
import { describe, expect, it } from 'vitest';
import {
  compileOrThrow,
  initialiseParameters,
  readParameters,
  weightIndex,
  type Activation,
  type CompiledModel,
  type DenseNode,
  type Graph,
  type GraphEdge,
  type InitMethod,
} from '../index';

const zeros = (rows: number, cols: number): number[][] => Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
const dense = (id: string, units: number, activation: Activation, extra: Partial<DenseNode> = {}): DenseNode => ({
  id,
  kind: 'dense',
  units,
  activation,
  bias: new Array<number>(units).fill(0),
  ...extra,
});
const edge = (source: string, target: string, weight: number | number[][]): GraphEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  weight,
});
const targets = (n: number): string[] => Array.from({ length: n }, (_, k) => `t${k}`);

/** x → a (fanIn units) → h (units, output): the edge a→h is a fanIn→units dense connection. */
function layerModel(fanIn: number, units: number, activation: Activation = 'tanh'): CompiledModel {
  const graph: Graph = {
    nodes: [
      { id: 'x', kind: 'input', feature: 'x' },
      dense('a', fanIn, 'linear'),
      dense('h', units, activation, { output: { targets: targets(units) } }),
    ],
    edges: [edge('x', 'a', zeros(fanIn, 1)), edge('a', 'h', zeros(units, fanIn))],
  };
  return compileOrThrow(graph);
}

/** The parameters of edge `id` (its whole matrix). */
function edgeParams(model: CompiledModel, params: ArrayLike<number>, id: string): number[] {
  const e = model.edges.find((c) => c.id === id);
  if (!e) throw new Error(`no edge ${id}`);
  return Array.from(
    { length: e.sourceUnits * e.targetUnits },
    (_, k) => params[weightIndex(e, Math.floor(k / e.sourceUnits), k % e.sourceUnits)],
  );
}

/** Every bias of every computing node. */
function biasParams(model: CompiledModel, params: ArrayLike<number>): number[] {
  return model.computing.flatMap((n) => Array.from({ length: n.units }, (_, u) => params[n.biasOffset + u]));
}

/** Every weight of every edge. */
function weightParams(model: CompiledModel, params: ArrayLike<number>): number[] {
  return model.edges.flatMap((e) => edgeParams(model, params, e.id));
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
/** Second moment about zero: the variance of a zero-mean distribution. */
const meanSquare = (xs: readonly number[]): number => xs.reduce((s, x) => s + x * x, 0) / xs.length;
const maxAbs = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe('initialiseParameters: seeding', () => {
  const model = layerModel(6, 4);

  for (const method of ['uniform', 'xavier', 'he'] as InitMethod[]) {
    it(`${method}: the same seed gives the same parameters, a different seed different ones`, () => {
      const a = initialiseParameters(model, { method, seed: 17 });
      const b = initialiseParameters(model, { method, seed: 17 });
      const c = initialiseParameters(model, { method, seed: 18 });
      expect(a).toHaveLength(model.paramCount);
      expect([...a]).toEqual([...b]);
      // Only the weights are random for xavier and he (biases are 0), so compare weights.
      const wa = weightParams(model, a);
      const wc = weightParams(model, c);
      expect(wa.filter((w, k) => w === wc[k])).toEqual([]);
    });
  }
});

describe('initialiseParameters: uniform', () => {
  it('draws every weight and bias from [−range, range], using all of it', () => {
    const model = layerModel(20, 30);
    const range = 0.3;
    const params = initialiseParameters(model, { method: 'uniform', seed: 5, range });
    const all = [...params];
    expect(all.every((p) => p >= -range && p <= range)).toBe(true);
    expect(Math.min(...all)).toBeLessThan(-0.9 * range);
    expect(Math.max(...all)).toBeGreaterThan(0.9 * range);
    // Biases are drawn too, not left at 0.
    const biases = biasParams(model, params);
    expect(biases.filter((b) => b === 0)).toEqual([]);
    expect(maxAbs(biases)).toBeGreaterThan(0.5 * range);
    // U(−r, r) has variance r²/3 (relative standard error ≈ 3.6% over these 620 weights).
    expect(Math.abs(meanSquare(weightParams(model, params)) / (range ** 2 / 3) - 1)).toBeLessThan(0.12);
  });

  it('defaults to a range of 0.5', () => {
    const model = layerModel(20, 30);
    const params = [...initialiseParameters(model, { method: 'uniform', seed: 6 })];
    expect(params.every((p) => p >= -0.5 && p <= 0.5)).toBe(true);
    expect(maxAbs(params)).toBeGreaterThan(0.45);
  });

  it('refuses a range that is not a positive finite number', () => {
    const model = layerModel(2, 2);
    for (const range of [0, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => initialiseParameters(model, { method: 'uniform', seed: 1, range }), `range ${range}`).toThrow(RangeError);
    }
  });
});

describe('initialiseParameters: xavier', () => {
  it('a dense 20→30 layer: weights within ±√(6/50) with variance limit²/3; biases 0', () => {
    const model = layerModel(20, 30);
    const limit = Math.sqrt(6 / (20 + 30));
    const weights: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const params = initialiseParameters(model, { method: 'xavier', seed });
      expect(biasParams(model, params).every((b) => b === 0)).toBe(true);
      weights.push(...edgeParams(model, params, 'a->h'));
    }
    expect(weights).toHaveLength(5 * 600);
    expect(maxAbs(weights)).toBeLessThanOrEqual(limit);
    expect(maxAbs(weights)).toBeGreaterThan(0.95 * limit);
    // Standard error of the ratio is about 1.7% over 3000 draws; 8% still tells 20+30 from 20+5 or 20 alone.
    const ratio = meanSquare(weights) / (limit ** 2 / 3);
    expect(Math.abs(ratio - 1)).toBeLessThan(0.08);
    expect(Math.abs(mean(weights))).toBeLessThan(0.02);
  });

  // Glorot's a = √(6/(n_in + n_out)) for a 20→30 matrix is √(6/50) whatever comes after the 30
  // units: the fan-out of a weight is what its source feeds, not what its target feeds.
  it('a hidden dense 20→30 layer uses fan_out = 30, not the size of the layer after it', () => {
    const graph: Graph = {
      nodes: [
        { id: 'x', kind: 'input', feature: 'x' },
        dense('a', 20, 'linear'),
        dense('h', 30, 'tanh'),
        dense('o', 5, 'sigmoid', { output: { targets: targets(5) } }),
      ],
      edges: [edge('x', 'a', zeros(20, 1)), edge('a', 'h', zeros(30, 20)), edge('h', 'o', zeros(5, 30))],
    };
    const model = compileOrThrow(graph);
    const limit = Math.sqrt(6 / (20 + 30));
    const weights = edgeParams(model, initialiseParameters(model, { method: 'xavier', seed: 1 }), 'a->h');
    expect(maxAbs(weights)).toBeLessThanOrEqual(limit);
    expect(Math.abs(meanSquare(weights) / (limit ** 2 / 3) - 1)).toBeLessThan(0.15);
  });
});

describe('initialiseParameters: he', () => {
  it('a large 100→50 layer: weights have mean ≈ 0 and std ≈ √(2/100); biases 0', () => {
    const model = layerModel(100, 50, 'relu');
    const params = initialiseParameters(model, { method: 'he', seed: 12 });
    const weights = edgeParams(model, params, 'a->h');
    expect(weights).toHaveLength(5000);
    expect(biasParams(model, params).every((b) => b === 0)).toBe(true);
    const expectedStd = Math.sqrt(2 / 100);
    // Relative standard error of the std over 5000 normal draws is 1%.
    expect(Math.abs(Math.sqrt(meanSquare(weights)) / expectedStd - 1)).toBeLessThan(0.05);
    expect(Math.abs(mean(weights))).toBeLessThan(0.01);
    // Normal, not uniform: some weights lie beyond 3σ (about 13 expected), which U(±√3σ) never gives.
    expect(weights.filter((w) => Math.abs(w) > 3 * expectedStd).length).toBeGreaterThan(0);
  });

  it("a unit's fan-in counts the units of all its incoming edges (3 + 5 → std √(2/8))", () => {
    const graph: Graph = {
      nodes: [
        { id: 'x', kind: 'input', feature: 'x' },
        dense('a', 3, 'relu'),
        dense('b', 5, 'relu'),
        { id: 'y', kind: 'neuron', activation: 'linear', bias: 0, output: { targets: ['t'] } },
      ],
      edges: [edge('x', 'a', zeros(3, 1)), edge('x', 'b', zeros(5, 1)), edge('a', 'y', zeros(1, 3)), edge('b', 'y', zeros(1, 5))],
    };
    const model = compileOrThrow(graph);
    const intoY: number[] = [];
    const fromX: number[] = [];
    for (let seed = 1; seed <= 1000; seed++) {
      const params = initialiseParameters(model, { method: 'he', seed });
      intoY.push(...edgeParams(model, params, 'a->y'), ...edgeParams(model, params, 'b->y'));
      fromX.push(...edgeParams(model, params, 'x->a'), ...edgeParams(model, params, 'x->b'));
    }
    // 8000 draws each: relative standard error of the std under 1%. √(2/3) and √(2/5) are 63% and 26% off.
    expect(Math.abs(Math.sqrt(meanSquare(intoY)) / Math.sqrt(2 / 8) - 1)).toBeLessThan(0.05);
    // The layers fed by the single input have fan-in 1.
    expect(Math.abs(Math.sqrt(meanSquare(fromX)) / Math.sqrt(2) - 1)).toBeLessThan(0.05);
  });
});

describe('initialiseParameters: locked parameters', () => {
  /** x1, x2 → h3 (3 tanh units) → y, and x2 → y; the matrix x1→h3 and edge h3→y are locked, as are h3's and y's biases. */
  function lockedModel(): CompiledModel {
    const graph: Graph = {
      nodes: [
        { id: 'x1', kind: 'input', feature: 'x1' },
        { id: 'x2', kind: 'input', feature: 'x2' },
        dense('h3', 3, 'tanh', { bias: [0, 0, 0], biasLocked: true }),
        { id: 'y', kind: 'neuron', activation: 'sigmoid', bias: 0, biasLocked: true, output: { targets: ['t'] } },
        { id: 'z', kind: 'neuron', activation: 'sigmoid', bias: 0, output: { targets: ['u'] } },
      ],
      edges: [
        { ...edge('x1', 'h3', zeros(3, 1)), locked: true },
        edge('x2', 'h3', zeros(3, 1)),
        { ...edge('h3', 'y', zeros(1, 3)), locked: true },
        edge('x2', 'y', 0),
        edge('x1', 'z', 0),
      ],
    };
    return compileOrThrow(graph);
  }

  for (const method of ['uniform', 'xavier', 'he'] as InitMethod[]) {
    it(`${method}: locked edges and biasLocked nodes keep the values passed as current`, () => {
      const model = lockedModel();
      const current = Float64Array.from({ length: model.paramCount }, (_, k) => 1000 + k);
      const params = initialiseParameters(model, { method, seed: 3 }, current);

      // Where the locked parameters are, found from the model's layout rather than model.locked.
      const lockedOffsets = new Set<number>();
      for (const e of model.edges.filter((c) => c.id === 'x1->h3' || c.id === 'h3->y')) {
        for (let k = 0; k < e.sourceUnits * e.targetUnits; k++)
          lockedOffsets.add(weightIndex(e, Math.floor(k / e.sourceUnits), k % e.sourceUnits));
      }
      for (const n of model.computing.filter((c) => c.id === 'h3' || c.id === 'y')) {
        for (let u = 0; u < n.units; u++) lockedOffsets.add(n.biasOffset + u);
      }
      expect(lockedOffsets.size).toBe(3 + 3 + 3 + 1);

      for (let p = 0; p < model.paramCount; p++) {
        if (lockedOffsets.has(p)) expect(params[p], `locked parameter ${model.paramNames[p]}`).toBe(current[p]);
        else expect(Math.abs(params[p]), `free parameter ${model.paramNames[p]}`).toBeLessThan(100);
      }
      // The free weights were actually drawn (not copied, not left at 0).
      for (const id of ['x2->h3', 'x2->y', 'x1->z']) {
        expect(
          edgeParams(model, params, id).every((w) => w !== 0 && Math.abs(w) < 100),
          id,
        ).toBe(true);
      }
    });
  }

  it('without current values, the locked parameters are drawn like the others', () => {
    // `current` is what preserves locked values: without it every parameter is drawn.
    const model = lockedModel();
    const params = initialiseParameters(model, { method: 'uniform', seed: 3 });
    expect([...params].every((p) => Math.abs(p) <= 0.5)).toBe(true);
  });

  it('the current values come from readParameters in the usual flow', () => {
    const model = lockedModel();
    const graph = structuredClone(model.graph);
    (graph.edges[0].weight as number[][])[1][0] = 0.75;
    (graph.nodes[3] as { bias: number }).bias = -0.25;
    const params = initialiseParameters(model, { method: 'xavier', seed: 9 }, readParameters(model, graph));
    expect(edgeParams(model, params, 'x1->h3')).toEqual([0, 0.75, 0]);
    const y = model.computing.find((n) => n.id === 'y')!;
    expect(params[y.biasOffset]).toBe(-0.25);
  });

  it('refuses current values of the wrong length', () => {
    const model = lockedModel();
    expect(() => initialiseParameters(model, { method: 'he', seed: 1 }, new Float64Array(model.paramCount + 1))).toThrow(RangeError);
  });
});

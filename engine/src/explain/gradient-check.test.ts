/**
 * The gradient check against backprop on the shipped examples and on random DAGs, and against
 * gradients worked out by hand; and proof that it flags a wrong gradient rather than passing
 * everything.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomProblem } from '../../../test/support/random-dag';
import { bindData, compileOrThrow, datasetFromRows, readParameters, type BoundData, type CompiledModel } from '../index';
import { EXAMPLES, findExample, initialiseProjectWeights } from '../project/examples';
import { openSession } from '../project/session';
import { gradientCheck, gradientRelativeError, meanBatchLoss, type GradientCheckResult } from './gradient-check';
import * as traceModule from './trace';
import type { Graph } from '../model/graph';
import { LOSS_NAMES } from '../model/losses';

// A switch to corrupt the trace's gradients as the gradient check reads them, so that a test can
// show the check catching a backprop bug. Off unless a test sets it.
const corruption = vi.hoisted(() => ({ apply: null as null | ((trace: traceModule.StepTrace) => void) }));
vi.mock('./trace', async (importOriginal) => {
  const original = await importOriginal<typeof import('./trace')>();
  return {
    ...original,
    traceStep: (...args: Parameters<typeof original.traceStep>) => {
      const trace = original.traceStep(...args);
      corruption.apply?.(trace);
      return trace;
    },
  };
});
afterEach(() => {
  corruption.apply = null;
});

const TOLERANCE = 1e-6;

/** Every row that is not across a ReLU kink agrees to `TOLERANCE`; the message names the first that does not. */
function expectAllAgree(result: GradientCheckResult, what: string): void {
  for (const row of result.rows) {
    if (row.kink) continue;
    if (!(row.relativeError < TOLERANCE)) {
      throw new Error(`${what}: ${row.name} analytic ${row.analytic}, numeric ${row.numeric}, relative error ${row.relativeError}`);
    }
  }
  expect(result.maxRelativeError).toBeLessThan(TOLERANCE);
}

const GRADIENT_EXAMPLES = EXAMPLES.filter((e) => e.create().hyperparameters.algorithm === 'gradientDescent');

describe('gradientCheck on the shipped examples', () => {
  it('covers every gradient-trained example', () => {
    expect(GRADIENT_EXAMPLES.map((e) => e.name).sort()).toEqual([
      'digits',
      'iris',
      'logistic-regression',
      'spiral',
      'three-two-one',
      'xor-sigmoid',
    ]);
  });

  for (const example of GRADIENT_EXAMPLES) {
    it(`${example.name}: fresh weights and after a few epochs, on a mini-batch, every relative error below 1e-6`, () => {
      const project = initialiseProjectWeights(example.create());
      const session = openSession(project, 'train', { ...project.hyperparameters, maxEpochs: 3 });
      const batch = Array.from(session.trainer.order.subarray(0, Math.min(8, session.train.size)));
      const { loss } = project.hyperparameters;

      const fresh = gradientCheck(session.model, session.trainer.params, session.train, batch, loss);
      expectAllAgree(fresh, `${example.name}, fresh`);

      session.trainer.run();
      expect(session.trainer.epoch).toBe(3);
      const before = Float64Array.from(session.trainer.params);
      const trained = gradientCheck(session.model, session.trainer.params, session.train, batch, loss);
      expectAllAgree(trained, `${example.name}, trained`);
      expect(session.trainer.params).toEqual(before); // the check nudges a copy

      // One row per parameter, named and ordered as the inspector's update table.
      const trace = traceModule.traceStep(
        session.model,
        session.trainer.params,
        session.trainer.optimiserState,
        session.train,
        batch,
        session.trainer.hyperparameters,
      );
      expect(trained.rows.map((r) => [r.param, r.name, r.kind, r.nodeId, r.edgeId])).toEqual(
        trace.updates.map((u) => [u.param, u.name, u.kind, u.nodeId, u.edgeId]),
      );
      expect(trained.rows.map((r) => r.analytic)).toEqual(trace.updates.map((u) => u.gradient));
      expect(trained.rows).toHaveLength(session.model.paramCount);
      // These networks have no ReLU, so nothing may be excused as a kink; and the weights did move.
      expect(trained.rows.some((r) => r.kink)).toBe(false);
      expect(trained.rows.filter((r) => Math.abs(r.analytic) > 1e-6).length).toBeGreaterThan(trained.rows.length / 2);
      // The round-off allowance is far below any gradient a user would read, so it excuses nothing visible.
      for (const row of trained.rows) expect(row.resolution).toBeLessThan(1e-10);
    });
  }

  it('the 3-2-1 example as shipped (the lecture’s weights): the plain central difference agrees too', () => {
    const session = openSession(findExample('three-two-one')!.create());
    const result = gradientCheck(session.model, session.trainer.params, session.train, [0], 'squaredError', { order: 2 });
    expectAllAgree(result, '3-2-1, order 2');
    expect(result.rows).toHaveLength(11); // 2×3 + 2 hidden, 2 + 1 output
  });
});

describe('gradientCheck on random DAGs (sigmoid, tanh, ReLU, linear and softmax units; both losses)', () => {
  for (const loss of LOSS_NAMES) {
    it(`${loss}: every relative error below 1e-6 on a mini-batch`, () => {
      let kinks = 0;
      let rows = 0;
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 5 }), (seed, size) => {
          const { model, params, data } = randomProblem(seed, loss, 5);
          const batch = Array.from({ length: size }, (_, n) => n);
          const result = gradientCheck(model, params, data, batch, loss);
          expectAllAgree(result, `seed ${seed}, ${size} samples`);
          kinks += result.rows.filter((r) => r.kink).length;
          rows += result.rows.length;
        }),
        { numRuns: Number(process.env.GC_RUNS ?? 40) },
      );
      // random-dag keeps every ReLU's |s| above 1e-3, so almost nothing may be excused as a kink.
      expect(kinks).toBeLessThan(rows / 100);
    });
  }
});

describe('gradientCheck against gradients worked out by hand', () => {
  /** z = w·x + b (linear), or relu(w·x + b), into a squared error; one input, one output. */
  function line(
    activation: 'linear' | 'relu',
    w: number,
    b: number,
    rows: number[][],
  ): { model: CompiledModel; params: Float64Array; data: BoundData } {
    const graph: Graph = {
      nodes: [
        { id: 'x', kind: 'input', feature: 'x' },
        { id: 'y', kind: 'neuron', activation, bias: b, output: { targets: ['t'] } },
      ],
      edges: [{ id: 'e', source: 'x', target: 'y', weight: w }],
    };
    const model = compileOrThrow(graph);
    return { model, params: readParameters(model), data: bindData(model, datasetFromRows(['x'], ['t'], rows)) };
  }

  it('a linear unit: ∂J/∂w = mean of −(t − z)x, ∂J/∂b = mean of −(t − z), numerically as well', () => {
    const { model, params, data } = line('linear', 0.5, -0.25, [
      [2, 1],
      [-1, 0.5],
      [3, -2],
    ]);
    const z = (x: number) => 0.5 * x - 0.25;
    const samples = [
      [2, 1],
      [-1, 0.5],
      [3, -2],
    ];
    const dw = samples.reduce((sum, [x, t]) => sum - (t - z(x)) * x, 0) / 3;
    const db = samples.reduce((sum, [x, t]) => sum - (t - z(x)), 0) / 3;
    for (const order of [2, 4] as const) {
      const { rows } = gradientCheck(model, params, data, [0, 1, 2], 'squaredError', { order });
      const byName = new Map(rows.map((r) => [r.kind, r]));
      expect(byName.get('weight')!.analytic).toBeCloseTo(dw, 14);
      expect(byName.get('bias')!.analytic).toBeCloseTo(db, 14);
      // J is quadratic in w, so both differences are exact up to round-off.
      expect(Math.abs(byName.get('weight')!.numeric - dw)).toBeLessThan(1e-8);
      expect(Math.abs(byName.get('bias')!.numeric - db)).toBeLessThan(1e-8);
    }
  });

  it('the mean data loss is the mean of ½(t − z)² over the batch', () => {
    const { model, params, data } = line('linear', 2, 1, [
      [1, 0],
      [0, 4],
    ]);
    expect(meanBatchLoss(model, params, data, [0, 1], 'squaredError')).toBe((0.5 * 9 + 0.5 * 9) / 2);
    expect(meanBatchLoss(model, params, data, [1], 'squaredError')).toBe(4.5);
  });

  it('a mini-batch’s analytic gradient is the mean of its samples’ gradients', () => {
    const { model, params, data } = randomProblem(11, 'crossEntropy', 4);
    const batch = gradientCheck(model, params, data, [0, 1, 2, 3], 'crossEntropy');
    const single = [0, 1, 2, 3].map((n) => gradientCheck(model, params, data, [n], 'crossEntropy'));
    batch.rows.forEach((row, p) => {
      const mean = single.reduce((sum, r) => sum + r.rows[p].analytic, 0) / 4;
      expect(Math.abs(row.analytic - mean)).toBeLessThan(1e-12);
      const meanNumeric = single.reduce((sum, r) => sum + r.rows[p].numeric, 0) / 4;
      expect(Math.abs(row.numeric - meanNumeric)).toBeLessThan(1e-9);
    });
  });

  it('a ReLU exactly at its kink: backprop takes slope 0, the difference straddles it; the row is marked and not counted', () => {
    // x = 1, w = 1, b = −1: s = 0 exactly. ∂J/∂b by backprop uses relu'(0) = 0.
    const { model, params, data } = line('relu', 1, -1, [[1, 2]]);
    const result = gradientCheck(model, params, data, [0], 'squaredError');
    const bias = result.rows.find((r) => r.kind === 'bias')!;
    expect(bias.analytic).toBe(0);
    expect(Math.abs(bias.numeric)).toBeGreaterThan(0.1); // roughly half of −(t − z) = −2 on the live side
    expect(bias.kink).toBe(true);
    expect(bias.relativeError).toBeGreaterThan(0.5);
    expect(result.maxRelativeError).toBe(0); // both rows are kinks here (w's nudge moves s too)

    // Away from the kink the same unit checks cleanly and nothing is marked.
    const away = line('relu', 1, -0.5, [[1, 2]]);
    const clean = gradientCheck(away.model, away.params, away.data, [0], 'squaredError');
    expect(clean.rows.every((r) => !r.kink)).toBe(true);
    expectAllAgree(clean, 'ReLU away from its kink');
  });
});

describe('gradientCheck catches a wrong gradient', () => {
  it('a gradient off by one part in 10⁴ shows a relative error near 1e-4 on that row only', () => {
    const session = openSession(findExample('xor-sigmoid')!.create());
    const target = 3;
    corruption.apply = (trace) => {
      trace.updates[target].gradient *= 1 + 1e-4;
    };
    const result = gradientCheck(session.model, session.trainer.params, session.train, [0, 1, 2, 3], 'squaredError');
    expect(result.rows[target].relativeError).toBeGreaterThan(0.5e-4);
    expect(result.rows[target].relativeError).toBeLessThan(2e-4);
    expect(result.maxRelativeError).toBe(result.rows[target].relativeError);
    result.rows.forEach((row, p) => {
      if (p !== target) expect(row.relativeError).toBeLessThan(TOLERANCE);
    });
  });

  it('a sign error (δ = +∂J/∂s instead of −∂J/∂s) fails every row with a gradient', () => {
    const session = openSession(findExample('three-two-one')!.create());
    corruption.apply = (trace) => trace.updates.forEach((u) => (u.gradient = -u.gradient));
    const result = gradientCheck(session.model, session.trainer.params, session.train, [0], 'squaredError');
    for (const row of result.rows) if (Math.abs(row.numeric) > 1e-9) expect(row.relativeError).toBeCloseTo(2, 6);
    expect(result.maxRelativeError).toBeGreaterThan(1);
  });

  it('a non-finite gradient makes the maximum NaN, never a pass', () => {
    const session = openSession(findExample('three-two-one')!.create());
    corruption.apply = (trace) => {
      trace.updates[0].gradient = NaN;
    };
    const result = gradientCheck(session.model, session.trainer.params, session.train, [0], 'squaredError');
    expect(result.rows[0].relativeError).toBeNaN();
    expect(result.maxRelativeError).toBeNaN();
  });
});

describe('gradientRelativeError', () => {
  it('is |a − n| / max(|a|, |n|), and 0 only when both are negligible', () => {
    expect(gradientRelativeError(1, 1.001)).toBeCloseTo(0.001 / 1.001, 15);
    expect(gradientRelativeError(-2, 2)).toBe(2);
    expect(gradientRelativeError(0, 0)).toBe(0);
    expect(gradientRelativeError(3e-10, -4e-10)).toBe(0);
    expect(gradientRelativeError(1e-8, 0)).toBe(1); // not negligible: a real gradient the difference missed
    // Within the numeric estimate's round-off the disagreement is not measurable: 0; beyond it, counted.
    expect(gradientRelativeError(1e-8, 1.0001e-8)).toBeCloseTo(1e-4 / 1.0001, 12);
    expect(gradientRelativeError(1e-8, 1.0001e-8, 1e-12)).toBe(0);
    expect(gradientRelativeError(1e-8, 1.0001e-8, 1e-13)).toBeCloseTo(1e-4 / 1.0001, 12);
    expect(gradientRelativeError(NaN, 1)).toBeNaN();
    expect(gradientRelativeError(1, Infinity)).toBeNaN();
  });
});

describe('gradientCheck refuses what it cannot check', () => {
  it('step and sign perceptrons: no gradient, said in words', () => {
    const session = openSession(findExample('xor-perceptron-network')!.create(), 'evaluate');
    expect(() => gradientCheck(session.model, session.trainer.params, session.train, [0], 'squaredError')).toThrow(
      /step or sign.*perceptron rule/,
    );
  });

  it('bad sample indices: the trace’s RangeError', () => {
    const session = openSession(findExample('xor-sigmoid')!.create());
    const check = (indices: number[]) => () => gradientCheck(session.model, session.trainer.params, session.train, indices, 'squaredError');
    expect(check([4])).toThrow(RangeError);
    expect(check([4])).toThrow(/Sample 4 does not exist; the data has 4 samples/);
    expect(check([-1])).toThrow(RangeError);
    expect(check([0.5])).toThrow(RangeError);
    expect(check([])).toThrow(/at least one sample/);
  });

  it('cross-entropy on a linear output, a bad ε or order, a parameter vector of the wrong length', () => {
    const graph: Graph = {
      nodes: [
        { id: 'x', kind: 'input', feature: 'x' },
        { id: 'y', kind: 'neuron', activation: 'linear', bias: 0, output: { targets: ['t'] } },
      ],
      edges: [{ id: 'e', source: 'x', target: 'y', weight: 1 }],
    };
    const model = compileOrThrow(graph);
    const data = bindData(model, datasetFromRows(['x'], ['t'], [[1, 1]]));
    const params = readParameters(model);
    expect(() => gradientCheck(model, params, data, [0], 'crossEntropy')).toThrow(
      /Cross-entropy needs outputs that are probabilities \(sigmoid or a softmax layer\), but output y uses linear/,
    );
    expect(() => gradientCheck(model, params, data, [0], 'squaredError', { epsilon: 0 })).toThrow(RangeError);
    expect(() => gradientCheck(model, params, data, [0], 'squaredError', { epsilon: NaN })).toThrow(RangeError);
    expect(() => gradientCheck(model, params, data, [0], 'squaredError', { order: 3 as 2 })).toThrow(RangeError);
    expect(() => gradientCheck(model, params.subarray(1), data, [0], 'squaredError')).toThrow(/Expected 2 parameters/);
  });
});

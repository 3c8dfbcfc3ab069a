/**
 * Training precision: the float32 "fast" batched kernel held to the float64 readable trace at
 * float32 tolerances, on random DAGs and on a wide network; automatic precision's choice; switching
 * precision between steps; and the setting in project files.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  FAST_PRECISION_FROM_BATCH,
  FAST_PRECISION_FROM_PARAMETERS,
  LOSS_NAMES,
  PRECISIONS,
  Trainer,
  checkHyperparameters,
  createRng,
  evaluate,
  evaluateSplits,
  forwardPlan,
  resolvePrecision,
  traceStep,
  type Hyperparameters,
} from '../engine/src/index';
import { BatchedKernel } from '../engine/src/fast/batched';
import { HyperparametersSchema } from '../engine/src/project/schema';
import { randomProblem } from './support/random-dag';
import { wideProblem as wideSoftmaxProblem } from './support/wide-network';

/**
 * How far a float32 update may be from the float64 one, relative to the largest float64 change.
 * Float32 rounds each stored number to 2⁻²⁴ ≈ 6e-8 relative; a random DAG's forward and backward
 * passes chain up to about a dozen stored results per parameter (sums over fan-ins of up to ~10,
 * each activation, each δ), and the gradient of one parameter can be a difference of terms larger
 * than itself, so the bound allows 2e-5 of the update's scale: 300 roundings' worth, far below
 * any real mistake (a wrong index or a missing term changes an update by its own size).
 */
const RELATIVE = 2e-5;

/** The largest |value|, at least `floor`. */
function scaleOf(values: ArrayLike<number>, floor: number): number {
  let largest = floor;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  return largest;
}

describe('fast precision: the float32 batched kernel against the float64 trace', () => {
  for (const loss of LOSS_NAMES) {
    it(`on random DAGs, one mini-batch step with momentum, L1 and L2 (${loss})`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
          const { model, params, data } = randomProblem(seed, loss, 6);
          const rng = createRng(seed);
          const hyper: Hyperparameters = {
            ...DEFAULT_HYPERPARAMETERS,
            loss,
            mode: 'minibatch',
            batchSize: 4,
            learningRate: rng.uniform(0.01, 1),
            momentum: rng.uniform(0, 0.9),
            l1: rng.uniform(0, 0.05),
            l2: rng.uniform(0, 0.05),
            shuffleSeed: seed,
            precision: 'fast',
          };
          const trainer = new Trainer({ model, params, train: data, hyper });
          expect(trainer.precision).toBe('fast');
          expect(trainer.kernel.kind).toBe('batched');
          for (let p = 0; p < model.paramCount; p++) trainer.optimiserState.slots[0][p] = rng.normal() * 0.1;
          const before = Float64Array.from(trainer.params);
          const indices = trainer.nextBatch('batch');
          const trace = traceStep(model, trainer.params, trainer.optimiserState, data, indices, hyper);
          trainer.step('batch');
          const exactChange = trace.newParams.map((v, p) => v - before[p]);
          const tolerance = RELATIVE * scaleOf(exactChange, 1e-3);
          for (let p = 0; p < model.paramCount; p++) {
            const fastChange = trainer.params[p] - before[p];
            if (!(Math.abs(fastChange - exactChange[p]) <= tolerance))
              throw new Error(`seed ${seed}: ${model.paramNames[p]} changes by ${fastChange} in float32, ${exactChange[p]} in float64`);
          }
        }),
        { numRuns: 60, seed: 11 },
      );
    });
  }

  it('really computes in float32: its updates differ from float64 beyond float64 rounding, within float32 rounding', () => {
    const { model, params, data, hyper } = wideProblem();
    const exact = new Trainer({ model, params, train: data, hyper: { ...hyper, precision: 'exact' } });
    const fast = new Trainer({ model, params, train: data, hyper: { ...hyper, precision: 'fast' } });
    expect(exact.precision).toBe('exact');
    expect(fast.precision).toBe('fast');
    expect((fast.kernel as BatchedKernel).products).toMatch(/f32/);
    exact.step('batch');
    fast.step('batch');
    let largestDifference = 0;
    for (let p = 0; p < model.paramCount; p++) largestDifference = Math.max(largestDifference, Math.abs(fast.params[p] - exact.params[p]));
    const change = scaleOf(
      exact.params.map((v, p) => v - params[p]),
      0,
    );
    expect(largestDifference).toBeGreaterThan(1e-12 * change);
    expect(largestDifference).toBeLessThan(RELATIVE * change);
  });

  it('trains a wide network to the same loss as float64, to float32 accuracy', () => {
    const { model, params, data, hyper } = wideProblem();
    const runs = (['exact', 'fast'] as const).map((precision) => {
      const trainer = new Trainer({ model, params, train: data, hyper: { ...hyper, precision, maxEpochs: 15 } });
      trainer.run({ epochs: 15 });
      return trainer;
    });
    const [exact, fast] = runs;
    const first = exact.history[0].loss;
    const last = exact.history.at(-1)!.loss;
    // It learned something, so the comparison is about training and not about the start.
    expect(last).toBeLessThan(0.8 * first);
    expect(Math.abs(fast.history.at(-1)!.loss - last)).toBeLessThan(1e-4 * last);
  });

  it('evaluates in float32 too: within float32 rounding of float64, not float64 itself, with the same answers', () => {
    const { model, params, data, hyper } = wideProblem(40, 24, 5);
    // Trained a little, so the outputs are not the initial ones' near-ties.
    const trainer = new Trainer({ model, params, train: data, hyper: { ...hyper, precision: 'exact' } });
    trainer.run({ epochs: 3 });
    const exact = evaluate(model, trainer.params, data, 'crossEntropy');
    const fast = evaluate(model, trainer.params, data, 'crossEntropy', undefined, 'fast');
    expect(forwardPlan(model, 'fast').products).toMatch(/f32$/);
    expect(fast.loss).not.toBe(exact.loss);
    expect(Math.abs(fast.loss - exact.loss)).toBeLessThan(1e-6 * exact.loss);
    expect(fast.accuracy).toBe(exact.accuracy);
    // The plan's float32 outputs, from a float32 pass written by hand: the same to float32 rounding.
    const nf = model.features.length;
    const w = Float32Array.from(trainer.params);
    const handLoss = Array.from({ length: data.size }, (_, n) => {
      const z = model.computing.reduce<number[]>(
        (inputs, node) => {
          const s = Array.from({ length: node.units }, (_, u) => {
            let sum = w[node.biasOffset + u];
            for (let i = 0; i < node.fanIn; i++)
              sum = Math.fround(sum + Math.fround(w[node.weightOffset + u * node.fanIn + i] * inputs[i]));
            return sum;
          });
          if (node.activation === 'relu') return s.map((v) => Math.fround(Math.max(0, v)));
          const top = Math.max(...s);
          const e = s.map((v) => Math.exp(v - top));
          const total = e.reduce((a, b) => a + b, 0);
          return e.map((v) => Math.fround(v / total));
        },
        Array.from(data.x.subarray(n * nf, (n + 1) * nf), Math.fround),
      );
      const k = Array.from(data.t.subarray(n * 5, n * 5 + 5)).indexOf(1);
      return -Math.log(z[k]);
    });
    const hand = handLoss.reduce((a, b) => a + b, 0) / data.size;
    expect(Math.abs(fast.loss - hand)).toBeLessThan(1e-5 * hand);
  });

  it("a fast trainer's validation loss is the float32 evaluation's, and the project's evaluation says the same", () => {
    const { model, params, data, hyper } = wideProblem();
    const trainer = new Trainer({ model, params, train: data, validation: data, hyper: { ...hyper, precision: 'fast' } });
    trainer.run({ epochs: 2 });
    const recorded = trainer.history.at(-1)!.validationLoss!;
    expect(recorded).toBe(evaluate(model, trainer.params, data, 'crossEntropy', undefined, 'fast').loss);
    expect(recorded).not.toBe(evaluate(model, trainer.params, data, 'crossEntropy').loss);
    expect(
      evaluateSplits(model, trainer.params, { train: data, validation: data, test: data }, 'crossEntropy', 'fast').validation.loss,
    ).toBe(recorded);
  });

  it('the float32 kernel keeps its matrices in half the bytes of the float64 one', () => {
    const { model } = wideProblem();
    const exact = new BatchedKernel(model, 'crossEntropy', 64, 'auto', 'exact');
    const fast = new BatchedKernel(model, 'crossEntropy', 64, 'auto', 'fast');
    expect(fast.matrixBytes * 2).toBe(exact.matrixBytes);
  });
});

describe('switching precision between steps', () => {
  it('changes the kernel, and every step still equals the trace at that precision', () => {
    // Over 1,024 parameters: exact precision trains it with the float64 batched kernel too.
    const { model, params, data, hyper } = wideProblem(60, 30, 4);
    const trainer = new Trainer({ model, params, train: data, hyper: { ...hyper, precision: 'exact' } });
    const products = () => (trainer.kernel as BatchedKernel).products;
    expect(products()).toBe('webassembly-simd');
    for (const precision of ['fast', 'exact', 'fast', 'exact'] as const) {
      trainer.setHyperparameters({ ...hyper, precision });
      expect(trainer.precision).toBe(precision);
      expect(products()).toMatch(precision === 'fast' ? /^webassembly(-relaxed)?-simd-f32$/ : /^webassembly-simd$/);
      const before = Float64Array.from(trainer.params);
      const indices = trainer.nextBatch('batch');
      const trace = traceStep(model, trainer.params, trainer.optimiserState, data, indices, hyper);
      trainer.step('batch');
      // Exact: the trace's numbers to float64 rounding (the kernel reads a copy of weights it does not hold); fast: to float32's.
      const exactChange = trace.newParams.map((v, p) => v - before[p]);
      const tolerance = precision === 'exact' ? 1e-12 : RELATIVE * scaleOf(exactChange, 1e-3);
      for (let p = 0; p < model.paramCount; p++) expect(Math.abs(trainer.params[p] - trace.newParams[p])).toBeLessThanOrEqual(tolerance);
    }
  });
});

describe('automatic precision', () => {
  it('is float32 only for large networks trained in batches', () => {
    expect(resolvePrecision('auto', FAST_PRECISION_FROM_PARAMETERS, FAST_PRECISION_FROM_BATCH)).toBe('fast');
    expect(resolvePrecision('auto', FAST_PRECISION_FROM_PARAMETERS - 1, 64)).toBe('exact');
    expect(resolvePrecision('auto', 1_000_000, FAST_PRECISION_FROM_BATCH - 1)).toBe('exact');
    expect(resolvePrecision('exact', 1_000_000, 64)).toBe('exact');
    expect(resolvePrecision('fast', 9, 1)).toBe('fast');
  });

  it('says its thresholds as the code applies them', () => {
    expect(PRECISIONS.auto.description).toContain(FAST_PRECISION_FROM_PARAMETERS.toLocaleString('en'));
    expect(PRECISIONS.auto.description).toContain(`batches of ${FAST_PRECISION_FROM_BATCH} or more`);
  });

  it('trains the lecture-sized examples in float64 and an image-sized network in float32', () => {
    const small = wideProblem(10, 8, 3);
    expect(new Trainer({ model: small.model, params: small.params, train: small.data, hyper: small.hyper }).precision).toBe('exact');
    const large = wideProblem(120, 80, 10);
    expect(large.model.paramCount).toBeGreaterThanOrEqual(FAST_PRECISION_FROM_PARAMETERS);
    expect(new Trainer({ model: large.model, params: large.params, train: large.data, hyper: large.hyper }).precision).toBe('fast');
    // The perceptron rule has no kernel and computes in float64 whatever the setting says.
    const perceptron = { ...small.hyper, algorithm: 'perceptron' as const, loss: 'squaredError' as const, precision: 'fast' as const };
    expect(new Trainer({ model: small.model, params: small.params, train: small.data, hyper: perceptron }).precision).toBe('exact');
    const online = { ...large.hyper, mode: 'stochastic' as const };
    expect(new Trainer({ model: large.model, params: large.params, train: large.data, hyper: online }).precision).toBe('exact');
  });
});

describe('the precision setting', () => {
  it('is automatic in files written before it existed, and refused in one sentence when unknown', () => {
    const { precision, ...older } = DEFAULT_HYPERPARAMETERS;
    expect(precision).toBe('auto');
    expect(HyperparametersSchema.parse(older).precision).toBe('auto');
    const parsed = HyperparametersSchema.safeParse({ ...older, precision: 'float16' });
    expect(parsed.success).toBe(false);
    const issues = checkHyperparameters({ ...DEFAULT_HYPERPARAMETERS, precision: 'float16' as never });
    expect(issues.map((i) => i.message)).toEqual(["Unknown precision 'float16'; use auto, exact, fast."]);
  });
});

/** A wide softmax network (features → relu → classes) on random one-hot data, in mini-batches. */
function wideProblem(features = 30, hidden = 20, classes = 4) {
  const { model, params, data } = wideSoftmaxProblem({ features, hidden, classes, rows: 300, dataSeed: 4, initSeed: 3 });
  const hyper: Hyperparameters = {
    ...DEFAULT_HYPERPARAMETERS,
    loss: 'crossEntropy',
    mode: 'minibatch',
    batchSize: 32,
    learningRate: 0.1,
    momentum: 0.5,
    l2: 0.001,
  };
  return { model, params, data, hyper };
}

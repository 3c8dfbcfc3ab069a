/**
 * The readable step trace against the fast training path: the same step must give the same
 * numbers to 1e-12, for single samples and mini-batches, with momentum and regularisation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  Trainer,
  backward,
  createRng,
  createWorkspace,
  forward,
  freshOptimiserState,
  initialiseParameters,
  lecture,
  prepareTraining,
  traceStep,
  LOSS_NAMES,
  type Hyperparameters,
} from '../engine/src/index';
import { randomProblem } from './support/random-dag';

const TOLERANCE = 1e-12;

function expectArraysClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > TOLERANCE) throw new Error(`${what}[${i}]: trace ${actual[i]}, fast path ${expected[i]}`);
  }
}

describe('trace = fast path', () => {
  // Every loss of the registry with every kernel.
  const cases = (['interpreted', 'generated', 'batched'] as const).flatMap((kernel) => LOSS_NAMES.map((loss) => [loss, kernel] as const));
  for (const [loss, kernel] of cases) {
    it(`on random DAGs, one sample and one mini-batch, with momentum, L1 and L2 (${loss}, ${kernel} kernel)`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom<'sample' | 'batch'>('sample', 'batch'), (seed, unit) => {
          const { model, params, data } = randomProblem(seed, loss, 5);
          const rng = createRng(seed);
          const hyper: Hyperparameters = {
            ...DEFAULT_HYPERPARAMETERS,
            loss,
            mode: 'minibatch',
            batchSize: 3,
            learningRate: rng.uniform(0.01, 1),
            momentum: rng.uniform(0, 0.9),
            l1: rng.uniform(0, 0.05),
            l2: rng.uniform(0, 0.05),
            shuffleSeed: seed,
          };
          const trainer = new Trainer({ model, params, train: data, hyper, kernel });
          expect(trainer.kernel.kind).toBe(kernel);
          // Momentum needs a previous Δw: give every parameter one.
          for (let p = 0; p < model.paramCount; p++) trainer.optimiserState.slots[0][p] = rng.normal() * 0.1;

          const indices = trainer.nextBatch(unit);
          const trace = traceStep(model, trainer.params, trainer.optimiserState, data, indices, hyper);
          const report = trainer.step(unit);
          expect(report.samples).toBe(indices.length);
          expectArraysClose(trace.newParams, trainer.params, 'params');
          expectArraysClose(trace.newOptimiserState.slots[0], trainer.optimiserState.slots[0], 'velocity');
          expect(trace.newOptimiserState.step).toBe(trainer.optimiserState.step);

          // Per sample, every z and δ equals the kernels' (δ = −∂J/∂s).
          const ws = createWorkspace(model);
          for (const sample of trace.samples) {
            const grad = new Float64Array(model.paramCount);
            forward(model, params, data.x, sample.index * model.features.length, ws);
            backward(model, params, loss, ws, data.t, sample.index * model.targets.length, grad, 1);
            for (const unitRecord of sample.forward) {
              const slot = model.computing.find((n) => n.id === unitRecord.nodeId)!.start + unitRecord.unit;
              expect(Math.abs(unitRecord.z - ws.z[slot])).toBeLessThanOrEqual(TOLERANCE);
              expect(Math.abs(unitRecord.s - ws.s[slot])).toBeLessThanOrEqual(TOLERANCE);
            }
            for (const unitRecord of sample.backward) {
              const slot = model.computing.find((n) => n.id === unitRecord.nodeId)!.start + unitRecord.unit;
              expect(Math.abs(unitRecord.delta + ws.gradS[slot])).toBeLessThanOrEqual(TOLERANCE);
            }
          }
        }),
        { numRuns: 80, seed: 7 },
      );
    });
  }

  it('records the update parts so that Δw = gradient part + momentum part + regularisation part', () => {
    const { model, params, data } = randomProblem(42, 'squaredError', 4);
    const memory = freshOptimiserState('sgd', model.paramCount);
    memory.slots[0].fill(0.01);
    const hyper = { ...DEFAULT_HYPERPARAMETERS, learningRate: 0.3, momentum: 0.5, l1: 0.01, l2: 0.02 };
    const trace = traceStep(model, params, memory, data, [0, 1, 2, 3], hyper);
    expect(trace.updates).toHaveLength(model.paramCount);
    for (const u of trace.updates) {
      expect(u.change).toBeCloseTo(u.gradientPart + u.momentumPart + u.regularisationPart, 15);
      expect(u.momentumPart).toBeCloseTo(0.5 * 0.01, 15);
      expect(u.gradientPart).toBeCloseTo(-0.3 * u.gradient, 15);
      // Mini-batch: the gradient is the mean of the per-sample contributions −δ_j x_ji.
      expect(u.contributions).toHaveLength(4);
      const mean = u.contributions.reduce((s, c) => s + -c.delta * c.x, 0) / 4;
      expect(u.gradient).toBeCloseTo(mean, 14);
      // Biases, and weights on edges from a constant-1 bias node, are not regularised.
      const fromBias = u.edgeId !== null && model.edges.find((e) => e.id === u.edgeId)!.fromBias;
      if (u.kind === 'bias' || fromBias) expect(u.regularisationPart).toBe(0);
      else expect(u.regularisationPart).toBeCloseTo(-0.3 * (0.02 * u.old + 0.01 * Math.sign(u.old)), 15);
      // The regularisation part split into L1's and L2's, which with the others add up to Δw.
      expect(u.l1Part).toBe(u.kind === 'bias' || fromBias ? 0 : -0.3 * 0.01 * Math.sign(u.old));
      expect(u.l2Part).toBe(u.kind === 'bias' || fromBias ? 0 : -0.3 * 0.02 * u.old);
      expect(u.l1Part + u.l2Part).toBeCloseTo(u.regularisationPart, 16);
      expect(u.gradientPart + u.momentumPart + u.l1Part + u.l2Part).toBeCloseTo(u.change, 15);
    }
  });

  it('leaves locked weights and biases alone, in both paths', () => {
    const graph = lecture.xorSigmoidNetwork();
    graph.edges[0].locked = true;
    (graph.nodes[2] as { biasLocked?: boolean }).biasLocked = true;
    const hyper = { ...DEFAULT_HYPERPARAMETERS, mode: 'batch' as const, learningRate: 1 };
    const setup = prepareTraining(graph, hyper, lecture.truthTable('xor'));
    const params = initialiseParameters(setup.model, { method: 'uniform', seed: 5 });
    const trainer = new Trainer({ model: setup.model, params, train: setup.train, hyper });
    const trace = traceStep(setup.model, trainer.params, trainer.optimiserState, setup.train, trainer.nextBatch('batch'), hyper);
    trainer.step('batch');
    const lockedWeight = setup.model.edges[0].weightOffset;
    const lockedBias = setup.model.computing.find((n) => n.id === 'h1')!.biasOffset;
    for (const p of [lockedWeight, lockedBias]) {
      expect(trainer.params[p]).toBe(params[p]);
      const update = trace.updates.find((u) => u.param === p)!;
      expect(update.locked).toBe(true);
      expect(update.change).toBe(0);
      expect(update.gradient).not.toBe(0); // it has a gradient; training just does not apply it
    }
    expectArraysClose(trace.newParams, trainer.params, 'params');
  });

  it('traces the perceptron rule as the perceptron rule', () => {
    const hyper: Hyperparameters = {
      ...DEFAULT_HYPERPARAMETERS,
      algorithm: 'perceptron',
      mode: 'stochastic',
      learningRate: 0.2,
      shuffle: false,
    };
    const graph = lecture.orPerceptron();
    const setup = prepareTraining(graph, hyper, lecture.truthTable('or'));
    const params = Float64Array.from([0.1, -0.3, 0.05]);
    const trainer = new Trainer({ model: setup.model, params, train: setup.train, hyper });
    for (let step = 0; step < 8; step++) {
      const indices = trainer.nextBatch('sample');
      const trace = traceStep(setup.model, trainer.params, trainer.optimiserState, setup.train, indices, hyper);
      expect(trace.samples[0].backward).toHaveLength(0);
      trainer.step('sample');
      expectArraysClose(trace.newParams, trainer.params, 'params');
      // w ← w + η (t − y) x, by hand
      const sample = trace.samples[0];
      const error = sample.lossTerms[0].t - sample.lossTerms[0].z;
      for (const u of trace.updates) {
        const x = u.kind === 'bias' ? 1 : sample.inputs[u.sourceUnit === 0 && u.edgeId === 'x1->y' ? 0 : 1].value;
        expect(u.change).toBeCloseTo(0.2 * error * x, 15);
      }
    }
  });

  it('refuses a sample that does not exist', () => {
    const { model, params, data } = randomProblem(3, 'squaredError', 2);
    const memory = freshOptimiserState('sgd', model.paramCount);
    expect(() => traceStep(model, params, memory, data, [5], DEFAULT_HYPERPARAMETERS)).toThrow(
      /Sample 5 does not exist; the data has 2 samples/,
    );
    expect(() => traceStep(model, params, memory, data, [], DEFAULT_HYPERPARAMETERS)).toThrow(/at least one sample/);
    // Memory of another optimiser, or of another network, is refused, never read as gradient descent's.
    expect(() => traceStep(model, params, freshOptimiserState('adam', model.paramCount), data, [0], DEFAULT_HYPERPARAMETERS)).toThrow(
      RangeError,
    );
    expect(() => traceStep(model, params, freshOptimiserState('sgd', model.paramCount + 1), data, [0], DEFAULT_HYPERPARAMETERS)).toThrow(
      /does not fit the step/,
    );
  });
});

/**
 * The lecture's worked examples (backprop-notes.md, "Worked examples that must reproduce exactly").
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  Trainer,
  bindData,
  compileOrThrow,
  evaluate,
  freshOptimiserState,
  initialiseParameters,
  lecture,
  predict,
  prepareTraining,
  readParameters,
  traceStep,
  type Graph,
  type Hyperparameters,
} from '../engine/src/index';

function truthTableOf(graph: Graph, inputs: [number, number][]): number[] {
  const model = compileOrThrow(graph);
  const params = readParameters(model);
  return inputs.map((x) => predict(model, params, x)[0]);
}

const BINARY: [number, number][] = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const SIGNED: [number, number][] = [
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
];

describe('perceptrons with hand-set weights reproduce their truth tables', () => {
  it('OR: g(x) = x1 + x2 − ½ gives 0 1 1 1', () => {
    expect(truthTableOf(lecture.orPerceptron(), BINARY)).toEqual([0, 1, 1, 1]);
  });
  it('AND: g(x) = x1 + x2 − 3/2 gives 0 0 0 1', () => {
    expect(truthTableOf(lecture.andPerceptron(), BINARY)).toEqual([0, 0, 0, 1]);
  });
  it('XOR as OR and AND feeding φ(y1 − y2 − ½) gives 0 1 1 0', () => {
    expect(truthTableOf(lecture.xorPerceptronNetwork(), BINARY)).toEqual([0, 1, 1, 0]);
  });
  it('XOR with sign units and TRUE = +1 gives −1 +1 +1 −1', () => {
    expect(truthTableOf(lecture.xorSignNetwork(), SIGNED)).toEqual([-1, 1, 1, -1]);
  });
  it('the truth-table datasets agree with the networks (accuracy 100%)', () => {
    for (const [graph, data] of [
      [lecture.orPerceptron(), lecture.truthTable('or')],
      [lecture.andPerceptron(), lecture.truthTable('and')],
      [lecture.xorPerceptronNetwork(), lecture.truthTable('xor')],
      [lecture.xorSignNetwork(), lecture.truthTable('xor', 'pm1', ['h1', 'h2'])],
    ] as const) {
      const model = compileOrThrow(graph);
      const result = evaluate(model, readParameters(model), bindData(model, data), 'squaredError');
      expect(result.accuracy).toBe(1);
      expect(result.loss).toBe(0);
    }
  });
});

describe('learning', () => {
  it('a 2-2-1 sigmoid network learns XOR to 100% accuracy from a seeded initialisation', () => {
    const hyper: Hyperparameters = {
      ...DEFAULT_HYPERPARAMETERS,
      mode: 'stochastic',
      learningRate: 0.5,
      momentum: 0.9,
      maxEpochs: 5000,
      targetLoss: 0.005,
      init: { method: 'uniform', seed: 7, range: 1 },
    };
    const setup = prepareTraining(lecture.xorSigmoidNetwork(), hyper, lecture.truthTable('xor'));
    const trainer = new Trainer({ model: setup.model, params: initialiseParameters(setup.model, hyper.init), train: setup.train, hyper });
    const result = trainer.run();
    expect(result.reason).toBe('targetLoss');
    expect(trainer.evaluate().accuracy).toBe(1);
    const outputs = [0, 1, 2, 3].map((n) => predict(setup.model, trainer.params, setup.train.x.subarray(n * 2, n * 2 + 2))[0]);
    expect(outputs.map((z) => (z > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  });

  it('the perceptron rule learns OR from random weights and stops when it has converged', () => {
    const hyper: Hyperparameters = { ...DEFAULT_HYPERPARAMETERS, algorithm: 'perceptron', learningRate: 0.1, maxEpochs: 100 };
    const setup = prepareTraining(lecture.orPerceptron(), hyper, lecture.truthTable('or'));
    const start = initialiseParameters(setup.model, { method: 'uniform', seed: 11, range: 1 });
    const trainer = new Trainer({ model: setup.model, params: start, train: setup.train, hyper });
    expect(trainer.evaluate().accuracy).toBeLessThan(1); // it really starts wrong
    const result = trainer.run();
    expect(result.reason).toBe('converged');
    expect(trainer.evaluate().accuracy).toBe(1);
  });

  it('the perceptron rule learns AND with sign units and ±1 encoding', () => {
    const graph = lecture.andPerceptron();
    (graph.nodes[2] as { activation: string }).activation = 'sign';
    const hyper: Hyperparameters = { ...DEFAULT_HYPERPARAMETERS, algorithm: 'perceptron', learningRate: 0.1, maxEpochs: 200 };
    const setup = prepareTraining(graph, hyper, lecture.truthTable('and', 'pm1'));
    const trainer = new Trainer({
      model: setup.model,
      params: initialiseParameters(setup.model, { method: 'uniform', seed: 3 }),
      train: setup.train,
      hyper,
    });
    expect(trainer.run().reason).toBe('converged');
    expect(trainer.evaluate().accuracy).toBe(1);
  });
});

describe('the 3-2-1 example: the first update equals the hand calculation', () => {
  // Hidden y_j = σ(Σ_i w_ji x_i + b_j), output z1 = σ(Σ_j w_kj y_j + b_k), J = ½ (t − z1)², η = 0.5.
  // Weights: w_1· = (0.1, −0.2, 0.3), b_1 = 0.1; w_2· = (0.4, 0.1, −0.5), b_2 = −0.1; w_k· = (0.5, −0.4), b_k = 0.2.
  // Sample x = (1, 0, 1), t = 1.
  const sigma = (s: number) => 1 / (1 + Math.exp(-s));
  const eta = 0.5;
  const x = [1, 0, 1];
  const t = 1;
  // Forward, by hand.
  const s1 = 0.1 * 1 + -0.2 * 0 + 0.3 * 1 + 0.1; // 0.5
  const s2 = 0.4 * 1 + 0.1 * 0 + -0.5 * 1 - 0.1; // −0.2
  const y1 = sigma(s1); // 0.622459
  const y2 = sigma(s2); // 0.450166
  const sk = 0.5 * y1 + -0.4 * y2 + 0.2; // 0.331163
  const z1 = sigma(sk); // 0.582042
  // Backward: δ_k = (t − z) z(1 − z); δ_j = y_j(1 − y_j) w_kj δ_k.
  const deltaK = (t - z1) * z1 * (1 - z1); // 0.101676
  const delta1 = y1 * (1 - y1) * 0.5 * deltaK; // 0.0119471
  const delta2 = y2 * (1 - y2) * -0.4 * deltaK; // −0.0100666
  // Updates: Δw_kj = η δ_k y_j; Δw_ji = η δ_j x_i.
  const expected: Record<string, number> = {
    'w(z1←y1)': eta * deltaK * y1,
    'w(z1←y2)': eta * deltaK * y2,
    'b(z1)': eta * deltaK,
    'w(y1←x1)': eta * delta1 * x[0],
    'w(y1←x2)': eta * delta1 * x[1],
    'w(y1←x3)': eta * delta1 * x[2],
    'b(y1)': eta * delta1,
    'w(y2←x1)': eta * delta2 * x[0],
    'w(y2←x2)': eta * delta2 * x[1],
    'w(y2←x3)': eta * delta2 * x[2],
    'b(y2)': eta * delta2,
  };

  const hyper: Hyperparameters = { ...DEFAULT_HYPERPARAMETERS, learningRate: eta, mode: 'stochastic', shuffle: false };
  const data = { features: ['x1', 'x2', 'x3'], targets: ['t'], size: 1, x: Float64Array.from(x), y: Float64Array.from([t]) };

  it('the numbers written in the comments are what the formulas give', () => {
    expect(y1).toBeCloseTo(0.622459, 6);
    expect(z1).toBeCloseTo(0.582042, 6);
    expect(deltaK).toBeCloseTo(0.101676, 6);
    expect(delta1).toBeCloseTo(0.0119471, 7);
    expect(delta2).toBeCloseTo(-0.0100666, 7);
  });

  it('in the trace: forward values, deltas with their rules, and every Δw', () => {
    const setup = prepareTraining(lecture.network321(), hyper, data);
    const trace = traceStep(
      setup.model,
      readParameters(setup.model),
      freshOptimiserState('sgd', setup.model.paramCount),
      setup.train,
      [0],
      hyper,
    );
    const sample = trace.samples[0];
    const unit = (name: string) => sample.forward.find((f) => f.name === name)!;
    expect(unit('y1').s).toBeCloseTo(s1, 14);
    expect(unit('y2').z).toBeCloseTo(y2, 14);
    expect(unit('z1').z).toBeCloseTo(z1, 14);
    expect(sample.loss).toBeCloseTo(0.5 * (t - z1) ** 2, 14);

    // Reverse topological order: the output first.
    expect(sample.backward.map((b) => b.name)).toEqual(['z1', 'y2', 'y1']);
    const [out, h2, h1] = sample.backward;
    expect(out.role).toBe('output');
    expect(out.rule).toContain("(t_k − z_k) φ'(s_k)");
    expect(out.phiPrime!.value).toBeCloseTo(z1 * (1 - z1), 14);
    expect(out.delta).toBeCloseTo(deltaK, 14);
    expect(h1.role).toBe('hidden');
    expect(h1.rule).toContain("φ'(s_j) Σ_k w_kj δ_k");
    expect(h1.downstream).toEqual([expect.objectContaining({ name: 'z1', w: 0.5, delta: out.delta })]);
    expect(h1.delta).toBeCloseTo(delta1, 14);
    expect(h2.delta).toBeCloseTo(delta2, 14);

    for (const [name, change] of Object.entries(expected)) {
      const update = trace.updates.find((u) => u.name === name);
      expect(update, name).toBeDefined();
      expect(update!.change, name).toBeCloseTo(change, 14);
      expect(update!.new, name).toBeCloseTo(update!.old + change, 14);
    }
    expect(trace.updates).toHaveLength(Object.keys(expected).length);
  });

  it('in the fast training path', () => {
    const setup = prepareTraining(lecture.network321(), hyper, data);
    const before = readParameters(setup.model);
    const trainer = new Trainer({ model: setup.model, params: before, train: setup.train, hyper });
    trainer.step('sample');
    for (const [name, change] of Object.entries(expected)) {
      const p = setup.model.paramNames.indexOf(name);
      expect(trainer.params[p] - before[p], name).toBeCloseTo(change, 14);
    }
  });
});

/**
 * The trainer: update rules checked by hand on a one-neuron network, modes, stopping criteria,
 * divergence, reproducibility and bad settings.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  Trainer,
  TrainingSetupError,
  checkHyperparameters,
  createRng,
  datasetFromRows,
  initialiseParameters,
  lecture,
  evaluate,
  prepareTraining,
  readParameters,
  traceStep,
  subset,
  type Graph,
  type Hyperparameters,
} from '../engine/src/index';

/** z = w·x + b, one linear neuron: small enough to compute every update by hand. */
const linearNeuron = (w = 0.5, b = 0.1): Graph => ({
  nodes: [
    { id: 'x', kind: 'input', feature: 'x' },
    { id: 'y', kind: 'neuron', activation: 'linear', bias: b, output: { targets: ['t'] } },
  ],
  edges: [{ id: 'e', source: 'x', target: 'y', weight: w }],
});

const hyper = (overrides: Partial<Hyperparameters> = {}): Hyperparameters => ({ ...DEFAULT_HYPERPARAMETERS, shuffle: false, ...overrides });

function trainerFor(graph: Graph, rows: number[][], h: Hyperparameters, params?: number[]) {
  const setup = prepareTraining(graph, h, datasetFromRows(['x'], ['t'], rows));
  return new Trainer({ model: setup.model, params: params ?? readParameters(setup.model), train: setup.train, hyper: h });
}

describe('update rules, by hand', () => {
  it('stochastic gradient descent with momentum: Δw(r) = −η∇J + α Δw(r−1)', () => {
    const h = hyper({ mode: 'stochastic', learningRate: 0.1, momentum: 0.9 });
    const trainer = trainerFor(linearNeuron(0.5, 0.1), [[2, 1]], h);
    // Step 1: z = 0.5·2 + 0.1 = 1.1; δ = t − z = −0.1; Δw = η δ x = −0.02; Δb = η δ = −0.01.
    trainer.step('sample');
    expect(trainer.params[0]).toBeCloseTo(0.48, 15);
    expect(trainer.params[1]).toBeCloseTo(0.09, 15);
    // Step 2: z = 0.48·2 + 0.09 = 1.05; δ = −0.05; Δw = 0.1·(−0.05)·2 + 0.9·(−0.02) = −0.028; Δb = −0.005 − 0.009 = −0.014.
    trainer.step('sample');
    expect(trainer.params[0]).toBeCloseTo(0.452, 15);
    expect(trainer.params[1]).toBeCloseTo(0.076, 15);
  });

  it('L2 adds λ₂w and L1 adds λ₁ sign(w) to the gradient of weights, not of biases', () => {
    const h = hyper({ mode: 'stochastic', learningRate: 0.1, l2: 0.5, l1: 0.2 });
    const trainer = trainerFor(linearNeuron(-0.5, 0.3), [[1, -0.2]], h);
    // z = −0.5 + 0.3 = −0.2 = t, so the data gradient is 0 and only the penalty moves w.
    trainer.step('sample');
    expect(trainer.params[0]).toBeCloseTo(-0.5 - 0.1 * (0.5 * -0.5 + 0.2 * -1), 15);
    expect(trainer.params[1]).toBe(0.3);
  });

  it('batch mode averages the per-sample gradients', () => {
    const h = hyper({ mode: 'batch', learningRate: 0.1 });
    const batch = trainerFor(
      linearNeuron(1, 0),
      [
        [1, 0],
        [2, 0],
      ],
      h,
    );
    // z = (1, 2), δ = (−1, −2); mean ∂J/∂w = mean(−δ x) = (1 + 4)/2 = 2.5; ∂J/∂b = 1.5.
    const report = batch.step('batch');
    expect(report.samples).toBe(2);
    expect(report.epochsCompleted).toHaveLength(1);
    expect(batch.params[0]).toBeCloseTo(1 - 0.25, 15);
    expect(batch.params[1]).toBeCloseTo(-0.15, 15);
  });
});

describe('steps and epochs', () => {
  const rows = Array.from({ length: 10 }, (_, n) => [n / 10, (n / 10) * 2]);

  it('mini-batch mode: a batch step uses batchSize samples, the last one what is left; an epoch step finishes the epoch', () => {
    const trainer = trainerFor(linearNeuron(), rows, hyper({ mode: 'minibatch', batchSize: 4 }));
    expect(trainer.step('batch').samples).toBe(4);
    expect(trainer.step('sample').samples).toBe(1);
    expect(trainer.cursor).toBe(5);
    const report = trainer.step('epoch');
    expect(report.samples).toBe(5);
    expect(report.updates).toBe(2); // 4 + 1
    expect(trainer.epoch).toBe(1);
    expect(trainer.cursor).toBe(0);
    expect(trainer.history).toHaveLength(1);
  });

  it("an epoch's loss and accuracy are the means over its steps, each measured before its update", () => {
    const h = hyper({ mode: 'minibatch', batchSize: 4, learningRate: 0.3 });
    const trainer = trainerFor(linearNeuron(), rows, h);
    // The trace measures each step's loss independently of the kernel.
    let lossSum = 0;
    for (const unit of ['batch', 'sample', 'batch', 'sample'] as const) {
      const indices = trainer.nextBatch(unit);
      lossSum += traceStep(trainer.model, trainer.params, trainer.optimiserState, trainer.train, indices, h).meanLoss * indices.length;
      trainer.step(unit);
    }
    expect(trainer.epoch).toBe(1);
    expect(trainer.history[0].loss).toBeCloseTo(lossSum / rows.length, 14);
    expect(trainer.history[0].accuracy).toBeNull(); // a linear output is a regression

    // Accuracy likewise: XOR in batch mode, where the single step sees all four samples.
    const xor = prepareTraining(lecture.xorSigmoidNetwork(), hyper({ mode: 'batch' }), lecture.truthTable('xor'));
    const params = initialiseParameters(xor.model, { method: 'uniform', seed: 2, range: 3 });
    const before = evaluate(xor.model, params, xor.train, 'squaredError');
    const batchTrainer = new Trainer({ model: xor.model, params, train: xor.train, hyper: hyper({ mode: 'batch' }) });
    batchTrainer.step('batch');
    expect(batchTrainer.history[0].loss).toBeCloseTo(before.loss, 14);
    expect(batchTrainer.history[0].accuracy).toBe(before.accuracy);
  });

  it('shuffles with its seed: the same seed gives the same order and the same weights', () => {
    const h = hyper({ mode: 'stochastic', shuffle: true, shuffleSeed: 99, learningRate: 0.05 });
    const a = trainerFor(linearNeuron(), rows, h);
    const b = trainerFor(linearNeuron(), rows, h);
    const c = trainerFor(linearNeuron(), rows, { ...h, shuffleSeed: 100 });
    expect(Array.from(a.order)).toEqual(Array.from(b.order));
    expect(Array.from(a.order)).not.toEqual(Array.from(c.order));
    expect(Array.from(a.order).sort((p, q) => p - q)).toEqual(rows.map((_, n) => n));
    for (let e = 0; e < 5; e++) {
      a.step('epoch');
      b.step('epoch');
    }
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    expect(a.history).toEqual(b.history);
  });

  it('hyperparameters changed between steps apply from the next step', () => {
    const trainer = trainerFor(linearNeuron(0.5, 0.1), [[2, 1]], hyper({ learningRate: 0.1 }));
    trainer.setHyperparameters({ ...trainer.hyperparameters, learningRate: 0.2 });
    trainer.step('sample');
    expect(trainer.params[0]).toBeCloseTo(0.5 + 0.2 * -0.1 * 2, 15);
    expect(() => trainer.setHyperparameters({ ...trainer.hyperparameters, learningRate: -1 })).toThrow(
      /learning rate η must be a positive number/,
    );
    expect(() => trainer.setHyperparameters({ ...trainer.hyperparameters, loss: 'crossEntropy' })).toThrow(/compiled again/);
  });
});

describe('run: bounded progress and pausing between steps', () => {
  const rows = Array.from({ length: 100 }, (_, n) => [n / 100, (n / 100) * 2]);

  it('runs exactly the epochs asked for', () => {
    const trainer = trainerFor(linearNeuron(), rows, hyper({ mode: 'minibatch', batchSize: 10, maxEpochs: 1000 }));
    const seen: number[] = [];
    const result = trainer.run({ epochs: 3, onEpoch: (r) => seen.push(r.epoch) });
    expect(result.reason).toBe('epochs');
    expect(seen).toEqual([1, 2, 3]);
    expect(trainer.run({ epochs: 2 }).epochs).toBe(5);
  });

  it('reports progress no more often than the interval, by the clock it is given', () => {
    const trainer = trainerFor(linearNeuron(), rows, hyper({ mode: 'minibatch', batchSize: 20, maxEpochs: 1000 }));
    let now = 0;
    const reports: { at: number; epoch: number; into: number }[] = [];
    // Each clock read advances 7 ms: with a 50 ms interval a report comes every 8th step at most.
    trainer.run({
      epochs: 4,
      progressIntervalMs: 50,
      clock: () => (now += 7),
      onProgress: (p) => reports.push({ at: now, epoch: p.epoch, into: p.samplesIntoEpoch }),
    });
    expect(reports.length).toBeGreaterThan(1);
    for (let i = 1; i < reports.length; i++) expect(reports[i].at - reports[i - 1].at).toBeGreaterThanOrEqual(50);
    expect(reports.every((r) => r.into % 20 === 0 && r.into < 100)).toBe(true);
  });

  it('pauses between steps, mid-epoch, and resumes exactly where it was', () => {
    const h = hyper({ mode: 'minibatch', batchSize: 20, maxEpochs: 1000 });
    const paused = trainerFor(linearNeuron(), rows, h);
    let now = 0;
    let reports = 0;
    const result = paused.run({
      progressIntervalMs: 1,
      clock: () => ++now,
      onProgress: () => reports++,
      shouldContinue: () => reports < 3,
    });
    expect(result.reason).toBe('interrupted');
    expect(paused.epoch).toBe(0);
    expect(paused.cursor).toBe(60); // three steps of 20, mid-epoch
    paused.run({ epochs: 2 });
    // The same as training straight through.
    const straight = trainerFor(linearNeuron(), rows, h);
    straight.run({ epochs: 2 });
    expect(Array.from(paused.params)).toEqual(Array.from(straight.params));
    expect(paused.history).toEqual(straight.history);
  });
});

describe('stopping criteria', () => {
  it('stops at the maximum number of epochs', () => {
    const trainer = trainerFor(linearNeuron(), [[1, 2]], hyper({ maxEpochs: 7, learningRate: 0.01 }));
    const result = trainer.run();
    expect(result.reason).toBe('maxEpochs');
    expect(trainer.epoch).toBe(7);
    expect(trainer.history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // Running again without raising the limit does nothing.
    expect(trainer.run().epochs).toBe(7);
  });

  it('stops at the first epoch whose loss reaches the target', () => {
    const trainer = trainerFor(linearNeuron(0, 0), [[1, 1]], hyper({ learningRate: 0.1, targetLoss: 0.01, maxEpochs: 1000 }));
    const result = trainer.run();
    expect(result.reason).toBe('targetLoss');
    const losses = trainer.history.map((r) => r.loss);
    expect(losses.at(-1)!).toBeLessThanOrEqual(0.01);
    expect(losses.slice(0, -1).every((l) => l > 0.01)).toBe(true);
    expect(result.message).toMatch(/reached the target 0\.01/);
  });

  it('early stopping: stops after `patience` epochs without improvement and restores the best weights', () => {
    // Training points pull one way, validation points the other: validation loss rises once training fits.
    const rng = createRng(4);
    const all = datasetFromRows(
      ['x'],
      ['t'],
      Array.from({ length: 40 }, (_, n) => {
        const x = rng.uniform(-1, 1);
        return [x, n < 30 ? 2 * x + rng.normal() * 0.3 : -x];
      }),
    );
    const h = hyper({ mode: 'batch', learningRate: 0.1, maxEpochs: 1000, earlyStopping: { patience: 5, minDelta: 0, restoreBest: true } });
    const setup = prepareTraining(
      linearNeuron(0, 0),
      h,
      subset(
        all,
        Array.from({ length: 30 }, (_, i) => i),
      ),
      subset(
        all,
        Array.from({ length: 10 }, (_, i) => 30 + i),
      ),
    );
    const trainer = new Trainer({ model: setup.model, params: [0, 0], train: setup.train, validation: setup.validation, hyper: h });
    const result = trainer.run();
    expect(result.reason).toBe('earlyStopping');
    const validation = trainer.history.map((r) => r.validationLoss!);
    const best = Math.min(...validation);
    const bestEpoch = validation.indexOf(best) + 1;
    expect(trainer.epoch).toBe(bestEpoch + 5);
    expect(trainer.evaluate(setup.validation).loss).toBeCloseTo(best, 14);
    expect(result.message).toContain(`at epoch ${bestEpoch}`);
  });

  it('early stopping without validation data is refused with a reason', () => {
    expect(() => trainerFor(linearNeuron(), [[1, 1]], hyper({ earlyStopping: { patience: 3, minDelta: 0, restoreBest: true } }))).toThrow(
      /no validation data/,
    );
  });
});

describe('divergence', () => {
  it('stops on NaN or Infinity, names the epoch, and puts back the last good weights', () => {
    const rows = Array.from({ length: 8 }, (_, n) => [n * 100, n * 300]);
    const trainer = trainerFor(linearNeuron(0.5, 0.1), rows, hyper({ mode: 'stochastic', learningRate: 5, maxEpochs: 1000 }));
    const result = trainer.run();
    expect(result.reason).toBe('diverged');
    expect(result.message).toMatch(/Training diverged in epoch \d+: the loss became (NaN|Infinity)/);
    expect(result.message).toContain('learning rate of 5');
    expect(Array.from(trainer.params).every(Number.isFinite)).toBe(true);
    const epoch = Number(/epoch (\d+)/.exec(result.message)![1]);
    expect(trainer.history).toHaveLength(epoch - 1);
  });

  it('names L2 regularisation, not the learning rate, when η·λ₂ makes the weights grow', () => {
    // t = x. With η = 0.1 and λ₂ = 30, L2's part of a step is w ← (1 − 3) w: the weight doubles
    // and flips sign every epoch whatever the data say.
    const rows = [
      [1, 1],
      [2, 2],
      [-1, -1],
    ];
    const result = trainerFor(linearNeuron(0.5, 0), rows, hyper({ mode: 'batch', learningRate: 0.1, l2: 30, maxEpochs: 5000 })).run();
    expect(result.reason).toBe('diverged');
    expect(result.message).toMatch(/L2 regularisation is too strong for this learning rate: η·λ₂ = 3 is above 2\(1 \+ α\) = 2/);
    expect(result.message).toContain('lower λ₂ (30) or η (0.1)');
    expect(result.message).not.toMatch(/learning rate of 0\.1 may be too large/);
    // The learning rate alone is fine: the same run without L2 converges.
    const plain = trainerFor(
      linearNeuron(0.5, 0),
      rows,
      hyper({ mode: 'batch', learningRate: 0.1, maxEpochs: 5000, targetLoss: 1e-12 }),
    ).run();
    expect(plain.reason).toBe('targetLoss');
    // With momentum the bound is 2(1 + α): η·λ₂ = 3 is below 2(1 + 0.9) = 3.8, so L2 is not blamed.
    const withMomentum = trainerFor(
      linearNeuron(0.5, 0),
      rows,
      hyper({ mode: 'batch', learningRate: 5, l2: 0.6, momentum: 0.9, maxEpochs: 5000 }),
    ).run();
    expect(withMomentum.reason).toBe('diverged');
    expect(withMomentum.message).toContain('A learning rate of 5 may be too large');
  });
});

describe('divergence on validation data', () => {
  it('an infinite validation loss stops training as divergence, naming the validation loss', () => {
    const h = hyper({ mode: 'batch', learningRate: 0.01, maxEpochs: 100 });
    const train = datasetFromRows(
      ['x'],
      ['t'],
      [
        [1, 1],
        [2, 2],
      ],
    );
    const validation = datasetFromRows(['x'], ['t'], [[1e200, 0]]);
    const setup = prepareTraining(linearNeuron(), h, train, validation);
    const trainer = new Trainer({ model: setup.model, params: [0.5, 0.1], train: setup.train, validation: setup.validation, hyper: h });
    const result = trainer.run();
    expect(result.reason).toBe('diverged');
    expect(result.message).toMatch(/diverged in epoch 1: the validation loss became Infinity/);
    expect(trainer.history).toHaveLength(0);
    expect(Array.from(trainer.params)).toEqual([0.5, 0.1]);
  });
});

describe('setup errors', () => {
  it('lists every bad hyperparameter with a message', () => {
    const issues = checkHyperparameters({
      ...DEFAULT_HYPERPARAMETERS,
      learningRate: 0,
      momentum: 1,
      l1: -1,
      l2: Number.NaN,
      mode: 'minibatch',
      batchSize: 2.5,
      maxEpochs: 0,
      targetLoss: -1,
      init: { method: 'xavier', seed: 1, range: -2 },
      earlyStopping: { patience: 0, minDelta: -1, restoreBest: false },
    });
    expect(issues.map((i) => i.field).sort()).toEqual(
      [
        'batchSize',
        'earlyStopping.minDelta',
        'earlyStopping.patience',
        'init.range',
        'l1',
        'l2',
        'learningRate',
        'maxEpochs',
        'momentum',
        'targetLoss',
      ].sort(),
    );
    expect(checkHyperparameters(DEFAULT_HYPERPARAMETERS)).toEqual([]);
  });

  it('refuses to train step units by backprop, naming the unit', () => {
    try {
      prepareTraining(lecture.xorPerceptronNetwork(), hyper(), lecture.truthTable('xor'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TrainingSetupError);
      const issues = (error as TrainingSetupError).issues;
      expect(issues).toHaveLength(3);
      expect((error as Error).message).toContain("'y1 (OR)' (y1) uses the step function, which has no gradient");
    }
  });

  it('refuses data the network does not fit, and an empty training set', () => {
    expect(() => prepareTraining(linearNeuron(), hyper(), datasetFromRows(['z'], ['t'], [[1, 1]]))).toThrow(
      /reads feature 'x', which the dataset does not have/,
    );
    expect(() => trainerFor(linearNeuron(), [], hyper())).toThrow(/training set is empty/);
  });

  it('initialises reproducibly from the hyperparameters', () => {
    const h = hyper({ init: { method: 'xavier', seed: 12 } });
    const setup = prepareTraining(lecture.xorSigmoidNetwork(), h, lecture.truthTable('xor'));
    expect(Array.from(initialiseParameters(setup.model, h.init))).toEqual(Array.from(initialiseParameters(setup.model, h.init)));
  });
});

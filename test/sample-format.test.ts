/**
 * Samples bound in float32 for fast precision: half the memory, the same training bit for bit
 * (the fast kernel rounds every sample to float32 anyway), refused where float64 is needed, and
 * swapped for float64 ones (and back) when a running session's precision changes.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  Trainer,
  TrainingSetupError,
  bindData,
  configureSession,
  datasetFromRows,
  findExample,
  openSession,
  trainingSampleFormat,
  type Hyperparameters,
  type Project,
} from '../engine/src/index';
import { wideProblem } from './support/wide-network';

const wide = () => wideProblem({ features: 24, hidden: 16, classes: 4, rows: 90, dataSeed: 3, initSeed: 4 });

/** Fast mini-batch training with momentum, L2, shuffling and a validation split. */
const FAST: Hyperparameters = {
  ...DEFAULT_HYPERPARAMETERS,
  loss: 'crossEntropy',
  mode: 'minibatch',
  batchSize: 16,
  learningRate: 0.2,
  momentum: 0.8,
  l2: 0.01,
  shuffle: true,
  shuffleSeed: 11,
  maxEpochs: 1_000,
  precision: 'fast',
};

/** The same samples in float32: the first 60 rows to train on, the last 30 to validate. */
function splits(format: 'float64' | 'float32') {
  const { model, params, data } = wide();
  const nf = model.features.length;
  const nt = model.targets.length;
  const rows = Array.from({ length: data.size }, (_, n) => [
    ...data.x.subarray(n * nf, (n + 1) * nf),
    ...data.t.subarray(n * nt, (n + 1) * nt),
  ]);
  const train = bindData(model, datasetFromRows(model.features, model.targets, rows.slice(0, 60)), format);
  const validation = bindData(model, datasetFromRows(model.features, model.targets, rows.slice(60)), format);
  return { model, params, train, validation };
}

/** The digits example trained in fast precision, or as `hyper` says. */
function digits(hyper: Partial<Hyperparameters> = {}): Project {
  const project = findExample('digits')!.create();
  return { ...project, hyperparameters: { ...project.hyperparameters, precision: 'fast', maxEpochs: 1_000, ...hyper } };
}

describe('binding samples in float32', () => {
  it('stores each value rounded to float32, in half the bytes; float64 stays the default', () => {
    const dataset = datasetFromRows(
      ['a', 'b'],
      ['t'],
      [
        [0.1, 1 / 3, 1],
        [Math.PI, -2.5e-8, 0],
      ],
    );
    const { model } = wide();
    const as64 = bindData({ ...model, features: ['b', 'a'], targets: ['t'] }, dataset);
    const as32 = bindData({ ...model, features: ['b', 'a'], targets: ['t'] }, dataset, 'float32');
    expect(as64.x).toBeInstanceOf(Float64Array);
    expect(Array.from(as64.x)).toEqual([1 / 3, 0.1, -2.5e-8, Math.PI]);
    expect(as32.x).toBeInstanceOf(Float32Array);
    expect(as32.t).toBeInstanceOf(Float32Array);
    expect(Array.from(as32.x)).toEqual([1 / 3, 0.1, -2.5e-8, Math.PI].map(Math.fround));
    expect(as32.x.byteLength * 2).toBe(as64.x.byteLength);
    expect(Array.from(as32.x)).not.toEqual(Array.from(as64.x));
  });

  it('is the format a trainer reads for its precision: float32 only for fast', () => {
    const { model } = wide();
    expect(trainingSampleFormat(model, FAST, 60)).toBe('float32');
    expect(trainingSampleFormat(model, { ...FAST, precision: 'exact' }, 60)).toBe('float64');
    // Automatic precision keeps this small network in float64; the perceptron rule is always float64.
    expect(trainingSampleFormat(model, { ...FAST, precision: 'auto' }, 60)).toBe('float64');
    expect(trainingSampleFormat(model, { ...FAST, algorithm: 'perceptron', loss: 'squaredError' }, 60)).toBe('float64');
  });
});

describe('a fast trainer on float32 samples', () => {
  it('takes the very steps it takes on float64 samples, bit for bit, and measures the same losses', () => {
    const f64 = splits('float64');
    const f32 = splits('float32');
    const on64 = new Trainer({ model: f64.model, params: f64.params, train: f64.train, validation: f64.validation, hyper: FAST });
    const on32 = new Trainer({ model: f32.model, params: f32.params, train: f32.train, validation: f32.validation, hyper: FAST });
    expect(on32.precision).toBe('fast');
    on64.run({ epochs: 7 });
    on32.run({ epochs: 7 });
    expect(Array.from(on32.params)).toEqual(Array.from(on64.params));
    expect(on32.history.map((r) => r.loss)).toEqual(on64.history.map((r) => r.loss));
    // Fast precision evaluates its validation rows in float32 as well: the same numbers either way.
    expect(on32.history.map((r) => r.validationLoss)).toEqual(on64.history.map((r) => r.validationLoss));
    expect(on32.history.every((r) => r.validationLoss !== null)).toBe(true);
  });

  it('is refused in exact precision, in one sentence naming the format', () => {
    const { model, params, train } = splits('float32');
    const attempt = () => new Trainer({ model, params, train, hyper: { ...FAST, precision: 'exact' } });
    expect(attempt).toThrow(TrainingSetupError);
    expect(attempt).toThrow(
      'The data are stored in float32, which only fast precision reads: exact training needs them in float64 (bind them again).',
    );
    const validationOnly = splits('float64');
    expect(
      () =>
        new Trainer({
          model,
          params,
          train: validationOnly.train,
          validation: splits('float32').validation,
          hyper: { ...FAST, precision: 'exact' },
        }),
    ).toThrow('stored in float32');
  });

  it('refuses a switch to exact precision, and trains on unchanged in fast', () => {
    const { model, params, train, validation } = splits('float32');
    const trainer = new Trainer({ model, params, train, validation, hyper: FAST });
    trainer.run({ epochs: 1 });
    const before = Float64Array.from(trainer.params);
    let error: unknown;
    try {
      trainer.setHyperparameters({ ...FAST, precision: 'exact' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TrainingSetupError);
    expect((error as TrainingSetupError).issues).toEqual([expect.objectContaining({ field: 'precision' })]);
    expect(trainer.precision).toBe('fast');
    expect(trainer.hyperparameters.precision).toBe('fast');
    expect(Array.from(trainer.params)).toEqual(Array.from(before));
    trainer.run({ epochs: 1 });
    expect(trainer.epoch).toBe(2);
  });

  it('takes other samples only when they are the same in number and width, and readable at its precision', () => {
    const f32 = splits('float32');
    const f64 = splits('float64');
    const exact = new Trainer({ ...f64, hyper: { ...FAST, precision: 'exact' } });
    expect(() => exact.useData(f32.train, f64.validation)).toThrow('stored in float32');
    expect(() => exact.useData(f64.validation, f64.validation)).toThrow('the same samples');
    expect(() => exact.useData(f64.train, undefined)).toThrow('the same samples');
    expect(exact.train).toBe(f64.train);
    const fast = new Trainer({ ...f64, hyper: FAST });
    fast.useData(f32.train, f32.validation);
    expect(fast.train).toBe(f32.train);
    expect(fast.validation).toBe(f32.validation);
  });
});

describe('a project session', () => {
  it('binds its splits in float32 for fast training, in float64 for exact training, evaluation or when asked', () => {
    const fast = openSession(digits(), 'train');
    expect(fast.trainer.precision).toBe('fast');
    for (const split of [fast.train, fast.validation, fast.test]) expect(split.x).toBeInstanceOf(Float32Array);
    expect(fast.trainer.train).toBe(fast.train);
    const exact = openSession(digits({ precision: 'exact' }), 'train');
    expect(exact.train.x).toBeInstanceOf(Float64Array);
    expect(openSession(digits(), 'evaluate').train.x).toBeInstanceOf(Float64Array);
    const traced = openSession(digits(), 'train', digits().hyperparameters, 'float64');
    expect(traced.train.x).toBeInstanceOf(Float64Array);
    expect(traced.trainer.precision).toBe('fast');
  });

  it('changes precision mid-run over the same samples: the steps equal a run on float64 samples throughout', () => {
    const fastHyper = digits().hyperparameters;
    const exactHyper = { ...fastHyper, precision: 'exact' as const };
    const switching = openSession(digits(), 'train');
    const reference = openSession(digits(), 'train', fastHyper, 'float64');
    const both = (epochs: number) => {
      switching.trainer.run({ epochs });
      reference.trainer.run({ epochs });
      expect(Array.from(switching.trainer.params)).toEqual(Array.from(reference.trainer.params));
    };
    both(1);
    configureSession(switching, exactHyper);
    reference.trainer.setHyperparameters(exactHyper);
    expect(switching.trainer.precision).toBe('exact');
    for (const split of [switching.train, switching.validation, switching.test]) expect(split.x).toBeInstanceOf(Float64Array);
    expect(switching.trainer.train).toBe(switching.train);
    both(1);
    configureSession(switching, fastHyper);
    reference.trainer.setHyperparameters(fastHyper);
    expect(switching.trainer.precision).toBe('fast');
    expect(switching.train.x).toBeInstanceOf(Float32Array);
    expect(switching.trainer.train).toBe(switching.train);
    both(1);
    expect(switching.trainer.epoch).toBe(3);
  });

  it('refuses hyperparameters it cannot take, and keeps its samples and precision', () => {
    const session = openSession(digits(), 'train');
    const train = session.train;
    const bad = { ...session.trainer.hyperparameters, precision: 'exact' as const, learningRate: -1 };
    expect(() => configureSession(session, bad)).toThrow(TrainingSetupError);
    const recompile = { ...session.trainer.hyperparameters, precision: 'exact' as const, loss: 'squaredError' as const };
    expect(() => configureSession(session, recompile)).toThrow('compiled again');
    expect(session.train).toBe(train);
    expect(session.trainer.train).toBe(train);
    expect(session.trainer.precision).toBe('fast');
    // Hyperparameters that keep the format change nothing else.
    configureSession(session, { ...session.trainer.hyperparameters, learningRate: 0.01 });
    expect(session.train).toBe(train);
    expect(session.trainer.hyperparameters.learningRate).toBe(0.01);
  });
});

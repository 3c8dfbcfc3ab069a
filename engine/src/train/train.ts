/**
 * Training: gradient descent (batch, mini-batch, stochastic) with one of the optimisers of
 * `optimisers.ts` and L1/L2, or the perceptron rule; stopping criteria; divergence detection.
 *
 * The trainer owns the parameter vector while it runs. It can be driven one sample, one batch or
 * one epoch at a time, so a host (a worker thread, the CLI, a test) can pause between steps.
 */
import { compileGraph, type CompiledModel, type GraphIssue, type TrainingAlgorithm } from '../compile/compile';
import { bindData, type BoundData, type Dataset, type SampleFormat } from '../datasets/data';
import type { Graph } from '../model/graph';
import type { InitOptions } from './init';
import { BatchedKernel } from '../fast/batched';
import { GeneratedKernel, MAX_GENERATED_PARAMETERS } from '../fast/generated';
import { InterpretedKernel, type BatchTotals, type GradientKernel, type KernelKind } from '../fast/gradient-kernel';
import { createWorkspace, forward, sampleLoss, type Workspace } from '../fast/kernels';
import { isLossName, listLossNames, type LossName } from '../model/losses';
import { evaluate, isClassifier, outputCorrect, type Evaluation } from '../fast/metrics';
import { thinHistoryInPlace } from './history';
import { createRng, rngFromState, type Rng } from '../util/random';
import {
  OPTIMISERS,
  OPTIMISER_NAMES,
  OPTIMISER_SETTINGS,
  OPTIMISER_SETTING_NAMES,
  copyOptimiserState,
  copyOptimiserStateInto,
  freshOptimiserState,
  optimiserStateProblem,
  vectorStep,
  settingInRange,
  settingRangeText,
  type FastStepInput,
  type OptimiserName,
  type OptimiserState,
} from './optimisers';
import { PRECISIONS, PRECISION_NAMES, resolvePrecision, type PrecisionName, type ResolvedPrecision } from './precision';
import { quoteForMessage } from '../util/quote';
import { formatNumber } from '../util/format';

/** User text (an id, a name) as a message quotes it: control characters escaped, cut short. */
const q = (text: string) => quoteForMessage(String(text));

/** How many samples each update uses. */
export type BatchMode = 'batch' | 'minibatch' | 'stochastic';

/** Early stopping on the validation loss. */
export interface EarlyStopping {
  /** Epochs without improvement before training stops. */
  patience: number;
  /** How much the validation loss must fall to count as an improvement. */
  minDelta: number;
  /** Whether to go back to the weights of the best epoch when stopping. */
  restoreBest: boolean;
}

/** The lecture's hyperparameters (architecture and activation live in the graph). */
export interface Hyperparameters {
  algorithm: TrainingAlgorithm;
  loss: LossName;
  mode: BatchMode;
  /** Samples per update in mini-batch mode. */
  batchSize: number;
  /** η. */
  learningRate: number;
  /** How gradients become weight changes (`optimisers.ts`). Not used by the perceptron rule. */
  optimiser: OptimiserName;
  /** α in Δw(r) = −η∇J + α Δw(r−1) (and Nesterov's); 0 turns momentum off. */
  momentum: number;
  /** Adam's decay of its running mean of the gradient. */
  beta1: number;
  /** Adam's decay of its running mean of the squared gradient. */
  beta2: number;
  /** RMSprop's decay of its running mean of the squared gradient. */
  rho: number;
  /** Keeps the adaptive optimisers from dividing by 0. */
  epsilon: number;
  /** λ₁: adds λ₁ Σ|w| to J (weights only, not biases). Not used by the perceptron rule. */
  l1: number;
  /** λ₂: adds ½ λ₂ Σw² to J (weights only, not biases). Not used by the perceptron rule. */
  l2: number;
  /** Whether to visit the samples in a new seeded random order each epoch. */
  shuffle: boolean;
  /** Seed of the shuffling. */
  shuffleSeed: number;
  /** How "reset weights" re-initialises. */
  init: InitOptions;
  /** Stop after this many epochs. */
  maxEpochs: number;
  /** Stop once the training loss is at or below this; null for none. */
  targetLoss: number | null;
  /** Stop when the validation loss stops improving; null for none. */
  earlyStopping: EarlyStopping | null;
  /** The number format gradient descent computes in (`precision.ts`); the inspector always shows float64. */
  precision: PrecisionName;
}

/** Sensible defaults: the lecture's plain gradient descent on squared error. */
export const DEFAULT_HYPERPARAMETERS: Readonly<Hyperparameters> = Object.freeze({
  algorithm: 'gradientDescent',
  loss: 'squaredError',
  mode: 'stochastic',
  batchSize: 16,
  learningRate: 0.5,
  optimiser: 'sgd',
  momentum: OPTIMISER_SETTINGS.momentum.default,
  beta1: OPTIMISER_SETTINGS.beta1.default,
  beta2: OPTIMISER_SETTINGS.beta2.default,
  rho: OPTIMISER_SETTINGS.rho.default,
  epsilon: OPTIMISER_SETTINGS.epsilon.default,
  l1: 0,
  l2: 0,
  shuffle: true,
  shuffleSeed: 1,
  init: Object.freeze({ method: 'uniform', seed: 1, range: 0.5 }) as InitOptions,
  maxEpochs: 1000,
  targetLoss: null,
  earlyStopping: null,
  precision: 'auto',
});

/** A hyperparameter that is out of range, by name. */
export interface HyperparameterIssue {
  field: keyof Hyperparameters | `earlyStopping.${keyof EarlyStopping}` | `init.${keyof InitOptions}`;
  message: string;
}

/** Every out-of-range hyperparameter, each with a message a user can act on. */
export function checkHyperparameters(h: Hyperparameters): HyperparameterIssue[] {
  const issues: HyperparameterIssue[] = [];
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!finite(h.learningRate) || h.learningRate <= 0)
    issues.push({ field: 'learningRate', message: `The learning rate η must be a positive number, got ${h.learningRate}.` });
  if (!OPTIMISER_NAMES.includes(h.optimiser))
    issues.push({ field: 'optimiser', message: `Unknown optimiser '${q(h.optimiser)}'; use ${OPTIMISER_NAMES.join(', ')}.` });
  for (const name of OPTIMISER_SETTING_NAMES) {
    if (!settingInRange(name, h[name]))
      issues.push({ field: name, message: `${OPTIMISER_SETTINGS[name].noun} must be ${settingRangeText(name)}, got ${h[name]}.` });
  }
  if (!Object.hasOwn(PRECISIONS, h.precision))
    issues.push({ field: 'precision', message: `Unknown precision '${q(String(h.precision))}'; use ${PRECISION_NAMES.join(', ')}.` });
  if (!finite(h.l1) || h.l1 < 0) issues.push({ field: 'l1', message: `The L1 rate must be 0 or more, got ${h.l1}.` });
  if (!finite(h.l2) || h.l2 < 0) issues.push({ field: 'l2', message: `The L2 rate must be 0 or more, got ${h.l2}.` });
  if (h.mode === 'minibatch' && (!Number.isInteger(h.batchSize) || h.batchSize < 1)) {
    issues.push({ field: 'batchSize', message: `The mini-batch size must be a whole number of at least 1, got ${h.batchSize}.` });
  }
  if (!['batch', 'minibatch', 'stochastic'].includes(h.mode))
    issues.push({ field: 'mode', message: `Unknown training mode '${q(h.mode)}'; use batch, minibatch or stochastic.` });
  if (!['gradientDescent', 'perceptron'].includes(h.algorithm))
    issues.push({ field: 'algorithm', message: `Unknown algorithm '${q(h.algorithm)}'; use gradientDescent or perceptron.` });
  if (!isLossName(h.loss)) issues.push({ field: 'loss', message: `Unknown loss '${q(h.loss)}'; use ${listLossNames()}.` });
  if (!Number.isInteger(h.maxEpochs) || h.maxEpochs < 1)
    issues.push({ field: 'maxEpochs', message: `The maximum number of epochs must be a whole number of at least 1, got ${h.maxEpochs}.` });
  if (!finite(h.shuffleSeed)) issues.push({ field: 'shuffleSeed', message: `The shuffle seed must be a number, got ${h.shuffleSeed}.` });
  if (h.targetLoss !== null && (!finite(h.targetLoss) || h.targetLoss < 0))
    issues.push({ field: 'targetLoss', message: `The target loss must be 0 or more, got ${h.targetLoss}.` });
  if (!['uniform', 'xavier', 'he'].includes(h.init.method))
    issues.push({ field: 'init.method', message: `Unknown initialisation '${q(h.init.method)}'; use uniform, xavier or he.` });
  if (!finite(h.init.seed)) issues.push({ field: 'init.seed', message: `The initialisation seed must be a number, got ${h.init.seed}.` });
  if (h.init.range !== undefined && (!finite(h.init.range) || h.init.range <= 0))
    issues.push({ field: 'init.range', message: `The initialisation range must be a positive number, got ${h.init.range}.` });
  if (h.earlyStopping) {
    const e = h.earlyStopping;
    if (!Number.isInteger(e.patience) || e.patience < 1)
      issues.push({
        field: 'earlyStopping.patience',
        message: `Early-stopping patience must be a whole number of at least 1 epoch, got ${e.patience}.`,
      });
    if (!finite(e.minDelta) || e.minDelta < 0)
      issues.push({
        field: 'earlyStopping.minDelta',
        message: `Early stopping's minimum improvement must be 0 or more, got ${e.minDelta}.`,
      });
  }
  return issues;
}

/** Why training stopped. */
export type StopReason = 'maxEpochs' | 'targetLoss' | 'earlyStopping' | 'converged' | 'diverged';

/** One epoch of the training history. */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy: number | null;
  validationLoss: number | null;
  validationAccuracy: number | null;
}

/**
 * Everything a trainer holds besides the weights and the history, so that a trainer given it
 * (after a save, in another process) takes exactly the steps this one would have taken next.
 */
export interface TrainerState {
  /** Completed epochs. */
  epoch: number;
  /** The optimiser's memory (momentum's Δw(r−1), Adam's m and v, …), for the optimiser in force. */
  optimiser: OptimiserState;
  /** The shuffling generator's state before this epoch's order was drawn. */
  rng: [number, number, number, number];
  /** Whether this epoch's order was drawn from `rng`, or is the samples in order. */
  shuffled: boolean;
  /** Position in this epoch's order of the next step's first sample. */
  cursor: number;
  /** This epoch's steps so far: the sum of their losses, the samples classified correctly, and (perceptron rule) the samples it changed weights for. */
  lossSum: number;
  correct: number;
  misclassified: number;
  /** Early stopping's memory; null before it first measured. `params` may be null (not kept), and then the stop keeps the weights it has. */
  best: { loss: number; epoch: number; epochsSinceBest: number; params: Float64Array | null } | null;
}

/**
 * The visiting order of an epoch: the samples in order, shuffled with `rng` when `shuffled`. Each
 * epoch's order is drawn afresh from the samples in order, so the generator's state before the
 * draw is all it takes to draw it again.
 */
export function drawOrder(size: number, rng: Rng | null): Uint32Array {
  const order = new Uint32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  if (rng) rng.shuffle(order);
  return order;
}

/** What one call to {@link Trainer.step} did. */
export interface StepReport {
  /** Weight updates applied. */
  updates: number;
  /** Samples used. */
  samples: number;
  /** The record of each epoch this call completed. */
  epochsCompleted: EpochRecord[];
  /** Set when a stopping criterion was met (or training diverged) during this call. */
  stop: { reason: StopReason; message: string } | null;
}

/** What {@link Trainer.run} ended with: a stop, the epochs asked for, or a pause. */
export interface TrainResult {
  reason: StopReason | 'epochs' | 'interrupted';
  message: string;
  epochs: number;
  last: EpochRecord | null;
}

/** Options of {@link Trainer.run}. */
export interface RunOptions {
  /** Stop after this many more epochs (the stopping criteria still apply). */
  epochs?: number;
  /** Called after every epoch with its record. */
  onEpoch?: (record: EpochRecord) => void;
  /** Called at most every `progressIntervalMs` with where training is. */
  onProgress?: (progress: TrainingProgress) => void;
  /** Default 50 ms. */
  progressIntervalMs?: number;
  /** Asked at every progress report and after every epoch; false pauses training between steps. */
  shouldContinue?: () => boolean;
  /** Milliseconds; defaults to Date.now. Tests pass a fake clock. */
  clock?: () => number;
}

/** A progress report from {@link Trainer.run}. */
export interface TrainingProgress {
  /** Completed epochs. */
  epoch: number;
  samplesIntoEpoch: number;
  epochSize: number;
  /** Mean loss of the current epoch's steps so far; null at an epoch's start. */
  runningLoss: number | null;
  last: EpochRecord | null;
}

function maxEpochsStop(maxEpochs: number): { reason: StopReason; message: string } {
  return { reason: 'maxEpochs', message: `Stopped: reached the maximum of ${maxEpochs} epochs.` };
}

/** Thrown when training cannot be set up: the graph does not compile for training, or the data or settings do not fit. */
export class TrainingSetupError extends Error {
  readonly issues: (GraphIssue | HyperparameterIssue | { message: string })[];
  constructor(issues: (GraphIssue | HyperparameterIssue | { message: string })[]) {
    super(issues.map((i) => i.message).join(' '));
    this.name = 'TrainingSetupError';
    this.issues = issues;
  }
}

/** Everything a trainer needs. */
export interface TrainerSetup {
  model: CompiledModel;
  /** Starting parameters (copied). */
  params: ArrayLike<number>;
  train: BoundData;
  validation?: BoundData;
  hyper: Hyperparameters;
  /**
   * Which gradient kernel runs the steps: 'auto' (the default) picks the fastest that works here.
   * The others, and a kernel of one's own, exist so tests can hold every kernel to the trace; a
   * kernel passed in stays whatever the precision is set to.
   */
  kernel?: KernelKind | 'auto' | GradientKernel;
}

/**
 * Compiles `graph` for training with `hyper` and binds the data to it.
 * @throws TrainingSetupError listing every problem (graph errors name their node or edge).
 */
export function prepareTraining(
  graph: Graph,
  hyper: Hyperparameters,
  train: Dataset,
  validation?: Dataset,
): { model: CompiledModel; train: BoundData; validation?: BoundData } {
  const hyperIssues = checkHyperparameters(hyper);
  if (hyperIssues.length > 0) throw new TrainingSetupError(hyperIssues);
  const result = compileGraph(graph, {
    training: { algorithm: hyper.algorithm, loss: hyper.loss },
    data: { features: train.features, targets: train.targets },
  });
  if (!result.ok) throw new TrainingSetupError(result.errors);
  return {
    model: result.model,
    train: bindData(result.model, train),
    validation: validation ? bindData(result.model, validation) : undefined,
  };
}

/** Drives training of one model on one dataset. */
export class Trainer {
  readonly model: CompiledModel;
  /** The current parameters, laid out as `model` says. Updated in place. */
  readonly params: Float64Array;
  /** The optimiser's memory (momentum's Δw(r−1), Adam's m, v and t, …); replaced when the optimiser changes. */
  optimiserState: OptimiserState;
  /** The training samples; replaced (the same samples in another format) by {@link Trainer.useData}. */
  get train(): BoundData {
    return this.trainSamples;
  }
  /** The validation samples, if any. */
  get validation(): BoundData | undefined {
    return this.validationSamples;
  }
  private trainSamples: BoundData;
  private validationSamples: BoundData | undefined;
  /** Completed epochs. */
  epoch = 0;
  /** Position of the next sample within this epoch's order. */
  cursor = 0;
  /** This epoch's visiting order of training samples. */
  readonly order: Uint32Array;
  /** The shuffling generator's state before this epoch's order was drawn, and whether it was. */
  private orderFrom: { rng: [number, number, number, number]; shuffled: boolean };
  /** One record per completed epoch. */
  readonly history: EpochRecord[] = [];
  /** Set once a stopping criterion is met; cleared by {@link Trainer.resume}. */
  stop: { reason: StopReason; message: string } | null = null;

  private hyper: Hyperparameters;
  private rng: Rng;
  private readonly ws: Workspace;
  private readonly grad: Float64Array;
  private readonly epochStart: Float64Array;
  private epochStartOptimiser: OptimiserState;
  /** What the optimiser's fast step reads; `hyper` is renewed with the hyperparameters. */
  private readonly stepInput: FastStepInput;
  private misclassifiedThisEpoch = 0;
  /** Running totals of this epoch's steps: the epoch's loss and accuracy are their means. */
  private epochLossSum = 0;
  private epochCorrect = 0;
  private epochSamples = 0;
  private readonly totals: BatchTotals = { lossSum: 0, correct: 0 };
  private readonly classifier: boolean;
  private readonly anyLocked: boolean;
  /** The kernel that computes gradients for gradient descent; replaced when the precision changes. */
  private currentKernel: GradientKernel;
  private readonly wantedKernel: KernelKind | 'auto' | GradientKernel;
  private best: { loss: number; epoch: number; params: Float64Array | null } | null = null;
  private epochsSinceBest = 0;

  constructor(setup: TrainerSetup) {
    const issues: { message: string }[] = [...checkHyperparameters(setup.hyper)];
    if (setup.params.length !== setup.model.paramCount)
      issues.push({ message: `Expected ${setup.model.paramCount} parameters, got ${setup.params.length}.` });
    if (setup.train.size === 0) issues.push({ message: 'The training set is empty: there is nothing to learn from.' });
    if (setup.hyper.earlyStopping && (!setup.validation || setup.validation.size === 0)) {
      issues.push({
        message:
          'Early stopping watches the validation loss, but there is no validation data: give the split a validation part, or turn early stopping off.',
      });
    }
    if (issues.length > 0) throw new TrainingSetupError(issues);

    this.model = setup.model;
    this.trainSamples = setup.train;
    this.validationSamples = setup.validation;
    this.hyper = { ...setup.hyper };
    this.classifier = isClassifier(this.model);
    this.anyLocked = this.model.locked.some((v) => v === 1);
    this.wantedKernel = setup.kernel ?? 'auto';
    this.currentKernel = chooseKernel(this.model, this.hyper, this.train.size, this.wantedKernel);
    const formatProblem = this.sampleFormatProblem(this.precision, setup.train, setup.validation);
    if (formatProblem) throw new TrainingSetupError([{ field: 'precision', message: formatProblem }]);
    const allocate = (length: number) => this.kernel.allocate?.(length) ?? new Float64Array(length);
    this.params = allocate(this.model.paramCount);
    this.params.set(setup.params);
    this.grad = allocate(this.model.paramCount);
    this.optimiserState = freshOptimiserState(this.hyper.optimiser, this.model.paramCount, allocate);
    this.rng = createRng(setup.hyper.shuffleSeed);
    this.ws = createWorkspace(this.model);
    this.epochStart = Float64Array.from(this.params);
    this.epochStartOptimiser = copyOptimiserState(this.optimiserState);
    this.stepInput = {
      params: this.params,
      grad: this.grad,
      locked: this.model.locked,
      regularised: this.model.regularised,
      anyLocked: this.anyLocked,
      hyper: this.hyper,
    };
    this.orderFrom = { rng: this.rng.state(), shuffled: this.hyper.shuffle };
    this.order = drawOrder(this.train.size, this.hyper.shuffle ? this.rng : null);
  }

  /** Everything besides the weights and the history that the next steps depend on (copies). */
  state(): TrainerState {
    const best = this.best;
    return {
      epoch: this.epoch,
      optimiser: copyOptimiserState(this.optimiserState),
      rng: [...this.orderFrom.rng],
      shuffled: this.orderFrom.shuffled,
      cursor: this.cursor,
      lossSum: this.epochLossSum,
      correct: this.epochCorrect,
      misclassified: this.misclassifiedThisEpoch,
      best: best
        ? {
            loss: best.loss,
            epoch: best.epoch,
            epochsSinceBest: this.epochsSinceBest,
            params: best.params && Float64Array.from(best.params),
          }
        : null,
    };
  }

  /**
   * Takes over a state from {@link Trainer.state} (of a trainer of the same model and training
   * set): the next steps are then the ones that trainer would have taken. A divergence after it
   * puts back the weights as they were at this call.
   * @throws RangeError when the state does not fit this trainer's model or training set.
   */
  setState(state: TrainerState): void {
    const size = this.train.size;
    const optimiserProblem = optimiserStateProblem(state.optimiser, this.hyper.optimiser, this.model.paramCount);
    if (optimiserProblem) throw new RangeError(`The optimiser's memory does not fit: ${optimiserProblem}.`);
    if (state.best?.params && state.best.params.length !== this.model.paramCount)
      throw new RangeError(`The best weights have ${state.best.params.length} values for ${this.model.paramCount} parameters.`);
    if (!Number.isInteger(state.cursor) || state.cursor < 0 || state.cursor >= size)
      throw new RangeError(`Position ${state.cursor} is outside an epoch of ${size} samples.`);
    if (!Number.isInteger(state.epoch) || state.epoch < 0) throw new RangeError(`Epoch ${state.epoch} is not a count of epochs.`);
    this.epoch = state.epoch;
    this.optimiserState = copyOptimiserStateInto(this.optimiserState, state.optimiser);
    this.rng = rngFromState(state.rng);
    this.orderFrom = { rng: [...state.rng], shuffled: state.shuffled };
    this.order.set(drawOrder(size, state.shuffled ? this.rng : null));
    this.cursor = state.cursor;
    this.epochLossSum = state.lossSum;
    this.epochCorrect = state.correct;
    this.epochSamples = state.cursor;
    this.misclassifiedThisEpoch = state.misclassified;
    this.best = state.best
      ? { loss: state.best.loss, epoch: state.best.epoch, params: state.best.params && Float64Array.from(state.best.params) }
      : null;
    this.epochsSinceBest = state.best?.epochsSinceBest ?? 0;
    this.epochStart.set(this.params);
    this.epochStartOptimiser = copyOptimiserState(this.optimiserState);
  }

  /**
   * Counts a step taken by hand (the backprop inspector's "Apply") as one of training's: the
   * parameters and the optimiser's memory become the step's, its samples' losses and correct answers
   * (measured with the parameters before the step, as training measures them) join the epoch's,
   * and the position moves on by its samples, up to the epoch's end; an epoch so completed is
   * recorded and the next one's order drawn, as {@link Trainer.step} does.
   * @returns the epoch record when the step completed an epoch, else null.
   */
  countStepByHand(rows: readonly number[], params: ArrayLike<number>, optimiser: OptimiserState): EpochRecord | null {
    if (params.length !== this.model.paramCount) throw new RangeError(`A step by hand needs ${this.model.paramCount} parameters.`);
    const optimiserProblem = optimiserStateProblem(optimiser, this.hyper.optimiser, this.model.paramCount);
    if (optimiserProblem) throw new RangeError(`A step by hand's optimiser memory does not fit: ${optimiserProblem}.`);
    const { model, ws } = this;
    const { x, t } = this.train;
    const nf = model.features.length;
    const nt = model.targets.length;
    const counted = Math.min(rows.length, this.train.size - this.cursor);
    for (let k = 0; k < counted; k++) {
      const n = rows[k];
      if (!Number.isInteger(n) || n < 0 || n >= this.train.size) throw new RangeError(`There is no training sample ${n}.`);
      forward(model, this.params, x, n * nf, ws);
      this.epochLossSum += sampleLoss(model, this.hyper.loss, ws, t, n * nt);
      if (this.classifier && model.outputs.every((node) => outputCorrect(node, ws.z, t, n * nt))) this.epochCorrect++;
      if (this.hyper.algorithm === 'perceptron' && this.ruleWouldChange(n)) this.misclassifiedThisEpoch++;
    }
    this.params.set(params);
    this.optimiserState = copyOptimiserStateInto(this.optimiserState, optimiser);
    this.epochSamples += counted;
    this.cursor += counted;
    if (this.cursor < this.train.size) return null;
    return this.finishEpoch();
  }

  /** The hyperparameters in force. */
  get hyperparameters(): Readonly<Hyperparameters> {
    return this.hyper;
  }

  /**
   * Changes hyperparameters between steps; they apply from the next step. The algorithm and the
   * loss are part of what the model was compiled for, so changing them needs a new trainer. Another
   * optimiser starts with its own memory fresh (no optimiser can read another's).
   */
  setHyperparameters(hyper: Hyperparameters): void {
    const issues = checkHyperparameters(hyper);
    if (hyper.algorithm !== this.hyper.algorithm || hyper.loss !== this.hyper.loss) {
      issues.push({
        field: 'algorithm',
        message: 'Changing the algorithm or the loss needs the network to be compiled again: reset training.',
      });
    }
    if (hyper.earlyStopping && !this.validation)
      issues.push({ field: 'earlyStopping.patience', message: 'Early stopping needs validation data.' });
    if (typeof this.wantedKernel === 'string' && issues.length === 0) {
      const formatProblem = this.sampleFormatProblem(trainingPrecision(this.model, hyper, this.train.size), this.train, this.validation);
      if (formatProblem) issues.push({ field: 'precision', message: formatProblem });
    }
    if (issues.length > 0) throw new TrainingSetupError(issues);
    if (hyper.optimiser !== this.hyper.optimiser) {
      this.optimiserState = this.freshOptimiserMemory(hyper.optimiser);
      this.epochStartOptimiser = copyOptimiserState(this.optimiserState);
    }
    this.hyper = { ...hyper };
    this.stepInput.hyper = this.hyper;
    const wanted = this.wantedKernel;
    if (
      typeof wanted === 'string' &&
      resolvePrecision(hyper.precision, this.model.paramCount, this.batchSize) !== this.currentKernel.precision
    )
      this.currentKernel = chooseKernel(this.model, this.hyper, this.train.size, wanted);
  }

  /**
   * A fresh memory for `kind` (t = 0, every slot zero) in the vectors of the memory it replaces
   * where their sizes fit: they live where the kernel put them, so its SIMD steps still reach them
   * (the kernel's arena has room for two such vectors, not one per switch of optimiser).
   */
  private freshOptimiserMemory(kind: OptimiserName): OptimiserState {
    const spare = [...this.optimiserState.slots];
    return freshOptimiserState(kind, this.model.paramCount, (length) => {
      const reused = spare.shift();
      if (reused?.length === length) return reused.fill(0);
      return this.kernel.allocate?.(length) ?? new Float64Array(length);
    });
  }

  /**
   * Trains on from here on the same samples stored in another {@link SampleFormat} (float64 before
   * a switch to exact precision, float32 after one to fast): the order, the position and
   * everything else carry on.
   * @throws TrainingSetupError when the samples are not the same count and width, or float32
   *   samples would meet a precision other than fast.
   */
  useData(train: BoundData, validation: BoundData | undefined): void {
    const fits = (now: BoundData | undefined, next: BoundData | undefined) =>
      now === next || (!!now && !!next && now.size === next.size && now.x.length === next.x.length && now.t.length === next.t.length);
    const issues: { message: string }[] = [];
    if (!fits(this.train, train) || !fits(this.validation, validation))
      issues.push({ message: 'Training can only carry on over the same samples: these differ in number or width.' });
    const formatProblem = this.sampleFormatProblem(this.precision, train, validation);
    if (formatProblem) issues.push({ message: formatProblem });
    if (issues.length > 0) throw new TrainingSetupError(issues);
    this.trainSamples = train;
    this.validationSamples = validation;
  }

  /**
   * Why `train` and `validation` cannot be read at `precision`, or null: float32 samples are
   * rounded, which fast training does to every sample anyway and exact training must not.
   */
  private sampleFormatProblem(precision: ResolvedPrecision, train: BoundData, validation: BoundData | undefined): string | null {
    const float32 = [train, validation].some((data) => data && (data.x instanceof Float32Array || data.t instanceof Float32Array));
    if (!float32 || precision === 'fast') return null;
    return 'The data are stored in float32, which only fast precision reads: exact training needs them in float64 (bind them again).';
  }

  /** The kernel that computes gradients for gradient descent. */
  get kernel(): GradientKernel {
    return this.currentKernel;
  }

  /** The number format training computes in now ('auto' resolved for this network and batch size; the perceptron rule is always float64). */
  get precision(): ResolvedPrecision {
    return this.hyper.algorithm === 'perceptron' ? 'exact' : this.currentKernel.precision;
  }

  /** Clears a stop so that {@link Trainer.run} continues (e.g. after raising the epoch limit). */
  resume(): void {
    this.stop = null;
  }

  /** Samples per update under the current mode. */
  get batchSize(): number {
    return samplesPerUpdate(this.hyper, this.train.size);
  }

  /**
   * The training-set indices the next step of this size would use, without taking the step
   * (the inspector traces exactly these).
   */
  nextBatch(unit: 'sample' | 'batch'): number[] {
    const count = this.stepSize(unit);
    return Array.from(this.order.subarray(this.cursor, this.cursor + count));
  }

  /** Samples the next step of this size takes: one, or a batch cut short by the epoch's end. */
  private stepSize(unit: 'sample' | 'batch'): number {
    return unit === 'sample' ? 1 : Math.min(this.batchSize, this.train.size - this.cursor);
  }

  /**
   * Takes one step: one update on the next single sample, one update on the next batch, or
   * updates until the current epoch ends. Steps are taken even after a stopping criterion was met
   * (the user asked for them); {@link Trainer.run} is what honours the criteria.
   */
  step(unit: 'sample' | 'batch' | 'epoch'): StepReport {
    const report: StepReport = { updates: 0, samples: 0, epochsCompleted: [], stop: null };
    do {
      const count = this.stepSize(unit === 'sample' ? 'sample' : 'batch');
      const lossValue = this.update(this.cursor, count);
      this.cursor += count;
      report.updates++;
      report.samples += count;
      if (!Number.isFinite(lossValue)) {
        report.stop = this.diverge(lossValue);
        return report;
      }
      if (this.cursor >= this.train.size) {
        const record = this.finishEpoch();
        report.epochsCompleted.push(record);
        if (this.stop) report.stop = this.stop;
        break;
      }
    } while (unit === 'epoch');
    return report;
  }

  /**
   * Trains until a stopping criterion is met, `options.epochs` more epochs have run, or
   * `options.shouldContinue` returns false. The loop allocates nothing per step; it reports
   * progress at most every `progressIntervalMs` and asks `shouldContinue` at each report and
   * after each epoch, so a host (a worker thread) can pause it between steps without waiting
   * for an epoch to end.
   */
  run(options: RunOptions = {}): TrainResult {
    this.checkEpochLimit();
    const interval = options.progressIntervalMs ?? 50;
    const clock = options.clock ?? Date.now;
    const interrupted = (): TrainResult => ({
      reason: 'interrupted',
      message: 'Paused.',
      epochs: this.epoch,
      last: this.history.at(-1) ?? null,
    });
    // Plain stochastic descent on a small network runs fused in the generated kernel, up to 256
    // one-sample steps a call: the same numbers, without a call per sample.
    const h = this.hyper;
    const fused =
      this.kernel instanceof GeneratedKernel &&
      this.kernel.canFuse &&
      h.algorithm === 'gradientDescent' &&
      this.batchSize === 1 &&
      h.optimiser === 'sgd' &&
      h.momentum === 0 &&
      h.l1 === 0 &&
      h.l2 === 0 &&
      !this.anyLocked
        ? this.kernel
        : null;
    // Reading the clock costs more than a tiny step, so small steps look at it every 64 steps.
    const stepsPerCheck = this.batchSize >= 16 || fused ? 1 : 64;
    let sinceCheck = 0;
    let lastReport = clock();
    let epochsRun = 0;
    while (!this.stop) {
      let count: number;
      let loss: number;
      if (fused) {
        count = Math.min(256, this.train.size - this.cursor);
        fused.stochasticSteps(
          this.params,
          this.grad,
          this.optimiserState.slots[0],
          this.train,
          this.order,
          this.cursor,
          count,
          h.learningRate,
          this.totals,
        );
        this.epochLossSum += this.totals.lossSum;
        this.epochCorrect += this.totals.correct;
        this.epochSamples += count;
        this.optimiserState.step += count;
        loss = this.totals.lossSum / count;
      } else {
        count = this.stepSize('batch');
        loss = this.update(this.cursor, count);
      }
      this.cursor += count;
      if (!Number.isFinite(loss)) {
        this.diverge(loss);
        break;
      }
      if (this.cursor >= this.train.size) {
        const record = this.finishEpoch();
        // finishEpoch may have stopped training (TypeScript cannot see it change this.stop).
        if ((this.stop as Trainer['stop'])?.reason === 'diverged') break;
        options.onEpoch?.(record);
        epochsRun++;
        if (!this.stop && options.epochs !== undefined && epochsRun >= options.epochs)
          return {
            reason: 'epochs',
            message: `Trained ${epochsRun} epoch${epochsRun === 1 ? '' : 's'}.`,
            epochs: this.epoch,
            last: this.history.at(-1) ?? null,
          };
        if (!this.stop && options.shouldContinue && !options.shouldContinue()) return interrupted();
      }
      if (++sinceCheck >= stepsPerCheck) {
        sinceCheck = 0;
        const now = clock();
        if (now - lastReport >= interval) {
          lastReport = now;
          options.onProgress?.(this.progress());
          if (!this.stop && options.shouldContinue && !options.shouldContinue()) return interrupted();
        }
      }
    }
    const stop = this.stop!;
    return { reason: stop.reason, message: stop.message, epochs: this.epoch, last: this.history.at(-1) ?? null };
  }

  /**
   * Stops training when it has already run its maximum of epochs (say, after the limit was
   * lowered), as {@link Trainer.run} does before its first step; returns the stop, if any.
   * Hosts that take steps one at a time call it before each.
   */
  checkEpochLimit(): Trainer['stop'] {
    if (this.epoch >= this.hyper.maxEpochs && !this.stop) this.stop = maxEpochsStop(this.hyper.maxEpochs);
    return this.stop;
  }

  /** Where training is now: the epoch in progress, how far into it, and its running loss. */
  progress(): TrainingProgress {
    return {
      epoch: this.epoch,
      samplesIntoEpoch: this.cursor,
      epochSize: this.train.size,
      runningLoss: this.epochSamples > 0 ? this.epochLossSum / this.epochSamples : null,
      last: this.history.at(-1) ?? null,
    };
  }

  /**
   * Loss and accuracy of the current parameters on some data (the training set by default), in
   * the precision training computes in: float32 products in fast precision, so that a wide
   * network's validation each epoch costs what its training does, not four times as much.
   */
  evaluate(data: BoundData = this.train): Evaluation {
    return evaluate(this.model, this.params, data, this.hyper.loss, this.ws, this.precision);
  }

  /**
   * Applies one update on the `count` samples from position `first` of this epoch's order;
   * returns their mean loss before the update. Allocates nothing: it runs once per step.
   */
  private update(first: number, count: number): number {
    const { model, params, grad, ws, order } = this;
    const { x, t } = this.train;
    const nf = model.features.length;
    const nt = model.targets.length;
    const scale = 1 / count;
    const end = first + count;
    const loss = this.hyper.loss;
    grad.fill(0);

    if (this.hyper.algorithm === 'perceptron') {
      // Perceptron rule: w ← w + η (t − y) x, averaged over the batch (a single sample in stochastic mode).
      let total = 0;
      for (let k = first; k < end; k++) {
        const n = order[k];
        forward(model, params, x, n * nf, ws);
        total += sampleLoss(model, loss, ws, t, n * nt);
        let wrong = false;
        for (const node of model.outputs) {
          for (let u = 0; u < node.units; u++) {
            const error = t[n * nt + node.output!.targetStart + u] - ws.z[node.start + u];
            if (error === 0) continue;
            wrong = true;
            grad[node.biasOffset + u] += scale * error;
            const row = node.weightOffset + u * node.fanIn;
            for (let c = 0; c < node.fanIn; c++) grad[row + c] += scale * error * ws.z[node.inputSlots[c]];
          }
        }
        if (wrong) this.misclassifiedThisEpoch++;
        if (this.classifier && model.outputs.every((node) => outputCorrect(node, ws.z, t, n * nt))) this.epochCorrect++;
      }
      const eta = this.hyper.learningRate;
      for (let p = 0; p < params.length; p++) if (!model.locked[p]) params[p] += eta * grad[p];
      this.epochLossSum += total;
      this.epochSamples += count;
      return total * scale;
    }

    this.kernel.accumulate(params, grad, this.train, order, first, count, scale, this.totals);
    const total = this.totals.lossSum;
    this.epochLossSum += total;
    this.epochCorrect += this.totals.correct;
    this.epochSamples += count;
    // The kernel's SIMD step where it has one (the same numbers, bit for bit), else the registry's.
    if (!vectorStep(this.stepInput, this.optimiserState, this.kernel.vectorSteps))
      OPTIMISERS[this.hyper.optimiser].step(this.stepInput, this.optimiserState);
    return total * scale;
  }

  private finishEpoch(): EpochRecord {
    this.epoch++;
    this.cursor = 0;
    // The epoch's training loss and accuracy are the means over its steps, each measured before
    // its update (as Keras reports them): exact, and free, since every step computes them anyway.
    const samples = this.epochSamples;
    const loss = samples > 0 ? this.epochLossSum / samples : 0;
    const accuracy = this.classifier && samples > 0 ? this.epochCorrect / samples : null;
    this.epochLossSum = 0;
    this.epochCorrect = 0;
    this.epochSamples = 0;
    const validationEval = this.validation && this.validation.size > 0 ? this.evaluate(this.validation) : null;
    const record: EpochRecord = {
      epoch: this.epoch,
      loss,
      accuracy,
      validationLoss: validationEval?.loss ?? null,
      validationAccuracy: validationEval?.accuracy ?? null,
    };
    const validationBroken = record.validationLoss !== null && !Number.isFinite(record.validationLoss);
    if (!Number.isFinite(record.loss) || validationBroken || !allFinite(this.params)) {
      this.epoch--; // the epoch did not complete: it is not in the history, and diverge() names it
      if (validationBroken && Number.isFinite(record.loss)) this.diverge(record.validationLoss!, 'validation loss');
      else this.diverge(Number.isFinite(record.loss) ? Number.NaN : record.loss, Number.isFinite(record.loss) ? 'weights' : 'loss');
      return record;
    }
    this.history.push(record);
    // A run of millions of epochs keeps a few thousand records: as many as a curve can show.
    thinHistoryInPlace(this.history);
    this.epochStart.set(this.params);
    this.epochStartOptimiser = copyOptimiserStateInto(this.epochStartOptimiser, this.optimiserState);
    const misclassified = this.misclassifiedThisEpoch;
    this.misclassifiedThisEpoch = 0;
    this.nextOrder();
    this.stop = this.checkStopping(record, misclassified);
    return record;
  }

  /** Whether the perceptron rule changes weights for sample `n` (forward already run on it): some output differs from its target. */
  private ruleWouldChange(n: number): boolean {
    const { t } = this.train;
    const nt = this.model.targets.length;
    for (const node of this.model.outputs) {
      for (let u = 0; u < node.units; u++) if (t[n * nt + node.output!.targetStart + u] !== this.ws.z[node.start + u]) return true;
    }
    return false;
  }

  /** Draws the next epoch's order: afresh from the samples in order, shuffled when the settings say so. */
  private nextOrder(): void {
    const shuffled = this.hyper.shuffle;
    this.orderFrom = { rng: this.rng.state(), shuffled };
    this.order.set(drawOrder(this.train.size, shuffled ? this.rng : null));
  }

  private checkStopping(record: EpochRecord, misclassified: number): { reason: StopReason; message: string } | null {
    const h = this.hyper;
    if (h.algorithm === 'perceptron' && misclassified === 0) {
      return {
        reason: 'converged',
        message: `Converged at epoch ${record.epoch}: the perceptron classified every training sample correctly, so the rule made no more changes.`,
      };
    }
    if (h.targetLoss !== null && record.loss <= h.targetLoss) {
      return {
        reason: 'targetLoss',
        message: `Stopped at epoch ${record.epoch}: the training loss ${formatLoss(record.loss)} reached the target ${h.targetLoss}.`,
      };
    }
    if (h.earlyStopping && record.validationLoss !== null) {
      const e = h.earlyStopping;
      if (!this.best || record.validationLoss < this.best.loss - e.minDelta) {
        this.best = { loss: record.validationLoss, epoch: record.epoch, params: Float64Array.from(this.params) };
        this.epochsSinceBest = 0;
      } else if (++this.epochsSinceBest >= e.patience) {
        const best = this.best;
        // Best weights not kept (a project saved while restoreBest was off): the weights stay.
        const restore = e.restoreBest && best.params !== null;
        if (restore) {
          this.params.set(best.params!);
          this.optimiserState = this.freshOptimiserMemory(h.optimiser);
        }
        return {
          reason: 'earlyStopping',
          message:
            `Stopped early at epoch ${record.epoch}: the validation loss has not improved for ${e.patience} epoch${e.patience === 1 ? '' : 's'} ` +
            `(best ${formatLoss(best.loss)} at epoch ${best.epoch}${restore ? ', whose weights are restored' : ''}).`,
        };
      }
    }
    if (record.epoch >= h.maxEpochs && h.algorithm === 'perceptron' && misclassified > 0) {
      // Name the likely cause: the rule only stops by itself on linearly separable data.
      return {
        reason: 'maxEpochs',
        message:
          `Stopped: reached the maximum of ${h.maxEpochs} epochs with the perceptron rule still correcting ${misclassified} of ${this.train.size} samples in the last epoch. ` +
          'The rule converges when the data is linearly separable; when it is not (XOR is not), it cycles for ever.',
      };
    }
    if (record.epoch >= h.maxEpochs) return maxEpochsStop(h.maxEpochs);
    return null;
  }

  /** Stops on a non-finite loss and puts back the weights of the last good epoch, so nothing is left corrupted. */
  private diverge(value: number, what: 'loss' | 'validation loss' | 'weights' = 'loss'): { reason: StopReason; message: string } {
    const epoch = this.epoch + 1;
    this.params.set(this.epochStart);
    this.optimiserState = copyOptimiserStateInto(this.optimiserState, this.epochStartOptimiser);
    this.cursor = 0;
    this.misclassifiedThisEpoch = 0;
    this.epochLossSum = 0;
    this.epochCorrect = 0;
    this.epochSamples = 0;
    this.stop = {
      reason: 'diverged',
      message:
        `Training diverged in epoch ${epoch}: ${what === 'weights' ? 'a weight became NaN or infinite' : `the ${what} became ${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '−Infinity'}`}. ` +
        `The weights are back to where they were before that epoch. ${this.divergenceAdvice()}`,
    };
    return this.stop;
  }

  /**
   * What to change after a divergence. L2's part of a step is w ← w − η λ₂ w, plus momentum's
   * α Δw(r−1): that recurrence grows without bound once η λ₂ > 2(1 + α) (each step throws the
   * weight past zero by more than it was), whatever the data say, so then the cause is λ₂ and
   * not the learning rate alone. L1 moves a weight by η λ₁ per step at most and cannot diverge.
   */
  private divergenceAdvice(): string {
    const { algorithm, optimiser, learningRate: eta, l2, momentum } = this.hyper;
    const decay = eta * l2;
    if (algorithm === 'gradientDescent' && optimiser === 'sgd' && l2 > 0 && decay > 2 * (1 + momentum)) {
      return (
        `L2 regularisation is too strong for this learning rate: η·λ₂ = ${formatLoss(decay)} is above 2(1 + α) = ${formatLoss(2 * (1 + momentum))}, ` +
        `so each step throws every weight past zero by more than its size; lower λ₂ (${l2}) or η (${eta}) until η·λ₂ is below ${formatLoss(2 * (1 + momentum))}, and train again.`
      );
    }
    const typical = OPTIMISERS[optimiser].typicalLearningRate;
    if (algorithm === 'gradientDescent' && optimiser !== 'sgd' && eta > typical)
      return `A learning rate of ${eta} may be too large for ${OPTIMISERS[optimiser].label}, which usually works with about ${typical}: lower it and train again.`;
    return `A learning rate of ${eta} may be too large: lower it and train again.`;
  }
}

function formatLoss(value: number): string {
  return formatNumber(value, { minus: '-' });
}

/** How many samples one update of `hyper` reads from a training set of `trainSize`. */
function samplesPerUpdate(hyper: Hyperparameters, trainSize: number): number {
  return hyper.mode === 'batch' ? trainSize : hyper.mode === 'stochastic' ? 1 : hyper.batchSize;
}

/**
 * The precision a trainer of `model` with `hyper` computes in (automatic resolved for the network
 * and the update's size; the perceptron rule always in float64), as {@link Trainer.precision} says.
 */
export function trainingPrecision(model: CompiledModel, hyper: Hyperparameters, trainSize: number): ResolvedPrecision {
  if (hyper.algorithm === 'perceptron') return 'exact';
  return resolvePrecision(hyper.precision, model.paramCount, samplesPerUpdate(hyper, trainSize));
}

/**
 * The format to bind training and validation samples in for such a trainer: float32 where it
 * trains in fast precision (half the memory; the kernel rounds each sample to float32 anyway, so
 * the steps are the same), float64 otherwise.
 */
export function trainingSampleFormat(model: CompiledModel, hyper: Hyperparameters, trainSize: number): SampleFormat {
  return trainingPrecision(model, hyper, trainSize) === 'fast' ? 'float32' : 'float64';
}

/**
 * The gradient kernel for a model: matrix products for wide networks trained in batches, the
 * generated kernel for small networks where code can be compiled, else the interpreted one.
 */
function chooseKernel(
  model: CompiledModel,
  hyper: Hyperparameters,
  dataSize: number,
  wanted: KernelKind | 'auto' | GradientKernel,
): GradientKernel {
  if (typeof wanted !== 'string') return wanted;
  const batch = samplesPerUpdate(hyper, dataSize);
  const precision = resolvePrecision(hyper.precision, model.paramCount, batch);
  const batched = () => new BatchedKernel(model, hyper.loss, Math.min(dataSize, Math.max(batch, 64)), 'auto', precision);
  if (wanted === 'interpreted') return new InterpretedKernel(model, hyper.loss);
  if (wanted === 'batched') return batched();
  // Only the batched kernel computes in float32.
  if (precision === 'fast') return batched();
  if (wanted === 'auto' && model.paramCount > MAX_GENERATED_PARAMETERS && batch >= 8) return batched();
  const generated = GeneratedKernel.create(model, hyper.loss);
  if (generated) return generated;
  if (wanted === 'generated')
    throw new TrainingSetupError([
      { message: 'The generated kernel is not available for this network here (too large, or code compilation is forbidden).' },
    ]);
  return new InterpretedKernel(model, hyper.loss);
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

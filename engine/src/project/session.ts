/**
 * From a project document to data, a trainer, and back: what the CLI, the training worker and the
 * app all do with a project.
 */
import { compileGraph, readParameters, weightIndex, writeParameters, type CompiledModel } from '../compile/compile';
import { bindData, DataError, datasetFromRows, subset, type BoundData, type Dataset, type SampleFormat } from '../datasets/data';
import { generateDataset } from '../datasets/builtin';
import { applyNormalisation, fitNormalisation, splitIndices, type Normalisation } from '../datasets/prepare';
import { evaluate, isClassifier, type Evaluation } from '../fast/metrics';
import { forwardBatch, type ForwardChunk } from '../fast/batch-forward';
import type { LossName } from '../model/losses';
import { ACTIVATIONS, isElementwise } from '../model/activations';
import { thinHistoryInPlace } from '../train/history';
import { quoteForMessage } from '../util/quote';
import {
  Trainer,
  TrainingSetupError,
  checkHyperparameters,
  trainingPrecision,
  trainingSampleFormat,
  type Hyperparameters,
} from '../train/train';
import type { ResolvedPrecision } from '../train/precision';
import { OPTIMISERS, copyOptimiserState, freshOptimiserState, type OptimiserName, type OptimiserState } from '../train/optimisers';
import type { DatasetRef, ParameterTree, Project, ResumeState } from './schema';

/** A project's data: the whole set, and the three splits normalised as the project says. */
export interface ProjectData {
  full: Dataset;
  train: Dataset;
  validation: Dataset;
  test: Dataset;
  normalisation: Normalisation;
}

/** The rows a dataset reference stands for. */
export function resolveDataset(ref: DatasetRef): Dataset {
  if (ref.kind === 'builtin') return generateDataset(ref);
  return datasetFromRows(ref.features, ref.targets, ref.rows);
}

/**
 * Generates or reads the project's data, splits it, and normalises it with the stored statistics
 * (fitting them on the training split when the project has none yet).
 */
export function projectData(project: Project): ProjectData {
  const full = resolveDataset(project.dataset);
  const indices = splitIndices(full.size, project.split);
  const train = subset(full, indices.train);
  const normalisation: Normalisation = project.normalisation.fitted
    ? { method: project.normalisation.method, features: project.normalisation.fitted }
    : fitNormalisation(train, project.normalisation.method);
  const normalise = (data: Dataset) => (normalisation.method === 'none' ? data : applyNormalisation(data, normalisation));
  return {
    full,
    train: normalise(train),
    validation: normalise(subset(full, indices.validation)),
    test: normalise(subset(full, indices.test)),
    normalisation,
  };
}

/** A project ready to train: its compiled model, bound data, and a trainer resumed where the project left off. */
export interface ProjectSession {
  model: CompiledModel;
  data: ProjectData;
  train: BoundData;
  validation: BoundData;
  test: BoundData;
  trainer: Trainer;
  /**
   * What the session could not take over from the project, each a sentence to show: a stored
   * training state that does not fit the network or the data (it is dropped, not mis-applied).
   */
  notices: string[];
}

/**
 * Compiles the project's graph for its hyperparameters, prepares its data, and creates a trainer
 * that continues from the stored weights, epoch and history, and from the stored training state
 * (the optimiser's memory, the shuffling position, early stopping's memory), so that its next steps
 * are exactly the ones the run that saved the project would have taken. A stored state that does
 * not fit the network or the data is dropped, and `notices` says so.
 *
 * @param purpose 'train' also checks that the network can be trained as the hyperparameters say;
 *   'evaluate' only that it runs on the data (a hand-set perceptron network evaluates but cannot train).
 * @param samples The format the splits are bound in: by default float32 where training runs in
 *   fast precision (half the memory), else float64; 'float64' where the samples' own values are
 *   shown (a trace), and always for 'evaluate'.
 * @throws TrainingSetupError listing every problem (graph errors name their node or edge).
 */
export function openSession(
  project: Project,
  purpose: 'train' | 'evaluate' = 'train',
  hyper: Hyperparameters = project.hyperparameters,
  samples?: SampleFormat,
): ProjectSession {
  const hyperIssues = checkHyperparameters(hyper);
  if (hyperIssues.length > 0) throw new TrainingSetupError(hyperIssues);
  const data = dataOrSetupError(project);
  const compiled = compileGraph(project.graph, {
    training: purpose === 'train' ? { algorithm: hyper.algorithm, loss: hyper.loss } : undefined,
    data: { features: data.full.features, targets: data.full.targets },
  });
  if (!compiled.ok) throw new TrainingSetupError(compiled.errors);
  const model = compiled.model;
  const format = samples ?? (purpose === 'train' ? trainingSampleFormat(model, hyper, data.train.size) : 'float64');
  const train = bindData(model, data.train, format);
  const validation = bindData(model, data.validation, format);
  const test = bindData(model, data.test, format);
  const trainer = new Trainer({
    model,
    params: readParameters(model),
    train,
    validation: validation.size > 0 ? validation : undefined,
    hyper,
  });
  trainer.epoch = project.training.epoch;
  // One at a time: a spread of a long history (200,000 epochs) would overflow the stack.
  for (const record of project.training.history) trainer.history.push(record);
  thinHistoryInPlace(trainer.history);
  const notices = restoreTrainingState(project, model, trainer);
  return { model, data, train, validation, test, trainer, notices };
}

/**
 * Gives the session's trainer new hyperparameters (from its next step), first binding the splits
 * again where the precision they resolve to reads its samples in another format (float32 for
 * fast, float64 for exact), so a switch of precision mid-run trains on over the same samples.
 * @throws TrainingSetupError when the trainer refuses the hyperparameters; the session is unchanged.
 */
export function configureSession(session: ProjectSession, hyper: Hyperparameters): void {
  const { model, trainer, data } = session;
  const issues = checkHyperparameters(hyper);
  if (issues.length > 0) throw new TrainingSetupError(issues);
  const now: SampleFormat = session.train.x instanceof Float32Array ? 'float32' : 'float64';
  const next = trainingSampleFormat(model, hyper, session.train.size);
  if (next === now) {
    trainer.setHyperparameters(hyper);
    return;
  }
  const rebind = () => {
    const train = bindData(model, data.train, next);
    const validation = bindData(model, data.validation, next);
    trainer.useData(train, trainer.validation ? validation : undefined);
    session.train = train;
    session.validation = validation;
    session.test = bindData(model, data.test, next);
  };
  // Float64 samples suit every precision, float32 ones fast alone: widen before the switch, narrow after it.
  if (next === 'float64') {
    const before = { train: session.train, validation: session.validation, test: session.test };
    rebind();
    try {
      trainer.setHyperparameters(hyper);
    } catch (error) {
      trainer.useData(before.train, trainer.validation ? before.validation : undefined);
      Object.assign(session, before);
      throw error;
    }
  } else {
    trainer.setHyperparameters(hyper);
    rebind();
  }
}

/** User text (an id) as a message quotes it. */
const q = (text: string) => quoteForMessage(text);

/**
 * One number per parameter as a tree keyed by the graph's ids, in the shapes of the graph's own
 * weights and biases (a number where the graph has a number).
 */
export function treeFromVector(model: CompiledModel, vector: ArrayLike<number>): ParameterTree {
  const graphEdges = new Map(model.graph.edges.map((e) => [e.id, e]));
  const graphNodes = new Map(model.graph.nodes.map((n) => [n.id, n]));
  // fromEntries defines own properties, so an id such as "__proto__" stays a key.
  const weights = Object.fromEntries(
    model.edges.map((edge) => {
      if (typeof graphEdges.get(edge.id)?.weight === 'number') return [edge.id, vector[edge.weightOffset]];
      const rows: number[][] = [];
      for (let j = 0; j < edge.targetUnits; j++) {
        const row: number[] = [];
        for (let i = 0; i < edge.sourceUnits; i++) row.push(vector[weightIndex(edge, j, i)]);
        rows.push(row);
      }
      return [edge.id, rows];
    }),
  );
  const biases = Object.fromEntries(
    model.computing.map((node) => {
      if (graphNodes.get(node.id)?.kind !== 'dense') return [node.id, vector[node.biasOffset]];
      return [node.id, Array.from({ length: node.units }, (_, u) => vector[node.biasOffset + u])];
    }),
  );
  return { weights, biases };
}

/**
 * A tree from {@link treeFromVector} back in the model's parameter order, or why it does not fit
 * the model (an edge or node it has no value for, one the network does not have, a wrong shape).
 */
export function vectorFromTree(model: CompiledModel, tree: ParameterTree): { vector: Float64Array } | { problem: string } {
  const vector = new Float64Array(model.paramCount);
  const edgeIds = new Set(model.edges.map((e) => e.id));
  const nodeIds = new Set(model.computing.map((n) => n.id));
  for (const key of Object.keys(tree.weights)) if (!edgeIds.has(key)) return { problem: `the network has no edge '${q(key)}'` };
  for (const key of Object.keys(tree.biases)) if (!nodeIds.has(key)) return { problem: `the network has no computing node '${q(key)}'` };
  for (const edge of model.edges) {
    if (!Object.hasOwn(tree.weights, edge.id)) return { problem: `there is no value for edge '${q(edge.id)}'` };
    const value = tree.weights[edge.id];
    const shape = `${edge.targetUnits}×${edge.sourceUnits}`;
    if (typeof value === 'number') {
      if (edge.targetUnits !== 1 || edge.sourceUnits !== 1)
        return { problem: `edge '${q(edge.id)}' has one value where its weights are ${shape}` };
      vector[edge.weightOffset] = value;
      continue;
    }
    if (value.length !== edge.targetUnits || value.some((row) => row.length !== edge.sourceUnits))
      return { problem: `the values for edge '${q(edge.id)}' are not ${shape} like its weights` };
    for (let j = 0; j < edge.targetUnits; j++) for (let i = 0; i < edge.sourceUnits; i++) vector[weightIndex(edge, j, i)] = value[j][i];
  }
  for (const node of model.computing) {
    if (!Object.hasOwn(tree.biases, node.id)) return { problem: `there is no value for the bias of '${q(node.id)}'` };
    const value = tree.biases[node.id];
    const values = typeof value === 'number' ? [value] : value;
    if (values.length !== node.units)
      return {
        problem: `'${q(node.id)}' has ${node.units} unit${node.units === 1 ? '' : 's'} but ${values.length} bias value${values.length === 1 ? '' : 's'}`,
      };
    for (let u = 0; u < node.units; u++) vector[node.biasOffset + u] = values[u];
  }
  return { vector };
}

/**
 * The trainer's state as a project stores it, keyed by the graph's ids: the optimiser's memory, the
 * shuffling generator and the position in this epoch, and early stopping's memory (its best
 * weights only while restoreBest is on).
 */
export function resumeStateOf(model: CompiledModel, trainer: Trainer): Required<ResumeState> {
  const state = trainer.state();
  const best = state.best;
  const keepBest = trainer.hyperparameters.earlyStopping?.restoreBest === true && best?.params;
  return {
    optimiser: storedOptimiserState(model, state.optimiser),
    rng: state.rng,
    position: {
      samples: trainer.train.size,
      next: state.cursor,
      shuffled: state.shuffled,
      lossSum: state.lossSum,
      correct: state.correct,
      misclassified: state.misclassified,
    },
    earlyStopping: best
      ? {
          bestLoss: best.loss,
          bestEpoch: best.epoch,
          epochsSinceBest: best.epochsSinceBest,
          bestWeights: keepBest ? treeFromVector(model, best.params!) : null,
        }
      : null,
  };
}

/** The optimiser's memory as a project stores it: each slot a parameter tree under its registry key. */
function storedOptimiserState(model: CompiledModel, state: OptimiserState): NonNullable<ResumeState['optimiser']> {
  const slots: Record<string, ParameterTree> = {};
  OPTIMISERS[state.kind].slots.forEach((slot, k) => {
    slots[slot.key] = treeFromVector(model, state.slots[k]);
  });
  return { kind: state.kind, step: state.step, slots };
}

/**
 * A stored optimiser memory in the model's order, or why it does not fit the model. The memory of
 * another optimiser than the one in force (the settings changed since it was saved) is of no use
 * to this one: then a fresh memory, and `switched` names the one it was.
 */
function optimiserStateFromStored(
  model: CompiledModel,
  stored: NonNullable<ResumeState['optimiser']>,
  inForce: OptimiserName,
): { state: OptimiserState; switched?: OptimiserName } | { problem: string } {
  if (stored.kind !== inForce) return { state: freshOptimiserState(inForce, model.paramCount), switched: stored.kind };
  const slots: Float64Array[] = [];
  for (const slot of OPTIMISERS[stored.kind].slots) {
    const vector = vectorFromTree(model, stored.slots[slot.key]);
    if ('problem' in vector) return { problem: `the optimiser's ${slot.label}: ${vector.problem}` };
    slots.push(vector.vector);
  }
  return { state: { kind: stored.kind, step: stored.step, slots } };
}

/** Whether the project holds a training state (any part of it). */
export function hasTrainingState(training: Project['training']): boolean {
  return !!(training.optimiser || training.rng || training.position || training.earlyStopping);
}

/** The project's training section without a training state: training starts afresh from the weights. */
export function withoutTrainingState(training: Project['training']): Project['training'] {
  return { epoch: training.epoch, history: training.history, optimiser: null, rng: null, position: null, earlyStopping: null };
}

/**
 * Hands the project's stored training state to the trainer; returns the notices for what could
 * not be used (then nothing of it is, so that no part is applied to what it was not made for).
 */
function restoreTrainingState(project: Project, model: CompiledModel, trainer: Trainer): string[] {
  const { optimiser, rng, position, earlyStopping } = project.training;
  if (!hasTrainingState(project.training)) return [];
  let switchNotice: string | null = null;
  const problem = ((): string | null => {
    if (!optimiser || !rng || !position) return 'it is incomplete';
    const memory = optimiserStateFromStored(model, optimiser, trainer.hyperparameters.optimiser);
    if ('problem' in memory) return memory.problem;
    if (position.samples !== trainer.train.size)
      return `it was saved for a training split of ${position.samples} samples, and this one has ${trainer.train.size}`;
    let bestParams: Float64Array | null = null;
    if (earlyStopping?.bestWeights) {
      const best = vectorFromTree(model, earlyStopping.bestWeights);
      if ('problem' in best) return `early stopping's best weights: ${best.problem}`;
      bestParams = best.vector;
    }
    if (memory.switched)
      switchNotice = `The saved optimiser memory is ${OPTIMISERS[memory.switched].label}'s; ${OPTIMISERS[trainer.hyperparameters.optimiser].label} starts with its own memory fresh.`;
    trainer.setState({
      epoch: project.training.epoch,
      optimiser: memory.state,
      rng: [...rng],
      shuffled: position.shuffled,
      cursor: position.next,
      lossSum: position.lossSum,
      correct: position.correct,
      misclassified: position.misclassified,
      best: earlyStopping
        ? {
            loss: earlyStopping.bestLoss,
            epoch: earlyStopping.bestEpoch,
            epochsSinceBest: earlyStopping.epochsSinceBest,
            params: bestParams,
          }
        : null,
    });
    return null;
  })();
  if (!problem) return switchNotice ? [switchNotice] : [];
  return [
    `The saved training state does not fit this project (${problem}), so training goes on from the weights with the optimiser's memory fresh and the samples in a new order.`,
  ];
}

/**
 * The step training would take next on the project as stored: its training rows (positions in
 * the training split) and the optimiser's memory (momentum's Δw(r−1), Adam's m, v and t), in the
 * model's order. Null when the project holds no training state, or one that does not fit it, or
 * cannot be trained.
 */
export function nextStepOf(project: Project): { optimiser: OptimiserState; rows: number[] } | null {
  if (!hasTrainingState(project.training)) return null;
  let session: ProjectSession;
  try {
    session = openSession(project, 'train');
  } catch {
    return null;
  }
  if (session.notices.length > 0) return null;
  return { optimiser: copyOptimiserState(session.trainer.optimiserState), rows: session.trainer.nextBatch('batch') };
}

/**
 * The project after a training step taken by hand (the backprop inspector's "Apply") on training
 * rows `rows`, which gave these parameters and this optimiser memory: the weights are the step's,
 * and training's position moves on as {@link Trainer.countStepByHand} says, so the counters show
 * the step and training goes on after it.
 * @throws TrainingSetupError when the project cannot be trained.
 */
export function projectAfterStepByHand(
  project: Project,
  step: { rows: readonly number[]; params: ArrayLike<number>; optimiser: OptimiserState },
): Project {
  const session = openSession(project, 'train');
  session.trainer.countStepByHand(step.rows, step.params, step.optimiser);
  return projectFromSession(project, session);
}

/**
 * The project's data, with a problem in it (a split that leaves no training rows, a stored
 * normalisation for other columns) thrown as the setup error that callers report to the user.
 */
function dataOrSetupError(project: Project): ProjectData {
  try {
    return projectData(project);
  } catch (error) {
    if (error instanceof DataError) throw new TrainingSetupError([{ message: error.message }]);
    throw error;
  }
}

/** The project with the session's current weights, epoch, history, training state and fitted normalisation. */
export function projectFromSession(project: Project, session: ProjectSession): Project {
  return {
    ...project,
    graph: writeParameters(session.model, project.graph, session.trainer.params),
    normalisation: {
      method: session.data.normalisation.method,
      fitted: session.data.normalisation.method === 'none' ? null : session.data.normalisation.features,
    },
    training: {
      epoch: session.trainer.epoch,
      history: session.trainer.history.map((r) => ({ ...r })),
      ...resumeStateOf(session.model, session.trainer),
    },
  };
}

/** Loss, accuracy and (for a single classifying output) the confusion matrix on one split. */
export interface SplitEvaluation extends Evaluation {
  size: number;
  /** Rows: true class; columns: predicted class. Null when the network is not a single classifier output. */
  confusion: { classes: string[]; matrix: number[][] } | null;
}

/** Evaluates the session's current weights on train, validation and test, in the precision its trainer computes in. */
export function evaluateSession(session: ProjectSession): Record<'train' | 'validation' | 'test', SplitEvaluation> {
  const { model, trainer } = session;
  return evaluateSplits(model, trainer.params, session, trainer.hyperparameters.loss, trainer.precision);
}

/**
 * Loss, accuracy and confusion matrix of `params` on each of the three splits, one forward pass
 * each, in `precision` (float64 unless asked; fast passes the rows in float32, as fast training does).
 */
export function evaluateSplits(
  model: CompiledModel,
  params: ArrayLike<number>,
  splits: Record<'train' | 'validation' | 'test', BoundData>,
  loss: LossName,
  precision: ResolvedPrecision = 'exact',
): Record<'train' | 'validation' | 'test', SplitEvaluation> {
  const one = (data: BoundData): SplitEvaluation => {
    const confusion = confusionCounter(model, data);
    const evaluation = evaluate(model, params, data, loss, undefined, precision, confusion?.visit);
    return { ...evaluation, size: data.size, confusion: confusion?.result ?? null };
  };
  return { train: one(splits.train), validation: one(splits.validation), test: one(splits.test) };
}

/** What a project's network makes of its data, split by split; the readable view of a model's fit. */
export interface ProjectEvaluation {
  splits: Record<'train' | 'validation' | 'test', SplitEvaluation>;
  /**
   * For a network with a regression output (linear or ReLU): the first output's prediction and
   * target for every sample of each split, for a predicted-vs-target plot. Null for classifiers.
   */
  regression: { target: string; points: Record<'train' | 'validation' | 'test', { predicted: number; actual: number }[]> } | null;
}

/**
 * Evaluates the project's stored weights on its data, without a trainer (so without compiling
 * a fast kernel): for the app's live evaluation view.
 * @throws TrainingSetupError when the network does not compile or does not fit the data.
 */
export function evaluateProject(project: Project, prepared: ProjectData = dataOrSetupError(project)): ProjectEvaluation {
  const compiled = compileGraph(project.graph, { data: { features: prepared.full.features, targets: prepared.full.targets } });
  if (!compiled.ok) throw new TrainingSetupError(compiled.errors);
  const model = compiled.model;
  const params = readParameters(model);
  const bound = {
    train: bindData(model, prepared.train),
    validation: bindData(model, prepared.validation),
    test: bindData(model, prepared.test),
  };
  // In the precision a run of the project trains in: the numbers its curves show for the same weights.
  const precision = trainingPrecision(model, project.hyperparameters, prepared.train.size);
  const splits = evaluateSplits(model, params, bound, project.hyperparameters.loss, precision);
  if (isClassifier(model)) return { splits, regression: null };
  const output = model.outputs.find((node) => ACTIVATIONS[node.activation].output === 'regression')!;
  const column = output.output!.targetStart;
  const nt = model.targets.length;
  const pointsOf = (data: BoundData) => {
    const predicted = new Float64Array(data.size);
    forwardBatch(model, params, data.x, data.size, null, { slots: [output.start], slotValues: predicted });
    return Array.from({ length: data.size }, (_, n) => ({ predicted: predicted[n], actual: data.t[n * nt + column] }));
  };
  return {
    splits,
    regression: {
      target: model.targets[column],
      points: { train: pointsOf(bound.train), validation: pointsOf(bound.validation), test: pointsOf(bound.test) },
    },
  };
}

/**
 * The confusion matrix of a single classifying output on `data`, counted from the chunks of a
 * forward pass over it (`visit`), or null for other networks.
 */
function confusionCounter(
  model: CompiledModel,
  data: BoundData,
): { visit: (chunk: ForwardChunk) => void; result: NonNullable<SplitEvaluation['confusion']> } | null {
  if (!isClassifier(model) || model.outputs.length !== 1) return null;
  const node = model.outputs[0];
  const index = model.computing.indexOf(node);
  const nt = model.targets.length;
  let classes: string[];
  let classOf: (values: ArrayLike<number>, start: number) => number;
  if (node.units > 1 && !isElementwise(node.activation)) {
    classes = node.output!.targets.map((t) => t.replace(/^.*=/, ''));
    classOf = (values, start) => {
      let best = 0;
      for (let k = 1; k < node.units; k++) if (values[start + k] > values[start + best]) best = k;
      return best;
    };
  } else if (node.units === 1) {
    const signed = ACTIVATIONS[node.activation].output === 'signed';
    const threshold = signed ? 0 : 0.5;
    classes = signed ? ['−1', '+1'] : ['0', '1'];
    classOf = (values, start) => (values[start] > threshold ? 1 : 0);
  } else return null;
  const matrix = classes.map(() => classes.map(() => 0));
  const visit = (chunk: ForwardChunk) => {
    const z = chunk.z[index];
    for (let r = 0; r < chunk.rows; r++) {
      const actual = classOf(data.t, (chunk.first + r) * nt + node.output!.targetStart);
      const predicted = classOf(z, r * node.units);
      matrix[actual][predicted]++;
    }
  };
  return { visit, result: { classes, matrix } };
}

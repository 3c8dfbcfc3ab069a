/**
 * From a project document to data, a trainer, and back: what the CLI, the training worker and the
 * app all do with a project.
 */
import { compileGraph, readParameters, writeParameters, type CompiledModel } from '../compile';
import { bindData, DataError, datasetFromRows, subset, type BoundData, type Dataset } from '../data';
import { generateDataset } from '../datasets/builtin';
import { applyNormalisation, fitNormalisation, splitIndices, type Normalisation } from '../datasets/prepare';
import { evaluate, isClassifier, type Evaluation } from '../metrics';
import { createWorkspace, forward } from '../kernels';
import type { LossName } from '../losses';
import { Trainer, TrainingSetupError, checkHyperparameters, type Hyperparameters } from '../train';
import type { DatasetRef, Project } from './schema';

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
}

/**
 * Compiles the project's graph for its hyperparameters, prepares its data, and creates a trainer
 * that continues from the stored weights, epoch and history.
 *
 * @param purpose 'train' also checks that the network can be trained as the hyperparameters say;
 *   'evaluate' only that it runs on the data (a hand-set perceptron network evaluates but cannot train).
 * @throws TrainingSetupError listing every problem (graph errors name their node or edge).
 */
export function openSession(project: Project, purpose: 'train' | 'evaluate' = 'train', hyper: Hyperparameters = project.hyperparameters): ProjectSession {
  const hyperIssues = checkHyperparameters(hyper);
  if (hyperIssues.length > 0) throw new TrainingSetupError(hyperIssues);
  const data = dataOrSetupError(project);
  const compiled = compileGraph(project.graph, {
    training: purpose === 'train' ? { algorithm: hyper.algorithm, loss: hyper.loss } : undefined,
    data: { features: data.full.features, targets: data.full.targets },
  });
  if (!compiled.ok) throw new TrainingSetupError(compiled.errors);
  const model = compiled.model;
  const train = bindData(model, data.train);
  const validation = bindData(model, data.validation);
  const test = bindData(model, data.test);
  const trainer = new Trainer({ model, params: readParameters(model), train, validation: validation.size > 0 ? validation : undefined, hyper });
  trainer.epoch = project.training.epoch;
  // One at a time: a spread of a long history (200,000 epochs) would overflow the stack.
  for (const record of project.training.history) trainer.history.push(record);
  return { model, data, train, validation, test, trainer };
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

/** The project with the session's current weights, epoch, history and fitted normalisation. */
export function projectFromSession(project: Project, session: ProjectSession): Project {
  return {
    ...project,
    graph: writeParameters(session.model, project.graph, session.trainer.params),
    normalisation: { method: session.data.normalisation.method, fitted: session.data.normalisation.method === 'none' ? null : session.data.normalisation.features },
    training: { epoch: session.trainer.epoch, history: session.trainer.history.map((r) => ({ ...r })) },
  };
}

/** Loss, accuracy and (for a single classifying output) the confusion matrix on one split. */
export interface SplitEvaluation extends Evaluation {
  size: number;
  /** Rows: true class; columns: predicted class. Null when the network is not a single classifier output. */
  confusion: { classes: string[]; matrix: number[][] } | null;
}

/** Evaluates the session's current weights on train, validation and test. */
export function evaluateSession(session: ProjectSession): Record<'train' | 'validation' | 'test', SplitEvaluation> {
  return evaluateSplits(session.model, session.trainer.params, session, session.trainer.hyperparameters.loss);
}

/** Loss, accuracy and confusion matrix of `params` on each of the three splits. */
export function evaluateSplits(
  model: CompiledModel,
  params: ArrayLike<number>,
  splits: Record<'train' | 'validation' | 'test', BoundData>,
  loss: LossName,
): Record<'train' | 'validation' | 'test', SplitEvaluation> {
  const one = (data: BoundData): SplitEvaluation => ({
    ...evaluate(model, params, data, loss),
    size: data.size,
    confusion: confusionMatrix(model, params, data),
  });
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
  const bound = { train: bindData(model, prepared.train), validation: bindData(model, prepared.validation), test: bindData(model, prepared.test) };
  const splits = evaluateSplits(model, params, bound, project.hyperparameters.loss);
  if (isClassifier(model)) return { splits, regression: null };
  const output = model.outputs.find((node) => node.activation === 'linear' || node.activation === 'relu')!;
  const column = output.output!.targetStart;
  const ws = createWorkspace(model);
  const nf = model.features.length;
  const nt = model.targets.length;
  const pointsOf = (data: BoundData) =>
    Array.from({ length: data.size }, (_, n) => {
      forward(model, params, data.x, n * nf, ws);
      return { predicted: ws.z[output.start], actual: data.t[n * nt + column] };
    });
  return { splits, regression: { target: model.targets[column], points: { train: pointsOf(bound.train), validation: pointsOf(bound.validation), test: pointsOf(bound.test) } } };
}

function confusionMatrix(model: CompiledModel, params: ArrayLike<number>, data: BoundData): SplitEvaluation['confusion'] {
  if (!isClassifier(model) || model.outputs.length !== 1) return null;
  const node = model.outputs[0];
  const ws = createWorkspace(model);
  const nf = model.features.length;
  const nt = model.targets.length;
  let classes: string[];
  let classOf: (values: ArrayLike<number>, start: number) => number;
  if (node.units > 1 && node.activation === 'softmax') {
    classes = node.output!.targets.map((t) => t.replace(/^.*=/, ''));
    classOf = (values, start) => {
      let best = 0;
      for (let k = 1; k < node.units; k++) if (values[start + k] > values[start + best]) best = k;
      return best;
    };
  } else if (node.units === 1) {
    const signed = node.activation === 'tanh' || node.activation === 'sign';
    const threshold = signed ? 0 : 0.5;
    classes = signed ? ['−1', '+1'] : ['0', '1'];
    classOf = (values, start) => (values[start] > threshold ? 1 : 0);
  } else return null;
  const matrix = classes.map(() => classes.map(() => 0));
  for (let n = 0; n < data.size; n++) {
    forward(model, params, data.x, n * nf, ws);
    const actual = classOf(data.t, n * nt + node.output!.targetStart);
    const predicted = classOf(ws.z, node.start);
    matrix[actual][predicted]++;
  }
  return { classes, matrix };
}

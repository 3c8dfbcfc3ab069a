/**
 * The .nnproj format, version 2, as a zod schema: the one definition from which loading,
 * validation, TypeScript types and the published JSON Schema (docs/nnproj.schema.json) all follow.
 *
 * A project exists in two forms that differ only in the training history: in memory (`Project`,
 * what the app, the worker and the CLI pass around) the history is a list of epoch records; in a
 * file (`ProjectDocument`) it is stored as columns, thinned past a few thousand epochs
 * (engine/src/train/history.ts). format.ts turns one into the other.
 *
 * Limits keep a hostile or corrupt file from exhausting memory: the text is checked against them
 * before it is parsed (project/precheck.ts), every array is capped, and the total parameter count
 * is checked before anything is allocated for the network.
 */
import { z } from 'zod';
import { MAX_UNITS_PER_LAYER } from '../compile/compile';
import { activationsFor } from '../model/activations';
import { LOSS_NAMES } from '../model/losses';
import { PRECISION_NAMES } from '../train/precision';
import {
  OPTIMISERS,
  OPTIMISER_NAMES,
  OPTIMISER_SETTINGS,
  settingInRange,
  settingRangeText,
  type OptimiserSettingName,
} from '../train/optimisers';
import { BUILTIN_DATASETS, MAX_GENERATED_SIZE, MAX_NOISE } from '../datasets/builtin';
import { RUNS_KEPT, RUN_CHANGES, RUN_POINTS } from './runs';

/** The `format` field every project carries. */
export const PROJECT_FORMAT = 'nnstudio-project';
/** The format version this build writes. */
export const PROJECT_VERSION = 3;

/**
 * Caps on what a project may hold: each is one NN Studio can open, train, save and send between
 * its processes (a project travels as one JSON message, and a JavaScript string holds at most
 * 2²⁹ − 24 characters). Measured with Node 20 on a 2-core machine: a network of 3,999,991
 * parameters (2 → 2,000 → 1,995 → 1) saves to 87 MB in 3 s (177 MB with momentum's memory),
 * loads in 3 s, opens for training in 5 s and takes a training step in 1.5 s, in 1.7 GB of
 * memory; 5,000,000 dataset cells of 17-digit numbers save to about 125 MB. A history of any length is thinned to at most 5,120
 * records in a file and 8,192 in memory (engine/src/train/history.ts), far below
 * {@link LIMITS.historyEpochs}, which caps the records a file or a message may hold. The training
 * state holds the optimiser's memory (one number per parameter for momentum, two for Adam), and
 * one more while early stopping is to restore its best weights: a trained network at the parameter
 * limit with momentum's memory fits, one with Adam's or its best weights too may not. Each limit alone fits in {@link LIMITS.fileChars}; a
 * project that reaches several at once can be too large for a file, and saving then says so
 * rather than writing a file that would not open again.
 */
export const LIMITS = Object.freeze({
  nodes: 10_000,
  edges: 100_000,
  // The compiler's cap: a file may hold no layer the compiler would refuse.
  unitsPerLayer: MAX_UNITS_PER_LAYER,
  /** Total weights and biases of the network. */
  parameters: 4_000_000,
  datasetRows: 1_000_000,
  /** Features and targets, each (a stored row has one value per feature and per target). */
  datasetColumns: 10_000,
  /** Numbers a stored dataset holds in all: rows × (features + targets). */
  datasetCells: 5_000_000,
  /** Records of the training history a project holds (thinning keeps a history far below it). */
  historyEpochs: 1_000_000,
  /** Characters of a project's text (checked before it is parsed). */
  fileChars: 256 * 1024 * 1024,
  /**
   * Bytes of a project file (UTF-8), checked before it is read. Never fewer than the characters
   * it decodes to, so a file within this is text within {@link LIMITS.fileChars}.
   */
  fileBytes: 256 * 1024 * 1024,
  idLength: 200,
  textLength: 10_000,
});

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const id = z.string().min(1, 'must not be empty').max(LIMITS.idLength);
const name = z.string().min(1, 'must not be empty').max(LIMITS.idLength);
const text = z.string().max(LIMITS.textLength);
const position = z.object({ x: finite, y: finite });

/**
 * A record keyed by user strings (column names, node and edge ids) that keeps every key. zod's
 * `z.record` builds its result by assignment, so a column named "__proto__" became the result's
 * prototype and vanished (a label column so named lost its classes on Save). This checks each key
 * and value with the same rules and passes the object through as JSON.parse made it, with its own
 * keys intact.
 */
function userKeyedRecord<V extends z.ZodType>(
  value: V,
  key: z.ZodString = name,
  message = 'must be an object from names to lists of names',
  maxKeys = Infinity,
) {
  const shape = z.record(key, value);
  return z
    .custom<Record<string, z.output<V>>>((input) => {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
      const keys = Object.keys(input);
      if (keys.length > maxKeys) return false;
      for (const k of keys) {
        if (!key.safeParse(k).success || !value.safeParse((input as Record<string, unknown>)[k]).success) return false;
      }
      return true;
    }, message)
    .meta(jsonSchemaOf(shape));
}

/** A schema's JSON Schema, to describe a `z.custom` in the published schema (without a nested `$schema`). */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return json;
}
const output = z.object({ targets: z.array(name).min(1).max(LIMITS.unitsPerLayer) });

const common = { id, label: text.optional(), position: position.optional() };
const computing = { ...common, output: output.optional(), biasLocked: z.boolean().optional() };

export const NodeSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('input'), feature: name }),
  // An input layer reads columns of the data, so it holds at most as many as a dataset has.
  z.object({ ...common, kind: z.literal('inputLayer'), features: z.array(name).min(1).max(LIMITS.datasetColumns) }),
  z.object({ ...common, kind: z.literal('bias') }),
  z.object({ ...computing, kind: z.literal('perceptron'), activation: z.enum(activationsFor('perceptron')), bias: finite }),
  z.object({ ...computing, kind: z.literal('neuron'), activation: z.enum(activationsFor('neuron')), bias: finite }),
  z.object({
    ...computing,
    kind: z.literal('dense'),
    units: z.number().int().min(1).max(LIMITS.unitsPerLayer),
    activation: z.enum(activationsFor('dense')),
    bias: z.array(finite).max(LIMITS.unitsPerLayer),
  }),
]);

export const EdgeSchema = z.object({
  id,
  source: id,
  target: id,
  weight: z.union([finite, z.array(z.array(finite).max(LIMITS.unitsPerLayer)).max(LIMITS.unitsPerLayer)]),
  locked: z.boolean().optional(),
});

export const GraphSchema = z.object({
  nodes: z.array(NodeSchema).max(LIMITS.nodes),
  edges: z.array(EdgeSchema).max(LIMITS.edges),
});

export const DatasetRefSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('builtin'),
    name: z.enum(BUILTIN_DATASETS),
    size: z.number().int().min(1).max(MAX_GENERATED_SIZE),
    // Bounds, not a refinement, so that the published JSON Schema states them too.
    noise: z.number().min(0, `must be from 0 to ${MAX_NOISE}`).max(MAX_NOISE, `must be from 0 to ${MAX_NOISE}`),
    seed: finite,
    encoding: z.enum(['01', 'pm1']),
  }),
  z.object({
    kind: z.literal('inline'),
    /** Where the rows came from (e.g. the CSV's file name), for display. */
    source: text.optional(),
    features: z.array(name).min(1).max(LIMITS.datasetColumns),
    targets: z.array(name).min(1).max(LIMITS.datasetColumns),
    rows: z
      .array(z.array(finite).max(2 * LIMITS.datasetColumns))
      .min(1)
      .max(LIMITS.datasetRows),
    /**
     * For label targets: the classes of each label column, in one-hot order. For a binary target
     * (one 0/1 column under the column's own name): the names of 0 and 1 (['B', 'M'] when B was read as 0).
     */
    classes: userKeyedRecord(z.array(name).max(LIMITS.datasetColumns)).optional(),
  }),
]);

export const SplitSchema = z.object({
  train: finite.refine((v) => v > 0 && v <= 1, 'must be above 0 and at most 1'),
  validation: finite.refine((v) => v >= 0 && v < 1, 'must be at least 0 and below 1'),
  test: finite.refine((v) => v >= 0 && v < 1, 'must be at least 0 and below 1'),
  seed: finite,
});

export const NormalisationSchema = z.object({
  method: z.enum(['none', 'standardise', 'minmax']),
  /** Statistics fitted on the training split; null until first fitted. */
  fitted: z
    .array(z.object({ name, shift: finite, scale: finite.refine((v) => v !== 0, 'must not be 0') }))
    .max(LIMITS.datasetColumns)
    .nullable(),
});

/** Each optimiser setting's schema, from the registry: a number in its range. */
function optimiserSettingSchemas(): Record<OptimiserSettingName, z.ZodType<number>> {
  const setting = (name: OptimiserSettingName) => finite.refine((v) => settingInRange(name, v), `must be ${settingRangeText(name)}`);
  return {
    momentum: setting('momentum'),
    beta1: setting('beta1'),
    beta2: setting('beta2'),
    rho: setting('rho'),
    epsilon: setting('epsilon'),
  } satisfies { [K in keyof typeof OPTIMISER_SETTINGS]: z.ZodType<number> };
}

export const HyperparametersSchema = z.object({
  algorithm: z.enum(['gradientDescent', 'perceptron']),
  loss: z.enum(LOSS_NAMES),
  mode: z.enum(['batch', 'minibatch', 'stochastic']),
  batchSize: z.number().int().min(1).max(LIMITS.datasetRows),
  learningRate: finite.refine((v) => v > 0, 'must be above 0'),
  optimiser: z.enum(OPTIMISER_NAMES),
  ...optimiserSettingSchemas(),
  l1: finite.refine((v) => v >= 0, 'must be 0 or more'),
  l2: finite.refine((v) => v >= 0, 'must be 0 or more'),
  shuffle: z.boolean(),
  shuffleSeed: finite,
  init: z.object({
    method: z.enum(['uniform', 'xavier', 'he']),
    seed: finite,
    range: finite.refine((v) => v > 0, 'must be above 0').optional(),
  }),
  maxEpochs: z.number().int().min(1).max(100_000_000),
  targetLoss: finite.refine((v) => v >= 0, 'must be 0 or more').nullable(),
  earlyStopping: z
    .object({ patience: z.number().int().min(1), minDelta: finite.refine((v) => v >= 0, 'must be 0 or more'), restoreBest: z.boolean() })
    .nullable(),
  // Added after format version 3 without a new version: a file without it (every older file, and
  // every run and lesson written before) means 'auto', which trains the lecture's sizes in float64
  // as those files did; an older app ignores the field instead of refusing the file.
  precision: z.enum(PRECISION_NAMES).default('auto'),
});

/**
 * Some of the hyperparameters, each checked as above and none filled in by a default (a lesson's
 * settings change only what they name: zod 4 would otherwise add precision's default to a partial).
 */
export const SomeHyperparametersSchema = HyperparametersSchema.extend({ precision: z.enum(PRECISION_NAMES) }).partial();

const nullableNumber = z.number().nullable();
export const EpochRecordSchema = z.object({
  epoch: z.number().int().min(1),
  // Losses may be any number the trainer recorded; JSON has no NaN, so they are finite here.
  loss: z.number(),
  accuracy: nullableNumber,
  validationLoss: nullableNumber,
  validationAccuracy: nullableNumber,
});

const unitsMatrix = z.array(z.array(finite).max(LIMITS.unitsPerLayer)).max(LIMITS.unitsPerLayer);

/**
 * One number per weight and bias, keyed by the ids of the graph, in the shapes of the graph's own
 * weights and biases: an edit of the network leaves a tree that no longer matches it, which the
 * session notices (and drops) instead of applying numbers to the wrong weights.
 */
export const ParameterTreeSchema = z.object({
  /** By edge id: a number for an edge between single units, else a matrix [target unit][source unit]. */
  weights: userKeyedRecord(
    z.union([finite, unitsMatrix]),
    id,
    'must be an object from edge ids to a number or a matrix of numbers',
    LIMITS.edges,
  ),
  /** By node id of every computing node: a number for a single unit, else one per unit. */
  biases: userKeyedRecord(
    z.union([finite, z.array(finite).max(LIMITS.unitsPerLayer)]),
    id,
    'must be an object from node ids to a number or a list of numbers',
    LIMITS.nodes,
  ),
});

/**
 * The optimiser's memory: which optimiser it belongs to, the steps taken with it (Adam's t), and
 * its slots by the keys the registry gives them (gradient descent's `velocity`, Δw(r−1); Adam's
 * `mean` and `meanSquare`, m and v), each a number per weight and bias.
 */
export const OptimiserStateSchema = z
  .object({
    kind: z.enum(OPTIMISER_NAMES),
    step: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    slots: z.record(z.string(), ParameterTreeSchema),
  })
  .superRefine((state, context) => {
    const keys: readonly string[] = OPTIMISERS[state.kind].slots.map((slot) => slot.key);
    for (const key of keys)
      if (!Object.hasOwn(state.slots, key))
        context.addIssue({ code: 'custom', path: ['slots', key], message: `is missing (${state.kind} keeps it)` });
    for (const key of Object.keys(state.slots))
      if (!keys.includes(key)) context.addIssue({ code: 'custom', path: ['slots', key], message: `is not part of ${state.kind}'s memory` });
  });

const word = z.number().int().min(0).max(0xffff_ffff);
/** The shuffling generator's state: four unsigned 32-bit words (engine/src/util/random.ts). */
export const RngStateSchema = z.tuple([word, word, word, word]);

/** Where training is inside the current epoch. */
export const TrainingPositionSchema = z
  .object({
    /** Training samples an epoch visits: the training split's size the order was drawn for. */
    samples: z.number().int().min(1).max(LIMITS.datasetRows),
    /** Position in this epoch's order of the next step's first sample. */
    next: z.number().int().min(0).max(LIMITS.datasetRows),
    /** Whether this epoch's order was drawn from `rng` (shuffled), or is the samples in order. */
    shuffled: z.boolean(),
    /** The sum of the losses of this epoch's samples so far (the epoch's loss is their mean). */
    lossSum: finite,
    /** This epoch's samples so far that the network classified correctly before its update. */
    correct: z.number().int().min(0),
    /** This epoch's samples so far that the perceptron rule changed weights for. */
    misclassified: z.number().int().min(0),
  })
  .refine((p) => p.next < p.samples, { path: ['next'], message: 'must be below samples' })
  .refine((p) => p.correct <= p.next && p.misclassified <= p.next, {
    path: ['correct'],
    message: 'counts more samples than the epoch has seen',
  });

/** Early stopping's memory: the best validation loss so far, and how long ago it was. */
export const EarlyStoppingStateSchema = z.object({
  bestLoss: finite,
  bestEpoch: z.number().int().min(1),
  epochsSinceBest: z.number().int().min(0),
  /** The weights of the best epoch, to restore at the stop; kept only while restoreBest is on. */
  bestWeights: ParameterTreeSchema.nullable(),
});

/**
 * What training needs besides the weights to go on exactly where it was: momentum's memory, the
 * shuffling generator's state before this epoch's order was drawn, the position in that order,
 * and early stopping's memory. All null: training starts afresh from the weights.
 */
const resumeFields = {
  optimiser: OptimiserStateSchema.nullable().optional(),
  rng: RngStateSchema.nullable().optional(),
  position: TrainingPositionSchema.nullable().optional(),
  earlyStopping: EarlyStoppingStateSchema.nullable().optional(),
};
export const ResumeStateSchema = z.object(resumeFields);

/** The training section in memory: the history as a list of epoch records. */
export const TrainingStateSchema = z.object({
  /** Completed epochs. */
  epoch: z.number().int().min(0),
  history: z.array(EpochRecordSchema).max(LIMITS.historyEpochs),
  ...resumeFields,
});

const historyColumn = z.array(nullableNumber).max(LIMITS.historyEpochs).nullable();

/**
 * The history as a file stores it: one column per field, one entry per kept epoch, in increasing
 * order of epoch; a column that would hold nothing but nulls is null.
 */
export const HistoryColumnsSchema = z
  .object({
    epoch: z.array(z.number().int().min(1)).max(LIMITS.historyEpochs),
    loss: z.array(z.number()).max(LIMITS.historyEpochs),
    accuracy: historyColumn,
    validationLoss: historyColumn,
    validationAccuracy: historyColumn,
  })
  .superRefine((h, context) => {
    for (const field of ['loss', 'accuracy', 'validationLoss', 'validationAccuracy'] as const) {
      const column = h[field];
      if (column && column.length !== h.epoch.length) {
        context.addIssue({ code: 'custom', path: [field], message: `has ${column.length} values but epoch has ${h.epoch.length}` });
        return;
      }
    }
    for (let i = 1; i < h.epoch.length; i++) {
      if (h.epoch[i] <= h.epoch[i - 1]) {
        context.addIssue({
          code: 'custom',
          path: ['epoch', i],
          message: `epochs must increase, but ${h.epoch[i]} follows ${h.epoch[i - 1]}`,
        });
        return;
      }
    }
  });

/** The training section as a file stores it. */
export const StoredTrainingStateSchema = z.object({
  /** Completed epochs. */
  epoch: z.number().int().min(0),
  history: HistoryColumnsSchema,
  ...resumeFields,
});

/** A panel's size in px: bounded, so a hand-edited file cannot ask for a window of a million pixels. */
const panelSize = z.number().min(0).max(100_000);

export const ViewSchema = z.object({
  viewport: z.object({ x: finite, y: finite, zoom: finite.refine((v) => v > 0, 'must be above 0') }).optional(),
  /** Which panels are open, by name. */
  panels: z.record(name, z.boolean()).optional(),
  /**
   * The sizes the window's resizable panels were given, in px (widths; the dock's and the
   * inspector's heights). The app holds each to its own bounds as it opens; unknown names are dropped.
   */
  panelSizes: z
    .object({
      palette: panelSize,
      side: panelSize,
      dock: panelSize,
      backprop: panelSize,
      regions: panelSize,
      evaluation: panelSize,
      learn: panelSize,
    })
    .partial()
    .optional(),
  /** The dataset row the backprop inspector was showing (older files stored a training position; it is read as a row). */
  inspectorSample: z.number().int().min(0).nullable().optional(),
  selection: z
    .array(id)
    .max(LIMITS.nodes + LIMITS.edges)
    .optional(),
});

/**
 * One training run, kept so that runs can be compared side by side (project/runs.ts): the
 * settings it started with and any it was given while it ran, the network it trained, its
 * history compacted to at most {@link RUN_POINTS} records (epochs counted from the run's start),
 * and how it ended. A project keeps at most {@link RUNS_KEPT}.
 */
const runHistoryColumn = z.array(nullableNumber).max(RUN_POINTS);
export const RunHistorySchema = z
  .object({
    /** Epochs since the run started (1 is its first), increasing. */
    epoch: z.array(z.number().int().min(1)).max(RUN_POINTS),
    loss: runHistoryColumn,
    accuracy: runHistoryColumn.nullable(),
    validationLoss: runHistoryColumn.nullable(),
    validationAccuracy: runHistoryColumn.nullable(),
  })
  .superRefine((h, context) => {
    for (const field of ['loss', 'accuracy', 'validationLoss', 'validationAccuracy'] as const) {
      const column = h[field];
      if (column && column.length !== h.epoch.length) {
        context.addIssue({ code: 'custom', path: [field], message: `has ${column.length} values but epoch has ${h.epoch.length}` });
        return;
      }
    }
    for (let i = 1; i < h.epoch.length; i++) {
      if (h.epoch[i] <= h.epoch[i - 1]) {
        context.addIssue({
          code: 'custom',
          path: ['epoch', i],
          message: `epochs must increase, but ${h.epoch[i]} follows ${h.epoch[i - 1]}`,
        });
        return;
      }
    }
  });

export const RunSchema = z.object({
  id,
  label: z.string().max(LIMITS.idLength),
  /** When the run started, as an ISO 8601 date and time. */
  startedAt: z.iso.datetime({ offset: true }),
  pinned: z.boolean().optional(),
  /** The settings in force when the run started. */
  hyperparameters: HyperparametersSchema,
  /** Settings changed while the run was under way: from which of its epochs they applied. */
  changes: z.array(z.object({ epoch: z.number().int().min(0), hyperparameters: HyperparametersSchema })).max(RUN_CHANGES),
  /** The project's completed epochs when the run started: 0 from fresh weights. */
  startEpoch: z.number().int().min(0),
  /** The network it trained: computing units and parameters (weights and biases). */
  network: z.object({ inputs: z.number().int().min(0), units: z.number().int().min(0), parameters: z.number().int().min(0) }),
  history: RunHistorySchema,
  /** Epochs trained in the run and the last epoch's figures. */
  final: z.object({
    epochs: z.number().int().min(0),
    loss: nullableNumber,
    accuracy: nullableNumber,
    validationLoss: nullableNumber,
    validationAccuracy: nullableNumber,
  }),
  /** How it ended (a stopping criterion, a pause, a stop); null while it runs. */
  stop: z.object({ reason: z.string().max(LIMITS.idLength), message: text }).nullable(),
});

export const ProjectSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  name: text.min(1, 'must not be empty'),
  description: text.optional(),
  graph: GraphSchema,
  dataset: DatasetRefSchema,
  split: SplitSchema,
  normalisation: NormalisationSchema,
  hyperparameters: HyperparametersSchema,
  training: TrainingStateSchema,
  view: ViewSchema,
  /** The training runs kept for comparison, oldest first; absent in files that have none. */
  runs: z
    .array(RunSchema)
    .max(RUNS_KEPT)
    .superRefine((runs, context) => {
      const seen = new Set<string>();
      for (const [i, run] of runs.entries()) {
        if (seen.has(run.id)) context.addIssue({ code: 'custom', path: [i, 'id'], message: `another run already has the id '${run.id}'` });
        seen.add(run.id);
      }
    })
    .optional(),
});

/** A project in memory, version 2: the history as epoch records. */
export type Project = z.infer<typeof ProjectSchema>;

/** A project as a file stores it, and as the loader validates it (a history of records made columns first). */
export const ProjectFileSchema = ProjectSchema.extend({ training: StoredTrainingStateSchema });
/**
 * What a file may hold, as the published JSON Schema describes it: NN Studio writes the history
 * as columns, and reads it as a list of epoch records too (as version 1 and other tools write it).
 */
export const ProjectFileInputSchema = ProjectSchema.extend({
  training: StoredTrainingStateSchema.extend({
    history: z.union([HistoryColumnsSchema, z.array(EpochRecordSchema).max(LIMITS.historyEpochs)]),
  }),
});
/** A project document as stored: the history as columns. */
export type ProjectDocument = z.infer<typeof ProjectFileSchema>;
/** What training needs besides the weights to go on exactly where it was. */
export type ResumeState = z.infer<typeof ResumeStateSchema>;
/** Weights, biases or their memory keyed by the graph's ids. */
export type ParameterTree = z.infer<typeof ParameterTreeSchema>;
/** Where a project's data comes from. */
export type DatasetRef = z.infer<typeof DatasetRefSchema>;
/** A training run kept for comparison (project/runs.ts). */
export type Run = z.infer<typeof RunSchema>;
/** A run's history: its epochs compacted, as columns. */
export type RunHistory = z.infer<typeof RunHistorySchema>;

/**
 * The checks a lesson's tasks run: one registry, each entry its parameters' schema beside the
 * predicate that decides it. A predicate reads the document, the data, the last training run, the
 * inspector and the quiz (a {@link CheckContext}) and answers done or not, with a sentence saying
 * where the student stands ("the truth table is now 0001"). Adding a check is one entry here; the
 * lesson schema, the JSON Schema and the docs' list derive from the table.
 */
import { z } from 'zod';
import { ACTIVATIONS } from '../model/activations';
import { compileGraph, readParameters } from '../compile/compile';
import { bindData } from '../datasets/data';
import { applyNormalisation } from '../datasets/prepare';
import { forwardBatch } from '../fast/batch-forward';
import { evaluateProject, projectData } from '../project/session';
import type { Project } from '../project/schema';
import type { EpochRecord } from '../train/train';
import { formatNumber, formatPercent } from '../util/format';
import { assertNever } from '../util/never';
import { QUIZ_QUANTITY_NAMES, type QuizQuantity } from '../explain/quiz';

/** Where the training of the document stands, as the window shows it. */
export interface TrainingView {
  state: 'idle' | 'running' | 'paused' | 'stopped';
  /** The last run's stop message ("Stopped: reached the maximum of 1000 epochs."), or null. */
  message: string | null;
  history: readonly EpochRecord[];
}

/** Everything a check may read. */
export interface CheckContext {
  /** The document now. */
  project: Project;
  /** The project the lesson started from (for "you changed only …"). */
  start: Project;
  training: TrainingView;
  /** The backprop inspector: open or not, the phase and unit it stands at, and every phase it has shown in this lesson. */
  inspector: { open: boolean; phase: 'forward' | 'backward' | 'update' | null; unit: string | null; phasesSeen: readonly string[] };
  /** The quiz's score in this lesson. */
  quiz: { asked: number; right: number; byQuantity: Partial<Record<string, { asked: number; right: number }>> };
  /** The kinds of diagnosis the coach shows now. */
  coach: readonly string[];
  /** The runs kept with the project: the hyperparameters each ran with and its final loss. */
  runs: readonly { hyperparameters: Project['hyperparameters']; finalLoss: number | null }[];
}

/** A check's answer. */
export interface CheckResult {
  done: boolean;
  /** Where the student stands, in one sentence (shown beside an unfinished task). */
  detail: string;
}

const fraction = z.number().min(0).max(1);
const split = z.enum(['train', 'validation', 'test']).default('train');
const count = z.number().int().min(0).max(100_000);

/** The settings a `setting` check may read, by path. */
export const SETTING_PATHS = [
  'hyperparameters.algorithm',
  'hyperparameters.loss',
  'hyperparameters.mode',
  'hyperparameters.batchSize',
  'hyperparameters.learningRate',
  'hyperparameters.optimiser',
  'hyperparameters.momentum',
  'hyperparameters.l1',
  'hyperparameters.l2',
  'hyperparameters.maxEpochs',
  'hyperparameters.targetLoss',
  'hyperparameters.init.seed',
  'normalisation.method',
  'split.validation',
  'split.test',
  'dataset.name',
] as const;
type SettingPath = (typeof SETTING_PATHS)[number];

/** The schema of every check, by kind: what a lesson file may write. */
export const CHECK_PARAMETERS = {
  /** The network's decisions on the data's rows, in order, read as 0/1: "0111" for OR. */
  truthTable: z.object({ table: z.string().regex(/^[01]{1,64}$/, 'must be a string of 0s and 1s') }).strict(),
  /** Accuracy of the current weights on a split. */
  accuracy: z.object({ atLeast: fraction, split }).strict(),
  /** Loss of the current weights on a split. */
  loss: z.object({ atMost: z.number().min(0), split }).strict(),
  /** The network's shape: counts of inputs, hidden and output units, and the activations used. */
  network: z
    .object({
      inputs: count.optional(),
      hidden: count.optional(),
      outputs: count.optional(),
      hiddenActivation: z.string().max(40).optional(),
      outputActivation: z.string().max(40).optional(),
    })
    .strict(),
  /** Only these weights and biases differ from the lesson's start (and at least one does): edge ids, or `b:unit` for a bias. */
  changedOnly: z.object({ parameters: z.array(z.string().min(1).max(200)).min(1).max(64) }).strict(),
  /** A setting equals a value, or lies in a range. */
  setting: z
    .object({
      path: z.enum(SETTING_PATHS),
      equals: z.union([z.string().max(100), z.number(), z.boolean(), z.null()]).optional(),
      atLeast: z.number().optional(),
      atMost: z.number().optional(),
    })
    .strict(),
  /** Training has run: at least so many epochs, and (optionally) has stopped with a message matching a phrase. */
  trained: z
    .object({ epochsAtLeast: count.default(1), stopped: z.boolean().default(false), messageIncludes: z.string().max(200).optional() })
    .strict(),
  /** The backprop inspector has been opened, and has shown a phase (and, optionally, stood at a unit). */
  inspected: z.object({ phase: z.enum(['forward', 'backward', 'update']).optional(), unit: z.string().max(200).optional() }).strict(),
  /** The quiz has been answered right so many times (of one quantity, or any). */
  quiz: z.object({ right: count.min(1), quantity: z.enum(QUIZ_QUANTITY_NAMES as [QuizQuantity, ...QuizQuantity[]]).optional() }).strict(),
  /** The coach shows a diagnosis of this kind. */
  coach: z.object({ diagnosis: z.string().min(1).max(60) }).strict(),
  /** The project keeps runs with at least `distinct` different values of a hyperparameter (a comparison). */
  runsCompared: z.object({ setting: z.enum(SETTING_PATHS), distinct: count.min(2) }).strict(),
} as const;

export type CheckKind = keyof typeof CHECK_PARAMETERS;
export const CHECK_KINDS = Object.keys(CHECK_PARAMETERS) as CheckKind[];

/** A check as a lesson writes it: `{ "kind": "truthTable", "table": "0111" }`. */
export type Check = { [K in CheckKind]: { kind: K } & z.infer<(typeof CHECK_PARAMETERS)[K]> }[CheckKind];

/** Every check, as one discriminated union on `kind`. */
export const CheckSchema = z.discriminatedUnion(
  'kind',
  CHECK_KINDS.map((kind) => CHECK_PARAMETERS[kind].extend({ kind: z.literal(kind) })) as unknown as [
    z.ZodObject<{ kind: z.ZodLiteral<CheckKind> }>,
    ...z.ZodObject<{ kind: z.ZodLiteral<CheckKind> }>[],
  ],
) as unknown as z.ZodType<Check>;

/** A setting's value in the project, by path. */
export function settingOf(project: Project, path: SettingPath): unknown {
  if (path === 'dataset.name') return project.dataset.kind === 'builtin' ? project.dataset.name : null;
  let value: unknown = project;
  for (const part of path.split('.'))
    value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[part];
  return value;
}

/** The network's decisions on every row of its data, in the data's order, as 0/1 (null when it does not run on it). */
export function truthTableOf(project: Project): string | { problem: string } {
  let prepared;
  try {
    prepared = projectData(project);
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
  const compiled = compileGraph(project.graph, { data: { features: prepared.full.features, targets: prepared.full.targets } });
  if (!compiled.ok) return { problem: `the network does not compile (${compiled.errors[0].message})` };
  const model = compiled.model;
  if (model.outputs.length !== 1 || model.outputs[0].units !== 1) return { problem: 'a truth table needs one output unit' };
  const rows = prepared.normalisation.method === 'none' ? prepared.full : applyNormalisation(prepared.full, prepared.normalisation);
  const bound = bindData(model, rows);
  const out = new Float64Array(bound.size * model.targets.length);
  forwardBatch(model, readParameters(model), bound.x, bound.size, out);
  const threshold = ACTIVATIONS[model.outputs[0].activation].output === 'signed' ? 0 : 0.5;
  let table = '';
  for (let n = 0; n < bound.size; n++) table += out[n * model.targets.length] > threshold ? '1' : '0';
  return table;
}

/** The project's weights and biases by name (`x1->y`, `b:y`; a layer's entries flattened), for comparing two versions. */
function parametersByName(project: Project): Map<string, string> {
  const named = new Map<string, string>();
  for (const edge of project.graph.edges) named.set(edge.id, JSON.stringify(edge.weight));
  for (const node of project.graph.nodes) if ('bias' in node) named.set(`b:${node.id}`, JSON.stringify(node.bias));
  return named;
}

/** A parameter's name as a student reads it: w(y←x1), the bias of y. */
function readableParameter(name: string): string {
  if (name.startsWith('b:')) return `the bias of ${name.slice(2)}`;
  const [source, target] = name.split('->');
  return target ? `w(${target}←${source})` : name;
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The computing units of the graph: a dense layer counts its units. */
function unitCounts(project: Project): {
  inputs: number;
  hidden: number;
  outputs: number;
  hiddenActivations: Set<string>;
  outputActivations: Set<string>;
} {
  const counts = { inputs: 0, hidden: 0, outputs: 0, hiddenActivations: new Set<string>(), outputActivations: new Set<string>() };
  for (const node of project.graph.nodes) {
    if (node.kind === 'input') counts.inputs++;
    else if (node.kind === 'inputLayer') counts.inputs += node.features.length;
    else if (node.kind === 'bias') continue;
    else {
      const size = node.kind === 'dense' ? node.units : 1;
      if (node.output) {
        counts.outputs += size;
        counts.outputActivations.add(node.activation);
      } else {
        counts.hidden += size;
        counts.hiddenActivations.add(node.activation);
      }
    }
  }
  return counts;
}

/** Whether `check` holds in `context`, with where the student stands. Never throws: a project the check cannot read is "not yet", with the reason. */
export function runCheck(check: Check, context: CheckContext): CheckResult {
  try {
    return decide(check, context);
  } catch (error) {
    return { done: false, detail: `Not yet: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function decide(check: Check, context: CheckContext): CheckResult {
  const { project } = context;
  switch (check.kind) {
    case 'truthTable': {
      const table = truthTableOf(project);
      if (typeof table !== 'string') return { done: false, detail: `Not yet: ${table.problem}.` };
      return {
        done: table === check.table,
        detail: `The network’s truth table is ${table}${table === check.table ? '' : `; the task asks for ${check.table}`}.`,
      };
    }
    case 'accuracy':
    case 'loss': {
      const evaluation = evaluateProject(project).splits[check.split];
      if (evaluation.size === 0) return { done: false, detail: `The ${check.split} split has no samples.` };
      if (check.kind === 'accuracy') {
        const accuracy = evaluation.accuracy;
        if (accuracy === null) return { done: false, detail: 'This network has no accuracy (it predicts numbers).' };
        return {
          done: accuracy >= check.atLeast - 1e-12,
          detail: `Accuracy on ${check.split} is ${formatPercent(accuracy)}; the task asks for ${formatPercent(check.atLeast)}.`,
        };
      }
      return {
        done: evaluation.loss <= check.atMost,
        detail: `The ${check.split} loss is ${formatNumber(evaluation.loss)}; the task asks for at most ${formatNumber(check.atMost)}.`,
      };
    }
    case 'network': {
      const counts = unitCounts(project);
      const problems: string[] = [];
      const want = (what: 'inputs' | 'hidden' | 'outputs', words: string) => {
        const expected = check[what];
        if (expected !== undefined && counts[what] !== expected) problems.push(`${counts[what]} ${words} (the task asks for ${expected})`);
      };
      want('inputs', 'inputs');
      want('hidden', 'hidden units');
      want('outputs', 'output units');
      const activation = (expected: string | undefined, seen: Set<string>, words: string) => {
        if (expected !== undefined && (seen.size !== 1 || !seen.has(expected)))
          problems.push(`${words} ${seen.size ? [...seen].join(', ') : 'none'} (the task asks for ${expected})`);
      };
      activation(check.hiddenActivation, counts.hiddenActivations, 'hidden activation');
      activation(check.outputActivation, counts.outputActivations, 'output activation');
      const compiled = compileGraph(project.graph);
      if (!compiled.ok) problems.push(`it does not compile yet (${compiled.errors[0].message})`);
      return problems.length
        ? { done: false, detail: `The network has ${listed(problems)}.` }
        : { done: true, detail: `The network has ${counts.inputs} inputs, ${counts.hidden} hidden and ${counts.outputs} output units.` };
    }
    case 'changedOnly': {
      const before = parametersByName(context.start);
      const now = parametersByName(project);
      const structure = [...before.keys()].sort().join() === [...now.keys()].sort().join();
      if (!structure)
        return { done: false, detail: 'The network’s units or edges differ from the lesson’s start: only weights should change.' };
      const changed = [...now.keys()].filter((name) => now.get(name) !== before.get(name));
      const allowed = new Set(check.parameters);
      const others = changed.filter((name) => !allowed.has(name));
      if (others.length)
        return {
          done: false,
          detail: `You changed ${listed(others.map(readableParameter))} as well; the task allows only ${listed(check.parameters.map(readableParameter))}.`,
        };
      if (!changed.length)
        return { done: false, detail: `Nothing has changed yet: change ${listed(check.parameters.map(readableParameter))}.` };
      return { done: true, detail: `You changed ${listed(changed.map(readableParameter))} and nothing else.` };
    }
    case 'setting': {
      const value = settingOf(project, check.path);
      const name = check.path.split('.').pop();
      let done = true;
      if (check.equals !== undefined && value !== check.equals) done = false;
      if (check.atLeast !== undefined && !(typeof value === 'number' && value >= check.atLeast)) done = false;
      if (check.atMost !== undefined && !(typeof value === 'number' && value <= check.atMost)) done = false;
      return { done, detail: `${name} is ${typeof value === 'number' ? formatNumber(value) : String(value)}.` };
    }
    case 'trained': {
      const epochs = project.training.epoch;
      const message = context.training.message ?? '';
      const stoppedOk = !check.stopped || context.training.state === 'stopped';
      const phraseOk = check.messageIncludes === undefined || message.toLowerCase().includes(check.messageIncludes.toLowerCase());
      const done = epochs >= check.epochsAtLeast && stoppedOk && phraseOk;
      return {
        done,
        detail: `${epochs} epoch${epochs === 1 ? '' : 's'} trained${context.training.state === 'stopped' && message ? `; ${message}` : ''}.`,
      };
    }
    case 'inspected': {
      const { inspector } = context;
      if (!inspector.open && !inspector.phasesSeen.length)
        return { done: false, detail: 'The inspector is not open: press Inspect (Ctrl+I).' };
      const phaseOk = check.phase === undefined || inspector.phasesSeen.includes(check.phase);
      const unitOk = check.unit === undefined || inspector.unit === check.unit;
      return {
        done: phaseOk && unitOk,
        detail: inspector.phase
          ? `The inspector stands at the ${inspector.phase} pass${inspector.unit ? `, unit ${inspector.unit}` : ''}.`
          : 'The inspector has been opened.',
      };
    }
    case 'quiz': {
      const score = check.quantity ? (context.quiz.byQuantity[check.quantity] ?? { asked: 0, right: 0 }) : context.quiz;
      return {
        done: score.right >= check.right,
        detail: `${score.right} of ${score.asked} answered right${check.quantity ? ` (${check.quantity})` : ''}; the task asks for ${check.right}.`,
      };
    }
    case 'coach': {
      const done = context.coach.includes(check.diagnosis);
      return { done, detail: done ? 'The coach has explained it.' : 'The coach has nothing to say about that yet: train first.' };
    }
    case 'runsCompared': {
      const values = new Set(
        context.runs.map((run) => JSON.stringify(settingOf({ ...project, hyperparameters: run.hyperparameters }, check.setting))),
      );
      const name = check.setting.split('.').pop();
      return {
        done: values.size >= check.distinct,
        detail: `${context.runs.length} runs kept, with ${values.size} different value${values.size === 1 ? '' : 's'} of ${name}; the task asks for ${check.distinct}.`,
      };
    }
    default:
      return assertNever(check);
  }
}

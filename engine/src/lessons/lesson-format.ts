/**
 * The lesson file (`.nnlesson`): a lesson of the course as data, not code — Markdown text with
 * formulas, a starting project, and steps whose tasks the app checks by itself (checks.ts), with
 * hints on request and a solution that can be shown. The built-in course (course/*.nnlesson) is
 * written in exactly this format and read by the same parser as a teacher's file; the published
 * JSON Schema (docs/nnlesson.schema.json) is generated from the zod schema here.
 */
import { z } from 'zod';
import { BUILTIN_DATASETS } from '../datasets/builtin';
import { findExample } from '../project/examples';
import { loadProjectValue } from '../project/format';
import { SomeHyperparametersSchema, type Project } from '../project/schema';
import { initialiseProjectWeights, newProject } from '../project/examples';
import { defaultSpec } from '../datasets/builtin';
import { quoteForMessage } from '../util/quote';
import { CheckSchema } from './checks';

/** The `format` field of every lesson file. */
export const LESSON_FORMAT = 'nnstudio-lesson';
/** The version of the lesson format this code reads and writes. */
export const LESSON_VERSION = 1;
/** Characters of a lesson file (checked before it is parsed): text and a starting project or two. */
export const LESSON_MAX_CHARS = 4 * 1024 * 1024;

/** Markdown text: one string, or a list of lines (easier to write in JSON), joined with newlines. */
const TextSchema = z
  .union([z.string().max(20_000), z.array(z.string().max(2_000)).max(400)])
  .describe('Markdown, with formulas between $…$ (inline) or $$…$$ (display) in LaTeX; a list of strings is joined with newlines.');
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be lowercase letters, digits and dashes (at most 80)');
const number = z.number().refine(Number.isFinite, 'must be a finite number');

/**
 * Changes applied to a project: weights by edge id (a number, or a matrix for a layer's edge),
 * biases by node id, hyperparameters. How a lesson sets its start apart from an example, and how
 * a solution is shown.
 */
export const ProjectChangesSchema = z
  .object({
    weights: z.record(z.string().max(200), z.union([number, z.array(z.array(number).max(4096)).max(4096)])).optional(),
    biases: z.record(z.string().max(200), z.union([number, z.array(number).max(4096)])).optional(),
    hyperparameters: SomeHyperparametersSchema.optional(),
    /** Draws fresh weights from the hyperparameters' initialisation (after the hyperparameters above). */
    reinitialise: z.boolean().optional(),
  })
  .strict();
export type ProjectChanges = z.infer<typeof ProjectChangesSchema>;

/** Where a lesson starts: a shipped example (changed or not), a project of its own, or an empty canvas on a built-in dataset. */
export const LessonStartSchema = z.union([
  z.object({ example: z.string().min(1).max(100), changes: ProjectChangesSchema.optional() }).strict(),
  z.object({ project: z.unknown().describe('A project as a .nnproj file holds it (any format version).') }).strict(),
  z
    .object({
      empty: z.object({ dataset: z.enum(BUILTIN_DATASETS), hyperparameters: SomeHyperparametersSchema.optional() }).strict(),
    })
    .strict(),
]);

/** A task of a step: a sentence for the student and the check the app runs. */
export const TaskSchema = z
  .object({
    id,
    text: TextSchema,
    check: CheckSchema,
  })
  .strict();

/** What "Show solution" does: explains, and optionally changes the project (one undoable edit) or replaces it with an example. */
export const SolutionSchema = z
  .object({
    text: TextSchema,
    changes: ProjectChangesSchema.optional(),
    example: z.string().min(1).max(100).optional(),
  })
  .strict();

export const StepSchema = z
  .object({
    title: z.string().min(1).max(200),
    text: TextSchema,
    tasks: z.array(TaskSchema).max(12).default([]),
    /** Shown one at a time, on request. */
    hints: z.array(TextSchema).max(12).default([]),
    solution: SolutionSchema.optional(),
  })
  .strict();

export const LessonSchema = z
  .object({
    $schema: z.string().max(500).optional(),
    format: z.literal(LESSON_FORMAT),
    version: z.literal(LESSON_VERSION),
    id,
    title: z.string().min(1).max(200),
    summary: z.string().max(2_000),
    /** Where the lecture covers it, in words ("slides 20–24: the perceptron rule"). */
    lecture: z.string().max(500).optional(),
    author: z.string().max(200).optional(),
    start: LessonStartSchema,
    steps: z.array(StepSchema).min(1).max(40),
  })
  .strict()
  .superRefine((lesson, context) => {
    const seen = new Set<string>();
    lesson.steps.forEach((step, s) =>
      step.tasks.forEach((task, t) => {
        if (seen.has(task.id))
          context.addIssue({ code: 'custom', path: ['steps', s, 'tasks', t, 'id'], message: `is used twice ('${task.id}')` });
        seen.add(task.id);
      }),
    );
  });

/** A lesson as read from its file. */
export type Lesson = z.infer<typeof LessonSchema>;
export type LessonStep = Lesson['steps'][number];
export type LessonTask = LessonStep['tasks'][number];
export type LessonSolution = NonNullable<LessonStep['solution']>;

/** A lesson text as one Markdown string. */
export function lessonText(text: string | readonly string[]): string {
  return typeof text === 'string' ? text : text.join('\n');
}

/** What reading a lesson gives: the lesson, or one sentence naming what is wrong and where. */
export type LessonLoad = { ok: true; lesson: Lesson } | { ok: false; message: string };

/** `steps[2].tasks[0].check.table` from zod's path. */
function where(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out;
}

/**
 * Reads a lesson file's text. Everything a crafted or damaged file can hold ends as one sentence
 * ("lesson.nnlesson: steps[1].tasks[0].check.kind: …"), never as an exception; the starting project and
 * the examples a lesson names are checked here too, so a lesson that opens also starts.
 * @param name The file's name, for the message.
 */
export function parseLesson(text: string, name = 'the lesson'): LessonLoad {
  const fail = (reason: string): LessonLoad => ({ ok: false, message: `${name}: ${reason}` });
  try {
    if (typeof text !== 'string') return fail('the file is not text.');
    if (text.length > LESSON_MAX_CHARS)
      return fail(
        `the file is too large (${text.length.toLocaleString('en')} characters; a lesson may have ${LESSON_MAX_CHARS.toLocaleString('en')}).`,
      );
    let value: unknown;
    try {
      value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (error) {
      return fail(
        `the file is not valid JSON (${quoteForMessage(error instanceof Error ? error.message : String(error), 120)}), so it is not an NN Studio lesson or it is damaged.`,
      );
    }
    return lessonFromValue(value, name);
  } catch (error) {
    return fail(`the lesson could not be read: ${quoteForMessage(error instanceof Error ? error.message : String(error), 200)}`);
  }
}

/** {@link parseLesson} for a value already parsed from JSON (the built-in course). */
export function lessonFromValue(value: unknown, name = 'the lesson'): LessonLoad {
  const fail = (reason: string): LessonLoad => ({ ok: false, message: `${name}: ${reason}` });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('the file does not hold a lesson (a JSON object).');
  const format = (value as { format?: unknown }).format;
  if (format !== LESSON_FORMAT)
    return fail(
      `this is not an NN Studio lesson (its "format" is ${format === undefined ? 'missing' : quoteForMessage(JSON.stringify(format), 60)}; a lesson says "${LESSON_FORMAT}").`,
    );
  const version = (value as { version?: unknown }).version;
  if (typeof version === 'number' && version > LESSON_VERSION)
    return fail(
      `the lesson is format version ${version}, newer than this NN Studio reads (${LESSON_VERSION}); update NN Studio to open it.`,
    );
  const parsed = LessonSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`${where(issue.path) || 'the lesson'}: ${issue.message}.`.replace(/\.\.$/, '.'));
  }
  const lesson = parsed.data;
  const start = startProjectOf(lesson);
  if ('problem' in start) return fail(start.problem);
  for (const [s, step] of lesson.steps.entries()) {
    const example = step.solution?.example;
    if (example !== undefined && !findExample(example))
      return fail(`steps[${s}].solution.example: there is no example '${quoteForMessage(example, 60)}'.`);
    if (step.solution?.changes) {
      const changed = applyProjectChanges(start.project, step.solution.changes);
      if ('problem' in changed) return fail(`steps[${s}].solution.changes: ${changed.problem}`);
    }
  }
  return { ok: true, lesson };
}

/** The project a lesson starts from, or the sentence saying why it cannot start. */
export function startProjectOf(lesson: Lesson): { project: Project } | { problem: string } {
  const start = lesson.start;
  if ('example' in start) {
    const example = findExample(start.example);
    if (!example) return { problem: `start.example: there is no example '${quoteForMessage(start.example, 60)}'.` };
    const project = { ...example.create(), name: lesson.title };
    if (!start.changes) return { project };
    const changed = applyProjectChanges(project, start.changes);
    return 'problem' in changed ? { problem: `start.changes: ${changed.problem}` } : changed;
  }
  if ('project' in start) {
    const loaded = loadProjectValue(start.project);
    if (!loaded.ok) return { problem: `start.project: ${loaded.error.message}` };
    return { project: loaded.project };
  }
  const dataset = defaultSpec(start.empty.dataset);
  const project = newProject({
    name: lesson.title,
    graph: { nodes: [], edges: [] },
    dataset: { kind: 'builtin', ...dataset },
    hyperparameters: start.empty.hyperparameters,
  });
  return { project };
}

/**
 * The project with `changes` applied: each weight and bias named must exist and have the shape
 * of what it replaces (a single edge a number, a layer's edge its matrix).
 */
export function applyProjectChanges(project: Project, changes: ProjectChanges): { project: Project } | { problem: string } {
  const edges = new Map(project.graph.edges.map((e) => [e.id, e]));
  const nodes = new Map(project.graph.nodes.map((n) => [n.id, n]));
  const shape = (v: unknown) =>
    Array.isArray(v) ? (Array.isArray(v[0]) ? `${v.length}×${(v[0] as unknown[]).length}` : `${v.length}`) : 'one number';
  for (const [edgeId, weight] of Object.entries(changes.weights ?? {})) {
    const edge = edges.get(edgeId);
    if (!edge) return { problem: `there is no edge '${quoteForMessage(edgeId, 60)}' in the project.` };
    if (shape(edge.weight) !== shape(weight)) return { problem: `the weight of ${edgeId} is ${shape(edge.weight)}, not ${shape(weight)}.` };
  }
  for (const [nodeId, bias] of Object.entries(changes.biases ?? {})) {
    const node = nodes.get(nodeId);
    if (!node || !('bias' in node)) return { problem: `there is no unit '${quoteForMessage(nodeId, 60)}' with a bias in the project.` };
    if (shape(node.bias) !== shape(bias)) return { problem: `the bias of ${nodeId} is ${shape(node.bias)}, not ${shape(bias)}.` };
  }
  let next: Project = {
    ...project,
    graph: {
      nodes: project.graph.nodes.map((n) =>
        changes.biases && n.id in changes.biases ? ({ ...n, bias: changes.biases[n.id] } as typeof n) : n,
      ),
      edges: project.graph.edges.map((e) => (changes.weights && e.id in changes.weights ? { ...e, weight: changes.weights[e.id] } : e)),
    },
    hyperparameters: changes.hyperparameters
      ? {
          ...project.hyperparameters,
          ...changes.hyperparameters,
          init: { ...project.hyperparameters.init, ...changes.hyperparameters.init },
        }
      : project.hyperparameters,
  };
  if (changes.reinitialise) next = initialiseProjectWeights(next);
  return { project: next };
}

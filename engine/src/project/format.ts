/**
 * Loading and saving .nnproj documents.
 *
 * Loading never throws: it returns the project, or one {@link ProjectFormatError} naming the path
 * inside the document that is wrong. Nothing is half-loaded: the whole document is checked before
 * anything is returned. Saving is canonical (keys in schema order, two-space indentation, lists of
 * plain values on one line, the history thinned), so save → load → save gives the same bytes.
 */
import type { Graph } from '../model/graph';
import { isComputing, unitCount } from '../model/graph';
import { historyFromColumns, historyToColumns, orderedHistory } from '../train/history';
import { quoteForMessage } from '../util/quote';
import {
  EpochRecordSchema,
  LIMITS,
  PROJECT_FORMAT,
  PROJECT_VERSION,
  ProjectFileSchema,
  ProjectSchema,
  type Project,
  type ProjectDocument,
} from './schema';
import { precheckProjectText } from './precheck';
import { OPTIMISER_SETTINGS, OPTIMISER_SETTING_NAMES } from '../train/optimisers';

/** Why a document could not be loaded, and where. */
export class ProjectFormatError extends Error {
  /** Path inside the document (e.g. `graph.edges[2].weight`), or '' for the file as a whole. */
  readonly path: string;
  /** What is wrong, without the path. */
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'ProjectFormatError';
    this.path = path;
    this.reason = reason;
  }
}

/** Outcome of loading: a project (and the version it was migrated from, if it was), or the error. */
export type LoadResult = { ok: true; project: Project; migratedFrom: number | null } | { ok: false; error: ProjectFormatError };

/** A step that turns a document of version `n` into one of version `n + 1`. */
export type Migration = (candidate: Record<string, unknown>) => Record<string, unknown>;

/**
 * Migrations by the version they upgrade from. Each takes a document as JSON made it (anything at
 * all may be in it) and never throws but a {@link ProjectFormatError}: what it cannot make sense
 * of it leaves for the schema to name.
 */
export const MIGRATIONS: Readonly<Record<number, Migration>> = Object.freeze({
  /**
   * Version 2 stores the history as columns (and thinned; saving does that) and may hold the
   * training state (momentum's memory, the shuffling position, early stopping's best); a version 1
   * file has none, so its training goes on from its weights with that state fresh. Its records are
   * put in order of epoch, one per epoch, as {@link orderedHistory} says.
   */
  1: (doc) => {
    const training = doc.training as Record<string, unknown> | null | undefined;
    const next = { ...doc, version: 2 };
    if (typeof training !== 'object' || training === null) return next;
    return {
      ...next,
      training: { ...training, history: storedHistory(training.history), optimiser: null, rng: null, position: null, earlyStopping: null },
    };
  },
  /**
   * Version 3 names the optimiser (a version 2 file trains with gradient descent and momentum α)
   * and its settings, and stores the optimiser's memory by its registry's slot keys with its step
   * count: version 2's `{kind: 'momentum', velocity}` becomes `{kind: 'sgd', step: 0, slots:
   * {velocity}}` (gradient descent does not read t, so the uncounted steps change nothing).
   */
  2: (doc) => {
    const next: Record<string, unknown> = { ...doc, version: 3 };
    const hyper = doc.hyperparameters;
    if (typeof hyper === 'object' && hyper !== null && !Array.isArray(hyper)) {
      const defaults = Object.fromEntries(OPTIMISER_SETTING_NAMES.map((name) => [name, OPTIMISER_SETTINGS[name].default]));
      next.hyperparameters = { optimiser: 'sgd', ...defaults, ...hyper };
    }
    const training = doc.training;
    if (typeof training === 'object' && training !== null && !Array.isArray(training)) {
      const optimiser = (training as Record<string, unknown>).optimiser;
      if (typeof optimiser === 'object' && optimiser !== null && (optimiser as Record<string, unknown>).kind === 'momentum') {
        const { velocity } = optimiser as Record<string, unknown>;
        next.training = { ...training, optimiser: { kind: 'sgd', step: 0, slots: { velocity } } };
      }
    }
    return next;
  },
});

/**
 * A document's history as columns: a list of epoch records (a version 1 file's, or a tool's) is
 * checked record by record, each problem named by its path, and put in order of epoch as
 * {@link orderedHistory} says; anything else is left for the schema to judge.
 */
function storedHistory(history: unknown): unknown {
  if (!Array.isArray(history)) return history;
  const records = history.map((record, index) => {
    const parsed = EpochRecordSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ProjectFormatError(formatPath(['training', 'history', index, ...issue.path]), describeIssue(issue));
    }
    return parsed.data;
  });
  return historyToColumns(orderedHistory(records));
}

/**
 * Brings a document up to `targetVersion` through the migration steps.
 * @throws ProjectFormatError when a step is missing or does not produce the next version.
 */
export function migrate(
  candidate: Record<string, unknown>,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  targetVersion: number = PROJECT_VERSION,
): Record<string, unknown> {
  let current = candidate;
  let version = current.version as number;
  while (version < targetVersion) {
    const step = migrations[version];
    if (!step) throw new ProjectFormatError('version', `files of format version ${version} can no longer be read (no migration from it).`);
    current = step(current);
    if (current.version !== version + 1)
      throw new ProjectFormatError('version', `the migration from version ${version} did not produce version ${version + 1}.`);
    version = current.version as number;
  }
  return current;
}

/**
 * Parses project text. Never throws. The size is checked first, then the text is read once
 * against the limits (syntax, nesting, how many numbers each part holds) before `JSON.parse`
 * builds anything, so an oversized file is refused quickly and in little memory. A UTF-8
 * byte-order mark at the start is allowed (editors on Windows write one).
 */
export function parseProject(
  text: string,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  currentVersion = PROJECT_VERSION,
): LoadResult {
  try {
    if (typeof text !== 'string') return fail('', 'the file is not text.');
    if (text.length > LIMITS.fileChars) {
      return fail(
        '',
        `the file is too large (${text.length.toLocaleString('en')} characters; NN Studio opens projects of up to ${LIMITS.fileChars.toLocaleString('en')}).`,
      );
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const problem = precheckProjectText(text);
    if (problem) return fail(problem.path, problem.reason);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // The pre-check has already named any syntax error; this is the fallback should V8 disagree.
      return fail(
        '',
        `the file is not valid JSON (${describeJsonError(text, error)}), so it is not an NN Studio project or it is damaged.`,
      );
    }
    return loadProjectValue(value, migrations, currentVersion);
  } catch (error) {
    // A bug of ours must still reach the user as a message, not as a crash.
    return fail('', `the project could not be read: ${quoteForMessage(error instanceof Error ? error.message : String(error), 300)}`);
  }
}

/**
 * Validates an already-parsed document (a file's JSON, of any version this build reads) and
 * returns the project in memory. Never throws.
 */
export function loadProjectValue(
  value: unknown,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  currentVersion = PROJECT_VERSION,
): LoadResult {
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail('', 'the file is JSON but not an NN Studio project (it is not an object with "format": "nnstudio-project").');
    }
    const candidate = value as Record<string, unknown>;
    if (candidate.format !== PROJECT_FORMAT) {
      return fail(
        'format',
        `this is not an NN Studio project (expected "format": "${PROJECT_FORMAT}", found ${quoteJson(candidate.format)}).`,
      );
    }
    const version = candidate.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
      return fail('version', `expected a whole number, found ${quoteJson(version)}.`);
    }
    if (version > currentVersion) {
      return fail(
        'version',
        `the project was saved by a newer NN Studio (format version ${version}; this version reads up to ${currentVersion}). Update NN Studio to open it.`,
      );
    }
    let migrated = version < currentVersion ? migrate(candidate, migrations, currentVersion) : candidate;
    const training = migrated.training;
    if (typeof training === 'object' && training !== null && Array.isArray((training as Record<string, unknown>).history)) {
      migrated = { ...migrated, training: { ...training, history: storedHistory((training as Record<string, unknown>).history) } };
    }
    const parsed = ProjectFileSchema.safeParse(migrated);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(formatPath(issue.path), describeIssue(issue));
    }
    const project = projectFromDocument(parsed.data);
    const problem = checkProject(project);
    if (problem) return { ok: false, error: problem };
    return { ok: true, project, migratedFrom: version < currentVersion ? version : null };
  } catch (error) {
    if (error instanceof ProjectFormatError) return { ok: false, error };
    return fail('', `the project could not be read: ${quoteForMessage(error instanceof Error ? error.message : String(error), 300)}`);
  }
}

/**
 * Checks a project in memory (one that came over IPC, or that the app built) as a file's would
 * be checked; null when it is valid. Never throws.
 */
export function validateProject(project: unknown): ProjectFormatError | null {
  const checked = checkedProject(project);
  return checked.ok ? null : checked.error;
}

/** The project as the schema reads it (keys in schema order), or why it is not valid. Never throws. */
function checkedProject(project: unknown): { ok: true; project: Project } | { ok: false; error: ProjectFormatError } {
  try {
    const parsed = ProjectSchema.safeParse(project);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, error: new ProjectFormatError(formatPath(issue.path), describeIssue(issue)) };
    }
    const problem = checkProject(parsed.data);
    return problem ? { ok: false, error: problem } : { ok: true, project: parsed.data };
  } catch (error) {
    return {
      ok: false,
      error: new ProjectFormatError(
        '',
        `the project could not be read: ${quoteForMessage(error instanceof Error ? error.message : String(error), 300)}`,
      ),
    };
  }
}

/** The project as a file stores it: the history ordered, thinned and in columns, and every training-state field written. */
export function projectToDocument(project: Project): ProjectDocument {
  const { training } = project;
  return {
    ...project,
    training: {
      epoch: training.epoch,
      history: historyToColumns(training.history),
      optimiser: training.optimiser ?? null,
      rng: training.rng ?? null,
      position: training.position ?? null,
      earlyStopping: training.earlyStopping ?? null,
    },
  };
}

/** The project in memory from a stored document: the history as epoch records. */
export function projectFromDocument(document: ProjectDocument): Project {
  const { training } = document;
  return {
    ...document,
    training: {
      epoch: training.epoch,
      history: historyFromColumns(training.history),
      optimiser: training.optimiser ?? null,
      rng: training.rng ?? null,
      position: training.position ?? null,
      earlyStopping: training.earlyStopping ?? null,
    },
  };
}

/**
 * Serialises a project canonically.
 * @throws ProjectFormatError if the project is not valid (a bug in the caller: nothing invalid is ever written).
 */
export function serialiseProject(project: Project): string {
  const checked = checkedProject(project);
  if (!checked.ok) throw checked.error;
  const document = projectToDocument(checked.project);
  let text: string;
  try {
    text = `${canonicalJson(document)}\n`;
  } catch (error) {
    // Past 2²⁹ − 24 characters V8 cannot make the string at all.
    if (error instanceof RangeError) throw tooLargeToSave(null);
    throw error;
  }
  // Checked here so that nothing is ever written that parseProject would refuse as too large.
  if (text.length > LIMITS.fileChars || (text.length > LIMITS.fileBytes / 3 && utf8Length(text) > LIMITS.fileBytes))
    throw tooLargeToSave(text.length);
  return text;
}

/**
 * JSON with two-space indentation, except that a list of plain values (numbers, strings, booleans,
 * nulls) stays on one line: a weight matrix is a line per row, a dataset a line per row, a history
 * a line per column. Numbers are written as JavaScript prints them, which reads back exactly, and
 * −0 as `-0` (JSON.stringify writes 0), so momentum's memory comes back bit for bit.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  writeJson(value, '', out);
  return out.join('');
}

function isPlain(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function plainJson(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return 'null';
}

function writeJson(value: unknown, indent: string, out: string[]): void {
  if (isPlain(value)) {
    out.push(plainJson(value));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    if (value.every(isPlain)) {
      out.push(`[${value.map(plainJson).join(',')}]`);
      return;
    }
    out.push('[');
    value.forEach((item, i) => {
      out.push(i === 0 ? `\n${inner}` : `,\n${inner}`);
      writeJson(item, inner, out);
    });
    out.push(`\n${indent}]`);
    return;
  }
  const keys = Object.keys(value as object).filter(
    (key) => (value as Record<string, unknown>)[key] !== undefined && typeof (value as Record<string, unknown>)[key] !== 'function',
  );
  if (keys.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{');
  keys.forEach((key, i) => {
    out.push(`${i === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `);
    writeJson((value as Record<string, unknown>)[key], inner, out);
  });
  out.push(`\n${indent}}`);
}

function tooLargeToSave(characters: number | null): ProjectFormatError {
  const size = characters === null ? 'more characters than a string can hold' : `${characters.toLocaleString('en')} characters`;
  return new ProjectFormatError(
    '',
    `the project is too large to save (${size}; a project file holds at most ${LIMITS.fileChars.toLocaleString('en')} characters and ${LIMITS.fileBytes.toLocaleString('en')} bytes): make the network or the data smaller, or let early stopping keep its weights rather than restore the best (the best are saved beside them).`,
  );
}

/** Bytes of `text` in UTF-8. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A JSON value from the file, as a message quotes it: escaped and cut short. */
function quoteJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return quoteForMessage(text);
}

function fail(path: string, reason: string): LoadResult {
  return { ok: false, error: new ProjectFormatError(path, reason) };
}

/** `['graph', 'edges', 2, 'weight']` → `graph.edges[2].weight`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    // Record keys come from the file (view.panels, dataset.classes): escaped, cut short.
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${quoteForMessage(String(part))}` : quoteForMessage(String(part));
  }
  return out;
}

function describeIssue(issue: { code: string; message: string; input?: unknown; path: readonly PropertyKey[] }): string {
  const message = quoteForMessage(issue.message.replace(/^Invalid input: /, ''), 300);
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${message} (the field is missing).`;
  return `${message}.`.replace(/\.\.$/, '.');
}

/** V8's JSON error without the file's own text, which it sometimes quotes, plus where it is. */
function describeJsonError(text: string, error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/, ".*" is not valid JSON$/s, '');
  const at = /position (\d+)/.exec(message);
  if (!at) return quoteForMessage(message, 120);
  const offset = Number(at[1]);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const what = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+.*$/s, '');
  return `${quoteForMessage(what, 120)} at line ${line}, column ${offset - lineStart + 1}`;
}

/** User text (an id, a name) as a message quotes it. */
const q = (text: string) => quoteForMessage(text);

/** Ids unique, edges between existing nodes, weight and bias shapes matching the units, total size capped. */
function checkStructure(graph: Graph): ProjectFormatError | null {
  const units = new Map<string, number>();
  for (const [n, node] of graph.nodes.entries()) {
    if (units.has(node.id)) return new ProjectFormatError(`graph.nodes[${n}].id`, `another node already has the id '${q(node.id)}'.`);
    if (node.kind === 'dense' && node.bias.length !== node.units) {
      return new ProjectFormatError(
        `graph.nodes[${n}].bias`,
        `layer '${q(node.id)}' has ${node.units} units but ${node.bias.length} biases.`,
      );
    }
    units.set(node.id, unitCount(node));
  }
  let parameters = graph.nodes.reduce((sum, node) => sum + (isComputing(node) ? unitCount(node) : 0), 0);
  const edgeIds = new Set<string>();
  for (const [e, edge] of graph.edges.entries()) {
    if (edgeIds.has(edge.id)) return new ProjectFormatError(`graph.edges[${e}].id`, `another edge already has the id '${q(edge.id)}'.`);
    edgeIds.add(edge.id);
    const rows = units.get(edge.target);
    const cols = units.get(edge.source);
    if (cols === undefined) return new ProjectFormatError(`graph.edges[${e}].source`, `there is no node '${q(edge.source)}' in the graph.`);
    if (rows === undefined) return new ProjectFormatError(`graph.edges[${e}].target`, `there is no node '${q(edge.target)}' in the graph.`);
    parameters += rows * cols;
    if (parameters > LIMITS.parameters) {
      return new ProjectFormatError(
        `graph.edges[${e}]`,
        `the network would have more than ${LIMITS.parameters.toLocaleString('en')} parameters, more than NN Studio opens.`,
      );
    }
    if (typeof edge.weight === 'number') {
      if (rows !== 1 || cols !== 1)
        return new ProjectFormatError(
          `graph.edges[${e}].weight`,
          `a single weight, but the edge connects ${cols} unit(s) to ${rows}: it needs a ${rows}×${cols} matrix.`,
        );
    } else {
      const badRow = edge.weight.findIndex((row) => row.length !== cols);
      if (edge.weight.length !== rows || badRow >= 0) {
        const where = edge.weight.length !== rows ? `graph.edges[${e}].weight` : `graph.edges[${e}].weight[${badRow}]`;
        const found = edge.weight.length !== rows ? `${edge.weight.length} rows` : `a row of ${edge.weight[badRow].length}`;
        return new ProjectFormatError(
          where,
          `the weight matrix must be ${rows}×${cols} (one row per unit of '${q(edge.target)}', one column per unit of '${q(edge.source)}'), but it has ${found}.`,
        );
      }
    }
  }
  return null;
}

/** What the schema cannot say: the graph's structure and an inline dataset's rows. */
function checkProject(project: Project): ProjectFormatError | null {
  return checkStructure(project.graph) ?? checkInlineDataset(project);
}

function checkInlineDataset(project: Project): ProjectFormatError | null {
  const dataset = project.dataset;
  if (dataset.kind !== 'inline') return null;
  const width = dataset.features.length + dataset.targets.length;
  const cells = dataset.rows.length * width;
  if (cells > LIMITS.datasetCells) {
    return new ProjectFormatError(
      'dataset.rows',
      `the dataset has ${cells.toLocaleString('en')} cells (rows × columns), more than NN Studio's limit of ${LIMITS.datasetCells.toLocaleString('en')}.`,
    );
  }
  const bad = dataset.rows.findIndex((row) => row.length !== width);
  if (bad >= 0) {
    return new ProjectFormatError(
      `dataset.rows[${bad}]`,
      `the row has ${dataset.rows[bad].length} values but the dataset has ${dataset.features.length} features and ${dataset.targets.length} targets (${width}).`,
    );
  }
  return null;
}

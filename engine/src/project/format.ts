/**
 * Loading and saving .nnproj documents.
 *
 * Loading never throws: it returns the project, or one {@link ProjectFormatError} naming the path
 * inside the document that is wrong. Nothing is half-loaded: the whole document is checked before
 * anything is returned. Saving is canonical (keys in schema order, two-space indentation), so
 * save → load → save gives the same bytes.
 */
import type { Graph } from '../graph';
import { unitCount } from '../graph';
import { LIMITS, PROJECT_FORMAT, PROJECT_VERSION, ProjectSchema, type Project } from './schema';

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
 * Migrations by the version they upgrade from. Version 1 is the first, so there are none yet; a
 * version 2 adds `1: (doc) => ({ ...doc, version: 2, … })` here.
 */
export const MIGRATIONS: Readonly<Record<number, Migration>> = Object.freeze({});

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
    if (current.version !== version + 1) throw new ProjectFormatError('version', `the migration from version ${version} did not produce version ${version + 1}.`);
    version = current.version as number;
  }
  return current;
}

/** Parses project text. Never throws. */
export function parseProject(text: string, migrations: Readonly<Record<number, Migration>> = MIGRATIONS, currentVersion = PROJECT_VERSION): LoadResult {
  try {
    if (typeof text !== 'string') return fail('', 'the file is not text.');
    if (text.length > LIMITS.fileChars) return fail('', `the file is too large (${text.length} characters; the limit is ${LIMITS.fileChars}).`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return fail('', `the file is not valid JSON (${describeJsonError(text, error)}), so it is not an NN Studio project or it is damaged.`);
    }
    return loadProjectValue(value, migrations, currentVersion);
  } catch (error) {
    // A bug of ours must still reach the user as a message, not as a crash.
    return fail('', `the project could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Validates an already-parsed document (e.g. one that came over IPC). Never throws. */
export function loadProjectValue(value: unknown, migrations: Readonly<Record<number, Migration>> = MIGRATIONS, currentVersion = PROJECT_VERSION): LoadResult {
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail('', 'the file is JSON but not an NN Studio project (it is not an object with "format": "nnstudio-project").');
    }
    const candidate = value as Record<string, unknown>;
    if (candidate.format !== PROJECT_FORMAT) {
      return fail('format', `this is not an NN Studio project (expected "format": "${PROJECT_FORMAT}", found ${JSON.stringify(candidate.format) ?? 'nothing'}).`);
    }
    const version = candidate.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
      return fail('version', `expected a whole number, found ${JSON.stringify(version) ?? 'nothing'}.`);
    }
    if (version > currentVersion) {
      return fail('version', `the project was saved by a newer NN Studio (format version ${version}; this version reads up to ${currentVersion}). Update NN Studio to open it.`);
    }
    const migrated = version < currentVersion ? migrate(candidate, migrations, currentVersion) : candidate;
    const parsed = ProjectSchema.safeParse(migrated);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(formatPath(issue.path), describeIssue(issue));
    }
    const structural = checkStructure(parsed.data.graph);
    if (structural) return { ok: false, error: structural };
    const datasetProblem = checkInlineDataset(parsed.data);
    if (datasetProblem) return { ok: false, error: datasetProblem };
    return { ok: true, project: parsed.data, migratedFrom: version < currentVersion ? version : null };
  } catch (error) {
    if (error instanceof ProjectFormatError) return { ok: false, error };
    return fail('', `the project could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Serialises a project canonically.
 * @throws ProjectFormatError if the project is not valid (a bug in the caller: nothing invalid is ever written).
 */
export function serialiseProject(project: Project): string {
  const checked = loadProjectValue(project);
  if (!checked.ok) throw checked.error;
  return `${JSON.stringify(checked.project, null, 2)}\n`;
}

function fail(path: string, reason: string): LoadResult {
  return { ok: false, error: new ProjectFormatError(path, reason) };
}

/** `['graph', 'edges', 2, 'weight']` → `graph.edges[2].weight`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function describeIssue(issue: { code: string; message: string; input?: unknown; path: readonly PropertyKey[] }): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${issue.message.replace(/^Invalid input: /, '')} (the field is missing).`;
  return `${issue.message.replace(/^Invalid input: /, '')}.`.replace(/\.\.$/, '.');
}

function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /position (\d+)/.exec(message);
  if (!at) return message;
  const offset = Number(at[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}

/** Ids unique, edges between existing nodes, weight and bias shapes matching the units, total size capped. */
function checkStructure(graph: Graph): ProjectFormatError | null {
  const units = new Map<string, number>();
  for (const [n, node] of graph.nodes.entries()) {
    if (units.has(node.id)) return new ProjectFormatError(`graph.nodes[${n}].id`, `another node already has the id '${node.id}'.`);
    if (node.kind === 'dense' && node.bias.length !== node.units) {
      return new ProjectFormatError(`graph.nodes[${n}].bias`, `layer '${node.id}' has ${node.units} units but ${node.bias.length} biases.`);
    }
    units.set(node.id, unitCount(node));
  }
  let parameters = graph.nodes.reduce((sum, node) => sum + (node.kind === 'input' || node.kind === 'bias' ? 0 : unitCount(node)), 0);
  const edgeIds = new Set<string>();
  for (const [e, edge] of graph.edges.entries()) {
    if (edgeIds.has(edge.id)) return new ProjectFormatError(`graph.edges[${e}].id`, `another edge already has the id '${edge.id}'.`);
    edgeIds.add(edge.id);
    const rows = units.get(edge.target);
    const cols = units.get(edge.source);
    if (cols === undefined) return new ProjectFormatError(`graph.edges[${e}].source`, `there is no node '${edge.source}' in the graph.`);
    if (rows === undefined) return new ProjectFormatError(`graph.edges[${e}].target`, `there is no node '${edge.target}' in the graph.`);
    parameters += rows * cols;
    if (parameters > LIMITS.parameters) {
      return new ProjectFormatError(`graph.edges[${e}]`, `the network would have more than ${LIMITS.parameters.toLocaleString('en')} parameters, more than NN Studio opens.`);
    }
    if (typeof edge.weight === 'number') {
      if (rows !== 1 || cols !== 1) return new ProjectFormatError(`graph.edges[${e}].weight`, `a single weight, but the edge connects ${cols} unit(s) to ${rows}: it needs a ${rows}×${cols} matrix.`);
    } else {
      const badRow = edge.weight.findIndex((row) => row.length !== cols);
      if (edge.weight.length !== rows || badRow >= 0) {
        const where = edge.weight.length !== rows ? `graph.edges[${e}].weight` : `graph.edges[${e}].weight[${badRow}]`;
        const found = edge.weight.length !== rows ? `${edge.weight.length} rows` : `a row of ${edge.weight[badRow].length}`;
        return new ProjectFormatError(where, `the weight matrix must be ${rows}×${cols} (one row per unit of '${edge.target}', one column per unit of '${edge.source}'), but it has ${found}.`);
      }
    }
  }
  return null;
}

function checkInlineDataset(project: Project): ProjectFormatError | null {
  const dataset = project.dataset;
  if (dataset.kind !== 'inline') return null;
  const width = dataset.features.length + dataset.targets.length;
  const cells = dataset.rows.length * width;
  if (cells > LIMITS.datasetRows * 100) return new ProjectFormatError('dataset.rows', `the dataset has ${cells} cells, more than NN Studio opens (${LIMITS.datasetRows * 100}).`);
  const bad = dataset.rows.findIndex((row) => row.length !== width);
  if (bad >= 0) {
    return new ProjectFormatError(`dataset.rows[${bad}]`, `the row has ${dataset.rows[bad].length} values but the dataset has ${dataset.features.length} features and ${dataset.targets.length} targets (${width}).`);
  }
  return null;
}

/**
 * What the PyTorch and Keras exports share: Python literals written from engine values, the
 * project's data split as the app splits it, and a few sentences about the project.
 */
import { bindData, subset } from '../datasets/data';
import { splitIndices } from '../datasets/prepare';
import { resolveDataset } from '../project/session';
import type { ExportModel } from './model';

/**
 * A JSON-like value as a Python literal. Numbers are written as JavaScript prints them — the
 * shortest text that reads back to the same float64, which is also valid Python — so the weights
 * survive the trip exactly.
 */
export function py(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot write ${value} as a Python number.`);
    return Object.is(value, -0) ? '-0.0' : String(value);
  }
  // JSON's string escapes (\", \\, \n, \uXXXX) are all valid in a Python string literal.
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return `[${Array.from(value as ArrayLike<unknown>, py).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}: ${py(v)}`)
      .join(', ')}}`;
  throw new TypeError(`Cannot write a ${typeof value} as a Python literal.`);
}

/** A matrix as a Python list of lists, one row per line, indented. */
export function pyMatrix(rows: readonly (readonly number[])[], indent: string): string {
  if (rows.length === 0) return '[]';
  return `[\n${rows.map((row) => `${indent}    ${py(row)},`).join('\n')}\n${indent}]`;
}

/** Past this many numbers the data is not written into the script (it would be larger than useful). */
export const MAX_EMBEDDED_NUMBERS = 2_000_000;

/** Raw rows (features then targets, in the model's order) of each split, as the app splits the data. */
export interface EmbeddedData {
  train: number[][];
  validation: number[][];
  test: number[][];
}

/**
 * The project's data for the script, raw (the script's model normalises, as the export does), or
 * null when it is too large to write into a source file or does not have the network's columns
 * (the script then reads a CSV).
 */
export function embeddedData(prepared: ExportModel): EmbeddedData | null {
  const { project, model } = prepared;
  const full = resolveDataset(project.dataset);
  const width = model.features.length + model.targets.length;
  if (full.size * width > MAX_EMBEDDED_NUMBERS) return null;
  // A network whose inputs or outputs the data lacks still exports; its script then reads a CSV.
  if (!model.features.every((f) => full.features.includes(f)) || !model.targets.every((t) => full.targets.includes(t))) return null;
  const indices = splitIndices(full.size, project.split);
  const rows = (which: number[]): number[][] => {
    const bound = bindData(model, subset(full, which));
    const nf = model.features.length;
    const nt = model.targets.length;
    return Array.from({ length: bound.size }, (_, n) => [
      ...bound.x.subarray(n * nf, n * nf + nf),
      ...bound.t.subarray(n * nt, n * nt + nt),
    ]);
  };
  return { train: rows(indices.train), validation: rows(indices.validation), test: rows(indices.test) };
}

/** A docstring-safe line (no closing triple quotes, no backslash escapes). */
export function docText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
}

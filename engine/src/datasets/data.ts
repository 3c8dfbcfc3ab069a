/**
 * Data as the trainer consumes it: row-major Float64Arrays of features and targets.
 * Generators, CSV import and normalisation build these; the model binds columns by name.
 */
import type { CompiledModel } from '../compile/compile';
import { quoteForMessage } from '../util/quote';

/** User text (an id, a name) as a message quotes it: control characters escaped, cut short. */
const q = (text: string) => quoteForMessage(String(text));

/** A table of samples with named feature and target columns. */
export interface Dataset {
  features: string[];
  targets: string[];
  /** Number of samples (rows). */
  size: number;
  /** Row-major features: sample n's feature f is `x[n * features.length + f]`. */
  x: Float64Array;
  /** Row-major targets: sample n's target c is `y[n * targets.length + c]`. */
  y: Float64Array;
  /**
   * The row of the original dataset each sample came from (a split is a shuffled subset);
   * absent where sample n is row n.
   */
  rowIds?: Int32Array;
}

/**
 * How bound samples are stored: float64, the data as given (the default, and all exact training
 * and the inspector read), or float32, half the memory, for training in fast precision, whose
 * kernel rounds every sample to float32 anyway (so its steps are the same bit for bit).
 */
export type SampleFormat = 'float64' | 'float32';

/** Bound samples in either {@link SampleFormat}; every reader indexes them alike. */
export type SampleValues = Float64Array | Float32Array;

/** A dataset's columns reordered to a model's inputs and outputs, ready for the kernels. */
export interface BoundData {
  size: number;
  /** Row-major, one column per `model.features`. */
  x: SampleValues;
  /** Row-major, one column per `model.targets`. */
  t: SampleValues;
  /** The dataset row each sample came from, as {@link Dataset.rowIds}; absent where sample n is row n. */
  rowIds?: Int32Array;
}

/** The dataset row sample `n` of `data` came from (its row number in the file or the generated set). */
export function datasetRow(data: Pick<BoundData, 'rowIds'>, n: number): number {
  return data.rowIds ? data.rowIds[n] : n;
}

/** Thrown when data does not fit a model or is malformed. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/**
 * Builds a dataset from rows of numbers.
 * @param features Feature column names.
 * @param targets Target column names.
 * @param rows Each row lists the features, then the targets.
 */
export function datasetFromRows(features: string[], targets: string[], rows: readonly (readonly number[])[]): Dataset {
  const width = features.length + targets.length;
  const x = new Float64Array(rows.length * features.length);
  const y = new Float64Array(rows.length * targets.length);
  rows.forEach((row, n) => {
    if (row.length !== width) {
      throw new DataError(
        `Row ${n + 1} has ${row.length} values; expected ${width} (${features.length} features and ${targets.length} targets).`,
      );
    }
    row.forEach((value, c) => {
      if (!Number.isFinite(value)) throw new DataError(`Row ${n + 1}, column ${c + 1} is not a finite number.`);
      if (c < features.length) x[n * features.length + c] = value;
      else y[n * targets.length + c - features.length] = value;
    });
  });
  return { features: [...features], targets: [...targets], size: rows.length, x, y };
}

/**
 * The samples of `data` at `indices`, as a new dataset (for splits). Each keeps the dataset row
 * it came from in `rowIds`, so that a split's sample can still be named by its row in the file.
 */
export function subset(data: Dataset, indices: ArrayLike<number>): Dataset {
  const nf = data.features.length;
  const nt = data.targets.length;
  const x = new Float64Array(indices.length * nf);
  const y = new Float64Array(indices.length * nt);
  const rowIds = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const n = indices[k];
    x.set(data.x.subarray(n * nf, n * nf + nf), k * nf);
    y.set(data.y.subarray(n * nt, n * nt + nt), k * nt);
    rowIds[k] = datasetRow(data, n);
  }
  return { features: [...data.features], targets: [...data.targets], size: indices.length, x, y, rowIds };
}

/**
 * Reorders a dataset's columns to the model's inputs and outputs.
 * @throws DataError naming the first feature or target the dataset lacks.
 */
export function bindData(model: CompiledModel, data: Dataset, format: SampleFormat = 'float64'): BoundData {
  const featureColumns = model.features.map((name) => {
    const c = data.features.indexOf(name);
    if (c < 0) throw new DataError(`The network reads feature '${q(name)}', which the data does not have.`);
    return c;
  });
  const targetColumns = model.targets.map((name) => {
    const c = data.targets.indexOf(name);
    if (c < 0) throw new DataError(`The network predicts target '${q(name)}', which the data does not have.`);
    return c;
  });
  const nf = data.features.length;
  const nt = data.targets.length;
  const Values = format === 'float32' ? Float32Array : Float64Array;
  const x = new Values(data.size * featureColumns.length);
  const t = new Values(data.size * targetColumns.length);
  for (let n = 0; n < data.size; n++) {
    featureColumns.forEach((c, f) => (x[n * featureColumns.length + f] = data.x[n * nf + c]));
    targetColumns.forEach((c, k) => (t[n * targetColumns.length + k] = data.y[n * nt + c]));
  }
  return data.rowIds ? { size: data.size, x, t, rowIds: data.rowIds } : { size: data.size, x, t };
}

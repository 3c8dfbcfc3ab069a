/**
 * Splitting and normalisation. Normalisation is fitted on the training split only and stored
 * with the project, so that validation, test and later inference see the same transformation.
 */
import { DataError, subset, type Dataset } from '../data';
import { createRng } from '../random';

/** Fractions of the data for each split (they must add up to 1) and the shuffle's seed. */
export interface SplitSpec {
  train: number;
  validation: number;
  test: number;
  seed: number;
}

/** Sample indices of each split. */
export interface SplitIndices {
  train: number[];
  validation: number[];
  test: number[];
}

/**
 * Shuffles `size` indices with the seed and cuts them into train, validation and test.
 * Validation and test sizes are rounded; the training split takes the rest.
 */
export function splitIndices(size: number, spec: SplitSpec): SplitIndices {
  const fractions = [spec.train, spec.validation, spec.test];
  if (!fractions.every((f) => Number.isFinite(f) && f >= 0 && f <= 1) || Math.abs(spec.train + spec.validation + spec.test - 1) > 1e-9) {
    throw new DataError(`The split fractions must each be between 0 and 1 and add up to 1; got train ${spec.train}, validation ${spec.validation}, test ${spec.test}.`);
  }
  const order = createRng(spec.seed).shuffle(Array.from({ length: size }, (_, i) => i));
  const validation = Math.round(size * spec.validation);
  const test = Math.round(size * spec.test);
  const train = size - validation - test;
  if (spec.train > 0 && train < 1) throw new DataError(`With ${size} samples the training split would be empty; give it a larger share.`);
  return {
    train: order.slice(0, train),
    validation: order.slice(train, train + validation),
    test: order.slice(train + validation),
  };
}

/** The three splits as datasets. */
export function splitDataset(data: Dataset, spec: SplitSpec): { train: Dataset; validation: Dataset; test: Dataset } {
  const indices = splitIndices(data.size, spec);
  return { train: subset(data, indices.train), validation: subset(data, indices.validation), test: subset(data, indices.test) };
}

/** How inputs are rescaled. */
export type NormalisationMethod = 'none' | 'standardise' | 'minmax';

/** A fitted normalisation: x' = (x − shift) / scale per feature. */
export interface Normalisation {
  method: NormalisationMethod;
  features: { name: string; shift: number; scale: number }[];
}

/**
 * Fits a normalisation on `data` (the training split).
 * standardise: shift = mean, scale = standard deviation; minmax: shift = min, scale = max − min.
 * A constant feature gets scale 1, so it is shifted but never divided by zero.
 */
export function fitNormalisation(data: Dataset, method: NormalisationMethod): Normalisation {
  const nf = data.features.length;
  const features = data.features.map((name, f) => {
    if (method === 'none' || data.size === 0) return { name, shift: 0, scale: 1 };
    const column = Array.from({ length: data.size }, (_, n) => data.x[n * nf + f]);
    if (method === 'minmax') {
      const min = Math.min(...column);
      const range = Math.max(...column) - min;
      return { name, shift: min, scale: range > 0 ? range : 1 };
    }
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    const std = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
    return { name, shift: mean, scale: std > 0 ? std : 1 };
  });
  return { method, features };
}

/**
 * Applies a fitted normalisation to a dataset's features (targets are left as they are).
 * @throws DataError if the normalisation was fitted on other features.
 */
export function applyNormalisation(data: Dataset, normalisation: Normalisation): Dataset {
  const nf = data.features.length;
  const columns = data.features.map((name) => {
    const entry = normalisation.features.find((f) => f.name === name);
    if (!entry) throw new DataError(`The stored normalisation has no statistics for feature '${name}'.`);
    return entry;
  });
  const x = new Float64Array(data.x.length);
  for (let n = 0; n < data.size; n++) {
    for (let f = 0; f < nf; f++) x[n * nf + f] = (data.x[n * nf + f] - columns[f].shift) / columns[f].scale;
  }
  return { ...data, features: [...data.features], targets: [...data.targets], x, y: Float64Array.from(data.y) };
}

/**
 * Splitting and normalisation. Normalisation is fitted on the training split only and stored
 * with the project, so that validation, test and later inference see the same transformation.
 */
import { DataError, subset, type Dataset } from './data';
import { createRng } from '../util/random';
import { quoteForMessage } from '../util/quote';

/** User text (an id, a name) as a message quotes it: control characters escaped, cut short. */
const q = (text: string) => quoteForMessage(String(text));

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
    throw new DataError(
      `The split fractions must each be between 0 and 1 and add up to 1; got train ${spec.train}, validation ${spec.validation}, test ${spec.test}.`,
    );
  }
  const order = createRng(spec.seed).shuffle(Array.from({ length: size }, (_, i) => i));
  // toPrecision first: 150 × 0.41 is 61.49999999999999 in floating point, and means 61.5.
  const share = (fraction: number) => Math.round(Number((size * fraction).toPrecision(12)));
  const validation = share(spec.validation);
  const test = share(spec.test);
  const train = size - validation - test;
  if (train < 0 || (spec.train > 0 && train < 1)) {
    throw new DataError(`With ${size} samples the training split would be empty; give it a larger share.`);
  }
  return {
    train: order.slice(0, train),
    validation: order.slice(train, train + validation),
    test: order.slice(train + validation),
  };
}

/** A split's name, as {@link SplitIndices} keys it. */
export type SplitName = keyof SplitIndices;

/** The splits in the order their codes in {@link RowPlaces.split} number them. */
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

/** How a sentence names each split: "the training split". */
export const SPLIT_WORDS: Record<SplitName, string> = { train: 'training', validation: 'validation', test: 'test' };

/** Where every dataset row went: typed arrays, as a million-row import would make a million objects. */
export interface RowPlaces {
  /** Per dataset row, its split as an index into {@link SPLIT_NAMES} (0 training, 1 validation, 2 test). */
  split: Uint8Array;
  /** Per dataset row, its position within its split (the sample number the trainer uses). */
  position: Int32Array;
}

/** Inverts a split (its rows, or each split's `rowIds`): for each dataset row, which split holds it and where. */
export function rowPlaces(indices: Record<SplitName, ArrayLike<number>>): RowPlaces {
  const size = indices.train.length + indices.validation.length + indices.test.length;
  const split = new Uint8Array(size);
  const position = new Int32Array(size);
  SPLIT_NAMES.forEach((name, code) => {
    const rows = indices[name];
    for (let k = 0; k < rows.length; k++) {
      split[rows[k]] = code;
      position[rows[k]] = k;
    }
  });
  return { split, position };
}

/** How many training rows a refusal lists before it stops with "…". */
const LISTED_TRAINING_ROWS = 10;

/**
 * Why dataset row `row` cannot be the sample of a training step, in one sentence (lower case, for
 * the CLI's "nnstudio: …"), or null when it is a training row. It names the split the row is in
 * and the first training rows in dataset order.
 */
export function trainingRowRefusal(row: number, places: RowPlaces): string | null {
  const size = places.split.length;
  if (!Number.isInteger(row) || row < 0 || row >= size) {
    return `there is no row ${row}; the data has ${size} row${size === 1 ? '' : 's'}${size > 0 ? ` (0 to ${size - 1})` : ''}.`;
  }
  const split = SPLIT_NAMES[places.split[row]];
  if (split === 'train') return null;
  const listed: number[] = [];
  let more = false;
  for (let n = 0; n < size; n++) {
    if (places.split[n] !== 0) continue;
    if (listed.length === LISTED_TRAINING_ROWS) {
      more = true;
      break;
    }
    listed.push(n);
  }
  const choice =
    listed.length > 0
      ? `, so choose a row of the training split: ${listed.join(', ')}${more ? ', …' : ''}`
      : ', and the training split has no rows';
  return `row ${row} is in the ${SPLIT_WORDS[split]} split; the trace is of a training step${choice}.`;
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
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let n = 0; n < data.size; n++) {
      const v = data.x[n * nf + f];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    if (method === 'minmax') return { name, shift: min, scale: max > min ? max - min : 1 };
    const mean = sum / data.size;
    let squares = 0;
    for (let n = 0; n < data.size; n++) squares += (data.x[n * nf + f] - mean) ** 2;
    const std = Math.sqrt(squares / data.size);
    // A constant column's computed spread is rounding noise, not a scale: keep it at 1.
    return { name, shift: mean, scale: max > min && std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1 };
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
    if (!entry) throw new DataError(`The stored normalisation has no statistics for feature '${q(name)}'.`);
    return entry;
  });
  const x = new Float64Array(data.x.length);
  for (let n = 0; n < data.size; n++) {
    for (let f = 0; f < nf; f++) x[n * nf + f] = (data.x[n * nf + f] - columns[f].shift) / columns[f].scale;
  }
  return { ...data, features: [...data.features], targets: [...data.targets], x, y: Float64Array.from(data.y) };
}

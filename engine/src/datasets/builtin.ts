/**
 * Built-in datasets, generated from a name, a size, a noise level and a seed, so that a project
 * can name its data instead of storing rows (the same spec always gives the same rows).
 */
import { datasetFromRows, DataError, type Dataset } from './data';
import { quoteForMessage } from '../util/quote';
import { createRng, type Rng } from '../util/random';
import { IRIS_FEATURES, IRIS_ROWS, IRIS_SPECIES } from './iris';
import { DIGITS_COUNT, DIGITS_FEATURES, DIGITS_TARGETS, digitsRows } from './digits';

/** The names of the built-in datasets. */
export const BUILTIN_DATASETS = ['and', 'or', 'xor', 'circle', 'gaussians', 'spiral', 'moons', 'xor4', 'curve', 'iris', 'digits'] as const;
export type BuiltinName = (typeof BUILTIN_DATASETS)[number];

/** How a binary label is written: 0/1, or −1/+1 (TRUE = +1) for sign units and tanh. */
export type LabelEncoding = '01' | 'pm1';

/** A built-in dataset and its parameters. */
export interface BuiltinSpec {
  name: BuiltinName;
  /** Number of samples (ignored by the truth tables, which have 4, Iris, which has 150, and the digits, 1,797). */
  size: number;
  /** Standard deviation of the Gaussian noise added to the inputs (0 for none). */
  noise: number;
  seed: number;
  /** For the binary datasets: the label encoding. */
  encoding: LabelEncoding;
}

/** One line about each built-in dataset, for menus and `--help`. */
export const BUILTIN_DESCRIPTIONS: Readonly<Record<BuiltinName, string>> = {
  and: 'AND truth table (4 rows)',
  or: 'OR truth table (4 rows)',
  xor: 'XOR truth table (4 rows)',
  circle: 'a disc of one class inside a ring of the other',
  gaussians: 'two Gaussian blobs, one per class (linearly separable)',
  spiral: 'two interleaved spirals',
  moons: 'two interleaving half-moons',
  xor4: 'four-quadrant XOR: the class is the sign of x1·x2',
  curve: '1-D regression: y = sin(x) + x/3',
  iris: "Fisher's Iris flowers: 4 measurements, 3 species (150 rows)",
  digits: 'handwritten digits, 8×8 pixels of 0–16, 10 classes (1,797 rows; UCI optdigits, Alpaydin & Kaynak, CC BY 4.0)',
};

/** Largest generated dataset: beyond this a project should import its data. */
export const MAX_GENERATED_SIZE = 100_000;

/**
 * Largest noise (a standard deviation) a generated dataset takes. The points lie within ±5, so
 * noise of 1,000 already buries them; far larger noise overflows to infinite coordinates
 * (1e308 does), which no network can train on.
 */
export const MAX_NOISE = 1_000;

/** Defaults a new project starts from. */
export function defaultSpec(name: BuiltinName): BuiltinSpec {
  const truthTable = name === 'and' || name === 'or' || name === 'xor';
  return {
    name,
    size: truthTable ? 4 : name === 'iris' ? 150 : name === 'digits' ? DIGITS_COUNT : 400,
    noise: truthTable || name === 'iris' || name === 'digits' ? 0 : 0.1,
    seed: 1,
    encoding: '01',
  };
}

/** A built-in dataset's feature and target columns, without generating it. */
export function builtinColumns(name: BuiltinName): { features: string[]; targets: string[] } {
  if (name === 'iris') return { features: [...IRIS_FEATURES], targets: IRIS_SPECIES.map((s) => `species=${s}`) };
  if (name === 'digits') return { features: [...DIGITS_FEATURES], targets: [...DIGITS_TARGETS] };
  if (name === 'curve') return { features: ['x'], targets: ['y'] };
  return { features: ['x1', 'x2'], targets: ['y'] };
}

/** Whether the dataset's target is a binary class label (so `encoding` applies). */
export function isBinary(name: BuiltinName): boolean {
  return name !== 'curve' && name !== 'iris' && name !== 'digits';
}

/**
 * Generates a built-in dataset.
 * @throws DataError when the size or noise is out of range.
 */
export function generateDataset(spec: BuiltinSpec): Dataset {
  if (!(BUILTIN_DATASETS as readonly string[]).includes(spec.name)) {
    throw new DataError(
      `Unknown built-in dataset '${quoteForMessage(String(spec.name))}'; the built-in datasets are ${BUILTIN_DATASETS.join(', ')}.`,
    );
  }
  const fixedSize = spec.name === 'and' || spec.name === 'or' || spec.name === 'xor' || spec.name === 'iris' || spec.name === 'digits';
  if (!fixedSize && (!Number.isInteger(spec.size) || spec.size < 1 || spec.size > MAX_GENERATED_SIZE)) {
    throw new DataError(`A generated dataset has from 1 to ${MAX_GENERATED_SIZE} samples; got ${spec.size}.`);
  }
  if (!Number.isFinite(spec.noise) || spec.noise < 0 || spec.noise > MAX_NOISE)
    throw new DataError(`Noise must be from 0 to ${MAX_NOISE.toLocaleString('en')}; got ${spec.noise}.`);
  if (!Number.isFinite(spec.seed)) throw new DataError(`The seed must be a number; got ${spec.seed}.`);
  const rng = createRng(spec.seed);
  const label = (positive: boolean) => (positive ? 1 : spec.encoding === 'pm1' ? -1 : 0);
  const jitter = () => (spec.noise > 0 ? rng.normal() * spec.noise : 0);
  const columns = builtinColumns(spec.name);
  const planar = (points: [number, number, boolean][]) =>
    datasetFromRows(
      columns.features,
      columns.targets,
      points.map(([a, b, positive]) => [a + jitter(), b + jitter(), label(positive)]),
    );

  switch (spec.name) {
    case 'and':
    case 'or':
    case 'xor': {
      const truth = {
        and: (a: boolean, b: boolean) => a && b,
        or: (a: boolean, b: boolean) => a || b,
        xor: (a: boolean, b: boolean) => a !== b,
      }[spec.name];
      const encode = (v: boolean) => (v ? 1 : spec.encoding === 'pm1' ? -1 : 0);
      const points: [number, number, boolean][] = [];
      for (const a of [false, true]) for (const b of [false, true]) points.push([encode(a), encode(b), truth(a, b)]);
      return planar(points);
    }
    case 'circle':
      return planar(
        repeat(spec.size, (n) => {
          // Inner disc r ∈ [0, 2] is one class, outer ring r ∈ [3, 5] the other, as TensorFlow Playground draws it.
          const inner = n % 2 === 0;
          const r = inner ? rng.uniform(0, 2) : rng.uniform(3, 5);
          const angle = rng.uniform(0, 2 * Math.PI);
          return [r * Math.cos(angle), r * Math.sin(angle), inner];
        }),
      );
    case 'gaussians':
      return planar(
        repeat(spec.size, (n) => {
          const positive = n % 2 === 0;
          const centre = positive ? 2 : -2;
          return [centre + rng.normal(), centre + rng.normal(), positive];
        }),
      );
    case 'spiral':
      return planar(
        repeat(spec.size, (n) => {
          const positive = n % 2 === 0;
          const k = Math.floor(n / 2);
          const perArm = Math.ceil(spec.size / 2);
          const r = (5 * k) / perArm;
          const t = (1.75 * k * 2 * Math.PI) / perArm + (positive ? 0 : Math.PI);
          return [r * Math.sin(t), r * Math.cos(t), positive];
        }),
      );
    case 'moons':
      return planar(
        repeat(spec.size, (n) => {
          const positive = n % 2 === 1;
          const t = rng.uniform(0, Math.PI);
          return positive ? [1 - Math.cos(t), 0.5 - Math.sin(t), true] : [Math.cos(t), Math.sin(t), false];
        }),
      );
    case 'xor4':
      return planar(
        repeat(spec.size, () => {
          // Keep points a little away from the axes so the quadrants are clean before noise.
          const pad = (v: number) => (v > 0 ? v + 0.3 : v - 0.3);
          const a = pad(rng.uniform(-5, 5));
          const b = pad(rng.uniform(-5, 5));
          return [a, b, a * b > 0];
        }),
      );
    case 'curve':
      return datasetFromRows(
        columns.features,
        columns.targets,
        repeat(spec.size, () => {
          const x = rng.uniform(-3, 3);
          return [x, Math.sin(x) + x / 3 + jitter()];
        }),
      );
    case 'iris':
      return iris(rng, spec.noise);
    case 'digits':
      return digits(rng, spec.noise);
  }
}

function repeat<T>(count: number, make: (n: number) => T): T[] {
  return Array.from({ length: count }, (_, n) => make(n));
}

function iris(rng: Rng, noise: number): Dataset {
  const { features, targets } = builtinColumns('iris');
  return datasetFromRows(
    features,
    targets,
    IRIS_ROWS.map((row) => [
      ...row.slice(0, 4).map((v) => (noise > 0 ? v + rng.normal() * noise : v)),
      ...IRIS_SPECIES.map((_, k) => (row[4] === k ? 1 : 0)),
    ]),
  );
}

function digits(rng: Rng, noise: number): Dataset {
  const { features, targets } = builtinColumns('digits');
  const width = features.length;
  return datasetFromRows(
    features,
    targets,
    digitsRows().map((row) => {
      const out: number[] = [];
      for (let i = 0; i < width; i++) out.push(noise > 0 ? row[i] + rng.normal() * noise : row[i]);
      for (let k = 0; k < targets.length; k++) out.push(row[width] === k ? 1 : 0);
      return out;
    }),
  );
}

/**
 * Built-in datasets: each spec reproduces the same rows, seeds and noise change them where they
 * should, sizes and label encodings are honoured, the generators draw the shapes their
 * descriptions promise, Iris is Fisher's data, the digits are UCI's, and bad specs are refused with a DataError.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_DATASETS,
  builtinColumns,
  BUILTIN_DESCRIPTIONS,
  DataError,
  defaultSpec,
  generateDataset,
  DIGITS_FEATURES,
  DIGITS_TARGETS,
  IRIS_FEATURES,
  IRIS_SPECIES,
  isBinary,
  MAX_GENERATED_SIZE,
  MAX_NOISE,
  type BuiltinName,
  type BuiltinSpec,
  type Dataset,
} from '../index';

// --- Helpers --------------------------------------------------------------------------------

const TRUTH_TABLES = ['and', 'or', 'xor'] as const;
/** The datasets whose rows are drawn at random (size applies). */
const GENERATED = ['circle', 'gaussians', 'spiral', 'moons', 'xor4', 'curve'] as const;
/** Binary 2-D datasets that alternate classes, so their classes are balanced to within one. */
const BALANCED_2D = ['circle', 'gaussians', 'spiral', 'moons'] as const;
const BINARY_GENERATED = ['circle', 'gaussians', 'spiral', 'moons', 'xor4'] as const;

function spec(name: BuiltinName, extra: Partial<BuiltinSpec> = {}): BuiltinSpec {
  return { ...defaultSpec(name), ...extra };
}

/** Row n of a dataset as [features..., targets...]. */
function row(data: Dataset, n: number): number[] {
  const nf = data.features.length;
  const nt = data.targets.length;
  return [...data.x.subarray(n * nf, n * nf + nf), ...data.y.subarray(n * nt, n * nt + nt)];
}

/** The 2-D points of a binary dataset, with their labels. */
function points(data: Dataset): { x1: number; x2: number; label: number }[] {
  expect(data.features).toEqual(['x1', 'x2']);
  expect(data.targets).toEqual(['y']);
  return Array.from({ length: data.size }, (_, n) => ({ x1: data.x[2 * n], x2: data.x[2 * n + 1], label: data.y[n] }));
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function std(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length);
}

function countOf(values: ArrayLike<number>, v: number): number {
  let k = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === v) k++;
  return k;
}

const sameArray = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

// --- Catalogue ------------------------------------------------------------------------------

describe('catalogue', () => {
  it('lists the eleven datasets, each with a description and a default spec that generates', () => {
    expect([...BUILTIN_DATASETS].sort()).toEqual([
      'and',
      'circle',
      'curve',
      'digits',
      'gaussians',
      'iris',
      'moons',
      'or',
      'spiral',
      'xor',
      'xor4',
    ]);
    for (const name of BUILTIN_DATASETS) {
      expect(BUILTIN_DESCRIPTIONS[name].length).toBeGreaterThan(0);
      const s = defaultSpec(name);
      expect(s.name).toBe(name);
      expect(generateDataset(s).size).toBe(s.size);
    }
  });

  it('marks only curve, iris and digits as non-binary', () => {
    for (const name of BUILTIN_DATASETS) expect(isBinary(name)).toBe(name !== 'curve' && name !== 'iris' && name !== 'digits');
  });
});

// --- Determinism and seeds ------------------------------------------------------------------

describe('seeds', () => {
  it.each(BUILTIN_DATASETS)('%s: the same spec gives identical rows', (name) => {
    const s = spec(name, { size: 300, noise: 0.1, seed: 42 });
    const a = generateDataset(s);
    const b = generateDataset({ ...s });
    expect(a.size).toBe(b.size);
    expect(a.features).toEqual(b.features);
    expect(a.targets).toEqual(b.targets);
    expect(sameArray(a.x, b.x)).toBe(true);
    expect(sameArray(a.y, b.y)).toBe(true);
  });

  it.each(GENERATED)('%s: another seed gives other rows', (name) => {
    const a = generateDataset(spec(name, { size: 200, seed: 1 }));
    const b = generateDataset(spec(name, { size: 200, seed: 2 }));
    expect(sameArray(a.x, b.x) && sameArray(a.y, b.y)).toBe(false);
    // Not just a reordering of one value: most coordinates change.
    let changed = 0;
    for (let i = 0; i < a.x.length; i++) if (a.x[i] !== b.x[i]) changed++;
    expect(changed).toBeGreaterThan(a.x.length / 2);
  });

  it.each(['circle', 'gaussians', 'moons', 'xor4', 'curve'] as const)('%s: the seed places the points even without noise', (name) => {
    const a = generateDataset(spec(name, { size: 100, noise: 0, seed: 1 }));
    const b = generateDataset(spec(name, { size: 100, noise: 0, seed: 2 }));
    expect(sameArray(a.x, b.x)).toBe(false);
  });

  it.each([...TRUTH_TABLES, 'iris', 'digits'] as const)('%s without noise is the same for every seed', (name) => {
    const a = generateDataset(spec(name, { noise: 0, seed: 1 }));
    for (const seed of [2, 12345, -7]) {
      const b = generateDataset(spec(name, { noise: 0, seed }));
      expect(sameArray(a.x, b.x)).toBe(true);
      expect(sameArray(a.y, b.y)).toBe(true);
    }
  });

  it.each(BUILTIN_DATASETS)('%s: noise changes the rows for the same seed', (name) => {
    const clean = generateDataset(spec(name, { size: 200, noise: 0, seed: 5 }));
    const noisy = generateDataset(spec(name, { size: 200, noise: 0.1, seed: 5 }));
    expect(noisy.size).toBe(clean.size);
    expect(sameArray(clean.x, noisy.x) && sameArray(clean.y, noisy.y)).toBe(false);
  });
});

// --- Sizes, balance and labels --------------------------------------------------------------

describe('sizes', () => {
  it.each(GENERATED)('%s has exactly the requested number of rows', (name) => {
    for (const size of [1, 2, 7, 300]) {
      const data = generateDataset(spec(name, { size }));
      const nf = name === 'curve' ? 1 : 2;
      expect(data.size).toBe(size);
      expect(data.x.length).toBe(size * nf);
      expect(data.y.length).toBe(size);
    }
  });

  it.each(TRUTH_TABLES)('%s always has 4 rows', (name) => {
    for (const size of [1, 4, 100]) {
      const data = generateDataset(spec(name, { size }));
      expect(data.size).toBe(4);
      expect(data.x.length).toBe(8);
      expect(data.y.length).toBe(4);
    }
  });

  it('iris always has 150 rows', () => {
    for (const size of [1, 150, 1000]) {
      const data = generateDataset(spec('iris', { size }));
      expect(data.size).toBe(150);
      expect(data.x.length).toBe(600);
      expect(data.y.length).toBe(450);
    }
  });

  it('accepts exactly MAX_GENERATED_SIZE rows', () => {
    expect(generateDataset(spec('curve', { size: MAX_GENERATED_SIZE })).size).toBe(MAX_GENERATED_SIZE);
  });
});

describe('class balance', () => {
  it.each(BALANCED_2D)('%s has classes balanced to within one sample', (name) => {
    for (const size of [2, 3, 101, 400, 999]) {
      const data = generateDataset(spec(name, { size, seed: size }));
      const positives = countOf(data.y, 1);
      const negatives = countOf(data.y, 0);
      expect(positives + negatives).toBe(size);
      expect(Math.abs(positives - negatives)).toBeLessThanOrEqual(1);
    }
  });

  it('xor4 has roughly balanced classes', () => {
    const data = generateDataset(spec('xor4', { size: 2000, seed: 3 }));
    const share = countOf(data.y, 1) / data.size;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
  });
});

describe('label encodings', () => {
  it.each([...TRUTH_TABLES, ...BINARY_GENERATED])('%s: labels are {0,1} with 01 and {−1,+1} with pm1, both present', (name) => {
    for (const [encoding, values] of [
      ['01', [0, 1]],
      ['pm1', [-1, 1]],
    ] as const) {
      const data = generateDataset(spec(name, { size: 200, encoding }));
      expect(new Set(data.y)).toEqual(new Set(values));
    }
  });

  it.each(BINARY_GENERATED)('%s: pm1 is the 01 labelling with 0 written as −1, on the same points', (name) => {
    const a = generateDataset(spec(name, { size: 200, seed: 9, encoding: '01' }));
    const b = generateDataset(spec(name, { size: 200, seed: 9, encoding: 'pm1' }));
    expect(sameArray(a.x, b.x)).toBe(true);
    expect(Array.from(b.y)).toEqual(Array.from(a.y, (v) => (v === 1 ? 1 : -1)));
  });

  it('the encoding does not touch the regression and multi-class sets', () => {
    for (const name of ['curve', 'iris', 'digits'] as const) {
      const a = generateDataset(spec(name, { encoding: '01' }));
      const b = generateDataset(spec(name, { encoding: 'pm1' }));
      expect(sameArray(a.x, b.x) && sameArray(a.y, b.y)).toBe(true);
    }
  });
});

// --- Truth tables ---------------------------------------------------------------------------

describe('truth tables', () => {
  const truth = {
    and: (a: boolean, b: boolean) => a && b,
    or: (a: boolean, b: boolean) => a || b,
    xor: (a: boolean, b: boolean) => a !== b,
  };
  const tables = {
    and: [
      [0, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
      [1, 1, 1],
    ],
    or: [
      [0, 0, 0],
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 1],
    ],
    xor: [
      [0, 0, 0],
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
    ],
  };
  const sortRows = (rows: number[][]) => [...rows].sort((p, q) => p[0] - q[0] || p[1] - q[1]);

  it.each(TRUTH_TABLES)('%s with 01 is the 0/1 truth table', (name) => {
    const data = generateDataset(spec(name, { encoding: '01' }));
    expect(data.features).toEqual(['x1', 'x2']);
    expect(data.targets).toEqual(['y']);
    expect(sortRows(Array.from({ length: 4 }, (_, n) => row(data, n)))).toEqual(tables[name]);
  });

  it.each(TRUTH_TABLES)('%s with pm1 encodes inputs and output as −1/+1', (name) => {
    const data = generateDataset(spec(name, { encoding: 'pm1' }));
    const pm = (v: number) => (v === 1 ? 1 : -1);
    const expected = tables[name].map((r) => r.map(pm));
    expect(sortRows(Array.from({ length: 4 }, (_, n) => row(data, n)))).toEqual(sortRows(expected));
    // And every row agrees with the Boolean function.
    for (let n = 0; n < 4; n++) {
      const [a, b, y] = row(data, n);
      expect(y).toBe(truth[name](a === 1, b === 1) ? 1 : -1);
    }
  });
});

// --- Geometry -------------------------------------------------------------------------------

describe('circle', () => {
  const radius = (p: { x1: number; x2: number }) => Math.hypot(p.x1, p.x2);

  it('without noise: one class fills the disc r ≤ 2, the other the ring 3 ≤ r ≤ 5', () => {
    const ps = points(generateDataset(spec('circle', { size: 1000, noise: 0, seed: 4 })));
    const innerLabel = ps.reduce((best, p) => (radius(p) < radius(best) ? p : best)).label;
    const inner = ps.filter((p) => p.label === innerLabel);
    const outer = ps.filter((p) => p.label !== innerLabel);
    expect(inner.length).toBe(500);
    expect(outer.length).toBe(500);
    for (const p of inner) expect(radius(p)).toBeLessThanOrEqual(2 + 1e-9);
    for (const p of outer) {
      expect(radius(p)).toBeGreaterThanOrEqual(3 - 1e-9);
      expect(radius(p)).toBeLessThanOrEqual(5 + 1e-9);
    }
    // The disc and the ring are filled, not just their edges.
    expect(Math.min(...inner.map(radius))).toBeLessThan(0.5);
    expect(Math.max(...outer.map(radius))).toBeGreaterThan(4.5);
  });

  it('with noise 0.1 the classes stay within 6·noise of their regions', () => {
    // The noise moves a point by noise·R with R Rayleigh-distributed: P(R > 6) = e^−18.
    const noise = 0.1;
    const ps = points(generateDataset(spec('circle', { size: 2000, noise, seed: 8 })));
    const innerLabel = ps.reduce((best, p) => (radius(p) < radius(best) ? p : best)).label;
    for (const p of ps) {
      if (p.label === innerLabel) expect(radius(p)).toBeLessThanOrEqual(2 + 6 * noise);
      else {
        expect(radius(p)).toBeGreaterThanOrEqual(3 - 6 * noise);
        expect(radius(p)).toBeLessThanOrEqual(5 + 6 * noise);
      }
    }
  });
});

describe('gaussians', () => {
  it('has class means near (2, 2) and (−2, −2) and unit spread', () => {
    const ps = points(generateDataset(spec('gaussians', { size: 2000, noise: 0.1, seed: 6 })));
    const byLabel = [0, 1].map((label) => ps.filter((p) => p.label === label));
    const means = byLabel.map((cls) => [mean(cls.map((p) => p.x1)), mean(cls.map((p) => p.x2))]);
    // Whichever class sits where, one mean is at (2, 2) and the other at (−2, −2); 1000 samples
    // per class give a standard error of about 0.03.
    const [hi, lo] = means[0][0] > means[1][0] ? [means[0], means[1]] : [means[1], means[0]];
    for (const v of hi) expect(Math.abs(v - 2)).toBeLessThan(0.15);
    for (const v of lo) expect(Math.abs(v + 2)).toBeLessThan(0.15);
    // Each blob has standard deviation √(1 + 0.1²) ≈ 1.005 per axis.
    for (const cls of byLabel) {
      expect(Math.abs(std(cls.map((p) => p.x1)) - 1)).toBeLessThan(0.1);
      expect(Math.abs(std(cls.map((p) => p.x2)) - 1)).toBeLessThan(0.1);
    }
  });
});

describe('spiral', () => {
  it('without noise: the two arms are each other rotated by 180° and stay within radius 5', () => {
    const ps = points(generateDataset(spec('spiral', { size: 400, noise: 0 })));
    const byLabel = [0, 1].map((label) => ps.filter((p) => p.label === label));
    expect(byLabel[0].length).toBe(200);
    for (const p of ps) expect(Math.hypot(p.x1, p.x2)).toBeLessThanOrEqual(5 + 1e-9);
    for (const p of byLabel[1]) {
      const nearest = Math.min(...byLabel[0].map((q) => Math.hypot(q.x1 + p.x1, q.x2 + p.x2)));
      expect(nearest).toBeLessThan(1e-9);
    }
    // It winds: the radius grows along an arm, reaching from the centre out to nearly 5.
    const radii = byLabel[1].map((p) => Math.hypot(p.x1, p.x2));
    expect(Math.min(...radii)).toBeLessThan(0.1);
    expect(Math.max(...radii)).toBeGreaterThan(4.8);
  });
});

describe('moons', () => {
  it('without noise: one class on the upper unit half-circle, the other on the lower one shifted to (1, 0.5)', () => {
    const ps = points(generateDataset(spec('moons', { size: 500, noise: 0, seed: 2 })));
    const onUpper = (p: { x1: number; x2: number }) => Math.abs(Math.hypot(p.x1, p.x2) - 1) < 1e-9 && p.x2 >= -1e-9;
    const onLower = (p: { x1: number; x2: number }) => Math.abs(Math.hypot(p.x1 - 1, p.x2 - 0.5) - 1) < 1e-9 && p.x2 <= 0.5 + 1e-9;
    const a = ps.filter((p) => p.label === 0);
    const b = ps.filter((p) => p.label === 1);
    const fits = (up: typeof ps, down: typeof ps) => up.every(onUpper) && down.every(onLower);
    expect(fits(a, b) || fits(b, a)).toBe(true);
  });
});

describe('xor4', () => {
  it('without noise: the label is 1 exactly when x1·x2 > 0', () => {
    const ps = points(generateDataset(spec('xor4', { size: 1000, noise: 0, seed: 11 })));
    for (const p of ps) expect(p.label).toBe(p.x1 * p.x2 > 0 ? 1 : 0);
    // All four quadrants are used.
    const quadrants = new Set(ps.map((p) => `${Math.sign(p.x1)},${Math.sign(p.x2)}`));
    expect(quadrants.size).toBe(4);
  });
});

describe('curve', () => {
  it('has one feature x and target y = sin(x) + x/3 without noise', () => {
    const data = generateDataset(spec('curve', { size: 500, noise: 0, seed: 3 }));
    expect(data.features).toEqual(['x']);
    expect(data.targets).toEqual(['y']);
    for (let n = 0; n < data.size; n++) expect(data.y[n]).toBeCloseTo(Math.sin(data.x[n]) + data.x[n] / 3, 12);
    // The inputs spread over an interval, not a point.
    expect(Math.max(...data.x) - Math.min(...data.x)).toBeGreaterThan(1);
  });

  it('adds Gaussian noise of the given standard deviation to the target', () => {
    const noise = 0.2;
    const data = generateDataset(spec('curve', { size: 4000, noise, seed: 3 }));
    const residuals = Array.from({ length: data.size }, (_, n) => data.y[n] - (Math.sin(data.x[n]) + data.x[n] / 3));
    expect(Math.abs(mean(residuals))).toBeLessThan(0.02);
    expect(Math.abs(std(residuals) / noise - 1)).toBeLessThan(0.1);
  });
});

// --- Iris -----------------------------------------------------------------------------------

describe('iris', () => {
  const data = generateDataset(spec('iris'));

  it('has 150 rows, the four measurements and one one-hot column per species', () => {
    expect(data.size).toBe(150);
    expect(data.features).toEqual([...IRIS_FEATURES]);
    expect(data.features).toHaveLength(4);
    expect(data.targets).toEqual(['species=setosa', 'species=versicolor', 'species=virginica']);
    expect(data.targets).toEqual(IRIS_SPECIES.map((s) => `species=${s}`));
  });

  it('has 50 flowers of each species, each row one-hot', () => {
    const counts = [0, 0, 0];
    for (let n = 0; n < 150; n++) {
      const t = Array.from(data.y.subarray(3 * n, 3 * n + 3));
      expect(t.every((v) => v === 0 || v === 1)).toBe(true);
      expect(t.reduce((a, b) => a + b, 0)).toBe(1);
      counts[t.indexOf(1)]++;
    }
    expect(counts).toEqual([50, 50, 50]);
  });

  it('starts with (5.1, 3.5, 1.4, 0.2, setosa) and ends with (5.9, 3.0, 5.1, 1.8, virginica)', () => {
    expect(row(data, 0)).toEqual([5.1, 3.5, 1.4, 0.2, 1, 0, 0]);
    expect(row(data, 149)).toEqual([5.9, 3.0, 5.1, 1.8, 0, 0, 1]);
  });

  it('has the published means of the four measurements', () => {
    const published = [5.8433, 3.0573, 3.758, 1.1993];
    published.forEach((expected, f) => {
      const column = Array.from({ length: 150 }, (_, n) => data.x[4 * n + f]);
      expect(Math.abs(mean(column) - expected)).toBeLessThan(1e-3);
    });
  });

  it('noise perturbs the measurements by about its standard deviation and leaves the species', () => {
    const noise = 0.05;
    const noisy = generateDataset(spec('iris', { noise, seed: 7 }));
    expect(sameArray(noisy.y, data.y)).toBe(true);
    const diffs = Array.from(noisy.x, (v, i) => v - data.x[i]);
    expect(diffs.some((d) => d !== 0)).toBe(true);
    expect(Math.abs(mean(diffs))).toBeLessThan(0.01);
    expect(Math.abs(std(diffs) / noise - 1)).toBeLessThan(0.15);
  });
});

// --- Digits ---------------------------------------------------------------------------------

describe('digits', () => {
  const data = generateDataset(spec('digits'));
  const csvPath = '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz';
  const haveCsv = existsSync(csvPath);

  it('has 1,797 rows, the 64 pixels p0 … p63 and one one-hot column per digit', () => {
    expect(data.size).toBe(1797);
    expect(data.features).toEqual([...DIGITS_FEATURES]);
    expect(data.features[0]).toBe('p0');
    expect(data.features[63]).toBe('p63');
    expect(data.targets).toEqual(Array.from({ length: 10 }, (_, d) => `digit=${d}`));
    expect(DIGITS_TARGETS).toEqual(data.targets);
  });

  it('has UCI’s class counts (178 zeros … 180 nines), each row one-hot, every pixel an integer 0–16', () => {
    const counts = Array.from({ length: 10 }, () => 0);
    for (let n = 0; n < data.size; n++) {
      const t = Array.from(data.y.subarray(10 * n, 10 * n + 10));
      expect(t.reduce((a, b) => a + b, 0)).toBe(1);
      counts[t.indexOf(1)]++;
    }
    expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(Array.from(data.x).every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
  });

  it.skipIf(!haveCsv)('is, row for row, scikit-learn’s digits.csv.gz (skipped without python3-sklearn)', () => {
    const csv = gunzipSync(readFileSync(csvPath)).toString('utf8').trim().split('\n');
    expect(csv).toHaveLength(data.size);
    csv.forEach((line, n) => {
      const values = line.split(',').map(Number);
      const digit = values.pop()!;
      expect(row(data, n)).toEqual([...values, ...Array.from({ length: 10 }, (_, d) => (d === digit ? 1 : 0))]);
    });
  });

  it.skipIf(!haveCsv)(
    'engine/src/datasets/digits-data.ts is what scripts/write-digits.mjs writes (run it after changing the script)',
    async () => {
      // @ts-expect-error: a plain .mjs build script, imported for its function.
      const { digitsModuleSource } = (await import('../../../scripts/write-digits.mjs')) as { digitsModuleSource: (csv: string) => string };
      const shipped = readFileSync(new URL('./digits-data.ts', import.meta.url), 'utf8');
      expect(shipped === digitsModuleSource(gunzipSync(readFileSync(csvPath)).toString('utf8'))).toBe(true);
    },
  );

  it('noise perturbs the pixels and leaves the digits', () => {
    const noisy = generateDataset(spec('digits', { noise: 0.5, seed: 3 }));
    expect(sameArray(noisy.y, data.y)).toBe(true);
    const diffs = Array.from(noisy.x, (v, i) => v - data.x[i]);
    expect(Math.abs(std(diffs) / 0.5 - 1)).toBeLessThan(0.05);
  });
});

// --- Bad specs ------------------------------------------------------------------------------

describe('bad specs', () => {
  const cases: [string, BuiltinSpec, RegExp][] = [
    ['size 0', spec('circle', { size: 0 }), /samples; got 0\b/],
    ['size 1.5', spec('circle', { size: 1.5 }), /got 1\.5/],
    ['size above the maximum', spec('circle', { size: MAX_GENERATED_SIZE + 1 }), new RegExp(`got ${MAX_GENERATED_SIZE + 1}`)],
    ['NaN size', spec('circle', { size: NaN }), /got NaN/],
    ['negative noise', spec('circle', { noise: -0.1 }), /[Nn]oise.*got -0\.1/],
    ['infinite noise', spec('moons', { noise: Infinity }), /[Nn]oise.*got Infinity/],
    ['noise that overflows the points', spec('circle', { noise: 1e308 }), /Noise must be from 0 to 1,000; got 1e\+308\./],
    ['noise just above the maximum', spec('curve', { noise: MAX_NOISE * (1 + 1e-15) }), /Noise must be from 0 to 1,000/],
    ['NaN seed', spec('circle', { seed: NaN }), /seed.*got NaN/],
    ['infinite seed', spec('xor', { seed: Infinity }), /seed.*got Infinity/],
    ['unknown name', { ...spec('circle'), name: 'nope' as BuiltinName }, /'nope'.*circle/],
  ];

  it.each(cases)('%s throws a DataError that says what is wrong', (_, bad, message) => {
    let error: unknown;
    try {
      generateDataset(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('fixed-size datasets', () => {
  it('the truth tables, Iris and the digits ignore size, as documented', () => {
    for (const name of ['and', 'or', 'xor', 'iris', 'digits'] as const) {
      const expected = name === 'iris' ? 150 : name === 'digits' ? 1797 : 4;
      expect(generateDataset({ ...defaultSpec(name), size: 0 }).size).toBe(expected);
      expect(generateDataset({ ...defaultSpec(name), size: 999 }).size).toBe(expected);
    }
  });
});

describe('builtinColumns', () => {
  it('names exactly the columns each generator produces', () => {
    for (const name of BUILTIN_DATASETS) {
      const data = generateDataset({ ...defaultSpec(name), size: 8 });
      expect(builtinColumns(name), name).toEqual({ features: data.features, targets: data.targets });
    }
  });
});

/**
 * Splitting and normalisation: splits are a seeded partition of the samples with rounded
 * validation and test sizes; normalisation is fitted on the training split and applied to any
 * split with those statistics, leaving targets and the input dataset alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyNormalisation,
  bindData,
  compileOrThrow,
  DataError,
  datasetFromRows,
  datasetRow,
  findExample,
  projectData,
  rowPlaces,
  subset,
  trainingRowRefusal,
  fitNormalisation,
  generateDataset,
  splitDataset,
  splitIndices,
  type Dataset,
  type Normalisation,
  type SplitIndices,
  type SplitSpec,
} from '../index';

// --- Helpers --------------------------------------------------------------------------------

const split = (train: number, validation: number, test: number, seed = 1): SplitSpec => ({ train, validation, test, seed });

function expectPartition(s: SplitIndices, n: number): void {
  const all = [...s.train, ...s.validation, ...s.test];
  expect(all).toHaveLength(n);
  expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
}

function column(data: Dataset, f: number): number[] {
  const nf = data.features.length;
  return Array.from({ length: data.size }, (_, n) => data.x[n * nf + f]);
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
/** Population standard deviation, by E[x²] − E[x]² (a different route from the engine's). */
const popStd = (v: number[]) => Math.sqrt(Math.max(0, mean(v.map((x) => x * x)) - mean(v) ** 2));

function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as Error;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}

// --- splitIndices ---------------------------------------------------------------------------

describe('splitIndices', () => {
  it.each([
    // size, fractions, expected [train, validation, test] worked out by hand
    [10, split(0.6, 0.2, 0.2), [6, 2, 2]],
    [7, split(0.5, 0.25, 0.25), [3, 2, 2]], // 1.75 rounds up to 2
    [101, split(0.8, 0.1, 0.1), [81, 10, 10]], // 10.1 rounds down to 10
    [9, split(0.7, 0.3, 0), [6, 3, 0]], // 2.7 → 3
    [5, split(1, 0, 0), [5, 0, 0]],
    [3, split(0.4, 0.3, 0.3), [1, 1, 1]], // 0.9 → 1 each; training takes the rest
  ] as const)('size %i with %o gives sizes %o', (size, spec, [train, validation, test]) => {
    const s = splitIndices(size, spec);
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([train, validation, test]);
    expectPartition(s, size);
  });

  it('is a partition of 0..n−1 with rounded validation and test sizes, for any sizes and fractions', () => {
    // n · p / 100 computed in integers; an exact half may go either way, because p / 100 is not
    // exact in binary (150 · 0.41 is 61.49999999999999 in floating point).
    const rounded = (n: number, percent: number): number[] => {
      const hundredths = n * percent;
      return hundredths % 100 === 50 ? [Math.floor(hundredths / 100), Math.ceil(hundredths / 100)] : [Math.round(hundredths / 100)];
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 45 }),
        fc.integer({ min: 0, max: 45 }),
        fc.integer(),
        (n, v, t, seed) => {
          const spec = split((100 - v - t) / 100, v / 100, t / 100, seed);
          const validation = rounded(n, v);
          const test = rounded(n, t);
          let s: SplitIndices;
          try {
            s = splitIndices(n, spec);
          } catch (e) {
            expect(e).toBeInstanceOf(DataError);
            expect((e as Error).message).toMatch(/training split would be empty/);
            // Only when the rounded sizes can leave nothing for training.
            expect(n - Math.max(...validation) - Math.max(...test)).toBeLessThan(1);
            return;
          }
          expect(validation).toContain(s.validation.length);
          expect(test).toContain(s.test.length);
          expect(s.train.length).toBe(n - s.validation.length - s.test.length);
          expect(s.train.length).toBeGreaterThanOrEqual(1);
          expectPartition(s, n);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is the same for the same seed and different for another', () => {
    const a = splitIndices(100, split(0.7, 0.15, 0.15, 3));
    expect(splitIndices(100, split(0.7, 0.15, 0.15, 3))).toEqual(a);
    for (const seed of [4, 5, 1000]) expect(splitIndices(100, split(0.7, 0.15, 0.15, seed)).train).not.toEqual(a.train);
  });

  it('shuffles rather than cutting the samples in file order', () => {
    const s = splitIndices(100, split(0.7, 0.15, 0.15, 3));
    expect(s.train).not.toEqual(Array.from({ length: 70 }, (_, i) => i));
    // Both halves of the data reach the training split.
    expect(s.train.some((i) => i < 50) && s.train.some((i) => i >= 50)).toBe(true);
  });

  it('refuses fractions that do not add up to 1', () => {
    for (const spec of [split(0.5, 0.2, 0.2), split(0.8, 0.2, 0.2), split(0, 0, 0)]) {
      const e = thrownBy(() => splitIndices(10, spec));
      expect(e.message).toMatch(/add up to 1/);
      expect(e.message).toContain(`train ${spec.train}`);
    }
  });

  it('refuses negative, too large and non-finite fractions even when they add up to 1', () => {
    for (const spec of [split(1.2, -0.1, -0.1), split(-0.5, 0.75, 0.75), split(NaN, 0.5, 0.5)]) {
      expect(thrownBy(() => splitIndices(10, spec)).message).toMatch(/between 0 and 1/);
    }
  });

  it('refuses a split that would leave the training split empty', () => {
    // 0.4 · 2 = 0.8 rounds to 1 for validation and test alike, leaving nothing to train on.
    const e = thrownBy(() => splitIndices(2, split(0.2, 0.4, 0.4)));
    expect(e.message).toMatch(/2 samples/);
    expect(e.message).toMatch(/training split would be empty/);
    expect(() => splitIndices(0, split(0.8, 0.1, 0.1))).toThrow(DataError);
  });

  // With a zero training share the rounded validation and test sizes can add up to more than the
  // data (3 · 0.5 = 1.5 rounds to 2 twice): that must be refused, never returned as overlapping slices.
  it('never returns overlapping splits when the training share is 0', () => {
    for (const size of [1, 3, 5]) {
      let s: SplitIndices;
      try {
        s = splitIndices(size, split(0, 0.5, 0.5));
      } catch (e) {
        // Refusing the split would also be a correct fix.
        expect(e).toBeInstanceOf(DataError);
        continue;
      }
      expect(s.train).toHaveLength(0);
      expectPartition(s, size);
    }
  });
});

describe('splitDataset', () => {
  it('returns the rows at the indices of splitIndices, with the same columns', () => {
    const rows = Array.from({ length: 40 }, (_, n) => [n, 2 * n + 0.5, -n]);
    const data = datasetFromRows(['a', 'b'], ['t'], rows);
    const spec = split(0.5, 0.25, 0.25, 9);
    const parts = splitDataset(data, spec);
    const indices = splitIndices(40, spec);
    for (const key of ['train', 'validation', 'test'] as const) {
      const part = parts[key];
      expect(part.features).toEqual(['a', 'b']);
      expect(part.targets).toEqual(['t']);
      expect(part.size).toBe(indices[key].length);
      indices[key].forEach((i, k) => {
        expect([part.x[2 * k], part.x[2 * k + 1], part.y[k]]).toEqual(rows[i]);
      });
    }
    expect(parts.train.size + parts.validation.size + parts.test.size).toBe(40);
  });

  it('each split keeps the dataset row of every sample, through normalisation and binding to a model', () => {
    const rows = Array.from({ length: 40 }, (_, n) => [n, 2 * n + 0.5, -n]);
    const data = datasetFromRows(['a', 'b'], ['t'], rows);
    const spec = split(0.5, 0.25, 0.25, 9);
    const parts = splitDataset(data, spec);
    const indices = splitIndices(40, spec);
    for (const key of ['train', 'validation', 'test'] as const) {
      expect(Array.from(parts[key].rowIds!)).toEqual(indices[key]);
      // Feature a is the row number itself: each sample's row id names the row it came from.
      for (let k = 0; k < parts[key].size; k++) expect(parts[key].x[2 * k]).toBe(datasetRow(parts[key], k));
    }
    // A subset of a subset still names rows of the original dataset.
    expect(Array.from(subset(parts.train, [2, 0]).rowIds!)).toEqual([indices.train[2], indices.train[0]]);
    expect(datasetRow(data, 7)).toBe(7);

    const project = findExample('iris')!.create();
    const prepared = projectData(project);
    const iris = splitIndices(150, project.split);
    const model = compileOrThrow(project.graph);
    for (const key of ['train', 'validation', 'test'] as const) {
      expect(Array.from(prepared[key].rowIds!)).toEqual(iris[key]);
      expect(Array.from(bindData(model, prepared[key]).rowIds!)).toEqual(iris[key]);
    }
  });
});

describe('rowPlaces and trainingRowRefusal', () => {
  it('inverts a split: each dataset row’s split and position', () => {
    const indices = splitIndices(30, split(0.6, 0.2, 0.2, 3));
    const places = rowPlaces(indices);
    expect(places.split).toHaveLength(30);
    (['train', 'validation', 'test'] as const).forEach((key, code) =>
      indices[key].forEach((row, k) => {
        expect(places.split[row]).toBe(code);
        expect(places.position[row]).toBe(k);
      }),
    );
  });

  it('refuses a validation or test row naming its split and the first training rows; a training row passes', () => {
    const indices: SplitIndices = { train: [13, 2, 0, 5, 3, 9, 14, 4, 11, 7, 12], validation: [1, 8], test: [6, 10] };
    const places = rowPlaces(indices);
    expect(trainingRowRefusal(13, places)).toBeNull();
    expect(trainingRowRefusal(6, places)).toBe(
      'row 6 is in the test split; the trace is of a training step, so choose a row of the training split: 0, 2, 3, 4, 5, 7, 9, 11, 12, 13, ….',
    );
    expect(trainingRowRefusal(8, places)).toMatch(/^row 8 is in the validation split; /);
    expect(trainingRowRefusal(15, places)).toBe('there is no row 15; the data has 15 rows (0 to 14).');
    // Ten training rows or fewer: all of them, and no ellipsis.
    const few = rowPlaces({ train: [3, 1], validation: [0], test: [2] });
    expect(trainingRowRefusal(0, few)).toBe(
      'row 0 is in the validation split; the trace is of a training step, so choose a row of the training split: 1, 3.',
    );
  });
});

// --- fitNormalisation -----------------------------------------------------------------------

describe('fitNormalisation', () => {
  // a = 1, 2, 3, 4: mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
  // b = 10, 10, 20, 40: mean 20, population variance (100 + 100 + 0 + 400) / 4 = 150.
  const data = datasetFromRows(
    ['a', 'b'],
    ['t'],
    [
      [1, 10, 0],
      [2, 10, 1],
      [3, 20, 0],
      [4, 40, 1],
    ],
  );

  it('standardise: shift is the mean and scale the population standard deviation', () => {
    const norm = fitNormalisation(data, 'standardise');
    expect(norm.method).toBe('standardise');
    expect(norm.features.map((f) => f.name)).toEqual(['a', 'b']);
    expect(norm.features[0].shift).toBeCloseTo(2.5, 12);
    expect(norm.features[0].scale).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(norm.features[1].shift).toBeCloseTo(20, 12);
    expect(norm.features[1].scale).toBeCloseTo(Math.sqrt(150), 12);
  });

  it('standardise fitted on the training split uses that split only', () => {
    const full = generateDataset({ name: 'gaussians', size: 300, noise: 0.1, seed: 2, encoding: '01' });
    const { train } = splitDataset(full, split(0.6, 0.2, 0.2, 4));
    const norm = fitNormalisation(train, 'standardise');
    const whole = fitNormalisation(full, 'standardise');
    for (const f of [0, 1]) {
      expect(norm.features[f].shift).toBeCloseTo(mean(column(train, f)), 10);
      expect(norm.features[f].scale).toBeCloseTo(popStd(column(train, f)), 10);
      expect(norm.features[f].shift).not.toBe(whole.features[f].shift);
    }
  });

  it('minmax: shift is the minimum and scale the range', () => {
    const d = datasetFromRows(
      ['a', 'b'],
      [],
      [
        [3, 0.5],
        [-1, 0.25],
        [7, 0.75],
        [0, 0.5],
      ],
    );
    const norm = fitNormalisation(d, 'minmax');
    expect(norm.method).toBe('minmax');
    expect(norm.features).toEqual([
      { name: 'a', shift: -1, scale: 8 },
      { name: 'b', shift: 0.25, scale: 0.5 },
    ]);
  });

  it('gives a constant column scale 1', () => {
    const d = datasetFromRows(
      ['c', 'z'],
      [],
      [
        [5, 0],
        [5, 0],
        [5, 0],
      ],
    );
    for (const method of ['standardise', 'minmax'] as const) {
      const norm = fitNormalisation(d, method);
      expect(norm.features).toEqual([
        { name: 'c', shift: 5, scale: 1 },
        { name: 'z', shift: 0, scale: 1 },
      ]);
      expect(Array.from(applyNormalisation(d, norm).x)).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });

  // For 0.1, 0.1, 0.1 the computed mean is 0.10000000000000002 and the spread 1.39e-17: rounding
  // noise that must not become the scale (it would turn every value into −1 instead of 0).
  it('gives scale 1 to a constant column whose mean is inexact (0.1, 0.1, 0.1)', () => {
    const d = datasetFromRows(['c'], [], [[0.1], [0.1], [0.1]]);
    const norm = fitNormalisation(d, 'standardise');
    expect(norm.features[0].scale).toBe(1);
    for (const v of applyNormalisation(d, norm).x) expect(Math.abs(v)).toBeLessThan(1e-9);
  });

  it("'none' gives shift 0 and scale 1 for every feature", () => {
    expect(fitNormalisation(data, 'none')).toEqual({
      method: 'none',
      features: [
        { name: 'a', shift: 0, scale: 1 },
        { name: 'b', shift: 0, scale: 1 },
      ],
    });
  });

  it('gives finite statistics for an empty dataset', () => {
    const empty = datasetFromRows(['a'], ['t'], []);
    for (const method of ['standardise', 'minmax'] as const) {
      for (const f of fitNormalisation(empty, method).features) {
        expect(Number.isFinite(f.shift) && Number.isFinite(f.scale) && f.scale !== 0).toBe(true);
      }
    }
  });

  // Spreading a column into Math.min(...) overflows the stack past a few hundred thousand samples,
  // and a CSV under MAX_CSV_CHARS can hold far more rows than that.
  it('minmax fits a training split of 1 000 000 samples', () => {
    const n = 1_000_000;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = (i * 7919) % n; // a permutation of 0..n−1
    const big: Dataset = { features: ['a'], targets: [], size: n, x, y: new Float64Array(0) };
    expect(fitNormalisation(big, 'minmax').features[0]).toEqual({ name: 'a', shift: 0, scale: n - 1 });
  });
});

// --- applyNormalisation ---------------------------------------------------------------------

describe('applyNormalisation', () => {
  const full = generateDataset({ name: 'gaussians', size: 400, noise: 0.3, seed: 12, encoding: '01' });
  const { train, validation } = splitDataset(full, split(0.7, 0.3, 0, 5));

  it('standardised training features have mean 0 and standard deviation 1', () => {
    const out = applyNormalisation(train, fitNormalisation(train, 'standardise'));
    for (const f of [0, 1]) {
      expect(mean(column(out, f))).toBeCloseTo(0, 10);
      expect(popStd(column(out, f))).toBeCloseTo(1, 10);
    }
  });

  it('minmax training features lie in [0, 1] and reach both ends', () => {
    const out = applyNormalisation(train, fitNormalisation(train, 'minmax'));
    for (const f of [0, 1]) {
      const c = column(out, f);
      expect(Math.min(...c)).toBe(0);
      expect(Math.max(...c)).toBe(1);
    }
  });

  it('transforms validation data with the training statistics, not its own', () => {
    // Train a = 0, 2, 4: mean 2, population std √(8/3). Validation a = 10, 12 lies far outside.
    const tr = datasetFromRows(
      ['a'],
      ['t'],
      [
        [0, 1],
        [2, 0],
        [4, 1],
      ],
    );
    const va = datasetFromRows(
      ['a'],
      ['t'],
      [
        [10, 0],
        [12, 1],
      ],
    );
    const sd = Math.sqrt(8 / 3);
    const std = applyNormalisation(va, fitNormalisation(tr, 'standardise'));
    expect(std.x[0]).toBeCloseTo(8 / sd, 12);
    expect(std.x[1]).toBeCloseTo(10 / sd, 12);
    // Minmax: (10 − 0) / 4 and (12 − 0) / 4, outside [0, 1] as they should be.
    expect(Array.from(applyNormalisation(va, fitNormalisation(tr, 'minmax')).x)).toEqual([2.5, 3]);

    // The same on the generated splits: validation is shifted by the train mean, so its own mean
    // is not exactly 0.
    const norm = fitNormalisation(train, 'standardise');
    const out = applyNormalisation(validation, norm);
    for (const f of [0, 1]) {
      const raw = column(validation, f);
      column(out, f).forEach((v, n) => expect(v).toBeCloseTo((raw[n] - norm.features[f].shift) / norm.features[f].scale, 12));
      expect(Math.abs(mean(column(out, f)))).toBeGreaterThan(1e-6);
    }
  });

  it('matches features by name, whatever the order of the stored statistics', () => {
    const d = datasetFromRows(
      ['a', 'b'],
      [],
      [
        [1, 100],
        [3, 300],
      ],
    );
    const norm: Normalisation = {
      method: 'standardise',
      features: [
        { name: 'b', shift: 100, scale: 200 },
        { name: 'a', shift: 1, scale: 2 },
      ],
    };
    expect(Array.from(applyNormalisation(d, norm).x)).toEqual([0, 0, 1, 1]);
  });

  it("'none' leaves the features as they are", () => {
    const out = applyNormalisation(train, fitNormalisation(train, 'none'));
    expect(Array.from(out.x)).toEqual(Array.from(train.x));
  });

  it('leaves the targets unchanged and does not mutate its input', () => {
    const x = Float64Array.from(train.x);
    const y = Float64Array.from(train.y);
    const norm = fitNormalisation(train, 'standardise');
    const out = applyNormalisation(train, norm);
    expect(Array.from(out.y)).toEqual(Array.from(y));
    expect(out.features).toEqual(train.features);
    expect(out.targets).toEqual(train.targets);
    expect(out.size).toBe(train.size);
    // The input is untouched and shares no buffer with the output.
    expect(Array.from(train.x)).toEqual(Array.from(x));
    expect(Array.from(train.y)).toEqual(Array.from(y));
    expect(out.x).not.toBe(train.x);
    expect(out.y).not.toBe(train.y);
    out.y[0] = 99;
    out.features.push('extra');
    expect(train.y[0]).toBe(y[0]);
    expect(train.features).toEqual(['x1', 'x2']);
  });

  it('refuses a normalisation fitted on other features, naming the feature', () => {
    const norm = fitNormalisation(
      datasetFromRows(
        ['a', 'b'],
        [],
        [
          [1, 2],
          [3, 4],
        ],
      ),
      'standardise',
    );
    const d = datasetFromRows(['a', 'c'], [], [[1, 2]]);
    const e = thrownBy(() => applyNormalisation(d, norm));
    expect(e.message).toMatch(/'c'/);
  });
});

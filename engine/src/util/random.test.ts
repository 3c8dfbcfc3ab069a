/**
 * The seeded generator: reproducible per seed, uniform where it should be, and resumable from
 * its saved state. Every statistical bound is for a fixed seed, so the tests cannot flake; the
 * bounds are still tight enough that a biased generator would fail them.
 */
import { describe, expect, it } from 'vitest';
import { createRng, rngFromState, type Rng } from '../index';

const draw = (rng: Rng, count: number, f: (r: Rng) => number = (r) => r.next()): number[] => Array.from({ length: count }, () => f(rng));

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((s, c) => s + c, 0);
  const expected = total / counts.length;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

describe('createRng', () => {
  it('is deterministic per seed, for every kind of draw', () => {
    for (const seed of [0, 1, 42, 123456789]) {
      const a = createRng(seed);
      const b = createRng(seed);
      expect(draw(a, 200)).toEqual(draw(b, 200));
      expect(draw(a, 50, (r) => r.normal())).toEqual(draw(b, 50, (r) => r.normal()));
      expect(draw(a, 50, (r) => r.int(1000))).toEqual(draw(b, 50, (r) => r.int(1000)));
      expect(draw(a, 50, (r) => r.uniform(-3, 5))).toEqual(draw(b, 50, (r) => r.uniform(-3, 5)));
    }
  });

  it('gives different sequences for different seeds, even adjacent ones', () => {
    const firsts = new Set<number>();
    for (let seed = 0; seed < 200; seed++) firsts.add(createRng(seed).next());
    expect(firsts.size).toBe(200);

    const a = draw(createRng(1), 100);
    const b = draw(createRng(2), 100);
    const same = a.filter((x, k) => x === b[k]).length;
    expect(same).toBe(0);
  });

  it('uses the integer part of the seed, modulo 2³²', () => {
    const reference = draw(createRng(5), 20);
    expect(draw(createRng(5.9), 20)).toEqual(reference);
    expect(draw(createRng(2 ** 32 + 5), 20)).toEqual(reference);
    expect(draw(createRng(-1), 20)).toEqual(draw(createRng(2 ** 32 - 1), 20));
    expect(draw(createRng(6), 20)).not.toEqual(reference);
  });

  it('refuses a non-finite seed', () => {
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
    expect(() => createRng(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => createRng(Number.NEGATIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('Rng draws', () => {
  it('next() stays in [0, 1), spans it and averages ½', () => {
    const xs = draw(createRng(7), 100_000);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs.reduce((m, x) => Math.min(m, x), 1)).toBeLessThan(0.001);
    expect(xs.reduce((m, x) => Math.max(m, x), 0)).toBeGreaterThan(0.999);
    // Mean of U(0,1) is ½ with standard error ≈ 0.0009 here.
    expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(0.005);
    // Ten equal bins: chi-square with 9 degrees of freedom; 40 is far in the tail (p < 1e-5).
    const bins = new Array<number>(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    expect(chiSquare(bins)).toBeLessThan(40);
  });

  it('uniform(low, high) stays in [low, high)', () => {
    const rng = createRng(3);
    const xs = draw(rng, 10_000, (r) => r.uniform(-2, 3));
    expect(xs.every((x) => x >= -2 && x < 3)).toBe(true);
    expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(0.1);
  });

  it('int(n) gives every integer of 0..n−1 about equally often', () => {
    const rng = createRng(11);
    const n = 7;
    const counts = new Array<number>(n).fill(0);
    let outOfRange = 0;
    for (let k = 0; k < 70_000; k++) {
      const v = rng.int(n);
      if (!(Number.isInteger(v) && v >= 0 && v < n)) outOfRange++;
      else counts[v]++;
    }
    expect(outOfRange).toBe(0);
    expect(counts.every((c) => c > 0)).toBe(true);
    // Chi-square with 6 degrees of freedom: 35 has p ≈ 4e-6, so only a real bias exceeds it.
    expect(chiSquare(counts)).toBeLessThan(35);
    // No single value strays more than 5% from its expected 10,000.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('int(1) is always 0', () => {
    const rng = createRng(5);
    expect(draw(rng, 100, (r) => r.int(1)).every((v) => v === 0)).toBe(true);
  });

  it('normal() has mean ≈ 0 and variance ≈ 1 over 20,000 draws', () => {
    const xs = draw(createRng(2024), 20_000, (r) => r.normal());
    expect(xs.every(Number.isFinite)).toBe(true);
    expect(Math.abs(mean(xs))).toBeLessThan(0.05);
    expect(Math.abs(variance(xs) - 1)).toBeLessThan(0.05);
    // Roughly 68% within one standard deviation: checks the shape, not only two moments.
    const within = xs.filter((x) => Math.abs(x) < 1).length / xs.length;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.02);
  });
});

describe('shuffle', () => {
  it('returns the same array, permuted', () => {
    const items = Array.from({ length: 100 }, (_, k) => k);
    const result = createRng(9).shuffle(items);
    expect(result).toBe(items);
    expect([...result].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, k) => k));
    // 100 items left in place would be a 1-in-100! event.
    expect(result).not.toEqual(Array.from({ length: 100 }, (_, k) => k));
  });

  it('is deterministic per seed and differs across seeds', () => {
    const shuffled = (seed: number) => createRng(seed).shuffle(Array.from({ length: 50 }, (_, k) => k));
    expect(shuffled(4)).toEqual(shuffled(4));
    expect(shuffled(4)).not.toEqual(shuffled(5));
  });

  it('shuffles typed arrays in place', () => {
    const items = Uint32Array.from({ length: 30 }, (_, k) => k);
    createRng(1).shuffle(items);
    expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, k) => k));
    expect([...items]).not.toEqual(Array.from({ length: 30 }, (_, k) => k));
  });

  it('gives each permutation of three items about equally often', () => {
    // A naive "swap with any index" shuffle favours some permutations by a third; this catches it.
    const rng = createRng(31);
    const counts = new Map<string, number>();
    for (let k = 0; k < 6000; k++) {
      const key = rng.shuffle(['a', 'b', 'c']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // Chi-square with 5 degrees of freedom: 30 has p ≈ 1.5e-5.
    expect(chiSquare([...counts.values()])).toBeLessThan(30);
  });
});

describe('state and rngFromState', () => {
  it('resumes the same sequence of next() from a saved state', () => {
    const rng = createRng(77);
    draw(rng, 37);
    const saved = rng.state();
    const expected = draw(rng, 1000);
    expect(draw(rngFromState(saved), 1000)).toEqual(expected);
  });

  it('state() is a snapshot: later draws do not change it', () => {
    const rng = createRng(8);
    const saved = rng.state();
    const copy = [...saved];
    draw(rng, 10);
    expect(saved).toEqual(copy);
    expect(rng.state()).not.toEqual(copy);
  });

  it('a state is four 32-bit words, the same modulo 2³² after a round trip', () => {
    const rng = createRng(123);
    for (let k = 0; k < 50; k++) {
      const state = rng.state();
      expect(state).toHaveLength(4);
      // Words may come back signed (a ^ (a >>> 9) is an int32), so accept either 32-bit reading.
      for (const word of state) expect(Number.isInteger(word) && word >= -(2 ** 31) && word < 2 ** 32).toBe(true);
      expect(
        rngFromState(state)
          .state()
          .map((w) => w >>> 0),
      ).toEqual(state.map((w) => w >>> 0));
      rng.next();
    }
  });

  it('restoring does not disturb the original generator', () => {
    const rng = createRng(55);
    const saved = rng.state();
    const restored = rngFromState(saved);
    draw(restored, 20);
    const a = draw(rng, 20);
    expect(a).toEqual(draw(rngFromState(saved), 20));
  });
});

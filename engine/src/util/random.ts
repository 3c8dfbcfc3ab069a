/**
 * Seeded pseudo-random numbers. Every random choice in the engine (initial weights, shuffling,
 * generated data) takes a seed, so a project reproduces exactly wherever it runs.
 *
 * The generator is sfc32 seeded through splitmix32: small, fast, and with a state of four 32-bit
 * words that can be saved and restored.
 */

/** A reproducible random source. */
export interface Rng {
  /** A uniform number in [0, 1). */
  next(): number;
  /** A uniform number in [low, high). */
  uniform(low: number, high: number): number;
  /** A standard normal number (mean 0, variance 1). */
  normal(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { [i: number]: unknown; length: number }>(items: T): T;
  /**
   * The generator's state as four unsigned 32-bit words, to resume the same sequence of `next()`
   * later with {@link rngFromState}. The second value `normal()` caches is not part of it.
   */
  state(): [number, number, number, number];
}

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator for `seed` (any finite number; its integer part modulo 2³² is used). */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const mix = splitmix32(Math.trunc(seed) >>> 0);
  const state: [number, number, number, number] = [mix(), mix(), mix(), mix()];
  const rng = rngFromState(state);
  // Discard the first outputs, as sfc32's authors advise, so similar seeds diverge at once.
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}

/** A generator that continues from a state returned by {@link Rng.state}. */
export function rngFromState(initial: readonly [number, number, number, number]): Rng {
  let [a, b, c, d] = initial.map((v) => v >>> 0) as [number, number, number, number];
  let spareNormal: number | null = null;

  const nextUint = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  const next = (): number => nextUint() / 4294967296;

  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    normal() {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(next() * n),
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
    state: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
  };
}

import { describe, expect, it } from 'vitest';
import { findExample, generateDataset, MAX_GENERATED_SIZE, MAX_NOISE, type Project } from '../../../../engine/src/index';
import { adviseData, splitWithShares } from './data-fields';
import { setData } from '../../document/commands';

const project = (): Project => findExample('logistic-regression')!.create();
const builtin = (p: Project) => {
  if (p.dataset.kind !== 'builtin') throw new Error('the example has a built-in dataset');
  return p.dataset;
};
/** The reason a data edit is refused, or null when it is taken. */
const refusal = (p: Project, change: Parameters<typeof setData>[0]) => {
  const result = setData(change).apply(p);
  return result.ok ? null : result.reason;
};

describe('the data panel’s refusals', () => {
  it('say in one sentence which value is out of range, naming it', () => {
    const p = project();
    const d = builtin(p);
    expect(refusal(p, { dataset: { ...d, size: MAX_GENERATED_SIZE + 1 } })).toBe(
      'A generated dataset has a whole number of samples from 1 to 100,000, got 100001.',
    );
    expect(refusal(p, { dataset: { ...d, size: 2.5 } })).toBe(
      'A generated dataset has a whole number of samples from 1 to 100,000, got 2.5.',
    );
    expect(refusal(p, { dataset: { ...d, size: 0 } })).toMatch(/got 0\.$/);
    expect(refusal(p, { dataset: { ...d, noise: MAX_NOISE * 2 } })).toBe('Noise must be from 0 to 1,000, got 2000.');
    expect(refusal(p, { dataset: { ...d, noise: -0.1 } })).toBe('Noise must be from 0 to 1,000, got -0.1.');
    expect(refusal(p, { split: splitWithShares(p.split, 0.9, 0.2) })).toBe(
      'The training and validation shares add up to 1.1; together they can be at most 1.',
    );
    expect(refusal(p, { split: splitWithShares(p.split, 0, 0.5) })).toBe(
      'The training share must be above 0: training needs some of the samples.',
    );
    expect(refusal(p, { split: splitWithShares(p.split, 0.8, -0.1) })).toBe('The validation share must be from 0 to 1, got -0.1.');
    expect(refusal(p, { split: { ...p.split, train: 0.5, validation: 0.2, test: 0.2 } })).toBe(
      'The three shares add up to 0.9; they must add up to 1.',
    );
  });

  it('take every value the generator takes, at its bounds', () => {
    const p = project();
    const d = builtin(p);
    for (const change of [{ size: 1 }, { size: MAX_GENERATED_SIZE }, { noise: 0 }, { noise: MAX_NOISE }, { seed: -7.5 }]) {
      const dataset = { ...d, ...change };
      expect(refusal(p, { dataset })).toBeNull();
      // Whatever the command takes, the generator generates (nothing is taken that cannot be used).
      expect(generateDataset(dataset).size).toBe(dataset.size);
    }
  });
});

describe('splitWithShares', () => {
  it('leaves the rest to the test share so that any typed shares add up to 1', () => {
    const p = project();
    // Rounding the test share to 6 decimals (as the panel did) made these refused: 0.676543 + … ≠ 1 within 1e-9.
    for (const [train, validation] of [
      [0.123456789, 0.2],
      [1 / 3, 1 / 3],
      [0.7, 0.15],
      [0.6, 0.4],
      [1, 0],
    ]) {
      const split = splitWithShares(p.split, train, validation);
      expect(Math.abs(split.train + split.validation + split.test - 1)).toBeLessThan(1e-9);
      expect(refusal(p, { split })).toBeNull();
    }
    expect(splitWithShares(p.split, 0.7, 0.15).test).toBe(0.15);
    expect(splitWithShares(p.split, 0.7, 0.15).seed).toBe(p.split.seed);
  });
});

describe('adviseData', () => {
  it('warns about implausible but allowed values and about nothing ordinary', () => {
    expect(adviseData('noise', 0.1)).toBeNull();
    expect(adviseData('noise', 1)).toBeNull();
    expect(adviseData('noise', 3)).toMatch(/^Noise 3 is larger than the pattern/);
    expect(adviseData('size', 400)).toBeNull();
    expect(adviseData('size', 50_000)).toMatch(/^50,000 samples make every epoch slow/);
    expect(adviseData('train', 0.7)).toBeNull();
    expect(adviseData('train', 0.2)).toBe('Only 0.2 of the samples train the network; 0.6 to 0.8 is usual.');
    expect(adviseData('seed', 42)).toBeNull();
    expect(adviseData('seed', -3)).toBeNull();
  });

  it('says which seed a fractional or huge one draws the same points as, and it does', () => {
    const d = builtin(project());
    for (const [seed, same] of [
      [1.5, 1],
      [2 ** 32 + 3, 3],
    ]) {
      expect(adviseData('seed', seed)).toBe(
        `Seed ${seed} generates the same points as seed ${same}: only the whole part, modulo 2³², counts.`,
      );
      expect(Array.from(generateDataset({ ...d, seed }).x)).toEqual(Array.from(generateDataset({ ...d, seed: same }).x));
    }
    // And a warned-about seed is not one that draws points of its own.
    expect(Array.from(generateDataset({ ...d, seed: 2 }).x)).not.toEqual(Array.from(generateDataset({ ...d, seed: 1 }).x));
  });
});

import { describe, expect, it } from 'vitest';
import { parseTyped } from './NumberInput';

describe('what a person types into a number field', () => {
  it('reads numbers, a typographic minus and exponents', () => {
    expect(parseTyped(' 0.5 ')).toEqual({ value: 0.5 });
    expect(parseTyped('−2e−3'.replace('e−', 'e-'))).toEqual({ value: -0.002 });
    expect(parseTyped('−1')).toEqual({ value: -1 });
  });

  it('names what is wrong: not a number, out of range, or empty', () => {
    expect(parseTyped('abc')).toEqual({ problem: '“abc” is not a number.' });
    expect(parseTyped('1e400')).toEqual({ problem: '1e400 is out of range: the largest number is about 1.8e308.' });
    expect(parseTyped('')).toEqual({ problem: 'A number is needed here.' });
    expect((parseTyped('x'.repeat(1000)) as { problem: string }).problem.length).toBeLessThan(60);
  });
});

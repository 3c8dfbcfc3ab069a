import { describe, expect, it } from 'vitest';
import { formatValue, formatWeight } from './format';

describe('numbers for people', () => {
  it('an edge label keeps three significant digits, so a weight near 1 does not read as 1', () => {
    expect(formatWeight(1.023)).toBe('1.02');
    expect(formatWeight(-0.30512)).toBe('−0.305');
    expect(formatWeight(12.345)).toBe('12.3');
    expect(formatWeight(2.5)).toBe('2.5');
    expect(formatWeight(0)).toBe('0');
  });

  it('very large and very small values in exponent form, with a true minus sign', () => {
    expect(formatValue(1.5e292)).toBe('1.500e+292');
    expect(formatValue(-0.00001234)).toBe('−1.234e−5');
  });
});

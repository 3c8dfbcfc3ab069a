import { describe, expect, it } from 'vitest';
import { formatNumber, formatPercent } from './format';

describe('the one number formatter', () => {
  it('four significant digits by default, trailing zeros dropped, a true minus sign', () => {
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(-2.5)).toBe('−2.5');
    expect(formatNumber(1.023, { digits: 3 })).toBe('1.02');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
  });

  it('exponent form outside 10⁻⁴ … 10⁵, with the minus sign in the exponent too', () => {
    expect(formatNumber(1.5e292)).toBe('1.500e+292');
    expect(formatNumber(-0.00001234)).toBe('−1.234e−5');
    expect(formatNumber(123456)).toBe('1.235e+5');
    expect(formatNumber(54321)).toBe('54320');
    expect(formatNumber(0.0001)).toBe('0.0001');
  });

  it('parentheses for a negative factor, an ASCII minus on request, non-finite numbers spelled out', () => {
    expect(formatNumber(-0.5, { parenthesise: true })).toBe('(−0.5)');
    expect(formatNumber(0.5, { parenthesise: true })).toBe('0.5');
    expect(formatNumber(-1.234e-7, { minus: '-' })).toBe('-1.234e-7');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('−Infinity');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatPercent(0.975)).toBe('97.5%');
    expect(formatPercent(null)).toBe('—');
  });
});

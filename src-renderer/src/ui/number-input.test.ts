import { describe, expect, it } from 'vitest';
import { displayedNumber, parseTyped } from './NumberInput';

describe('a number field out of focus', () => {
  it('shows a short value exactly and a long one to six significant digits, parseable back', () => {
    expect(displayedNumber(0.5)).toBe('0.5');
    expect(displayedNumber(1e9)).toBe('1000000000');
    expect(displayedNumber(null)).toBe('');
    expect(displayedNumber(-0.27996623960269)).toBe('-0.279966');
    expect(displayedNumber(0.123456789)).toBe('0.123457');
    expect(displayedNumber(1.5e-7)).toBe('1.5e-7');
    expect(displayedNumber(123456789012)).toBe('1.23457e+11');
    expect(displayedNumber(0.1 + 0.2)).toBe('0.3');
    // What it shows reads back as a number within the rounding of six digits.
    for (const v of [-0.27996623960269, 0.123456789, 123456789012, 1.5e-7, 2 / 3]) {
      const back = parseTyped(displayedNumber(v));
      expect('value' in back && Math.abs(back.value - v) <= Math.abs(v) * 5e-6).toBe(true);
    }
  });
});

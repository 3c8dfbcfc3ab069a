import { describe, expect, it } from 'vitest';
import { QUOTE_MAX_CHARS, escapeControlCharacters, quoteForMessage } from './quote';

describe('quoteForMessage', () => {
  it('escapes the bytes that act on a terminal and that split a line', () => {
    const hostile = 'a\u0000b\u0007c\u001b]0;owned\u0007d\ne\rf\u202eg';
    const quoted = quoteForMessage(hostile, 1000);
    expect(quoted).toBe('a\\u0000b\\u0007c\\u001b]0;owned\\u0007d\\ne\\rf\\u202eg');
    // Nothing below U+0020 (nor DEL, C1 or a bidi override) is left.
    expect(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/.test(quoted)).toBe(false);
  });

  it('cuts long text and says how much was left out', () => {
    const long = 'x'.repeat(1_000_000);
    const quoted = quoteForMessage(long);
    expect(quoted.startsWith('x'.repeat(QUOTE_MAX_CHARS))).toBe(true);
    expect(quoted).toContain('999,940 more characters');
    expect(quoted.length).toBeLessThan(QUOTE_MAX_CHARS + 40);
  });

  it('never splits a surrogate pair when it cuts', () => {
    const text = `${'a'.repeat(QUOTE_MAX_CHARS - 1)}😀tail`;
    const quoted = quoteForMessage(text);
    expect(quoted.startsWith(`${'a'.repeat(QUOTE_MAX_CHARS - 1)}…`)).toBe(true);
  });

  it('leaves ordinary text, accents and symbols alone', () => {
    expect(escapeControlCharacters('δ_j = t − z · Σt, café')).toBe('δ_j = t − z · Σt, café');
  });
});

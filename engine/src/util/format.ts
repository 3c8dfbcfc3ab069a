/**
 * Numbers for people: the one formatter the whole app writes numbers with — the inspector and its
 * badges, the trace's text and exports, the canvas's edge labels, the exported picture, the CLI's
 * and the trainer's messages — so that the same value reads the same everywhere.
 */

/** How {@link formatNumber} writes a number. */
export interface NumberFormat {
  /** Significant digits (default 4). */
  digits?: number;
  /** Negative numbers in parentheses, as they stand in a product (default false). */
  parenthesise?: boolean;
  /** The minus sign, in the number and its exponent: a true minus (default) or ASCII for LaTeX and terminals. */
  minus?: '−' | '-';
}

/**
 * A number with `digits` significant digits: plainly between 10⁻⁴ and 10⁵ (trailing zeros
 * dropped, so 2.5 reads "2.5" and 1.023 at three digits "1.02"), in exponent form outside that
 * (`1.500e+292`, `−1.234e−5`), 0 as "0"; NaN and the infinities as JavaScript spells them.
 */
export function formatNumber(value: number, format: NumberFormat = {}): string {
  const { digits = 4, parenthesise = false, minus = '−' } = format;
  if (!Number.isFinite(value)) return String(value).replace('-', minus);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  const ascii = magnitude >= 1e5 || magnitude < 1e-4 ? value.toExponential(digits - 1) : Number(value.toPrecision(digits)).toString();
  const text = minus === '-' ? ascii : ascii.replace(/-/g, minus);
  return value < 0 && parenthesise ? `(${text})` : text;
}

/** A share as a percentage with one decimal ("97.5%"), or "—" for none. */
export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
}

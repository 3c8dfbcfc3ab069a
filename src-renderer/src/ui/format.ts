/** Numbers for people: significant digits chosen for the magnitude. */
export function formatValue(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-4) return value.toExponential(digits - 1).replace(/-/g, '−');
  return Number(value.toPrecision(digits)).toString().replace(/-/g, '−');
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
}

/**
 * A weight as an edge's label shows it: three significant digits, so 1.023 reads "1.02" and not
 * "1" (which would look like a round weight the user set); the full value is on hover.
 */
export function formatWeight(value: number): string {
  return formatValue(value, 3);
}

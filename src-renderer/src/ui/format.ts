import { formatNumber } from '../../../engine/src/util/format';

export { formatPercent } from '../../../engine/src/util/format';

/** Numbers for people, as the whole app writes them ({@link formatNumber}); "—" for none. */
export function formatValue(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined ? '—' : formatNumber(value, { digits });
}

/**
 * A weight as an edge's label shows it: three significant digits, so 1.023 reads "1.02" and not
 * "1" (which would look like a round weight the user set); the full value is on hover.
 */
export function formatWeight(value: number): string {
  return formatValue(value, 3);
}

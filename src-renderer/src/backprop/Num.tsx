/**
 * A number as the inspector shows it: significant digits chosen for its magnitude, the full
 * value on hover and in `data-value` (what the end-to-end journeys read).
 */
import { formatValue } from '../ui/format';

export function Num({ value, testId, digits = 4 }: { value: number | null | undefined; testId?: string; digits?: number }) {
  if (value === null || value === undefined) return <span className="num empty">—</span>;
  return (
    <span className="num" title={String(value)} data-value={String(value)} data-testid={testId}>
      {formatValue(value, digits)}
    </span>
  );
}

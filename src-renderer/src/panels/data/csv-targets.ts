/**
 * What the CSV dialog says about the targets: the kinds it offers, which one the data suggests
 * and why, and how a binary target's two values became 0 and 1.
 */
import { suggestTargetKind, type CsvColumnSummary, type CsvTargetKind } from '../../../../engine/src/index';

/** The kinds of target the dialog offers, in its select's order, with the select's words. */
export const TARGET_KINDS: readonly { kind: CsvTargetKind; label: string }[] = [
  { kind: 'binary', label: 'binary (one 0/1 column)' },
  { kind: 'label', label: 'class labels (one-hot)' },
  { kind: 'numeric', label: 'numbers (regression)' },
];

const ORDER = new Intl.Collator('en', { numeric: true });

/** The short name of a kind, as the suggestion says it. */
const KIND_NAME: Record<CsvTargetKind, string> = { binary: 'binary', label: 'class labels', numeric: 'numbers' };

/** What the data suggests for the chosen targets, and why, in a sentence; null when no target is chosen. */
export function suggestion(
  header: readonly string[],
  columns: readonly CsvColumnSummary[],
  targets: readonly string[],
): { kind: CsvTargetKind; reason: string } | null {
  const chosen = targets.map((t) => header.indexOf(t)).filter((c) => c >= 0 && c < columns.length);
  if (chosen.length === 0) return null;
  const kind = suggestTargetKind(chosen.map((c) => columns[c]));
  if (chosen.length > 1) return { kind, reason: `Suggested from the data: ${KIND_NAME[kind]}.` };
  const name = header[chosen[0]];
  const column = columns[chosen[0]];
  // The two values in natural order (0 before 1, B before M), whichever the file has first.
  const [low, high] = [...column.values].sort(ORDER.compare);
  const why =
    column.distinct === 2
      ? `'${name}' has two values, ${low} and ${high}`
      : column.distinct === 1
        ? `'${name}' has one value, ${column.values[0]}`
        : column.numeric
          ? `'${name}' holds numbers with many values`
          : `'${name}' holds text labels`;
  return { kind, reason: `Suggested from the data: ${KIND_NAME[kind]} — ${why}.` };
}

/** How a binary target's values were read: "0 and 1, as they are", or "B → 0, M → 1". */
export function binaryMapping(names: readonly string[]): string {
  return names[0] === '0' && names[1] === '1' ? '0 and 1, as they are' : `${names[0]} → 0, ${names[1]} → 1`;
}

/**
 * The data's targets as the data panel lists them: a binary target whose values were labels
 * with its mapping ("diagnosis (B = 0, M = 1)"), the others by name.
 */
export function describeTargets(targets: readonly string[], classes: Readonly<Record<string, readonly string[]>> | undefined): string {
  return targets
    .map((target) => {
      const names = classes && Object.hasOwn(classes, target) ? classes[target] : null;
      return names && names.length === 2 && !(names[0] === '0' && names[1] === '1')
        ? `${target} (${names[0]} = 0, ${names[1]} = 1)`
        : target;
    })
    .join(', ');
}

/** Column names for one line of the data panel: all of up to `max`, else the first `max` and how many more. */
export function fewColumns(names: readonly string[], max = 5): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} … ${(names.length - max).toLocaleString('en')} more`;
}

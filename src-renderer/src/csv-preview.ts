/**
 * What the CSV preview shows: the first rows, and the row an import error concerns wherever it is
 * in the file (after a gap), marked, with the message right under it.
 */
import type { CsvTable } from '../../engine/src/index';

/** An import problem with where it is, as `CsvError` reports it. */
export interface CsvProblem {
  message: string;
  /** 1-based line in the file, or null for a problem with the choice of columns. */
  line: number | null;
  /** The column's name, when the problem is one cell. */
  column: string | null;
}

export type PreviewLine =
  | { kind: 'row'; line: number; cells: string[]; error: boolean; errorColumn: number | null }
  /** A line of the file that is not a data row of the table (a header problem, a ragged row). */
  | { kind: 'raw'; line: number; text: string }
  | { kind: 'gap'; skipped: number }
  | { kind: 'note'; message: string };

/**
 * The preview's lines: the table's first `head` rows, then (if the problem is further down) a gap
 * and the problem's row, each problem followed by a note with its message. `text` is the file,
 * for a problem on a line the table does not hold (a row with the wrong number of cells).
 */
export function previewLines(table: CsvTable | null, problem: CsvProblem | null, text: string, head = 8): PreviewLine[] {
  const lines: PreviewLine[] = [];
  const note = problem && { kind: 'note' as const, message: problem.message };
  const rows = table?.rows ?? [];
  const at = problem?.line != null && table ? table.lines.indexOf(problem.line) : -1;
  const columnIndex = problem?.column && table ? table.header.indexOf(problem.column) : -1;
  const shown = Math.min(head, rows.length);
  for (let r = 0; r < shown; r++) {
    const error = r === at;
    lines.push({ kind: 'row', line: table!.lines[r], cells: rows[r], error, errorColumn: error && columnIndex >= 0 ? columnIndex : null });
    if (error) lines.push(note!);
  }
  if (at >= shown) {
    if (at > shown) lines.push({ kind: 'gap', skipped: at - shown });
    lines.push({ kind: 'row', line: table!.lines[at], cells: rows[at], error: true, errorColumn: columnIndex >= 0 ? columnIndex : null });
    lines.push(note!);
  } else if (problem && at < 0) {
    // Not a data row of the table: show the file's own line when there is one, then the message.
    if (problem.line != null) {
      const raw = text.split(/\r\n|\n|\r/)[problem.line - 1];
      if (raw !== undefined) lines.push({ kind: 'raw', line: problem.line, text: raw });
    }
    lines.push(note!);
  }
  return lines;
}

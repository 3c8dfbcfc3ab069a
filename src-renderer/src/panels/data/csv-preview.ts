/**
 * What the CSV preview shows: the first rows, and the row an import error concerns wherever it is
 * in the file (after a gap), marked, with the message right under it.
 *
 * The file itself stays in the import worker: the dialog receives a preview (the header and the
 * first rows) and, with each problem, the one row or line of the file it concerns, all clipped
 * so a megabyte cell does not become a megabyte of page.
 */
import { CsvError, type CsvCells } from '../../../../engine/src/index';

/** The rows the preview shows before any gap. */
export const PREVIEW_ROWS = 8;
/** Characters of a cell (or a line of the file) the preview shows before it cuts the rest. */
export const PREVIEW_CHARS = 80;

/** A file's header and first rows, as the import worker sends them to the dialog. */
export interface CsvPreview {
  header: string[];
  /** The first data rows' cells, clipped. */
  rows: string[][];
  /** The 1-based line in the file of each of `rows`. */
  lines: number[];
  /** How many data rows the file has. */
  rowCount: number;
}

/** An import problem with where it is, as `CsvError` reports it. */
export interface CsvProblem {
  message: string;
  /** 1-based line in the file, or null for a problem with the choice of columns. */
  line: number | null;
  /** The column's name, when the problem is one cell. */
  column: string | null;
  /** When `line` starts a data row: which one (from 0) and its cells, clipped. */
  row?: { index: number; cells: string[] };
  /** When `line` is not a data row (a header problem, a ragged row): the file's own text there, clipped. */
  raw?: string;
}

export type PreviewLine =
  | { kind: 'row'; line: number; cells: string[]; error: boolean; errorColumn: number | null }
  /** A line of the file that is not a data row of the table (a header problem, a ragged row). */
  | { kind: 'raw'; line: number; text: string }
  | { kind: 'gap'; skipped: number }
  | { kind: 'note'; message: string };

/** `text` cut to `max` characters (without splitting a surrogate pair), with "…" when cut. */
export function clip(text: string, max = PREVIEW_CHARS): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return `${text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)}…`;
}

const clipRow = (cells: string[]) => cells.map((cell) => clip(cell));

/** The preview of a file's cells: its header and first `head` rows. */
export function previewOf(table: CsvCells, head = PREVIEW_ROWS): CsvPreview {
  const shown = Math.min(head, table.rowCount);
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 0; r < shown; r++) {
    rows.push(clipRow(table.row(r)));
    lines.push(table.line(r));
  }
  return { header: [...table.header], rows, lines, rowCount: table.rowCount };
}

/** The text of a 1-based line of `text` (lines end at CRLF, LF or CR), clipped; found without splitting the whole file. */
function lineOf(text: string, line: number): string | undefined {
  let l = 1;
  let start = 0;
  while (l < line && start < text.length) {
    const code = text.charCodeAt(start++);
    if (code === 10) l++;
    else if (code === 13) {
      if (text.charCodeAt(start) === 10) start++;
      l++;
    }
  }
  if (l < line) return undefined;
  let end = start;
  while (end < text.length && end - start <= PREVIEW_CHARS && text[end] !== '\n' && text[end] !== '\r') end++;
  return clip(text.slice(start, end));
}

/**
 * The problem an error is, with what the preview needs to show it: the data row of `table` it
 * concerns, or else the line of `text`. Anything but a CsvError is a failure of the reader itself.
 */
export function problemOf(error: unknown, text: string, table: CsvCells | null): CsvProblem {
  if (!(error instanceof CsvError)) {
    const reason = error instanceof Error ? error.message : String(error);
    return { message: `Reading the CSV file failed (${reason.replace(/[.\s]+$/, '')}).`, line: null, column: null };
  }
  const problem: CsvProblem = { message: error.message, line: error.line, column: error.column };
  if (error.line === null) return problem;
  const index = table ? table.rowAtLine(error.line) : -1;
  if (table && index >= 0) problem.row = { index, cells: clipRow(table.row(index)) };
  else {
    const raw = lineOf(text, error.line);
    if (raw !== undefined) problem.raw = raw;
  }
  return problem;
}

/**
 * The preview's lines: the first `head` rows, then (if the problem is further down) a gap and
 * the problem's row, each problem followed by a note with its message; a problem on a line that
 * is no data row shows that line of the file.
 */
export function previewLines(preview: CsvPreview | null, problem: CsvProblem | null, head = PREVIEW_ROWS): PreviewLine[] {
  const lines: PreviewLine[] = [];
  const note = problem && { kind: 'note' as const, message: problem.message };
  const rows = preview?.rows ?? [];
  const at = problem?.row?.index ?? -1;
  const columnIndex = problem?.column && preview ? preview.header.indexOf(problem.column) : -1;
  const errorColumn = columnIndex >= 0 ? columnIndex : null;
  const shown = Math.min(head, rows.length);
  for (let r = 0; r < shown; r++) {
    const error = r === at;
    lines.push({ kind: 'row', line: preview!.lines[r], cells: rows[r], error, errorColumn: error ? errorColumn : null });
    if (error) lines.push(note!);
  }
  if (problem?.row && preview && at >= shown) {
    if (at > shown) lines.push({ kind: 'gap', skipped: at - shown });
    lines.push({ kind: 'row', line: problem.line!, cells: problem.row.cells, error: true, errorColumn });
    lines.push(note!);
  } else if (problem && (at < 0 || !preview)) {
    if (problem.line != null && problem.raw !== undefined) lines.push({ kind: 'raw', line: problem.line, text: problem.raw });
    lines.push(note!);
  }
  return lines;
}

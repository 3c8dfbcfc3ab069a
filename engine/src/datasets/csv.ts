/**
 * CSV import: a header row, then numbers. The user picks feature and target columns; a target is
 * either numeric (regression) or a class label, which becomes one one-hot column per class.
 * Every error names the line and the column it concerns.
 */
import { DataError, datasetFromRows, type Dataset } from '../data';

/** Raw cells of a CSV file. */
export interface CsvTable {
  header: string[];
  /** Data rows; `lines[r]` is the 1-based line number of `rows[r]` in the file. */
  rows: string[][];
  lines: number[];
}

/** A CSV error with where it happened (1-based line; the column's name when there is one). */
export class CsvError extends DataError {
  readonly line: number | null;
  readonly column: string | null;
  constructor(message: string, line: number | null = null, column: string | null = null) {
    super(message);
    this.name = 'CsvError';
    this.line = line;
    this.column = column;
  }
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Class labels in natural order: '2' before '10'. */
const LABEL_ORDER = new Intl.Collator('en', { numeric: true });

/** Largest CSV text accepted (characters), so a huge file is refused rather than exhausting memory. */
export const MAX_CSV_CHARS = 64 * 1024 * 1024;

/**
 * Splits CSV text into cells (RFC 4180: commas, double quotes with "" escapes, CRLF or LF).
 * Blank lines are skipped.
 * @throws CsvError for an empty file, an unterminated quote, or a row whose cell count differs from the header's.
 */
export function parseCsv(text: string): CsvTable {
  if (text.length > MAX_CSV_CHARS) throw new CsvError(`The CSV file is too large (${text.length} characters; the limit is ${MAX_CSV_CHARS}).`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let sawAnything = false;
  const endCell = () => {
    cells.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    if (sawAnything) records.push({ cells, line: recordLine });
    cells = [];
    sawAnything = false;
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        // Count line breaks inside quotes as the file's lines too (LF, CRLF or a bare CR).
        if (ch === '\n' || (ch === '\r' && body[i + 1] !== '\n')) line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      quoted = true;
      quoteLine = line;
      sawAnything = true;
      cell = '';
    } else if (ch === ',') {
      sawAnything = true;
      endCell();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (ch.trim() !== '') sawAnything = true;
      cell += ch;
    }
  }
  if (quoted) throw new CsvError(`Line ${quoteLine}: a quoted cell is never closed.`, quoteLine);
  endRecord();

  if (records.length === 0) throw new CsvError('The CSV file is empty: it needs a header row and at least one row of data.');
  const header = records[0].cells.map((h) => h.trim());
  header.forEach((name, c) => {
    if (name === '') throw new CsvError(`Line ${records[0].line}: column ${c + 1} of the header has no name.`, records[0].line);
    const first = header.indexOf(name);
    if (first !== c) throw new CsvError(`Line ${records[0].line}: two columns are named '${name}'.`, records[0].line, name);
  });
  const data = records.slice(1);
  if (data.length === 0) throw new CsvError('The CSV file has a header but no rows of data.');
  for (const record of data) {
    if (record.cells.length !== header.length) {
      throw new CsvError(`Line ${record.line} has ${record.cells.length} cells but the header has ${header.length} columns.`, record.line);
    }
  }
  return { header, rows: data.map((r) => r.cells), lines: data.map((r) => r.line) };
}

/** Which columns to use, and how to read the targets. */
export interface CsvImportOptions {
  features: string[];
  targets: string[];
  /** 'numeric': the target columns are numbers (regression); 'label': each is a class label, one-hot encoded. */
  targetKind: 'numeric' | 'label';
}

/** An imported dataset, with the classes found in each label column (for showing predictions as labels). */
export interface CsvImport {
  dataset: Dataset;
  /** For label targets: column → its classes in one-hot order (natural order: '2' before '10'). */
  classes: Record<string, string[]>;
}

/**
 * Reads CSV text into a dataset.
 * @throws CsvError naming the line and column of a non-numeric cell, a missing column, or a label column with only one class.
 */
export function importCsv(text: string, options: CsvImportOptions): CsvImport {
  const table = parseCsv(text);
  if (options.features.length === 0) throw new CsvError('Choose at least one feature column.');
  if (options.targets.length === 0) throw new CsvError('Choose at least one target column.');
  const columnOf = (name: string) => {
    const c = table.header.indexOf(name);
    if (c < 0) throw new CsvError(`There is no column named '${name}'; the columns are ${table.header.map((h) => `'${h}'`).join(', ')}.`, null, name);
    return c;
  };
  for (const [kind, list] of [['feature', options.features], ['target', options.targets]] as const) {
    const twice = list.find((name, i) => list.indexOf(name) !== i);
    if (twice !== undefined) throw new CsvError(`Column '${twice}' is chosen twice as a ${kind}.`, null, twice);
  }
  const overlap = options.features.find((f) => options.targets.includes(f));
  if (overlap) throw new CsvError(`Column '${overlap}' is chosen as both a feature and a target.`, null, overlap);
  const featureColumns = options.features.map(columnOf);
  const targetColumns = options.targets.map(columnOf);

  const numberAt = (r: number, c: number): number => {
    const raw = table.rows[r][c].trim();
    // Decimal numbers only: Number() would also take '0x10' or '0b1'.
    const value = DECIMAL.test(raw) ? Number(raw) : NaN;
    if (!Number.isFinite(value)) {
      const shown = raw === '' ? 'is empty' : `'${raw.length > 30 ? `${raw.slice(0, 30)}…` : raw}' is not a number`;
      throw new CsvError(`Line ${table.lines[r]}, column '${table.header[c]}': ${shown}.`, table.lines[r], table.header[c]);
    }
    return value;
  };

  const classes: Record<string, string[]> = {};
  let targetNames: string[] = options.targets;
  if (options.targetKind === 'label') {
    targetNames = [];
    for (const c of targetColumns) {
      const name = table.header[c];
      const found = [...new Set(table.rows.map((row, r) => {
        const label = row[c].trim();
        if (label === '') throw new CsvError(`Line ${table.lines[r]}, column '${name}': the class label is empty.`, table.lines[r], name);
        return label;
      }))].sort(LABEL_ORDER.compare);
      if (found.length < 2) {
        throw new CsvError(`Column '${name}' has only one class ('${found[0]}'); a classifier needs at least two.`, null, name);
      }
      classes[name] = found;
      targetNames.push(...found.map((label) => `${name}=${label}`));
    }
  }

  const rows = table.rows.map((row, r) => {
    const x = featureColumns.map((c) => numberAt(r, c));
    const t =
      options.targetKind === 'numeric'
        ? targetColumns.map((c) => numberAt(r, c))
        : targetColumns.flatMap((c) => classes[table.header[c]].map((label) => (row[c].trim() === label ? 1 : 0)));
    return [...x, ...t];
  });
  return { dataset: datasetFromRows(options.features, targetNames, rows), classes };
}

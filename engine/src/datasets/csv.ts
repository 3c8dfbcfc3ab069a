/**
 * CSV import: a header row, then numbers. The user picks feature and target columns; a target is
 * numeric (regression), a class label (one one-hot column per class), or binary (one 0/1 column:
 * 0 and 1 kept as they are, two labels such as 'B' and 'M' mapped to 0 and 1). Every error names
 * the line and the column it concerns. `summariseColumns` says what each column holds, so the
 * dialog can suggest how to read a target (`suggestTargetKind`).
 *
 * A file is held to what a project can store (LIMITS) while it is read, so an import stops at the
 * first row that goes over instead of building something Save would refuse. Reading and importing
 * are generators that yield their progress, so a worker can report it and be stopped between
 * chunks; `parseCsv` and `importCsv` run them to the end.
 */
import { DataError, type Dataset } from './data';
import { LIMITS } from '../project/schema';
import { quoteForMessage } from '../util/quote';

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

/** Class labels in natural order: '2' before '10'. */
const LABEL_ORDER = new Intl.Collator('en', { numeric: true });

/** Largest CSV text accepted (characters; a file is held to as many bytes before it is read), so a huge file is refused rather than exhausting memory. */
export const MAX_CSV_CHARS = 64 * 1024 * 1024;

/** What a CSV import may produce: the project's own limits, so whatever imports can be saved. */
export interface CsvLimits {
  /** Characters of CSV text (and bytes of a file before it is read). */
  chars: number;
  /** Data rows (the header not counted). */
  rows: number;
  /** Features, and targets (a label target counting one per class), each; a file's header may have twice as many. */
  columns: number;
  /** Numbers of the imported data: rows × (features + targets). */
  cells: number;
  /** Characters of a column's name; a label target's name is 'column=label'. */
  nameLength: number;
}

/** The limits every import is held to unless a caller (a test) passes smaller ones. */
export const CSV_LIMITS: Readonly<CsvLimits> = Object.freeze({
  chars: MAX_CSV_CHARS,
  rows: LIMITS.datasetRows,
  columns: LIMITS.datasetColumns,
  cells: LIMITS.datasetCells,
  nameLength: LIMITS.idLength,
});

/** How far reading (characters of the text), scanning the columns or importing (data rows) has got. */
export interface CsvProgress {
  phase: 'reading' | 'scanning' | 'importing';
  done: number;
  total: number;
  /** Data rows read (reading) or imported (importing) so far. */
  rows: number;
}

/** Characters read, or cells imported, between two progress reports. */
const CHUNK = 64 * 1024;

const count = (n: number) => n.toLocaleString('en');
const at = (line: number) => `Line ${count(line)}`;
/** User text inside a message: escaped and cut short (see quote.ts). */
const q = (text: string) => `'${quoteForMessage(text)}'`;

// --- Numbers ----------------------------------------------------------------------------------

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Reads a decimal number ([+-], digits with an optional point, an optional exponent) in one pass:
 * a backtracking regular expression took quadratic time on a long run of digits that then failed.
 * Hexadecimal, binary, Infinity and NaN are not decimal numbers (Number() would take some of them).
 * @returns the value; NaN when `text` is not a decimal number; ±Infinity when it is one too large
 * for a double (such as 1e400).
 */
export function parseDecimal(text: string): number {
  const n = text.length;
  let i = 0;
  let code = text.charCodeAt(0);
  if (code === 43 || code === 45) i++;
  let digits = 0;
  while (i < n && isDigit(text.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return NaN;
  code = text.charCodeAt(i);
  if (code === 101 || code === 69) {
    i++;
    code = text.charCodeAt(i);
    if (code === 43 || code === 45) i++;
    const start = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === start) return NaN;
  }
  return i === n ? Number(text) : NaN;
}

// --- Reading ----------------------------------------------------------------------------------

/** Whitespace as String.prototype.trim sees it; the common ASCII case without a regex. */
const SPACE = /\s/;
const isSpace = (code: number) =>
  code > 32 && code < 127 ? false : code === 32 || (code >= 9 && code <= 13) || (code > 127 && SPACE.test(String.fromCharCode(code)));

/** The end offset of a cell whose raw text holds a quote, and so must be decoded. */
const QUOTED = 0x8000_0000;

/**
 * Decodes one cell's raw text by the rules `readCsv` split it with: a quote opens a quoted part
 * only where the cell so far is blank (which it then discards), "" inside quotes is a quote.
 */
function decodeCell(raw: string): string {
  let cell = '';
  let blank = true;
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quoted) {
      if (ch === '"') {
        if (raw[i + 1] === '"') {
          cell += '"';
          blank = false;
          i++;
        } else quoted = false;
      } else {
        cell += ch;
        if (blank && !isSpace(ch.charCodeAt(0))) blank = false;
      }
    } else if (ch === '"' && blank) {
      quoted = true;
      cell = '';
    } else {
      cell += ch;
      if (blank && !isSpace(ch.charCodeAt(0))) blank = false;
    }
  }
  return cell;
}

/** A growable array of 32-bit unsigned integers (a plain array of numbers would take twice the memory). */
class U32List {
  data = new Uint32Array(1024);
  length = 0;
  push(value: number) {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  truncate(length: number) {
    this.length = length;
  }
  done(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * The cells of a CSV file, held as offsets into its text (a string per cell took several times
 * the memory of the file).
 */
export class CsvCells {
  /** The header's names, trimmed. */
  readonly header: string[];
  /** Number of data rows. */
  readonly rowCount: number;
  private readonly body: string;
  /** Per cell, row by row: start and end (with QUOTED set when it must be decoded) in `body`. */
  private readonly bounds: Uint32Array;
  private readonly lines: Uint32Array;

  /** @internal Built by readCsv. */
  constructor(body: string, header: string[], bounds: Uint32Array, lines: Uint32Array) {
    this.body = body;
    this.header = header;
    this.bounds = bounds;
    this.lines = lines;
    this.rowCount = lines.length;
  }

  /** The 1-based line of the file on which data row `r` starts. */
  line(r: number): number {
    return this.lines[r];
  }

  /** The text of data row `r`'s cell in column `c`, untrimmed. */
  cell(r: number, c: number): string {
    const k = 2 * (r * this.header.length + c);
    const end = this.bounds[k + 1];
    return end & QUOTED ? decodeCell(this.body.slice(this.bounds[k], end & ~QUOTED)) : this.body.slice(this.bounds[k], end);
  }

  /** The cells of data row `r`. */
  row(r: number): string[] {
    const cells = new Array<string>(this.header.length);
    for (let c = 0; c < cells.length; c++) cells[c] = this.cell(r, c);
    return cells;
  }

  /** The data row that starts on a 1-based line of the file, or -1 when none does. */
  rowAtLine(line: number): number {
    let lo = 0;
    let hi = this.rowCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const l = this.lines[mid];
      if (l === line) return mid;
      if (l < line) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Every cell as a string, for small files and tests. */
  toTable(): CsvTable {
    const rows = new Array<string[]>(this.rowCount);
    for (let r = 0; r < this.rowCount; r++) rows[r] = this.row(r);
    return { header: [...this.header], rows, lines: Array.from(this.lines) };
  }
}

/** Refuses a file too large to read, before reading it. */
export function checkCsvFileSize(bytes: number, limits: CsvLimits = CSV_LIMITS): void {
  if (bytes > limits.chars) throw new CsvError(`The CSV file is too large (${bytes} bytes; the limit is ${limits.chars}).`);
}

/**
 * Splits CSV text into cells (RFC 4180: commas, double quotes with "" escapes, CRLF or LF),
 * yielding its progress every 64 Ki characters. Blank lines are skipped.
 * @throws CsvError for an empty file, an unterminated quote, a header with an empty or repeated
 * name, a row whose cell count differs from the header's, or a file with more rows than `limits`
 * (naming the first line over) or more columns than a project could use. Cells are counted when
 * the chosen columns are imported, since unused columns are never stored.
 */
export function* readCsv(text: string, limits: CsvLimits = CSV_LIMITS): Generator<CsvProgress, CsvCells> {
  if (text.length > limits.chars)
    throw new CsvError(`The CSV file is too large (${text.length} characters; the limit is ${limits.chars}).`);
  if (text.length >= QUOTED) throw new CsvError(`The CSV file is too large (${text.length} characters).`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = body.length;
  // Set by the first record; `as` because TypeScript does not see the closures assign it.
  let header = null as string[] | null;
  const bounds = new U32List();
  const lines = new U32List();
  // The record being read: where its cells start in `bounds`, and its first line.
  let recordStart = 0;
  let recordLine = 1;
  let line = 1;
  let cellStart = 0;
  let cellHasQuote = false;
  let blank = true;
  let quoted = false;
  let quoteLine = 0;
  let sawAnything = false;
  let nextReport = CHUNK;

  const endCell = (end: number) => {
    bounds.push(cellStart);
    bounds.push(cellHasQuote ? end | QUOTED : end);
    // More columns than a project could use as features and targets: also more than the dialog can show.
    if (header === null && bounds.length - recordStart > 4 * limits.columns) {
      throw new CsvError(
        `${at(recordLine)}: the header has more than ${count(2 * limits.columns)} columns, more than a project can use (${count(limits.columns)} features and ${count(limits.columns)} targets).`,
        recordLine,
      );
    }
    cellHasQuote = false;
    blank = true;
  };
  const endRecord = (end: number) => {
    endCell(end);
    const cells = (bounds.length - recordStart) / 2;
    if (!sawAnything) bounds.truncate(recordStart);
    else if (header === null) {
      const names = new CsvCells(body, new Array<string>(cells).fill(''), bounds.done().slice(recordStart), Uint32Array.of(recordLine))
        .row(0)
        .map((h) => h.trim());
      const seen = new Set<string>();
      names.forEach((name, c) => {
        if (name === '') throw new CsvError(`${at(recordLine)}: column ${c + 1} of the header has no name.`, recordLine);
        if (seen.has(name)) throw new CsvError(`${at(recordLine)}: two columns are named ${q(name)}.`, recordLine, name);
        seen.add(name);
      });
      header = names;
      bounds.truncate(0);
    } else {
      if (cells !== header.length) {
        throw new CsvError(`${at(recordLine)} has ${cells} cells but the header has ${header.length} columns.`, recordLine);
      }
      if (lines.length === limits.rows) {
        throw new CsvError(`${at(recordLine)}: the data has more than ${count(limits.rows)} rows, the most a project holds.`, recordLine);
      }
      lines.push(recordLine);
    }
    recordStart = bounds.length;
    sawAnything = false;
  };

  for (let i = 0; i < n; i++) {
    if (i >= nextReport) {
      nextReport += CHUNK;
      yield { phase: 'reading', done: i, total: n, rows: lines.length };
    }
    const code = body.charCodeAt(i);
    if (quoted) {
      if (code === 34) {
        if (body.charCodeAt(i + 1) === 34) {
          blank = false;
          i++;
        } else quoted = false;
      } else {
        // Count line breaks inside quotes as the file's lines too (LF, CRLF or a bare CR).
        if (code === 10 || (code === 13 && body.charCodeAt(i + 1) !== 10)) line++;
        if (blank && !isSpace(code)) blank = false;
      }
      continue;
    }
    if (code === 34 && blank) {
      quoted = true;
      quoteLine = line;
      sawAnything = true;
      cellHasQuote = true;
    } else if (code === 44) {
      sawAnything = true;
      endCell(i);
      cellStart = i + 1;
    } else if (code === 10 || code === 13) {
      endRecord(i);
      if (code === 13 && body.charCodeAt(i + 1) === 10) i++;
      cellStart = i + 1;
      line++;
      recordLine = line;
    } else {
      if (code === 34) cellHasQuote = true;
      if (!isSpace(code)) {
        sawAnything = true;
        blank = false;
      }
    }
  }
  if (quoted) throw new CsvError(`${at(quoteLine)}: a quoted cell is never closed.`, quoteLine);
  endRecord(n);

  if (header === null) throw new CsvError('The CSV file is empty: it needs a header row and at least one row of data.');
  if (lines.length === 0) throw new CsvError('The CSV file has a header but no rows of data.');
  return new CsvCells(body, header, bounds.done(), lines.done());
}

/** Runs a reading or importing generator to its end, ignoring its progress. */
function finish<T>(steps: Generator<CsvProgress, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Splits CSV text into cells: `readCsv` run to the end, every cell as a string.
 * @throws CsvError as `readCsv` does.
 */
export function parseCsv(text: string, limits: CsvLimits = CSV_LIMITS): CsvTable {
  return finish(readCsv(text, limits)).toTable();
}

// --- What the columns hold ---------------------------------------------------------------------

/**
 * The distinct values of a column, as a binary target tells them apart: cells that read as the
 * same number are one value ('1' and '1.0'; numbers in a Map, so 0 and -0 too), other text by its
 * trimmed spelling. Numbers and text apart, so that the text '1' never meets the number 1 by accident.
 */
class ValueSet {
  private readonly numbers = new Map<number, number>();
  private readonly texts = new Map<string, number>();
  /** Each value's first spelling, in the order first seen. */
  readonly spellings: string[] = [];
  /** Each value's number, or NaN for text. */
  readonly numbersOf: number[] = [];

  get size(): number {
    return this.spellings.length;
  }

  /** The index of a value (as `add` tells values apart), or -1 when it is not in the set. */
  find(trimmed: string): number {
    const value = parseDecimal(trimmed);
    return (Number.isFinite(value) ? this.numbers.get(value) : this.texts.get(trimmed)) ?? -1;
  }

  /** The value's index, adding it when it is new (then the index is `size - 1`); `value` is the cell read as a number. */
  add(trimmed: string, value: number = parseDecimal(trimmed)): number {
    const numeric = Number.isFinite(value);
    const known = numeric ? this.numbers.get(value) : this.texts.get(trimmed);
    if (known !== undefined) return known;
    const index = this.spellings.length;
    if (numeric) this.numbers.set(value, index);
    else this.texts.set(trimmed, index);
    this.spellings.push(trimmed);
    this.numbersOf.push(numeric ? value : NaN);
    return index;
  }
}

/** What one column of a file holds, enough to suggest how to read it as a target. */
export interface CsvColumnSummary {
  /** How many distinct values it has (cells that read as the same number count once), counted up to 3: 3 means three or more. */
  distinct: number;
  /** Its first two distinct values as written (trimmed), in the order first seen. */
  values: string[];
  /** Whether every cell is a decimal number. */
  numeric: boolean;
  /** Whether some cell is empty (which no kind of target accepts). */
  empty: boolean;
}

/**
 * What each column of a file holds: its distinct values (up to three) and whether every cell is
 * a number, yielding progress every 64 Ki cells. A column already known to hold three or more
 * values, not all numbers, is not looked at again.
 */
export function* summariseColumns(table: CsvCells): Generator<CsvProgress, CsvColumnSummary[]> {
  const columns = table.header.length;
  const sets = table.header.map(() => new ValueSet());
  const numeric = table.header.map(() => true);
  const empty = table.header.map(() => false);
  const every = Math.max(1, Math.floor(CHUNK / columns));
  for (let r = 0; r < table.rowCount; r++) {
    if (r % every === 0) yield { phase: 'scanning', done: r, total: table.rowCount, rows: r };
    for (let c = 0; c < columns; c++) {
      const set = sets[c];
      if (set.size >= 3 && !numeric[c]) continue;
      const cell = table.cell(r, c).trim();
      if (cell === '') {
        empty[c] = true;
        numeric[c] = false;
        continue;
      }
      const value = parseDecimal(cell);
      if (!Number.isFinite(value)) numeric[c] = false;
      if (set.size < 3) set.add(cell, value);
    }
  }
  return sets.map((set, c) => ({
    distinct: Math.min(3, set.size),
    values: set.spellings.slice(0, 2),
    numeric: numeric[c],
    empty: empty[c],
  }));
}

/**
 * How to read target columns, judged from what they hold: a column with exactly two values is
 * `binary` (0/1 as it is, two labels mapped to 0/1), several text labels are one-hot `label`s,
 * numbers with more values are `numeric` (regression); a constant column is a number if it is one,
 * else a label (whose import then says a classifier needs two classes). Columns that disagree are
 * read as labels unless one of them is a many-valued number, which only `numeric` can read.
 */
export function suggestTargetKind(columns: readonly CsvColumnSummary[]): CsvTargetKind {
  const kinds = columns.map((column): CsvTargetKind =>
    column.distinct === 2 ? 'binary' : column.numeric && !column.empty ? 'numeric' : 'label',
  );
  if (kinds.length === 0) return 'label';
  if (kinds.every((kind) => kind === kinds[0])) return kinds[0];
  return kinds.includes('numeric') && columns.every((column) => column.numeric) ? 'numeric' : 'label';
}

// --- Importing --------------------------------------------------------------------------------

/** How target columns are read: numbers (regression), class labels (one-hot), or one 0/1 column each. */
export type CsvTargetKind = 'numeric' | 'label' | 'binary';

/** Which columns to use, and how to read the targets. */
export interface CsvImportOptions {
  features: string[];
  targets: string[];
  /**
   * 'numeric': the target columns are numbers (regression); 'label': each is a class label,
   * one-hot encoded; 'binary': each has exactly two values and becomes one 0/1 column under its
   * own name (0 and 1 kept as they are; other numbers, the larger is 1; labels, the later in
   * natural order is 1, unless `positive` says).
   */
  targetKind: CsvTargetKind;
  /** For binary targets: per column, the value read as 1 (the other is 0). Own properties only, so a column may be named '__proto__'. */
  positive?: Record<string, string>;
}

/** An imported dataset, with the classes found in each label column (for showing predictions as labels). */
export interface CsvImport {
  dataset: Dataset;
  /**
   * For label targets: column → its classes in one-hot order (natural order: '2' before '10');
   * for binary targets: column → the names of 0 and 1 (['0', '1'] for a 0/1 column, ['B', 'M']
   * for B read as 0 and M as 1). Own properties only, so a column may be named '__proto__'.
   */
  classes: Record<string, string[]>;
}

/**
 * Reads the chosen columns of a file's cells into a dataset, yielding its progress. Rows are read
 * in order and the first problem stops the import.
 * @throws CsvError naming the line and column of a non-numeric or out-of-range cell or an empty
 * label, a missing column, a label column with only one class, a name too long for a project, or
 * the first row at which the data would have more target columns (one per class of a label) or
 * more cells than `limits`.
 */
export function* importCells(
  table: CsvCells,
  options: CsvImportOptions,
  limits: CsvLimits = CSV_LIMITS,
): Generator<CsvProgress, CsvImport> {
  const { header } = table;
  if (options.features.length === 0) throw new CsvError('Choose at least one feature column.');
  if (options.targets.length === 0) throw new CsvError('Choose at least one target column.');
  const index = new Map<string, number>();
  header.forEach((name, c) => index.set(name, c));
  const columnOf = (name: string) => {
    const c = index.get(name);
    if (c === undefined) {
      const listed =
        header.length > 20 ? `${header.slice(0, 20).map(q).join(', ')} and ${count(header.length - 20)} more` : header.map(q).join(', ');
      throw new CsvError(`There is no column named ${q(name)}; the columns are ${listed}.`, null, name);
    }
    return c;
  };
  for (const [kind, list] of [
    ['feature', options.features],
    ['target', options.targets],
  ] as const) {
    const seen = new Set<string>();
    for (const name of list) {
      if (seen.has(name)) throw new CsvError(`Column ${q(name)} is chosen twice as a ${kind}.`, null, name);
      seen.add(name);
    }
  }
  const targetSet = new Set(options.targets);
  const overlap = options.features.find((f) => targetSet.has(f));
  if (overlap !== undefined) throw new CsvError(`Column ${q(overlap)} is chosen as both a feature and a target.`, null, overlap);
  const featureColumns = options.features.map(columnOf);
  const targetColumns = options.targets.map(columnOf);
  const label = options.targetKind === 'label';
  const binary = options.targetKind === 'binary';
  for (const name of label ? options.features : [...options.features, ...options.targets]) {
    if (name.length > limits.nameLength) {
      throw new CsvError(
        `Column ${q(name)} has a name of ${count(name.length)} characters, more than the ${count(limits.nameLength)} a project holds.`,
        null,
        name,
      );
    }
  }

  const rows = table.rowCount;
  const nf = featureColumns.length;
  // Rows that can fit with the narrowest targets (a label column has at least one class): the
  // import stops by that row, so nothing larger is ever allocated.
  const fit = Math.min(rows, Math.floor(limits.cells / (nf + targetColumns.length)));
  const x = new Float64Array(fit * nf);
  const numberAt = (r: number, c: number): number => {
    const raw = table.cell(r, c).trim();
    const value = parseDecimal(raw);
    if (Number.isFinite(value)) return value;
    const shown =
      raw === ''
        ? 'is empty'
        : Number.isNaN(value)
          ? `${q(raw)} is not a number`
          : `${q(raw)} is out of range (beyond ±1.8e308, the largest a number can be)`;
    throw new CsvError(`${at(table.line(r))}, column ${q(header[c])}: ${shown}.`, table.line(r), header[c]);
  };
  const tooMany = (what: string, chosen: number) => {
    if (chosen > limits.columns)
      throw new CsvError(`${count(chosen)} columns are chosen as ${what}s; a project holds at most ${count(limits.columns)}.`);
  };
  tooMany('feature', nf);
  if (!label) tooMany('target', targetColumns.length);
  const tooLarge = (r: number, width: number) => {
    if ((r + 1) * width > limits.cells) {
      throw new CsvError(
        `${at(table.line(r))}: the data would have more than ${count(limits.cells)} numbers (rows × columns), the most a project holds.`,
        table.line(r),
      );
    }
  };
  const every = Math.max(1, Math.floor(CHUNK / (nf + targetColumns.length)));

  if (binary) return yield* importBinary(table, options, featureColumns, targetColumns, { x, fit, every, numberAt, tooLarge });

  if (!label) {
    const nt = targetColumns.length;
    const y = new Float64Array(fit * nt);
    for (let r = 0; r < rows; r++) {
      if (r % every === 0) yield { phase: 'importing', done: r, total: rows, rows: r };
      tooLarge(r, nf + nt);
      for (let f = 0; f < nf; f++) x[r * nf + f] = numberAt(r, featureColumns[f]);
      for (let t = 0; t < nt; t++) y[r * nt + t] = numberAt(r, targetColumns[t]);
    }
    return { dataset: { features: [...options.features], targets: [...options.targets], size: rows, x, y }, classes: {} };
  }

  // Labels: each row's class per label column as the order it was first seen, then one-hot in
  // natural order once every class is known. Maps, since a label may be any string ('__proto__').
  const nl = targetColumns.length;
  const seen = targetColumns.map(() => new Map<string, number>());
  const codes = new Uint32Array(fit * nl);
  let classCount = 0;
  for (let r = 0; r < rows; r++) {
    if (r % every === 0) yield { phase: 'importing', done: r, total: rows, rows: r };
    tooLarge(r, nf + Math.max(nl, classCount));
    for (let f = 0; f < nf; f++) x[r * nf + f] = numberAt(r, featureColumns[f]);
    for (let t = 0; t < nl; t++) {
      const c = targetColumns[t];
      const value = table.cell(r, c).trim();
      if (value === '')
        throw new CsvError(`${at(table.line(r))}, column ${q(header[c])}: the class label is empty.`, table.line(r), header[c]);
      let code = seen[t].get(value);
      if (code === undefined) {
        const name = `${header[c]}=${value}`;
        if (name.length > limits.nameLength) {
          throw new CsvError(
            `${at(table.line(r))}, column ${q(header[c])}: the class ${q(value)} makes a target name of ${count(name.length)} characters, more than the ${count(limits.nameLength)} a project holds.`,
            table.line(r),
            header[c],
          );
        }
        code = seen[t].size;
        seen[t].set(value, code);
        if (++classCount > limits.columns) {
          throw new CsvError(
            `${at(table.line(r))}, column ${q(header[c])}: class ${q(value)} is one too many: the targets would be ${count(classCount)} columns (one per class), more than the ${count(limits.columns)} a project holds.`,
            table.line(r),
            header[c],
          );
        }
      }
      codes[r * nl + t] = code;
    }
    tooLarge(r, nf + classCount);
  }

  const classes: [string, string[]][] = [];
  const targetNames: string[] = [];
  const offsets: number[] = [];
  const orders: Uint32Array[] = [];
  targetColumns.forEach((c, t) => {
    const name = header[c];
    const found = [...seen[t].keys()].sort(LABEL_ORDER.compare);
    if (found.length < 2) {
      throw new CsvError(`Column ${q(name)} has only one class (${q(found[0])}); a classifier needs at least two.`, null, name);
    }
    const order = new Uint32Array(found.length);
    found.forEach((value, k) => (order[seen[t].get(value)!] = k));
    offsets.push(targetNames.length);
    orders.push(order);
    for (const value of found) targetNames.push(`${name}=${value}`);
    classes.push([name, found]);
  });
  const nt = targetNames.length;
  const y = new Float64Array(rows * nt);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < nl; t++) y[r * nt + offsets[t] + orders[t][codes[r * nl + t]]] = 1;
  }
  // fromEntries defines own properties: assigning classes['__proto__'] would set the prototype.
  return { dataset: { features: [...options.features], targets: targetNames, size: rows, x, y }, classes: Object.fromEntries(classes) };
}

/** What importCells has set up for the rows, shared with the binary import. */
interface RowReader {
  /** The features, for as many rows as can fit. */
  x: Float64Array;
  fit: number;
  /** Rows between two progress reports. */
  every: number;
  numberAt(r: number, c: number): number;
  /** Refuses row `r` when the data would then have more numbers than the limits allow. */
  tooLarge(r: number, width: number): void;
}

/**
 * The binary import: each target column's two values become 0 and 1, in one column under the
 * column's own name. Rows are read in order; a third value, an empty cell or a column with one
 * value stops it with the line and column named.
 */
function* importBinary(
  table: CsvCells,
  options: CsvImportOptions,
  featureColumns: number[],
  targetColumns: number[],
  rows: RowReader,
): Generator<CsvProgress, CsvImport> {
  const { header } = table;
  const size = table.rowCount;
  const nf = featureColumns.length;
  const nt = targetColumns.length;
  const { x, every, numberAt, tooLarge } = rows;
  const sets = targetColumns.map(() => new ValueSet());
  // Each row's value per column as the set's index (0 or 1), turned into 0/1 once both are known.
  const codes = new Uint8Array(rows.fit * nt);
  for (let r = 0; r < size; r++) {
    if (r % every === 0) yield { phase: 'importing', done: r, total: size, rows: r };
    tooLarge(r, nf + nt);
    for (let f = 0; f < nf; f++) x[r * nf + f] = numberAt(r, featureColumns[f]);
    for (let t = 0; t < nt; t++) {
      const c = targetColumns[t];
      const value = table.cell(r, c).trim();
      const where = `${at(table.line(r))}, column ${q(header[c])}`;
      if (value === '') throw new CsvError(`${where}: the value is empty.`, table.line(r), header[c]);
      const set = sets[t];
      const code = set.add(value);
      if (code >= 2) {
        throw new CsvError(
          `${where}: ${q(value)} is a third value (after ${q(set.spellings[0])} and ${q(set.spellings[1])}); a binary target has exactly two — read the targets as class labels (one-hot) instead.`,
          table.line(r),
          header[c],
        );
      }
      codes[r * nt + t] = code;
    }
  }

  const classes: [string, string[]][] = [];
  // Per column: which of the set's two values is 1.
  const oneOf: number[] = [];
  targetColumns.forEach((c, t) => {
    const name = header[c];
    const set = sets[t];
    if (set.size < 2) {
      throw new CsvError(`Column ${q(name)} has only one value (${q(set.spellings[0])}); a binary target needs two.`, null, name);
    }
    const [a, b] = set.numbersOf;
    const chosen = options.positive && Object.hasOwn(options.positive, name) ? options.positive[name] : undefined;
    let one: number;
    if (chosen !== undefined) {
      one = set.find(chosen.trim());
      if (one < 0) {
        throw new CsvError(
          `Column ${q(name)} has no value ${q(chosen)} to read as 1; its values are ${q(set.spellings[0])} and ${q(set.spellings[1])}.`,
          null,
          name,
        );
      }
    } else if (!Number.isNaN(a) && !Number.isNaN(b)) one = a > b ? 0 : 1;
    else one = LABEL_ORDER.compare(set.spellings[0], set.spellings[1]) > 0 ? 0 : 1;
    oneOf.push(one);
    const zeroOne = (a === 0 && b === 1) || (a === 1 && b === 0);
    // A 0/1 column read the usual way keeps its numbers, and is named by them.
    const names = zeroOne && set.numbersOf[one] === 1 ? ['0', '1'] : [set.spellings[1 - one], set.spellings[one]];
    classes.push([name, names]);
  });
  const y = new Float64Array(size * nt);
  for (let r = 0; r < size; r++) for (let t = 0; t < nt; t++) y[r * nt + t] = codes[r * nt + t] === oneOf[t] ? 1 : 0;
  return {
    dataset: { features: [...options.features], targets: [...options.targets], size, x, y },
    // fromEntries defines own properties: assigning classes['__proto__'] would set the prototype.
    classes: Object.fromEntries(classes),
  };
}

/**
 * Reads CSV text into a dataset: `readCsv` then `importCells`, run to the end.
 * @throws CsvError as those do.
 */
export function importCsv(text: string, options: CsvImportOptions, limits: CsvLimits = CSV_LIMITS): CsvImport {
  return finish(importCells(finish(readCsv(text, limits)), options, limits));
}

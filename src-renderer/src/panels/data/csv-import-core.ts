/**
 * The CSV import worker's core: reads the file and imports the chosen columns off the renderer's
 * thread, reporting progress between chunks. Written against a `post` function and plain
 * messages, so tests drive it without a browser; csv-import-worker.ts wires it to the worker.
 *
 * The protocol: the dialog sends `open` (a file: read, then each column summarised) and then
 * `import` for each choice of columns, each with a new id. A newer request supersedes an older
 * one, which stops at its next chunk and sends nothing more. Every reply carries the id of its
 * request. The dialog cancels by terminating the worker.
 */
import {
  checkCsvFileSize,
  CSV_LIMITS,
  importCells,
  readCsv,
  summariseColumns,
  type CsvCells,
  type CsvColumnSummary,
  type CsvImportOptions,
  type CsvLimits,
  type CsvProgress,
} from '../../../../engine/src/index';
import { previewOf, problemOf, type CsvPreview, type CsvProblem } from './csv-preview';

/** A request from the dialog. */
export type CsvWorkerRequest = { type: 'open'; id: number; file: Blob } | { type: 'import'; id: number; options: CsvImportOptions };

/** An imported dataset, as plain data (its arrays are transferred, not copied). */
export interface ImportedData {
  features: string[];
  targets: string[];
  size: number;
  x: Float64Array;
  y: Float64Array;
  classes: Record<string, string[]>;
}

/** How far the worker has got: loading the file's bytes (`done` and `total` in bytes), then reading and importing it. */
export type CsvWorkerProgress = CsvProgress | { phase: 'loading'; done: number; total: number; rows: 0 };

/** A reply to the dialog. */
export type CsvWorkerReply =
  | { type: 'progress'; id: number; progress: CsvWorkerProgress }
  /** The file is read: its preview, and what each column holds (to suggest how to read a target). */
  | { type: 'opened'; id: number; preview: CsvPreview; columns: CsvColumnSummary[] }
  | { type: 'imported'; id: number; data: ImportedData }
  | { type: 'problem'; id: number; problem: CsvProblem };

export interface CsvWorkerCoreOptions {
  /** Sends a reply; `transfer` lists buffers to move rather than copy. */
  post(reply: CsvWorkerReply, transfer?: Transferable[]): void;
  limits?: CsvLimits;
  /** Lets newer requests in (the worker: a macrotask). */
  pause?: () => Promise<void>;
  /** Milliseconds, for spacing the progress reports. */
  now?: () => number;
  /** Least time between two progress reports (and chances to see a newer request). */
  reportEvery?: number;
}

const SUPERSEDED = Symbol('superseded');

/** The handler of the worker's requests. Resolves when the request is answered or superseded. */
export function createCsvWorkerCore(options: CsvWorkerCoreOptions): (request: CsvWorkerRequest) => Promise<void> {
  const {
    post,
    limits = CSV_LIMITS,
    pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
    now = () => Date.now(),
    reportEvery = 50,
  } = options;
  let latest = -1;
  let text = '';
  let table: CsvCells | null = null;

  /** Runs a reading or importing generator, reporting progress; stops when a newer request has come. */
  async function drive<T>(id: number, steps: Generator<CsvProgress, T>): Promise<T | typeof SUPERSEDED> {
    let last = now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (now() - last >= reportEvery) {
        post({ type: 'progress', id, progress: step.value });
        await pause();
        if (latest !== id) return SUPERSEDED;
        last = now();
      }
    }
  }

  /** The file's text, decoded as UTF-8 chunk by chunk so that loading a large file reports its progress too. */
  async function load(id: number, file: Blob): Promise<string | typeof SUPERSEDED> {
    post({ type: 'progress', id, progress: { phase: 'loading', done: 0, total: file.size, rows: 0 } });
    const reader = file.stream().getReader();
    const decoder = new TextDecoder('utf-8');
    const parts: string[] = [];
    let loaded = 0;
    let last = now();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (latest !== id) return SUPERSEDED;
        if (done) break;
        loaded += value.byteLength;
        parts.push(decoder.decode(value, { stream: true }));
        if (now() - last >= reportEvery) {
          post({ type: 'progress', id, progress: { phase: 'loading', done: loaded, total: file.size, rows: 0 } });
          last = now();
        }
      }
    } finally {
      if (latest !== id) void reader.cancel().catch(() => undefined);
    }
    parts.push(decoder.decode());
    return parts.join('');
  }

  async function open(id: number, file: Blob): Promise<void> {
    table = null;
    text = '';
    checkCsvFileSize(file.size, limits);
    const content = await load(id, file);
    if (content === SUPERSEDED) return;
    text = content;
    const read = await drive(id, readCsv(content, limits));
    if (read === SUPERSEDED) return;
    const columns = await drive(id, summariseColumns(read));
    if (columns === SUPERSEDED) return;
    table = read;
    post({ type: 'opened', id, preview: previewOf(read), columns });
  }

  async function run(id: number, choice: CsvImportOptions): Promise<void> {
    if (!table) throw new Error('no file has been read');
    post({ type: 'progress', id, progress: { phase: 'importing', done: 0, total: table.rowCount, rows: 0 } });
    const result = await drive(id, importCells(table, choice, limits));
    if (result === SUPERSEDED) return;
    const { dataset, classes } = result;
    const data: ImportedData = {
      features: dataset.features,
      targets: dataset.targets,
      size: dataset.size,
      x: dataset.x,
      y: dataset.y,
      classes,
    };
    post({ type: 'imported', id, data }, [dataset.x.buffer, dataset.y.buffer]);
  }

  return async (request) => {
    latest = request.id;
    try {
      if (request.type === 'open') await open(request.id, request.file);
      else await run(request.id, request.options);
    } catch (error) {
      if (latest === request.id) post({ type: 'problem', id: request.id, problem: problemOf(error, text, table) });
    }
  };
}

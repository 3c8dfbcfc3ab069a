/**
 * The CSV import worker's protocol, run on its core directly (no browser, no worker): open a
 * file, import a choice of columns, progress on the way, problems with the row they concern, a
 * newer request superseding an older one, and the size limit before anything is read.
 */
import { describe, expect, it } from 'vitest';
import { CSV_LIMITS, importCsv, type CsvImportOptions } from '../../../../engine/src/index';
import { createCsvWorkerCore, type CsvWorkerReply, type CsvWorkerRequest } from './csv-import-core';

/** A core whose clock moves 1 ms per reading, so every chunk reports progress. */
function harness(limits = CSV_LIMITS) {
  const replies: CsvWorkerReply[] = [];
  const transfers: Transferable[][] = [];
  let clock = 0;
  const handle = createCsvWorkerCore({
    post: (reply, transfer = []) => {
      replies.push(reply);
      transfers.push(transfer);
    },
    limits,
    now: () => clock++,
    reportEvery: 1,
    pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
  });
  return { replies, transfers, handle: (request: CsvWorkerRequest) => handle(request) };
}

const file = (text: string) => new Blob([text], { type: 'text/csv' });
const kinds = (replies: CsvWorkerReply[]) => replies.map((r) => r.type);
const options = (features: string[], targets: string[], targetKind: CsvImportOptions['targetKind'] = 'label'): CsvImportOptions => ({
  features,
  targets,
  targetKind,
});

describe('CSV import worker core', () => {
  it('open: reports progress through the file, then a preview of its first rows', async () => {
    const text = ['x,y,label', ...Array.from({ length: 50_000 }, (_, r) => `${r},${r % 10},${r % 3 ? 'a' : 'b'}`)].join('\n');
    const { replies, handle } = harness();
    await handle({ type: 'open', id: 1, file: file(text) });
    expect(replies.every((r) => r.id === 1)).toBe(true);
    const progress = replies.filter((r) => r.type === 'progress').map((r) => r.progress);
    // Loading: one report before the first byte, then per chunk of the file's stream, up to its size.
    const loading = progress.filter((p) => p.phase === 'loading');
    expect(loading[0]).toEqual({ phase: 'loading', done: 0, total: text.length, rows: 0 });
    expect(loading.length).toBeGreaterThan(1);
    expect(loading.at(-1)!.done).toBe(text.length);
    // Reading: one report per 64 Ki characters, after every loading report; then scanning the
    // columns, one report per 64 Ki cells (21,845 rows of 3), by rows.
    const reading = progress.slice(
      loading.length,
      progress.findIndex((p) => p.phase === 'scanning'),
    );
    expect(reading.every((p) => p.phase === 'reading' && p.total === text.length)).toBe(true);
    expect(reading.length).toBe(Math.floor((text.length - 1) / 65_536));
    const scanning = progress.slice(loading.length + reading.length);
    expect(scanning.map((p) => [p.phase, p.done, p.total])).toEqual([
      ['scanning', 0, 50_000],
      ['scanning', 21_845, 50_000],
      ['scanning', 43_690, 50_000],
    ]);
    for (const phase of [loading, reading]) for (let k = 1; k < phase.length; k++) expect(phase[k].done).toBeGreaterThan(phase[k - 1].done);
    const last = replies.at(-1)!;
    expect(last.type).toBe('opened');
    if (last.type !== 'opened') return;
    // What each column holds: x and y numbers with many values, label two text labels.
    expect(last.columns).toEqual([
      { distinct: 3, values: ['0', '1'], numeric: true, empty: false },
      { distinct: 3, values: ['0', '1'], numeric: true, empty: false },
      { distinct: 2, values: ['b', 'a'], numeric: false, empty: false },
    ]);
    expect(last.preview.header).toEqual(['x', 'y', 'label']);
    expect(last.preview.rowCount).toBe(50_000);
    expect(last.preview.rows).toHaveLength(8);
    expect(last.preview.rows[7]).toEqual(['7', '7', 'a']);
    expect(last.preview.lines[7]).toBe(9);
  });

  it('import: reports rows done, then the dataset with its arrays transferred', async () => {
    const text = ['x,y,label', ...Array.from({ length: 30_000 }, (_, r) => `${r},${r % 10},${r % 3 ? 'a' : 'b'}`)].join('\n');
    const { replies, transfers, handle } = harness();
    await handle({ type: 'open', id: 1, file: file(text) });
    replies.length = 0;
    await handle({ type: 'import', id: 2, options: options(['x', 'y'], ['label']) });
    expect(kinds(replies).slice(0, 2)).toEqual(['progress', 'progress']);
    expect(replies[0]).toEqual({ type: 'progress', id: 2, progress: { phase: 'importing', done: 0, total: 30_000, rows: 0 } });
    const last = replies.at(-1)!;
    if (last.type !== 'imported') throw new Error(`expected imported, got ${last.type}`);
    expect(last.id).toBe(2);
    const direct = importCsv(text, options(['x', 'y'], ['label']));
    expect(last.data.targets).toEqual(['label=a', 'label=b']);
    expect(last.data.classes).toEqual({ label: ['a', 'b'] });
    expect(last.data.size).toBe(30_000);
    expect(Array.from(last.data.x.subarray(0, 6))).toEqual(Array.from(direct.dataset.x.subarray(0, 6)));
    expect(last.data.y[2 * 29_999 + 1]).toBe(direct.dataset.y[2 * 29_999 + 1]);
    expect(transfers.at(-1)).toEqual([last.data.x.buffer, last.data.y.buffer]);
  });

  it('a problem in a row far down comes with that row, so the dialog can show it', async () => {
    const rows = Array.from({ length: 40 }, (_, r) => (r === 29 ? `${r},1e400,a` : `${r},${r},${r % 2 ? 'a' : 'b'}`));
    const { replies, handle } = harness();
    await handle({ type: 'open', id: 1, file: file(['x,y,label', ...rows].join('\n')) });
    await handle({ type: 'import', id: 2, options: options(['x', 'y'], ['label']) });
    expect(replies.at(-1)).toEqual({
      type: 'problem',
      id: 2,
      problem: {
        message: "Line 31, column 'y': '1e400' is out of range (beyond ±1.8e308, the largest a number can be).",
        line: 31,
        column: 'y',
        row: { index: 29, cells: ['29', '1e400', 'a'] },
      },
    });
  });

  it('a file over a limit: the problem names the limit and the line, and there is no preview', async () => {
    const { replies, handle } = harness({ ...CSV_LIMITS, rows: 3 });
    await handle({ type: 'open', id: 1, file: file('a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n') });
    expect(kinds(replies)).not.toContain('opened');
    expect(replies.at(-1)).toEqual({
      type: 'problem',
      id: 1,
      problem: { message: 'Line 5: the data has more than 3 rows, the most a project holds.', line: 5, column: null, raw: '7,8' },
    });
  });

  it("decodes UTF-8 across the stream's chunks and drops a byte order mark, as reading the file at once would", async () => {
    // Multi-byte characters on every row, in a blob of 997-byte parts (which it streams part by
    // part), so that many characters straddle two chunks.
    const text = `\uFEFFx,label\n${Array.from({ length: 40_000 }, (_, r) => `${r},é😀${r % 2}`).join('\n')}`;
    const bytes = new TextEncoder().encode(text);
    const parts: Uint8Array<ArrayBuffer>[] = [];
    for (let i = 0; i < bytes.length; i += 997) parts.push(bytes.subarray(i, i + 997));
    const { replies, handle } = harness();
    await handle({ type: 'open', id: 1, file: new Blob(parts) });
    expect(replies.filter((r) => r.type === 'progress' && r.progress.phase === 'loading').length).toBeGreaterThan(100);
    await handle({ type: 'import', id: 2, options: options(['x'], ['label']) });
    const opened = replies.find((r) => r.type === 'opened');
    expect(opened?.type === 'opened' && opened.preview.header).toEqual(['x', 'label']);
    const last = replies.at(-1)!;
    expect(last.type === 'imported' && last.data.classes).toEqual({ label: ['é😀0', 'é😀1'] });
    expect(last.type === 'imported' && last.data.size).toBe(40_000);
  });

  it('a file larger than the limit is refused before it is read', async () => {
    const { replies, handle } = harness({ ...CSV_LIMITS, chars: 10 });
    let read = false;
    const big = { size: 11, text: async () => ((read = true), 'a,b\n1,2\n') } as unknown as Blob;
    await handle({ type: 'open', id: 1, file: big });
    expect(read).toBe(false);
    expect(replies).toEqual([
      { type: 'problem', id: 1, problem: { message: 'The CSV file is too large (11 bytes; the limit is 10).', line: null, column: null } },
    ]);
  });

  it('a newer request supersedes one under way: the older stops at its next chunk and sends nothing more', async () => {
    const text = ['x,y,label', ...Array.from({ length: 60_000 }, (_, r) => `${r},${r % 10},${r % 3 ? 'a' : 'b'}`)].join('\n');
    const { replies, handle } = harness();
    await handle({ type: 'open', id: 1, file: file(text) });
    replies.length = 0;
    const first = handle({ type: 'import', id: 2, options: options(['x', 'y'], ['label']) });
    const second = handle({ type: 'import', id: 3, options: options(['x'], ['y'], 'numeric') });
    await Promise.all([first, second]);
    const fromFirst = replies.filter((r) => r.id === 2);
    // The first got as far as its first pause, then saw the newer request.
    expect(kinds(fromFirst)).toEqual(['progress', 'progress']);
    const last = replies.at(-1)!;
    expect(last).toMatchObject({ type: 'imported', id: 3 });
    if (last.type === 'imported') expect(last.data.targets).toEqual(['y']);
  });

  it('a newer file supersedes one being read', async () => {
    const big = ['a,b', ...Array.from({ length: 60_000 }, (_, r) => `${r},${r}`)].join('\n');
    const { replies, handle } = harness();
    const first = handle({ type: 'open', id: 1, file: file(big) });
    const second = handle({ type: 'open', id: 2, file: file('p,q\n1,2\n') });
    await Promise.all([first, second]);
    expect(replies.filter((r) => r.type === 'opened').map((r) => r.id)).toEqual([2]);
    expect(replies.filter((r) => r.id === 1).every((r) => r.type === 'progress')).toBe(true);
  });

  it('importing before any file is read is a problem, not a crash', async () => {
    const { replies, handle } = harness();
    await handle({ type: 'import', id: 1, options: options(['a'], ['b']) });
    expect(replies).toEqual([
      { type: 'problem', id: 1, problem: { message: 'Reading the CSV file failed (no file has been read).', line: null, column: null } },
    ]);
  });
});

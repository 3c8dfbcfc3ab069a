import { describe, expect, it } from 'vitest';
import { importCells, readCsv, type CsvCells, type CsvImportOptions } from '../../../../engine/src/index';
import { clip, PREVIEW_CHARS, previewLines, previewOf, problemOf, type CsvProblem } from './csv-preview';

/** The file's cells, as the import worker holds them. */
function cellsOf(text: string): CsvCells {
  const steps = readCsv(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The problem reading `text`, or importing it with `options`, reports, as the worker sends it. */
function problemFor(text: string, options?: CsvImportOptions): CsvProblem {
  let table: CsvCells | null = null;
  try {
    table = cellsOf(text);
    if (options) for (const steps = importCells(table, options); !steps.next().done;);
  } catch (error) {
    return problemOf(error, text, table);
  }
  throw new Error('expected a CsvError');
}

describe('CSV preview', () => {
  it('a bad cell among the first rows: that row is marked, the cell named, the message right under it', () => {
    const text = 'a,b,label\n1,2,yes\n3,x,no\n5,6,yes\n';
    const problem = problemFor(text, { features: ['a', 'b'], targets: ['label'], targetKind: 'label' });
    expect(problem.row).toEqual({ index: 1, cells: ['3', 'x', 'no'] });
    const lines = previewLines(previewOf(cellsOf(text)), problem);
    expect(lines.map((l) => l.kind)).toEqual(['row', 'row', 'note', 'row']);
    expect(lines[1]).toEqual({ kind: 'row', line: 3, cells: ['3', 'x', 'no'], error: true, errorColumn: 1 });
    expect(lines[2]).toEqual({ kind: 'note', message: "Line 3, column 'b': 'x' is not a number." });
    expect(lines.filter((l) => l.kind === 'row' && l.error)).toHaveLength(1);
  });

  it('a bad cell far down the file: the first rows, a gap, then the bad row and its message', () => {
    const rows = Array.from({ length: 40 }, (_, i) => (i === 29 ? `${i},oops` : `${i},${i * 2}`));
    const text = ['x,y', ...rows].join('\n');
    const preview = previewOf(cellsOf(text));
    // The preview holds only the first rows: the bad row travels with the problem.
    expect(preview.rows).toHaveLength(8);
    expect(preview.rowCount).toBe(40);
    const problem = problemFor(text, { features: ['x'], targets: ['y'], targetKind: 'numeric' });
    expect(problem.line).toBe(31); // header is line 1, row 29 (from 0) is line 31
    const lines = previewLines(preview, problem, 8);
    expect(lines.map((l) => l.kind)).toEqual([...Array(8).fill('row'), 'gap', 'row', 'note']);
    expect(lines[8]).toEqual({ kind: 'gap', skipped: 21 });
    expect(lines[9]).toMatchObject({ line: 31, cells: ['29', 'oops'], error: true, errorColumn: 1 });
  });

  it('a ragged row (no table): the file’s own line and the message', () => {
    const text = 'a,b\n1,2\r\n3\n';
    const problem = problemFor(text);
    expect(problem.raw).toBe('3');
    expect(previewLines(null, problem)).toEqual([
      { kind: 'raw', line: 3, text: '3' },
      { kind: 'note', message: 'Line 3 has 1 cells but the header has 2 columns.' },
    ]);
  });

  it('a problem past the last row that is read: the line of the file, not a row', () => {
    const text = `a,b\n${'1,0\n'.repeat(5)}9,9,9\n`;
    const problem = problemFor(text);
    expect(problem).toEqual({ message: 'Line 7 has 3 cells but the header has 2 columns.', line: 7, column: null, raw: '9,9,9' });
  });

  it('a problem with the choice of columns (no line): only the message, after the rows', () => {
    const text = 'a,b\n1,2\n';
    const problem = problemFor(text, { features: ['a'], targets: ['a'], targetKind: 'numeric' });
    const lines = previewLines(previewOf(cellsOf(text)), problem);
    expect(lines.at(-1)).toEqual({ kind: 'note', message: problem.message });
    expect(lines.filter((l) => l.kind === 'row' && l.error)).toHaveLength(0);
  });

  it('no problem: just the first rows', () => {
    const text = 'a,b\n' + Array.from({ length: 20 }, (_, i) => `${i},${i}`).join('\n');
    expect(previewLines(previewOf(cellsOf(text)), null, 5)).toHaveLength(5);
  });

  it('clips a huge cell and a huge line, so the page never holds a megabyte of them', () => {
    const huge = '7'.repeat(1 << 20);
    const text = `a,b\n${huge}x,1\n`;
    const preview = previewOf(cellsOf(text));
    expect(preview.rows[0][0]).toBe(`${'7'.repeat(PREVIEW_CHARS)}…`);
    const problem = problemFor(text, { features: ['a'], targets: ['b'], targetKind: 'numeric' });
    expect(problem.row!.cells[0]).toHaveLength(PREVIEW_CHARS + 1);
    expect(problem.message.length).toBeLessThan(200);
    expect(problemFor(`a,b\n${huge}\n`).raw).toBe(`${'7'.repeat(PREVIEW_CHARS)}…`);
    // A surrogate pair is never cut in half.
    expect(clip(`${'a'.repeat(PREVIEW_CHARS - 1)}😀b`)).toBe(`${'a'.repeat(PREVIEW_CHARS - 1)}…`);
  });

  it('an error that is not a CsvError is one sentence saying reading failed', () => {
    expect(problemOf(new RangeError('Array buffer allocation failed'), '', null)).toEqual({
      message: 'Reading the CSV file failed (Array buffer allocation failed).',
      line: null,
      column: null,
    });
  });
});

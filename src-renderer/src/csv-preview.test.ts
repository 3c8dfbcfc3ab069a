import { describe, expect, it } from 'vitest';
import { CsvError, importCsv, parseCsv } from '../../engine/src/index';
import { previewLines, type CsvProblem } from './csv-preview';

/** The problem importCsv (or parseCsv) reports for a file, as the import dialog catches it. */
function problemOf(run: () => unknown): CsvProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof CsvError) return { message: error.message, line: error.line, column: error.column };
  }
  throw new Error('expected a CsvError');
}

describe('CSV preview', () => {
  it('a bad cell among the first rows: that row is marked, the cell named, the message right under it', () => {
    const text = 'a,b,label\n1,2,yes\n3,x,no\n5,6,yes\n';
    const table = parseCsv(text);
    const problem = problemOf(() => importCsv(text, { features: ['a', 'b'], targets: ['label'], targetKind: 'label' }));
    const lines = previewLines(table, problem, text);
    expect(lines.map((l) => l.kind)).toEqual(['row', 'row', 'note', 'row']);
    expect(lines[1]).toEqual({ kind: 'row', line: 3, cells: ['3', 'x', 'no'], error: true, errorColumn: 1 });
    expect(lines[2]).toEqual({ kind: 'note', message: "Line 3, column 'b': 'x' is not a number." });
    expect(lines.filter((l) => l.kind === 'row' && l.error)).toHaveLength(1);
  });

  it('a bad cell far down the file: the first rows, a gap, then the bad row and its message', () => {
    const rows = Array.from({ length: 40 }, (_, i) => (i === 29 ? `${i},oops` : `${i},${i * 2}`));
    const text = ['x,y', ...rows].join('\n');
    const table = parseCsv(text);
    const problem = problemOf(() => importCsv(text, { features: ['x'], targets: ['y'], targetKind: 'numeric' }));
    expect(problem.line).toBe(31); // header is line 1, row 29 (from 0) is line 31
    const lines = previewLines(table, problem, text, 8);
    expect(lines.map((l) => l.kind)).toEqual([...Array(8).fill('row'), 'gap', 'row', 'note']);
    expect(lines[8]).toEqual({ kind: 'gap', skipped: 21 });
    expect(lines[9]).toMatchObject({ line: 31, cells: ['29', 'oops'], error: true, errorColumn: 1 });
  });

  it('a ragged row (no table): the file’s own line and the message', () => {
    const text = 'a,b\n1,2\n3\n';
    const problem = problemOf(() => parseCsv(text));
    const lines = previewLines(null, problem, text);
    expect(lines).toEqual([
      { kind: 'raw', line: 3, text: '3' },
      { kind: 'note', message: 'Line 3 has 1 cells but the header has 2 columns.' },
    ]);
  });

  it('a problem with the choice of columns (no line): only the message, after the rows', () => {
    const text = 'a,b\n1,2\n';
    const problem = problemOf(() => importCsv(text, { features: ['a'], targets: ['a'], targetKind: 'numeric' }));
    const lines = previewLines(parseCsv(text), problem, text);
    expect(lines.at(-1)).toEqual({ kind: 'note', message: problem.message });
    expect(lines.filter((l) => l.kind === 'row' && l.error)).toHaveLength(0);
  });

  it('no problem: just the first rows', () => {
    const text = 'a,b\n' + Array.from({ length: 20 }, (_, i) => `${i},${i}`).join('\n');
    expect(previewLines(parseCsv(text), null, text, 5)).toHaveLength(5);
  });
});

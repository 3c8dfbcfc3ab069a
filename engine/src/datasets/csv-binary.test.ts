/**
 * Binary targets in the CSV import and the suggestion of how to read a target: a column with two
 * values becomes one 0/1 column (0 and 1 as they are; two labels mapped to 0 and 1, the mapping
 * kept as the column's classes), and the suggestion picks binary for two values, one-hot labels
 * for several text labels and numbers for many numbers, on small hand-made files.
 */
import { describe, expect, it } from 'vitest';
import {
  CsvError,
  importCsv,
  readCsv,
  suggestTargetKind,
  summariseColumns,
  type CsvCells,
  type CsvColumnSummary,
  type CsvImportOptions,
  type CsvProgress,
} from '../index';

/** Runs a generator to its end, keeping its progress reports. */
function drain<T>(steps: Generator<CsvProgress, T>): { value: T; progress: CsvProgress[] } {
  const progress: CsvProgress[] = [];
  for (;;) {
    const step = steps.next();
    if (step.done) return { value: step.value, progress };
    progress.push(step.value);
  }
}

const cells = (text: string): CsvCells => drain(readCsv(text)).value;
const summaries = (text: string): CsvColumnSummary[] => drain(summariseColumns(cells(text))).value;
/** The kind suggested for the file's last column, as the dialog suggests it for its default target. */
const suggested = (text: string) => suggestTargetKind(summaries(text).slice(-1));
const binary = (features: string[], targets: string[], positive?: Record<string, string>): CsvImportOptions => ({
  features,
  targets,
  targetKind: 'binary',
  ...(positive ? { positive } : {}),
});

function thrown(fn: () => unknown): CsvError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CsvError);
    return e as CsvError;
  }
  throw new Error('expected a CsvError, but nothing was thrown');
}

const TWO_LABELS = 'x,diagnosis\n1.5,M\n2,B\n3, B \n4,M\n';
const ZERO_ONE = 'x,y\n1,0\n2,1\n3,1.0\n4,0\n';
const THREE_LABELS = 'x,species\n1,setosa\n2,versicolor\n3,virginica\n4,setosa\n';
const NUMBERS = 'x,price\n1,10.5\n2,12\n3,9.75\n4,11\n';
const CONSTANT = 'x,c\n1,7\n2,7\n3,7\n';

describe('summariseColumns', () => {
  it('counts distinct values up to three, the same number spelt two ways once, and sees numbers and empty cells', () => {
    const [x, y] = summaries(ZERO_ONE);
    expect(x).toEqual({ distinct: 3, values: ['1', '2'], numeric: true, empty: false });
    // '1' and '1.0' are one value.
    expect(y).toEqual({ distinct: 2, values: ['0', '1'], numeric: true, empty: false });
    expect(summaries(TWO_LABELS)[1]).toEqual({ distinct: 2, values: ['M', 'B'], numeric: false, empty: false });
    expect(summaries('a,b\n1,\n2,x\n')[1]).toEqual({ distinct: 1, values: ['x'], numeric: false, empty: true });
    // A many-valued number column is read to its end: a word on the last row makes it not numeric.
    expect(summaries('a\n1\n2\n3\n4\nfive\n')[0]).toMatchObject({ distinct: 3, numeric: false });
  });

  it('reports its progress by rows', () => {
    const text = `a,b\n${Array.from({ length: 100_000 }, (_, r) => `${r},${r % 2}`).join('\n')}`;
    const { value, progress } = drain(summariseColumns(cells(text)));
    expect(value[1]).toEqual({ distinct: 2, values: ['0', '1'], numeric: true, empty: false });
    expect(progress.length).toBe(Math.ceil(100_000 / 32_768));
    expect(progress.every((p) => p.phase === 'scanning' && p.total === 100_000)).toBe(true);
  });
});

describe('suggestTargetKind', () => {
  it('two labels → binary; 0/1 → binary; three labels → one-hot; many numbers → regression', () => {
    expect(suggested(TWO_LABELS)).toBe('binary');
    expect(suggested(ZERO_ONE)).toBe('binary');
    expect(suggested('x,ok\n1,yes\n2,no\n3,yes\n')).toBe('binary');
    expect(suggested(THREE_LABELS)).toBe('label');
    expect(suggested(NUMBERS)).toBe('numeric');
  });

  it('a constant column: a number if it is one (it imports), else a label (whose import says it needs two classes)', () => {
    expect(suggested(CONSTANT)).toBe('numeric');
    expect(suggested('x,c\n1,a\n2,a\n')).toBe('label');
  });

  it('several targets: the same kind for all, else labels, or numbers when one is a many-valued number and all are numbers', () => {
    const text = 'p,q,r,s\n1,a,0,1.5\n2,b,1,2\n3,a,0,7\n';
    const [, q, r, s] = summaries(text);
    expect(suggestTargetKind([q, r])).toBe('binary');
    expect(suggestTargetKind([r, s])).toBe('numeric');
    expect(suggestTargetKind([q, s])).toBe('label');
    expect(suggestTargetKind([q, summaries(THREE_LABELS)[1]])).toBe('label');
  });
});

describe('binary targets', () => {
  it('two labels become one 0/1 column under the column name, the later in natural order as 1, and the mapping is kept', () => {
    const { dataset, classes } = importCsv(TWO_LABELS, binary(['x'], ['diagnosis']));
    expect(dataset.targets).toEqual(['diagnosis']);
    expect(Array.from(dataset.y)).toEqual([1, 0, 0, 1]);
    expect(Array.from(dataset.x)).toEqual([1.5, 2, 3, 4]);
    expect(classes).toEqual({ diagnosis: ['B', 'M'] });
    // yes/no: yes is 1; the first row's value does not decide.
    const yes = importCsv('x,ok\n1,yes\n2,no\n3,yes\n', binary(['x'], ['ok']));
    expect(Array.from(yes.dataset.y)).toEqual([1, 0, 1]);
    expect(yes.classes).toEqual({ ok: ['no', 'yes'] });
  });

  it('0/1 is kept as it is (1.0 is 1), named 0 and 1', () => {
    const { dataset, classes } = importCsv(ZERO_ONE, binary(['x'], ['y']));
    expect(dataset.targets).toEqual(['y']);
    expect(Array.from(dataset.y)).toEqual([0, 1, 1, 0]);
    expect(classes).toEqual({ y: ['0', '1'] });
  });

  it('other numbers: the larger is 1 (−1 before 1, 2 before 10 as numbers)', () => {
    expect(Array.from(importCsv('x,y\n1,1\n2,-1\n', binary(['x'], ['y'])).dataset.y)).toEqual([1, 0]);
    const tens = importCsv('x,y\n1,10\n2,2\n', binary(['x'], ['y']));
    expect(Array.from(tens.dataset.y)).toEqual([1, 0]);
    expect(tens.classes).toEqual({ y: ['2', '10'] });
  });

  it('the value read as 1 can be chosen; a value the column does not have is refused naming both', () => {
    const { dataset, classes } = importCsv(TWO_LABELS, binary(['x'], ['diagnosis'], { diagnosis: 'B' }));
    expect(Array.from(dataset.y)).toEqual([0, 1, 1, 0]);
    expect(classes).toEqual({ diagnosis: ['M', 'B'] });
    // Chosen by value: '0' is the 0.0 of the file.
    const swapped = importCsv('x,y\n1,0.0\n2,1\n', binary(['x'], ['y'], { y: '0' }));
    expect(Array.from(swapped.dataset.y)).toEqual([1, 0]);
    expect(swapped.classes).toEqual({ y: ['1', '0.0'] });
    const e = thrown(() => importCsv(TWO_LABELS, binary(['x'], ['diagnosis'], { diagnosis: 'X' })));
    expect(e.message).toBe("Column 'diagnosis' has no value 'X' to read as 1; its values are 'M' and 'B'.");
    expect(e.column).toBe('diagnosis');
  });

  it('three labels: refused at the row of the third, naming it and the two before', () => {
    const e = thrown(() => importCsv(THREE_LABELS, binary(['x'], ['species'])));
    expect(e.message).toBe(
      "Line 4, column 'species': 'virginica' is a third value (after 'setosa' and 'versicolor'); a binary target has exactly two — read the targets as class labels (one-hot) instead.",
    );
    expect([e.line, e.column]).toEqual([4, 'species']);
  });

  it('a constant column and an empty cell are refused, each in one sentence', () => {
    expect(thrown(() => importCsv(CONSTANT, binary(['x'], ['c']))).message).toBe(
      "Column 'c' has only one value ('7'); a binary target needs two.",
    );
    const e = thrown(() => importCsv('x,c\n1,a\n2,\n', binary(['x'], ['c'])));
    expect(e.message).toBe("Line 3, column 'c': the value is empty.");
    expect(e.line).toBe(3);
  });

  it('several binary columns, each its own 0/1 column and mapping; a column named __proto__ keeps its classes', () => {
    const { dataset, classes } = importCsv('x,a,__proto__\n1,no,0\n2,yes,1\n3,no,1\n', binary(['x'], ['a', '__proto__']));
    expect(dataset.targets).toEqual(['a', '__proto__']);
    expect(Array.from(dataset.y)).toEqual([0, 0, 1, 1, 0, 1]);
    expect(Object.hasOwn(classes, '__proto__')).toBe(true);
    expect(classes.a).toEqual(['no', 'yes']);
    expect(classes['__proto__']).toEqual(['0', '1']);
  });
});

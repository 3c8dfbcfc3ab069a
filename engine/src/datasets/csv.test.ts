/**
 * CSV import: RFC 4180 cells (quotes, doubled quotes, newlines in quotes, CRLF, a BOM, blank
 * lines), numeric and one-hot label targets, and an error for every malformed file or choice of
 * columns that says where (line and column) the problem is. Numbers are read in linear time, and
 * a file is held to the project's limits while it is read, stopping at the first row over one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCsvFileSize,
  CSV_LIMITS,
  CsvError,
  DataError,
  importCells,
  importCsv,
  LIMITS,
  MAX_CSV_CHARS,
  parseCsv,
  parseDecimal,
  readCsv,
  type CsvImportOptions,
  type CsvLimits,
  type CsvProgress,
} from '../index';

// --- Helpers --------------------------------------------------------------------------------

/** Runs `fn` and returns what it threw (failing the test if it did not throw). */
function thrown(fn: () => unknown): CsvError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CsvError);
    expect(e).toBeInstanceOf(DataError);
    return e as CsvError;
  }
  throw new Error('expected a CsvError, but nothing was thrown');
}

const numeric = (features: string[], targets: string[]): CsvImportOptions => ({ features, targets, targetKind: 'numeric' });
const label = (features: string[], targets: string[]): CsvImportOptions => ({ features, targets, targetKind: 'label' });

// --- parseCsv -------------------------------------------------------------------------------

describe('parseCsv', () => {
  it('reads a plain file', () => {
    const table = parseCsv('a,b,c\n1,2,3\n4,5,6\n');
    expect(table.header).toEqual(['a', 'b', 'c']);
    expect(table.rows).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
    expect(table.lines).toEqual([2, 3]);
  });

  it('reads a file without a final newline', () => {
    const table = parseCsv('a,b\n1,2');
    expect(table.rows).toEqual([['1', '2']]);
  });

  it('reads quoted cells with commas, doubled quotes and newlines', () => {
    const text = 'name,note\n"Smith, J","she said ""hi"""\n"two\nlines",x\n"",""""\n7,8\n';
    const table = parseCsv(text);
    expect(table.header).toEqual(['name', 'note']);
    expect(table.rows).toEqual([
      ['Smith, J', 'she said "hi"'],
      ['two\nlines', 'x'],
      ['', '"'],
      ['7', '8'],
    ]);
    // The record with a newline inside starts on line 3 and takes two lines.
    expect(table.lines).toEqual([2, 3, 5, 6]);
  });

  it('reads CRLF line endings without leaving \\r in the cells', () => {
    const table = parseCsv('a,b\r\n1,2\r\n3,4\r\n');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(table.lines).toEqual([2, 3]);
  });

  it('keeps a CRLF inside quotes and still counts lines', () => {
    const table = parseCsv('a,b\r\n"x\r\ny",2\r\n3,4\r\n');
    expect(table.rows).toEqual([
      ['x\r\ny', '2'],
      ['3', '4'],
    ]);
    expect(table.lines).toEqual([2, 4]);
  });

  it('ignores a UTF-8 byte order mark', () => {
    const table = parseCsv('\uFEFFa,b\n1,2\n');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.header[0].charCodeAt(0)).toBe('a'.charCodeAt(0));
    expect(table.rows).toEqual([['1', '2']]);
    expect(importCsv('\uFEFF"a",b\n1,2\n', numeric(['a'], ['b'])).dataset.features).toEqual(['a']);
  });

  it('skips blank and whitespace-only lines but keeps the real line numbers', () => {
    const table = parseCsv('\na,b\n\n1,2\n   \n\r\n3,4\n\n\n');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(table.lines).toEqual([4, 7]);
  });

  it('trims the header names', () => {
    expect(parseCsv(' a , "b" \n1,2').header).toEqual(['a', 'b']);
  });
});

describe('parseCsv errors', () => {
  it('refuses an empty file', () => {
    const e = thrown(() => parseCsv(''));
    expect(e.message).toMatch(/empty/);
    expect(e.line).toBeNull();
  });

  it('refuses a file of only whitespace and blank lines', () => {
    const e = thrown(() => parseCsv('  \n\n \r\n\t\n'));
    expect(e.message).toMatch(/empty/);
  });

  it('refuses a header without data rows', () => {
    const e = thrown(() => parseCsv('a,b\n\n'));
    expect(e.message).toMatch(/header but no rows/);
  });

  it('refuses a row with more cells than the header, naming its line', () => {
    const e = thrown(() => parseCsv('a,b\n1,2\n1,2,3\n'));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^Line 3\b/);
    expect(e.message).toMatch(/3 cells/);
    expect(e.message).toMatch(/2 columns/);
  });

  it('refuses a row with fewer cells, counting blank and multi-line records', () => {
    const e = thrown(() => parseCsv('a,b,c\n"x\ny",2,3\n\n4,5\n'));
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/^Line 5 has 2 cells/);
  });

  it('refuses an unterminated quote, naming the line where it opens', () => {
    const e = thrown(() => parseCsv('a,b\n1,2\n"3,4\n5,6\n'));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/Line 3/);
    expect(e.message).toMatch(/never closed/);
  });

  it('refuses a duplicate header name, naming it', () => {
    const e = thrown(() => parseCsv('\n\na,b, a \n1,2,3\n'));
    expect(e.line).toBe(3);
    expect(e.column).toBe('a');
    expect(e.message).toMatch(/Line 3/);
    expect(e.message).toMatch(/'a'/);
  });

  it('refuses an empty header name, naming its position', () => {
    const e = thrown(() => parseCsv('a, ,c\n1,2,3\n'));
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/Line 1/);
    expect(e.message).toMatch(/column 2/);
  });

  it('refuses text over MAX_CSV_CHARS before parsing it', () => {
    const huge = 'a'.repeat(MAX_CSV_CHARS + 1);
    const e = thrown(() => parseCsv(huge));
    expect(e.message).toMatch(/too large/);
    expect(e.message).toContain(String(MAX_CSV_CHARS));
  });
});

// --- importCsv ------------------------------------------------------------------------------

describe('importCsv', () => {
  it('reads numeric targets for regression', () => {
    const { dataset, classes } = importCsv('x1,x2,y\n1,2,3\n-4.5, 5e-1 ,6\n', numeric(['x1', 'x2'], ['y']));
    expect(dataset.features).toEqual(['x1', 'x2']);
    expect(dataset.targets).toEqual(['y']);
    expect(dataset.size).toBe(2);
    expect(Array.from(dataset.x)).toEqual([1, 2, -4.5, 0.5]);
    expect(Array.from(dataset.y)).toEqual([3, 6]);
    expect(classes).toEqual({});
  });

  it('one-hot encodes a label target with the classes sorted', () => {
    const text = 'x,species\n1,versicolor\n2,setosa\n3, virginica \n4,setosa\n';
    const { dataset, classes } = importCsv(text, label(['x'], ['species']));
    expect(classes).toEqual({ species: ['setosa', 'versicolor', 'virginica'] });
    expect(dataset.targets).toEqual(['species=setosa', 'species=versicolor', 'species=virginica']);
    expect(Array.from(dataset.x)).toEqual([1, 2, 3, 4]);
    expect(Array.from(dataset.y)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0]);
  });

  it('one-hot encodes two label columns side by side', () => {
    const text = 'h,colour,size\n1,red,S\n2,blue,L\n3,red,M\n';
    const { dataset, classes } = importCsv(text, label(['h'], ['size', 'colour']));
    expect(classes).toEqual({ size: ['L', 'M', 'S'], colour: ['blue', 'red'] });
    expect(dataset.targets).toEqual(['size=L', 'size=M', 'size=S', 'colour=blue', 'colour=red']);
    expect(Array.from(dataset.y)).toEqual([0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
  });

  it('takes the features in the chosen order, not the file order, and ignores unused columns', () => {
    const text = 'a,note,b,c\n1,hello,2,3\n4,"x, y",5,6\n';
    const { dataset } = importCsv(text, numeric(['c', 'a'], ['b']));
    expect(dataset.features).toEqual(['c', 'a']);
    expect(Array.from(dataset.x)).toEqual([3, 1, 6, 4]);
    expect(Array.from(dataset.y)).toEqual([2, 5]);
  });

  it('reads quoted numbers and CRLF files', () => {
    const { dataset } = importCsv('"a","b"\r\n"1.5"," 2 "\r\n', numeric(['a'], ['b']));
    expect(Array.from(dataset.x)).toEqual([1.5]);
    expect(Array.from(dataset.y)).toEqual([2]);
  });
});

describe('importCsv errors', () => {
  const text = 'a,b,y\n1,2,3\n4,5,6\n';

  it('names the line and column of a non-numeric feature cell', () => {
    const e = thrown(() => importCsv('a,b,y\n1,2,3\n4,abc,6\n', numeric(['a', 'b'], ['y'])));
    expect(e.line).toBe(3);
    expect(e.column).toBe('b');
    expect(e.message).toMatch(/Line 3/);
    expect(e.message).toMatch(/'b'/);
    expect(e.message).toMatch(/'abc' is not a number/);
  });

  it('counts skipped blank lines in the line number of an error', () => {
    const e = thrown(() => importCsv('a,b\n\n1,2\n\nx,3\n', numeric(['a'], ['b'])));
    expect(e.line).toBe(5);
    expect(e.column).toBe('a');
    expect(e.message).toMatch(/Line 5, column 'a'/);
  });

  it('names the line and column of an empty numeric cell', () => {
    const e = thrown(() => importCsv('a,b,y\n1, ,3\n', numeric(['a', 'b'], ['y'])));
    expect(e.line).toBe(2);
    expect(e.column).toBe('b');
    expect(e.message).toMatch(/empty/);
  });

  it('refuses infinite values', () => {
    const e = thrown(() => importCsv('a,y\nInfinity,1\n', numeric(['a'], ['y'])));
    expect(e.line).toBe(2);
    expect(e.column).toBe('a');
  });

  it('names the line and column of a non-numeric numeric target', () => {
    const e = thrown(() => importCsv('a,y\n1,2\n3,cat\n', numeric(['a'], ['y'])));
    expect(e.line).toBe(3);
    expect(e.column).toBe('y');
    expect(e.message).toMatch(/'cat'/);
  });

  it('names a missing feature column and lists the columns there are', () => {
    const e = thrown(() => importCsv(text, numeric(['a', 'z'], ['y'])));
    expect(e.column).toBe('z');
    expect(e.line).toBeNull();
    expect(e.message).toMatch(/'z'/);
    expect(e.message).toContain("'a', 'b', 'y'");
  });

  it('names a missing target column', () => {
    const e = thrown(() => importCsv(text, numeric(['a'], ['label'])));
    expect(e.column).toBe('label');
    expect(e.message).toMatch(/'label'/);
  });

  it('refuses a column chosen as both feature and target', () => {
    const e = thrown(() => importCsv(text, numeric(['a', 'b'], ['b'])));
    expect(e.column).toBe('b');
    expect(e.message).toMatch(/'b'.*both/);
  });

  it('refuses a label column with only one class', () => {
    const e = thrown(() => importCsv('a,kind\n1,cat\n2, cat\n', label(['a'], ['kind'])));
    expect(e.column).toBe('kind');
    expect(e.message).toMatch(/'kind'/);
    expect(e.message).toMatch(/only one class \('cat'\)/);
  });

  it('names the line and column of an empty class label', () => {
    const e = thrown(() => importCsv('a,kind\n1,cat\n2,dog\n3,\n', label(['a'], ['kind'])));
    expect(e.line).toBe(4);
    expect(e.column).toBe('kind');
    expect(e.message).toMatch(/Line 4/);
    expect(e.message).toMatch(/empty/);
  });

  it('refuses an empty choice of features or of targets', () => {
    expect(thrown(() => importCsv(text, numeric([], ['y']))).message).toMatch(/feature/);
    expect(thrown(() => importCsv(text, numeric(['a'], []))).message).toMatch(/target/);
  });

  it('passes parse errors through', () => {
    expect(thrown(() => importCsv('', numeric(['a'], ['y']))).message).toMatch(/empty/);
    expect(thrown(() => importCsv('a,y\n1\n', numeric(['a'], ['y']))).line).toBe(2);
  });
});

// --- Properties -----------------------------------------------------------------------------

/** A finite number written in one of the ways a spreadsheet might. */
const cellText = (v: number, style: number): string => {
  const plain = Object.is(v, -0) ? '-0' : String(v);
  switch (style) {
    case 0:
      return plain;
    case 1:
      return Object.is(v, -0) ? '-0e0' : v.toExponential();
    case 2:
      return `"${plain}"`;
    default:
      return ` ${plain}\t`;
  }
};

const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

describe('properties', () => {
  it('a table of finite numbers written as CSV imports exactly', () => {
    const table = fc.integer({ min: 2, max: 5 }).chain((cols) =>
      fc.record({
        names: fc.uniqueArray(
          fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() !== ''),
          {
            minLength: cols,
            maxLength: cols,
            selector: (s) => s.trim(),
          },
        ),
        rows: fc.array(
          fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.nat(3)), { minLength: cols, maxLength: cols }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        eol: fc.constantFrom('\n', '\r\n'),
        finalEol: fc.boolean(),
        quoteAll: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(table, ({ names, rows, eol, finalEol, quoteAll }) => {
        const lines = [
          names.map(quoteName).join(','),
          ...rows.map((r) => r.map(([v, style]) => (quoteAll ? `"${String(v)}"` : cellText(v, style))).join(',')),
        ];
        const text = lines.join(eol) + (finalEol ? eol : '');
        const header = names.map((n) => n.trim());
        const { dataset } = importCsv(text, numeric(header.slice(0, -1), header.slice(-1)));
        const nf = header.length - 1;
        expect(dataset.size).toBe(rows.length);
        rows.forEach((r, n) => {
          r.forEach(([v], c) => {
            const got = c < nf ? dataset.x[n * nf + c] : dataset.y[n];
            // String(-0) is '0', so a quoted-all -0 comes back as 0; everything else is exact.
            expect(got === v && (quoteAll || Object.is(got, v))).toBe(true);
          });
        });
      }),
      { numRuns: 150 },
    );
  });

  const checkParse = (text: string) => {
    let table;
    try {
      table = parseCsv(text);
    } catch (e) {
      expect(e).toBeInstanceOf(CsvError);
      expect((e as Error).message.length).toBeGreaterThan(0);
      return;
    }
    // A table that parses is well formed.
    expect(table.header.length).toBeGreaterThan(0);
    expect(new Set(table.header).size).toBe(table.header.length);
    for (const name of table.header) expect(name.trim()).toBe(name);
    expect(table.rows.length).toBeGreaterThan(0);
    expect(table.lines.length).toBe(table.rows.length);
    for (const r of table.rows) expect(r.length).toBe(table.header.length);
    for (let i = 1; i < table.lines.length; i++) expect(table.lines[i]).toBeGreaterThan(table.lines[i - 1]);
  };

  it('parseCsv returns a well-formed table or throws a CsvError for arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), checkParse), { numRuns: 300 });
  });

  it('parseCsv returns a well-formed table or throws a CsvError for CSV-like text', () => {
    const unit = fc.constantFrom('a', 'b', '1', ' ', ',', ',', '"', '"', '\n', '\n', '\r', '\uFEFF');
    fc.assert(fc.property(fc.string({ unit, maxLength: 40 }), checkParse), { numRuns: 500 });
  });
});

describe('stricter reading', () => {
  it('takes decimal numbers only: hexadecimal, binary and words are not numbers', () => {
    for (const cell of ['0x10', '0b1', '0o7', 'Infinity', '1e', '--1']) {
      expect(() => importCsv(`a,b\n${cell},1\n2,0\n`, { features: ['a'], targets: ['b'], targetKind: 'numeric' }), cell).toThrow(
        /Line 2, column 'a'/,
      );
    }
    const ok = importCsv('a,b\n+1.5e-3,1\n.5,0\n-2.,1\n', { features: ['a'], targets: ['b'], targetKind: 'numeric' });
    expect(Array.from(ok.dataset.x)).toEqual([0.0015, 0.5, -2]);
  });

  it('refuses a column chosen twice', () => {
    expect(() => importCsv('a,b\n1,2\n', { features: ['a', 'a'], targets: ['b'], targetKind: 'numeric' })).toThrow(
      /Column 'a' is chosen twice as a feature/,
    );
    expect(() => importCsv('a,b\n1,x\n2,y\n', { features: ['a'], targets: ['b', 'b'], targetKind: 'label' })).toThrow(
      /chosen twice as a target/,
    );
  });

  it('orders class labels naturally (2 before 10)', () => {
    const result = importCsv('x,c\n1,10\n2,2\n3,1\n', { features: ['x'], targets: ['c'], targetKind: 'label' });
    expect(result.classes.c).toEqual(['1', '2', '10']);
    expect(result.dataset.targets).toEqual(['c=1', 'c=2', 'c=10']);
  });

  it('counts a bare CR inside quotes as a line break when naming lines', () => {
    expect(() => importCsv('a,b\r"x\ry",2\r3,z', { features: ['b'], targets: ['a'], targetKind: 'label' })).toThrow(/Line 4, column 'b'/);
  });
});

// --- Numbers in linear time -----------------------------------------------------------------

/** The pattern numbers were matched with before: it backtracks quadratically, so only short strings. */
const OLD_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

describe('parseDecimal', () => {
  it('accepts exactly what the old pattern accepted, with the same value', () => {
    const unit = fc.constantFrom('0', '1', '7', '9', '.', 'e', 'E', '+', '-', 'x', ' ', 'I', 'n', '_');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 14 }), (text) => {
        const before = OLD_DECIMAL.test(text) ? Number(text) : NaN;
        expect(Object.is(parseDecimal(text), before), text).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    for (const text of ['0x10', '0b1', '0o7', 'Infinity', '-Infinity', 'NaN', '1e', '--1', '.', '', '+', '1_000', '١'])
      expect(parseDecimal(text), text).toBeNaN();
    expect(parseDecimal('-2.')).toBe(-2);
    expect(parseDecimal('+.5E-1')).toBe(0.05);
    expect(Object.is(parseDecimal('-0'), -0)).toBe(true);
  });

  it('tells a number too large for a double (out of range) from text that is not a number', () => {
    expect(parseDecimal('1e400')).toBe(Infinity);
    expect(parseDecimal('-1e400')).toBe(-Infinity);
    expect(parseDecimal('1e-400')).toBe(0); // underflow is a number, as before
    expect(parseDecimal('1e400x')).toBeNaN();
  });

  it('refuses a megabyte cell and 40,000 digits then "x" in one pass', () => {
    // The old pattern took 1.5 s on the second and over a minute on a 1 MB run of digits then a
    // letter; the bound below is only there so a regression fails instead of hanging.
    const started = Date.now();
    expect(parseDecimal(`${'1'.repeat(40_000)}x`)).toBeNaN();
    expect(parseDecimal(`${'9'.repeat(1 << 20)}x`)).toBeNaN();
    expect(parseDecimal('9'.repeat(1 << 20))).toBe(Infinity);
    expect(parseDecimal(`0.${'0'.repeat(1 << 20)}1`)).toBe(0);
    const e = thrown(() => importCsv(`a,b\n${'1'.repeat(1 << 20)}x,1\n`, numeric(['a'], ['b'])));
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/^Line 2, column 'a': '1{60}… \(1,048,517 more characters\)' is not a number\.$/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('cells in messages', () => {
  it("says '1e400' is out of range, not that it is not a number", () => {
    const e = thrown(() => importCsv('a,y\n1,2\n1e400,3\n', numeric(['a'], ['y'])));
    expect(e.line).toBe(3);
    expect(e.column).toBe('a');
    expect(e.message).toBe("Line 3, column 'a': '1e400' is out of range (beyond ±1.8e308, the largest a number can be).");
    expect(thrown(() => importCsv('a,y\n1,-1e309\n', numeric(['a'], ['y']))).message).toMatch(/'-1e309' is out of range/);
  });

  it('quotes cells and names with control characters escaped, so a message stays one safe line', () => {
    const e = thrown(() => importCsv('"a\u001b[2J",y\n"x\ny",1\n', numeric(['a\u001b[2J'], ['y'])));
    expect(e.message).toBe("Line 2, column 'a\\u001b[2J': 'x\\ny' is not a number.");
  });
});

// --- Dictionaries keyed by user strings -----------------------------------------------------

describe('names that are also Object.prototype properties', () => {
  it("a label column named '__proto__' keeps its classes", () => {
    const { dataset, classes } = importCsv('x,__proto__\n1,b\n2,a\n3,b\n', label(['x'], ['__proto__']));
    expect(Object.keys(classes)).toEqual(['__proto__']);
    expect(Object.hasOwn(classes, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(classes)).toBe(Object.prototype);
    expect(classes['__proto__']).toEqual(['a', 'b']);
    expect(JSON.parse(JSON.stringify(classes))).toEqual(JSON.parse('{"__proto__":["a","b"]}'));
    expect(dataset.targets).toEqual(['__proto__=a', '__proto__=b']);
    expect(Array.from(dataset.y)).toEqual([0, 1, 1, 0, 0, 1]);
  });

  it("class labels and columns named 'constructor', 'toString' and '__proto__' are ordinary names", () => {
    const text = 'constructor,toString,kind\n1,2,__proto__\n3,4,constructor\n5,6,__proto__\n';
    const { dataset, classes } = importCsv(text, label(['constructor'], ['toString', 'kind']));
    expect(classes).toEqual({ toString: ['2', '4', '6'], kind: ['__proto__', 'constructor'] });
    expect(dataset.targets).toEqual(['toString=2', 'toString=4', 'toString=6', 'kind=__proto__', 'kind=constructor']);
    expect(Array.from(dataset.y)).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0]);
    expect(thrown(() => importCsv(text, numeric(['hasOwnProperty'], ['kind']))).message).toMatch(/no column named 'hasOwnProperty'/);
  });
});

// --- Limits ---------------------------------------------------------------------------------

/** Small limits, so each test builds a small file; the rest as a project holds. */
const small = (change: Partial<CsvLimits>): CsvLimits => ({ ...CSV_LIMITS, ...change });
const table = (header: string, rows: number, row: (r: number) => string) =>
  [header, ...Array.from({ length: rows }, (_, r) => row(r))].join('\n');

describe('limits, enforced while reading', () => {
  it('are the project’s own', () => {
    expect(CSV_LIMITS).toEqual({
      chars: MAX_CSV_CHARS,
      rows: LIMITS.datasetRows,
      columns: LIMITS.datasetColumns,
      cells: LIMITS.datasetCells,
      nameLength: LIMITS.idLength,
    });
    expect(Number.isInteger(CSV_LIMITS.cells) && CSV_LIMITS.cells > 0).toBe(true);
  });

  it('rows: stops at the first row over, naming its line (blank lines counted)', () => {
    const limits = small({ rows: 5 });
    expect(
      parseCsv(
        table('a,b', 5, (r) => `${r},1`),
        limits,
      ).rows,
    ).toHaveLength(5);
    const e = thrown(() => parseCsv(table('a,b', 5, (r) => `${r},1`) + '\n\n6,1\n7,1,9\n', limits));
    expect(e.line).toBe(8);
    expect(e.message).toBe('Line 8: the data has more than 5 rows, the most a project holds.');
  });

  it('rows, at the real limit: line 1,000,002 is one too many', () => {
    const rows = LIMITS.datasetRows;
    const text = `a,b\n${'1,0\n'.repeat(rows)}`;
    expect(parseCsv(text).rows).toHaveLength(rows);
    const e = thrown(() => parseCsv(`${text}1,0\n`));
    expect(e.line).toBe(rows + 2);
    expect(e.message).toBe(
      `Line ${(rows + 2).toLocaleString('en')}: the data has more than ${rows.toLocaleString('en')} rows, the most a project holds.`,
    );
  });

  it('columns of the header: more than a project could use as features and targets, refused on the header line', () => {
    const limits = small({ columns: 2 });
    expect(parseCsv('a,b,c,d\n1,2,3,4\n', limits).header).toHaveLength(4);
    const e = thrown(() => parseCsv('\na,b,c,d,e\n1,2,3,4,5\n', limits));
    expect(e.line).toBe(2);
    expect(e.message).toBe('Line 2: the header has more than 4 columns, more than a project can use (2 features and 2 targets).');
  });

  it('columns chosen: at most the limit of features, and of numeric targets', () => {
    const limits = small({ columns: 2 });
    const text = 'a,b,c,d\n1,2,3,4\n';
    expect(importCsv(text, numeric(['a', 'b'], ['c', 'd']), limits).dataset.size).toBe(1);
    expect(thrown(() => importCsv(text, numeric(['a', 'b', 'c'], ['d']), limits)).message).toBe(
      '3 columns are chosen as features; a project holds at most 2.',
    );
    expect(thrown(() => importCsv(text, numeric(['a'], ['b', 'c', 'd']), limits)).message).toBe(
      '3 columns are chosen as targets; a project holds at most 2.',
    );
  });

  it('cells of the chosen columns (rows × columns): stops at the first row over; unused columns do not count', () => {
    const limits = small({ cells: 10 });
    const text = table('a,b,note', 6, (r) => `${r},1,${'n'.repeat(r)}`);
    // 6 rows × 3 columns in the file, but 2 columns chosen: row 5 (line 6) makes 10, row 6 12.
    expect(parseCsv(text, limits).rows).toHaveLength(6);
    expect(importCsv(text.split('\n').slice(0, 6).join('\n'), numeric(['a'], ['b']), limits).dataset.size).toBe(5);
    const e = thrown(() => importCsv(text, numeric(['a'], ['b']), limits));
    expect(e.line).toBe(7);
    expect(e.message).toBe('Line 7: the data would have more than 10 numbers (rows × columns), the most a project holds.');
  });

  it('one-hot columns: stops at the row whose new class makes one target column too many', () => {
    // Classes k0, k1, …: the 5th, k4 on line 6, makes 5 target columns, over 4.
    const limits = small({ columns: 4 });
    const text = table('x,z,c', 7, (r) => `${r},0,k${Math.min(r, 4)}`);
    const e = thrown(() => importCsv(text, label(['x', 'z'], ['c']), limits));
    expect(e.line).toBe(6);
    expect(e.column).toBe('c');
    expect(e.message).toBe(
      "Line 6, column 'c': class 'k4' is one too many: the targets would be 5 columns (one per class), more than the 4 a project holds.",
    );
    // Four classes fit: the same file without its last rows.
    expect(
      importCsv(
        table('x,z,c', 4, (r) => `${r},0,k${r}`),
        label(['x', 'z'], ['c']),
        limits,
      ).dataset.targets,
    ).toEqual(['c=k0', 'c=k1', 'c=k2', 'c=k3']);
  });

  it('one-hot columns count across every label column', () => {
    const limits = small({ columns: 3 });
    const e = thrown(() => importCsv('x,p,q\n1,a,u\n2,b,u\n3,a,v\n', label(['x'], ['p', 'q']), limits));
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/^Line 4, column 'q': class 'v' is one too many: the targets would be 4 columns/);
  });

  it('one-hot columns, at the real limit: the class that makes 10,001 target columns', () => {
    // 100 label columns with a new class in each on every row: after 100 rows, 10,000 classes;
    // the first class of row 101 (line 102, column c0) is one too many. 101 rows × 10,001 columns
    // stay under the cells limit, so it is the columns that stop the import.
    const max = LIMITS.datasetColumns;
    const labels = max / 100;
    expect(Number.isInteger(labels) && (labels + 1) * (max + 1) <= LIMITS.datasetCells).toBe(true);
    const names = Array.from({ length: 100 }, (_, k) => `c${k}`);
    const text = table(['x', ...names].join(','), labels + 3, (r) => [r, ...names.map((n) => `${n}v${r}`)].join(','));
    const e = thrown(() => importCsv(text, label(['x'], names)));
    expect(e.line).toBe(labels + 2);
    expect(e.column).toBe('c0');
    expect(e.message).toBe(
      `Line ${labels + 2}, column 'c0': class 'c0v${labels}' is one too many: the targets would be ${(max + 1).toLocaleString('en')} columns (one per class), more than the ${max.toLocaleString('en')} a project holds.`,
    );
    // One row fewer has exactly 10,000 classes, and imports.
    expect(
      importCsv(
        table(['x', ...names].join(','), labels, (r) => [r, ...names.map((n) => `${n}v${r}`)].join(',')),
        label(['x'], names),
      ).dataset.targets,
    ).toHaveLength(max);
  });

  it('cells, at the real limit, with one-hot classes: the first row at which the data cannot fit', () => {
    // One class per row: rows 0 … r hold (r + 1) × (1 + r + 1) numbers; r is the first row over
    // (for 5,000,000 cells, row 2,235: 2,236 × 2,237 = 5,001,932), on line r + 2.
    const cells = LIMITS.datasetCells;
    let r = 0;
    while ((r + 1) * (r + 2) <= cells) r++;
    const text = table('x,c', r + 10, (k) => `${k},k${k}`);
    const e = thrown(() => importCsv(text, label(['x'], ['c'])));
    expect(e.line).toBe(r + 2);
    expect(e.message).toBe(
      `Line ${(r + 2).toLocaleString('en')}: the data would have more than ${cells.toLocaleString('en')} numbers (rows × columns), the most a project holds.`,
    );
  });

  it('cells after one-hot encoding: stops at the first row at which the data cannot fit', () => {
    // 3 rows × (1 + 3 classes) = 12 numbers fit; a 4th class on row 4 needs 4 × 5 = 20.
    const limits = small({ cells: 12 });
    expect(importCsv('x,c\n1,a\n2,b\n3,c\n', label(['x'], ['c']), limits).dataset.size).toBe(3);
    const e = thrown(() => importCsv('x,c\n1,a\n2,b\n3,c\n4,d\n5,a\n', label(['x'], ['c']), limits));
    expect(e.line).toBe(5);
    expect(e.message).toBe('Line 5: the data would have more than 12 numbers (rows × columns), the most a project holds.');
    // Rows with known classes still count: 4 rows × 4 columns = 16.
    expect(thrown(() => importCsv('x,c\n1,a\n2,b\n3,c\n4,a\n', label(['x'], ['c']), limits)).line).toBe(5);
  });

  it('names: a column or a class that would make a name longer than a project holds', () => {
    const limits = small({ nameLength: 8 });
    expect(thrown(() => importCsv('abcdefghi,y\n1,2\n', numeric(['abcdefghi'], ['y']), limits)).message).toBe(
      "Column 'abcdefghi' has a name of 9 characters, more than the 8 a project holds.",
    );
    const e = thrown(() => importCsv('x,c\n1,ab\n2,abcdefg\n', label(['x'], ['c']), limits));
    expect(e.line).toBe(3);
    expect(e.column).toBe('c');
    expect(e.message).toBe("Line 3, column 'c': the class 'abcdefg' makes a target name of 9 characters, more than the 8 a project holds.");
    // An unused column may have any name.
    expect(importCsv('x,y,a-very-long-note\n1,2,z\n', numeric(['x'], ['y']), limits).dataset.size).toBe(1);
  });

  it('file size: refused before it is read', () => {
    expect(() => checkCsvFileSize(MAX_CSV_CHARS)).not.toThrow();
    const e = thrown(() => checkCsvFileSize(MAX_CSV_CHARS + 1));
    expect(e.message).toBe(`The CSV file is too large (${MAX_CSV_CHARS + 1} bytes; the limit is ${MAX_CSV_CHARS}).`);
    expect(thrown(() => parseCsv('a,b\n1,2\n', small({ chars: 7 }))).message).toMatch(/too large \(8 characters; the limit is 7\)/);
  });
});

// --- Progress -------------------------------------------------------------------------------

/** Runs a generator to its end, collecting what it yields. */
function drain<T>(steps: Generator<CsvProgress, T>): { value: T; progress: CsvProgress[] } {
  const progress: CsvProgress[] = [];
  for (;;) {
    const step = steps.next();
    if (step.done) return { value: step.value, progress };
    progress.push(step.value);
  }
}

describe('progress', () => {
  it('reading reports characters and rows done, in order, about every 64 Ki characters', () => {
    const text = table('a,b', 30_000, (r) => `${r},${r % 7}`);
    const { value, progress } = drain(readCsv(text));
    expect(value.rowCount).toBe(30_000);
    expect(progress.length).toBe(Math.floor((text.length - 1) / 65_536));
    progress.forEach((p, k) => {
      expect(p).toMatchObject({ phase: 'reading', done: 65_536 * (k + 1), total: text.length });
      // Rows before the report's position: every line but the header ends before it.
      expect(p.rows).toBe(text.slice(0, p.done).split('\n').length - 2);
    });
  });

  it('importing reports rows done, and gives the same dataset as importCsv', () => {
    const text = table('a,b,c', 100_000, (r) => `${r},${r % 3},${r % 2 ? 'odd' : 'even'}`);
    const cells = drain(readCsv(text)).value;
    const { value, progress } = drain(importCells(cells, label(['a', 'b'], ['c'])));
    expect(progress.length).toBeGreaterThan(3);
    progress.forEach((p, k) => {
      expect(p.phase).toBe('importing');
      expect(p.total).toBe(100_000);
      expect(p.rows).toBe(p.done);
      if (k > 0) expect(p.done).toBeGreaterThan(progress[k - 1].done);
    });
    const direct = importCsv(text, label(['a', 'b'], ['c']));
    expect(value.dataset.targets).toEqual(['c=even', 'c=odd']);
    // Element by element in a loop: toEqual on 200,000-element arrays takes seconds.
    const differences = (a: Float64Array, b: Float64Array) => {
      let n = Math.abs(a.length - b.length);
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (!Object.is(a[i], b[i])) n++;
      return n;
    };
    expect(value.dataset.x).toHaveLength(200_000);
    expect(differences(value.dataset.x, direct.dataset.x)).toBe(0);
    expect(differences(value.dataset.y, direct.dataset.y)).toBe(0);
    expect(value.dataset.x[2 * 77_777 + 1]).toBe(77_777 % 3);
    expect(value.dataset.y[2 * 77_777 + 1]).toBe(1);
  });
});

describe('cells held as offsets', () => {
  it('gives each row and cell back as parseCsv does, and finds rows by line', () => {
    const text = 'a,b\n"x\ny",  "q""r"  \n\n 3 ,4\n';
    const cells = drain(readCsv(text)).value;
    expect(cells.row(0)).toEqual(['x\ny', 'q"r  ']);
    expect(cells.row(1)).toEqual([' 3 ', '4']);
    expect(parseCsv(text).rows).toEqual([cells.row(0), cells.row(1)]);
    expect([cells.rowAtLine(2), cells.rowAtLine(3), cells.rowAtLine(5), cells.rowAtLine(6)]).toEqual([0, -1, 1, -1]);
  });
});

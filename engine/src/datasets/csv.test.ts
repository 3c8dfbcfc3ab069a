/**
 * CSV import: RFC 4180 cells (quotes, doubled quotes, newlines in quotes, CRLF, a BOM, blank
 * lines), numeric and one-hot label targets, and an error for every malformed file or choice of
 * columns that says where (line and column) the problem is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, DataError, importCsv, MAX_CSV_CHARS, parseCsv, type CsvImportOptions } from '../index';

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
    expect(table.rows).toEqual([['1', '2', '3'], ['4', '5', '6']]);
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
    expect(table.rows).toEqual([['1', '2'], ['3', '4']]);
    expect(table.lines).toEqual([2, 3]);
  });

  it('keeps a CRLF inside quotes and still counts lines', () => {
    const table = parseCsv('a,b\r\n"x\r\ny",2\r\n3,4\r\n');
    expect(table.rows).toEqual([['x\r\ny', '2'], ['3', '4']]);
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
    expect(table.rows).toEqual([['1', '2'], ['3', '4']]);
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
    expect(Array.from(dataset.y)).toEqual([
      0, 0, 1, 0, 1,
      1, 0, 0, 1, 0,
      0, 1, 0, 0, 1,
    ]);
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
        names: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() !== ''), {
          minLength: cols,
          maxLength: cols,
          selector: (s) => s.trim(),
        }),
        rows: fc.array(fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.nat(3)), { minLength: cols, maxLength: cols }), {
          minLength: 1,
          maxLength: 12,
        }),
        eol: fc.constantFrom('\n', '\r\n'),
        finalEol: fc.boolean(),
        quoteAll: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(table, ({ names, rows, eol, finalEol, quoteAll }) => {
        const lines = [names.map(quoteName).join(','), ...rows.map((r) => r.map(([v, style]) => (quoteAll ? `"${String(v)}"` : cellText(v, style))).join(','))];
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
      expect(() => importCsv(`a,b\n${cell},1\n2,0\n`, { features: ['a'], targets: ['b'], targetKind: 'numeric' }), cell).toThrow(/Line 2, column 'a'/);
    }
    const ok = importCsv('a,b\n+1.5e-3,1\n.5,0\n-2.,1\n', { features: ['a'], targets: ['b'], targetKind: 'numeric' });
    expect(Array.from(ok.dataset.x)).toEqual([0.0015, 0.5, -2]);
  });

  it('refuses a column chosen twice', () => {
    expect(() => importCsv('a,b\n1,2\n', { features: ['a', 'a'], targets: ['b'], targetKind: 'numeric' })).toThrow(/Column 'a' is chosen twice as a feature/);
    expect(() => importCsv('a,b\n1,x\n2,y\n', { features: ['a'], targets: ['b', 'b'], targetKind: 'label' })).toThrow(/chosen twice as a target/);
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

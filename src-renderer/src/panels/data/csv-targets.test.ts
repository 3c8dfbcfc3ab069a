/**
 * What the CSV dialog says about targets: the suggestion with its reason for one column or
 * several, a binary target's mapping, and the data panel's list of targets with it.
 */
import { describe, expect, it } from 'vitest';
import type { CsvColumnSummary } from '../../../../engine/src/index';
import { binaryMapping, describeTargets, fewColumns, suggestion, TARGET_KINDS } from './csv-targets';

const column = (distinct: number, values: string[], numeric: boolean): CsvColumnSummary => ({ distinct, values, numeric, empty: false });
const HEADER = ['x', 'diagnosis', 'species', 'price', 'constant'];
const COLUMNS = [
  column(3, ['1', '2'], true),
  column(2, ['M', 'B'], false),
  column(3, ['setosa', 'versicolor'], false),
  column(3, ['10.5', '12'], true),
  column(1, ['7'], true),
];

describe('the suggestion', () => {
  it('names the kind and the reason for one target', () => {
    expect(suggestion(HEADER, COLUMNS, ['diagnosis'])).toEqual({
      kind: 'binary',
      reason: "Suggested from the data: binary — 'diagnosis' has two values, B and M.",
    });
    expect(suggestion(HEADER, COLUMNS, ['species'])).toEqual({
      kind: 'label',
      reason: "Suggested from the data: class labels — 'species' holds text labels.",
    });
    expect(suggestion(HEADER, COLUMNS, ['price'])).toEqual({
      kind: 'numeric',
      reason: "Suggested from the data: numbers — 'price' holds numbers with many values.",
    });
    expect(suggestion(HEADER, COLUMNS, ['constant'])).toEqual({
      kind: 'numeric',
      reason: "Suggested from the data: numbers — 'constant' has one value, 7.",
    });
  });

  it('several targets: the kind alone; none: nothing', () => {
    expect(suggestion(HEADER, COLUMNS, ['diagnosis', 'species'])).toEqual({
      kind: 'label',
      reason: 'Suggested from the data: class labels.',
    });
    expect(suggestion(HEADER, COLUMNS, [])).toBeNull();
    expect(suggestion(HEADER, [], ['x'])).toBeNull();
  });

  it('every suggested kind is one the select offers', () => {
    expect(TARGET_KINDS.map((k) => k.kind).sort()).toEqual(['binary', 'label', 'numeric']);
  });
});

describe('the mapping', () => {
  it('0/1 as they are; labels each with its value', () => {
    expect(binaryMapping(['0', '1'])).toBe('0 and 1, as they are');
    expect(binaryMapping(['B', 'M'])).toBe('B → 0, M → 1');
    expect(binaryMapping(['1', '0'])).toBe('1 → 0, 0 → 1');
  });

  it('the data panel lists a labelled binary target with its mapping, the others by name', () => {
    const classes = { diagnosis: ['B', 'M'], y: ['0', '1'], species: ['a', 'b', 'c'] };
    expect(describeTargets(['diagnosis', 'y', 'species=a', 'species=b'], classes)).toBe(
      'diagnosis (B = 0, M = 1), y, species=a, species=b',
    );
    expect(describeTargets(['t'], undefined)).toBe('t');
    // A target named like an Object.prototype property is not taken for one with classes.
    expect(describeTargets(['constructor'], {})).toBe('constructor');
  });
});

describe('the data panel line', () => {
  it('lists up to five columns, else five and how many more', () => {
    expect(fewColumns(['x1', 'x2'])).toBe('x1, x2');
    const thirty = Array.from({ length: 30 }, (_, i) => `f${i}`);
    expect(fewColumns(thirty)).toBe('f0, f1, f2, f3, f4 … 25 more');
  });
});

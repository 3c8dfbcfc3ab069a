import { describe, expect, it } from 'vitest';
import { labelWidth, placeLabels, type LabelBox } from './edge-labels';

/** A label 40 × 16 with its middle at (x, y) and other places `more` along its edge. */
const box = (id: string, x: number, y: number, options: { pinned?: boolean; more?: [number, number][] } = {}): LabelBox => ({
  id,
  places: [{ x, y }, ...(options.more ?? []).map(([px, py]) => ({ x: px, y: py }))],
  width: 40,
  height: 16,
  pinned: options.pinned ?? false,
});

describe('edge labels that never pile up', () => {
  it('keeps labels apart at their middles, as they are', () => {
    expect([...placeLabels([box('a', 0, 0), box('b', 100, 0), box('c', 0, 40)])]).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
    ]);
  });

  it('moves the later of two crossing labels along its edge to its first free place', () => {
    const placed = placeLabels([
      box('a', 0, 0, { more: [[-30, -20]] }),
      box('b', 2, 2, {
        more: [
          [10, 6],
          [-40, 30],
        ],
      }),
    ]);
    expect(placed.get('a')).toBe(0);
    expect(placed.get('b')).toBe(2); // (10, 6) still overlaps a; (−40, 30) is free
  });

  it('shrinks a label with no free place to a dot, and a shrunk one takes no room', () => {
    const placed = placeLabels([box('a', 0, 0), box('b', 30, 5), box('c', 65, 0)]);
    expect(placed.get('b')).toBeNull();
    expect(placed.get('c')).toBe(0); // c overlaps only b, which is shrunk
  });

  it('a selected or lit label is always shown at its middle, and the others give way to it', () => {
    expect(placeLabels([box('a', 0, 0), box('b', 10, 0, { pinned: true })]).get('a')).toBeNull();
    const both = placeLabels([box('a', 0, 0, { pinned: true }), box('b', 10, 0, { pinned: true })]);
    expect([both.get('a'), both.get('b')]).toEqual([0, 0]);
  });

  it('a wider text makes a wider box', () => {
    expect(labelWidth('∂ −0.012 · Δ 0.0061')).toBeGreaterThan(labelWidth('0.5'));
  });
});

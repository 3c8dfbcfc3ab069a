import { describe, expect, it } from 'vitest';
import { collapsedLabels, labelWidth, type LabelBox } from './edge-labels';

const box = (id: string, x: number, y: number, pinned = false, width = 40): LabelBox => ({ id, x, y, width, height: 16, pinned });

describe('edge labels that never pile up', () => {
  it('keeps labels apart as they are, and shrinks the later of two that overlap', () => {
    expect(collapsedLabels([box('a', 0, 0), box('b', 100, 0), box('c', 0, 40)])).toEqual(new Set());
    expect(collapsedLabels([box('a', 0, 0), box('b', 30, 5)])).toEqual(new Set(['b']));
    // Three crossing at one point: the first stays, the other two shrink.
    expect(collapsedLabels([box('a', 0, 0), box('b', 2, 2), box('c', -3, 1)])).toEqual(new Set(['b', 'c']));
  });

  it('a shrunk label does not hide the next: only shown labels count', () => {
    // b overlaps a (shrunk); c overlaps b but not a: c is shown.
    expect(collapsedLabels([box('a', 0, 0), box('b', 35, 0), box('c', 70, 0)])).toEqual(new Set(['b']));
  });

  it('a selected or lit label is always shown, and the others give way to it', () => {
    expect(collapsedLabels([box('a', 0, 0), box('b', 10, 0, true)])).toEqual(new Set(['a']));
    expect(collapsedLabels([box('a', 0, 0, true), box('b', 10, 0, true)])).toEqual(new Set());
  });

  it('a wider text makes a wider box', () => {
    expect(labelWidth('∂ −0.012 · Δ 0.0061')).toBeGreaterThan(labelWidth('0.5'));
  });
});

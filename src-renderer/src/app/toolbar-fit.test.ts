import { describe, expect, it } from 'vitest';
import { fitToolbar, type FitItem } from './toolbar-fit';

/** Five items of 100 px (40 px as an icon), a More button of 50 px, gaps of 10 px. */
const items: FitItem[] = [
  { key: 'train', full: 100, icon: 100 },
  { key: 'open', full: 100, icon: 40, iconRank: 3, moreRank: 13 },
  { key: 'save', full: 100, icon: 40, iconRank: 4, moreRank: 14 },
  { key: 'export', full: 100, icon: 40, iconRank: 1, moreRank: 10 },
  { key: 'help', full: 100, icon: 40, iconRank: 2, moreRank: 11 },
];
const row = (available: number) => ({ available, more: 50, gap: 10 });
const modes = (available: number) => Object.fromEntries(fitToolbar(items, row(available)));

describe('fitToolbar', () => {
  it('keeps every label when the row has room: 5 × 100 + 4 gaps of 10 = 540 px', () => {
    expect(modes(540)).toEqual({ train: 'full', open: 'full', save: 'full', export: 'full', help: 'full' });
  });

  it('drops labels in rank order, one at a time, until the row fits', () => {
    // 539 px: export loses its label (540 − 60 = 480).
    expect(modes(539)).toEqual({ train: 'full', open: 'full', save: 'full', export: 'icon', help: 'full' });
    // 479 px: help too (420); 419: open (360); 359: save (300) — Train has no shorter form.
    expect(modes(479)).toMatchObject({ export: 'icon', help: 'icon', open: 'full' });
    expect(modes(359)).toEqual({ train: 'full', open: 'icon', save: 'icon', export: 'icon', help: 'icon' });
    expect(modes(300)).toEqual({ train: 'full', open: 'icon', save: 'icon', export: 'icon', help: 'icon' });
  });

  it('moves items into the More menu after that, the button counted with the first move', () => {
    // All icons: 100 + 4 × 40 + 4 × 10 = 300. Moving export: 100 + 3 × 40 + More 50 + 4 gaps = 310,
    // which is wider: a second move (help) is needed to get under 300, giving 100 + 80 + 50 + 30 = 260.
    expect(modes(299)).toEqual({ train: 'full', open: 'icon', save: 'icon', export: 'more', help: 'more' });
    expect(modes(260)).toEqual({ train: 'full', open: 'icon', save: 'icon', export: 'more', help: 'more' });
    // 259: open goes too (100 + 40 + 50 + 20 = 210).
    expect(modes(259)).toEqual({ train: 'full', open: 'more', save: 'icon', export: 'more', help: 'more' });
  });

  it('never moves an item without a rank; too narrow for it even so, the row stays as small as it gets', () => {
    expect(modes(10)).toEqual({ train: 'full', open: 'more', save: 'more', export: 'more', help: 'more' });
  });

  it('items of one rank change together, and at one rank the labels go before the moves', () => {
    const tied: FitItem[] = [
      { key: 'a', full: 100, icon: 40, iconRank: 1, moreRank: 1 },
      { key: 'b', full: 100, icon: 40, iconRank: 1, moreRank: 1 },
    ];
    // 210 px with both labels; at 209 both go at once (90), though one alone (150) would have fitted 150.
    expect(Object.fromEntries(fitToolbar(tied, row(210)))).toEqual({ a: 'full', b: 'full' });
    expect(Object.fromEntries(fitToolbar(tied, row(150)))).toEqual({ a: 'icon', b: 'icon' });
    expect(Object.fromEntries(fitToolbar(tied, row(90)))).toEqual({ a: 'icon', b: 'icon' });
    // At 89 both move into the menu together: the More button alone, 50 px.
    expect(Object.fromEntries(fitToolbar(tied, row(89)))).toEqual({ a: 'more', b: 'more' });
  });
});

/**
 * How the toolbar fits its row: every item with its icon and label where there is room; where
 * there is not, items give up their labels and then move into the "More" menu, each at its own
 * rank (the least used first), until the row fits. Pure: the toolbar measures, this decides.
 */

/** How an item is shown: icon and label, icon alone, or as an entry of the More menu. */
export type ItemMode = 'full' | 'icon' | 'more';

/** One item of the toolbar, with its measured widths. */
export interface FitItem {
  readonly key: string;
  /** Width with icon and label, px. */
  readonly full: number;
  /** Width with the icon alone, px (the same as `full` for an item that has no shorter form). */
  readonly icon: number;
  /** When the label goes: items with lower ranks lose theirs first, those of one rank together; never if undefined. */
  readonly iconRank?: number;
  /** When it moves into the More menu: lower ranks first, those of one rank together; never if undefined. */
  readonly moreRank?: number;
}

/** The row: the width the items may take, the More button's width and the gap between items. */
export interface FitRow {
  readonly available: number;
  readonly more: number;
  readonly gap: number;
}

/**
 * Each item's mode so that the row fits `available` px, giving up as little as it can: steps
 * (the labels of one rank dropped, the items of one rank moved into the menu) are taken in rank
 * order, labels before moves at the same rank, and the first move adds the More button. If every step is taken
 * and the row is still too wide, it stays so (the fixed items alone are wider than the window).
 */
export function fitToolbar(items: readonly FitItem[], row: FitRow): Map<string, ItemMode> {
  const modes = new Map<string, ItemMode>(items.map((item) => [item.key, 'full']));
  const width = () => {
    let total = 0;
    let shown = 0;
    let moved = false;
    for (const item of items) {
      const mode = modes.get(item.key)!;
      if (mode === 'more') {
        moved = true;
        continue;
      }
      total += mode === 'icon' ? item.icon : item.full;
      shown++;
    }
    if (moved) {
      total += row.more;
      shown++;
    }
    return total + Math.max(0, shown - 1) * row.gap;
  };
  // A step is every item of one rank going to one mode at once (Undo and Redo lose their labels
  // together); by rank, and at the same rank the labels go before the moves.
  const steps = new Map<string, { mode: ItemMode; rank: number; keys: string[] }>();
  const add = (key: string, mode: ItemMode, rank: number) => {
    const id = `${mode}:${rank}`;
    const step = steps.get(id) ?? { mode, rank, keys: [] };
    step.keys.push(key);
    steps.set(id, step);
  };
  for (const item of items) {
    if (item.iconRank !== undefined && item.icon < item.full) add(item.key, 'icon', item.iconRank);
    if (item.moreRank !== undefined) add(item.key, 'more', item.moreRank);
  }
  const ordered = [...steps.values()].sort((a, b) => a.rank - b.rank || (a.mode === b.mode ? 0 : a.mode === 'icon' ? -1 : 1));
  for (const step of ordered) {
    if (width() <= row.available) break;
    for (const key of step.keys) modes.set(key, step.mode);
  }
  return modes;
}

/**
 * Edge labels that never pile up: every edge reports where its label sits and how wide it is;
 * where two would overlap (edges crossing, a fan of edges into one unit), the later one shrinks to a
 * dot that shows its value on hover or when its edge is selected. Pure placement logic, plus the
 * small store the edges share.
 */
import { create } from 'zustand';

/** A label's box on the canvas (flow coordinates), and whether it must stay shown. */
export interface LabelBox {
  id: string;
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Selected, lit or being edited: always shown, and placed first. */
  pinned: boolean;
}

/** Room kept between two shown labels, in px. */
const GAP = 2;

/** Whether two label boxes overlap (with the gap). */
function overlaps(a: LabelBox, b: LabelBox): boolean {
  return Math.abs(a.x - b.x) * 2 < a.width + b.width + 2 * GAP && Math.abs(a.y - b.y) * 2 < a.height + b.height + 2 * GAP;
}

/**
 * The labels to shrink so that no two shown ones overlap: pinned labels first, then the others in
 * the order given (the graph's edge order, so the choice is stable while nothing moves); a label is
 * shown when it overlaps none shown before it. Pinned labels are never shrunk.
 */
export function collapsedLabels(boxes: readonly LabelBox[]): Set<string> {
  const order = [...boxes.filter((b) => b.pinned), ...boxes.filter((b) => !b.pinned)];
  const shown: LabelBox[] = [];
  const collapsed = new Set<string>();
  for (const box of order) {
    if (!box.pinned && shown.some((other) => overlaps(box, other))) collapsed.add(box.id);
    else shown.push(box);
  }
  return collapsed;
}

/** About how wide a label of `text` is at the canvas's label font (11 px), padding included. */
export function labelWidth(text: string): number {
  return 8 + 6.4 * text.length;
}

export const LABEL_HEIGHT = 16;

interface EdgeLabelStore {
  boxes: Map<string, LabelBox>;
  collapsed: Set<string>;
  report(box: LabelBox): void;
  forget(id: string): void;
}

let scheduled = false;

/** The labels' boxes and which are shrunk; recomputed once a frame after any label moved. */
export const useEdgeLabels = create<EdgeLabelStore>((set, get) => {
  const recompute = () => {
    scheduled = false;
    const next = collapsedLabels([...get().boxes.values()]);
    const now = get().collapsed;
    if (next.size !== now.size || [...next].some((id) => !now.has(id))) set({ collapsed: next });
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    (typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (f: () => void) => setTimeout(f, 16))(recompute);
  };
  return {
    boxes: new Map(),
    collapsed: new Set(),
    report(box) {
      const old = get().boxes.get(box.id);
      if (old && old.x === box.x && old.y === box.y && old.width === box.width && old.pinned === box.pinned) return;
      get().boxes.set(box.id, box);
      schedule();
    },
    forget(id) {
      if (get().boxes.delete(id)) schedule();
    },
  };
});

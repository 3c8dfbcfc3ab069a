/**
 * Edge labels that never pile up: every edge reports where along it its label may sit and how wide
 * it is; where two would overlap (edges crossing, a fan of edges into one unit), the later one moves
 * along its edge to a free place, or, with none free, shrinks to a dot that shows its value on hover
 * or when its edge is selected. Pure placement logic, plus the small store the edges share.
 */
import { create } from 'zustand';

/** A point on the canvas (flow coordinates). */
export interface Point {
  x: number;
  y: number;
}

/** A label's places along its edge (the middle first), its size, and whether it must stay shown. */
export interface LabelBox {
  id: string;
  /** Where the label may sit, best first: the edge's middle, then points either side of it. */
  places: Point[];
  width: number;
  height: number;
  /** Selected, lit or being edited: always shown at its first place, and placed first. */
  pinned: boolean;
}

/** Room kept between two shown labels, in px. */
const GAP = 2;

/** Whether two labels' boxes, centred at `a` and `b`, overlap (with the gap). */
function overlaps(a: Point, sizeA: LabelBox, b: Point, sizeB: LabelBox): boolean {
  return Math.abs(a.x - b.x) * 2 < sizeA.width + sizeB.width + 2 * GAP && Math.abs(a.y - b.y) * 2 < sizeA.height + sizeB.height + 2 * GAP;
}

/**
 * Where each label goes: the index of the first of its places that overlaps no label placed before
 * it, or null (shrunk to a dot at its first place) when every place does. Pinned labels go first,
 * at their first place, and are never shrunk; the others follow in the order given (the graph's
 * edge order, so the choice is stable while nothing moves).
 */
export function placeLabels(boxes: readonly LabelBox[]): Map<string, number | null> {
  const order = [...boxes.filter((b) => b.pinned), ...boxes.filter((b) => !b.pinned)];
  const shown: { at: Point; box: LabelBox }[] = [];
  const placed = new Map<string, number | null>();
  for (const box of order) {
    if (box.places.length === 0) continue;
    const free = box.pinned ? 0 : box.places.findIndex((at) => !shown.some((other) => overlaps(at, box, other.at, other.box)));
    placed.set(box.id, free >= 0 ? free : null);
    if (free >= 0) shown.push({ at: box.places[free], box });
  }
  return placed;
}

/** Where along its edge a label may sit, as fractions of the edge's length: the middle first. */
export const LABEL_PLACES = [0.5, 0.35, 0.65, 0.25, 0.75];

/** About how wide a label of `text` is at the canvas's label font (11 px), padding included. */
export function labelWidth(text: string): number {
  return 8 + 6.4 * text.length;
}

export const LABEL_HEIGHT = 16;

interface EdgeLabelStore {
  boxes: Map<string, LabelBox>;
  placed: Map<string, number | null>;
  report(box: LabelBox): void;
  forget(id: string): void;
}

let scheduled = false;

/** The labels' boxes and which are shrunk; recomputed once a frame after any label moved. */
export const useEdgeLabels = create<EdgeLabelStore>((set, get) => {
  const recompute = () => {
    scheduled = false;
    const next = placeLabels([...get().boxes.values()]);
    const now = get().placed;
    if (next.size !== now.size || [...next].some(([id, place]) => now.get(id) !== place)) set({ placed: next });
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    (typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (f: () => void) => setTimeout(f, 16))(recompute);
  };
  return {
    boxes: new Map(),
    placed: new Map(),
    report(box) {
      const old = get().boxes.get(box.id);
      const samePlaces =
        old && old.places.length === box.places.length && old.places.every((p, k) => p.x === box.places[k].x && p.y === box.places[k].y);
      if (old && samePlaces && old.width === box.width && old.pinned === box.pinned) return;
      get().boxes.set(box.id, box);
      schedule();
    },
    forget(id) {
      if (get().boxes.delete(id)) schedule();
    },
  };
});

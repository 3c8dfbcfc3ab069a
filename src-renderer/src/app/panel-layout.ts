/**
 * The window's resizable panels: their minimum, default and largest sizes in pixels, and how a
 * size saved in the project's view is read back. Pure, so the layout check of the journeys
 * (e2e/layout-check.ts) holds the window to the same minimums the splitters enforce.
 */
import type { Project } from '../../../engine/src/index';

/** A panel's bounds along the axis it is resized on (width, or the dock's height), in px. */
export interface PanelBounds {
  readonly min: number;
  readonly default: number;
  readonly max: number;
}

/**
 * Each resizable panel. The minimums are what keeps the content legible: the palette's longest
 * entry ("Neuron (leaky ReLU)") and the Build row; the side panel's label beside a select showing
 * "gradient descent"; the dock's chart with its legend; the decision-region plot's square; the
 * evaluation's split table.
 */
export const PANELS = {
  /** The palette column beside the canvas (width). */
  palette: { min: 150, default: 178, max: 320 },
  /** The side panel: inspector, data, hyperparameters (width). */
  side: { min: 300, default: 340, max: 640 },
  /** The dock under the workspace with the curves, regions and evaluation (height). */
  dock: { min: 220, default: 300, max: 900 },
  /** The dock while it holds the backprop inspector, which has more to show (height). */
  backprop: { min: 220, default: 360, max: 1200 },
  /** The decision-region plot in the dock (width). */
  regions: { min: 200, default: 250, max: 900 },
  /** The evaluation in the dock (width). */
  evaluation: { min: 260, default: 420, max: 4000 },
  /** The Learn panel left of the canvas: a lesson's prose, formulas and tasks (width). */
  learn: { min: 260, default: 260, max: 700 },
} as const satisfies Record<PanelName, PanelBounds>;

/** The sizes a project's view keeps (engine/src/project/schema.ts). */
export type PanelSizes = NonNullable<Project['view']['panelSizes']>;

/** A resizable panel's name, as its size is saved in the project's view (`view.panelSizes`). */
export type PanelName = keyof PanelSizes;

/** Sizes the canvas never goes below, in px (it takes what the panels around it leave). */
export const CANVAS_MINIMUM = { width: 360, height: 240 } as const;

/** The loss chart's narrowest, in px: it takes the dock's width the regions and evaluation leave. */
export const CURVES_MINIMUM = 320;

/**
 * The size a panel opens at: the saved one within the panel's bounds, or its default when
 * nothing (or nothing usable) is saved. A file may come from a larger screen or be hand-edited.
 */
export function initialSize(name: PanelName, saved: PanelSizes | undefined): number {
  const bounds = PANELS[name];
  const value = saved?.[name];
  if (value === undefined || !Number.isFinite(value)) return bounds.default;
  return Math.round(Math.min(bounds.max, Math.max(bounds.min, value)));
}

/**
 * Whether a panel's new size is worth saving in the view: a move of a pixel or two while the
 * library settles its percentages is not a change the user made, and a save on every such
 * rounding would rewrite the view for nothing.
 */
export function sizeChanged(before: number | undefined, after: number): boolean {
  return before === undefined || Math.abs(before - after) >= 2;
}

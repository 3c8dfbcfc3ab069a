/**
 * The canvas is derived from the document, never the other way round: React Flow's nodes and
 * edges are computed here from the graph (plus the compiler's verdict and the selection), and
 * every change the canvas reports goes back as a command.
 */
import { isComputing, unitCount, weightMatrix, type CompileResult, type Graph, type GraphIssue } from '../../../engine/src/index';
import { edgeAriaLabel, unitAriaLabel } from './aria-labels';

/** How many of an input layer's features its node lists before "… N more". */
export const INPUT_LAYER_SHOWN = 6;

/** What a node on the canvas shows. */
export interface CanvasNodeData {
  kind: Graph['nodes'][number]['kind'];
  label: string;
  /** Activation name, for the glyph of its curve. */
  activation: string | null;
  /** Biases as shown (one for a unit; a layer shows its count and the first few). */
  bias: number[] | null;
  units: number;
  /** The feature an input reads, or the targets an output predicts. */
  binding: string | null;
  /** The features an input layer reads, in unit order (null for other kinds). */
  features: string[] | null;
  isOutput: boolean;
  /** Compiler errors and warnings about this node. */
  issues: GraphIssue[];
  [key: string]: unknown;
}

/** What an edge on the canvas shows: drawn by weight, colour for sign, width for magnitude. */
export interface CanvasEdgeData {
  /** The weight as a scalar, or the mean of a matrix (for colour). */
  mean: number;
  /** Mean absolute weight (for width). */
  magnitude: number;
  /** Number of weights (1 for a scalar edge). */
  count: number;
  locked: boolean;
  issues: GraphIssue[];
  [key: string]: unknown;
}

export interface CanvasNode {
  id: string;
  /** What a screen reader calls it (React Flow puts it on the node's focusable element). */
  ariaLabel: string;
  type: string;
  position: { x: number; y: number };
  data: CanvasNodeData;
  selected: boolean;
}

export interface CanvasEdge {
  id: string;
  /** What a screen reader calls it. */
  ariaLabel: string;
  source: string;
  target: string;
  type: string;
  data: CanvasEdgeData;
  selected: boolean;
}

/** Edge width in pixels for a mean absolute weight: visible at 0, capped for huge weights. */
export function edgeWidth(magnitude: number): number {
  return Math.min(8, 1 + 2.5 * Math.sqrt(magnitude));
}

/** The canvas's nodes and edges for a graph. */
export function deriveCanvas(
  graph: Graph,
  compiled: CompileResult | null,
  selection: ReadonlySet<string> = new Set(),
): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const issues = compiled ? [...(compiled.ok ? [] : compiled.errors), ...compiled.warnings] : [];
  const aboutNode = (id: string) => issues.filter((i) => i.nodeId === id && !i.edgeId);
  const aboutEdge = (id: string) => issues.filter((i) => i.edgeId === id);
  const nodes = graph.nodes.map((node, index): CanvasNode => ({
    id: node.id,
    ariaLabel: unitAriaLabel(node, aboutNode(node.id)),
    // One node type per look, styled by kind (React Flow's own 'input' type would otherwise apply):
    // an input layer lists its features, every other node is a unit.
    type: node.kind === 'inputLayer' ? 'inputLayer' : 'unit',
    position: node.position ?? { x: 0, y: index * 100 },
    selected: selection.has(node.id),
    data: {
      kind: node.kind,
      label: node.label ?? node.id,
      activation: isComputing(node) ? node.activation : null,
      bias: isComputing(node) ? (node.kind === 'dense' ? node.bias : [node.bias]) : null,
      units: unitCount(node),
      binding: node.kind === 'input' ? node.feature : isComputing(node) && node.output ? node.output.targets.join(', ') : null,
      features: node.kind === 'inputLayer' ? node.features : null,
      isOutput: isComputing(node) && !!node.output,
      issues: aboutNode(node.id),
    },
  }));
  const names = new Map(graph.nodes.map((n) => [n.id, n.label ?? n.id]));
  const edges = graph.edges.map((edge): CanvasEdge => {
    const values = weightMatrix(edge).flat();
    const count = values.length;
    return {
      id: edge.id,
      ariaLabel: edgeAriaLabel(edge, names, aboutEdge(edge.id)),
      source: edge.source,
      target: edge.target,
      type: 'weighted',
      selected: selection.has(edge.id),
      data: {
        mean: count ? values.reduce((a, b) => a + b, 0) / count : 0,
        magnitude: count ? values.reduce((a, b) => a + Math.abs(b), 0) / count : 0,
        count,
        locked: edge.locked === true,
        issues: aboutEdge(edge.id),
      },
    };
  });
  return { nodes, edges };
}

/** The architecture in words, as the status bar says it: "2 → 2 → 1, 9 parameters". */
export function describeArchitecture(graph: Graph, compiled: CompileResult): string {
  if (!compiled.ok) return compiled.errors[0].message;
  const model = compiled.model;
  // Units by depth: inputs at 0, each computing node one deeper than its deepest source.
  const depth = new Map<string, number>();
  for (const input of model.inputs) depth.set(input.nodeId, 0);
  for (const slot of model.biasSlots) depth.set(model.slotNodes[slot], -1);
  const counts: number[] = [model.inputs.length];
  for (const node of model.computing) {
    // A loop, not a spread into Math.max: a node may have up to 100,000 incoming edges.
    let deepest = 0;
    for (const e of node.incoming) deepest = Math.max(deepest, depth.get(e.source) ?? 0);
    const d = 1 + deepest;
    depth.set(node.id, d);
    counts[d] = (counts[d] ?? 0) + node.units;
  }
  void graph;
  return `${counts.filter((c) => c !== undefined).join(' → ')}, ${model.paramCount} parameter${model.paramCount === 1 ? '' : 's'}`;
}

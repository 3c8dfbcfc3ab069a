/**
 * Automatic layered layout (inputs left, outputs right) with ELK's layered algorithm, as a Move
 * command: one undo step.
 */
import type { Graph } from '../../../engine/src/index';
import { move, type Command } from './commands';
import { INPUT_LAYER_SHOWN } from './derive';

/** ELK is large (about 1.4 MB): it loads the first time Layout is used, not with the app. */
let elk: Promise<{ layout: (graph: import('elkjs/lib/elk-api').ElkNode) => Promise<import('elkjs/lib/elk-api').ElkNode> }> | null = null;
function layoutEngine() {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK());
  return elk;
}

/** Sizes of the nodes as drawn (React Flow's measurements), with a default for unmeasured ones. */
export type NodeSizes = ReadonlyMap<string, { width: number; height: number }>;

/** A node's height before React Flow has measured it: an input layer lists up to its first few features. */
function defaultHeight(node: Graph['nodes'][number]): number {
  return node.kind === 'inputLayer' ? 56 + 17 * Math.min(node.features.length, INPUT_LAYER_SHOWN + 1) : 50;
}

/** The Layout command for this graph. */
export async function layoutCommand(graph: Graph, sizes: NodeSizes = new Map()): Promise<Command> {
  const result = await (
    await layoutEngine()
  ).layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '120',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
    },
    children: graph.nodes.map((n) => ({
      id: n.id,
      width: sizes.get(n.id)?.width ?? 120,
      height: sizes.get(n.id)?.height ?? defaultHeight(n),
    })),
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const positions = Object.fromEntries((result.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
  return { ...move(positions), label: 'Layout' };
}

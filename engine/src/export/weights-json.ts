/**
 * Weights as JSON: every node's biases and every edge's weights under the ids and labels the user
 * gave them, with the normalisation the inputs go through, for reading, diffing and loading into
 * other tools. Numbers are written as JavaScript prints them (the shortest text that reads back to
 * the same float64), so nothing is rounded.
 */
import { isComputing, unitCount } from '../model/graph';
import type { Project } from '../project/schema';
import { edgeWeights, prepareExport } from './model';

/** The `format` field of a weights file. */
export const WEIGHTS_FORMAT = 'nnstudio-weights';

/** The document {@link exportWeightsJson} writes. */
export interface WeightsDocument {
  format: typeof WEIGHTS_FORMAT;
  version: 1;
  project: string;
  /** Completed training epochs when exported. */
  epoch: number;
  /** The network's inputs in order, each normalised as x' = (x − shift) / scale before use. */
  inputs: { node: string; feature: string; shift: number; scale: number }[];
  normalisation: 'none' | 'standardise' | 'minmax';
  /** Computing nodes in the order they are evaluated. */
  nodes: {
    id: string;
    label: string;
    kind: string;
    activation: string;
    units: number;
    /** One bias per unit. */
    bias: number[];
    biasLocked: boolean;
    /** The target column each unit predicts, when this node is an output. */
    targets: string[] | null;
  }[];
  /** Every edge in graph order; `weight[j][i]` connects source unit i to target unit j. */
  edges: { id: string; source: string; target: string; weight: number[][]; locked: boolean }[];
  /** Every parameter by its readable name (`w(h[1]←x1)`, `b(y)`), in the engine's parameter order. */
  parameters: { name: string; value: number }[];
}

/**
 * The project's weights as a {@link WeightsDocument}.
 * @throws ExportError when the graph does not compile.
 */
export function weightsDocument(project: Project): WeightsDocument {
  const { model, params, normalisation } = prepareExport(project);
  const nodeById = new Map(project.graph.nodes.map((n) => [n.id, n]));
  return {
    format: WEIGHTS_FORMAT,
    version: 1,
    project: project.name,
    epoch: project.training.epoch,
    normalisation: normalisation?.method ?? 'none',
    inputs: model.inputs.map((input, f) => ({
      node: input.nodeId,
      feature: input.feature,
      shift: normalisation?.shift[f] ?? 0,
      scale: normalisation?.scale[f] ?? 1,
    })),
    nodes: model.computing.map((node) => {
      const g = nodeById.get(node.id)!;
      return {
        id: node.id,
        label: g.label ?? g.id,
        kind: node.kind,
        activation: node.activation,
        units: unitCount(g),
        bias: Array.from(params.subarray(node.biasOffset, node.biasOffset + node.units)),
        biasLocked: node.biasLocked,
        targets: isComputing(g) && g.output ? [...g.output.targets] : null,
      };
    }),
    edges: model.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      weight: edgeWeights(params, edge),
      locked: edge.locked,
    })),
    parameters: model.paramNames.map((name, p) => ({ name, value: params[p] })),
  };
}

/**
 * The project's weights as JSON text (two-space indentation, matrices one row per line).
 * @throws ExportError when the graph does not compile.
 */
export function exportWeightsJson(project: Project): string {
  const text = JSON.stringify(weightsDocument(project), null, 2);
  // Matrices of numbers on one line per row: a 16×16 layer stays readable instead of 300 lines.
  return `${text.replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, numbers: string) => `[${numbers.split(/,\s+/).join(', ')}]`)}\n`;
}

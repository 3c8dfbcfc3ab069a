/**
 * The network graph: the document the editor edits and the compiler reads.
 *
 * Notation follows the lecture (see `shared/reference/backprop-notes.md`): a unit j receives
 * inputs x_ji through weights w_ji, computes s_j = Σ_i w_ji x_ji + b_j and outputs z_j = φ(s_j).
 * An edge's matrix is indexed `weight[j][i]`: row j is the target's unit, column i the source's.
 */
import { quoteForMessage } from '../util/quote';

import type { Activation, NeuronActivation, PerceptronActivation } from './activations';

// The activation types are derived from the registry in activations.ts.
export type { Activation, NeuronActivation, PerceptronActivation };

/** Canvas position of a node; kept in the document so a reopened project looks as it was saved. */
export interface Position {
  x: number;
  y: number;
}

/**
 * Marks a computing node as an output of the network and names the target column each of its
 * units predicts (one name per unit, in unit order).
 */
export interface OutputBinding {
  targets: string[];
}

interface NodeBase {
  /** Unique within the graph. */
  id: string;
  /** What the user calls it; defaults to the id when shown. */
  label?: string;
  position?: Position;
}

/** One input feature x_i. */
export interface InputNode extends NodeBase {
  kind: 'input';
  /** The dataset column this input reads. */
  feature: string;
}

/**
 * A layer of input features x_1 … x_N, as a dense layer holds N computing units: unit i reads
 * column `features[i]` of the data. One node for a 30-column table or a 784-pixel image, where
 * single {@link InputNode}s suit a hand-drawn lecture network.
 */
export interface InputLayerNode extends NodeBase {
  kind: 'inputLayer';
  /** The dataset columns this layer reads, one per unit, in unit order (at least one). */
  features: string[];
}

/** A node whose values come from the data: a single input or an input layer. */
export type DataInputNode = InputNode | InputLayerNode;

/** A constant 1 (the lecture's x_0 = 1); the weight on its edge acts as a bias. */
export interface BiasNode extends NodeBase {
  kind: 'bias';
}

interface ComputingBase extends NodeBase {
  /** When set, this node is an output and its units predict these target columns. */
  output?: OutputBinding;
  /** When true, training leaves the bias (or biases) of this node alone. */
  biasLocked?: boolean;
}

/** A single perceptron: a linear machine followed by a step or sign decision. */
export interface PerceptronNode extends ComputingBase {
  kind: 'perceptron';
  activation: PerceptronActivation;
  bias: number;
}

/** A single neuron with a smooth (or piecewise-linear) activation. */
export interface NeuronNode extends ComputingBase {
  kind: 'neuron';
  activation: NeuronActivation;
  bias: number;
}

/** A layer of `units` units sharing one activation; `bias[j]` is unit j's bias. */
export interface DenseNode extends ComputingBase {
  kind: 'dense';
  units: number;
  activation: Activation;
  bias: number[];
}

/** A node whose units compute s_j and z_j. */
export type ComputingNode = PerceptronNode | NeuronNode | DenseNode;
/** Any node of the graph. */
export type GraphNode = InputNode | InputLayerNode | BiasNode | ComputingNode;
/** The node kinds, for palettes and messages. */
export type NodeKind = GraphNode['kind'];

/**
 * A connection from every unit of `source` to every unit of `target`.
 * `weight` is a number when both ends have one unit, otherwise a matrix with one row per
 * target unit and one column per source unit.
 */
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  weight: number | number[][];
  /** When true, training leaves this edge's weights alone. */
  locked?: boolean;
}

/** The network as drawn. */
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** True for the node kinds that compute s_j and z_j (everything but inputs and bias nodes). */
export function isComputing(node: GraphNode): node is ComputingNode {
  return node.kind === 'perceptron' || node.kind === 'neuron' || node.kind === 'dense';
}

/** True for the nodes that read the data: single inputs and input layers. */
export function isDataInput(node: GraphNode): node is DataInputNode {
  return node.kind === 'input' || node.kind === 'inputLayer';
}

/** The dataset columns a data input reads, in unit order: one for a single input, N for an input layer. */
export function featuresOf(node: DataInputNode): readonly string[] {
  return node.kind === 'input' ? [node.feature] : node.features;
}

/** Number of units a node contributes: a dense layer's units, an input layer's features, else 1. */
export function unitCount(node: GraphNode): number {
  if (node.kind === 'dense') return node.units;
  if (node.kind === 'inputLayer') return Array.isArray(node.features) ? node.features.length : 0;
  return 1;
}

/** The name a message should use for a node: its label when it has one, with the id. */
export function describeNode(node: GraphNode): string {
  // Labels and ids are the user's text: escaped and cut short, as every message quotes them.
  return node.label && node.label !== node.id
    ? `'${quoteForMessage(node.label)}' (${quoteForMessage(node.id)})`
    : `'${quoteForMessage(node.id)}'`;
}

/** The biases of a computing node as an array, one per unit. */
export function biasesOf(node: ComputingNode): number[] {
  return node.kind === 'dense' ? node.bias : [node.bias];
}

/** The weight of an edge as a matrix `[targetUnit][sourceUnit]`, whatever its stored form. */
export function weightMatrix(edge: GraphEdge): number[][] {
  return typeof edge.weight === 'number' ? [[edge.weight]] : edge.weight;
}

/**
 * Name of unit `unit` of a node, as the trace and messages print it (e.g. `h` or `h[2]`). An input
 * layer's unit is named by the feature it reads (`mean_radius`), which is what the user knows it as.
 */
export function unitName(node: GraphNode, unit: number): string {
  if (node.kind === 'inputLayer') return node.features[unit];
  const base = node.label ?? node.id;
  return node.kind === 'dense' ? `${base}[${unit + 1}]` : base;
}

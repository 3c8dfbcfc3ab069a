/**
 * The compiler: checks a drawn graph and turns it into an executable feed-forward model.
 *
 * Any DAG compiles, not only chains of layers: skip connections, hand-wired sparse networks and
 * single neurons feeding dense layers. Every problem found is reported at once, each naming the
 * node or edge it concerns, so the editor can mark all of them on the canvas.
 */
import { ACTIVATIONS, allowedOn, isActivation, isDifferentiable, listLabels } from '../model/activations';
import {
  biasesOf,
  describeNode,
  featuresOf,
  isComputing,
  isDataInput,
  unitCount,
  unitName,
  weightMatrix,
  type Activation,
  type ComputingNode,
  type Graph,
  type GraphEdge,
  type GraphNode,
} from '../model/graph';
import { LOSSES, lossAccepts, lossRequirement, lossesFor, type LossName } from '../model/losses';
import { quoteForMessage } from '../util/quote';

/** User text (an id, a name) as a message quotes it: control characters escaped, cut short. */
const q = (text: string) => quoteForMessage(String(text));

/** What kind of problem a {@link GraphIssue} is; stable, so the UI and tests can match on it. */
export type GraphIssueCode =
  | 'empty-id'
  | 'duplicate-node-id'
  | 'duplicate-edge-id'
  | 'missing-node'
  | 'self-loop'
  | 'cycle'
  | 'no-inputs'
  | 'no-outputs'
  | 'no-incoming'
  | 'edge-into-input'
  | 'duplicate-edge'
  | 'invalid-units'
  | 'invalid-activation'
  | 'softmax-single-unit'
  | 'weight-shape'
  | 'bias-shape'
  | 'non-finite'
  | 'output-targets'
  | 'output-feeds'
  | 'duplicate-feature'
  | 'duplicate-target'
  | 'unknown-feature'
  | 'unknown-target'
  | 'missing-target'
  | 'no-gradient'
  | 'loss-output-mismatch'
  | 'perceptron-rule-structure'
  | 'dead-end'
  | 'unused-input';

/** One problem with a graph, naming the node or edge it concerns. */
export interface GraphIssue {
  code: GraphIssueCode;
  /** 'error' stops compilation; 'warning' compiles but deserves the user's attention. */
  severity: 'error' | 'warning';
  message: string;
  nodeId?: string;
  edgeId?: string;
}

/** The two ways the engine trains: backprop with gradient descent, or the perceptron rule. */
export type TrainingAlgorithm = 'gradientDescent' | 'perceptron';

/** What to check beyond the graph's own consistency. */
export interface CompileOptions {
  /** Check that the network can be trained this way (differentiable units, a loss that fits the outputs). */
  training?: { algorithm: TrainingAlgorithm; loss: LossName };
  /** Check the input and output bindings against a dataset's columns. */
  data?: { features: readonly string[]; targets: readonly string[] };
}

/**
 * An edge of a compiled model: where its weights live and which value slots it connects.
 *
 * A computing node's incoming weights are packed into one row-major matrix with a row per unit
 * and a column per incoming unit (its edges side by side, in graph order), so the fast path can
 * treat any node as a dense layer. An edge's w_ji is therefore at
 * `weightOffset + j * rowStride + i` (see {@link weightIndex}).
 */
export interface CompiledEdge {
  id: string;
  /** Position in `graph.edges`. */
  index: number;
  source: string;
  target: string;
  sourceStart: number;
  sourceUnits: number;
  targetStart: number;
  targetUnits: number;
  /** Parameter index of this edge's `weight[0][0]`. */
  weightOffset: number;
  /** Distance between rows: the target node's fan-in. */
  rowStride: number;
  locked: boolean;
  /** True when the source is a constant-1 bias node: its weights act as biases. */
  fromBias: boolean;
}

/** Parameter index of w_ji on `edge`: target unit j, source unit i. */
export function weightIndex(edge: CompiledEdge, j: number, i: number): number {
  return edge.weightOffset + j * edge.rowStride + i;
}

/** A computing node of a compiled model. */
export interface CompiledNode {
  id: string;
  /** Position in `graph.nodes`. */
  index: number;
  kind: ComputingNode['kind'];
  activation: Activation;
  units: number;
  /** Slot of the node's first unit in the value arrays (s, z). */
  start: number;
  /** Parameter index of the packed weight matrix (units × fanIn, row-major). */
  weightOffset: number;
  /** Number of incoming units: the packed matrix's columns. */
  fanIn: number;
  /** Value slot feeding each column of the packed matrix. */
  inputSlots: Int32Array;
  /** Offset of the node's first bias in the parameter vector (right after its weights). */
  biasOffset: number;
  biasLocked: boolean;
  incoming: CompiledEdge[];
  outgoing: CompiledEdge[];
  /** Set for output nodes: the target columns and where they start in the target vector. */
  output: { targets: string[]; targetStart: number } | null;
}

/** A graph checked and laid out for execution. Produced only by {@link compileGraph}. */
export interface CompiledModel {
  /** The graph this model was compiled from (not copied: treat it as read-only). */
  graph: Graph;
  /** Number of value slots: one per input feature, bias node and computing unit. */
  slotCount: number;
  /**
   * One entry per feature, in graph order (an input layer's features side by side, in its unit
   * order); `features[i]` feeds `inputs[i].slot`, and `unit` is the feature's unit within its node.
   */
  inputs: { nodeId: string; feature: string; slot: number; unit: number }[];
  /** Slots that always hold 1 (bias nodes). */
  biasSlots: number[];
  /** Computing nodes in topological order (ties in graph order). */
  computing: CompiledNode[];
  /** Output nodes in graph order. */
  outputs: CompiledNode[];
  /** Every edge, in graph order. */
  edges: CompiledEdge[];
  /** The input vector's columns, in the order of `inputs`. */
  features: string[];
  /** The target vector's columns: the outputs' targets in graph order. */
  targets: string[];
  /** Number of trainable numbers: every edge weight and every bias. */
  paramCount: number;
  /** 1 where a parameter is locked (training leaves it alone). */
  locked: Uint8Array;
  /** 1 where a parameter is a weight that L1/L2 regularisation applies to (not biases). */
  regularised: Uint8Array;
  /** Per slot: the unit's name for messages and the trace (e.g. `x1`, `h[2]`). */
  slotNames: string[];
  /** Per slot: the id of the node it belongs to. */
  slotNodes: string[];
  /** Per slot: the unit index within its node. */
  slotUnits: number[];
  /** Per parameter: a readable name (e.g. `w(h←x1)`, `b(h)`). */
  paramNames: string[];
  /** Problems that did not stop compilation. */
  warnings: GraphIssue[];
}

/** Outcome of {@link compileGraph}: a model, or every error found. */
export type CompileResult =
  { ok: true; model: CompiledModel; warnings: GraphIssue[] } | { ok: false; errors: GraphIssue[]; warnings: GraphIssue[] };

/** Thrown by {@link compileOrThrow}; carries every issue. */
export class GraphCompileError extends Error {
  readonly issues: GraphIssue[];
  constructor(issues: GraphIssue[]) {
    super(issues.length === 1 ? issues[0].message : `${issues.length} problems: ${issues.map((i) => i.message).join('; ')}`);
    this.name = 'GraphCompileError';
    this.issues = issues;
  }
}

/** Unknown activations are reported by the shape check; the trainability checks skip them. */
function isKnownActivation(activation: string): activation is Activation {
  return isActivation(activation);
}
/** Past this many units in one layer a graph is refused rather than allowed to exhaust memory. */
export const MAX_UNITS_PER_LAYER = 65_536;

/**
 * Checks a graph and compiles it into a model.
 *
 * @param graph The network as drawn.
 * @param options Extra checks: trainability with a given algorithm and loss, and bindings to a dataset.
 * @returns The model and any warnings, or every error found (each naming its node or edge).
 */
export function compileGraph(graph: Graph, options: CompileOptions = {}): CompileResult {
  const errors: GraphIssue[] = [];
  const warnings: GraphIssue[] = [];
  const error = (code: GraphIssueCode, message: string, where: { nodeId?: string; edgeId?: string } = {}) =>
    errors.push({ code, severity: 'error', message, ...where });
  const warn = (code: GraphIssueCode, message: string, where: { nodeId?: string; edgeId?: string } = {}) =>
    warnings.push({ code, severity: 'warning', message, ...where });

  // --- Nodes on their own -------------------------------------------------------------------
  const nodeById = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (!node.id) {
      error('empty-id', `A ${node.kind} node has an empty id.`);
      continue;
    }
    if (nodeById.has(node.id)) {
      error('duplicate-node-id', `Two nodes share the id '${q(node.id)}'.`, { nodeId: node.id });
      continue;
    }
    nodeById.set(node.id, node);
    checkNodeShape(node, error);
  }

  // --- Edges on their own -------------------------------------------------------------------
  const edgeIds = new Set<string>();
  const pairs = new Map<string, string>();
  const validEdges: GraphEdge[] = [];
  for (const edge of graph.edges) {
    if (!edge.id) {
      error('empty-id', `An edge from '${q(edge.source)}' to '${q(edge.target)}' has an empty id.`);
      continue;
    }
    if (edgeIds.has(edge.id)) {
      error('duplicate-edge-id', `Two edges share the id '${q(edge.id)}'.`, { edgeId: edge.id });
      continue;
    }
    edgeIds.add(edge.id);
    const source = nodeById.get(edge.source);
    const target = nodeById.get(edge.target);
    if (!source || !target) {
      const missing = !source ? edge.source : edge.target;
      error('missing-node', `Edge '${q(edge.id)}' refers to a node '${q(missing)}' that does not exist.`, { edgeId: edge.id });
      continue;
    }
    if (edge.source === edge.target) {
      error('self-loop', `Edge '${q(edge.id)}' connects ${describeNode(source)} to itself; a feed-forward network has no loops.`, {
        edgeId: edge.id,
        nodeId: edge.source,
      });
      continue;
    }
    if (!isComputing(target)) {
      error(
        'edge-into-input',
        `Edge '${q(edge.id)}' goes into ${target.kind === 'bias' ? 'bias node' : target.kind === 'inputLayer' ? 'input layer' : 'input node'} ${describeNode(target)}; ` +
          `${target.kind === 'bias' ? 'a bias node is the constant 1' : 'an input takes its value from the data'} and cannot receive edges.`,
        { edgeId: edge.id, nodeId: target.id },
      );
      continue;
    }
    const pairKey = `${edge.source}\u0000${edge.target}`;
    const twin = pairs.get(pairKey);
    if (twin !== undefined) {
      error(
        'duplicate-edge',
        `Edge '${q(edge.id)}' duplicates edge '${q(twin)}': both connect ${describeNode(source)} to ${describeNode(target)}.`,
        { edgeId: edge.id },
      );
      continue;
    }
    pairs.set(pairKey, edge.id);
    // A wrong shape is reported, but the edge still counts as a connection, so the user is not
    // also told that its ends are unconnected.
    checkWeightShape(edge, source, target, error);
    validEdges.push(edge);
  }

  // --- Structure ----------------------------------------------------------------------------
  const nodes = [...nodeById.values()];
  const incoming = new Map<string, GraphEdge[]>(nodes.map((n) => [n.id, []]));
  const outgoing = new Map<string, GraphEdge[]>(nodes.map((n) => [n.id, []]));
  for (const edge of validEdges) {
    incoming.get(edge.target)!.push(edge);
    outgoing.get(edge.source)!.push(edge);
  }

  const inputs = nodes.filter(isDataInput);
  if (inputs.length === 0) error('no-inputs', 'The network has no input node: add one input per feature.');
  const outputs = nodes.filter((n): n is ComputingNode => isComputing(n) && n.output !== undefined);
  if (outputs.length === 0 && nodes.some(isComputing)) {
    error('no-outputs', 'No node is marked as an output: mark the units whose values are the prediction.');
  } else if (outputs.length === 0) {
    error('no-outputs', 'The network has no computing node (perceptron, neuron or layer), so it has no output.');
  }

  for (const node of nodes) {
    if (isComputing(node) && incoming.get(node.id)!.length === 0) {
      error(
        'no-incoming',
        `${capitalise(kindNoun(node))} ${describeNode(node)} has no incoming edge: connect an input or another unit to it.`,
        {
          nodeId: node.id,
        },
      );
    }
    if (isComputing(node) && node.output && outgoing.get(node.id)!.length > 0) {
      error(
        'output-feeds',
        `Output ${describeNode(node)} feeds other nodes; an output must end its path. Unmark it, or take the prediction from the node it feeds.`,
        { nodeId: node.id },
      );
    }
    if (isComputing(node) && !node.output && outgoing.get(node.id)!.length === 0) {
      warn(
        'dead-end',
        `${capitalise(kindNoun(node))} ${describeNode(node)} feeds nothing and is not an output, so it does not affect the prediction.`,
        {
          nodeId: node.id,
        },
      );
    }
    if (isDataInput(node) && outgoing.get(node.id)!.length === 0) {
      warn('unused-input', `${capitalise(kindNoun(node))} ${describeNode(node)} is not connected to anything.`, { nodeId: node.id });
    }
  }

  const order = topologicalOrder(nodes, incoming, outgoing);
  if (order.cycle) {
    // A long cycle is cut short in the message: its start is enough to find it on the canvas.
    const shown = order.cycle.slice(0, 12).map((id) => describeNode(nodeById.get(id)!));
    const loop =
      order.cycle.length > 12
        ? `${shown.join(' → ')} → … (${order.cycle.length.toLocaleString('en')} nodes in all)`
        : [...shown, shown[0]].join(' → ');
    error('cycle', `The graph has a cycle: ${loop}. A feed-forward network cannot loop back.`, {
      nodeId: order.cycle[0],
    });
  }

  // --- Bindings -----------------------------------------------------------------------------
  const featureOwner = new Map<string, string>();
  for (const node of inputs) {
    if (node.kind === 'inputLayer' && !Array.isArray(node.features)) continue; // reported by the shape check
    for (const feature of featuresOf(node)) {
      const previous = featureOwner.get(feature);
      if (previous === node.id) {
        error('duplicate-feature', `Input layer ${describeNode(node)} reads feature '${q(feature)}' twice.`, { nodeId: node.id });
      } else if (previous !== undefined) {
        error('duplicate-feature', `Inputs '${q(previous)}' and '${q(node.id)}' both read feature '${q(feature)}'.`, {
          nodeId: node.id,
        });
      } else featureOwner.set(feature, node.id);
    }
  }
  const targetOwner = new Map<string, string>();
  for (const node of outputs) {
    const targets = node.output!.targets;
    if (targets.length !== unitCount(node)) {
      error(
        'output-targets',
        `Output ${describeNode(node)} has ${unitCount(node)} unit${unitCount(node) === 1 ? '' : 's'} but names ${targets.length} target column${targets.length === 1 ? '' : 's'}; give one target per unit.`,
        { nodeId: node.id },
      );
    }
    for (const target of targets) {
      const previous = targetOwner.get(target);
      if (previous !== undefined) {
        error('duplicate-target', `Target '${q(target)}' is predicted by both '${q(previous)}' and '${q(node.id)}'.`, { nodeId: node.id });
      } else targetOwner.set(target, node.id);
    }
  }
  if (options.data) {
    const features = new Set(options.data.features);
    const targets = new Set(options.data.targets);
    // An input layer's unknown features are one problem of the layer, not one per feature: a
    // 784-pixel layer on the wrong data would otherwise list 784 sentences.
    const unknownOfLayer = new Map<string, string[]>();
    for (const [feature, nodeId] of featureOwner) {
      if (features.has(feature)) continue;
      const node = nodeById.get(nodeId)!;
      if (node.kind === 'inputLayer') {
        const list = unknownOfLayer.get(nodeId);
        if (list) list.push(feature);
        else unknownOfLayer.set(nodeId, [feature]);
        continue;
      }
      error(
        'unknown-feature',
        `Input '${q(nodeId)}' reads feature '${q(feature)}', which the dataset does not have (it has ${columnsOf(options.data.features, 'feature')}).`,
        {
          nodeId,
        },
      );
    }
    for (const [nodeId, unknown] of unknownOfLayer) {
      const one = unknown.length === 1;
      error(
        'unknown-feature',
        `Input layer ${describeNode(nodeById.get(nodeId)!)} reads ${one ? 'feature' : `${unknown.length.toLocaleString('en')} features`} ${listOf(unknown)}, which the dataset does not have (it has ${columnsOf(options.data.features, 'feature')}).`,
        { nodeId },
      );
    }
    for (const [target, nodeId] of targetOwner) {
      if (!targets.has(target)) {
        error(
          'unknown-target',
          `Output '${q(nodeId)}' predicts '${q(target)}', which is not a target of the dataset (it has ${columnsOf(options.data.targets, 'target')}).`,
          {
            nodeId,
          },
        );
      }
    }
    for (const target of options.data.targets) {
      if (!targetOwner.has(target)) error('missing-target', `The dataset's target '${q(target)}' is predicted by no output node.`);
    }
  }

  // --- Trainability ---------------------------------------------------------------------------
  if (options.training) checkTrainable(nodes, outputs, incoming, nodeById, options.training, error);

  if (errors.length > 0 || order.cycle) return { ok: false, errors, warnings };
  const model = layOut(
    graph,
    order.nodes.map((id) => nodeById.get(id)!),
    incoming,
    outgoing,
    warnings,
  );
  return { ok: true, model, warnings };
}

/**
 * Like {@link compileGraph}, but throws a {@link GraphCompileError} listing every error.
 */
export function compileOrThrow(graph: Graph, options: CompileOptions = {}): CompiledModel {
  const result = compileGraph(graph, options);
  if (!result.ok) throw new GraphCompileError(result.errors);
  return result.model;
}

type Report = (code: GraphIssueCode, message: string, where?: { nodeId?: string; edgeId?: string }) => void;

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a message calls a node's kind ('layer' for a dense node). */
function kindNoun(node: GraphNode): string {
  return node.kind === 'dense' ? 'layer' : node.kind === 'inputLayer' ? 'input layer' : node.kind;
}

/**
 * Names for a message: quoted, at most three of them and how many more, so that a problem with a
 * 30-column table reads in one line and 10,000 columns do not make a 10,000-name sentence.
 */
function listOf(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names
    .slice(0, 3)
    .map((n) => `'${q(n)}'`)
    .join(', ');
  return names.length > 3 ? `${shown} … ${(names.length - 3).toLocaleString('en')} more` : shown;
}

/** A dataset's columns for a message: how many, and the first few ("30 features: 'a', 'b', 'c' … 27 more"). */
function columnsOf(names: readonly string[], noun: string): string {
  if (names.length === 0) return `no ${noun}s`;
  return `${names.length.toLocaleString('en')} ${noun}${names.length === 1 ? '' : 's'}: ${listOf(names)}`;
}

function checkNodeShape(node: GraphNode, error: Report): void {
  const where = { nodeId: node.id };
  if (node.kind === 'inputLayer') {
    const count = Array.isArray(node.features) ? node.features.length : 0;
    if (count < 1 || count > MAX_UNITS_PER_LAYER) {
      error(
        'invalid-units',
        `Input layer ${describeNode(node)} reads ${count.toLocaleString('en')} features; an input layer reads from 1 to ${MAX_UNITS_PER_LAYER.toLocaleString('en')} features of the data.`,
        where,
      );
    } else if (!node.features.every((f) => typeof f === 'string' && f.length > 0)) {
      error(
        'invalid-units',
        `Input layer ${describeNode(node)} has a feature without a name; choose a column of the data for each.`,
        where,
      );
    }
    return;
  }
  if (node.kind === 'perceptron' && !allowedOn('perceptron', node.activation)) {
    error(
      'invalid-activation',
      `Perceptron ${describeNode(node)} has activation '${q(node.activation)}'; a perceptron uses ${listLabels('perceptron')}.`,
      where,
    );
  }
  if (node.kind === 'neuron' && !allowedOn('neuron', node.activation)) {
    const hint = allowedOn('dense', node.activation)
      ? ` ${capitalise(ACTIVATIONS[node.activation as Activation].label)} needs a layer of two or more units.`
      : '';
    error(
      'invalid-activation',
      `Neuron ${describeNode(node)} has activation '${q(node.activation)}'; a neuron uses ${listLabels('neuron')}.${hint}`,
      where,
    );
  }
  if (node.kind === 'dense') {
    if (!allowedOn('dense', node.activation)) {
      error('invalid-activation', `Layer ${describeNode(node)} has an unknown activation '${q(node.activation)}'.`, where);
    }
    if (!Number.isInteger(node.units) || node.units < 1 || node.units > MAX_UNITS_PER_LAYER) {
      error(
        'invalid-units',
        `Layer ${describeNode(node)} has ${node.units} units; a layer has a whole number of units from 1 to ${MAX_UNITS_PER_LAYER}.`,
        where,
      );
      return;
    }
    if (node.activation === 'softmax' && node.units < 2) {
      error(
        'softmax-single-unit',
        `Layer ${describeNode(node)} uses softmax on a single unit, whose output is always 1; use sigmoid for one unit, or give the layer two or more.`,
        where,
      );
    }
    if (!Array.isArray(node.bias) || node.bias.length !== node.units) {
      error(
        'bias-shape',
        `Layer ${describeNode(node)} has ${node.units} units but ${Array.isArray(node.bias) ? node.bias.length : 'no'} biases.`,
        where,
      );
      return;
    }
  }
  if (isComputing(node)) {
    const biases = biasesOf(node);
    if (!biases.every(Number.isFinite))
      error('non-finite', `${capitalise(kindNoun(node))} ${describeNode(node)} has a bias that is not a finite number.`, where);
  }
}

/** Checks the weight's shape against its ends; true when it fits. */
function checkWeightShape(edge: GraphEdge, source: GraphNode, target: GraphNode, error: Report): boolean {
  const rows = unitCount(target);
  const cols = unitCount(source);
  const where = { edgeId: edge.id };
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) return false; // reported on the node
  if (typeof edge.weight === 'number') {
    if (rows !== 1 || cols !== 1) {
      error(
        'weight-shape',
        `Edge '${q(edge.id)}' has a single weight but connects ${cols} unit(s) to ${rows}; it needs a ${rows}×${cols} matrix.`,
        where,
      );
      return false;
    }
    if (!Number.isFinite(edge.weight)) {
      error('non-finite', `Edge '${q(edge.id)}' has a weight that is not a finite number.`, where);
      return false;
    }
    return true;
  }
  const matrix = edge.weight;
  const shapeOk = Array.isArray(matrix) && matrix.length === rows && matrix.every((row) => Array.isArray(row) && row.length === cols);
  if (!shapeOk) {
    const actual = Array.isArray(matrix) ? `${matrix.length}×${Array.isArray(matrix[0]) ? matrix[0].length : '?'}` : 'no matrix';
    error(
      'weight-shape',
      `Edge '${q(edge.id)}' from ${describeNode(source)} to ${describeNode(target)} needs a ${rows}×${cols} weight matrix (one row per target unit, one column per source unit), but has ${actual}.`,
      where,
    );
    return false;
  }
  if (!matrix.every((row) => row.every(Number.isFinite))) {
    error('non-finite', `Edge '${q(edge.id)}' has a weight that is not a finite number.`, where);
    return false;
  }
  return true;
}

function checkTrainable(
  nodes: GraphNode[],
  outputs: ComputingNode[],
  incoming: Map<string, GraphEdge[]>,
  nodeById: Map<string, GraphNode>,
  training: NonNullable<CompileOptions['training']>,
  error: Report,
): void {
  if (training.algorithm === 'gradientDescent') {
    for (const node of nodes) {
      if (isComputing(node) && isKnownActivation(node.activation) && !isDifferentiable(node.activation)) {
        error(
          'no-gradient',
          `${capitalise(kindNoun(node))} ${describeNode(node)} uses the ${node.activation} function, which has no gradient (φ' = 0 almost everywhere), so backprop cannot train it. ` +
            `Use sigmoid or tanh instead, or train a single layer of perceptrons with the perceptron rule.`,
          { nodeId: node.id },
        );
      }
    }
  } else {
    for (const node of nodes) {
      if (!isComputing(node) || !isKnownActivation(node.activation)) continue;
      if (isDifferentiable(node.activation)) {
        error(
          'perceptron-rule-structure',
          `The perceptron rule trains step or sign units only, but ${describeNode(node)} uses ${node.activation}; use gradient descent for it.`,
          { nodeId: node.id },
        );
      } else if (!node.output) {
        error(
          'perceptron-rule-structure',
          `The perceptron rule trains a single layer, but ${describeNode(node)} is a hidden unit (it is not an output); a multilayer network of perceptrons has no learning rule — use sigmoid units and gradient descent.`,
          { nodeId: node.id },
        );
      }
      for (const edge of incoming.get(node.id) ?? []) {
        const source = nodeById.get(edge.source);
        if (source && isComputing(source)) {
          error(
            'perceptron-rule-structure',
            `The perceptron rule trains a single layer, but ${describeNode(node)} is fed by ${describeNode(source)}, another computing unit.`,
            { nodeId: node.id, edgeId: edge.id },
          );
        }
      }
    }
  }
  const loss = LOSSES[training.loss];
  for (const node of outputs) {
    if (!isKnownActivation(node.activation) || lossAccepts(training.loss, node.activation)) continue;
    const others = lossesFor(node.activation).map((name) => LOSSES[name].label);
    const advice = others.length > 0 ? `Use ${others.join(' or ')}, or change its activation.` : 'Change its activation.';
    error(
      'loss-output-mismatch',
      `${capitalise(loss.label)} needs ${lossRequirement(training.loss)}, but output ${describeNode(node)} uses ${node.activation}. ${advice}`,
      { nodeId: node.id },
    );
  }
}

/**
 * Kahn's algorithm, taking ready nodes in graph order so the order is stable as the user edits.
 * When nodes remain, one actual cycle among them is returned for the message.
 */
function topologicalOrder(
  nodes: GraphNode[],
  incoming: Map<string, GraphEdge[]>,
  outgoing: Map<string, GraphEdge[]>,
): { nodes: string[]; cycle: string[] | null } {
  const position = new Map(nodes.map((n, i) => [n.id, i]));
  const remaining = new Map(nodes.map((n) => [n.id, incoming.get(n.id)!.length]));
  // Ready nodes by graph position in a binary min-heap: 784 single inputs are all ready at once,
  // and a scan of the ready list per node made that quadratic.
  const ready = new MinHeap();
  nodes.forEach((n, i) => remaining.get(n.id) === 0 && ready.push(i));
  const order: string[] = [];
  while (ready.size > 0) {
    const id = nodes[ready.pop()].id;
    order.push(id);
    for (const edge of outgoing.get(id)!) {
      const left = remaining.get(edge.target)! - 1;
      remaining.set(edge.target, left);
      if (left === 0) ready.push(position.get(edge.target)!);
    }
  }
  if (order.length === nodes.length) return { nodes: order, cycle: null };

  // Walk backwards along unresolved incoming edges until a node repeats: that loop is a cycle.
  const unresolved = new Set(nodes.filter((n) => remaining.get(n.id)! > 0).map((n) => n.id));
  let current = [...unresolved][0];
  const seen = new Map<string, number>();
  const path: string[] = [];
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    const back = incoming.get(current)!.find((e) => unresolved.has(e.source))!;
    current = back.source;
  }
  return { nodes: order, cycle: path.slice(seen.get(current)!).reverse() };
}

/** A binary min-heap of integers. */
class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const items = this.items;
    let k = items.push(value) - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (items[parent] <= value) break;
      items[k] = items[parent];
      k = parent;
    }
    items[k] = value;
  }
  /** Removes and returns the smallest value; the heap must not be empty. */
  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      let k = 0;
      for (;;) {
        let child = 2 * k + 1;
        if (child >= items.length) break;
        if (child + 1 < items.length && items[child + 1] < items[child]) child++;
        if (items[child] >= last) break;
        items[k] = items[child];
        k = child;
      }
      items[k] = last;
    }
    return top;
  }
}

function layOut(
  graph: Graph,
  ordered: GraphNode[],
  incoming: Map<string, GraphEdge[]>,
  outgoing: Map<string, GraphEdge[]>,
  warnings: GraphIssue[],
): CompiledModel {
  // Value slots: inputs and bias nodes first (graph order), then computing units in topological order.
  const slotOf = new Map<string, number>();
  const slotNames: string[] = [];
  const slotNodes: string[] = [];
  const slotUnits: number[] = [];
  const claim = (node: GraphNode): number => {
    const start = slotNames.length;
    for (let u = 0; u < unitCount(node); u++) {
      slotNames.push(unitName(node, u));
      slotNodes.push(node.id);
      slotUnits.push(u);
    }
    slotOf.set(node.id, start);
    return start;
  };
  const inputs: CompiledModel['inputs'] = [];
  const biasSlots: number[] = [];
  for (const node of graph.nodes) {
    if (isDataInput(node)) {
      const start = claim(node);
      const features = featuresOf(node);
      for (let u = 0; u < features.length; u++) inputs.push({ nodeId: node.id, feature: features[u], slot: start + u, unit: u });
    } else if (node.kind === 'bias') biasSlots.push(claim(node));
  }
  for (const node of ordered) if (isComputing(node)) claim(node);

  // Parameters: for each computing node in topological order, its packed weight matrix
  // (units × fan-in, incoming edges side by side in graph order), then its biases.
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  // Positions by object: indexOf per edge would be quadratic in a graph of 100,000 edges.
  const nodeIndex = new Map(graph.nodes.map((n, i) => [n, i]));
  const edgeIndex = new Map(graph.edges.map((e, i) => [e, i]));
  // Sized first, then filled by ranges: a 784-128-10 network has 100,000 weights, and a per-weight
  // push of names and flags made compiling it a matter of tenths of a second.
  let paramCount = 0;
  for (const node of ordered) {
    if (!isComputing(node)) continue;
    let fanIn = 0;
    for (const e of incoming.get(node.id)!) fanIn += unitCount(nodeById.get(e.source)!);
    paramCount += unitCount(node) * (fanIn + 1);
  }
  const locked = new Uint8Array(paramCount);
  const regularised = new Uint8Array(paramCount);
  let nextParam = 0;
  const compiledEdges = new Map<string, CompiledEdge>();
  const compiledNodes = new Map<string, CompiledNode>();
  let targetStart = 0;
  const outputStarts = new Map<string, number>();
  for (const node of graph.nodes) {
    if (isComputing(node) && node.output) {
      outputStarts.set(node.id, targetStart);
      targetStart += node.output.targets.length;
    }
  }
  for (const node of ordered) {
    if (!isComputing(node)) continue;
    const units = unitCount(node);
    const edgesIn = incoming.get(node.id)!;
    const fanIn = edgesIn.reduce((sum, e) => sum + unitCount(nodeById.get(e.source)!), 0);
    const weightOffset = nextParam;
    const inputSlots = new Int32Array(fanIn);
    let column = 0;
    for (const edge of edgesIn) {
      const source = nodeById.get(edge.source)!;
      const compiled: CompiledEdge = {
        id: edge.id,
        index: edgeIndex.get(edge)!,
        source: edge.source,
        target: edge.target,
        sourceStart: slotOf.get(edge.source)!,
        sourceUnits: unitCount(source),
        targetStart: slotOf.get(edge.target)!,
        targetUnits: units,
        weightOffset: weightOffset + column,
        rowStride: fanIn,
        locked: edge.locked === true,
        fromBias: source.kind === 'bias',
      };
      for (let i = 0; i < compiled.sourceUnits; i++) inputSlots[column + i] = compiled.sourceStart + i;
      for (let j = 0; j < units; j++) {
        const from = compiled.weightOffset + j * fanIn;
        if (compiled.locked) locked.fill(1, from, from + compiled.sourceUnits);
        if (!compiled.fromBias) regularised.fill(1, from, from + compiled.sourceUnits);
      }
      compiledEdges.set(edge.id, compiled);
      column += compiled.sourceUnits;
    }
    const biasOffset = weightOffset + units * fanIn;
    if (node.biasLocked) locked.fill(1, biasOffset, biasOffset + units);
    nextParam = biasOffset + units;
    compiledNodes.set(node.id, {
      id: node.id,
      index: nodeIndex.get(node)!,
      kind: node.kind,
      activation: node.activation,
      units,
      start: slotOf.get(node.id)!,
      weightOffset,
      fanIn,
      inputSlots,
      biasOffset,
      biasLocked: node.biasLocked === true,
      incoming: [],
      outgoing: [],
      output: node.output ? { targets: [...node.output.targets], targetStart: outputStarts.get(node.id)! } : null,
    });
  }
  const edges = graph.edges.map((edge) => compiledEdges.get(edge.id)!);
  for (const node of compiledNodes.values()) {
    node.incoming = incoming.get(node.id)!.map((e) => compiledEdges.get(e.id)!);
    node.outgoing = outgoing.get(node.id)!.map((e) => compiledEdges.get(e.id)!);
  }
  const computing = ordered.filter(isComputing).map((n) => compiledNodes.get(n.id)!);
  const outputs = graph.nodes.filter((n) => isComputing(n) && n.output).map((n) => compiledNodes.get(n.id)!);

  let paramNames: string[] | null = null;
  const model: CompiledModel = {
    graph,
    slotCount: slotNames.length,
    inputs,
    biasSlots,
    computing,
    outputs,
    edges,
    features: inputs.map((i) => i.feature),
    targets: outputs.flatMap((n) => n.output!.targets),
    paramCount,
    locked,
    regularised,
    slotNames,
    slotNodes,
    slotUnits,
    // Named on first use (the trace, the weights export): the editor compiles after every edit
    // and never reads them, and 100,000 strings are most of a wide network's compile time.
    get paramNames() {
      return (paramNames ??= nameParameters(model));
    },
    warnings,
  };
  return model;
}

/** Every parameter's readable name, in parameter order: `w(target←source)` per weight, `b(unit)` per bias. */
function nameParameters(model: CompiledModel): string[] {
  const names: string[] = new Array(model.paramCount);
  for (const node of model.computing) {
    for (const edge of node.incoming) {
      for (let j = 0; j < node.units; j++) {
        const target = model.slotNames[node.start + j];
        for (let i = 0; i < edge.sourceUnits; i++) names[weightIndex(edge, j, i)] = `w(${target}←${model.slotNames[edge.sourceStart + i]})`;
      }
    }
    for (let u = 0; u < node.units; u++) names[node.biasOffset + u] = `b(${model.slotNames[node.start + u]})`;
  }
  return names;
}

/** Reads the graph's current weights and biases into a parameter vector laid out as `model` expects. */
export function readParameters(model: CompiledModel, graph: Graph = model.graph): Float64Array {
  const params = new Float64Array(model.paramCount);
  const edgeById = new Map(graph.edges.map((e) => [e.id, e]));
  for (const edge of model.edges) {
    const matrix = weightMatrix(edgeById.get(edge.id)!);
    for (let j = 0; j < edge.targetUnits; j++) {
      for (let i = 0; i < edge.sourceUnits; i++) params[weightIndex(edge, j, i)] = matrix[j][i];
    }
  }
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const node of model.computing) {
    const biases = biasesOf(nodeById.get(node.id) as ComputingNode);
    for (let u = 0; u < node.units; u++) params[node.biasOffset + u] = biases[u];
  }
  return params;
}

/**
 * Returns a copy of the graph with its weights and biases replaced by `params` (the document
 * stays immutable: the editor's undo history keeps the old one).
 */
export function writeParameters(model: CompiledModel, graph: Graph, params: ArrayLike<number>): Graph {
  if (params.length !== model.paramCount) {
    throw new RangeError(`Expected ${model.paramCount} parameters, got ${params.length}.`);
  }
  const edgeById = new Map(model.edges.map((e) => [e.id, e]));
  const nodeById = new Map(model.computing.map((n) => [n.id, n]));
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const compiled = nodeById.get(node.id);
      if (!compiled || !isComputing(node)) return node;
      if (node.kind === 'dense') {
        return { ...node, bias: Array.from({ length: compiled.units }, (_, u) => params[compiled.biasOffset + u]) };
      }
      return { ...node, bias: params[compiled.biasOffset] };
    }),
    edges: graph.edges.map((edge) => {
      const compiled = edgeById.get(edge.id);
      if (!compiled) return edge;
      if (typeof edge.weight === 'number') return { ...edge, weight: params[compiled.weightOffset] };
      const rows: number[][] = [];
      for (let j = 0; j < compiled.targetUnits; j++) {
        const row: number[] = [];
        for (let i = 0; i < compiled.sourceUnits; i++) row.push(params[weightIndex(compiled, j, i)]);
        rows.push(row);
      }
      return { ...edge, weight: rows };
    }),
  };
}

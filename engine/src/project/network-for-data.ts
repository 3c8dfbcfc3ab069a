/**
 * Networks built from the data: the inputs the data's features need, the outputs (unit, activation
 * and loss) its targets need, and whole networks — inputs, hidden layers, outputs, fully wired and
 * laid out — for the "New network for this data" dialog. Pure: a project in, a graph (and the
 * hyperparameters the outputs call for) out.
 */
import type { Dataset } from '../datasets/data';
import { ACTIVATIONS, type Activation } from '../model/activations';
import type { ComputingNode, Graph, GraphEdge, GraphNode, Position } from '../model/graph';
import { isComputing, unitCount } from '../model/graph';
import type { LossName } from '../model/losses';
import { quoteForMessage } from '../util/quote';
import type { Project } from './schema';
import { resolveDataset } from './session';
import { initialiseProjectWeights } from './examples';

/**
 * What a group of target columns asks of the network's outputs: one-hot `classes` (a softmax layer
 * and categorical cross-entropy), a `binary` 0/1 column (one sigmoid and binary cross-entropy), a
 * `signed` −1/+1 column (one tanh), or `number` columns (linear units and squared error).
 */
export type TargetGroup =
  | { kind: 'classes'; column: string; targets: string[] }
  | { kind: 'binary'; targets: [string] }
  | { kind: 'signed'; targets: [string] }
  | { kind: 'number'; targets: string[] };

/**
 * The columns a label column was one-hot encoded into: `label=class` per class (as the CSV
 * importer and the built-in data sets name them), two or more of them, with exactly one 1 and
 * otherwise 0 in every row.
 */
function oneHotGroups(dataset: Dataset): Map<string, { column: string; targets: string[] }> {
  const byPrefix = new Map<string, number[]>();
  dataset.targets.forEach((target, k) => {
    const at = target.indexOf('=');
    if (at <= 0) return;
    const prefix = target.slice(0, at);
    const members = byPrefix.get(prefix) ?? [];
    members.push(k);
    byPrefix.set(prefix, members);
  });
  const byTarget = new Map<string, { column: string; targets: string[] }>();
  const nt = dataset.targets.length;
  for (const [column, members] of byPrefix) {
    if (members.length < 2) continue;
    let oneHot = true;
    for (let n = 0; n < dataset.size && oneHot; n++) {
      let ones = 0;
      for (const k of members) {
        const v = dataset.y[n * nt + k];
        if (v === 1) ones++;
        else if (v !== 0) oneHot = false;
      }
      if (ones !== 1) oneHot = false;
    }
    if (!oneHot) continue;
    const group = { column, targets: members.map((k) => dataset.targets[k]) };
    for (const target of group.targets) byTarget.set(target, group);
  }
  return byTarget;
}

/** The values a target column takes: whether all are 0 or 1, or all −1 or 1. */
function valueKind(dataset: Dataset, target: number): 'binary' | 'signed' | 'number' {
  const nt = dataset.targets.length;
  let binary = true;
  let signed = true;
  for (let n = 0; n < dataset.size && (binary || signed); n++) {
    const v = dataset.y[n * nt + target];
    if (v !== 0 && v !== 1) binary = false;
    if (v !== -1 && v !== 1) signed = false;
  }
  return binary ? 'binary' : signed ? 'signed' : 'number';
}

/**
 * The project's targets grouped by what they ask of the outputs, in the data's target order:
 * one-hot columns of one label together, then each 0/1 or −1/+1 column alone, and the remaining
 * number columns as one group.
 */
export function targetGroups(project: Project, dataset: Dataset = resolveDataset(project.dataset)): TargetGroup[] {
  const oneHot = oneHotGroups(dataset);
  const groups: TargetGroup[] = [];
  const numbers: string[] = [];
  const seen = new Set<string>();
  dataset.targets.forEach((target, k) => {
    const group = oneHot.get(target);
    if (group) {
      if (!seen.has(group.column)) groups.push({ kind: 'classes', column: group.column, targets: group.targets });
      seen.add(group.column);
      return;
    }
    const kind = valueKind(dataset, k);
    if (kind === 'number') numbers.push(target);
    else groups.push({ kind, targets: [target] });
  });
  if (numbers.length > 0) groups.push({ kind: 'number', targets: numbers });
  return groups;
}

/** The loss the groups call for: cross-entropy when every output is a probability, else squared error. */
export function lossForTargets(groups: readonly TargetGroup[]): LossName {
  return groups.length > 0 && groups.every((g) => g.kind === 'classes' || g.kind === 'binary') ? 'crossEntropy' : 'squaredError';
}

/** One hidden layer of the dialog: how many units and their activation. */
export interface HiddenLayer {
  units: number;
  activation: Activation;
}

/** What "New network for this data" builds. */
export interface NetworkPlan {
  hidden: HiddenLayer[];
}

/** How far apart the columns of a built network are, and its units in a column. */
const COLUMN_GAP = 260;
const ROW_GAP = 90;

/** A fresh id with `prefix` that no node of `taken` has. */
function freshId(prefix: string, taken: Set<string>): string {
  let id = prefix;
  for (let k = 2; taken.has(id); k++) id = `${prefix}${k}`;
  taken.add(id);
  return id;
}

/** Positions for `count` nodes in a column at `x`, centred on `centre`. */
function column(x: number, count: number, centre: number): Position[] {
  return Array.from({ length: count }, (_, k) => ({ x, y: centre + (k - (count - 1) / 2) * ROW_GAP }));
}

/** A zero matrix [rows][columns] (or a number for 1 × 1): weights are drawn afterwards. */
function zeros(rows: number, columns: number): number | number[][] {
  return rows === 1 && columns === 1 ? 0 : Array.from({ length: rows }, () => new Array<number>(columns).fill(0));
}

/** The output nodes the target groups call for, with ids not in `taken`. */
function outputNodes(groups: readonly TargetGroup[], taken: Set<string>): ComputingNode[] {
  return groups.map((group): ComputingNode => {
    switch (group.kind) {
      case 'classes':
        return {
          kind: 'dense',
          id: freshId(group.column.replace(/[^\w-]/g, '_') || 'classes', taken),
          label: group.column,
          units: group.targets.length,
          activation: 'softmax',
          bias: new Array<number>(group.targets.length).fill(0),
          output: { targets: [...group.targets] },
        };
      case 'binary':
      case 'signed':
        return {
          kind: 'neuron',
          id: freshId(group.targets[0].replace(/[^\w-]/g, '_') || 'out', taken),
          label: group.targets[0],
          activation: group.kind === 'binary' ? 'sigmoid' : 'tanh',
          bias: 0,
          output: { targets: [...group.targets] },
        };
      case 'number':
        return group.targets.length === 1
          ? {
              kind: 'neuron',
              id: freshId(group.targets[0].replace(/[^\w-]/g, '_') || 'out', taken),
              label: group.targets[0],
              activation: 'linear',
              bias: 0,
              output: { targets: [...group.targets] },
            }
          : {
              kind: 'dense',
              id: freshId('outputs', taken),
              units: group.targets.length,
              activation: 'linear',
              bias: new Array<number>(group.targets.length).fill(0),
              output: { targets: [...group.targets] },
            };
      default: {
        const never: never = group;
        return never;
      }
    }
  });
}

/** Why the data cannot have a network built for it, or null. */
export function networkForDataProblem(project: Project): string | null {
  const dataset = resolveDataset(project.dataset);
  if (dataset.features.length === 0) return 'The data has no feature columns to read: import a CSV with at least one feature.';
  if (dataset.targets.length === 0) return 'The data has no target columns to predict: import a CSV with a target column.';
  return null;
}

/**
 * A whole network for the project's data: its features as inputs, the hidden layers of `plan`
 * (each fully connected to the one before), and the outputs its targets call for, laid out left
 * to right, weights drawn as the project's initialisation says, and the loss the outputs call
 * for. The rest of the project (data, split, other settings) is kept.
 * @throws RangeError with a sentence when the plan or the data cannot make a network.
 */
export function networkForData(project: Project, plan: NetworkPlan): Project {
  const problem = networkForDataProblem(project);
  if (problem) throw new RangeError(problem);
  for (const [k, layer] of plan.hidden.entries()) {
    if (!Number.isInteger(layer.units) || layer.units < 1 || layer.units > 4096)
      throw new RangeError(`Hidden layer ${k + 1} needs a whole number of units from 1 to 4096, got ${layer.units}.`);
    if (!ACTIVATIONS[layer.activation] || !(ACTIVATIONS[layer.activation].kinds as readonly string[]).includes('dense'))
      throw new RangeError(`Hidden layer ${k + 1} cannot use the activation '${quoteForMessage(String(layer.activation))}'.`);
    if (layer.activation === 'softmax' || !ACTIVATIONS[layer.activation].differentiable)
      throw new RangeError(`Hidden layer ${k + 1} needs an activation backprop can train through (not ${layer.activation}).`);
  }
  const dataset = resolveDataset(project.dataset);
  const groups = targetGroups(project, dataset);
  const taken = new Set<string>();
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const centre = 0;

  const inputs = inputNodesFor(dataset.features, taken, 0, centre);
  for (const input of inputs) nodes.push(input);
  let previous: { id: string; units: number }[] = inputs.map((node) => ({ id: node.id, units: inputUnits(node) }));
  plan.hidden.forEach((layer, k) => {
    const node: ComputingNode = {
      kind: 'dense',
      id: freshId(`h${k + 1}`, taken),
      units: layer.units,
      activation: layer.activation,
      bias: new Array<number>(layer.units).fill(0),
      position: { x: (k + 1) * COLUMN_GAP, y: centre },
    };
    nodes.push(node);
    for (const source of previous) edges.push(edge(source, { id: node.id, units: layer.units }, taken));
    previous = [{ id: node.id, units: layer.units }];
  });
  const outputs = outputNodes(groups, taken);
  const outputPositions = column((plan.hidden.length + 1) * COLUMN_GAP, outputs.length, centre);
  outputs.forEach((node, k) => {
    node.position = outputPositions[k];
    nodes.push(node);
    for (const source of previous) edges.push(edge(source, { id: node.id, units: unitsOf(node) }, taken));
  });
  const graph: Graph = { nodes, edges };
  const built: Project = {
    ...project,
    graph,
    hyperparameters: { ...project.hyperparameters, loss: lossForTargets(groups), algorithm: 'gradientDescent' },
    training: { epoch: 0, history: [], optimiser: null, rng: null, position: null, earlyStopping: null },
  };
  return initialiseProjectWeights(built);
}

/** Units of a computing node. */
function unitsOf(node: ComputingNode): number {
  return node.kind === 'dense' ? node.units : 1;
}

/** An edge between two nodes with zero weights of the right shape. */
function edge(source: { id: string; units: number }, target: { id: string; units: number }, taken: Set<string>): GraphEdge {
  return {
    id: freshId(`${source.id}->${target.id}`, taken),
    source: source.id,
    target: target.id,
    weight: zeros(target.units, source.units),
  };
}

/** Units an input node gives: one per feature it reads. */
function inputUnits(node: GraphNode): number {
  return unitCount(node);
}

/** Up to this many features get a single Input each (a hand-drawn lecture network); more, one input layer. */
export const MOST_SINGLE_INPUTS = 4;

/**
 * Input nodes for `features` at `x`: an Input per feature in a column (the data's order top to
 * bottom) for at most {@link MOST_SINGLE_INPUTS}, else one input layer holding them all.
 */
function inputNodesFor(features: readonly string[], taken: Set<string>, x: number, centre: number): GraphNode[] {
  if (features.length > MOST_SINGLE_INPUTS)
    return [{ kind: 'inputLayer', id: freshId('inputs', taken), label: 'inputs', features: [...features], position: { x, y: centre } }];
  const positions = column(x, features.length, centre);
  return features.map((feature, k) => ({
    kind: 'input' as const,
    id: freshId(feature.replace(/[^\w-]/g, '_') || `x${k + 1}`, taken),
    label: feature,
    feature,
    position: positions[k],
  }));
}

/** The leftmost and rightmost x of the graph's nodes, or null for an empty graph. */
function horizontalExtent(graph: Graph): { left: number; right: number; centre: number } | null {
  const placed = graph.nodes.filter((n) => n.position);
  if (placed.length === 0) return null;
  let left = Infinity;
  let right = -Infinity;
  let top = Infinity;
  let bottom = -Infinity;
  for (const node of placed) {
    left = Math.min(left, node.position!.x);
    right = Math.max(right, node.position!.x);
    top = Math.min(top, node.position!.y);
    bottom = Math.max(bottom, node.position!.y);
  }
  return { left, right, centre: (top + bottom) / 2 };
}

/** The features no input of the graph reads yet, in the data's order. */
export function unreadFeatures(project: Project, dataset: Dataset = resolveDataset(project.dataset)): string[] {
  const read = new Set<string>();
  for (const node of project.graph.nodes) {
    if (node.kind === 'input') read.add(node.feature);
    if (node.kind === 'inputLayer') for (const feature of node.features) read.add(feature);
  }
  return dataset.features.filter((feature) => !read.has(feature));
}

/**
 * "Inputs from data": inputs for every feature of the data that no input reads yet, left of the
 * network: single Inputs in the data's order top to bottom for a few, one input layer for more.
 * @throws RangeError when every feature already has one.
 */
export function inputsFromData(project: Project): Project {
  const missing = unreadFeatures(project);
  if (missing.length === 0) throw new RangeError('Every feature of the data already has an input.');
  const taken = new Set(project.graph.nodes.map((n) => n.id));
  const extent = horizontalExtent(project.graph);
  const x = extent ? extent.left - COLUMN_GAP : 0;
  const inputs = inputNodesFor(missing, taken, x, extent?.centre ?? 0);
  return { ...project, graph: { ...project.graph, nodes: [...project.graph.nodes, ...inputs] } };
}

/**
 * "Outputs for targets": the output units the data's targets call for that no output predicts
 * yet (a sigmoid for a 0/1 column, a softmax layer for one-hot classes, linear units for numbers),
 * in a column right of the network, fed by every computing node that feeds nothing yet; and the
 * loss the outputs call for.
 * @throws RangeError when every target already has an output.
 */
export function outputsForTargets(project: Project): Project {
  const predicted = new Set<string>();
  for (const node of project.graph.nodes) if (isComputing(node) && node.output) for (const t of node.output.targets) predicted.add(t);
  const groups = targetGroups(project);
  const missing = groups.filter((g) => g.targets.every((t) => !predicted.has(t)));
  if (missing.length === 0) throw new RangeError('Every target of the data already has an output.');
  const taken = new Set(project.graph.nodes.map((n) => n.id));
  for (const e of project.graph.edges) taken.add(e.id);
  const extent = horizontalExtent(project.graph);
  const outputs = outputNodes(missing, taken);
  const positions = column(extent ? extent.right + COLUMN_GAP : COLUMN_GAP, outputs.length, extent?.centre ?? 0);
  outputs.forEach((node, k) => (node.position = positions[k]));
  const feeding = new Set(project.graph.edges.map((e) => e.source));
  const sinks = project.graph.nodes.filter((n): n is ComputingNode => isComputing(n) && !n.output && !feeding.has(n.id));
  const edges = [...project.graph.edges];
  for (const output of outputs)
    for (const sink of sinks) edges.push(edge({ id: sink.id, units: unitsOf(sink) }, { id: output.id, units: unitsOf(output) }, taken));
  const next: Project = {
    ...project,
    graph: { nodes: [...project.graph.nodes, ...outputs], edges },
    hyperparameters: { ...project.hyperparameters, loss: lossForTargets(groups) },
  };
  return sinks.length > 0 ? initialiseNew(next, project) : next;
}

/** The project with weights drawn for the new edges only: those of `before` stay as they were. */
function initialiseNew(next: Project, before: Project): Project {
  const drawn = initialiseProjectWeights(next);
  const old = new Map(before.graph.edges.map((e) => [e.id, e]));
  const oldNodes = new Map(before.graph.nodes.map((n) => [n.id, n]));
  return {
    ...drawn,
    graph: {
      nodes: drawn.graph.nodes.map((n) => oldNodes.get(n.id) ?? n),
      edges: drawn.graph.edges.map((e) => old.get(e.id) ?? e),
    },
  };
}

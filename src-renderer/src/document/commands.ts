/**
 * Edits of the project document, each a small pure function from document to document (or a
 * refusal with its reason). Undo, redo, the dirty flag and saving all follow from this one
 * mechanism (history.ts): nothing edits the document any other way.
 */
import {
  MAX_GENERATED_SIZE,
  MAX_NOISE,
  allowedOn,
  builtinColumns,
  checkHyperparameters,
  createRng,
  featuresOf,
  isComputing,
  isDataInput,
  listLabels,
  unitCount,
  type Activation,
  type ComputingNode,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type Hyperparameters,
  type NeuronActivation,
  type PerceptronActivation,
  type Position,
  type Project,
} from '../../../engine/src/index';

/** A command's outcome: the new document, or why the edit is refused (shown at the cursor). */
export type CommandResult = { ok: true; project: Project } | { ok: false; reason: string };

/** An edit: what the history records and the menu names ("Undo Add neuron"). */
export interface Command {
  label: string;
  apply(project: Project): CommandResult;
}

const done = (project: Project): CommandResult => ({ ok: true, project });
const refuse = (reason: string): CommandResult => ({ ok: false, reason });
const withGraph = (project: Project, graph: Graph): Project => ({ ...project, graph });

/** What a palette entry creates. */
export type NodeTemplate =
  | { kind: 'input'; feature?: string }
  | { kind: 'inputLayer'; features?: string[] }
  | { kind: 'bias' }
  | { kind: 'perceptron'; activation: PerceptronActivation }
  | { kind: 'neuron'; activation: NeuronActivation }
  | { kind: 'dense'; units: number; activation: Activation };

/** An id not yet used in the graph, from a readable prefix (`h1`, `h2`, …). */
export function freshId(graph: Graph, prefix: string): string {
  const taken = new Set([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)]);
  for (let i = 1; ; i++) if (!taken.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** `a->b`, or `a->b#2` when that id is taken. */
function edgeId(graph: Graph, source: string, target: string): string {
  const base = `${source}->${target}`;
  return graph.edges.some((e) => e.id === base) || graph.nodes.some((n) => n.id === base) ? freshId(graph, `${base}#`) : base;
}

const PREFIX: Record<NodeTemplate['kind'], string> = { input: 'x', inputLayer: 'X', bias: 'one', perceptron: 'p', neuron: 'h', dense: 'L' };

/** The feature columns of the project's data, which inputs read. */
export function datasetFeatures(project: Project): string[] {
  const d = project.dataset;
  return d.kind === 'inline' ? d.features : builtinColumns(d.name).features;
}

/** The data's features that no input of the graph reads yet, in the data's order. */
export function unusedFeatures(project: Project): string[] {
  const read = new Set<string>();
  for (const node of project.graph.nodes) if (isDataInput(node)) for (const f of featuresOf(node)) read.add(f);
  return datasetFeatures(project).filter((f) => !read.has(f));
}

/** A node made from a template, with its id and position. */
export function nodeFromTemplate(
  graph: Graph,
  template: NodeTemplate,
  position: Position,
  id = freshId(graph, PREFIX[template.kind]),
): GraphNode {
  switch (template.kind) {
    case 'input':
      return { id, kind: 'input', label: id, feature: template.feature ?? id, position };
    case 'inputLayer':
      return { id, kind: 'inputLayer', label: id, features: template.features?.length ? [...template.features] : [id], position };
    case 'bias':
      return { id, kind: 'bias', label: '1', position };
    case 'perceptron':
      return { id, kind: 'perceptron', label: id, activation: template.activation, bias: 0, position };
    case 'neuron':
      return { id, kind: 'neuron', label: id, activation: template.activation, bias: 0, position };
    case 'dense':
      return {
        id,
        kind: 'dense',
        label: id,
        units: template.units,
        activation: template.activation,
        bias: new Array(template.units).fill(0),
        position,
      };
  }
}

const NOUN: Record<NodeTemplate['kind'], string> = {
  input: 'input',
  inputLayer: 'input layer',
  bias: 'bias',
  perceptron: 'perceptron',
  neuron: 'neuron',
  dense: 'layer',
};

/**
 * Adds a node from the palette at a position. An input without a feature takes the data's next
 * feature that no input reads yet, and an input layer without features takes all of those: a new
 * input then reads the data from the start instead of a placeholder name.
 */
export function addNode(template: NodeTemplate, position: Position, id?: string): Command {
  return {
    label: `Add ${NOUN[template.kind]}`,
    apply(project) {
      if (template.kind === 'dense' && (!Number.isInteger(template.units) || template.units < 1))
        return refuse('A layer needs a whole number of units, at least 1.');
      if (template.kind === 'inputLayer' && template.features?.length === 0) return refuse('An input layer reads at least one feature.');
      if (id !== undefined && project.graph.nodes.some((n) => n.id === id)) return refuse(`There is already a node '${id}'.`);
      let filled = template;
      if (template.kind === 'input' && template.feature === undefined) {
        const next = unusedFeatures(project)[0];
        if (next !== undefined) filled = { ...template, feature: next };
      } else if (template.kind === 'inputLayer' && template.features === undefined) {
        const unused = unusedFeatures(project);
        if (unused.length > 0) filled = { ...template, features: unused };
      }
      const node = nodeFromTemplate(project.graph, filled, position, id);
      return done(withGraph(project, { ...project.graph, nodes: [...project.graph.nodes, node] }));
    },
  };
}

/** Whether `to` can reach `from` along edges, so that from → to would close a cycle. */
function reaches(graph: Graph, start: string, goal: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    const targets = next.get(e.source);
    if (targets) targets.push(e.target);
    else next.set(e.source, [e.target]);
  }
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === goal) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const target of next.get(id) ?? []) stack.push(target);
  }
  return false;
}

/** Why `source → target` cannot be wired, or null when it can. */
export function connectionProblem(graph: Graph, source: string, target: string): string | null {
  const from = graph.nodes.find((n) => n.id === source);
  const to = graph.nodes.find((n) => n.id === target);
  if (!from || !to) return 'That node no longer exists.';
  if (source === target) return 'A unit cannot feed itself: a feed-forward network has no loops.';
  if (!isComputing(to))
    return to.kind === 'bias'
      ? 'A bias node is the constant 1: nothing can feed it.'
      : 'An input takes its value from the data: nothing can feed it.';
  if (isComputing(from) && from.output) return `'${from.label ?? from.id}' is an output: an output ends its path.`;
  if (graph.edges.some((e) => e.source === source && e.target === target))
    return `'${from.label ?? from.id}' already feeds '${to.label ?? to.id}'.`;
  if (reaches(graph, target, source)) return `That would make a cycle: '${to.label ?? to.id}' already feeds '${from.label ?? from.id}'.`;
  return null;
}

/**
 * Starting weights for a new edge, of the shape it needs: small and random, as a network drawn by
 * hand must not start symmetric (equal hidden units learn the same thing), yet reproducible — the
 * draw is seeded by the project's initialisation seed and the edge's id.
 */
function startingWeight(project: Project, id: string, from: GraphNode, to: GraphNode): number | number[][] {
  let hash = 2166136261;
  for (const ch of id) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619);
  const rng = createRng((hash ^ Math.trunc(project.hyperparameters.init.seed)) >>> 0);
  const draw = () => Math.round(rng.uniform(-0.5, 0.5) * 1000) / 1000;
  const rows = unitCount(to);
  const cols = unitCount(from);
  return rows === 1 && cols === 1 ? draw() : Array.from({ length: rows }, () => Array.from({ length: cols }, draw));
}

/** Wires `source → target`, refusing cycles, edges into inputs and duplicates. */
export function connect(source: string, target: string, weight?: number | number[][]): Command {
  return {
    label: 'Connect',
    apply(project) {
      const graph = project.graph;
      const problem = connectionProblem(graph, source, target);
      if (problem) return refuse(problem);
      const from = graph.nodes.find((n) => n.id === source)!;
      const to = graph.nodes.find((n) => n.id === target)!;
      const id = edgeId(graph, source, target);
      const edge: GraphEdge = { id, source, target, weight: weight ?? startingWeight(project, id, from, to) };
      return done(withGraph(project, { ...graph, edges: [...graph.edges, edge] }));
    },
  };
}

/** Deletes nodes (with their edges) and edges. */
export function remove(ids: readonly string[]): Command {
  const gone = new Set(ids);
  return {
    label: 'Delete',
    apply(project) {
      const graph = project.graph;
      if (!graph.nodes.some((n) => gone.has(n.id)) && !graph.edges.some((e) => gone.has(e.id))) return refuse('Nothing to delete.');
      const nodes = graph.nodes.filter((n) => !gone.has(n.id));
      const edges = graph.edges.filter((e) => !gone.has(e.id) && !gone.has(e.source) && !gone.has(e.target));
      return done(withGraph(project, { nodes, edges }));
    },
  };
}

/** Moves nodes; a whole drag is one command, so one undo step. */
export function move(positions: Readonly<Record<string, Position>>): Command {
  return {
    label: 'Move',
    apply(project) {
      const nodes = project.graph.nodes.map((n) => (positions[n.id] ? { ...n, position: { ...positions[n.id] } } : n));
      return done(withGraph(project, { ...project.graph, nodes }));
    },
  };
}

function updateNode(project: Project, id: string, change: (node: GraphNode) => GraphNode | string): CommandResult {
  const node = project.graph.nodes.find((n) => n.id === id);
  if (!node) return refuse(`There is no node '${id}'.`);
  const changed = change(node);
  if (typeof changed === 'string') return refuse(changed);
  return done(withGraph(project, { ...project.graph, nodes: project.graph.nodes.map((n) => (n.id === id ? changed : n)) }));
}

/** Sets a unit's bias (unit index for a layer). */
export function setBias(id: string, value: number, unit = 0): Command {
  return {
    label: 'Set bias',
    apply: (project) =>
      updateNode(project, id, (node) => {
        if (!Number.isFinite(value)) return 'A bias must be a finite number.';
        if (!isComputing(node)) return 'Only perceptrons, neurons and layers have a bias.';
        if (node.kind !== 'dense') return { ...node, bias: value };
        if (unit < 0 || unit >= node.units) return `Layer '${id}' has no unit ${unit + 1}.`;
        return { ...node, bias: node.bias.map((b, u) => (u === unit ? value : b)) };
      }),
  };
}

/** Sets a weight: the scalar, or entry [j][i] of a matrix. */
export function setWeight(edgeId: string, value: number, j = 0, i = 0): Command {
  return {
    label: 'Set weight',
    apply(project) {
      if (!Number.isFinite(value)) return refuse('A weight must be a finite number.');
      const edge = project.graph.edges.find((e) => e.id === edgeId);
      if (!edge) return refuse(`There is no edge '${edgeId}'.`);
      let weight: GraphEdge['weight'];
      if (typeof edge.weight === 'number') weight = value;
      else {
        if (j < 0 || j >= edge.weight.length || i < 0 || i >= edge.weight[j].length) return refuse('That weight is outside the matrix.');
        weight = edge.weight.map((row, r) => (r === j ? row.map((w, c) => (c === i ? value : w)) : row));
      }
      return done(
        withGraph(project, { ...project.graph, edges: project.graph.edges.map((e) => (e.id === edgeId ? { ...e, weight } : e)) }),
      );
    },
  };
}

/** Locks or unlocks an edge's weights (training leaves a locked weight alone). */
export function setLocked(edgeId: string, locked: boolean): Command {
  return {
    label: locked ? 'Lock weight' : 'Unlock weight',
    apply(project) {
      if (!project.graph.edges.some((e) => e.id === edgeId)) return refuse(`There is no edge '${edgeId}'.`);
      const edges = project.graph.edges.map((e) => (e.id === edgeId ? { ...e, locked: locked || undefined } : e));
      return done(withGraph(project, { ...project.graph, edges }));
    },
  };
}

/** Changes a node's activation, within what its kind allows. */
export function setActivation(id: string, activation: Activation): Command {
  return {
    label: 'Set activation',
    apply: (project) =>
      updateNode(project, id, (node) => {
        if (node.kind === 'perceptron')
          return allowedOn('perceptron', activation)
            ? { ...node, activation: activation as PerceptronActivation }
            : `A perceptron uses ${listLabels('perceptron')}.`;
        if (node.kind === 'neuron')
          return allowedOn('neuron', activation)
            ? { ...node, activation: activation as NeuronActivation }
            : `A neuron uses ${listLabels('neuron')}; ${activation} needs a layer.`;
        if (node.kind === 'dense') return { ...node, activation };
        return 'Inputs and bias nodes have no activation.';
      }),
  };
}

/** Renames a node (the label; the id stays, so edges and files keep pointing at it). */
export function setLabel(id: string, label: string): Command {
  return { label: 'Rename', apply: (project) => updateNode(project, id, (node) => ({ ...node, label: label.trim() || undefined })) };
}

/** Binds an input to a feature column. */
export function setFeature(id: string, feature: string): Command {
  return {
    label: 'Set feature',
    apply: (project) =>
      updateNode(project, id, (node) =>
        node.kind !== 'input'
          ? 'Only an input reads a feature.'
          : feature.trim()
            ? { ...node, feature: feature.trim() }
            : 'A feature needs a name.',
      ),
  };
}

/**
 * Sets the features an input layer reads, in unit order (adding, removing and reordering them all
 * come here). The weights go with their features: each edge out of the layer keeps, for every
 * feature still read, the column it had, in the new order, and a new feature's column starts at 0.
 */
export function setFeatures(id: string, features: readonly string[], label = 'Set features'): Command {
  return {
    label,
    apply(project) {
      const node = project.graph.nodes.find((n) => n.id === id);
      if (!node || node.kind !== 'inputLayer') return refuse('Only an input layer reads a list of features.');
      const names = features.map((f) => f.trim());
      if (names.length === 0) return refuse('An input layer reads at least one feature: delete the layer to read none.');
      if (names.some((f) => f === '')) return refuse('A feature needs a name.');
      const seen = new Set<string>();
      for (const f of names) {
        if (seen.has(f)) return refuse(`The layer already reads '${f}'.`);
        seen.add(f);
      }
      const before = new Map(node.features.map((f, k) => [f, k]));
      const nodes = project.graph.nodes.map((n) => (n.id === id ? { ...node, features: names } : n));
      const edges = project.graph.edges.map((e) => {
        if (e.source !== id) return e;
        const m = typeof e.weight === 'number' ? [[e.weight]] : e.weight;
        return { ...e, weight: m.map((row) => names.map((f) => (before.has(f) ? (row[before.get(f)!] ?? 0) : 0))) };
      });
      return done(withGraph(project, { nodes, edges }));
    },
  };
}

/** Marks a computing node as an output predicting `targets` (one per unit), or unmarks it (null). */
export function setOutput(id: string, targets: string[] | null): Command {
  return {
    label: targets ? 'Mark as output' : 'Unmark output',
    apply: (project) =>
      updateNode(project, id, (node) => {
        if (!isComputing(node)) return 'Only perceptrons, neurons and layers can be outputs.';
        if (targets === null) {
          const { output: _output, ...rest } = node;
          return rest as ComputingNode;
        }
        if (targets.length !== unitCount(node)) return `'${node.label ?? id}' has ${unitCount(node)} unit(s): name one target per unit.`;
        if (project.graph.edges.some((e) => e.source === id))
          return `'${node.label ?? id}' feeds other units; an output must end its path.`;
        return { ...node, output: { targets: [...targets] } };
      }),
  };
}

/**
 * Changes a layer's unit count: its biases and every weight matrix touching it grow (new
 * entries 0) or shrink (last units dropped), so the document stays consistent.
 */
export function setUnits(id: string, units: number): Command {
  return {
    label: 'Set units',
    apply(project) {
      const node = project.graph.nodes.find((n) => n.id === id);
      if (!node || node.kind !== 'dense') return refuse('Only a layer has a unit count.');
      if (!Number.isInteger(units) || units < 1) return refuse('A layer needs a whole number of units, at least 1.');
      const resize = (row: number[], length: number) => Array.from({ length }, (_, k) => row[k] ?? 0);
      const nodes = project.graph.nodes.map((n) => {
        if (n.id !== id || n.kind !== 'dense') return n;
        // An output keeps its units' target names; new units get placeholders the compiler flags.
        const targets = n.output ? Array.from({ length: units }, (_, k) => n.output!.targets[k] ?? `${n.id}_${k + 1}`) : null;
        return { ...n, units, bias: resize(n.bias, units), ...(targets ? { output: { targets } } : {}) };
      });
      const matrix = (weight: GraphEdge['weight']) => (typeof weight === 'number' ? [[weight]] : weight);
      const edges = project.graph.edges.map((e) => {
        if (e.target === id) {
          const m = matrix(e.weight);
          return { ...e, weight: Array.from({ length: units }, (_, j) => (m[j] ? [...m[j]] : new Array(m[0].length).fill(0))) };
        }
        if (e.source === id) return { ...e, weight: matrix(e.weight).map((row) => resize(row, units)) };
        return e;
      });
      return done(withGraph(project, { nodes, edges }));
    },
  };
}

/** A column of `count` single neurons at `position` (the first), one under the other. */
export function addNeuronLayer(count: number, activation: NeuronActivation, position: Position, spacing = 100): Command {
  return {
    label: `Add ${count} neurons`,
    apply(project) {
      if (!Number.isInteger(count) || count < 1 || count > 256) return refuse('Add from 1 to 256 neurons at a time.');
      let graph = project.graph;
      for (let k = 0; k < count; k++) {
        const node = nodeFromTemplate(graph, { kind: 'neuron', activation }, { x: position.x, y: position.y + k * spacing });
        graph = { ...graph, nodes: [...graph.nodes, node] };
      }
      return done(withGraph(project, graph));
    },
  };
}

/** Connects every node of `sources` to every node of `targets` (skipping pairs already wired). */
export function connectAll(sources: readonly string[], targets: readonly string[]): Command {
  return {
    label: 'Connect all',
    apply(project) {
      let current = project;
      let added = 0;
      for (const target of targets) {
        for (const source of sources) {
          const problem = connectionProblem(current.graph, source, target);
          if (problem?.includes('already feeds')) continue;
          if (problem) return refuse(problem);
          const result = connect(source, target).apply(current);
          if (!result.ok) return result;
          current = result.project;
          added++;
        }
      }
      return added > 0 ? done(current) : refuse('Every one of those units already feeds every one of these.');
    },
  };
}

/**
 * How far apart (in canvas pixels) two units may sit horizontally and still count as one column:
 * a unit nudged off its column by hand stays in it, and real columns are about 200 px apart.
 */
export const COLUMN_TOLERANCE = 60;

/**
 * Connect columns: groups the chosen nodes into columns by their x (a new column starts where the
 * gap to the previous unit exceeds {@link COLUMN_TOLERANCE}) and wires every unit of each column to
 * every unit of the next, as one undo step.
 */
export function connectColumns(graph: Graph, chosen: ReadonlySet<string>): Command {
  const nodes = graph.nodes.filter((n) => chosen.has(n.id)).sort((a, b) => (a.position?.x ?? 0) - (b.position?.x ?? 0));
  const columns: string[][] = [];
  let previousX = Number.NEGATIVE_INFINITY;
  for (const node of nodes) {
    const x = node.position?.x ?? 0;
    if (x - previousX > COLUMN_TOLERANCE || columns.length === 0) columns.push([]);
    columns[columns.length - 1].push(node.id);
    previousX = x;
  }
  if (columns.length < 2) {
    return {
      label: 'Connect columns',
      apply: () => refuse('Select units in at least two columns (side by side on the canvas) to connect them left to right.'),
    };
  }
  return batch(
    'Connect columns',
    columns.slice(1).map((column, c) => connectAll(columns[c], column)),
  );
}

/** Runs several commands as one (one undo step), refusing all if any is refused. */
export function batch(label: string, commands: readonly Command[]): Command {
  return {
    label,
    apply(project) {
      let current = project;
      for (const command of commands) {
        const result = command.apply(current);
        if (!result.ok) return result;
        current = result.project;
      }
      return done(current);
    },
  };
}

/** What Copy puts on the clipboard: the selected units and the edges between them. */
export interface Fragment {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The selected units (and the edges among them, plus selected edges between selected units). */
export function copyFragment(graph: Graph, ids: ReadonlySet<string>): Fragment | null {
  const nodes = graph.nodes.filter((n) => ids.has(n.id));
  if (nodes.length === 0) return null;
  const kept = new Set(nodes.map((n) => n.id));
  return { nodes: structuredClone(nodes), edges: structuredClone(graph.edges.filter((e) => kept.has(e.source) && kept.has(e.target))) };
}

/**
 * Pastes a fragment `offset` away from where it was copied, with fresh ids. Output marks are
 * dropped (two outputs cannot predict the same target); everything else is kept.
 */
export function paste(fragment: Fragment, offset: Position = { x: 40, y: 40 }, label = 'Paste'): Command {
  return {
    label,
    apply(project) {
      let graph = project.graph;
      const renamed = new Map<string, string>();
      const pasted: GraphNode[] = [];
      for (const node of fragment.nodes) {
        const prefix = node.id.replace(/\d+$/, '') || 'n';
        const id = freshId({ ...graph, nodes: [...graph.nodes, ...pasted] }, prefix);
        renamed.set(node.id, id);
        const position = { x: (node.position?.x ?? 0) + offset.x, y: (node.position?.y ?? 0) + offset.y };
        const copy = {
          ...structuredClone(node),
          id,
          label: node.label === node.id || node.label === undefined ? id : node.label,
          position,
        } as GraphNode;
        if (isComputing(copy)) delete copy.output;
        pasted.push(copy);
      }
      graph = { ...graph, nodes: [...graph.nodes, ...pasted] };
      const edges: GraphEdge[] = [];
      for (const edge of fragment.edges) {
        const source = renamed.get(edge.source);
        const target = renamed.get(edge.target);
        if (!source || !target) continue;
        edges.push({
          ...structuredClone(edge),
          id: edgeId({ ...graph, edges: [...graph.edges, ...edges] }, source, target),
          source,
          target,
        });
      }
      return done(withGraph(project, { ...graph, edges: [...graph.edges, ...edges] }));
    },
  };
}

/** Changes hyperparameters (one or several), refusing values out of range with the reason. */
export function setHyperparameters(change: Partial<Hyperparameters>): Command {
  return {
    label: 'Set hyperparameters',
    apply(project) {
      const merged: Hyperparameters = { ...project.hyperparameters, ...change };
      const issues = checkHyperparameters(merged);
      if (issues.length > 0) return refuse(issues[0].message);
      return done({ ...project, hyperparameters: merged });
    },
  };
}

/** Why a split cannot be used, in one sentence naming the share at fault; null when it can. */
function splitProblem(split: Project['split']): string | null {
  const shares = [
    ['training', split.train],
    ['validation', split.validation],
    ['test', split.test],
  ] as const;
  for (const [name, share] of shares) {
    if (!(share >= 0 && share <= 1)) return `The ${name} share must be from 0 to 1, got ${share}.`;
  }
  if (split.train <= 0) return 'The training share must be above 0: training needs some of the samples.';
  // The data panel derives the test share as what is left, so too much shows up as training + validation.
  const trainAndValidation = split.train + split.validation;
  if (trainAndValidation > 1 + 1e-9)
    return `The training and validation shares add up to ${+trainAndValidation.toFixed(6)}; together they can be at most 1.`;
  const total = trainAndValidation + split.test;
  if (Math.abs(total - 1) > 1e-9) return `The three shares add up to ${+total.toFixed(6)}; they must add up to 1.`;
  return null;
}

/** Why a built-in dataset cannot be generated (size, noise or seed out of the generator's bounds); null when it can. */
function builtinProblem(dataset: Extract<Project['dataset'], { kind: 'builtin' }>): string | null {
  if (!Number.isInteger(dataset.size) || dataset.size < 1 || dataset.size > MAX_GENERATED_SIZE) {
    return `A generated dataset has a whole number of samples from 1 to ${MAX_GENERATED_SIZE.toLocaleString('en')}, got ${dataset.size}.`;
  }
  // The file format's bound: a larger noise could not be saved or trained (1e308 overflows).
  if (!(dataset.noise >= 0 && dataset.noise <= MAX_NOISE))
    return `Noise must be from 0 to ${MAX_NOISE.toLocaleString('en')}, got ${dataset.noise}.`;
  if (!Number.isFinite(dataset.seed)) return `The data seed must be a number, got ${dataset.seed}.`;
  return null;
}

/**
 * Changes where the data comes from, how it is split, or how it is normalised. The stored
 * normalisation statistics are dropped, to be fitted again on the new training split.
 */
export function setData(change: {
  dataset?: Project['dataset'];
  split?: Project['split'];
  normalisation?: Project['normalisation']['method'];
}): Command {
  return {
    label: 'Change data',
    apply(project) {
      const split = change.split ?? project.split;
      const dataset = change.dataset ?? project.dataset;
      const reason = splitProblem(split) ?? (dataset.kind === 'builtin' ? builtinProblem(dataset) : null);
      if (reason) return refuse(reason);
      return done({
        ...project,
        dataset,
        split,
        normalisation: { method: change.normalisation ?? project.normalisation.method, fitted: null },
      });
    },
  };
}

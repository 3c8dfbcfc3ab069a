/**
 * The backprop inspector's model, without React: one training step on the chosen sample (or
 * mini-batch) traced by the engine, cut into the steps a user walks through like a debugger —
 * forward unit by unit, the loss, backward unit by unit in reverse, then the update unit by unit.
 *
 * Everything here is recomputed from the project document, so any edit (a weight, a bias, an
 * activation, the target) while inspecting changes every number at once: the "what if".
 */
import {
  bindData,
  compileGraph,
  freshOptimiserState,
  optimiserStateProblem,
  projectData,
  readParameters,
  rowPlaces,
  SPLIT_NAMES,
  traceStep,
  trainingRowRefusal,
  TrainingSetupError,
  type BoundData,
  type CompiledModel,
  type OptimiserState,
  type Project,
  type ProjectData,
  type RowPlaces,
  type SplitName,
  type StepTrace,
} from '../../../engine/src/index';

/** One stop of the walk through a training step. `sample` is the position in the batch. */
export type InspectorStep =
  | { phase: 'forward'; sample: number; unit: number }
  | { phase: 'loss'; sample: number }
  | { phase: 'backward'; sample: number; unit: number }
  /** The update of one unit j: its incoming weights and its bias (indices into `trace.updates`). */
  | { phase: 'update'; nodeId: string; unit: number; updates: number[] };

export type Phase = InspectorStep['phase'];
export const PHASES: Phase[] = ['forward', 'loss', 'backward', 'update'];

/** What the inspector is asked to trace. */
export interface InspectionRequest {
  /**
   * Positions in the (shuffled) training split, as the trainer counts samples: one for a
   * stochastic step, several for a mini-batch. What the user sees is `trainRows[position]`, the
   * dataset row; positions stay the store's currency because the paused run speaks them (the
   * saved `inspectorSample` is a dataset row: {@link positionNearRow} turns it into one).
   */
  samples: number[];
  /** The optimiser's memory (momentum's Δw(r−1), Adam's m, v and t); null for a fresh one (the first step the inspector takes). */
  optimiser: OptimiserState | null;
  /** What-if targets by training position: a row's target vector replaced (in `model.targets` order). */
  targets: ReadonlyMap<number, number[]>;
}

/** A traced step and the walk through it. */
export interface Inspection {
  model: CompiledModel;
  /** The training split as the network sees it (normalised), what-if targets applied. */
  data: BoundData;
  params: Float64Array;
  trace: StepTrace;
  steps: InspectorStep[];
  /** The dataset row of each training position (the row number the user sees). */
  trainRows: number[];
  /** Every dataset row's split and position in it. */
  places: RowPlaces;
  /** The training positions in dataset-row order: the order "next sample" walks and batches are cut in. */
  trainOrder: number[];
  /** The validation and test splits as the network sees them, for the row table. */
  others: Record<Exclude<SplitName, 'train'>, BoundData>;
}

/** The order a user walks through: per sample forward, loss, backward; then the update per unit. */
export function inspectorSteps(trace: StepTrace): InspectorStep[] {
  const steps: InspectorStep[] = [];
  trace.samples.forEach((sample, s) => {
    sample.forward.forEach((_, unit) => steps.push({ phase: 'forward', sample: s, unit }));
    steps.push({ phase: 'loss', sample: s });
    sample.backward.forEach((_, unit) => steps.push({ phase: 'backward', sample: s, unit }));
  });
  // Updates grouped by the unit j they change, in the forward order of units.
  const groups = new Map<string, { nodeId: string; unit: number; updates: number[] }>();
  trace.updates.forEach((update, index) => {
    const key = `${update.nodeId}\u0000${update.unit}`;
    const group = groups.get(key) ?? { nodeId: update.nodeId, unit: update.unit, updates: [] };
    group.updates.push(index);
    groups.set(key, group);
  });
  const order = trace.samples[0].forward.map((u) => `${u.nodeId}\u0000${u.unit}`);
  for (const key of order) {
    const group = groups.get(key);
    if (group) steps.push({ phase: 'update', ...group });
  }
  return steps;
}

/** The first step of a phase (of the batch's first sample), or −1 when the step has none. */
export function firstOfPhase(steps: InspectorStep[], phase: Phase): number {
  return steps.findIndex((s) => s.phase === phase);
}

/**
 * The training positions one step uses from position `start`, as the hyperparameters' mode
 * says: `start` and the training rows after it in dataset order (`order`, the training positions
 * sorted by dataset row), wrapping round.
 */
export function batchFrom(project: Project, start: number, order: readonly number[]): number[] {
  const { mode, batchSize } = project.hyperparameters;
  const size = order.length;
  const count = mode === 'stochastic' ? 1 : mode === 'batch' ? size : Math.min(batchSize, size);
  const at = Math.max(0, order.indexOf(start));
  return Array.from({ length: count }, (_, k) => order[(at + k) % size]);
}

/** The training position after the last of `positions` in dataset order (wrapping round): "next sample". */
export function nextInDatasetOrder(inspection: Pick<Inspection, 'trainOrder'>, positions: readonly number[]): number {
  const order = inspection.trainOrder;
  return order[(order.indexOf(positions[positions.length - 1]) + 1) % order.length];
}

/**
 * The training position of dataset row `row`, or the sentence saying why it has none (it is in
 * the validation or test split, or there is no such row).
 */
export function positionOfRow(inspection: Pick<Inspection, 'places'>, row: number): { position: number } | { refusal: string } {
  const refusal = trainingRowRefusal(row, inspection.places);
  if (refusal) return { refusal: `${refusal[0].toUpperCase()}${refusal.slice(1)}` };
  return { position: inspection.places.position[row] };
}

/**
 * The training position to open on for dataset row `row` (the saved view's `inspectorSample`):
 * the row's own when it is a training row, else the first training row after it in dataset order,
 * wrapping round — a file saved before the view stored dataset rows (it stored a training
 * position), or since given another split, may name a validation or test row. 0 when the data
 * cannot be prepared: tracing then says why.
 */
export function positionNearRow(project: Project, row: number): number {
  let cache: Prepared;
  try {
    cache = prepare(project);
  } catch {
    return 0;
  }
  const { places, trainRows, trainOrder } = cache;
  if (Number.isInteger(row) && row >= 0 && row < places.split.length && SPLIT_NAMES[places.split[row]] === 'train')
    return places.position[row];
  for (const position of trainOrder) if (trainRows[position] > row) return position;
  return trainOrder[0] ?? 0;
}

/** A dataset row's split and its numbers as the network sees them (normalised), for the row table. */
export function rowOfData(
  inspection: Inspection,
  row: number,
): { split: SplitName; position: number; x: ArrayLike<number>; t: ArrayLike<number> } {
  const split = SPLIT_NAMES[inspection.places.split[row]];
  const position = inspection.places.position[row];
  const data = split === 'train' ? inspection.data : inspection.others[split];
  const nf = inspection.model.features.length;
  const nt = inspection.model.targets.length;
  return { split, position, x: data.x.subarray(position * nf, position * nf + nf), t: data.t.subarray(position * nt, position * nt + nt) };
}

interface Prepared {
  key: [unknown, unknown, unknown];
  data: ProjectData;
  trainRows: number[];
  places: RowPlaces;
  trainOrder: number[];
  /** The splits bound to the last model's columns, reused while its inputs and outputs stay. */
  bound: { columns: string; train: BoundData; validation: BoundData; test: BoundData } | null;
}

/** Prepared data, cached by the document parts it depends on. */
let prepared: Prepared | null = null;
function prepare(project: Project): Prepared {
  const key: [unknown, unknown, unknown] = [project.dataset, project.split, project.normalisation];
  if (!prepared || prepared.key.some((k, i) => k !== key[i])) {
    const data = projectData(project);
    const rows = (split: SplitName) => Array.from(data[split].rowIds ?? [], Number);
    const trainRows = rows('train');
    const places = rowPlaces({ train: trainRows, validation: rows('validation'), test: rows('test') });
    const trainOrder = trainRows.map((_, position) => position).sort((a, b) => trainRows[a] - trainRows[b]);
    prepared = { key, data, trainRows, places, trainOrder, bound: null };
  }
  return prepared;
}

/** The prepared splits bound to the model's columns (cached: a what-if edit changes no column). */
function bound(cache: Prepared, model: CompiledModel) {
  const columns = JSON.stringify([model.features, model.targets]);
  if (cache.bound?.columns !== columns) {
    cache.bound = {
      columns,
      train: bindData(model, cache.data.train),
      validation: bindData(model, cache.data.validation),
      test: bindData(model, cache.data.test),
    };
  }
  return cache.bound;
}

/**
 * Traces one training step of the project's network on the requested rows, from the weights in
 * the document. Throws with a message for the user when it cannot (a graph that does not compile
 * for training, a row that does not exist).
 */
export function inspect(project: Project, request: InspectionRequest): Inspection {
  const hyper = project.hyperparameters;
  const cache = prepare(project);
  const { data: projectRows, trainRows, places, trainOrder } = cache;
  const compiled = compileGraph(project.graph, {
    training: { algorithm: hyper.algorithm, loss: hyper.loss },
    data: { features: projectRows.full.features, targets: projectRows.full.targets },
  });
  if (!compiled.ok) throw new TrainingSetupError(compiled.errors);
  const model = compiled.model;
  const splits = bound(cache, model);
  let data = splits.train;
  if (data.size === 0) throw new Error('The training split is empty: give training a share of the data.');
  if (request.targets.size > 0) {
    const t = Float64Array.from(data.t);
    const nt = model.targets.length;
    for (const [row, values] of request.targets) {
      if (row >= 0 && row < data.size) values.forEach((v, k) => k < nt && (t[row * nt + k] = v));
    }
    data = { ...data, t };
  }
  const params = readParameters(model);
  // A memory of another optimiser or network (the settings or the graph changed since) starts afresh.
  const fits = request.optimiser && optimiserStateProblem(request.optimiser, hyper.optimiser, model.paramCount) === null;
  const optimiser = fits ? request.optimiser! : freshOptimiserState(hyper.optimiser, model.paramCount);
  const trace = traceStep(model, params, optimiser, data, request.samples, hyper);
  return {
    model,
    data,
    params,
    trace,
    steps: inspectorSteps(trace),
    trainRows,
    places,
    trainOrder,
    others: { validation: splits.validation, test: splits.test },
  };
}

/** What the canvas shows of the step at `cursor`: values revealed so far, and what to highlight. */
export interface CanvasView {
  /** Per node: per unit s, z (revealed by the forward walk) and δ (by the backward walk). */
  units: Map<string, { s: number | null; z: number | null; delta: number | null }[]>;
  /** Per edge: ∂J/∂w (mean over its weights) and the Δw it is about to receive, once they are known. */
  edges: Map<string, { gradient: number; magnitude: number; change: number | null; count: number }>;
  /** The largest edge magnitude shown, so widths compare gradients with each other (they are small beside weights). */
  maxMagnitude: number;
  /** The unit in focus, and the edges and units the current formula reads. */
  focus: { nodeId: string; unit: number } | null;
  litEdges: Set<string>;
  litNodes: Set<string>;
}

/**
 * The canvas's view at step `cursor`: the current sample's s and z for the units the forward walk
 * has reached, δ for those the backward walk has reached, each edge's gradient once its target's
 * δ is known (in the update phase: the batch mean), and the Δw it is about to receive (with the
 * gradient for one sample; for a mini-batch once the update phase is reached).
 */
export function canvasView(inspection: Inspection, cursor: number): CanvasView {
  const { trace, steps } = inspection;
  const step = steps[Math.max(0, Math.min(cursor, steps.length - 1))];
  const inUpdate = step.phase === 'update';
  const sampleIndex = inUpdate ? trace.samples.length - 1 : step.sample;
  const sample = trace.samples[sampleIndex];
  const reached = (phase: 'forward' | 'backward', unit: number) => {
    if (inUpdate) return true;
    const at = steps.findIndex((s) => s.phase === phase && s.sample === sampleIndex && s.unit === unit);
    return at >= 0 && at <= cursor;
  };
  const units = new Map<string, { s: number | null; z: number | null; delta: number | null }[]>();
  // Inputs carry their x (what the network sees, normalised) from the start.
  inspection.model.inputs.forEach((input, f) => {
    // An input layer's features are its units, in order.
    const list = units.get(input.nodeId) ?? [];
    list[input.unit] = { s: null, z: sample.inputs[f].value, delta: null };
    units.set(input.nodeId, list);
  });
  sample.forward.forEach((u, k) => {
    const list = units.get(u.nodeId) ?? [];
    list[u.unit] = reached('forward', k) ? { s: u.s, z: u.z, delta: null } : { s: null, z: null, delta: null };
    units.set(u.nodeId, list);
  });
  const deltaKnown = new Set<string>();
  sample.backward.forEach((b, k) => {
    if (!reached('backward', k)) return;
    const entry = units.get(b.nodeId)?.[b.unit];
    if (entry) entry.delta = b.delta;
    deltaKnown.add(`${b.nodeId}\u0000${b.unit}`);
  });

  // Edge gradients: in the update phase the batch mean; before, this sample's −δ_j x_ji once δ_j is known.
  const edges = new Map<string, { gradient: number; magnitude: number; change: number | null; count: number }>();
  const updateReached = new Set<number>();
  if (inUpdate)
    for (let c = 0; c <= cursor; c++)
      if (steps[c].phase === 'update')
        for (const u of (steps[c] as Extract<InspectorStep, { phase: 'update' }>).updates) updateReached.add(u);
  trace.updates.forEach((update, index) => {
    if (update.kind !== 'weight' || !update.edgeId) return;
    let gradient: number | null = null;
    if (inUpdate) gradient = update.gradient;
    else if (deltaKnown.has(`${update.nodeId}\u0000${update.unit}`)) gradient = update.contributions[sampleIndex]?.gradient ?? null;
    if (gradient === null) return;
    const entry = edges.get(update.edgeId) ?? { gradient: 0, magnitude: 0, change: null, count: 0 };
    entry.gradient += gradient;
    entry.magnitude += Math.abs(gradient);
    entry.count++;
    // Δw is known with the gradient for a single sample; a batch's only once every sample is in.
    if (updateReached.has(index) || (trace.samples.length === 1 && gradient !== null && !inUpdate))
      entry.change = (entry.change ?? 0) + update.change;
    edges.set(update.edgeId, entry);
  });
  for (const entry of edges.values()) {
    entry.gradient /= entry.count;
    entry.magnitude /= entry.count;
    if (entry.change !== null) entry.change /= entry.count;
  }

  const litEdges = new Set<string>();
  const litNodes = new Set<string>();
  let focus: CanvasView['focus'] = null;
  if (step.phase === 'forward') {
    const u = sample.forward[step.unit];
    focus = { nodeId: u.nodeId, unit: u.unit };
    for (const term of u.terms) litEdges.add(term.edgeId);
    for (const edge of inspection.model.graph.edges) if (litEdges.has(edge.id)) litNodes.add(edge.source);
  } else if (step.phase === 'loss') {
    for (const node of inspection.model.outputs) litNodes.add(node.id);
  } else if (step.phase === 'backward') {
    const b = sample.backward[step.unit];
    focus = { nodeId: b.nodeId, unit: b.unit };
    for (const d of b.downstream) {
      litEdges.add(d.edgeId);
      litNodes.add(d.nodeId);
    }
  } else {
    focus = { nodeId: step.nodeId, unit: step.unit };
    for (const index of step.updates) {
      const edgeId = trace.updates[index].edgeId;
      if (edgeId) litEdges.add(edgeId);
    }
  }
  // A loop, not a spread into Math.max: 100,000 edges are more than a spread takes.
  let maxMagnitude = 0;
  for (const e of edges.values()) maxMagnitude = Math.max(maxMagnitude, e.magnitude);
  return { units, edges, maxMagnitude, focus, litEdges, litNodes };
}

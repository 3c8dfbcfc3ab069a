/**
 * The network over the input plane, for the decision-regions view and the small map inside each
 * unit on the canvas: a grid of points spanning the data, normalised as the project normalises
 * its inputs, passed forward all at once (the engine's batched inference, so no per-point loop
 * through the network runs on the renderer's thread).
 */
import {
  activationsWithOutput,
  compileGraph,
  forwardBatch,
  projectData,
  readParameters,
  resolveDataset,
  type CompiledModel,
  type Dataset,
  type Graph,
  type Normalisation,
  type Project,
} from '../../../../engine/src/index';

export interface DecisionGrid {
  /** Output of the first output unit at each cell, row by row from the top (high x2) down. */
  values: Float64Array;
  size: number;
  /** The input range the grid spans. */
  x: [number, number];
  y: [number, number];
  /** The output's decision threshold (0.5 for 0/1 outputs, 0 for tanh and sign). */
  threshold: number;
}

/** The activations whose output is read against 0 rather than ½. */
const SIGNED = new Set<string>(activationsWithOutput('signed'));
/** The activations whose output lies in [0, 1] (sigmoid, softmax, step). */
const BOUNDED = new Set<string>([...activationsWithOutput('probability'), ...activationsWithOutput('binary')]);

/**
 * Multiply-adds one redraw of a plane view may spend: these run on the renderer's thread up to
 * ten times a second while training, so a wide network gets a coarser grid rather than a slow
 * frame (about 2 ms of arithmetic).
 */
export const PLANE_BUDGET = 2_000_000;

/** The grid's side for a network of `parameters`: at most `largest`, at least 8, within the budget. */
export function gridSize(parameters: number, largest: number): number {
  return Math.max(8, Math.min(largest, Math.floor(Math.sqrt(PLANE_BUDGET / Math.max(1, parameters)))));
}

/**
 * Compiles the graph and passes a grid of at most `largest` × `largest` points covering the data
 * (raw units; see {@link gridSize}) forward in one batch, recording the z of `slotsOf(model)` at
 * every cell (cell after cell, row by row from the top; the slots' values side by side). Null
 * when the network does not compile or does not read exactly two features of the data.
 */
function sweepPlane(
  graph: Graph,
  data: Dataset,
  normalisation: Normalisation,
  largest: number,
  slotsOf: (model: CompiledModel) => number[],
): { model: CompiledModel; size: number; x: [number, number]; y: [number, number]; slots: number[]; values: Float64Array } | null {
  const compiled = compileGraph(graph);
  if (!compiled.ok || data.features.length !== 2) return null;
  const model = compiled.model;
  if (model.features.length !== 2 || model.outputs.length === 0) return null;
  const size = gridSize(model.paramCount, largest);
  const column = model.features.map((f) => data.features.indexOf(f));
  if (column.some((c) => c < 0)) return null;
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let n = 0; n < data.size; n++) {
    const a = data.x[n * 2 + column[0]];
    const b = data.x[n * 2 + column[1]];
    [minX, maxX, minY, maxY] = [Math.min(minX, a), Math.max(maxX, a), Math.min(minY, b), Math.max(maxY, b)];
  }
  const padX = (maxX - minX || 1) * 0.08;
  const padY = (maxY - minY || 1) * 0.08;
  const x: [number, number] = [minX - padX, maxX + padX];
  const y: [number, number] = [minY - padY, maxY + padY];
  const stat = (name: string) => normalisation.features.find((f) => f.name === name) ?? { shift: 0, scale: 1 };
  const [sa, sb] = model.features.map(stat);
  const inputs = new Float64Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    const b = y[1] - ((r + 0.5) / size) * (y[1] - y[0]);
    for (let c = 0; c < size; c++) {
      const a = x[0] + ((c + 0.5) / size) * (x[1] - x[0]);
      const cell = r * size + c;
      inputs[cell * 2] = (a - sa.shift) / sa.scale;
      inputs[cell * 2 + 1] = (b - sb.shift) / sb.scale;
    }
  }
  const slots = slotsOf(model);
  const values = new Float64Array(size * size * slots.length);
  forwardBatch(model, readParameters(model), inputs, size * size, null, { slots, slotValues: values });
  return { model, size, x, y, slots, values };
}

/**
 * The first output's value over a `size` × `size` grid covering the data (raw units), or null
 * when the network does not compile or does not read exactly two features.
 */
export function decisionGrid(graph: Graph, data: Dataset, normalisation: Normalisation, largest = 48): DecisionGrid | null {
  const swept = sweepPlane(graph, data, normalisation, largest, (model) => [model.outputs[0].start]);
  if (!swept) return null;
  const threshold = SIGNED.has(swept.model.outputs[0].activation) ? 0 : 0.5;
  return { values: swept.values, size: swept.size, x: swept.x, y: swept.y, threshold };
}

/** One unit's output over the input plane, and how to colour it. */
export interface UnitMap {
  /** z at each cell, row by row from the top (high x2) down. */
  values: Float32Array;
  /** The value drawn white: the activation's middle (½ for sigmoid, 0 for tanh and the rest). */
  centre: number;
  /** How far from the centre the colour is full. */
  span: number;
}

/** The most units of one layer that get a map (a wide layer shows its first few). */
export const MAPS_PER_NODE = 4;

/**
 * Every unit's output over the input plane (inputs included, bias nodes not): the lecture's
 * picture of each first-layer unit drawing a line and later units combining the regions. At most
 * {@link MAPS_PER_NODE} maps per node. Null when the network does not compile or does not read
 * exactly two features.
 */
export function unitMaps(
  graph: Graph,
  data: Dataset,
  normalisation: Normalisation,
  largest = 20,
): { size: number; maps: Map<string, UnitMap[]> } | null {
  const maps = new Map<string, UnitMap[]>();
  const chosen: { slot: number; map: UnitMap }[] = [];
  const swept = sweepPlane(graph, data, normalisation, largest, (model) => {
    const size = gridSize(model.paramCount, largest);
    // By node: a node holding several features (an input layer) lists one map per feature, as a dense layer per unit.
    const add = (nodeId: string, start: number, units: number, activation: string | null) => {
      const list = maps.get(nodeId) ?? [];
      maps.set(nodeId, list);
      for (let u = 0; u < units && list.length < MAPS_PER_NODE; u++) {
        const bounded = BOUNDED.has(activation ?? '');
        const map: UnitMap = {
          values: new Float32Array(size * size),
          centre: bounded ? 0.5 : 0,
          span: bounded ? 0.5 : SIGNED.has(activation ?? '') ? 1 : 0,
        };
        list.push(map);
        chosen.push({ slot: start + u, map });
      }
    };
    for (const input of model.inputs) add(input.nodeId, input.slot, 1, null);
    for (const node of model.computing) add(node.id, node.start, node.units, node.activation);
    return chosen.map((c) => c.slot);
  });
  if (!swept) return null;
  const width = chosen.length;
  chosen.forEach(({ map }, c) => {
    for (let cell = 0; cell < map.values.length; cell++) map.values[cell] = swept.values[cell * width + c];
  });
  // Unbounded outputs (inputs, linear, ReLU) are scaled by the largest |z − centre| on the plane.
  for (const { map } of chosen) {
    if (map.span > 0) continue;
    let furthest = 0;
    for (const v of map.values) furthest = Math.max(furthest, Math.abs(v - map.centre));
    map.span = furthest || 1;
  }
  return { size: swept.size, maps };
}

/**
 * The raw data to plot and the normalisation the network sees its inputs through: the project's
 * stored statistics, or those fitted on its raw training split (as training will fit them).
 */
export function regionInputs(project: Project): { raw: Dataset; normalisation: Normalisation } {
  return { raw: resolveDataset(project.dataset), normalisation: projectData(project).normalisation };
}

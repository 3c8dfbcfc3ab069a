/**
 * The network's output over the input plane, for the decision-regions view: a grid of points
 * spanning the data, normalised as the project normalises its inputs, run forward.
 */
import { compileGraph, createWorkspace, forward, projectData, readParameters, resolveDataset, type Dataset, type Graph, type Normalisation, type Project } from '../../engine/src/index';

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

/**
 * The first output's value over a `size` × `size` grid covering the data (raw units), or null
 * when the network does not compile or does not read exactly two features.
 */
export function decisionGrid(graph: Graph, data: Dataset, normalisation: Normalisation, size = 48): DecisionGrid | null {
  const compiled = compileGraph(graph);
  if (!compiled.ok || data.features.length !== 2) return null;
  const model = compiled.model;
  if (model.features.length !== 2 || model.outputs.length === 0) return null;
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
  const params = readParameters(model);
  const ws = createWorkspace(model);
  const output = model.outputs[0];
  const values = new Float64Array(size * size);
  const input = new Float64Array(2);
  for (let r = 0; r < size; r++) {
    const b = y[1] - ((r + 0.5) / size) * (y[1] - y[0]);
    for (let c = 0; c < size; c++) {
      const a = x[0] + ((c + 0.5) / size) * (x[1] - x[0]);
      input[0] = (a - sa.shift) / sa.scale;
      input[1] = (b - sb.shift) / sb.scale;
      forward(model, params, input, 0, ws);
      values[r * size + c] = ws.z[output.start];
    }
  }
  const threshold = output.activation === 'tanh' || output.activation === 'sign' ? 0 : 0.5;
  return { values, size, x, y, threshold };
}

/**
 * The raw data to plot and the normalisation the network sees its inputs through: the project's
 * stored statistics, or those fitted on its raw training split (as training will fit them).
 */
export function regionInputs(project: Project): { raw: Dataset; normalisation: Normalisation } {
  return { raw: resolveDataset(project.dataset), normalisation: projectData(project).normalisation };
}

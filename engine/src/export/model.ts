/**
 * What every export starts from: the project's graph compiled, its current weights, and the
 * normalisation its inputs go through, in the model's feature order.
 *
 * Exports describe the network as it runs on raw data: x → normalise → network. The engine keeps
 * normalisation outside the graph (the data is normalised once, before training), so each export
 * bakes it in at the front; without that a user feeding raw measurements to the exported model
 * would silently get wrong answers.
 */
import { compileGraph, readParameters, weightIndex, type CompiledEdge, type CompiledModel } from '../compile/compile';
import { subset, type Dataset } from '../datasets/data';
import { fitNormalisation, splitIndices, type NormalisationMethod } from '../datasets/prepare';
import type { Project } from '../project/schema';
import { resolveDataset } from '../project/session';
import { quoteForMessage } from '../util/quote';

/** Thrown when a project cannot be exported in the format asked for; the message names the node, edge or field. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/** A project ready to export. */
export interface ExportModel {
  project: Project;
  model: CompiledModel;
  /** The current weights and biases, laid out as `model` says. */
  params: Float64Array;
  /**
   * Per feature in `model.features` order: x' = (x − shift) / scale. Null when the project does
   * not normalise (method 'none').
   */
  normalisation: { method: Exclude<NormalisationMethod, 'none'>; shift: number[]; scale: number[] } | null;
}

/**
 * Compiles the project's graph and gathers its weights and normalisation.
 *
 * A project that normalises but was never trained has no stored statistics yet; they are fitted
 * on its training split exactly as training would fit them, so the export matches what
 * `nnstudio eval` computes on the same file.
 *
 * @throws ExportError when the graph does not compile (every problem, each naming its node or
 *   edge) or the stored normalisation lacks a feature the network reads.
 */
export function prepareExport(project: Project): ExportModel {
  const compiled = compileGraph(project.graph);
  if (!compiled.ok) {
    throw new ExportError(
      `The network does not compile, so there is nothing to export: ${compiled.errors.map((e) => e.message).join(' ')}`,
    );
  }
  const model = compiled.model;
  const params = readParameters(model);
  const method = project.normalisation.method;
  if (method === 'none') return { project, model, params, normalisation: null };
  const stats = project.normalisation.fitted ?? fitNormalisation(trainingSplit(project), method).features;
  const shift: number[] = [];
  const scale: number[] = [];
  for (const feature of model.features) {
    const entry = stats.find((f) => f.name === feature);
    if (!entry)
      throw new ExportError(
        `The stored normalisation has no statistics for feature '${quoteForMessage(feature)}', which the network reads; train the project again to refit it.`,
      );
    shift.push(entry.shift);
    scale.push(entry.scale);
  }
  return { project, model, params, normalisation: { method, shift, scale } };
}

/** The project's training split, raw (not normalised). */
export function trainingSplit(project: Project): Dataset {
  const full = resolveDataset(project.dataset);
  return subset(full, splitIndices(full.size, project.split).train);
}

/** The project's validation split, raw (not normalised). */
export function validationSplit(project: Project): Dataset {
  const full = resolveDataset(project.dataset);
  return subset(full, splitIndices(full.size, project.split).validation);
}

/** The computing nodes whose values reach an output; the others cannot change a prediction. */
export function nodesReachingOutputs(model: CompiledModel): Set<string> {
  const needed = new Set<string>(model.outputs.map((n) => n.id));
  for (let n = model.computing.length - 1; n >= 0; n--) {
    const node = model.computing[n];
    if (!needed.has(node.id)) continue;
    for (const edge of node.incoming) needed.add(edge.source);
  }
  return needed;
}

/** The weights of a compiled edge as a matrix `[targetUnit][sourceUnit]`. */
export function edgeWeights(params: ArrayLike<number>, edge: CompiledEdge): number[][] {
  const rows: number[][] = [];
  for (let j = 0; j < edge.targetUnits; j++) {
    const row: number[] = [];
    for (let i = 0; i < edge.sourceUnits; i++) row.push(params[weightIndex(edge, j, i)]);
    rows.push(row);
  }
  return rows;
}

/**
 * Where each data input's features start among the model's input columns, by node id: an input
 * layer's unit i is column `start + i`, since the compiler keeps a node's features side by side.
 */
export function inputColumns(model: CompiledModel): Map<string, number> {
  const columns = new Map<string, number>();
  model.inputs.forEach((input, column) => {
    if (!columns.has(input.nodeId)) columns.set(input.nodeId, column);
  });
  return columns;
}

/** The node of the graph behind a compiled node, for labels and kinds. */
export function graphNode(model: CompiledModel, id: string) {
  return model.graph.nodes.find((n) => n.id === id)!;
}

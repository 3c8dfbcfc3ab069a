/** NN Studio's engine, trained through its public Trainer as the app and the CLI train. */
import {
  DEFAULT_HYPERPARAMETERS,
  Trainer,
  bindData,
  compileOrThrow,
  evaluate,
  trainingSampleFormat,
  weightIndex,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type BoundData,
  type Dataset,
  type SampleFormat,
  type CompiledModel,
  type Hyperparameters,
  type LossName,
  useProductThreads,
} from '../../engine/src/index';
import { BatchedKernel } from '../../engine/src/fast/batched';
import { helpersAttached, nodeProductThreads } from '../../src-main/training/spawn';
import type { Workload, WorkloadData } from '../workloads';
import type { Contender } from './types';

/** The workload's network compiled by the engine, its initial weights in the engine's layout, and its data bound to it. */
export function engineModel(
  workload: Workload,
  data: WorkloadData,
  initial: { w: Float64Array; b: Float64Array }[],
  format: (model: CompiledModel) => SampleFormat = () => 'float64',
): { model: CompiledModel; params: Float64Array; bound: BoundData } {
  const features = Array.from({ length: data.inputs }, (_, i) => `x${i}`);
  const targets = Array.from({ length: data.outputs }, (_, k) => `t${k}`);
  // A wide input is one input layer, as the app draws an image's pixels (784 single input nodes,
  // each with its own edge, would hold megabytes of graph); a few inputs are single input nodes,
  // as in a lecture's network.
  const wide = data.inputs > 16;
  const nodes: GraphNode[] = wide
    ? [{ id: 'x', kind: 'inputLayer', features }]
    : features.map((f) => ({ id: f, kind: 'input', feature: f }));
  const edges: GraphEdge[] = [];
  let previous = wide ? [{ id: 'x', units: data.inputs }] : features.map((id) => ({ id, units: 1 }));
  workload.layers.forEach((layer, l) => {
    const id = `L${l}`;
    const last = l === workload.layers.length - 1;
    nodes.push({
      id,
      kind: 'dense',
      units: layer.units,
      activation: layer.activation,
      bias: new Array(layer.units).fill(0),
      ...(last ? { output: { targets } } : {}),
    });
    for (const source of previous)
      edges.push({
        id: `${source.id}->${id}`,
        source: source.id,
        target: id,
        weight: Array.from({ length: layer.units }, () => new Array(source.units).fill(0)),
      });
    previous = [{ id, units: layer.units }];
  });
  const graph: Graph = { nodes, edges };
  const model = compileOrThrow(graph);
  // The workload's arrays as a dataset, without a copy: binding makes the engine's own, in `format(model)`.
  const dataset: Dataset = { features, targets, size: data.samples, x: data.x, y: data.y };
  const bound = bindData(model, dataset, format(model));

  // The benchmark's weights, written into the engine's layout.
  const start = new Float64Array(model.paramCount);
  model.computing.forEach((node, l) => {
    const { w, b } = initial[l];
    const fanIn = workload.layers[l].inputs;
    for (const edge of node.incoming) {
      const column = l === 0 && !wide ? Number(edge.source.slice(1)) : 0;
      for (let j = 0; j < edge.targetUnits; j++)
        for (let i = 0; i < edge.sourceUnits; i++) start[weightIndex(edge, j, i)] = w[j * fanIn + column + i];
    }
    start.set(b, node.biasOffset);
  });
  return { model, params: start, bound };
}

/**
 * The engine in one precision (engine/src/train/precision.ts): 'exact' computes in float64,
 * 'fast' in float32 (the batched kernel's activations, gradients and products), on `threads`
 * threads: with more than one, large float32 products are split across helper threads as the
 * app's training worker splits them (engine/src/fast/product-threads.ts).
 */
function engineContender(precision: 'exact' | 'fast', threads = 1): Contender {
  return {
    name: precision === 'exact' ? 'NN Studio' : threads > 1 ? `NN Studio f32 ×${threads} threads` : 'NN Studio f32',
    async prepare(workload, data, initial) {
      if (threads > 1) useProductThreads(nodeProductThreads(threads - 1));
      const loss: LossName = workload.loss === 'halfSquaredError' ? 'squaredError' : 'crossEntropy';
      const hyper: Hyperparameters = {
        ...DEFAULT_HYPERPARAMETERS,
        loss,
        mode: workload.batchSize === 1 ? 'stochastic' : 'minibatch',
        batchSize: workload.batchSize,
        learningRate: workload.learningRate,
        momentum: 0,
        shuffle: false,
        maxEpochs: 1_000_000,
        precision,
      };
      // The samples in the format the trainer reads for this precision, as the app binds them.
      const {
        model,
        params: start,
        bound,
      } = engineModel(workload, data, initial, (model) => trainingSampleFormat(model, hyper, data.samples));
      let trainer!: Trainer;
      return {
        async reset() {
          trainer = new Trainer({ model, params: start, train: bound, hyper });
          // Helpers attach to each new kernel in the background; a timed run starts once they have.
          if (threads > 1 && trainer.kernel instanceof BatchedKernel) await helpersAttached(trainer.kernel.threads, threads - 1);
        },
        run() {
          trainer.run({ epochs: workload.epochs });
        },
        runEpochs(epochs) {
          trainer.run({ epochs });
        },
        finalLoss: () => evaluate(model, trainer.params, bound, loss).loss,
        samplesPerRun: data.samples * workload.epochs,
        notes: [],
        precision: precision === 'exact' ? 'float64' : 'float32',
        details: () => ({
          kernel: trainer.kernel.kind,
          products: (trainer.kernel as { products?: string }).products ?? null,
          trainedIn: trainer.precision,
          helperProducts: trainer.kernel instanceof BatchedKernel ? (trainer.kernel.threads?.helperProducts() ?? 0) : 0,
        }),
      };
    },
  };
}

export const engine = engineContender('exact');
export const engineF32 = engineContender('fast');
export const engineF32TwoThreads = engineContender('fast', 2);

/**
 * Random feed-forward DAGs for property tests: single inputs and input layers, single neurons and
 * dense layers with every activation, skip connections, bias nodes, and outputs that fit the chosen loss.
 */
import {
  ACTIVATIONS,
  activationsFor,
  bindData,
  compileOrThrow,
  createRng,
  createWorkspace,
  datasetFromRows,
  forward,
  isDataInput,
  isDifferentiable,
  lossAccepts,
  lossForm,
  readParameters,
  type Activation,
  type BoundData,
  type CompiledModel,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type LossName,
  type NeuronActivation,
} from '../../engine/src/index';

export interface RandomProblem {
  graph: Graph;
  model: CompiledModel;
  params: Float64Array;
  data: BoundData;
  loss: LossName;
}

// From the activation registry, so that a new activation is exercised by every property test.
const SMOOTH: NeuronActivation[] = activationsFor('neuron').filter(isDifferentiable);
/** Hidden layers: every trainable activation, softmax included. */
const LAYER: Activation[] = activationsFor('dense').filter(isDifferentiable);
/** Single-unit outputs per loss, from the loss registry: every smooth one squared error accepts, sigmoid for cross-entropy. */
const OUTPUTS = (loss: LossName): NeuronActivation[] => SMOOTH.filter((activation) => lossAccepts(loss, activation));

/**
 * A random network, its parameters and a small batch of data for `loss`.
 * Kinks (ReLU's, leaky ReLU's) are kept away from every sample (|s| > 1e-3) so central differences are valid.
 */
export function randomProblem(seed: number, loss: LossName, samples = 3): RandomProblem {
  for (let attempt = 0; ; attempt++) {
    const problem = tryProblem(seed * 7919 + attempt, loss, samples);
    if (problem) return problem;
  }
}

function tryProblem(seed: number, loss: LossName, samples: number): RandomProblem | null {
  const rng = createRng(seed);
  const pick = <T>(items: readonly T[]): T => items[rng.int(items.length)];
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const units = new Map<string, number>();
  const inputCount = 1 + rng.int(3);
  // Four in ten networks read (some of) their features through an input layer, so every property
  // test holds multi-unit input sources too: the whole input, or a layer beside a single input.
  const layered = rng.next() < 0.4 ? 1 + rng.int(inputCount) : 0;
  if (layered > 0) {
    nodes.push({ id: 'X', kind: 'inputLayer', features: Array.from({ length: layered }, (_, i) => `f${i}`) });
    units.set('X', layered);
  }
  for (let i = layered; i < inputCount; i++) {
    nodes.push({ id: `x${i}`, kind: 'input', feature: `f${i}` });
    units.set(`x${i}`, 1);
  }
  if (rng.next() < 0.5) {
    nodes.push({ id: 'one', kind: 'bias' });
    units.set('one', 1);
  }
  const weight = (rows: number, cols: number): number | number[][] =>
    rows === 1 && cols === 1 && rng.next() < 0.5
      ? rng.normal()
      : Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
  const connect = (target: string, candidates: string[]) => {
    const count = 1 + rng.int(Math.min(3, candidates.length));
    const chosen = rng.shuffle([...candidates]).slice(0, count);
    for (const source of chosen) {
      edges.push({ id: `${source}->${target}`, source, target, weight: weight(units.get(target)!, units.get(source)!) });
    }
  };

  const hiddenCount = 1 + rng.int(4);
  for (let h = 0; h < hiddenCount; h++) {
    const id = `h${h}`;
    const sources = [...units.keys()];
    if (rng.next() < 0.5) {
      const activation = pick(LAYER);
      const size = 2 + rng.int(2);
      nodes.push({ id, kind: 'dense', units: size, activation, bias: Array.from({ length: size }, () => rng.normal() * 0.5) });
      units.set(id, size);
    } else {
      nodes.push({ id, kind: 'neuron', activation: pick(SMOOTH), bias: rng.normal() * 0.5 });
      units.set(id, 1);
    }
    connect(id, sources);
  }

  const targets: string[] = [];
  const outputCount = 1 + rng.int(2);
  const outputKinds: { id: string; units: number; activation: Activation }[] = [];
  for (let o = 0; o < outputCount; o++) {
    const id = `o${o}`;
    const sources = [...units.keys()].filter((k) => !k.startsWith('o'));
    const softmax = rng.next() < 0.4 && lossAccepts(loss, 'softmax');
    const size = softmax ? 2 + rng.int(2) : rng.next() < 0.5 ? 1 : 2;
    const activation: Activation = softmax ? 'softmax' : pick(OUTPUTS(loss));
    const names = Array.from({ length: size }, (_, k) => `t${o}_${k}`);
    targets.push(...names);
    if (size === 1 && rng.next() < 0.5) {
      nodes.push({ id, kind: 'neuron', activation: activation as NeuronActivation, bias: rng.normal() * 0.5, output: { targets: names } });
    } else {
      nodes.push({
        id,
        kind: 'dense',
        units: size,
        activation,
        bias: Array.from({ length: size }, () => rng.normal() * 0.5),
        output: { targets: names },
      });
    }
    units.set(id, size);
    outputKinds.push({ id, units: size, activation });
    connect(id, sources);
  }

  // Every hidden node should reach an output, or its gradient is trivially zero; feed the last output from dead ends.
  const last = outputKinds[outputKinds.length - 1];
  for (const node of nodes) {
    if (isDataInput(node) || node.kind === 'bias' || node.id.startsWith('o')) continue;
    if (!edges.some((e) => e.source === node.id)) {
      edges.push({ id: `${node.id}->${last.id}`, source: node.id, target: last.id, weight: weight(last.units, units.get(node.id)!) });
    }
  }

  const graph: Graph = { nodes, edges };
  const model = compileOrThrow(graph);
  const features = Array.from({ length: inputCount }, (_, i) => `f${i}`);
  const rows: number[][] = [];
  for (let n = 0; n < samples; n++) {
    const x = features.map(() => rng.normal());
    const t: number[] = [];
    for (const out of outputKinds) {
      if (out.activation === 'softmax') {
        const hot = rng.int(out.units);
        for (let k = 0; k < out.units; k++) t.push(k === hot ? 1 : 0);
      } else if (lossForm(loss, out.activation)!.targets === 'probability') {
        for (let k = 0; k < out.units; k++) t.push(rng.next()); // soft targets in [0, 1] exercise both terms
      } else {
        for (let k = 0; k < out.units; k++) t.push(rng.normal());
      }
    }
    rows.push([...x, ...t]);
  }
  const data = bindData(model, datasetFromRows(features, targets, rows));
  const params = readParameters(model);

  // Reject problems with a pre-activation near a kink of its activation (ReLU's, leaky ReLU's 0).
  const ws = createWorkspace(model);
  for (let n = 0; n < data.size; n++) {
    forward(model, params, data.x, n * model.features.length, ws);
    for (const node of model.computing) {
      for (const kink of ACTIVATIONS[node.activation].kinks) {
        for (let u = 0; u < node.units; u++) if (Math.abs(ws.s[node.start + u] - kink) < 1e-3) return null;
      }
    }
  }
  return { graph, model, params, data, loss };
}

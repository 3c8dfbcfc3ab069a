/**
 * The lecture's examples as projects: what `nnstudio new --example` writes and what the app's
 * "new from template" offers. Each states what it should reach, and the tests hold it to that.
 */
import { compileGraph, readParameters, writeParameters } from '../compile/compile';
import { defaultSpec, type BuiltinName } from '../datasets/builtin';
import { DIGITS_FEATURES, DIGITS_TARGETS } from '../datasets/digits';
import { initialiseParameters } from '../train/init';
import type { Graph, GraphNode } from '../model/graph';
import { andPerceptron, network321, orPerceptron, xorPerceptronNetwork, xorSigmoidNetwork } from '../explain/lecture';
import { DEFAULT_HYPERPARAMETERS, type Hyperparameters } from '../train/train';
import { PROJECT_FORMAT, PROJECT_VERSION, type DatasetRef, type Project } from './schema';

/** A shipped example. */
export interface Example {
  name: string;
  title: string;
  description: string;
  /** What training (or, for hand-set weights, evaluation) reaches, in words; the tests check it. */
  expected: string;
  create(): Project;
}

/** A new project around a graph, with defaults for everything else. */
export function newProject(options: {
  name: string;
  description?: string;
  graph: Graph;
  dataset: DatasetRef;
  hyperparameters?: Partial<Hyperparameters>;
  split?: Project['split'];
  normalisation?: Project['normalisation']['method'];
}): Project {
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name: options.name,
    description: options.description,
    graph: options.graph,
    dataset: options.dataset,
    split: options.split ?? { train: 1, validation: 0, test: 0, seed: 1 },
    normalisation: { method: options.normalisation ?? 'none', fitted: null },
    hyperparameters: { ...DEFAULT_HYPERPARAMETERS, init: { ...DEFAULT_HYPERPARAMETERS.init }, ...options.hyperparameters },
    training: { epoch: 0, history: [], optimiser: null, rng: null, position: null, earlyStopping: null },
    view: {},
  };
}

/**
 * The project with fresh weights drawn as its hyperparameters' initialisation says (locked
 * weights kept). A graph that does not compile is returned unchanged: there is nothing to size.
 */
export function initialiseProjectWeights(project: Project): Project {
  const compiled = compileGraph(project.graph);
  if (!compiled.ok) return project;
  const params = initialiseParameters(compiled.model, project.hyperparameters.init, readParameters(compiled.model));
  return {
    ...project,
    graph: writeParameters(compiled.model, project.graph, params),
    training: { epoch: 0, history: [], optimiser: null, rng: null, position: null, earlyStopping: null },
  };
}

const builtin = (name: BuiltinName, overrides: Partial<ReturnType<typeof defaultSpec>> = {}): DatasetRef => ({
  kind: 'builtin',
  ...defaultSpec(name),
  ...overrides,
});

/** Dense layers in a chain, laid out left to right. */
function layeredGraph(
  features: string[],
  layers: { id: string; units: number; activation: 'tanh' | 'sigmoid' | 'softmax' | 'relu'; targets?: string[] }[],
): Graph {
  const nodes: GraphNode[] = features.map((f, i) => ({ id: f, kind: 'input', label: f, feature: f, position: { x: 0, y: i * 100 } }));
  const edges: Graph['edges'] = [];
  let previous = features.map((f) => ({ id: f, units: 1 }));
  layers.forEach((layer, l) => {
    const isOutputNeuron = layer.units === 1;
    nodes.push(
      isOutputNeuron
        ? {
            id: layer.id,
            kind: 'neuron',
            label: layer.id,
            activation: layer.activation as 'sigmoid',
            bias: 0,
            position: { x: 240 * (l + 1), y: 50 },
            ...(layer.targets ? { output: { targets: layer.targets } } : {}),
          }
        : {
            id: layer.id,
            kind: 'dense',
            label: layer.id,
            units: layer.units,
            activation: layer.activation,
            bias: new Array(layer.units).fill(0),
            position: { x: 240 * (l + 1), y: 50 },
            ...(layer.targets ? { output: { targets: layer.targets } } : {}),
          },
    );
    for (const source of previous) {
      edges.push({
        id: `${source.id}->${layer.id}`,
        source: source.id,
        target: layer.id,
        weight: layer.units === 1 && source.units === 1 ? 0 : Array.from({ length: layer.units }, () => new Array(source.units).fill(0)),
      });
    }
    previous = [{ id: layer.id, units: layer.units }];
  });
  return { nodes, edges };
}

/**
 * The digits network: the 64 pixels as one input layer (64 single inputs would fill the canvas),
 * a dense hidden layer and a softmax over the ten digits.
 */
function digitsGraph(hidden: number): Graph {
  const zeros = (rows: number, columns: number) => Array.from({ length: rows }, () => new Array<number>(columns).fill(0));
  return {
    nodes: [
      { id: 'pixels', kind: 'inputLayer', label: 'pixels', features: [...DIGITS_FEATURES], position: { x: 0, y: 50 } },
      {
        id: 'hidden',
        kind: 'dense',
        label: 'hidden',
        units: hidden,
        activation: 'tanh',
        bias: new Array(hidden).fill(0),
        position: { x: 240, y: 50 },
      },
      {
        id: 'digit',
        kind: 'dense',
        label: 'digit',
        units: DIGITS_TARGETS.length,
        activation: 'softmax',
        bias: new Array(DIGITS_TARGETS.length).fill(0),
        output: { targets: [...DIGITS_TARGETS] },
        position: { x: 480, y: 50 },
      },
    ],
    edges: [
      { id: 'pixels->hidden', source: 'pixels', target: 'hidden', weight: zeros(hidden, DIGITS_FEATURES.length) },
      { id: 'hidden->digit', source: 'hidden', target: 'digit', weight: zeros(DIGITS_TARGETS.length, hidden) },
    ],
  };
}

/** The examples, by name. */
export const EXAMPLES: readonly Example[] = [
  {
    name: 'or-perceptron',
    title: 'OR perceptron',
    description: "The lecture's OR: one step perceptron with g(x) = x1 + x2 − ½. Hand-set weights; no training needed.",
    expected: 'reproduces the OR truth table (100% accuracy) without training',
    create: () =>
      newProject({
        name: 'OR perceptron',
        description: 'g(x) = x1 + x2 − ½ with the step function.',
        graph: orPerceptron(),
        dataset: builtin('or'),
        hyperparameters: { algorithm: 'perceptron', learningRate: 0.1, maxEpochs: 100 },
      }),
  },
  {
    name: 'and-perceptron',
    title: 'AND perceptron',
    description: "The lecture's AND: one step perceptron with g(x) = x1 + x2 − 3/2. Hand-set weights; no training needed.",
    expected: 'reproduces the AND truth table (100% accuracy) without training',
    create: () =>
      newProject({
        name: 'AND perceptron',
        description: 'g(x) = x1 + x2 − 3/2 with the step function.',
        graph: andPerceptron(),
        dataset: builtin('and'),
        hyperparameters: { algorithm: 'perceptron', learningRate: 0.1, maxEpochs: 100 },
      }),
  },
  {
    name: 'xor-perceptron-network',
    title: 'XOR from OR and AND perceptrons',
    description:
      'Two layers of step perceptrons: y1 = OR, y2 = AND, output φ(y1 − y2 − ½). Hand-set weights: a multilayer perceptron network has no learning rule.',
    expected: 'reproduces the XOR truth table (100% accuracy) without training',
    create: () =>
      newProject({
        name: 'XOR perceptron network',
        description: "y1 = OR, y2 = AND, output φ(y1 − y2 − ½): the lecture's two-layer answer to XOR.",
        graph: xorPerceptronNetwork(),
        dataset: builtin('xor'),
        hyperparameters: { algorithm: 'perceptron', learningRate: 0.1, maxEpochs: 100 },
      }),
  },
  {
    name: 'perceptron-learns-or',
    title: 'The perceptron rule learns OR',
    description: 'One step perceptron starting from random weights, trained with w ← w + η (t − y) x until it classifies every row.',
    expected: 'converges to 100% accuracy',
    create: () => {
      const graph = orPerceptron();
      graph.edges[0].weight = -0.6;
      graph.edges[1].weight = 0.2;
      (graph.nodes[2] as { bias: number }).bias = 0.4;
      return newProject({
        name: 'Perceptron rule: OR',
        description: 'The perceptron rule from random weights.',
        graph,
        dataset: builtin('or'),
        hyperparameters: {
          algorithm: 'perceptron',
          mode: 'stochastic',
          learningRate: 0.1,
          maxEpochs: 100,
          init: { method: 'uniform', seed: 4, range: 1 },
        },
      });
    },
  },
  {
    name: 'xor-sigmoid',
    title: 'XOR with a 2-2-1 sigmoid network',
    description: 'Two hidden sigmoid neurons and a sigmoid output, trained by backprop on squared error.',
    expected: 'learns XOR to 100% accuracy',
    create: () =>
      initialiseProjectWeights(
        newProject({
          name: 'XOR 2-2-1',
          description: 'Backprop learns what a single perceptron cannot.',
          graph: xorSigmoidNetwork(),
          dataset: builtin('xor'),
          hyperparameters: {
            mode: 'stochastic',
            learningRate: 0.5,
            momentum: 0.9,
            maxEpochs: 5000,
            targetLoss: 0.005,
            init: { method: 'uniform', seed: 7, range: 1 },
          },
        }),
      ),
  },
  {
    name: 'three-two-one',
    title: 'The 3-2-1 sigmoid example',
    description:
      "The lecture's worked example: three inputs, two sigmoid hidden units, one sigmoid output, squared error, one sample. Step through its first update with `nnstudio trace`.",
    expected: 'fits its sample (loss below 0.001)',
    create: () =>
      newProject({
        name: '3-2-1 example',
        description: 'x = (1, 0, 1), t = 1, η = 0.5.',
        graph: network321(),
        dataset: { kind: 'inline', source: 'the 3-2-1 worked example', features: ['x1', 'x2', 'x3'], targets: ['t'], rows: [[1, 0, 1, 1]] },
        hyperparameters: { mode: 'stochastic', learningRate: 0.5, maxEpochs: 2000, targetLoss: 0.001, shuffle: false },
      }),
  },
  {
    name: 'logistic-regression',
    title: 'Logistic regression on two Gaussians',
    description: "A single sigmoid neuron with cross-entropy: the lecture's starting point. Its decision boundary is a line.",
    expected: 'at least 95% test accuracy',
    create: () =>
      initialiseProjectWeights(
        newProject({
          name: 'Logistic regression',
          description: 'ŷ = σ(w1 x1 + w2 x2 + b), trained on cross-entropy.',
          graph: layeredGraph(['x1', 'x2'], [{ id: 'y', units: 1, activation: 'sigmoid', targets: ['y'] }]),
          dataset: builtin('gaussians', { size: 200, seed: 3 }),
          split: { train: 0.7, validation: 0.15, test: 0.15, seed: 1 },
          normalisation: 'standardise',
          hyperparameters: {
            loss: 'crossEntropy',
            mode: 'minibatch',
            batchSize: 16,
            learningRate: 0.1,
            maxEpochs: 100,
            init: { method: 'xavier', seed: 1 },
          },
        }),
      ),
  },
  {
    name: 'spiral',
    title: 'Spiral classifier',
    description:
      'Two interleaved spirals, separated by two tanh hidden layers: each first-layer unit draws a line; later layers bend them into a spiral.',
    expected: 'at least 95% test accuracy',
    create: () =>
      initialiseProjectWeights(
        newProject({
          name: 'Spiral',
          description: 'Two tanh hidden layers of 16 units and a sigmoid output, cross-entropy.',
          graph: layeredGraph(
            ['x1', 'x2'],
            [
              { id: 'h1', units: 16, activation: 'tanh' },
              { id: 'h2', units: 16, activation: 'tanh' },
              { id: 'y', units: 1, activation: 'sigmoid', targets: ['y'] },
            ],
          ),
          dataset: builtin('spiral', { size: 400, noise: 0.05, seed: 2 }),
          split: { train: 0.7, validation: 0.15, test: 0.15, seed: 1 },
          normalisation: 'standardise',
          hyperparameters: {
            loss: 'crossEntropy',
            mode: 'minibatch',
            batchSize: 10,
            learningRate: 0.03,
            momentum: 0.9,
            maxEpochs: 800,
            init: { method: 'xavier', seed: 3 },
          },
        }),
      ),
  },
  {
    name: 'iris',
    title: 'Iris classifier',
    description: "Fisher's Iris: four measurements, a tanh hidden layer and a softmax output over the three species.",
    expected: 'at least 95% test accuracy',
    create: () =>
      initialiseProjectWeights(
        newProject({
          name: 'Iris',
          description: '4 → 8 tanh → 3 softmax, categorical cross-entropy, standardised inputs.',
          graph: layeredGraph(
            ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
            [
              { id: 'hidden', units: 8, activation: 'tanh' },
              { id: 'species', units: 3, activation: 'softmax', targets: ['species=setosa', 'species=versicolor', 'species=virginica'] },
            ],
          ),
          dataset: builtin('iris'),
          split: { train: 0.6, validation: 0.2, test: 0.2, seed: 1 },
          normalisation: 'standardise',
          hyperparameters: {
            loss: 'crossEntropy',
            mode: 'minibatch',
            batchSize: 8,
            learningRate: 0.05,
            momentum: 0.9,
            maxEpochs: 300,
            init: { method: 'xavier', seed: 1 },
          },
        }),
      ),
  },
  {
    name: 'digits',
    title: 'Handwritten digits (8×8)',
    description:
      'UCI’s handwritten digits: 64 pixels, a tanh hidden layer of 32 and a softmax over the ten digits; draw one on the digits pad.',
    expected: 'at least 95% test accuracy',
    create: () =>
      initialiseProjectWeights(
        newProject({
          name: 'Handwritten digits',
          description: '64 pixels → 32 tanh → 10 softmax, categorical cross-entropy, Adam in mini-batches of 16, standardised pixels.',
          graph: digitsGraph(32),
          dataset: builtin('digits'),
          split: { train: 0.7, validation: 0.1, test: 0.2, seed: 1 },
          normalisation: 'standardise',
          hyperparameters: {
            loss: 'crossEntropy',
            mode: 'minibatch',
            batchSize: 16,
            optimiser: 'adam',
            learningRate: 0.01,
            maxEpochs: 20,
            init: { method: 'xavier', seed: 1 },
          },
        }),
      ),
  },
];

/** The example of that name, or undefined. */
export function findExample(name: string): Example | undefined {
  return EXAMPLES.find((e) => e.name === name);
}

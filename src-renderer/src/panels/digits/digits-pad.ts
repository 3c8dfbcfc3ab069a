/**
 * The drawing pad's arithmetic, apart from React: which projects it serves, and the network's
 * answer for the pad's 64 pixels — normalised as training normalised the data, the outputs from
 * the engine's own forward pass, and the first hidden layer's activations and incoming weights
 * for the per-unit maps.
 */
import {
  compileGraph,
  DIGITS_FEATURES,
  ELEMENTWISE,
  isElementwise,
  predict,
  readParameters,
  type Normalisation,
  type Project,
} from '../../../../engine/src/index';

/** Whether the pad applies: the project's data is the built-in handwritten digits. */
export function isDigitsProject(project: Project): boolean {
  return project.dataset.kind === 'builtin' && project.dataset.name === 'digits';
}

/** What the pad needs of a trained (or untrained) network, ready for many forward passes. */
export interface PadNetwork {
  /** Runs the network on the pad's pixels (0–16, row by row). */
  answer(cells: readonly number[]): PadAnswer;
  /** The first hidden layer's incoming weights, per unit, by pixel (64 each); empty when it is not one dense layer on the pixels. */
  unitWeights: number[][];
}

/** The network's answer for one drawing. */
export interface PadAnswer {
  /** The output for each digit 0–9 (a probability for a softmax output). */
  outputs: number[];
  /** The digit with the largest output. */
  predicted: number;
  /** Each first-layer unit's activation (empty when the first layer is not one dense layer on the pixels). */
  hidden: number[];
}

/**
 * The pad's view of the project's network, or the one sentence saying why there is none (the
 * graph does not compile, or does not read the pixels and answer the ten digits).
 */
export function padNetwork(project: Project, normalisation: Normalisation): PadNetwork | string {
  const compiled = compileGraph(project.graph, { data: { features: [...DIGITS_FEATURES], targets: digitTargets() } });
  if (!compiled.ok) return 'The network does not compile yet: fix the problems the status bar lists to draw on it.';
  const model = compiled.model;
  const params = readParameters(model);
  const digitOf = model.targets.map((t) => /^digit=(\d)$/.exec(t)?.[1]).map((d) => (d === undefined ? -1 : Number(d)));
  if (digitOf.some((d) => d < 0) || new Set(digitOf).size !== 10)
    return 'The pad needs a network whose outputs are the ten digits (digit=0 … digit=9).';
  const pixelOf = model.features.map((f) => DIGITS_FEATURES.indexOf(f));
  const scaleOf = model.features.map((f) => normalisation.features.find((n) => n.name === f) ?? { shift: 0, scale: 1 });
  const first = firstLayer(project);
  return {
    unitWeights: first ? first.weights : [],
    answer(cells) {
      // The model's inputs in its own column order, normalised as the training data was.
      const x = model.features.map((_, i) => (cells[pixelOf[i]] - scaleOf[i].shift) / scaleOf[i].scale);
      const raw = predict(model, params, x);
      const outputs = new Array<number>(10).fill(0);
      raw.forEach((v, k) => (outputs[digitOf[k]] = v));
      let predicted = 0;
      for (let d = 1; d < 10; d++) if (outputs[d] > outputs[predicted]) predicted = d;
      const hidden = first
        ? first.weights.map((w, j) => {
            let s = first.bias[j];
            for (let p = 0; p < 64; p++) s += w[p] * ((cells[p] - first.shift[p]) / first.scale[p]);
            return first.phi(s);
          })
        : [];
      return { outputs, predicted, hidden };
    },
  };

  function firstLayer(p: Project) {
    const input = p.graph.nodes.find((n) => n.kind === 'inputLayer');
    if (!input || input.kind !== 'inputLayer') return null;
    const edges = p.graph.edges.filter((e) => e.source === input.id);
    if (edges.length !== 1) return null;
    const layer = p.graph.nodes.find((n) => n.id === edges[0].target);
    if (!layer || layer.kind !== 'dense' || !isElementwise(layer.activation) || !Array.isArray(edges[0].weight)) return null;
    const matrix = edges[0].weight as number[][];
    const column = DIGITS_FEATURES.map((f) => input.features.indexOf(f));
    if (column.some((c) => c < 0)) return null;
    const stats = DIGITS_FEATURES.map((f) => normalisation.features.find((n) => n.name === f) ?? { shift: 0, scale: 1 });
    const spec = ELEMENTWISE[layer.activation];
    return {
      weights: matrix.map((row) => column.map((c) => row[c])),
      bias: layer.bias,
      shift: stats.map((s) => s.shift),
      scale: stats.map((s) => s.scale),
      phi: (s: number) => spec.forward(s),
    };
  }
}

function digitTargets(): string[] {
  return Array.from({ length: 10 }, (_, d) => `digit=${d}`);
}

/**
 * The lecture's worked networks as graphs (backprop-notes.md, "Worked examples").
 * The shipped example projects and the tests build on these.
 */
import { datasetFromRows, type Dataset } from '../datasets/data';
import type { Graph, GraphEdge, GraphNode } from '../model/graph';

const input = (id: string, x: number, y: number): GraphNode => ({ id, kind: 'input', label: id, feature: id, position: { x, y } });
const edge = (source: string, target: string, weight: number): GraphEdge => ({ id: `${source}->${target}`, source, target, weight });

/** A single step perceptron with weights 1, 1 and the given bias. */
function stepPerceptron(bias: number, target: string): Graph {
  return {
    nodes: [
      input('x1', 0, 0),
      input('x2', 0, 120),
      { id: 'y', kind: 'perceptron', label: 'y', activation: 'step', bias, output: { targets: [target] }, position: { x: 240, y: 60 } },
    ],
    edges: [edge('x1', 'y', 1), edge('x2', 'y', 1)],
  };
}

/** OR as one step perceptron: g(x) = x1 + x2 − ½. */
export function orPerceptron(): Graph {
  return stepPerceptron(-0.5, 'y');
}

/** AND as one step perceptron: g(x) = x1 + x2 − 3/2. */
export function andPerceptron(): Graph {
  return stepPerceptron(-1.5, 'y');
}

/** XOR as a two-layer step network: y1 = OR, y2 = AND, output φ(y1 − y2 − ½). */
export function xorPerceptronNetwork(): Graph {
  return {
    nodes: [
      input('x1', 0, 0),
      input('x2', 0, 160),
      { id: 'y1', kind: 'perceptron', label: 'y1 (OR)', activation: 'step', bias: -0.5, position: { x: 220, y: 0 } },
      { id: 'y2', kind: 'perceptron', label: 'y2 (AND)', activation: 'step', bias: -1.5, position: { x: 220, y: 160 } },
      {
        id: 'out',
        kind: 'perceptron',
        label: 'XOR',
        activation: 'step',
        bias: -0.5,
        output: { targets: ['y'] },
        position: { x: 440, y: 80 },
      },
    ],
    edges: [
      edge('x1', 'y1', 1),
      edge('x2', 'y1', 1),
      edge('x1', 'y2', 1),
      edge('x2', 'y2', 1),
      edge('y1', 'out', 1),
      edge('y2', 'out', -1),
    ],
  };
}

/**
 * XOR with sign units and TRUE = +1 (Abu-Mostafa's): XOR = OR(AND(h1, −h2), AND(−h1, h2)) with
 * OR(a, b) = sign(a + b + 1.5) and AND(a, b) = sign(a + b − 1.5); h1, h2 are the inputs.
 */
export function xorSignNetwork(): Graph {
  return {
    nodes: [
      input('h1', 0, 0),
      input('h2', 0, 160),
      { id: 'a', kind: 'perceptron', label: 'AND(h1, −h2)', activation: 'sign', bias: -1.5, position: { x: 220, y: 0 } },
      { id: 'b', kind: 'perceptron', label: 'AND(−h1, h2)', activation: 'sign', bias: -1.5, position: { x: 220, y: 160 } },
      {
        id: 'out',
        kind: 'perceptron',
        label: 'OR',
        activation: 'sign',
        bias: 1.5,
        output: { targets: ['y'] },
        position: { x: 440, y: 80 },
      },
    ],
    edges: [edge('h1', 'a', 1), edge('h2', 'a', -1), edge('h1', 'b', -1), edge('h2', 'b', 1), edge('a', 'out', 1), edge('b', 'out', 1)],
  };
}

/** A 2-2-1 sigmoid network for XOR, weights to be initialised. */
export function xorSigmoidNetwork(): Graph {
  return {
    nodes: [
      input('x1', 0, 0),
      input('x2', 0, 160),
      { id: 'h1', kind: 'neuron', label: 'h1', activation: 'sigmoid', bias: 0, position: { x: 220, y: 0 } },
      { id: 'h2', kind: 'neuron', label: 'h2', activation: 'sigmoid', bias: 0, position: { x: 220, y: 160 } },
      { id: 'y', kind: 'neuron', label: 'y', activation: 'sigmoid', bias: 0, output: { targets: ['y'] }, position: { x: 440, y: 80 } },
    ],
    edges: [edge('x1', 'h1', 0), edge('x2', 'h1', 0), edge('x1', 'h2', 0), edge('x2', 'h2', 0), edge('h1', 'y', 0), edge('h2', 'y', 0)],
  };
}

/**
 * The 3-2-1 sigmoid example: inputs x1..x3, hidden y1, y2, output z1, squared error.
 * Weights are the given ones (hidden rows w_ji, output w_kj) so a worked example can be set up.
 */
export function network321(
  hidden: [[number, number, number], [number, number, number]] = [
    [0.1, -0.2, 0.3],
    [0.4, 0.1, -0.5],
  ],
  hiddenBias: [number, number] = [0.1, -0.1],
  out: [number, number] = [0.5, -0.4],
  outBias = 0.2,
): Graph {
  const xs = ['x1', 'x2', 'x3'];
  return {
    nodes: [
      ...xs.map((x, i) => input(x, 0, i * 120)),
      { id: 'y1', kind: 'neuron', label: 'y1', activation: 'sigmoid', bias: hiddenBias[0], position: { x: 220, y: 40 } },
      { id: 'y2', kind: 'neuron', label: 'y2', activation: 'sigmoid', bias: hiddenBias[1], position: { x: 220, y: 200 } },
      {
        id: 'z1',
        kind: 'neuron',
        label: 'z1',
        activation: 'sigmoid',
        bias: outBias,
        output: { targets: ['t'] },
        position: { x: 440, y: 120 },
      },
    ],
    edges: [
      ...xs.map((x, i) => edge(x, 'y1', hidden[0][i])),
      ...xs.map((x, i) => edge(x, 'y2', hidden[1][i])),
      edge('y1', 'z1', out[0]),
      edge('y2', 'z1', out[1]),
    ],
  };
}

/**
 * A two-input truth table as a dataset, its target column named `y` like the built-in truth tables.
 * @param encoding '01' for {0, 1}; 'pm1' for {−1, +1} (TRUE = +1).
 */
export function truthTable(
  fn: 'and' | 'or' | 'xor',
  encoding: '01' | 'pm1' = '01',
  features: [string, string] = ['x1', 'x2'],
  target = 'y',
): Dataset {
  const truth = {
    and: (a: boolean, b: boolean) => a && b,
    or: (a: boolean, b: boolean) => a || b,
    xor: (a: boolean, b: boolean) => a !== b,
  }[fn];
  const encode = (v: boolean) => (v ? 1 : encoding === '01' ? 0 : -1);
  const rows: number[][] = [];
  for (const a of [false, true]) for (const b of [false, true]) rows.push([encode(a), encode(b), encode(truth(a, b))]);
  return datasetFromRows(features, [target], rows);
}

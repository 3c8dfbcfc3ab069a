/**
 * The compiler: every invalid graph is refused with an issue that names the offending node or
 * edge (by id and in the message), valid DAGs compile, and parameters round-trip between the
 * graph and the flat parameter vector.
 */
import { describe, expect, it } from 'vitest';
import {
  compileGraph,
  compileOrThrow,
  GraphCompileError,
  lecture,
  readParameters,
  writeParameters,
  type Activation,
  type BiasNode,
  type CompileOptions,
  type CompiledModel,
  type DenseNode,
  type Graph,
  type GraphEdge,
  type GraphIssue,
  type GraphIssueCode,
  type GraphNode,
  type InputNode,
  type NeuronActivation,
  type NeuronNode,
  type PerceptronActivation,
  type PerceptronNode,
} from '../index';

// --- Builders -------------------------------------------------------------------------------

const input = (id: string, feature: string = id): InputNode => ({ id, kind: 'input', feature });
const biasNode = (id: string): BiasNode => ({ id, kind: 'bias' });
const neuron = (id: string, activation: NeuronActivation = 'sigmoid', extra: Partial<NeuronNode> = {}): NeuronNode => ({
  id,
  kind: 'neuron',
  activation,
  bias: 0,
  ...extra,
});
const perceptron = (id: string, activation: PerceptronActivation = 'step', extra: Partial<PerceptronNode> = {}): PerceptronNode => ({
  id,
  kind: 'perceptron',
  activation,
  bias: 0,
  ...extra,
});
const dense = (id: string, units: number, activation: Activation = 'tanh', extra: Partial<DenseNode> = {}): DenseNode => ({
  id,
  kind: 'dense',
  units,
  activation,
  bias: Array.from({ length: units }, () => 0),
  ...extra,
});
const outputOf = (...targets: string[]) => ({ output: { targets } });
const edge = (source: string, target: string, weight: number | number[][] = 0.5, id = `${source}->${target}`): GraphEdge => ({
  id,
  source,
  target,
  weight,
});
/** A rows×cols matrix filled with distinct values. */
const matrix = (rows: number, cols: number, base = 0.1): number[][] =>
  Array.from({ length: rows }, (_, j) => Array.from({ length: cols }, (_, i) => base + j * 0.01 + i * 0.001));

/** x1, x2 → h (sigmoid) → y (sigmoid, output 't'). Valid. */
function simple(): Graph {
  return {
    nodes: [input('x1'), input('x2'), neuron('h'), neuron('y', 'sigmoid', outputOf('t'))],
    edges: [edge('x1', 'h'), edge('x2', 'h'), edge('h', 'y')],
  };
}

/** x1, x2 → h3 (dense, 3 tanh) → y (output 't'), plus x1 → y. Valid. */
function withLayer(): Graph {
  return {
    nodes: [input('x1'), input('x2'), dense('h3', 3), neuron('y', 'sigmoid', outputOf('t'))],
    edges: [edge('x1', 'h3', matrix(3, 1)), edge('x2', 'h3', matrix(3, 1, 0.2)), edge('h3', 'y', matrix(1, 3, 0.3)), edge('x1', 'y', 0.7)],
  };
}

function mutate(graph: Graph, change: (g: Graph) => void): Graph {
  const copy = structuredClone(graph);
  change(copy);
  return copy;
}

function replaceNode(graph: Graph, node: GraphNode): Graph {
  return mutate(graph, (g) => {
    const index = g.nodes.findIndex((n) => n.id === node.id);
    if (index < 0) throw new Error(`no node ${node.id}`);
    g.nodes[index] = node;
  });
}

function replaceEdge(graph: Graph, id: string, change: Partial<GraphEdge>): Graph {
  return mutate(graph, (g) => {
    const index = g.edges.findIndex((e) => e.id === id);
    if (index < 0) throw new Error(`no edge ${id}`);
    g.edges[index] = { ...g.edges[index], ...change };
  });
}

function errorsOf(graph: Graph, options?: CompileOptions): GraphIssue[] {
  const result = compileGraph(graph, options);
  if (result.ok) throw new Error('expected the graph to be refused, but it compiled');
  for (const issue of result.errors) expect(issue.severity).toBe('error');
  return result.errors;
}

/** The one error with `code`, checking there is exactly one. */
function theError(graph: Graph, code: GraphIssueCode, options?: CompileOptions): GraphIssue {
  const matching = errorsOf(graph, options).filter((e) => e.code === code);
  expect(matching, `errors with code '${code}'`).toHaveLength(1);
  return matching[0];
}

function codesOf(graph: Graph, options?: CompileOptions): GraphIssueCode[] {
  return errorsOf(graph, options).map((e) => e.code);
}

function compiled(graph: Graph, options?: CompileOptions): CompiledModel {
  const result = compileGraph(graph, options);
  if (!result.ok) throw new Error(`expected the graph to compile, got: ${result.errors.map((e) => e.message).join(' | ')}`);
  return result.model;
}

/** Weight and bias count computed straight from the document. */
function countParameters(graph: Graph): number {
  let count = 0;
  for (const e of graph.edges) count += typeof e.weight === 'number' ? 1 : e.weight.reduce((sum, row) => sum + row.length, 0);
  for (const n of graph.nodes) {
    if (n.kind === 'dense') count += n.bias.length;
    else if (n.kind === 'neuron' || n.kind === 'perceptron') count += 1;
  }
  return count;
}

const GD_SQUARED: CompileOptions = { training: { algorithm: 'gradientDescent', loss: 'squaredError' } };
const GD_XENT: CompileOptions = { training: { algorithm: 'gradientDescent', loss: 'crossEntropy' } };
const PERCEPTRON_RULE: CompileOptions = { training: { algorithm: 'perceptron', loss: 'squaredError' } };

// --- Tests ----------------------------------------------------------------------------------

describe('fixtures', () => {
  it('the base graphs used below compile without errors or warnings', () => {
    for (const graph of [simple(), withLayer()]) {
      const result = compileGraph(graph);
      expect(result.ok).toBe(true);
      expect(result.warnings).toEqual([]);
    }
  });
});

describe('compileGraph: structural errors', () => {
  it('a 3-node cycle is reported once, naming the cycle with arrows in edge direction', () => {
    const graph: Graph = {
      nodes: [input('x'), neuron('a'), neuron('b'), neuron('c'), neuron('y', 'sigmoid', outputOf('t'))],
      edges: [edge('x', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'y')],
    };
    expect(codesOf(graph)).toEqual(['cycle']);
    const issue = theError(graph, 'cycle');
    expect(['a', 'b', 'c']).toContain(issue.nodeId);
    const match = /cycle: (.*?)\. /.exec(issue.message);
    expect(match, issue.message).not.toBeNull();
    const names = match![1].split(' → ');
    // Closed loop: three distinct nodes, then the first again.
    expect(names).toHaveLength(4);
    expect(names[3]).toBe(names[0]);
    expect([...names.slice(0, 3)].sort()).toEqual(["'a'", "'b'", "'c'"]);
    // Each arrow follows an edge of the graph.
    const ids = names.map((n) => n.slice(1, -1));
    for (let k = 0; k < 3; k++) {
      expect(
        graph.edges.some((e) => e.source === ids[k] && e.target === ids[k + 1]),
        `${ids[k]} → ${ids[k + 1]}`,
      ).toBe(true);
    }
    expect(issue.nodeId).toBe(ids[0]);
  });

  it('a cycle message lists only the nodes on the cycle, not the nodes downstream of it', () => {
    // y is listed first and is unresolved too, but it is not on the loop a ⇄ b.
    const graph: Graph = {
      nodes: [input('x'), neuron('y', 'sigmoid', outputOf('t')), neuron('a'), neuron('b')],
      edges: [edge('x', 'a'), edge('a', 'b'), edge('b', 'a'), edge('b', 'y')],
    };
    const issue = theError(graph, 'cycle');
    expect(issue.message).not.toContain("'y'");
    expect(issue.message).toMatch(/'a' → 'b' → 'a'|'b' → 'a' → 'b'/);
  });

  it('a self-loop names its edge and node', () => {
    const graph = mutate(simple(), (g) => g.edges.push(edge('h', 'h', 0.1, 'loop')));
    expect(codesOf(graph)).toEqual(['self-loop']);
    const issue = theError(graph, 'self-loop');
    expect(issue.edgeId).toBe('loop');
    expect(issue.nodeId).toBe('h');
    expect(issue.message).toContain("'loop'");
    expect(issue.message).toContain("'h'");
  });

  it('a graph without inputs is refused', () => {
    const graph: Graph = { nodes: [biasNode('one'), neuron('y', 'sigmoid', outputOf('t'))], edges: [edge('one', 'y')] };
    expect(codesOf(graph)).toEqual(['no-inputs']);
    const issue = theError(graph, 'no-inputs');
    expect(issue.nodeId).toBeUndefined();
    expect(issue.edgeId).toBeUndefined();
    expect(issue.message).toMatch(/no input/i);
  });

  it('computing nodes none of which is an output are refused', () => {
    const graph = replaceNode(simple(), neuron('y'));
    expect(codesOf(graph)).toEqual(['no-outputs']);
    const issue = theError(graph, 'no-outputs');
    expect(issue.nodeId).toBeUndefined();
    expect(issue.message).toMatch(/output/);
    expect(issue.message).not.toMatch(/no computing node/);
  });

  it('a graph with no computing node at all is refused with its own message', () => {
    const graph: Graph = { nodes: [input('x1'), input('x2')], edges: [] };
    expect(codesOf(graph)).toEqual(['no-outputs']);
    const issue = theError(graph, 'no-outputs');
    expect(issue.nodeId).toBeUndefined();
    expect(issue.message).toMatch(/no computing node/);
  });

  it('a computing node with no incoming edge is named', () => {
    const graph = mutate(simple(), (g) => g.nodes.push(neuron('lonely', 'sigmoid', outputOf('t2'))));
    expect(codesOf(graph)).toEqual(['no-incoming']);
    const issue = theError(graph, 'no-incoming');
    expect(issue.nodeId).toBe('lonely');
    expect(issue.message).toContain("'lonely'");
  });

  it('an edge into an input node names the edge and the input', () => {
    const graph = mutate(simple(), (g) => g.edges.push(edge('h', 'x1', 0.3, 'back')));
    expect(codesOf(graph)).toEqual(['edge-into-input']);
    const issue = theError(graph, 'edge-into-input');
    expect(issue.edgeId).toBe('back');
    expect(issue.nodeId).toBe('x1');
    expect(issue.message).toContain("'back'");
    expect(issue.message).toContain("input node 'x1'");
  });

  it('an edge into a bias node names the edge and the bias node', () => {
    const graph = mutate(simple(), (g) => {
      g.nodes.push(biasNode('one'));
      g.edges.push(edge('one', 'h', 0.1), edge('x1', 'one', 0.3, 'into-bias'));
    });
    expect(codesOf(graph)).toEqual(['edge-into-input']);
    const issue = theError(graph, 'edge-into-input');
    expect(issue.edgeId).toBe('into-bias');
    expect(issue.nodeId).toBe('one');
    expect(issue.message).toContain("bias node 'one'");
    expect(issue.message).toContain("'into-bias'");
  });

  it('a second edge between the same two nodes is a duplicate', () => {
    const graph = mutate(simple(), (g) => g.edges.push(edge('x1', 'h', 0.9, 'x1->h again')));
    expect(codesOf(graph)).toEqual(['duplicate-edge']);
    const issue = theError(graph, 'duplicate-edge');
    expect(issue.edgeId).toBe('x1->h again');
    expect(issue.message).toContain("'x1->h again'");
    expect(issue.message).toContain("'x1->h'");
    expect(issue.message).toContain("'x1'");
    expect(issue.message).toContain("'h'");
  });

  it('a duplicate node id is named', () => {
    const graph = mutate(simple(), (g) => g.nodes.push(neuron('h', 'tanh')));
    expect(codesOf(graph)).toEqual(['duplicate-node-id']);
    const issue = theError(graph, 'duplicate-node-id');
    expect(issue.nodeId).toBe('h');
    expect(issue.message).toContain("'h'");
  });

  it('a duplicate edge id is named', () => {
    const graph = mutate(simple(), (g) => g.edges.push(edge('x2', 'y', 0.2, 'x1->h')));
    expect(codesOf(graph)).toEqual(['duplicate-edge-id']);
    const issue = theError(graph, 'duplicate-edge-id');
    expect(issue.edgeId).toBe('x1->h');
    expect(issue.message).toContain("'x1->h'");
  });

  it('an edge to or from a missing node names the edge and the missing node', () => {
    const toGhost = mutate(simple(), (g) => g.edges.push(edge('x1', 'ghost', 0.2, 'e-ghost')));
    expect(codesOf(toGhost)).toEqual(['missing-node']);
    const issue = theError(toGhost, 'missing-node');
    expect(issue.edgeId).toBe('e-ghost');
    expect(issue.message).toContain("'e-ghost'");
    expect(issue.message).toContain("'ghost'");

    const fromGhost = mutate(simple(), (g) => g.edges.push(edge('phantom', 'y', 0.2, 'e-phantom')));
    const issue2 = theError(fromGhost, 'missing-node');
    expect(issue2.edgeId).toBe('e-phantom');
    expect(issue2.message).toContain("'phantom'");
  });

  it('an empty node or edge id is refused', () => {
    const graph = mutate(simple(), (g) => {
      g.nodes.push(neuron(''));
      g.edges.push(edge('x2', 'y', 0.1, ''));
    });
    expect(codesOf(graph)).toEqual(['empty-id', 'empty-id']);
  });
});

describe('compileGraph: shapes and values', () => {
  it('a wrong shape on a node\'s only edge is reported alone, without "no incoming edge" or "unused input"', () => {
    const graph: Graph = {
      nodes: [
        { id: 'x', kind: 'input', feature: 'x' },
        { id: 'h', kind: 'dense', units: 3, activation: 'tanh', bias: [0, 0, 0] },
        { id: 'y', kind: 'neuron', activation: 'sigmoid', bias: 0, output: { targets: ['t'] } },
      ],
      edges: [
        { id: 'x->h', source: 'x', target: 'h', weight: 0.5 },
        { id: 'h->y', source: 'h', target: 'y', weight: [[Number.NaN, 1, 1]] },
      ],
    };
    const result = compileGraph(graph);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.code)).toEqual(['weight-shape', 'non-finite']);
    expect(result.warnings).toEqual([]);
  });

  it('a scalar weight between a 1-unit node and a 3-unit layer needs a 3×1 matrix', () => {
    const graph = replaceEdge(withLayer(), 'x1->h3', { weight: 0.5 });
    expect(codesOf(graph)).toEqual(['weight-shape']);
    const issue = theError(graph, 'weight-shape');
    expect(issue.edgeId).toBe('x1->h3');
    expect(issue.nodeId).toBeUndefined();
    expect(issue.message).toContain("'x1->h3'");
    expect(issue.message).toContain('3×1');
  });

  it('a matrix with the wrong number of rows is refused', () => {
    const graph = replaceEdge(withLayer(), 'x2->h3', { weight: matrix(2, 1) });
    expect(codesOf(graph)).toEqual(['weight-shape']);
    const issue = theError(graph, 'weight-shape');
    expect(issue.edgeId).toBe('x2->h3');
    expect(issue.message).toContain("'x2->h3'");
    expect(issue.message).toContain("'x2'");
    expect(issue.message).toContain("'h3'");
    expect(issue.message).toContain('needs a 3×1');
    expect(issue.message).toContain('has 2×1');
  });

  it('a matrix with the wrong number of columns is refused', () => {
    const graph = replaceEdge(withLayer(), 'h3->y', { weight: matrix(1, 2) });
    expect(codesOf(graph)).toEqual(['weight-shape']);
    const issue = theError(graph, 'weight-shape');
    expect(issue.edgeId).toBe('h3->y');
    expect(issue.message).toContain("'h3->y'");
    expect(issue.message).toContain('needs a 1×3');
    expect(issue.message).toContain('has 1×2');
  });

  it('a ragged matrix (one short row) is refused', () => {
    const graph = replaceEdge(withLayer(), 'x1->h3', { weight: [[0.1], [0.2], []] });
    expect(theError(graph, 'weight-shape').edgeId).toBe('x1->h3');
  });

  it('a dense layer whose bias length differs from its units is refused', () => {
    const graph = replaceNode(withLayer(), dense('h3', 3, 'tanh', { bias: [0.1, 0.2] }));
    expect(codesOf(graph)).toEqual(['bias-shape']);
    const issue = theError(graph, 'bias-shape');
    expect(issue.nodeId).toBe('h3');
    expect(issue.message).toContain("'h3'");
    expect(issue.message).toContain('3 units but 2 biases');
  });

  it('a layer with a non-integer number of units is refused', () => {
    const graph = replaceNode(withLayer(), dense('h3', 3, 'tanh', { units: 2.5 }));
    const issue = theError(graph, 'invalid-units');
    expect(issue.nodeId).toBe('h3');
    expect(issue.message).toContain("'h3'");
    expect(issue.message).toContain('2.5');
  });

  it('a layer with zero units is refused', () => {
    const graph = replaceNode(withLayer(), dense('h3', 0, 'tanh'));
    const issue = theError(graph, 'invalid-units');
    expect(issue.nodeId).toBe('h3');
    expect(issue.message).toContain("Layer 'h3' has 0 units");
  });

  it('softmax on a one-unit layer is refused, suggesting sigmoid', () => {
    const graph = replaceNode(simple(), dense('y', 1, 'softmax', outputOf('t')));
    expect(codesOf(graph)).toEqual(['softmax-single-unit']);
    const issue = theError(graph, 'softmax-single-unit');
    expect(issue.nodeId).toBe('y');
    expect(issue.message).toContain("'y'");
    expect(issue.message).toContain('sigmoid');
  });

  it('softmax on a single neuron is an invalid activation that points to layers', () => {
    const graph = replaceNode(simple(), { ...neuron('h'), activation: 'softmax' as NeuronActivation });
    expect(codesOf(graph)).toEqual(['invalid-activation']);
    const issue = theError(graph, 'invalid-activation');
    expect(issue.nodeId).toBe('h');
    expect(issue.message).toContain("Neuron 'h'");
    expect(issue.message).toContain('Softmax needs a layer of two or more units');
  });

  it('a perceptron with a sigmoid activation is refused', () => {
    const graph = replaceNode(simple(), { ...perceptron('h'), activation: 'sigmoid' as PerceptronActivation });
    expect(codesOf(graph)).toEqual(['invalid-activation']);
    const issue = theError(graph, 'invalid-activation');
    expect(issue.nodeId).toBe('h');
    expect(issue.message).toContain("Perceptron 'h'");
    expect(issue.message).toContain('step or sign');
  });

  it('non-finite weights are refused, naming the edge (scalar and matrix)', () => {
    const scalar = replaceEdge(simple(), 'h->y', { weight: Number.NaN });
    const issue = theError(scalar, 'non-finite');
    expect(issue.edgeId).toBe('h->y');
    expect(issue.message).toContain("'h->y'");

    const inMatrix = replaceEdge(withLayer(), 'x2->h3', { weight: [[0.1], [Number.POSITIVE_INFINITY], [0.3]] });
    const issue2 = theError(inMatrix, 'non-finite');
    expect(issue2.edgeId).toBe('x2->h3');
    expect(issue2.message).toContain("'x2->h3'");
  });

  it('non-finite biases are refused, naming the node (neuron and layer)', () => {
    const single = replaceNode(simple(), neuron('h', 'sigmoid', { bias: Number.POSITIVE_INFINITY }));
    expect(codesOf(single)).toEqual(['non-finite']);
    const issue = theError(single, 'non-finite');
    expect(issue.nodeId).toBe('h');
    expect(issue.message).toContain("'h'");

    const layer = replaceNode(withLayer(), dense('h3', 3, 'tanh', { bias: [0, Number.NaN, 0] }));
    expect(codesOf(layer)).toEqual(['non-finite']);
    const issue2 = theError(layer, 'non-finite');
    expect(issue2.nodeId).toBe('h3');
    expect(issue2.message).toContain("'h3'");
  });
});

describe('compileGraph: outputs and data bindings', () => {
  it('an output whose target count differs from its units is refused', () => {
    const graph: Graph = {
      nodes: [input('x1'), dense('out', 3, 'softmax', outputOf('a', 'b'))],
      edges: [edge('x1', 'out', matrix(3, 1))],
    };
    expect(codesOf(graph)).toEqual(['output-targets']);
    const issue = theError(graph, 'output-targets');
    expect(issue.nodeId).toBe('out');
    expect(issue.message).toContain("'out'");
    expect(issue.message).toContain('3 units but names 2 target columns');
  });

  it('an output that feeds another node is refused', () => {
    const graph = replaceNode(simple(), neuron('h', 'sigmoid', outputOf('hidden')));
    expect(codesOf(graph)).toEqual(['output-feeds']);
    const issue = theError(graph, 'output-feeds');
    expect(issue.nodeId).toBe('h');
    expect(issue.message).toContain("Output 'h'");
  });

  it('two inputs reading the same feature are refused, naming both', () => {
    const graph = replaceNode(simple(), input('x2', 'x1'));
    expect(codesOf(graph)).toEqual(['duplicate-feature']);
    const issue = theError(graph, 'duplicate-feature');
    expect(issue.nodeId).toBe('x2');
    expect(issue.message).toContain("'x1'");
    expect(issue.message).toContain("'x2'");
  });

  it('two outputs predicting the same target are refused, naming both', () => {
    const graph = mutate(simple(), (g) => {
      g.nodes.push(neuron('y2', 'sigmoid', outputOf('t')));
      g.edges.push(edge('h', 'y2'));
    });
    expect(codesOf(graph)).toEqual(['duplicate-target']);
    const issue = theError(graph, 'duplicate-target');
    expect(issue.nodeId).toBe('y2');
    expect(issue.message).toContain("Target 't'");
    expect(issue.message).toContain("'y'");
    expect(issue.message).toContain("'y2'");
  });

  it('matching data bindings compile', () => {
    expect(compileGraph(simple(), { data: { features: ['x2', 'x1', 'unused'], targets: ['t'] } }).ok).toBe(true);
  });

  it('an input reading a feature the dataset lacks is named', () => {
    const graph = simple();
    const options: CompileOptions = { data: { features: ['x1', 'z'], targets: ['t'] } };
    expect(codesOf(graph, options)).toEqual(['unknown-feature']);
    const issue = theError(graph, 'unknown-feature', options);
    expect(issue.nodeId).toBe('x2');
    expect(issue.message).toContain("Input 'x2'");
    expect(issue.message).toContain("feature 'x2'");
    expect(issue.message).toContain("'x1', 'z'");
  });

  it('an output predicting a target the dataset lacks is named', () => {
    const options: CompileOptions = { data: { features: ['x1', 'x2'], targets: ['t', 'u'] } };
    const graph = mutate(simple(), (g) => {
      g.nodes.push(neuron('y2', 'sigmoid', outputOf('v')), neuron('y3', 'sigmoid', outputOf('u')));
      g.edges.push(edge('h', 'y2'), edge('h', 'y3'));
    });
    expect(codesOf(graph, options)).toEqual(['unknown-target']);
    const issue = theError(graph, 'unknown-target', options);
    expect(issue.nodeId).toBe('y2');
    expect(issue.message).toContain("Output 'y2'");
    expect(issue.message).toContain("'v'");
  });

  it('a dataset target that no output predicts is reported', () => {
    const options: CompileOptions = { data: { features: ['x1', 'x2'], targets: ['t', 'u'] } };
    expect(codesOf(simple(), options)).toEqual(['missing-target']);
    const issue = theError(simple(), 'missing-target', options);
    expect(issue.nodeId).toBeUndefined();
    expect(issue.message).toContain("'u'");
  });
});

describe('compileGraph: trainability', () => {
  it('step units cannot be trained by gradient descent; the message explains and suggests fixes', () => {
    const graph = lecture.orPerceptron();
    expect(compileGraph(graph).ok).toBe(true);
    expect(codesOf(graph, GD_SQUARED)).toEqual(['no-gradient']);
    const issue = theError(graph, 'no-gradient', GD_SQUARED);
    expect(issue.nodeId).toBe('y');
    expect(issue.message).toContain("'y'");
    expect(issue.message).toContain('step');
    expect(issue.message).toContain('no gradient');
    expect(issue.message).toMatch(/sigmoid or tanh/);
    expect(issue.message).toContain('perceptron rule');
  });

  it('sign units (perceptrons and layers) cannot be trained by gradient descent', () => {
    const graph: Graph = {
      nodes: [input('x1'), dense('signs', 2, 'sign'), perceptron('p', 'sign', outputOf('t'))],
      edges: [edge('x1', 'signs', matrix(2, 1)), edge('signs', 'p', matrix(1, 2))],
    };
    expect(compileGraph(graph).ok).toBe(true);
    const errors = errorsOf(graph, GD_SQUARED);
    expect(errors.map((e) => [e.code, e.nodeId])).toEqual([
      ['no-gradient', 'signs'],
      ['no-gradient', 'p'],
    ]);
    for (const e of errors) {
      expect(e.message).toContain('sign');
      expect(e.message).toContain('no gradient');
      expect(e.message).toContain(`'${e.nodeId}'`);
    }
  });

  it('cross-entropy needs probability outputs: linear and tanh outputs are refused', () => {
    for (const activation of ['linear', 'tanh'] as const) {
      const graph = replaceNode(simple(), neuron('y', activation, outputOf('t')));
      expect(compileGraph(graph, GD_SQUARED).ok).toBe(true);
      expect(codesOf(graph, GD_XENT)).toEqual(['loss-output-mismatch']);
      const issue = theError(graph, 'loss-output-mismatch', GD_XENT);
      expect(issue.nodeId).toBe('y');
      expect(issue.message).toContain("output 'y'");
      expect(issue.message).toContain(activation);
    }
  });

  it('cross-entropy accepts sigmoid outputs and softmax layers', () => {
    expect(compileGraph(simple(), GD_XENT).ok).toBe(true);
    const softmax = replaceNode(
      mutate(simple(), (g) => (g.edges[2] = edge('h', 'y', matrix(3, 1)))),
      dense('y', 3, 'softmax', outputOf('a', 'b', 'c')),
    );
    expect(compileGraph(softmax, GD_XENT).ok).toBe(true);
  });

  it('the perceptron rule refuses a two-layer perceptron network, naming hidden units and their edges', () => {
    const graph = lecture.xorPerceptronNetwork();
    const errors = errorsOf(graph, PERCEPTRON_RULE);
    expect(errors.every((e) => e.code === 'perceptron-rule-structure')).toBe(true);
    const where = errors.map((e) => `${e.nodeId}|${e.edgeId ?? ''}`).sort();
    expect(where).toEqual(['out|y1->out', 'out|y2->out', 'y1|', 'y2|']);
    const hidden = errors.find((e) => e.nodeId === 'y1' && !e.edgeId)!;
    expect(hidden.message).toContain('(y1)'); // the node has a label, so the id appears in parentheses
    expect(hidden.message).toContain('hidden unit');
    const fed = errors.find((e) => e.edgeId === 'y2->out')!;
    expect(fed.message).toContain("'XOR' (out)");
    expect(fed.message).toContain("'y2 (AND)' (y2)");
  });

  it('the perceptron rule refuses a sigmoid neuron and points to gradient descent', () => {
    const graph: Graph = {
      nodes: [input('x1'), input('x2'), neuron('y', 'sigmoid', outputOf('t'))],
      edges: [edge('x1', 'y'), edge('x2', 'y')],
    };
    expect(codesOf(graph, PERCEPTRON_RULE)).toEqual(['perceptron-rule-structure']);
    const issue = theError(graph, 'perceptron-rule-structure', PERCEPTRON_RULE);
    expect(issue.nodeId).toBe('y');
    expect(issue.message).toContain("'y'");
    expect(issue.message).toContain('sigmoid');
    expect(issue.message).toContain('gradient descent');
  });

  it('the perceptron rule accepts a single perceptron', () => {
    expect(compileGraph(lecture.andPerceptron(), PERCEPTRON_RULE).ok).toBe(true);
  });

  // A hand-edited file may name an activation the engine does not know: it must come back as an
  // error, never as a TypeError from the trainability checks.
  it('an unknown activation is reported (not thrown) when training options are given', () => {
    const graph = replaceNode(withLayer(), { ...dense('h3', 3), activation: 'swish' as Activation });
    expect(codesOf(graph)).toEqual(['invalid-activation']);
    expect(codesOf(graph, GD_SQUARED)).toContain('invalid-activation');
  });
});

describe('compileGraph: valid graphs', () => {
  it("the lecture's XOR perceptron network compiles for inference but not for gradient descent", () => {
    const graph = lecture.xorPerceptronNetwork();
    const model = compiled(graph);
    expect(model.computing.map((n) => n.id)).toEqual(['y1', 'y2', 'out']);
    expect(model.outputs.map((n) => n.id)).toEqual(['out']);
    const errors = errorsOf(graph, GD_SQUARED);
    expect(errors.map((e) => [e.code, e.nodeId])).toEqual([
      ['no-gradient', 'y1'],
      ['no-gradient', 'y2'],
      ['no-gradient', 'out'],
    ]);
  });

  it('a DAG with a skip connection compiles', () => {
    const graph: Graph = {
      nodes: [input('x'), dense('h', 3, 'tanh'), neuron('y', 'linear', outputOf('t'))],
      edges: [edge('x', 'h', matrix(3, 1)), edge('h', 'y', matrix(1, 3)), edge('x', 'y', 0.25)],
    };
    const result = compileGraph(graph, GD_SQUARED);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    const model = result.model;
    expect(model.computing.map((n) => n.id)).toEqual(['h', 'y']);
    const y = model.computing[1];
    expect(y.incoming.map((e) => e.id).sort()).toEqual(['h->y', 'x->y']);
    expect(y.incoming.reduce((s, e) => s + e.sourceUnits, 0)).toBe(4);
    expect(model.paramCount).toBe(3 + 3 + 1 + 3 + 1);
    expect(model.slotCount).toBe(1 + 3 + 1);
    expect(model.features).toEqual(['x']);
    expect(model.targets).toEqual(['t']);
  });

  it('a neuron feeding a dense softmax layer compiles', () => {
    const graph: Graph = {
      nodes: [input('x1'), input('x2'), neuron('n', 'relu'), dense('p', 3, 'softmax', outputOf('a', 'b', 'c'))],
      edges: [edge('x1', 'n'), edge('x2', 'n'), edge('n', 'p', matrix(3, 1))],
    };
    const model = compiled(graph, GD_XENT);
    expect(model.computing.map((n) => [n.id, n.units])).toEqual([
      ['n', 1],
      ['p', 3],
    ]);
    expect(model.targets).toEqual(['a', 'b', 'c']);
    expect(model.paramCount).toBe(countParameters(graph));
  });

  it('reports several errors at once, each naming its node or edge', () => {
    const graph: Graph = {
      nodes: [
        input('x1'),
        input('x1'), // duplicate id
        neuron('h', 'sigmoid', { bias: Number.NaN }),
        dense('d', 2, 'tanh', { bias: [0] }), // bias-shape
        neuron('y', 'sigmoid', outputOf('t')),
      ],
      edges: [
        edge('x1', 'h'),
        edge('x1', 'd', matrix(2, 1)),
        edge('d', 'y', matrix(1, 2)),
        edge('h', 'y', 0.4),
        edge('h', 'h', 0.1, 'loop'),
        edge('h', 'nowhere', 0.1, 'lost'),
      ],
    };
    const errors = errorsOf(graph);
    const found = (code: GraphIssueCode) => errors.filter((e) => e.code === code).map((e) => e.nodeId ?? e.edgeId);
    expect(found('duplicate-node-id')).toEqual(['x1']);
    expect(found('non-finite')).toEqual(['h']);
    expect(found('bias-shape')).toEqual(['d']);
    expect(found('self-loop')).toEqual(['h']);
    expect(found('missing-node')).toEqual(['lost']);
    expect(errors.length).toBe(5);
  });

  it("dead-end and unused-input warnings name their node and don't stop compilation", () => {
    const graph = mutate(simple(), (g) => {
      g.nodes.push(input('x3'), neuron('dangling', 'tanh'));
      g.edges.push(edge('x1', 'dangling'));
    });
    const result = compileGraph(graph);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings.map((w) => [w.code, w.severity, w.nodeId])).toEqual([
      ['unused-input', 'warning', 'x3'],
      ['dead-end', 'warning', 'dangling'],
    ]);
    expect(result.warnings[0].message).toContain("'x3'");
    expect(result.warnings[1].message).toContain("'dangling'");
    expect(result.model.warnings).toEqual(result.warnings);
  });

  it('the topological order is stable: ties follow graph order, not edge order', () => {
    // The output is listed first and h2 before h1; edges mention h1 first.
    const graph: Graph = {
      nodes: [neuron('out', 'sigmoid', outputOf('t')), input('x'), neuron('h2'), neuron('h1')],
      edges: [edge('x', 'h1'), edge('x', 'h2'), edge('h1', 'out'), edge('h2', 'out')],
    };
    expect(compiled(graph).computing.map((n) => n.id)).toEqual(['h2', 'h1', 'out']);

    // Two chains: each step takes the earliest-listed ready node.
    const chains: Graph = {
      nodes: [input('x'), neuron('a1'), neuron('b1'), neuron('a2'), neuron('b2'), neuron('y', 'sigmoid', outputOf('t'))],
      edges: [edge('b2', 'y'), edge('a2', 'y'), edge('b1', 'b2'), edge('a1', 'a2'), edge('x', 'b1'), edge('x', 'a1')],
    };
    const model = compiled(chains);
    expect(model.computing.map((n) => n.id)).toEqual(['a1', 'b1', 'a2', 'b2', 'y']);
    // Same graph compiled twice gives the same order.
    expect(compiled(structuredClone(chains)).computing.map((n) => n.id)).toEqual(['a1', 'b1', 'a2', 'b2', 'y']);
  });

  it('paramCount equals the number of weights plus biases, and readParameters reads them all', () => {
    const graph: Graph = {
      nodes: [
        input('x1'),
        input('x2'),
        biasNode('one'),
        dense('h', 4, 'relu', { bias: [1, 2, 3, 4] }),
        perceptron('p', 'step', { bias: 5 }),
        neuron('y', 'sigmoid', { ...outputOf('t'), bias: 6 }),
        dense('z', 2, 'softmax', { ...outputOf('c0', 'c1'), bias: [7, 8] }),
      ],
      edges: [
        edge('x1', 'h', [[11], [12], [13], [14]]),
        edge('x2', 'h', [[15], [16], [17], [18]]),
        edge('one', 'p', 19),
        edge('x1', 'p', 20),
        edge('h', 'y', [[21, 22, 23, 24]]),
        edge('p', 'y', 25),
        edge('h', 'z', [
          [26, 27, 28, 29],
          [30, 31, 32, 33],
        ]),
      ],
    };
    const model = compiled(graph);
    expect(model.paramCount).toBe(countParameters(graph));
    expect(model.paramCount).toBe(4 + 4 + 1 + 1 + 4 + 1 + 8 + 4 + 1 + 1 + 2);
    expect(model.locked.length).toBe(model.paramCount);
    expect(model.paramNames.length).toBe(model.paramCount);
    // Every value of the document appears exactly once (biases 1..8, weights 11..33).
    const read = [...readParameters(model)].sort((a, b) => a - b);
    expect(read).toEqual([...Array.from({ length: 8 }, (_, k) => k + 1), ...Array.from({ length: 23 }, (_, k) => k + 11)]);
  });
});

describe('readParameters / writeParameters', () => {
  function mixedGraph(): Graph {
    return {
      nodes: [
        input('x1'),
        input('x2'),
        biasNode('one'),
        dense('h', 3, 'tanh', { bias: [0.1, -0.2, 0.3], label: 'hidden' }),
        neuron('n', 'sigmoid', { bias: -0.4, position: { x: 10, y: 20 } }),
        neuron('y', 'linear', { ...outputOf('t'), bias: 0.5 }),
      ],
      edges: [
        edge('x1', 'h', [[0.11], [0.12], [0.13]]),
        edge('x2', 'n', -0.7),
        { ...edge('one', 'n', [[0.9]]), locked: true }, // a 1×1 edge stored as a matrix keeps that form
        edge('h', 'y', [[1.1, 1.2, 1.3]]),
        edge('n', 'y', 1.4),
      ],
    };
  }

  it('writing what was read gives back the same graph', () => {
    const graph = mixedGraph();
    const model = compiled(graph);
    const params = readParameters(model);
    expect(params.length).toBe(model.paramCount);
    expect(writeParameters(model, graph, params)).toStrictEqual(graph);
  });

  it('reading what was written gives back the parameters, keeping each weight in its stored form', () => {
    const graph = mixedGraph();
    const model = compiled(graph);
    const params = Float64Array.from({ length: model.paramCount }, (_, k) => 100 + k);
    const written = writeParameters(model, graph, params);
    expect([...readParameters(model, written)]).toEqual([...params]);
    expect(typeof written.edges[1].weight).toBe('number');
    expect(Array.isArray(written.edges[2].weight)).toBe(true);
    expect((written.edges[0].weight as number[][]).map((row) => row.length)).toEqual([1, 1, 1]);
    expect(written.edges[2].locked).toBe(true);
    expect(written.nodes[3].label).toBe('hidden');
    // Every number in the written document is one of the parameters, each used once.
    const values: number[] = [];
    for (const e of written.edges) values.push(...(typeof e.weight === 'number' ? [e.weight] : e.weight.flat()));
    for (const n of written.nodes)
      if (n.kind === 'dense') values.push(...n.bias);
      else if (n.kind === 'neuron' || n.kind === 'perceptron') values.push(n.bias);
    expect(values.sort((a, b) => a - b)).toEqual([...params]);
  });

  it('writeParameters does not mutate its input graph', () => {
    const graph = mixedGraph();
    const before = structuredClone(graph);
    const model = compiled(graph);
    const written = writeParameters(
      model,
      graph,
      Array.from({ length: model.paramCount }, () => 42),
    );
    expect(graph).toStrictEqual(before);
    expect(written).not.toStrictEqual(before);
    expect((written.nodes[3] as DenseNode).bias).toEqual([42, 42, 42]);
  });

  it('writeParameters refuses a vector of the wrong length', () => {
    const graph = mixedGraph();
    const model = compiled(graph);
    expect(() => writeParameters(model, graph, new Float64Array(model.paramCount - 1))).toThrow(RangeError);
  });
});

describe('compileOrThrow', () => {
  it('returns the model of a valid graph', () => {
    const model = compileOrThrow(simple());
    expect(model.computing.map((n) => n.id)).toEqual(['h', 'y']);
  });

  it('throws a GraphCompileError carrying every issue', () => {
    const graph = mutate(simple(), (g) => {
      g.edges.push(edge('h', 'h', 0.1, 'loop'));
      g.nodes.push(neuron('lonely', 'sigmoid', outputOf('u')));
    });
    let caught: unknown;
    try {
      compileOrThrow(graph);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GraphCompileError);
    expect(caught).toBeInstanceOf(Error);
    const error = caught as GraphCompileError;
    expect(error.name).toBe('GraphCompileError');
    expect(error.issues.map((i) => [i.code, i.nodeId])).toEqual([
      ['self-loop', 'h'],
      ['no-incoming', 'lonely'],
    ]);
    expect(error.message).toContain('2 problems');
    expect(error.message).toContain("'loop'");
    expect(error.message).toContain("'lonely'");
  });

  it('with a single issue, the error message is that issue', () => {
    const graph = replaceNode(simple(), neuron('y'));
    expect(() => compileOrThrow(graph)).toThrow(GraphCompileError);
    try {
      compileOrThrow(graph);
    } catch (e) {
      const error = e as GraphCompileError;
      expect(error.issues).toHaveLength(1);
      expect(error.message).toBe(error.issues[0].message);
    }
  });

  it('checks the options too', () => {
    expect(() => compileOrThrow(lecture.orPerceptron(), GD_SQUARED)).toThrow(/no gradient/);
  });
});

/**
 * The status bar's verdict and the Problems list's groups, as pure functions of a graph, its live
 * compile and the project's data and training settings: "✓ compiles" only for a network that
 * can train on the data; a target no output predicts, or a loss that does not fit the outputs, is
 * ✗ with the reason; a hand-set network its algorithm cannot train runs, and says it cannot
 * train; eight inputs reading features the data lacks are one short line.
 */
import { describe, expect, it } from 'vitest';
import { compileGraph, lecture, type Graph, type GraphNode } from '../../../engine/src/index';
import { compactNames, compileContext, firstSentence, groupProblems, liveCompile, verdict, type CompileContext } from './problems';

const gd = (loss: 'squaredError' | 'crossEntropy' = 'squaredError') => ({ algorithm: 'gradientDescent', loss }) as const;
const context = (features: string[], targets: string[], training: CompileContext['training'] = gd()): CompileContext => ({
  data: { features, targets },
  training,
});
const said = (graph: Graph, ctx: CompileContext) => verdict(graph, liveCompile(graph, ctx), ctx);

const FEATURES = Array.from({ length: 30 }, (_, i) => `f${i + 1}`);

/** `inputs` inputs reading x1 … xN into one neuron of `activation` predicting `target`. */
function network(inputs: number, target: string, activation: 'sigmoid' | 'linear' = 'sigmoid'): Graph {
  const nodes: GraphNode[] = Array.from({ length: inputs }, (_, i) => ({ id: `x${i + 1}`, kind: 'input', feature: `x${i + 1}` }));
  nodes.push({ id: 'y', kind: 'neuron', activation, bias: 0, output: { targets: [target] } });
  return { nodes, edges: nodes.slice(0, inputs).map((n) => ({ id: `${n.id}->y`, source: n.id, target: 'y', weight: 0.1 })) };
}

describe('the verdict', () => {
  it('compiles and trains: ✓ with the architecture', () => {
    const xor = compileContext({
      dataset: { kind: 'builtin', name: 'xor', size: 4, noise: 0, seed: 1, encoding: '01' },
      hyperparameters: gd(),
    });
    expect(xor).toEqual(context(['x1', 'x2'], ['y']));
    expect(said(lecture.xorSigmoidNetwork(), xor)).toEqual({ state: 'trains', text: '✓ compiles — 2 → 2 → 1, 9 parameters' });
  });

  it('compiles on its own but a target of the data has no output: ✗ with the reason', () => {
    const graph = network(2, 'malignant');
    const ctx = context(['x1', 'x2'], ['malignant=0', 'malignant=1'], gd('crossEntropy'));
    // Compiled alone, as the status bar used to, it "compiles".
    expect(compileGraph(graph).ok).toBe(true);
    expect(said(graph, ctx)).toEqual({
      state: 'broken',
      text: "✗ Output 'y' predicts 'malignant', which is not a target of the dataset (it has 2 targets: 'malignant=0', 'malignant=1'). (+1 more)",
    });
    // Only the missing targets left: the line says which.
    const both: GraphNode[] = [...network(2, 'malignant=0').nodes, { id: 'z', kind: 'neuron', activation: 'sigmoid', bias: 0 }];
    const g2 = { nodes: both, edges: [...network(2, 'malignant=0').edges, { id: 'x1->z', source: 'x1', target: 'z', weight: 0 }] };
    expect(said(g2, ctx).text).toBe("✗ The dataset's target 'malignant=1' is predicted by no output node.");
  });

  it('a loss that does not fit the output: ✗ with the reason, not "runs"', () => {
    const graph = network(2, 't', 'linear');
    const result = said(graph, context(['x1', 'x2'], ['t'], gd('crossEntropy')));
    expect(result.state).toBe('broken');
    expect(result.text).toBe(
      "✗ Cross-entropy needs outputs that are probabilities (sigmoid or a softmax layer), but output 'y' uses linear.",
    );
    expect(compileGraph(graph).ok).toBe(true);
  });

  it('one sigmoid on a binary (0/1) target with cross-entropy: ✓', () => {
    const graph = network(30, 'malignant');
    const ctx = context(
      Array.from({ length: 30 }, (_, i) => `x${i + 1}`),
      ['malignant'],
      gd('crossEntropy'),
    );
    expect(said(graph, ctx)).toEqual({ state: 'trains', text: '✓ compiles — 30 → 1, 31 parameters' });
  });

  it('a hand-set network its algorithm cannot train: "✓ runs — cannot train", and it does run on the data', () => {
    const ctx = context(['x1', 'x2'], ['y'], { algorithm: 'perceptron', loss: 'squaredError' });
    const graph = lecture.xorPerceptronNetwork();
    const result = said(graph, ctx);
    expect(result.state).toBe('runs');
    expect(result.text).toBe(
      '✓ runs — cannot train: 3 units do not fit the perceptron rule (a single layer of step or sign units): y1 (OR), y2 (AND), XOR',
    );
    expect(compileGraph(graph, { data: ctx.data }).ok).toBe(true);
    // Step units under backprop: the same.
    const byBackprop = said(lecture.orPerceptron(), context(['x1', 'x2'], ['y']));
    expect(byBackprop.state).toBe('runs');
    expect(byBackprop.text).toMatch(/^✓ runs — cannot train: perceptron .* uses the step function, which has no gradient/);
  });

  it('no project: says so', () => {
    expect(verdict(null, null)).toEqual({ state: 'none', text: 'No project' });
  });
});

describe('the problems, grouped', () => {
  it('eight inputs reading features the data lacks: one line naming them and how many features it has; each problem names its node', () => {
    const graph = network(8, 't');
    const ctx = context(FEATURES, ['t']);
    const groups = groupProblems(graph, liveCompile(graph, ctx), ctx);
    expect(groups.map((g) => [g.code, g.severity, g.items.length])).toEqual([['unknown-feature', 'error', 8]]);
    expect(groups[0].title).toBe('8 inputs read features the data does not have: x1…x8 — choose from its 30 features');
    expect(groups[0].items.map((i) => i.nodeId)).toEqual(['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8']);
    expect(groups[0].items[0].message).toBe(
      "Input 'x1' reads feature 'x1', which the dataset does not have (it has 30 features: 'f1', 'f2', 'f3' … 27 more).",
    );
    expect(verdict(graph, liveCompile(graph, ctx), ctx).text).toBe(`✗ ${groups[0].title}`);
  });

  it('kinds apart, errors before warnings, a group of one is its message; units named once', () => {
    const graph = network(3, 'malignant');
    graph.nodes.push(
      { id: 'idle', kind: 'input', feature: 'x9', label: 'spare' },
      { id: 'h1', kind: 'neuron', activation: 'sigmoid', bias: 0 },
      { id: 'h2', kind: 'neuron', activation: 'sigmoid', bias: 0 },
    );
    graph.edges.push({ id: 'x1->h1', source: 'x1', target: 'h1', weight: 0 }, { id: 'x1->h2', source: 'x1', target: 'h2', weight: 0 });
    const ctx = context(['x1', 'x2', 'x3', 'x9'], ['malignant=0', 'malignant=1', 'malignant=2'], gd('crossEntropy'));
    const groups = groupProblems(graph, liveCompile(graph, ctx), ctx);
    expect(groups.map((g) => [g.code, g.severity, g.items.length])).toEqual([
      ['unknown-target', 'error', 1],
      ['missing-target', 'error', 3],
      ['unused-input', 'warning', 1],
      ['dead-end', 'warning', 2],
    ]);
    expect(groups[0].title).toBe(groups[0].items[0].message);
    expect(groups[1].title).toBe("3 of the data's targets are predicted by no output node: malignant=0, malignant=1, malignant=2");
    expect(groups[1].items.every((i) => i.nodeId === undefined && i.edgeId === undefined)).toBe(true);
    expect(groups[2].title).toBe("Input 'spare' (idle) is not connected to anything.");
    expect(groups[3].title).toBe('2 units feed nothing and are not outputs: h1, h2');
  });

  it('a unit reported once per edge is counted once', () => {
    const ctx = context(['x1', 'x2'], ['y'], { algorithm: 'perceptron', loss: 'squaredError' });
    const graph = lecture.xorPerceptronNetwork();
    const groups = groupProblems(graph, liveCompile(graph, ctx), ctx);
    expect(groups).toHaveLength(1);
    const ids = new Set(groups[0].items.map((i) => i.nodeId));
    expect(groups[0].title).toBe(
      `${ids.size} units do not fit the perceptron rule (a single layer of step or sign units): ${compactNames([...ids].map((id) => graph.nodes.find((n) => n.id === id)!.label ?? id!))}`,
    );
    expect(groups[0].items.length).toBeGreaterThan(ids.size);
  });

  it('nothing to say for a network that trains', () => {
    const ctx = context(['x1', 'x2'], ['y']);
    expect(groupProblems(lecture.xorSigmoidNetwork(), liveCompile(lecture.xorSigmoidNetwork(), ctx), ctx)).toEqual([]);
    expect(groupProblems(lecture.xorSigmoidNetwork(), null, ctx)).toEqual([]);
  });
});

describe('short names and sentences', () => {
  it('a run of numbered names is a range; others three and how many more', () => {
    expect(compactNames(['x1', 'x2', 'x3', 'x4'])).toBe('x1…x4');
    expect(compactNames(['px10', 'px11', 'px12', 'px13', 'px14'])).toBe('px10…px14');
    expect(compactNames(['x1', 'x3', 'x4', 'x5'])).toBe('x1, x3, x4 … 1 more');
    expect(compactNames(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c … 2 more');
    expect(compactNames(['a', 'b'])).toBe('a, b');
  });

  it('the first sentence of a message, without its advice', () => {
    expect(firstSentence("Layer 'h' has no incoming edge: connect an input. Then train.")).toBe(
      "Layer 'h' has no incoming edge: connect an input.",
    );
    expect(firstSentence('A; b')).toBe('A');
    expect(firstSentence("Reads 'v1.2' here.")).toBe("Reads 'v1.2' here.");
  });
});

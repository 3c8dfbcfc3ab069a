/**
 * The document model: every edit command and its undo, refusals with their reasons, and the
 * derivation of the canvas from the document.
 */
import { describe, expect, it } from 'vitest';
import { compileGraph, findExample, lecture, readParameters, compileOrThrow, type Project } from '../../../engine/src/index';
import { newProject } from '../../../engine/src/project/examples';
import * as commands from './commands';
import { deriveCanvas, describeArchitecture, edgeWidth } from './derive';
import { execute, isDirty, markSaved, redo, redoLabel, startHistory, undo, undoLabel } from './history';

const empty = (): Project =>
  newProject({
    name: 'Empty',
    graph: { nodes: [], edges: [] },
    dataset: { kind: 'builtin', name: 'xor', size: 4, noise: 0, seed: 1, encoding: '01' },
  });

function run(project: Project, ...list: commands.Command[]): Project {
  let current = project;
  for (const command of list) {
    const result = command.apply(current);
    if (!result.ok) throw new Error(`${command.label} refused: ${result.reason}`);
    current = result.project;
  }
  return current;
}

/** The steps that build the lecture's XOR network of two hidden sigmoid neurons. */
const xorSteps = (): commands.Command[] => [
  commands.addNode({ kind: 'input', feature: 'x1' }, { x: 0, y: 0 }, 'x1'),
  commands.addNode({ kind: 'input', feature: 'x2' }, { x: 0, y: 100 }, 'x2'),
  commands.addNeuronLayer(2, 'sigmoid', { x: 200, y: 0 }),
  commands.addNode({ kind: 'neuron', activation: 'sigmoid' }, { x: 400, y: 50 }, 'y'),
  commands.connectAll(['x1', 'x2'], ['h1', 'h2']),
  commands.connectAll(['h1', 'h2'], ['y']),
  commands.setOutput('y', ['y']),
];

/** The XOR network, built from an empty canvas. */
function buildXor(): Project {
  return run(empty(), ...xorSteps());
}

describe('building a network with commands', () => {
  it('the XOR network from an empty canvas compiles with 9 parameters: 2 → 2 → 1', () => {
    const project = buildXor();
    const compiled = compileGraph(project.graph, { data: { features: ['x1', 'x2'], targets: ['y'] } });
    expect(compiled.ok).toBe(true);
    expect(describeArchitecture(project.graph, compiled)).toBe('2 → 2 → 1, 9 parameters');
  });

  it('connect refuses a cycle, an edge into an input or a bias node, a duplicate, and feeding from an output', () => {
    const project = buildXor();
    const refusal = (command: commands.Command) => {
      const result = command.apply(project);
      return result.ok ? null : result.reason;
    };
    expect(refusal(commands.connect('h1', 'x1'))).toMatch(/An input takes its value from the data/);
    expect(refusal(commands.connect('x1', 'h1'))).toMatch(/already feeds/);
    expect(refusal(commands.connect('y', 'h1'))).toMatch(/is an output/);
    const unmarked = run(project, commands.setOutput('y', null));
    const cycle = commands.connect('y', 'h1').apply(unmarked);
    expect(cycle.ok ? null : cycle.reason).toMatch(/That would make a cycle: 'h1' already feeds 'y'/);
    expect(refusal(commands.connect('h1', 'h1'))).toMatch(/cannot feed itself/);
    const withBias = run(project, commands.addNode({ kind: 'bias' }, { x: 0, y: 200 }, 'one'));
    const intoBias = commands.connect('h1', 'one').apply(withBias);
    expect(intoBias.ok ? null : intoBias.reason).toMatch(/bias node is the constant 1/);
  });

  it('new edges get small seeded random weights of the right shape, the same every time', () => {
    const a = buildXor();
    const b = buildXor();
    expect(a.graph.edges.map((e) => e.weight)).toEqual(b.graph.edges.map((e) => e.weight));
    const values = a.graph.edges.map((e) => e.weight as number);
    expect(new Set(values).size).toBe(values.length); // not symmetric
    expect(values.every((w) => Math.abs(w) <= 0.5)).toBe(true);
    const reseeded = run(
      { ...empty(), hyperparameters: { ...empty().hyperparameters, init: { method: 'uniform', seed: 99 } } },
      commands.addNode({ kind: 'input' }, { x: 0, y: 0 }, 'x'),
      commands.addNode({ kind: 'dense', units: 2, activation: 'tanh' }, { x: 1, y: 0 }, 'L'),
      commands.connect('x', 'L'),
    );
    expect((reseeded.graph.edges[0].weight as number[][]).map((row) => row.length)).toEqual([1, 1]);
  });

  it('edges get weights of the right shape; layers resize every matrix they touch', () => {
    let project = run(
      empty(),
      commands.addNode({ kind: 'input' }, { x: 0, y: 0 }, 'x'),
      commands.addNode({ kind: 'dense', units: 3, activation: 'tanh' }, { x: 100, y: 0 }, 'L'),
      commands.addNode({ kind: 'neuron', activation: 'sigmoid' }, { x: 200, y: 0 }, 'y'),
      commands.connect('x', 'L', [[0], [0], [0]]),
      commands.connect('L', 'y', [[0, 0, 0]]),
    );
    expect(project.graph.edges.map((e) => e.weight)).toEqual([[[0], [0], [0]], [[0, 0, 0]]]);
    project = run(project, commands.setWeight('L->y', 0.5, 0, 2), commands.setUnits('L', 4));
    expect(project.graph.edges.map((e) => e.weight)).toEqual([[[0], [0], [0], [0]], [[0, 0, 0.5, 0]]]);
    expect((project.graph.nodes[1] as { bias: number[] }).bias).toEqual([0, 0, 0, 0]);
    project = run(project, commands.setUnits('L', 2));
    expect(project.graph.edges.map((e) => e.weight)).toEqual([[[0], [0]], [[0, 0]]]);
    expect(compileGraph(project.graph).ok).toBe(false); // y is not an output yet…
    expect(compileGraph(run(project, commands.setOutput('y', ['t'])).graph).ok).toBe(true); // …and then it compiles
  });

  it('edits weights, biases, activations, labels, features and locks, refusing nonsense', () => {
    let project = buildXor();
    project = run(
      project,
      commands.setWeight('x1->h1', 1.5),
      commands.setBias('h1', -0.5),
      commands.setActivation('h2', 'tanh'),
      commands.setLabel('h1', 'OR-ish'),
      commands.setFeature('x2', 'b'),
      commands.setLocked('x1->h1', true),
    );
    const h1 = project.graph.nodes.find((n) => n.id === 'h1') as { bias: number; label: string };
    expect(h1).toMatchObject({ bias: -0.5, label: 'OR-ish' });
    expect(project.graph.edges.find((e) => e.id === 'x1->h1')).toMatchObject({ weight: 1.5, locked: true });
    expect(project.graph.nodes.find((n) => n.id === 'x2')).toMatchObject({ feature: 'b' });
    const refused = [
      commands.setWeight('x1->h1', Number.NaN),
      commands.setBias('x1', 1),
      commands.setActivation('h1', 'softmax'),
      commands.setActivation('x1', 'tanh'),
      commands.setOutput('h1', ['a', 'b']),
      commands.setUnits('h1', 3),
      commands.addNode({ kind: 'dense', units: 0, activation: 'tanh' }, { x: 0, y: 0 }),
      commands.remove(['nothing']),
    ].map((c) => c.apply(project));
    expect(refused.every((r) => !r.ok)).toBe(true);
    expect(refused.map((r) => (r.ok ? '' : r.reason))).toEqual([
      'A weight must be a finite number.',
      'Only perceptrons, neurons and layers have a bias.',
      'A neuron uses sigmoid, tanh, ReLU, leaky ReLU, ELU, softplus or linear; softmax needs a layer.',
      'Inputs and bias nodes have no activation.',
      "'OR-ish' has 1 unit(s): name one target per unit.",
      'Only a layer has a unit count.',
      'A layer needs a whole number of units, at least 1.',
      'Nothing to delete.',
    ]);
  });

  it('delete removes nodes with their edges; the weights the compiler reads are the document’s', () => {
    const project = run(buildXor(), commands.setWeight('h2->y', -2), commands.remove(['h1']));
    expect(project.graph.nodes.map((n) => n.id)).toEqual(['x1', 'x2', 'h2', 'y']);
    expect(project.graph.edges.map((e) => e.id)).toEqual(['x1->h2', 'x2->h2', 'h2->y']);
    const model = compileOrThrow(project.graph);
    expect(Array.from(readParameters(model))).toContain(-2);
  });

  it('a batch is all or nothing', () => {
    const project = buildXor();
    const result = commands.batch('Two edits', [commands.setBias('h1', 1), commands.setBias('x1', 1)]).apply(project);
    expect(result.ok).toBe(false);
  });
});

describe('hyperparameters', () => {
  it('are set as an edit, and refused with the reason when out of range', () => {
    const project = buildXor();
    const changed = run(project, commands.setHyperparameters({ learningRate: 0.1, momentum: 0.5 }));
    expect(changed.hyperparameters).toMatchObject({ learningRate: 0.1, momentum: 0.5 });
    expect(changed.graph).toBe(project.graph);
    const refused = commands.setHyperparameters({ momentum: 1.5 }).apply(project);
    expect(refused.ok ? '' : refused.reason).toMatch(/Momentum must be at least 0 and below 1, got 1\.5/);
  });
});

describe('data', () => {
  it('changes the dataset, split and normalisation as one edit, dropping fitted statistics', () => {
    const project = findExample('logistic-regression')!.create();
    const fitted = { ...project, normalisation: { method: 'standardise' as const, fitted: [{ name: 'x1', shift: 1, scale: 2 }] } };
    const changed = run(
      fitted,
      commands.setData({
        dataset: { kind: 'builtin', name: 'moons', size: 300, noise: 0.2, seed: 4, encoding: '01' },
        split: { train: 0.8, validation: 0.1, test: 0.1, seed: 1 },
      }),
    );
    expect(changed.dataset).toMatchObject({ name: 'moons', size: 300 });
    expect(changed.split.train).toBe(0.8);
    expect(changed.normalisation).toEqual({ method: 'standardise', fitted: null });
    const refusals = [
      commands.setData({ split: { train: 0, validation: 0.5, test: 0.5, seed: 1 } }),
      commands.setData({ split: { train: 0.7, validation: 0.2, test: 0.2, seed: 1 } }),
      commands.setData({ dataset: { kind: 'builtin', name: 'moons', size: 0, noise: 0, seed: 1, encoding: '01' } }),
    ].map((c) => c.apply(project));
    expect(refusals.every((r) => !r.ok)).toBe(true);
  });
});

describe('copy, paste, duplicate and layout', () => {
  it('pastes the selected units and the edges among them with fresh ids, offset, without output marks', () => {
    const project = buildXor();
    const fragment = commands.copyFragment(project.graph, new Set(['h1', 'h2', 'y', 'x1->h1']))!;
    expect(fragment.nodes.map((n) => n.id)).toEqual(['h1', 'h2', 'y']);
    expect(fragment.edges.map((e) => e.id)).toEqual(['h1->y', 'h2->y']);
    const pasted = run(project, commands.paste(fragment, { x: 0, y: 300 }));
    const added = pasted.graph.nodes.slice(project.graph.nodes.length);
    expect(added.map((n) => n.id)).toEqual(['h3', 'h4', 'y1']);
    expect(added.every((n) => !('output' in n && n.output))).toBe(true);
    expect(added[0].position).toEqual({ x: project.graph.nodes.find((n) => n.id === 'h1')!.position!.x, y: 300 });
    const newEdges = pasted.graph.edges.slice(project.graph.edges.length);
    expect(newEdges.map((e) => [e.source, e.target, e.weight])).toEqual([
      ['h3', 'y1', project.graph.edges.find((e) => e.id === 'h1->y')!.weight],
      ['h4', 'y1', project.graph.edges.find((e) => e.id === 'h2->y')!.weight],
    ]);
    // The copied hidden units have no inputs yet: exactly what the compiler says, and nothing else.
    const compiled = compileGraph(pasted.graph);
    expect(compiled.ok ? [] : compiled.errors.map((e) => `${e.code}:${e.nodeId}`)).toEqual(['no-incoming:h3', 'no-incoming:h4']);
    expect(commands.copyFragment(project.graph, new Set(['x1->h1']))).toBeNull();
  });

  it('layout puts inputs left and the output right, as one Move', async () => {
    const { layoutCommand } = await import('./layout');
    const project = buildXor();
    const command = await layoutCommand(project.graph);
    expect(command.label).toBe('Layout');
    const laid = run(project, command);
    const x = (id: string) => laid.graph.nodes.find((n) => n.id === id)!.position!.x;
    expect(x('x1')).toBe(x('x2'));
    expect(x('h1')).toBeGreaterThan(x('x1'));
    expect(x('h1')).toBe(x('h2'));
    expect(x('y')).toBeGreaterThan(x('h1'));
    const y = (id: string) => laid.graph.nodes.find((n) => n.id === id)!.position!.y;
    expect(y('h1')).not.toBe(y('h2'));
  });

  it('Connect columns wires each column to the next even when a unit sits 20 px off its column', () => {
    let project = run(
      empty(),
      commands.addNode({ kind: 'input', feature: 'x1' }, { x: 0, y: 0 }, 'x1'),
      commands.addNode({ kind: 'input', feature: 'x2' }, { x: 20, y: 100 }, 'x2'),
      commands.addNeuronLayer(2, 'sigmoid', { x: 200, y: 0 }),
      commands.addNode({ kind: 'neuron', activation: 'sigmoid' }, { x: 380, y: 50 }, 'y'),
    );
    const hidden = project.graph.nodes.filter((n) => n.kind === 'neuron' && n.id !== 'y').map((n) => n.id);
    project = run(project, commands.move({ [hidden[1]]: { x: 215, y: 100 } }));
    project = run(project, commands.connectColumns(project.graph, new Set(project.graph.nodes.map((n) => n.id))));
    const wires = project.graph.edges.map((e) => `${e.source}->${e.target}`).sort();
    const expected = [...['x1', 'x2'].flatMap((i) => hidden.map((h) => `${i}->${h}`)), ...hidden.map((h) => `${h}->y`)].sort();
    expect(wires).toEqual(expected);
    const single = commands.connectColumns(project.graph, new Set(['x1', 'x2'])).apply(project);
    expect(single.ok ? null : single.reason).toMatch(/at least two columns/);
  });

  it('layout keeps the order the units were made in: x1 above x2 above x3, h1 above h2', async () => {
    const { layoutCommand } = await import('./layout');
    for (const name of ['xor-sigmoid', 'three-two-one', 'iris']) {
      const project = findExample(name)!.create();
      const laid = run(project, await layoutCommand(project.graph));
      const inputs = laid.graph.nodes.filter((n) => n.kind === 'input');
      const ys = inputs.map((n) => n.position!.y);
      expect(ys, name).toEqual([...ys].sort((a, b) => a - b));
      expect(new Set(ys).size, name).toBe(inputs.length);
    }
  });

  it('layout places unconnected units (dropped on one spot) apart, with no two boxes overlapping, inputs in order', async () => {
    const { layoutCommand } = await import('./layout');
    // Eight units dropped where the user clicked, none wired: a half-built network.
    const spot = { x: 100, y: 100 };
    let project = empty();
    for (let i = 1; i <= 4; i++) project = run(project, commands.addNode({ kind: 'input', feature: `x${i}` }, spot, `x${i}`));
    for (let i = 1; i <= 3; i++) project = run(project, commands.addNode({ kind: 'neuron', activation: 'sigmoid' }, spot, `h${i}`));
    project = run(project, commands.addNode({ kind: 'perceptron', activation: 'step' }, spot, 'p'));
    const sizes = new Map(project.graph.nodes.map((n) => [n.id, { width: 120, height: 50 }]));
    const laid = run(project, await layoutCommand(project.graph, sizes));
    const boxes = laid.graph.nodes.map((n) => ({ id: n.id, ...n.position!, ...sizes.get(n.id)! }));
    for (const a of boxes) {
      for (const b of boxes) {
        if (a.id >= b.id) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
      }
    }
    const inputs = boxes.filter((b) => b.id.startsWith('x'));
    const order = [...inputs].sort((a, b) => a.y - b.y || a.x - b.x).map((b) => b.id);
    expect(order).toEqual(['x1', 'x2', 'x3', 'x4']);
  });
});

describe('undo and redo', () => {
  it('every edit undoes back to the empty canvas and redoes to the same document', () => {
    const steps = [...xorSteps(), commands.move({ h1: { x: 220, y: -10 }, h2: { x: 220, y: 110 } }), commands.setWeight('h1->y', 3)];
    const start = empty();
    let history = startHistory(start, true);
    const documents: Project[] = [start];
    for (const step of steps) {
      const { history: next, refused } = execute(history, step);
      expect(refused).toBeNull();
      history = next;
      documents.push(history.present);
    }
    expect(undoLabel(history)).toBe('Set weight');
    expect(isDirty(history)).toBe(true);
    for (let i = documents.length - 2; i >= 0; i--) {
      history = undo(history);
      expect(history.present).toBe(documents[i]);
    }
    expect(history.present.graph).toEqual({ nodes: [], edges: [] });
    expect(isDirty(history)).toBe(false);
    expect(undo(history)).toBe(history); // nothing more to undo
    for (let i = 1; i < documents.length; i++) {
      history = redo(history);
      expect(history.present).toBe(documents[i]);
    }
    expect(redoLabel(history)).toBeNull();
  });

  it('a refused edit leaves the history alone; a new edit clears redo; saving clears dirty', () => {
    let history = startHistory(buildXor(), false);
    expect(isDirty(history)).toBe(true); // never saved
    history = markSaved(history);
    expect(isDirty(history)).toBe(false);
    const refused = execute(history, commands.connect('h1', 'x1'));
    expect(refused.history).toBe(history);
    expect(refused.refused).toMatch(/An input takes its value/);
    history = execute(history, commands.setBias('h1', 1)).history;
    history = undo(history);
    expect(redoLabel(history)).toBe('Set bias');
    history = execute(history, commands.setBias('h2', 2)).history;
    expect(redoLabel(history)).toBeNull();
    expect(isDirty(history)).toBe(true);
  });

  it('a move is one undo step however many nodes it moves', () => {
    let history = startHistory(buildXor(), true);
    history = execute(history, commands.move({ x1: { x: 5, y: 5 }, x2: { x: 6, y: 6 }, y: { x: 7, y: 7 } })).history;
    expect(history.past).toHaveLength(1);
    expect(undo(history).present.graph.nodes.find((n) => n.id === 'x1')!.position).toEqual({ x: 0, y: 0 });
  });
});

describe('the canvas is derived from the document', () => {
  it('nodes show kind, label, activation, bias, units and bindings; edges their weight', () => {
    const project = findExample('iris')!.create();
    const compiled = compileGraph(project.graph);
    const canvas = deriveCanvas(project.graph, compiled, new Set(['hidden']));
    const hidden = canvas.nodes.find((n) => n.id === 'hidden')!;
    expect(hidden).toMatchObject({ type: 'unit', selected: true, data: { kind: 'dense', activation: 'tanh', units: 8, isOutput: false } });
    expect(hidden.data.bias).toHaveLength(8);
    const species = canvas.nodes.find((n) => n.id === 'species')!;
    expect(species.data).toMatchObject({ isOutput: true, binding: 'species=setosa, species=versicolor, species=virginica' });
    expect(canvas.nodes.find((n) => n.id === 'petal_width')!.data).toMatchObject({ kind: 'input', binding: 'petal_width' });
    const edge = canvas.edges.find((e) => e.id === 'hidden->species')!;
    const weights = (project.graph.edges.find((e) => e.id === 'hidden->species')!.weight as number[][]).flat();
    expect(edge.data.count).toBe(24);
    expect(edge.data.mean).toBeCloseTo(weights.reduce((a, b) => a + b, 0) / 24, 15);
    expect(edge.data.magnitude).toBeCloseTo(weights.reduce((a, b) => a + Math.abs(b), 0) / 24, 15);
  });

  it('marks the nodes and edges the compiler complains about, with its message', () => {
    const graph = lecture.xorSigmoidNetwork();
    graph.edges.push({ id: 'y->h1', source: 'y', target: 'h1', weight: 1 });
    const compiled = compileGraph(graph);
    const canvas = deriveCanvas(graph, compiled);
    expect(canvas.nodes.find((n) => n.id === 'y')!.data.issues.map((i) => i.code)).toContain('output-feeds');
    expect(describeArchitecture(graph, compiled)).toMatch(/cycle|feeds other nodes/);
  });

  it('edge width grows with |w| and stays within bounds', () => {
    expect(edgeWidth(0)).toBe(1);
    expect(edgeWidth(1)).toBeGreaterThan(edgeWidth(0.1));
    expect(edgeWidth(1e6)).toBe(8);
  });
});

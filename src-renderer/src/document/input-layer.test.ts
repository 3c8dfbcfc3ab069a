/**
 * The document commands around inputs and the data's features: a new input takes the next feature
 * no input reads, a new input layer every such feature; an input layer's features are edited as a
 * list whose weights follow their features; each edit is one undo step; and the canvas shows the
 * layer as one node of N features in the architecture's first column.
 */
import { describe, expect, it } from 'vitest';
import { compileGraph, type Graph, type Project } from '../../../engine/src/index';
import { newProject } from '../../../engine/src/project/examples';
import * as commands from './commands';
import { deriveCanvas, describeArchitecture } from './derive';
import { execute, startHistory, undo, undoLabel } from './history';

const FEATURES = ['radius', 'texture', 'area', 'smoothness'];

function project(graph: Graph = { nodes: [], edges: [] }): Project {
  return newProject({
    name: 'cells',
    graph,
    dataset: { kind: 'inline', features: FEATURES, targets: ['malignant'], rows: [[1, 2, 3, 4, 0]] },
  });
}

function run(start: Project, ...list: commands.Command[]): Project {
  let current = start;
  for (const command of list) {
    const result = command.apply(current);
    if (!result.ok) throw new Error(`${command.label} refused: ${result.reason}`);
    current = result.project;
  }
  return current;
}

const refusal = (p: Project, command: commands.Command) => {
  const result = command.apply(p);
  return result.ok ? null : result.reason;
};

const node = (p: Project, id: string) => p.graph.nodes.find((n) => n.id === id)!;
const edge = (p: Project, id: string) => p.graph.edges.find((e) => e.id === id)!;

describe('new inputs read the data’s features', () => {
  it('a dropped Input takes the next feature no input reads yet, then a placeholder once all are read', () => {
    let p = run(project(), commands.addNode({ kind: 'input', feature: 'texture' }, { x: 0, y: 0 }));
    const ids: string[] = [];
    for (let k = 0; k < 4; k++) {
      p = run(p, commands.addNode({ kind: 'input' }, { x: 0, y: 100 * (k + 1) }));
      ids.push(p.graph.nodes.at(-1)!.id);
    }
    expect(p.graph.nodes.map((n) => (n.kind === 'input' ? n.feature : null))).toEqual(['texture', 'radius', 'area', 'smoothness', ids[3]]);
  });

  it('a dropped Input layer takes every unused feature in the data’s order, and is one undoable "Add input layer"', () => {
    const start = run(project(), commands.addNode({ kind: 'input', feature: 'area' }, { x: 0, y: 0 }, 'a'));
    const { history, refused } = execute(startHistory(start, true), commands.addNode({ kind: 'inputLayer' }, { x: 0, y: 200 }));
    expect(refused).toBeNull();
    const layer = history.present.graph.nodes.at(-1)!;
    expect(layer).toMatchObject({
      id: 'X1',
      kind: 'inputLayer',
      label: 'X1',
      features: ['radius', 'texture', 'smoothness'],
      position: { x: 0, y: 200 },
    });
    expect(undoLabel(history)).toBe('Add input layer');
    expect(undo(history).present).toBe(start);
  });

  it('with every feature read, a new input layer has one placeholder feature the compiler flags', () => {
    const p = run(
      project(),
      commands.addNode({ kind: 'inputLayer' }, { x: 0, y: 0 }),
      commands.addNode({ kind: 'inputLayer' }, { x: 0, y: 200 }),
    );
    expect(node(p, 'X2')).toMatchObject({ features: ['X2'] });
    expect(refusal(project(), commands.addNode({ kind: 'inputLayer', features: [] }, { x: 0, y: 0 }))).toMatch(/at least one feature/);
  });
});

describe('an input layer in the network', () => {
  /** A layer of the four features into a dense layer of 3 into one sigmoid output. */
  function built(): Project {
    return run(
      project(),
      commands.addNode({ kind: 'inputLayer' }, { x: 0, y: 0 }, 'in'),
      commands.addNode({ kind: 'dense', units: 3, activation: 'tanh' }, { x: 200, y: 0 }, 'h'),
      commands.addNode({ kind: 'neuron', activation: 'sigmoid' }, { x: 400, y: 0 }, 'y'),
      commands.connect('in', 'h'),
      commands.connect('h', 'y'),
      commands.setOutput('y', ['malignant']),
    );
  }

  it('connects to a layer with a weight matrix of one row per unit and one column per feature, and compiles on the data', () => {
    const p = built();
    const weight = edge(p, 'in->h').weight as number[][];
    expect(weight).toHaveLength(3);
    expect(weight.every((row) => row.length === 4)).toBe(true);
    // Small, random and not symmetric, as every new edge starts.
    expect(new Set(weight.flat()).size).toBe(12);
    const compiled = compileGraph(p.graph, { data: { features: FEATURES, targets: ['malignant'] } });
    expect(compiled.ok).toBe(true);
    expect(describeArchitecture(p.graph, compiled)).toBe('4 → 3 → 1, 19 parameters');
  });

  it('receives nothing: an edge into it is refused with the reason', () => {
    expect(refusal(built(), commands.connect('h', 'in'))).toMatch(/An input takes its value from the data/);
  });

  it('is drawn as one input-layer node listing its features', () => {
    const canvas = deriveCanvas(built().graph, null);
    const drawn = canvas.nodes.find((n) => n.id === 'in')!;
    expect(drawn.type).toBe('inputLayer');
    expect(drawn.data).toMatchObject({ kind: 'inputLayer', units: 4, features: FEATURES, activation: null, bias: null });
    expect(canvas.nodes.find((n) => n.id === 'h')!.type).toBe('unit');
    expect(canvas.edges.find((e) => e.id === 'in->h')!.data.count).toBe(12);
  });

  it('edits its features as a list: the weights follow their features, new ones start at 0', () => {
    const p = built();
    const before = edge(p, 'in->h').weight as number[][];
    const column = (name: string) => before.map((row) => row[FEATURES.indexOf(name)]);

    const reordered = run(p, commands.setFeatures('in', ['area', 'radius', 'texture', 'smoothness']));
    const w = edge(reordered, 'in->h').weight as number[][];
    expect(w.map((row) => row[0])).toEqual(column('area'));
    expect(w.map((row) => row[1])).toEqual(column('radius'));
    expect(w.map((row) => row[3])).toEqual(column('smoothness'));

    const removed = run(p, commands.setFeatures('in', ['radius', 'area']));
    expect(edge(removed, 'in->h').weight).toEqual(before.map((row) => [row[0], row[2]]));
    const added = run(removed, commands.setFeatures('in', ['radius', 'area', 'texture']));
    expect(edge(added, 'in->h').weight).toEqual(before.map((row) => [row[0], row[2], 0]));
    // Still a network that compiles: the matrices kept their shape in step with the list.
    expect(compileGraph(added.graph).ok).toBe(true);
    expect(compileGraph(reordered.graph).ok).toBe(true);
  });

  it('keeps a single-unit target’s weights a matrix of one row', () => {
    const p = run(
      project(),
      commands.addNode({ kind: 'inputLayer', features: ['radius', 'area'] }, { x: 0, y: 0 }, 'in'),
      commands.addNode({ kind: 'neuron', activation: 'sigmoid' }, { x: 200, y: 0 }, 'y'),
      commands.connect('in', 'y', [[0.5, -0.25]]),
      commands.setFeatures('in', ['area']),
    );
    expect(edge(p, 'in->y').weight).toEqual([[-0.25]]);
    expect(compileGraph(run(p, commands.setOutput('y', ['malignant'])).graph).ok).toBe(true);
  });

  it('refuses an empty list, a blank or repeated feature, and a node that is not an input layer', () => {
    const p = built();
    expect(refusal(p, commands.setFeatures('in', []))).toMatch(/at least one feature/);
    expect(refusal(p, commands.setFeatures('in', ['radius', ' ']))).toMatch(/needs a name/);
    expect(refusal(p, commands.setFeatures('in', ['radius', 'area', 'radius']))).toBe("The layer already reads 'radius'.");
    expect(refusal(p, commands.setFeatures('h', ['radius']))).toMatch(/Only an input layer/);
  });

  it('each list edit is one undo step named by what it did', () => {
    const start = built();
    let history = startHistory(start, true);
    history = execute(history, commands.setFeatures('in', [...FEATURES, 'extra'], 'Add feature')).history;
    expect(undoLabel(history)).toBe('Add feature');
    history = execute(history, commands.setFeatures('in', ['extra', ...FEATURES], 'Move feature')).history;
    expect(undoLabel(history)).toBe('Move feature');
    history = undo(undo(history));
    expect(history.present).toBe(start);
  });

  it('lists the unused features of the data', () => {
    const p = run(built(), commands.setFeatures('in', ['texture']));
    expect(commands.unusedFeatures(p)).toEqual(['radius', 'area', 'smoothness']);
    expect(commands.datasetFeatures(p)).toEqual(FEATURES);
  });
});

/**
 * Networks built from the data: the outputs and loss each kind of target calls for, and a whole
 * network that compiles against the data and trains — on a real table (the Wisconsin breast-cancer
 * data, 30 features and a 0/1 diagnosis) to at least 95% test accuracy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileGraph,
  findExample,
  importCsv,
  inputsFromData,
  lossForTargets,
  outputsForTargets,
  networkForData,
  newProject,
  openSession,
  parseCsv,
  resolveDataset,
  targetGroups,
  type DatasetRef,
  type Project,
} from '../engine/src/index';

const CSV = readFileSync(join(__dirname, 'data', 'breast-cancer-wisconsin.csv'), 'utf8');

/** The breast-cancer table as the CSV importer reads it: 30 features, `malignant` as a 0/1 number. */
function breastCancer(): Project {
  const table = parseCsv(CSV);
  const header = table.header;
  const { dataset } = importCsv(CSV, { features: header.slice(0, 30), targets: ['malignant'], targetKind: 'numeric' });
  const rows = Array.from({ length: dataset.size }, (_, n) => [
    ...dataset.x.subarray(n * 30, n * 30 + 30),
    ...dataset.y.subarray(n, n + 1),
  ]);
  const ref: DatasetRef = {
    kind: 'inline',
    source: 'breast-cancer-wisconsin.csv',
    features: dataset.features,
    targets: dataset.targets,
    rows,
  };
  return newProject({
    name: 'breast cancer',
    graph: { nodes: [], edges: [] },
    dataset: ref,
    split: { train: 0.7, validation: 0, test: 0.3, seed: 1 },
    normalisation: 'standardise',
  });
}

describe('the outputs the targets call for', () => {
  it('a 0/1 column is binary (one sigmoid, cross-entropy); one-hot classes a softmax layer; numbers linear units and squared error', () => {
    const cancer = breastCancer();
    expect(targetGroups(cancer)).toEqual([{ kind: 'binary', targets: ['malignant'] }]);
    expect(lossForTargets(targetGroups(cancer))).toBe('crossEntropy');

    const iris = findExample('iris')!.create();
    const irisGroups = targetGroups(iris);
    expect(irisGroups).toHaveLength(1);
    expect(irisGroups[0]).toMatchObject({ kind: 'classes', targets: resolveDataset(iris.dataset).targets });

    const numbers = newProject({
      name: 'numbers',
      graph: { nodes: [], edges: [] },
      dataset: {
        kind: 'inline',
        features: ['x'],
        targets: ['y', 'z'],
        rows: [
          [0, 0.5, 3],
          [1, 2, 0],
          [2, 1, 1],
        ],
      },
    });
    expect(targetGroups(numbers)).toEqual([{ kind: 'number', targets: ['y', 'z'] }]);
    expect(lossForTargets(targetGroups(numbers))).toBe('squaredError');

    const signed = newProject({
      name: 'signed',
      graph: { nodes: [], edges: [] },
      dataset: {
        kind: 'inline',
        features: ['x'],
        targets: ['s'],
        rows: [
          [0, -1],
          [1, 1],
        ],
      },
    });
    expect(targetGroups(signed)).toEqual([{ kind: 'signed', targets: ['s'] }]);
    expect(lossForTargets(targetGroups(signed))).toBe('squaredError');
  });
});

describe('New network for this data', () => {
  it('the breast-cancer table: 30 inputs, a hidden layer, one sigmoid output; it compiles against the data and trains to ≥ 95% test accuracy', () => {
    const built = networkForData(
      {
        ...breastCancer(),
        hyperparameters: {
          ...breastCancer().hyperparameters,
          optimiser: 'adam',
          learningRate: 0.01,
          mode: 'minibatch',
          batchSize: 32,
          maxEpochs: 60,
        },
      },
      { hidden: [{ units: 8, activation: 'tanh' }] },
    );
    const dataset = resolveDataset(built.dataset);
    const compiled = compileGraph(built.graph, {
      training: { algorithm: built.hyperparameters.algorithm, loss: built.hyperparameters.loss },
      data: { features: dataset.features, targets: dataset.targets },
    });
    expect(compiled.ok, compiled.ok ? '' : compiled.errors.map((e) => e.message).join(' ')).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.model.features).toHaveLength(30);
    expect(compiled.model.paramCount).toBe(30 * 8 + 8 + 8 + 1);
    expect(built.hyperparameters.loss).toBe('crossEntropy');
    const output = built.graph.nodes.find((n) => 'output' in n && n.output)!;
    expect(output).toMatchObject({ kind: 'neuron', activation: 'sigmoid', output: { targets: ['malignant'] } });
    // Drawn weights, not zeros; every node placed.
    expect(built.graph.edges.some((e) => typeof e.weight !== 'number' && e.weight.some((row) => row.some((w) => w !== 0)))).toBe(true);
    expect(built.graph.nodes.every((n) => n.position && Number.isFinite(n.position.x) && Number.isFinite(n.position.y))).toBe(true);
    // 30 features: one input layer holding them in the data's order.
    const layers = built.graph.nodes.filter((n) => n.kind === 'inputLayer');
    expect(layers).toHaveLength(1);
    expect(layers[0].kind === 'inputLayer' && layers[0].features).toEqual(dataset.features);

    const session = openSession(built, 'train');
    session.trainer.run({ epochs: 60 });
    const test = session.trainer.evaluate(session.test);
    expect(session.test.size).toBeGreaterThan(150);
    expect(test.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('iris with two hidden layers: softmax over the three species, categorical cross-entropy, fully wired', () => {
    const iris = findExample('iris')!.create();
    const built = networkForData(iris, {
      hidden: [
        { units: 6, activation: 'relu' },
        { units: 4, activation: 'tanh' },
      ],
    });
    expect(built.graph.nodes.filter((n) => n.kind === 'dense').map((n) => (n.kind === 'dense' ? [n.units, n.activation] : null))).toEqual([
      [6, 'relu'],
      [4, 'tanh'],
      [3, 'softmax'],
    ]);
    expect(built.graph.edges).toHaveLength(4 + 1 + 1);
    const dataset = resolveDataset(built.dataset);
    const compiled = compileGraph(built.graph, { training: { algorithm: 'gradientDescent', loss: 'crossEntropy' }, data: dataset });
    expect(compiled.ok).toBe(true);
    expect(built.training.epoch).toBe(0);
  });

  it('refuses a plan it cannot build, in one sentence naming the layer', () => {
    const iris = findExample('iris')!.create();
    expect(() => networkForData(iris, { hidden: [{ units: 0, activation: 'relu' }] })).toThrow(
      'Hidden layer 1 needs a whole number of units from 1 to 4096, got 0.',
    );
    expect(() =>
      networkForData(iris, {
        hidden: [
          { units: 3, activation: 'tanh' },
          { units: 3, activation: 'step' },
        ],
      }),
    ).toThrow(/^Hidden layer 2 /);
    expect(() => networkForData(iris, { hidden: [{ units: 3, activation: 'softmax' }] })).toThrow(
      /^Hidden layer 1 needs an activation backprop can train through/,
    );
  });
});

describe('Inputs from data and Outputs for targets', () => {
  it('adds one input layer for many features, single inputs in order for a few; then refuses when none is left', () => {
    const cancer = breastCancer();
    const once = inputsFromData(cancer);
    expect(once.graph.nodes).toHaveLength(1);
    expect(once.graph.nodes[0]).toMatchObject({ kind: 'inputLayer', features: resolveDataset(cancer.dataset).features });
    expect(() => inputsFromData(once)).toThrow('Every feature of the data already has an input.');

    // Iris's four features: four Inputs, top to bottom in the data's order; one removed comes back alone.
    const iris = findExample('iris')!.create();
    const bare = { ...iris, graph: { nodes: [], edges: [] } };
    const singles = inputsFromData(bare).graph.nodes;
    expect(singles.map((n) => (n.kind === 'input' ? n.feature : n.kind))).toEqual(resolveDataset(iris.dataset).features);
    for (let k = 1; k < singles.length; k++) expect(singles[k].position!.y).toBeGreaterThan(singles[k - 1].position!.y);
    const partial = { ...bare, graph: { nodes: singles.slice(1), edges: [] } };
    const again = inputsFromData(partial);
    expect(again.graph.nodes).toHaveLength(4);
    expect(again.graph.nodes.at(-1)).toMatchObject({ kind: 'input', feature: resolveDataset(iris.dataset).features[0] });
  });

  it('adds the output the targets call for, fed by the hidden layer that feeds nothing, and sets the loss; then the network compiles', () => {
    const iris = findExample('iris')!.create();
    const hiddenOnly = {
      ...iris,
      hyperparameters: { ...iris.hyperparameters, loss: 'squaredError' as const },
      graph: {
        nodes: iris.graph.nodes.filter((n) => !('output' in n && n.output)),
        edges: iris.graph.edges.filter((e) => iris.graph.nodes.some((n) => n.id === e.target && !('output' in n && n.output))),
      },
    };
    const dataset = resolveDataset(iris.dataset);
    expect(compileGraph(hiddenOnly.graph, { training: { algorithm: 'gradientDescent', loss: 'crossEntropy' }, data: dataset }).ok).toBe(
      false,
    );
    const done = outputsForTargets(hiddenOnly);
    expect(done.hyperparameters.loss).toBe('crossEntropy');
    const added = done.graph.nodes.filter((n) => !hiddenOnly.graph.nodes.includes(n));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ kind: 'dense', units: 3, activation: 'softmax' });
    // The existing weights are untouched; the new edge's are drawn.
    for (const e of hiddenOnly.graph.edges) expect(done.graph.edges.find((d) => d.id === e.id)).toEqual(e);
    const compiled = compileGraph(done.graph, { training: { algorithm: 'gradientDescent', loss: 'crossEntropy' }, data: dataset });
    expect(compiled.ok, compiled.ok ? '' : compiled.errors[0].message).toBe(true);
    expect(() => outputsForTargets(done)).toThrow('Every target of the data already has an output.');
  });
});

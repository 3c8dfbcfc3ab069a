/**
 * The Wisconsin breast-cancer table (test/data, 569 rows, 30 features, `malignant` 0/1) read as
 * the CSV dialog's worker reads it: `malignant` is suggested as a binary target,
 * imported as one 0/1 column, and a network with one sigmoid output and binary cross-entropy
 * compiles against it, trains, and is evaluated as a two-class classifier (decided at ½, both
 * classes in the confusion matrix), its numbers held to a computation of this test's own. The
 * same column spelt B/M is read as B → 0, M → 1 and the matrix names both classes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileGraph,
  evaluateProject,
  importCsv,
  newProject,
  openSession,
  readCsv,
  summariseColumns,
  projectData,
  projectFromSession,
  type CsvColumnSummary,
  type CsvImport,
  type Graph,
  type GraphNode,
  type Project,
} from '../engine/src/index';
import { suggestion } from '../src-renderer/src/panels/data/csv-targets';
import { confusionClassNames } from '../src-renderer/src/panels/training/class-names';

const FIXTURE = readFileSync(new URL('./data/breast-cancer-wisconsin.csv', import.meta.url), 'utf8');

/** The file read by hand: its header and every row as numbers. */
function readByHand(text: string): { header: string[]; rows: number[][] } {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  return { header: head.split(','), rows: lines.map((line) => line.split(',').map(Number)) };
}
const BY_HAND = readByHand(FIXTURE);
const FEATURES = BY_HAND.header.slice(0, -1);

/** The file read and its columns summarised, as the dialog's worker does when it opens a file. */
function open(text: string): { header: string[]; columns: CsvColumnSummary[] } {
  const table = finish(readCsv(text));
  return { header: table.header, columns: finish(summariseColumns(table)) };
}

function finish<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** 30 inputs, one per feature, into one sigmoid neuron predicting `target`. */
function logisticRegression(target: string): Graph {
  const nodes: GraphNode[] = FEATURES.map((feature, i) => ({ id: `in${i}`, kind: 'input', feature, position: { x: 0, y: 40 * i } }));
  nodes.push({ id: 'out', kind: 'neuron', activation: 'sigmoid', bias: 0, output: { targets: [target] }, position: { x: 300, y: 0 } });
  const edges = FEATURES.map((_, i) => ({ id: `e${i}`, source: `in${i}`, target: 'out', weight: 0 }));
  return { nodes, edges };
}

function projectOf(imported: CsvImport, graph: Graph): Project {
  const { dataset, classes } = imported;
  const rows = Array.from({ length: dataset.size }, (_, n) => [
    ...dataset.x.subarray(n * dataset.features.length, (n + 1) * dataset.features.length),
    ...dataset.y.subarray(n * dataset.targets.length, (n + 1) * dataset.targets.length),
  ]);
  return newProject({
    name: 'breast cancer',
    graph,
    dataset: { kind: 'inline', source: 'breast-cancer-wisconsin.csv', features: dataset.features, targets: dataset.targets, rows, classes },
    hyperparameters: { loss: 'crossEntropy', mode: 'batch', optimiser: 'adam', learningRate: 0.05, maxEpochs: 60 },
    split: { train: 0.7, validation: 0, test: 0.3, seed: 3 },
    normalisation: 'standardise',
  });
}

describe('the breast-cancer table as a binary target', () => {
  it('the dialog suggests binary for malignant, and numbers for a feature', () => {
    const { header, columns } = open(FIXTURE);
    expect(header).toHaveLength(31);
    expect(header[30]).toBe('malignant');
    expect(columns[30]).toEqual({ distinct: 2, values: ['1', '0'], numeric: true, empty: false });
    expect(suggestion(header, columns, ['malignant'])).toEqual({
      kind: 'binary',
      reason: "Suggested from the data: binary — 'malignant' has two values, 0 and 1.",
    });
    expect(suggestion(header, columns, ['mean_radius'])?.kind).toBe('numeric');
  });

  it('imports malignant as one 0/1 column, as the file has it', () => {
    const imported = importCsv(FIXTURE, { features: FEATURES, targets: ['malignant'], targetKind: 'binary' });
    expect(imported.dataset.size).toBe(569);
    expect(imported.dataset.targets).toEqual(['malignant']);
    expect(imported.classes).toEqual({ malignant: ['0', '1'] });
    expect(Array.from(imported.dataset.y)).toEqual(BY_HAND.rows.map((row) => row[30]));
    // scikit-learn's counts: 212 malignant, 357 benign.
    expect(imported.dataset.y.reduce((a, b) => a + b, 0)).toBe(212);
    expect(imported.dataset.x[29]).toBe(BY_HAND.rows[0][29]);
  });

  it('one-hot, the column does not fit one sigmoid; binary, it compiles for training', () => {
    const graph = logisticRegression('malignant');
    const training = { algorithm: 'gradientDescent', loss: 'crossEntropy' } as const;
    const oneHot = importCsv(FIXTURE, { features: FEATURES, targets: ['malignant'], targetKind: 'label' }).dataset;
    const refused = compileGraph(graph, { training, data: { features: oneHot.features, targets: oneHot.targets } });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors.map((e) => e.code)).toEqual(['unknown-target', 'missing-target', 'missing-target']);
    const binary = importCsv(FIXTURE, { features: FEATURES, targets: ['malignant'], targetKind: 'binary' }).dataset;
    expect(compileGraph(graph, { training, data: { features: binary.features, targets: binary.targets } }).ok).toBe(true);
  });

  it('trained, one sigmoid is a two-class classifier: accuracy and both classes of the matrix, decided at ½', () => {
    const imported = importCsv(FIXTURE, { features: FEATURES, targets: ['malignant'], targetKind: 'binary' });
    const project = projectOf(imported, logisticRegression('malignant'));
    const session = openSession(project);
    session.trainer.run();
    const trained = projectFromSession(project, session);
    const { splits, regression } = evaluateProject(trained);
    expect(regression).toBeNull();

    // The test split computed here: z = σ(b + Σ w_i x_i) on the normalised features, 1 when z > ½.
    const data = projectData(trained).test;
    const out = trained.graph.nodes.find((n) => n.id === 'out');
    if (out?.kind !== 'neuron') throw new Error('no output neuron');
    const weights = FEATURES.map((_, i) => trained.graph.edges.find((e) => e.id === `e${i}`)!.weight as number);
    const matrix = [
      [0, 0],
      [0, 0],
    ];
    for (let n = 0; n < data.size; n++) {
      let s = out.bias;
      for (let i = 0; i < 30; i++) s += weights[i] * data.x[n * 30 + data.features.indexOf(FEATURES[i])];
      const predicted = 1 / (1 + Math.exp(-s)) > 0.5 ? 1 : 0;
      matrix[data.y[n]][predicted]++;
    }
    const test = splits.test;
    expect(test.size).toBe(data.size);
    expect(test.confusion).toEqual({ classes: ['0', '1'], matrix });
    expect(test.accuracy).toBeCloseTo((matrix[0][0] + matrix[1][1]) / data.size, 12);
    // Both classes are there, and logistic regression separates this table well.
    expect(matrix[0][0] + matrix[0][1]).toBeGreaterThan(0);
    expect(matrix[1][0] + matrix[1][1]).toBeGreaterThan(0);
    expect(test.accuracy).toBeGreaterThan(0.93);
    expect(confusionClassNames(trained, test.confusion!.classes)).toEqual(['0', '1']);
  });

  it('spelt B/M, the column is read as B → 0, M → 1, and the matrix names both classes', () => {
    const lines = FIXTURE.trim().split(/\r?\n/);
    const spelt = [
      lines[0].replace(/malignant$/, 'diagnosis'),
      ...lines.slice(1).map((l) => l.replace(/,1$/, ',M').replace(/,0$/, ',B')),
    ].join('\n');
    const imported = importCsv(spelt, { features: FEATURES, targets: ['diagnosis'], targetKind: 'binary' });
    expect(imported.classes).toEqual({ diagnosis: ['B', 'M'] });
    expect(Array.from(imported.dataset.y)).toEqual(BY_HAND.rows.map((row) => row[30]));
    const project = projectOf(imported, logisticRegression('diagnosis'));
    expect(confusionClassNames(project, ['0', '1'])).toEqual(['B (0)', 'M (1)']);
    // Signed classes, or a project whose output predicts something else, keep the engine's names.
    expect(confusionClassNames(project, ['−1', '+1'])).toEqual(['−1', '+1']);
    expect(confusionClassNames({ ...project, graph: logisticRegression('other') }, ['0', '1'])).toEqual(['0', '1']);
  });
});

/**
 * The .nnproj format: lossless round trips, one clear error with its path for every kind of bad
 * file, migrations, the published JSON Schema, and a fuzz of the loader.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXAMPLES,
  LIMITS,
  MIGRATIONS,
  ProjectFormatError,
  findExample,
  importCsv,
  loadProjectValue,
  openSession,
  parseProject,
  projectFromSession,
  serialiseProject,
  type Migration,
  type Project,
} from '../engine/src/index';
import { projectJsonSchema } from '../src-main/files/json-schema';

/**
 * What an older file's hyperparameters gain on loading: version 3's optimiser (gradient descent)
 * with its settings' defaults, and the precision setting's default (files from before it train as
 * 'auto' does: float64 at these sizes).
 */
const MIGRATED_SETTINGS = { optimiser: 'sgd', beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-8, precision: 'auto' } as const;

function load(text: string) {
  const result = parseProject(text);
  if (!result.ok) throw result.error;
  return result.project;
}

/** A valid project as a plain JSON value, to break in one place. */
function document(name = 'xor-sigmoid'): Record<string, any> {
  return JSON.parse(serialiseProject(findExample(name)!.create()));
}

function errorOf(value: unknown): ProjectFormatError {
  const result = parseProject(typeof value === 'string' ? value : JSON.stringify(value));
  expect(result.ok, 'expected the load to fail').toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.error).toBeInstanceOf(ProjectFormatError);
  return result.error;
}

describe('round trip', () => {
  for (const example of EXAMPLES) {
    it(`${example.name}: save → load → save gives the same bytes, before and after training`, () => {
      const first = serialiseProject(example.create());
      const second = serialiseProject(load(first));
      expect(second).toBe(first);
      expect(load(first)).toEqual(load(second));

      // After a few epochs the document holds weights, history and fitted normalisation too.
      const project = load(first);
      const trainable = !example.name.includes('network');
      if (!trainable) return;
      const session = openSession(project, 'train', { ...project.hyperparameters, maxEpochs: 3, targetLoss: null });
      session.trainer.run();
      const trained = serialiseProject(projectFromSession(project, session));
      expect(serialiseProject(load(trained))).toBe(trained);
      const reloaded = load(trained);
      // Up to 3 epochs (a perceptron that already classifies everything stops after one).
      expect(reloaded.training.epoch).toBe(session.trainer.epoch);
      expect(reloaded.training.epoch).toBeGreaterThanOrEqual(1);
      expect(reloaded.training.history.map((r) => r.epoch)).toEqual(Array.from({ length: reloaded.training.epoch }, (_, i) => i + 1));
      if (project.normalisation.method !== 'none') expect(reloaded.normalisation.fitted).not.toBeNull();
    });
  }

  it('keeps every number exactly, including ones that need 17 digits', () => {
    const doc = document();
    doc.graph.edges[0].weight = 0.1 + 0.2;
    doc.graph.nodes[2].bias = -1.2345678901234567e-300;
    doc.view = {
      viewport: { x: 10.5, y: -3, zoom: 1.25 },
      panels: { data: true, inspector: false },
      inspectorSample: 2,
      selection: ['h1'],
    };
    const project = load(JSON.stringify(doc));
    expect(project.graph.edges[0].weight).toBe(0.1 + 0.2);
    expect((project.graph.nodes[2] as { bias: number }).bias).toBe(-1.2345678901234567e-300);
    expect(project.view).toEqual(doc.view);
    const text = serialiseProject(project);
    expect(serialiseProject(load(text))).toBe(text);
  });

  it('keeps the panel sizes of the view; a size out of bounds is refused by its path; an unknown panel is dropped', () => {
    const doc = document();
    doc.view = { panelSizes: { side: 352.5, dock: 310, regions: 260 } };
    expect(load(JSON.stringify(doc)).view).toEqual(doc.view);
    expect(errorOf({ ...doc, view: { panelSizes: { side: 1e9 } } }).path).toBe('view.panelSizes.side');
    expect(errorOf({ ...doc, view: { panelSizes: { dock: -1 } } }).path).toBe('view.panelSizes.dock');
    expect(errorOf({ ...doc, view: { panelSizes: { palette: 'wide' } } }).path).toBe('view.panelSizes.palette');
    expect(load(JSON.stringify({ ...doc, view: { panelSizes: { side: 330, minimap: 90 } } })).view).toEqual({ panelSizes: { side: 330 } });
  });

  it('refuses to write an invalid project (nothing invalid ever reaches disk)', () => {
    const project = findExample('xor-sigmoid')!.create();
    project.graph.edges[0].target = 'nowhere';
    expect(() => serialiseProject(project)).toThrow(/graph\.edges\[0\]\.target: there is no node 'nowhere'/);
  });
});

describe('user strings as keys', () => {
  it('a label column named __proto__ keeps its classes through Save and Open', () => {
    const imported = importCsv('x,__proto__\n1,cat\n2,dog\n3,cat\n', { features: ['x'], targets: ['__proto__'], targetKind: 'label' });
    expect(Object.keys(imported.classes)).toEqual(['__proto__']);
    const project = findExample('xor-sigmoid')!.create();
    const { features, targets, size, x, y } = imported.dataset;
    const rows = Array.from({ length: size }, (_, n) => [
      ...x.subarray(n * features.length, (n + 1) * features.length),
      ...y.subarray(n * targets.length, (n + 1) * targets.length),
    ]);
    project.dataset = { kind: 'inline', source: 'pets.csv', features, targets, rows, classes: imported.classes };
    const reopened = load(serialiseProject(project));
    const dataset = reopened.dataset as Extract<Project['dataset'], { kind: 'inline' }>;
    expect(Object.keys(dataset.classes ?? {})).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(dataset.classes, '__proto__')?.value).toEqual(['cat', 'dog']);
  });

  it('a classes record with a bad value is still refused', () => {
    const bad = document();
    bad.dataset = { kind: 'inline', features: ['x1', 'x2'], targets: ['y'], rows: [[0, 0, 0]], classes: { y: [1, 2] } };
    expect(errorOf(bad).message).toMatch(/^dataset\.classes/);
  });
});

describe('a bad file gives one error naming the path', () => {
  it('not JSON: says so, with line and column', () => {
    const error = errorOf('{\n  "format": "nnstudio-project",\n  oops\n}');
    expect(error.path).toBe('');
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).toMatch(/line 3, column 3/);
  });

  it('an empty file, truncated JSON, and plain text', () => {
    expect(errorOf('').message).toMatch(/not valid JSON/);
    const text = serialiseProject(findExample('iris')!.create());
    expect(errorOf(text.slice(0, text.length / 2)).message).toMatch(/not valid JSON/);
    expect(errorOf('hello').message).toMatch(/not valid JSON/);
  });

  it('JSON that is not a project, or another format', () => {
    expect(errorOf([1, 2]).message).toMatch(/not an NN Studio project/);
    expect(errorOf(42).message).toMatch(/not an NN Studio project/);
    const other = errorOf({ format: 'onnx', version: 1 });
    expect(other.path).toBe('format');
    expect(other.message).toContain('"onnx"');
  });

  it('a newer version asks for a newer NN Studio', () => {
    const error = errorOf({ ...document(), version: 4 });
    expect(error.path).toBe('version');
    expect(error.message).toMatch(/saved by a newer NN Studio \(format version 4; this version reads up to 3\)/);
  });

  it('a version that is not a whole number', () => {
    expect(errorOf({ ...document(), version: '1' }).path).toBe('version');
    expect(errorOf({ ...document(), version: 1.5 }).path).toBe('version');
  });

  it('a missing field', () => {
    const doc = document();
    delete doc.hyperparameters;
    const error = errorOf(doc);
    expect(error.path).toBe('hyperparameters');
    expect(error.message).toMatch(/missing/);
  });

  it('a wrong type deep inside', () => {
    const doc = document();
    doc.hyperparameters.learningRate = 'fast';
    const error = errorOf(doc);
    expect(error.path).toBe('hyperparameters.learningRate');
    expect(error.message).toMatch(/expected number/);
  });

  it('an unknown node kind and an unknown activation', () => {
    const doc = document();
    doc.graph.nodes[3].kind = 'lstm';
    expect(errorOf(doc).path).toBe('graph.nodes[3].kind');
    const doc2 = document();
    doc2.graph.nodes[2].activation = 'swish';
    expect(errorOf(doc2).path).toBe('graph.nodes[2].activation');
  });

  it('an edge to a missing node', () => {
    const doc = document();
    doc.graph.edges[4].target = 'h9';
    const error = errorOf(doc);
    expect(error.path).toBe('graph.edges[4].target');
    expect(error.message).toContain("no node 'h9'");
  });

  it('a weight matrix of the wrong shape', () => {
    const doc = document('iris');
    doc.graph.edges[4].weight = doc.graph.edges[4].weight.slice(1); // hidden → species: 3×8 becomes 2×8
    const error = errorOf(doc);
    expect(error.path).toBe('graph.edges[4].weight');
    expect(error.message).toMatch(/must be 3×8.*has 2 rows/);
    const doc2 = document('iris');
    doc2.graph.edges[0].weight[5] = [1, 2];
    expect(errorOf(doc2).path).toBe('graph.edges[0].weight[5]');
    const doc3 = document('xor-sigmoid');
    doc3.graph.edges[0].weight = [[1, 2]]; // a scalar edge given a 1×2 matrix: its row is too long
    expect(errorOf(doc3).path).toBe('graph.edges[0].weight[0]');
  });

  it('biases that do not match the units, and duplicate ids', () => {
    const doc = document('iris');
    doc.graph.nodes[4].bias.pop();
    expect(errorOf(doc).path).toBe('graph.nodes[4].bias');
    const doc2 = document();
    doc2.graph.nodes[3].id = doc2.graph.nodes[2].id;
    expect(errorOf(doc2).path).toBe('graph.nodes[3].id');
  });

  it('sizes that would exhaust memory are capped, and the cap is named', () => {
    const doc = document('iris');
    doc.graph.nodes[4].units = 1e9;
    const units = errorOf(doc);
    expect(units.path).toBe('graph.nodes[4].units');
    expect(units.message).toContain(String(LIMITS.unitsPerLayer));

    // Two maximal layers connected: 2³² weights claimed, refused before any matrix is read.
    const doc2 = document();
    const big = LIMITS.unitsPerLayer;
    doc2.graph.nodes.push(
      { id: 'a', kind: 'dense', units: big, activation: 'tanh', bias: new Array(big).fill(0) },
      { id: 'b', kind: 'dense', units: big, activation: 'tanh', bias: new Array(big).fill(0) },
    );
    doc2.graph.edges.push({ id: 'a->b', source: 'a', target: 'b', weight: [] });
    const total = errorOf(doc2);
    expect(total.path).toBe(`graph.edges[${doc2.graph.edges.length - 1}]`);
    expect(total.message).toContain(`more than ${LIMITS.parameters.toLocaleString('en')} parameters`);

    const doc3 = document();
    doc3.training.history = { length: 1 };
    expect(errorOf(doc3).path).toMatch(/^training\.history/);
  });

  it('an inline dataset with a short row', () => {
    const doc = document('three-two-one');
    doc.dataset.rows.push([1, 2]);
    const error = errorOf(doc);
    expect(error.path).toBe('dataset.rows[1]');
    expect(error.message).toMatch(/has 2 values but the dataset has 3 features and 1 targets/);
  });

  it('an out-of-range hyperparameter and a bad split', () => {
    const doc = document();
    doc.hyperparameters.momentum = 1.5;
    expect(errorOf(doc).path).toBe('hyperparameters.momentum');
    const doc2 = document();
    doc2.split.train = 0;
    expect(errorOf(doc2).path).toBe('split.train');
  });
});

describe('migrations', () => {
  // A made-up version 0 that called the hyperparameters "settings": the mechanism under test.
  const v0 = () => {
    const doc = document();
    doc.version = 0;
    doc.settings = doc.hyperparameters;
    delete doc.hyperparameters;
    return doc;
  };
  const rename: Migration = ({ settings, ...rest }) => ({ ...rest, hyperparameters: settings, version: 1 });

  it('an older document loads through its migration step and says it was migrated', () => {
    const result = parseProject(JSON.stringify(v0()), { ...MIGRATIONS, 0: rename });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.migratedFrom).toBe(0);
    expect(result.project.hyperparameters).toEqual(document().hyperparameters);
    expect(serialiseProject(result.project)).toBe(serialiseProject(load(JSON.stringify(document()))));
  });

  it('without a migration step, an old version is refused with the reason', () => {
    const error = errorOf(v0());
    expect(error.path).toBe('version');
    expect(error.message).toMatch(/version 0 can no longer be read/);
  });

  it('a migration that does not produce the next version is caught', () => {
    const result = parseProject(JSON.stringify(v0()), { 0: (doc) => ({ ...doc, version: 5 }) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/did not produce version 1/);
  });

  it('a migration whose output is still invalid fails validation like any file', () => {
    const result = parseProject(JSON.stringify(v0()), { ...MIGRATIONS, 0: (doc) => ({ ...doc, version: 1 }) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.path).toBe('hyperparameters');
  });
});

describe('version 1 files (before the training state and the columnar history)', () => {
  const v1Text = () => readFileSync(new URL('./support/v1-xor-sigmoid-12-epochs.nnproj', import.meta.url), 'utf8');

  it('a stored version 1 document opens, migrated through version 2: the same weights, history and view, no training state, gradient descent; it saves as version 3', () => {
    const v1 = JSON.parse(v1Text());
    expect(v1.version).toBe(1);
    const result = parseProject(v1Text());
    if (!result.ok) throw result.error;
    expect(result.migratedFrom).toBe(1);
    const project = result.project;
    expect(project.version).toBe(3);
    expect(project.graph).toEqual(v1.graph);
    // Version 3 names the optimiser: a version 1 file trained with gradient descent and momentum α.
    expect(project.hyperparameters).toEqual({ ...v1.hyperparameters, ...MIGRATED_SETTINGS });
    expect(project.view).toEqual(v1.view);
    expect(project.training.epoch).toBe(12);
    expect(project.training.history).toEqual(v1.training.history);
    expect([project.training.optimiser, project.training.rng, project.training.position, project.training.earlyStopping]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    // It trains on from its weights, momentum and the order starting afresh, without a notice.
    const session = openSession(project, 'train');
    expect(session.notices).toEqual([]);
    expect(session.trainer.epoch).toBe(12);
    const saved = JSON.parse(serialiseProject(project));
    expect(saved.version).toBe(3);
    expect(saved.training.history.epoch).toEqual(v1.training.history.map((r: { epoch: number }) => r.epoch));
    expect(saved.training.history.loss).toEqual(v1.training.history.map((r: { loss: number }) => r.loss));
    expect(saved.training.history.validationLoss).toBeNull();
    expect(load(serialiseProject(project))).toEqual(project);
  });

  it('a version 1 history joined from several runs is put in order, the later record of an epoch kept', () => {
    const v1 = JSON.parse(v1Text());
    const [a, b, c] = v1.training.history;
    v1.training.history = [a, b, c, { ...b, loss: 0.5 }, { ...c, loss: 0.25 }];
    const project = load(JSON.stringify(v1));
    expect(project.training.history.map((r) => [r.epoch, r.loss])).toEqual([
      [1, a.loss],
      [2, 0.5],
      [3, 0.25],
    ]);
  });

  it('a bad record of a version 1 history is named by its version 1 path', () => {
    const v1 = JSON.parse(v1Text());
    v1.training.history[3].loss = 'low';
    const error = errorOf(v1);
    expect(error.path).toBe('training.history[3].loss');
    expect(error.message).toMatch(/expected number/);
  });
});

describe('version 2 files (before the optimiser registry)', () => {
  // Both written by NN Studio at format version 2 (commit 7200d5c): XOR trained with momentum 0.9,
  // shuffled, for 3 epochs and 2 samples and saved mid-epoch; and that file opened and trained on for
  // 5 epochs (the target loss and the epoch limit off), then saved.
  const fixture = (name: string) => readFileSync(new URL(`./support/${name}`, import.meta.url), 'utf8');
  const v2Text = () => fixture('v2-xor-sigmoid-epoch-3-mid-epoch.nnproj');
  const v2TrainedOnText = () => fixture('v2-xor-sigmoid-epoch-3-mid-epoch-then-5.nnproj');
  const trainOn = (project: Project, epochs: number) => {
    const session = openSession(project, 'train', { ...project.hyperparameters, targetLoss: null, maxEpochs: 1_000_000 });
    expect(session.notices).toEqual([]);
    session.trainer.run({ epochs });
    return projectFromSession(project, session);
  };

  it("momentum's memory becomes gradient descent's with no steps counted; the hyperparameters name sgd and the settings' defaults", () => {
    const v2 = JSON.parse(v2Text());
    expect([v2.version, v2.training.optimiser.kind]).toEqual([2, 'momentum']);
    const result = parseProject(v2Text());
    if (!result.ok) throw result.error;
    expect(result.migratedFrom).toBe(2);
    const project = result.project;
    expect(project.version).toBe(3);
    const migrated = { kind: 'sgd', step: 0, slots: { velocity: v2.training.optimiser.velocity } };
    expect(project.training.optimiser).toEqual(migrated);
    expect(project.hyperparameters).toEqual({ ...v2.hyperparameters, ...MIGRATED_SETTINGS });
    expect(project.graph).toEqual(v2.graph);
    const { epoch, rng, position, earlyStopping } = project.training;
    expect({ epoch, rng, position, earlyStopping }).toEqual({
      epoch: v2.training.epoch,
      rng: v2.training.rng,
      position: v2.training.position,
      earlyStopping: v2.training.earlyStopping,
    });
    const saved = JSON.parse(serialiseProject(project));
    expect(saved.version).toBe(3);
    expect(saved.training.optimiser).toEqual(migrated);
  });

  it('it trains on bit for bit as version 2 did: 5 more epochs give the file version 2 saved, but for the step count', () => {
    const project = load(v2Text());
    const resumed = trainOn(project, 5);
    // The version 2 run's file, migrated too (its step count is 0, version 2 did not count them).
    const expected = load(v2TrainedOnText());
    expect(resumed.training.epoch).toBe(8);
    // The 2 samples left of epoch 4, then 4 epochs of 4 samples.
    expect(resumed.training.optimiser!.step).toBe(2 + 4 * 4);
    const uncounted: Project = { ...resumed, training: { ...resumed.training, optimiser: { ...resumed.training.optimiser!, step: 0 } } };
    expect(serialiseProject(uncounted)).toBe(serialiseProject(expected));
    expect(resumed.graph).toEqual(expected.graph);

    // The migrated memory is what made it so: with it at zero, the same 5 epochs take other steps.
    const velocity = structuredClone(project.training.optimiser!.slots.velocity);
    for (const id of Object.keys(velocity.weights)) velocity.weights[id] = 0;
    for (const id of Object.keys(velocity.biases)) velocity.biases[id] = 0;
    const forgotten = trainOn(
      { ...project, training: { ...project.training, optimiser: { kind: 'sgd', step: 0, slots: { velocity } } } },
      5,
    );
    expect(forgotten.graph.edges[0].weight).not.toBe(expected.graph.edges[0].weight);
  });
});

describe('the stored history and training state', () => {
  it('a project file may hold its history as a list of records (as JSON.stringify of a project writes it)', () => {
    const base = findExample('iris')!.create();
    const session = openSession(base, 'train', { ...base.hyperparameters, maxEpochs: 3 });
    session.trainer.run();
    const project = projectFromSession(base, session);
    const loaded = load(JSON.stringify(project));
    expect(loaded.training).toEqual(project.training);
    expect(serialiseProject(loaded)).toBe(serialiseProject(project));
  });

  it('columns of different lengths, and epochs that do not increase, are refused with their path', () => {
    const doc = document();
    doc.training.history = { epoch: [1, 2], loss: [0.5], accuracy: null, validationLoss: null, validationAccuracy: null };
    expect(errorOf(doc).path).toBe('training.history.loss');
    const doc2 = document();
    doc2.training.history = { epoch: [1, 3, 3], loss: [0.5, 0.4, 0.3], accuracy: null, validationLoss: null, validationAccuracy: null };
    const error = errorOf(doc2);
    expect(error.path).toBe('training.history.epoch[2]');
    expect(error.message).toMatch(/epochs must increase, but 3 follows 3/);
  });

  it('a trained project keeps its state exactly, −0 included, and a bad state is named by its path', () => {
    const base = findExample('iris')!.create();
    const session = openSession(base, 'train');
    session.trainer.step('batch');
    session.trainer.optimiserState.slots[0][0] = -0;
    const project = projectFromSession(base, session);
    const text = serialiseProject(project);
    const loaded = load(text);
    expect(loaded.training).toEqual(project.training);
    expect(loaded.training.optimiser!.kind).toBe('sgd');
    expect(loaded.training.optimiser!.step).toBe(1); // one mini-batch
    const first = Object.values(loaded.training.optimiser!.slots.velocity.weights)[0] as number[][];
    expect(Object.is(first[0][0], -0)).toBe(true);
    expect(serialiseProject(loaded)).toBe(text);

    const doc = JSON.parse(text);
    doc.training.position.next = doc.training.position.samples;
    expect(errorOf(doc).path).toBe('training.position.next');
    const doc2 = JSON.parse(text);
    doc2.training.rng = [1, 2, 3, 2 ** 32];
    expect(errorOf(doc2).path).toBe('training.rng[3]');
    const doc3 = JSON.parse(text);
    doc3.training.optimiser.kind = 'momentum'; // version 2's name; version 3 calls it sgd
    expect(errorOf(doc3).path).toBe('training.optimiser.kind');
    // Another optimiser's name over gradient descent's memory: Adam's slots are missing, gradient descent's is not Adam's.
    const doc4 = JSON.parse(text);
    doc4.training.optimiser.kind = 'adam';
    const error = errorOf(doc4);
    expect(error.path).toBe('training.optimiser.slots.mean');
    expect(error.message).toMatch(/is missing \(adam keeps it\)/);
    const doc5 = JSON.parse(text);
    doc5.training.optimiser.step = 1.5;
    expect(errorOf(doc5).path).toBe('training.optimiser.step');
  });
});

describe('the published JSON Schema', () => {
  it('docs/nnproj.schema.json is what the loader’s schema generates (run `npm run schema` after changing it)', () => {
    const published = readFileSync(new URL('../docs/nnproj.schema.json', import.meta.url), 'utf8');
    expect(published).toBe(projectJsonSchema());
    const schema = JSON.parse(published);
    expect(schema.required).toEqual(
      expect.arrayContaining(['format', 'version', 'graph', 'dataset', 'hyperparameters', 'training', 'view']),
    );
  });
});

describe('fuzz: the loader returns a project or its own error, nothing else', () => {
  const loadsCleanly = (text: string) => {
    const result = parseProject(text);
    if (result.ok) {
      // Whatever loads must save, and save stably.
      const saved = serialiseProject(result.project);
      expect(serialiseProject(load(saved))).toBe(saved);
    } else {
      expect(result.error).toBeInstanceOf(ProjectFormatError);
      expect(result.error.message.length).toBeGreaterThan(0);
    }
  };

  it('arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => loadsCleanly(JSON.stringify(value))),
      { numRuns: 500 },
    );
  });

  it('arbitrary bytes and strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => loadsCleanly(new TextDecoder().decode(bytes))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => loadsCleanly(text)),
      { numRuns: 300 },
    );
  });

  it('arbitrary objects that claim to be projects', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (extra) =>
        loadsCleanly(JSON.stringify({ format: 'nnstudio-project', version: 1, ...extra })),
      ),
      { numRuns: 300 },
    );
  });

  /** Every path to a value inside a JSON document. */
  function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (value === null || typeof value !== 'object') return [prefix];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  }

  it('mutations of valid projects: a value replaced, a key removed, a value duplicated into an array', () => {
    const bases = EXAMPLES.map((e) => JSON.parse(serialiseProject(e.create())) as Record<string, unknown>);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.nat(),
        fc.constantFrom('replace', 'delete', 'push'),
        fc.jsonValue(),
        (b, pick, kind, replacement) => {
          const doc = structuredClone(bases[b]);
          const paths = pathsOf(doc).filter((p) => p.length > 0);
          const path = paths[pick % paths.length];
          const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], doc);
          const key = path[path.length - 1];
          if (kind === 'replace') parent[key] = replacement;
          else if (kind === 'delete') {
            if (Array.isArray(parent)) parent.splice(key as number, 1);
            else delete parent[key];
          } else if (Array.isArray(parent)) parent.push(replacement);
          else parent[key] = [parent[key], replacement];
          loadsCleanly(JSON.stringify(doc));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('loadProjectValue takes values that never went through JSON (IPC) without throwing', () => {
    for (const value of [undefined, null, () => 1, Symbol('x'), new Map(), { format: 'nnstudio-project', version: 1n }]) {
      const result = loadProjectValue(value);
      expect(result.ok).toBe(false);
    }
    const cyclic: Record<string, unknown> = { format: 'nnstudio-project', version: 1 };
    cyclic.graph = cyclic;
    expect(loadProjectValue(cyclic).ok).toBe(false);
  });
});

describe('example projects keep what they promise in the document', () => {
  it('every example is a valid project and names a dataset the network fits', () => {
    for (const example of EXAMPLES) {
      const project: Project = example.create();
      expect(() => openSession(project, 'evaluate'), example.name).not.toThrow();
    }
  });
});

/**
 * Batched inference (engine/src/fast/batch-forward.ts) against the per-sample forward pass it
 * replaces: outputs and every unit's z on random DAGs and on every activation, across chunk
 * boundaries and with both matrix products; evaluation's loss, accuracy and confusion matrix
 * against the per-sample computation they used to be.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  EXAMPLES,
  FORWARD_CHUNK_DOUBLES,
  FORWARD_CHUNK_ROWS,
  ForwardPlan,
  LOSS_NAMES,
  activationsFor,
  bindData,
  compileOrThrow,
  createRng,
  createWorkspace,
  evaluate,
  evaluateProject,
  forward,
  forwardBatch,
  isClassifier,
  isElementwise,
  newProject,
  outputCorrect,
  predict,
  projectData,
  readParameters,
  sampleLoss,
  writeParameters,
  type Activation,
  type BoundData,
  type CompiledModel,
  type Graph,
  type GraphNode,
  type LossName,
  type Project,
} from '../engine/src/index';
import { randomProblem } from './support/random-dag';

const PRODUCTS = ['auto', 'typescript'] as const;

/** Every slot's z for every row, one sample at a time: the reference. */
function perSample(model: CompiledModel, params: ArrayLike<number>, x: ArrayLike<number>, rows: number): Float64Array[] {
  const ws = createWorkspace(model);
  return Array.from({ length: rows }, (_, n) => {
    forward(model, params, x, n * model.features.length, ws);
    return ws.z.slice();
  });
}

/** Largest |a − b| relative to max(1, |b|), refusing any NaN that is not on both sides. */
function worstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i]) || Number.isNaN(actual[i])) {
      expect(Number.isNaN(actual[i])).toBe(Number.isNaN(expected[i]));
      continue;
    }
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  }
  return worst;
}

/** Checks outputs and every slot of every row against the per-sample pass. */
function checkAgainstPerSample(
  model: CompiledModel,
  params: ArrayLike<number>,
  x: ArrayLike<number>,
  rows: number,
  plan: ForwardPlan,
): void {
  const reference = perSample(model, params, x, rows);
  const nt = model.targets.length;
  const out = new Float64Array(rows * nt).fill(NaN);
  const slots = Array.from({ length: model.slotCount }, (_, slot) => slot);
  const values = new Float64Array(rows * slots.length).fill(NaN);
  forwardBatch(model, params, x, rows, out, { slots, slotValues: values, plan });
  const expectedOut = new Float64Array(rows * nt);
  reference.forEach((z, n) => {
    for (const node of model.outputs)
      for (let k = 0; k < node.units; k++) expectedOut[n * nt + node.output!.targetStart + k] = z[node.start + k];
  });
  const expectedSlots = new Float64Array(rows * slots.length);
  reference.forEach((z, n) => expectedSlots.set(z, n * slots.length));
  expect(worstDifference(out, expectedOut)).toBeLessThan(1e-14);
  expect(worstDifference(values, expectedSlots)).toBeLessThan(1e-14);
}

describe('forwardBatch against the per-sample forward pass', () => {
  for (const products of PRODUCTS) {
    it(`random DAGs (skip connections, bias nodes, softmax layers, several outputs), ${products} products, several chunks`, () => {
      const seen = new Set<Activation>();
      for (let seed = 1; seed <= 40; seed++) {
        const problem = randomProblem(seed, LOSS_NAMES[seed % LOSS_NAMES.length], 23);
        for (const node of problem.model.computing) seen.add(node.activation);
        const plan = new ForwardPlan(problem.model, { chunkRows: 5, products });
        if (products === 'typescript') expect(plan.products).toBe('typescript');
        checkAgainstPerSample(problem.model, problem.params, problem.data.x, problem.data.size, plan);
      }
      // The random networks reach every trainable activation, softmax layers included.
      expect([...seen].sort()).toEqual(
        activationsFor('dense')
          .filter((a) => ACTIVATIONS[a].differentiable)
          .sort(),
      );
    });
  }

  it('every activation of the registry, step and sign included, as neurons, perceptrons and layers', () => {
    const covered = new Set<string>();
    for (const activation of Object.keys(ACTIVATIONS) as Activation[]) {
      for (const kind of ['dense', 'neuron', 'perceptron'] as const) {
        if (!(activationsFor(kind) as readonly Activation[]).includes(activation)) continue;
        const model = compileOrThrow(activationNetwork(activation, kind));
        covered.add(`${kind}:${activation}`);
        const rng = createRng(activation.length * 31 + kind.length);
        const rows = 37;
        const x = Float64Array.from({ length: rows * model.features.length }, () => rng.normal() * 2);
        for (const products of PRODUCTS)
          checkAgainstPerSample(model, readParameters(model), x, rows, new ForwardPlan(model, { chunkRows: 8, products }));
      }
    }
    for (const activation of Object.keys(ACTIVATIONS)) expect([...covered].some((c) => c.endsWith(`:${activation}`))).toBe(true);
    expect(
      covered.has('perceptron:step') && covered.has('perceptron:sign') && covered.has('neuron:sigmoid') && covered.has('dense:softmax'),
    ).toBe(true);
  });

  it('chunk boundaries: chunk − 1, chunk, chunk + 1, two chunks and a bit, 1 and 0 rows, each chunk visited once in order', () => {
    const problem = randomProblem(7, 'squaredError', 40);
    const chunk = 8;
    for (const rows of [chunk - 1, chunk, chunk + 1, 2 * chunk + 3, 1, 0]) {
      for (const products of PRODUCTS) {
        const plan = new ForwardPlan(problem.model, { chunkRows: chunk, products });
        checkAgainstPerSample(problem.model, problem.params, problem.data.x, rows, plan);
        const visits: [number, number][] = [];
        plan.run(problem.params, problem.data.x, rows, (c) => visits.push([c.first, c.rows]));
        const expected: [number, number][] = [];
        for (let first = 0; first < rows; first += chunk) expected.push([first, Math.min(chunk, rows - first)]);
        expect(visits).toEqual(expected);
      }
    }
  });

  it('a wide dense chain (the data read whole, a layer read whole) and plain arrays as inputs', () => {
    const model = compileOrThrow(denseChain([20, 16, 3], ['relu', 'softmax']));
    const rng = createRng(3);
    const params = Float64Array.from({ length: model.paramCount }, () => rng.normal() * 0.3);
    const rows = 300;
    const x = Float64Array.from({ length: rows * 20 }, () => rng.next());
    for (const products of PRODUCTS) checkAgainstPerSample(model, params, x, rows, new ForwardPlan(model, { products }));
    // predict (one row, a plain array) is the same pass.
    const ws = createWorkspace(model);
    for (const n of [0, 1, 299]) {
      const row = Array.from(x.subarray(n * 20, n * 20 + 20));
      forward(model, params, row, 0, ws);
      expect(worstDifference(predict(model, params, row), ws.z.subarray(model.outputs[0].start, model.outputs[0].start + 3))).toBeLessThan(
        1e-14,
      );
    }
  });

  it('memory is bounded by the network, not the rows: a chunk holds at most so many rows and numbers', () => {
    const narrow = new ForwardPlan(compileOrThrow(denseChain([2, 4, 1], ['tanh', 'sigmoid'])));
    expect(narrow.chunkRows).toBe(FORWARD_CHUNK_ROWS);
    // 2 inputs, 20,000 units and 1: s and z of each unit per row.
    const wideModel = compileOrThrow(denseChain([2, 20_000, 1], ['tanh', 'linear']));
    const wide = new ForwardPlan(wideModel, { products: 'typescript' });
    expect(wide.chunkRows).toBeLessThan(FORWARD_CHUNK_ROWS);
    expect(wide.chunkRows * (2 + 2 * 20_000 + 2)).toBeLessThanOrEqual(FORWARD_CHUNK_DOUBLES);
    // 300 rows through it come in chunks of that size, and agree with the per-sample pass.
    const rng = createRng(11);
    const params = Float64Array.from({ length: wideModel.paramCount }, () => rng.normal() * 0.01);
    const x = Float64Array.from({ length: 600 }, () => rng.normal());
    let chunks = 0;
    wide.run(params, x, 300, (c) => {
      chunks++;
      expect(c.rows).toBeLessThanOrEqual(wide.chunkRows);
    });
    expect(chunks).toBe(Math.ceil(300 / wide.chunkRows));
    const out = new Float64Array(300);
    forwardBatch(wideModel, params, x, 300, out, { plan: wide });
    const ws = createWorkspace(wideModel);
    for (const n of [0, 149, 299]) {
      forward(wideModel, params, x, n * 2, ws);
      expect(Math.abs(out[n] - ws.z[wideModel.outputs[0].start])).toBeLessThan(1e-14 * Math.max(1, Math.abs(out[n])));
    }
  });

  it('refuses arrays too short for the rows, and a nested pass gets its own plan', () => {
    const model = compileOrThrow(denseChain([2, 3, 1], ['tanh', 'sigmoid']));
    const params = readParameters(model);
    expect(() => forwardBatch(model, params, new Float64Array(5), 3, new Float64Array(3))).toThrow(
      '3 rows of 2 features need 6 numbers but 5 were given.',
    );
    expect(() => forwardBatch(model, params, new Float64Array(6), 3, new Float64Array(2))).toThrow(/room for 3 numbers but out holds 2/);
    expect(() => forwardBatch(model, params.subarray(1), new Float64Array(6), 3, null)).toThrow(/parameters but/);
    expect(() => forwardBatch(model, params, new Float64Array(6), 3, null, { slots: [model.slotCount] })).toThrow(
      /room for 3 numbers in slotValues/,
    );
    const plan = new ForwardPlan(model);
    const x = Float64Array.from([0.1, 0.2, 0.3, 0.4]);
    const inner: number[] = [];
    plan.run(params, x, 2, () => {
      expect(() => plan.run(params, x, 2, () => undefined)).toThrow(/already running/);
      // evaluate inside a pass of the shared plan takes a fresh one rather than clobbering it.
      inner.push(predict(model, params, [0.1, 0.2])[0]);
    });
    expect(inner).toHaveLength(1);
  });
});

/** The evaluation as it was, one sample at a time: the reference for the batched one. */
function evaluatePerSample(model: CompiledModel, params: ArrayLike<number>, data: BoundData, loss: LossName) {
  const ws = createWorkspace(model);
  const nf = model.features.length;
  const nt = model.targets.length;
  const classifier = isClassifier(model);
  let total = 0;
  let correct = 0;
  for (let n = 0; n < data.size; n++) {
    forward(model, params, data.x, n * nf, ws);
    total += sampleLoss(model, loss, ws, data.t, n * nt);
    if (classifier && model.outputs.every((node) => outputCorrect(node, ws.z, data.t, n * nt))) correct++;
  }
  return { loss: data.size > 0 ? total / data.size : 0, accuracy: classifier && data.size > 0 ? correct / data.size : null };
}

/** The confusion matrix as it was computed (true class by row, predicted by column), per sample. */
function confusionPerSample(model: CompiledModel, params: ArrayLike<number>, data: BoundData): number[][] | null {
  if (!isClassifier(model) || model.outputs.length !== 1) return null;
  const node = model.outputs[0];
  const nt = model.targets.length;
  const ws = createWorkspace(model);
  let classOf: (v: ArrayLike<number>, at: number) => number;
  let classes: number;
  if (node.units > 1 && !isElementwise(node.activation)) {
    classes = node.units;
    classOf = (v, at) => {
      let best = 0;
      for (let k = 1; k < node.units; k++) if (v[at + k] > v[at + best]) best = k;
      return best;
    };
  } else if (node.units === 1) {
    const threshold = ACTIVATIONS[node.activation].output === 'signed' ? 0 : 0.5;
    classes = 2;
    classOf = (v, at) => (v[at] > threshold ? 1 : 0);
  } else return null;
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let n = 0; n < data.size; n++) {
    forward(model, params, data.x, n * model.features.length, ws);
    matrix[classOf(data.t, n * nt + node.output!.targetStart)][classOf(ws.z, node.start)]++;
  }
  return matrix;
}

describe('evaluation through the batched pass', () => {
  it('loss and accuracy equal the per-sample evaluation on random DAGs, over many chunks', () => {
    let classifiers = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const loss = LOSS_NAMES[seed % LOSS_NAMES.length];
      const problem = randomProblem(seed, loss, 600); // more rows than one chunk
      const expected = evaluatePerSample(problem.model, problem.params, problem.data, loss);
      const actual = evaluate(problem.model, problem.params, problem.data, loss);
      expect(Math.abs(actual.loss - expected.loss)).toBeLessThan(1e-14 * Math.max(1, Math.abs(expected.loss)));
      expect(actual.accuracy).toBe(expected.accuracy);
      if (expected.accuracy !== null) classifiers++;
    }
    expect(classifiers).toBeGreaterThan(3);
  });

  it('every example project and a regression: each split’s loss, accuracy and confusion matrix, and the regression points', () => {
    let confusions = 0;
    let regressions = 0;
    for (const project of [...EXAMPLES.map((example) => example.create()), curveProject()]) {
      const result = evaluateProject(project);
      const model = compileOrThrow(project.graph);
      const params = readParameters(model);
      const session = splitsOf(project, model);
      for (const split of ['train', 'validation', 'test'] as const) {
        const data = session[split];
        const expected = evaluatePerSample(model, params, data, project.hyperparameters.loss);
        const actual = result.splits[split];
        expect(actual.size).toBe(data.size);
        expect(Math.abs(actual.loss - expected.loss)).toBeLessThan(1e-14 * Math.max(1, Math.abs(expected.loss)));
        expect(actual.accuracy).toBe(expected.accuracy);
        const confusion = confusionPerSample(model, params, data);
        expect(actual.confusion?.matrix ?? null).toEqual(confusion);
        if (confusion && data.size > 0) confusions++;
        if (result.regression) {
          const output = model.outputs.find((node) => ACTIVATIONS[node.activation].output === 'regression')!;
          const z = perSample(model, params, data.x, data.size).map((slots) => slots[output.start]);
          const points = result.regression.points[split];
          expect(points.map((p) => p.actual)).toEqual(
            Array.from({ length: data.size }, (_, n) => data.t[n * model.targets.length + output.output!.targetStart]),
          );
          expect(
            worstDifference(
              points.map((p) => p.predicted),
              z,
            ),
          ).toBeLessThan(1e-14);
          regressions++;
        }
      }
    }
    expect(confusions).toBeGreaterThan(3);
    expect(regressions).toBeGreaterThan(0);
  });

  it('a softmax layer over 1,000 rows (several chunks per split): each split’s confusion matrix and loss as per sample', () => {
    const graph = denseChain([4, 6, 3], ['tanh', 'softmax']);
    const model = compileOrThrow(graph);
    const rng = createRng(21);
    const params = Float64Array.from({ length: model.paramCount }, () => rng.normal());
    const rows = Array.from({ length: 1_000 }, () => {
      const hot = rng.int(3);
      return [rng.normal(), rng.normal(), rng.normal(), rng.normal(), ...[0, 1, 2].map((k) => (k === hot ? 1 : 0))];
    });
    const project = {
      ...projectOf(graph, ['f0', 'f1', 'f2', 'f3'], ['t0', 't1', 't2'], rows, params),
      split: { train: 0.6, validation: 0.2, test: 0.2, seed: 3 },
    };
    const result = evaluateProject(project);
    const splits = splitsOf(project, model);
    expect(splits.train.size).toBeGreaterThan(2 * FORWARD_CHUNK_ROWS);
    let counted = 0;
    for (const split of ['train', 'validation', 'test'] as const) {
      const matrix = result.splits[split].confusion!.matrix;
      expect(matrix).toEqual(confusionPerSample(model, params, splits[split]));
      counted += matrix.flat().reduce((a, b) => a + b, 0);
      const expected = evaluatePerSample(model, params, splits[split], 'crossEntropy');
      expect(Math.abs(result.splits[split].loss - expected.loss)).toBeLessThan(1e-14 * Math.max(1, expected.loss));
      expect(result.splits[split].accuracy).toBe(expected.accuracy);
    }
    expect(counted).toBe(1_000);
  });
});

/** The project's three splits, bound to the model as evaluateProject binds them. */
function splitsOf(project: Project, model: CompiledModel): Record<'train' | 'validation' | 'test', BoundData> {
  const prepared = projectData(project);
  return {
    train: bindData(model, prepared.train),
    validation: bindData(model, prepared.validation),
    test: bindData(model, prepared.test),
  };
}

function projectOf(graph: Graph, features: string[], targets: string[], rows: number[][], params: Float64Array): Project {
  const model = compileOrThrow(graph);
  const base = newProject({ name: 'batched', graph, dataset: { kind: 'inline', features, targets, rows } });
  return { ...base, graph: writeParameters(model, graph, params), hyperparameters: { ...base.hyperparameters, loss: 'crossEntropy' } };
}

/** The 1-D curve through a 1-8-1 tanh network with a linear output, split three ways and standardised. */
function curveProject(): Project {
  const graph = denseChain([1, 8, 1], ['tanh', 'linear']);
  graph.nodes[0] = { id: 'f0', kind: 'input', feature: 'x' };
  (graph.nodes[2] as { output: { targets: string[] } }).output = { targets: ['y'] };
  return newProject({
    name: 'curve',
    graph,
    dataset: { kind: 'builtin', name: 'curve', size: 700, noise: 0.1, seed: 4, encoding: '01' },
    split: { train: 0.6, validation: 0.2, test: 0.2, seed: 2 },
    normalisation: 'standardise',
  });
}

/** A chain of dense layers from input nodes `f0…`, fully connected, the last the output. */
function denseChain(sizes: number[], activations: Activation[]): Graph {
  const features = Array.from({ length: sizes[0] }, (_, i) => `f${i}`);
  const nodes: GraphNode[] = features.map((f) => ({ id: f, kind: 'input', feature: f }));
  const edges: Graph['edges'] = [];
  let previous = features.map((id) => ({ id, units: 1 }));
  const rng = createRng(sizes.length * 13 + sizes[1]);
  activations.forEach((activation, l) => {
    const id = `L${l}`;
    const units = sizes[l + 1];
    const last = l === activations.length - 1;
    nodes.push({
      id,
      kind: 'dense',
      units,
      activation,
      bias: Array.from({ length: units }, () => rng.normal() * 0.1),
      ...(last ? { output: { targets: Array.from({ length: units }, (_, k) => `t${k}`) } } : {}),
    } as GraphNode);
    for (const source of previous)
      edges.push({
        id: `${source.id}->${id}`,
        source: source.id,
        target: id,
        weight: Array.from({ length: units }, () => Array.from({ length: source.units }, () => rng.normal() * 0.5)),
      });
    previous = [{ id, units }];
  });
  return { nodes, edges };
}

/**
 * Three inputs and a bias node into a `kind` node of `activation` (a layer of 3, or a single
 * neuron or perceptron), fed also by a skip connection, into a linear output reading both:
 * gathered inputs, a node read whole and a bias column.
 */
function activationNetwork(activation: Activation, kind: 'dense' | 'neuron' | 'perceptron'): Graph {
  const rng = createRng(activation.length * 7 + activation.charCodeAt(0) + kind.length);
  const w = (rows: number, cols: number) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
  const units = kind === 'dense' ? 3 : 1;
  const hidden = (
    kind === 'dense'
      ? { id: 'h', kind, units: 3, activation, bias: Array.from({ length: 3 }, () => rng.normal()) }
      : { id: 'h', kind, activation, bias: rng.normal() }
  ) as GraphNode;
  return {
    nodes: [
      { id: 'a', kind: 'input', feature: 'f0' },
      { id: 'b', kind: 'input', feature: 'f1' },
      { id: 'c', kind: 'input', feature: 'f2' },
      { id: 'one', kind: 'bias' },
      hidden,
      { id: 'o', kind: 'dense', units: 2, activation: 'linear', bias: [0.1, -0.2], output: { targets: ['t0', 't1'] } },
    ],
    edges: [
      { id: 'a->h', source: 'a', target: 'h', weight: w(units, 1) },
      { id: 'c->h', source: 'c', target: 'h', weight: w(units, 1) },
      { id: 'one->h', source: 'one', target: 'h', weight: w(units, 1) },
      { id: 'h->o', source: 'h', target: 'o', weight: w(2, units) },
      { id: 'b->o', source: 'b', target: 'o', weight: w(2, 1) },
    ],
  };
}

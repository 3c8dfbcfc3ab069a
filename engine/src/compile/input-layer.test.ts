/**
 * The input layer: one node holding N features, as a dense layer holds N units. The compiler gives
 * it one value slot per feature, checks its features against the data as it checks single inputs
 * (naming the layer), and the compiled maths is the maths of the same network drawn with N single
 * inputs: the same outputs, gradients, trace and training steps, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  Trainer,
  backward,
  bindData,
  compileGraph,
  compileOrThrow,
  createRng,
  createWorkspace,
  datasetFromRows,
  forward,
  newProject,
  parseProject,
  predict,
  readParameters,
  serialiseProject,
  traceStep,
  type CompileOptions,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type Hyperparameters,
  type LossName,
} from '../index';

const FEATURES = ['mean_radius', 'mean_texture', 'mean_area', 'worst_smoothness'];
const TARGETS = ['malignant'];

/** Weights `[target unit][source unit]` drawn from a seed, the same for both drawings. */
function weights(seed: number, rows: number, cols: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
}

/**
 * A 4-3-1 network (tanh hidden layer, sigmoid output) with a skip edge from the inputs to the
 * output, drawn with one input layer or with four single inputs; the weight columns of the single
 * inputs are the columns of the layer's matrices, so both drawings hold the same numbers.
 */
function network(drawing: 'layer' | 'single'): Graph {
  const hidden = weights(1, 3, FEATURES.length);
  const skip = weights(2, 1, FEATURES.length);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  if (drawing === 'layer') {
    nodes.push({ id: 'in', kind: 'inputLayer', label: 'cells', features: [...FEATURES] });
    edges.push({ id: 'in->h', source: 'in', target: 'h', weight: hidden });
    edges.push({ id: 'in->y', source: 'in', target: 'y', weight: skip });
  } else {
    FEATURES.forEach((f, i) => {
      // Labelled by the feature, as the layer names its units: the traces then read alike.
      nodes.push({ id: `x${i}`, kind: 'input', label: f, feature: f });
      edges.push({ id: `x${i}->h`, source: `x${i}`, target: 'h', weight: hidden.map((row) => [row[i]]) });
    });
    FEATURES.forEach((_, i) => edges.push({ id: `x${i}->y`, source: `x${i}`, target: 'y', weight: skip[0][i] }));
  }
  nodes.push({ id: 'h', kind: 'dense', units: 3, activation: 'tanh', bias: [0.1, -0.2, 0.3] });
  nodes.push({ id: 'y', kind: 'neuron', activation: 'sigmoid', bias: -0.1, output: { targets: TARGETS } });
  edges.push({ id: 'h->y', source: 'h', target: 'y', weight: weights(3, 1, 3) });
  return { nodes, edges };
}

function data(rows = 9) {
  const rng = createRng(7);
  return datasetFromRows(
    FEATURES,
    TARGETS,
    Array.from({ length: rows }, () => [...FEATURES.map(() => rng.normal()), rng.next() < 0.5 ? 0 : 1]),
  );
}

const withData: CompileOptions = { data: { features: FEATURES, targets: TARGETS } };

function errorsOf(graph: Graph, options: CompileOptions = {}) {
  const result = compileGraph(graph, options);
  return result.ok ? [] : result.errors;
}

/** The network with its input layer swapped for `layer` (edges kept). */
function withLayer(layer: Partial<Extract<GraphNode, { kind: 'inputLayer' }>>, graph = network('layer')): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.kind === 'inputLayer' ? { ...n, ...layer } : n)) };
}

describe('the compiler on input layers', () => {
  it('gives every feature its own value slot, in the layer’s order, named by the feature', () => {
    const graph: Graph = {
      nodes: [
        { id: 'in', kind: 'inputLayer', features: ['b', 'a', 'c'] },
        { id: 'd', kind: 'input', feature: 'd' },
        { id: 'h', kind: 'dense', units: 2, activation: 'tanh', bias: [0, 0], output: { targets: ['t1', 't2'] } },
      ],
      edges: [
        {
          id: 'in->h',
          source: 'in',
          target: 'h',
          weight: [
            [1, 2, 3],
            [4, 5, 6],
          ],
        },
        { id: 'd->h', source: 'd', target: 'h', weight: [[7], [8]] },
      ],
    };
    const model = compileOrThrow(graph);
    expect(model.inputs).toEqual([
      { nodeId: 'in', feature: 'b', slot: 0, unit: 0 },
      { nodeId: 'in', feature: 'a', slot: 1, unit: 1 },
      { nodeId: 'in', feature: 'c', slot: 2, unit: 2 },
      { nodeId: 'd', feature: 'd', slot: 3, unit: 0 },
    ]);
    expect(model.features).toEqual(['b', 'a', 'c', 'd']);
    expect(model.slotNames.slice(0, 4)).toEqual(['b', 'a', 'c', 'd']);
    expect(model.slotNodes.slice(0, 4)).toEqual(['in', 'in', 'in', 'd']);
    expect(model.slotUnits.slice(0, 4)).toEqual([0, 1, 2, 0]);
    const [h] = model.computing;
    expect(h.fanIn).toBe(4);
    expect(Array.from(h.inputSlots)).toEqual([0, 1, 2, 3]);
    // Row j of the packed matrix: the layer's three weights, then d's.
    expect(Array.from(readParameters(model))).toEqual([1, 2, 3, 7, 4, 5, 6, 8, 0, 0]);
    expect(model.paramNames).toEqual([
      'w(h[1]←b)',
      'w(h[1]←a)',
      'w(h[1]←c)',
      'w(h[1]←d)',
      'w(h[2]←b)',
      'w(h[2]←a)',
      'w(h[2]←c)',
      'w(h[2]←d)',
      'b(h[1])',
      'b(h[2])',
    ]);
    expect(Array.from(model.regularised)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(model.edges[0]).toMatchObject({ sourceStart: 0, sourceUnits: 3, weightOffset: 0, rowStride: 4 });
  });

  it('locks exactly the weights of a locked input-layer edge, and a locked bias', () => {
    const graph = network('layer');
    const locked = { ...graph, edges: graph.edges.map((e) => (e.id === 'in->y' ? { ...e, locked: true } : e)) };
    const model = compileOrThrow(locked);
    const y = model.computing.find((n) => n.id === 'y')!;
    const expected = new Uint8Array(model.paramCount);
    // y's packed row: the skip edge's four weights first (graph order), then h's three.
    expected.fill(1, y.weightOffset, y.weightOffset + 4);
    expect(Array.from(model.locked)).toEqual(Array.from(expected));
  });

  it('accepts an input layer whose features are the data’s, and refuses the unknown ones in one problem naming the layer', () => {
    expect(errorsOf(network('layer'), withData)).toEqual([]);
    const errors = errorsOf(withLayer({ features: ['mean_radius', 'radius_se', 'area_se', 'mean_area'] }), withData);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'unknown-feature', nodeId: 'in' });
    expect(errors[0].message).toContain("'cells' (in)");
    expect(errors[0].message).toContain("'radius_se', 'area_se'");
    expect(errors[0].message).toContain("'mean_texture'"); // what the data has
    const one = errorsOf(withLayer({ features: ['mean_radius', 'mean_texture', 'mean_area', 'typo'] }), withData);
    expect(one.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Input layer 'cells' \(in\) reads feature 'typo', which the dataset/),
    ]);
  });

  it('lists at most a few of a long list of unknown features', () => {
    const many = Array.from({ length: 784 }, (_, k) => `px${k}`);
    const graph = withLayer({ features: many });
    const wide = {
      ...graph,
      edges: graph.edges.map((e) => (e.source === 'in' ? { ...e, weight: weights(4, e.target === 'h' ? 3 : 1, 784) } : e)),
    };
    const errors = errorsOf(wide, withData);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('784 features');
    expect(errors[0].message).toContain('781 more');
  });

  it('refuses a feature read twice, in one layer or across inputs', () => {
    const twice = errorsOf(withLayer({ features: ['mean_radius', 'mean_texture', 'mean_radius', 'mean_area'] }));
    expect(twice).toEqual([expect.objectContaining({ code: 'duplicate-feature', nodeId: 'in' })]);
    expect(twice[0].message).toContain("reads feature 'mean_radius' twice");

    const graph = network('layer');
    const across: Graph = {
      nodes: [...graph.nodes, { id: 'x9', kind: 'input', feature: 'mean_area' }],
      edges: [...graph.edges, { id: 'x9->y', source: 'x9', target: 'y', weight: 1 }],
    };
    const errors = errorsOf(across);
    expect(errors).toEqual([expect.objectContaining({ code: 'duplicate-feature', nodeId: 'x9' })]);
    expect(errors[0].message).toBe("Inputs 'in' and 'x9' both read feature 'mean_area'.");
  });

  it('refuses a layer without features, and edges into it, naming the layer', () => {
    expect(errorsOf(withLayer({ features: [] }))).toContainEqual(expect.objectContaining({ code: 'invalid-units', nodeId: 'in' }));
    expect(errorsOf(withLayer({ features: [] }))[0].message).toMatch(/^Input layer 'cells' \(in\) reads 0 features/);
    const graph = network('layer');
    const into = { ...graph, edges: [...graph.edges, { id: 'h->in', source: 'h', target: 'in', weight: weights(5, 4, 3) }] };
    const errors = errorsOf(into);
    expect(errors).toContainEqual(expect.objectContaining({ code: 'edge-into-input', edgeId: 'h->in' }));
    expect(errors.find((e) => e.code === 'edge-into-input')!.message).toContain("goes into input layer 'cells' (in)");
  });

  it('holds the edge’s matrix to one row per target unit and one column per feature', () => {
    const graph = network('layer');
    const wrong = { ...graph, edges: graph.edges.map((e) => (e.id === 'in->h' ? { ...e, weight: weights(6, 3, 3) } : e)) };
    const errors = errorsOf(wrong);
    expect(errors).toEqual([expect.objectContaining({ code: 'weight-shape', edgeId: 'in->h' })]);
    expect(errors[0].message).toContain('needs a 3×4 weight matrix');
    expect(errors[0].message).toContain('has 3×3');
  });

  it('warns about an input layer that feeds nothing', () => {
    const graph = network('layer');
    const alone: Graph = { nodes: [...graph.nodes, { id: 'more', kind: 'inputLayer', features: ['extra'] }], edges: graph.edges };
    const result = compileGraph(alone);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      { code: 'unused-input', severity: 'warning', message: "Input layer 'more' is not connected to anything.", nodeId: 'more' },
    ]);
  });
});

describe('an input-layer network is the same network drawn with single inputs', () => {
  const layer = compileOrThrow(network('layer'), withData);
  const single = compileOrThrow(network('single'), withData);

  it('has the same parameter vector, features, outputs and gradients', () => {
    expect(layer.features).toEqual(single.features);
    expect(layer.paramCount).toBe(single.paramCount);
    expect(Array.from(readParameters(layer))).toEqual(Array.from(readParameters(single)));
    expect(layer.paramNames).toEqual(single.paramNames);
    const set = data();
    const a = bindData(layer, set);
    const b = bindData(single, set);
    const params = readParameters(layer);
    const wa = createWorkspace(layer);
    const wb = createWorkspace(single);
    for (let n = 0; n < set.size; n++) {
      const x = Array.from(a.x.subarray(n * 4, n * 4 + 4));
      expect(predict(layer, params, x)).toEqual(predict(single, params, x));
      const ga = new Float64Array(layer.paramCount);
      const gb = new Float64Array(single.paramCount);
      forward(layer, params, a.x, n * 4, wa);
      backward(layer, params, 'crossEntropy', wa, a.t, n, ga, 1);
      forward(single, params, b.x, n * 4, wb);
      backward(single, params, 'crossEntropy', wb, b.t, n, gb, 1);
      expect(Array.from(ga)).toEqual(Array.from(gb));
      expect(ga.some((g) => g !== 0)).toBe(true);
    }
  });

  const kernels = ['interpreted', 'generated', 'batched'] as const;
  const losses: LossName[] = ['crossEntropy', 'squaredError'];
  for (const kernel of kernels) {
    for (const loss of losses) {
      it(`trains bit for bit alike: five mini-batch steps with Adam (${kernel} kernel, ${loss})`, () => {
        const hyper: Hyperparameters = {
          ...DEFAULT_HYPERPARAMETERS,
          loss,
          mode: 'minibatch',
          batchSize: 4,
          optimiser: 'adam',
          learningRate: 0.05,
          l2: 0.01,
          shuffleSeed: 3,
        };
        const set = data();
        const run = (model: typeof layer) => {
          const trainer = new Trainer({ model, params: readParameters(model), train: bindData(model, set), hyper, kernel });
          expect(trainer.kernel.kind).toBe(kernel);
          const steps: number[][] = [];
          for (let k = 0; k < 5; k++) {
            trainer.step('batch');
            steps.push(Array.from(trainer.params));
          }
          return steps;
        };
        const a = run(layer);
        const b = run(single);
        // toEqual on numbers is Object.is: bit for bit, step by step.
        expect(a).toEqual(b);
        expect(a[4]).not.toEqual(Array.from(readParameters(layer)));
      });
    }
  }

  it('traces the same step, its terms named by the features', () => {
    const hyper = { ...DEFAULT_HYPERPARAMETERS, loss: 'crossEntropy' as const, learningRate: 0.3 };
    const set = data();
    const ta = new Trainer({ model: layer, params: readParameters(layer), train: bindData(layer, set), hyper });
    const tb = new Trainer({ model: single, params: readParameters(single), train: bindData(single, set), hyper });
    const a = traceStep(layer, ta.params, ta.optimiserState, ta.train, [0, 1], hyper);
    const b = traceStep(single, tb.params, tb.optimiserState, tb.train, [0, 1], hyper);
    expect(Array.from(a.newParams)).toEqual(Array.from(b.newParams));
    expect(a.samples[0].inputs).toEqual(b.samples[0].inputs);
    expect(a.samples[0].inputs.map((i) => i.feature)).toEqual(FEATURES);
    const hidden = a.samples[0].forward.find((f) => f.nodeId === 'h')!;
    expect(hidden.terms.map((t) => t.source)).toEqual(FEATURES);
    expect(hidden.terms.map((t) => t.source)).toEqual(b.samples[0].forward.find((f) => f.nodeId === 'h')!.terms.map((t) => t.source));
    // The trace lists updates edge by edge: by parameter, the two steps are the same.
    const byParam = (trace: typeof a) => [...trace.updates].sort((u, v) => u.param - v.param).map((u) => [u.name, u.gradient, u.new]);
    expect(byParam(a)).toEqual(byParam(b));
    expect(a.updates.map((u) => u.name)).toContain('w(h[2]←mean_texture)');
  });
});

describe('an input layer in a project file', () => {
  const project = () =>
    newProject({
      name: 'cells',
      graph: network('layer'),
      dataset: { kind: 'inline', features: FEATURES, targets: TARGETS, rows: [[1, 2, 3, 4, 1]] },
    });

  it('saves and opens as it was', () => {
    const loaded = parseProject(serialiseProject(project()));
    expect(loaded.ok && loaded.project.graph).toEqual(project().graph);
  });

  it('is refused with its path when it reads no feature', () => {
    const text = serialiseProject(project()).replace(/"features": \[[^\]]*\]/, '"features": []');
    expect(text).toContain('"features": []');
    const loaded = parseProject(text);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.error.path).toBe('graph.nodes[0].features');
  });
});

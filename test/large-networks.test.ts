/**
 * Networks at NN Studio's limits: every path a project takes (load, compile, open a session,
 * train, trace, export, save and load again) works on arrays far longer than the ~125,000
 * elements a spread into a call survives. Each of these failed with "Maximum call stack size
 * exceeded" while the compiler, the session and the trace used `push(...array)`.
 */
import { describe, expect, it } from 'vitest';
import {
  EXAMPLES,
  HISTORY_BUCKETS,
  LIMITS,
  compileGraph,
  newProject,
  openSession,
  parseProject,
  projectFromSession,
  serialiseProject,
  traceStep,
  traceToLatex,
  traceToMarkdown,
  weightsDocument,
  type Graph,
  type Project,
} from '../engine/src/index';
import { exportProject } from '../engine/src/export/export-project';

const matrix = (rows: number, cols: number, at: (j: number, i: number) => number) =>
  Array.from({ length: rows }, (_, j) => Array.from({ length: cols }, (_, i) => at(j, i)));

/** x1, x2 → dense layers of the given widths (tanh) → one sigmoid neuron predicting y. */
function chain(widths: number[]): Graph {
  const nodes: Graph['nodes'] = [
    { id: 'x1', kind: 'input', feature: 'x1' },
    { id: 'x2', kind: 'input', feature: 'x2' },
  ];
  const edges: Graph['edges'] = [];
  let previous = [
    { id: 'x1', units: 1 },
    { id: 'x2', units: 1 },
  ];
  // Small deterministic weights, different everywhere, so that a misplaced one would show.
  const w = (j: number, i: number, salt: number) => Math.sin(j * 7.1 + i * 3.3 + salt) / 100;
  widths.forEach((units, l) => {
    const id = `h${l + 1}`;
    nodes.push({ id, kind: 'dense', units, activation: 'tanh', bias: Array.from({ length: units }, (_, u) => w(u, 0, l)) });
    for (const source of previous)
      edges.push({
        id: `${source.id}->${id}`,
        source: source.id,
        target: id,
        weight: matrix(units, source.units, (j, i) => w(j, i, l + 0.5)),
      });
    previous = [{ id, units }];
  });
  nodes.push({ id: 'y', kind: 'neuron', activation: 'sigmoid', bias: 0.1, output: { targets: ['y'] } });
  edges.push({
    id: `${previous[0].id}->y`,
    source: previous[0].id,
    target: 'y',
    weight: matrix(1, previous[0].units, (_, i) => w(0, i, 9)),
  });
  return { nodes, edges };
}

function project(graph: Graph): Project {
  return newProject({
    name: 'wide',
    graph,
    dataset: { kind: 'builtin', name: 'xor', size: 4, noise: 0, seed: 1, encoding: '01' },
    hyperparameters: { shuffle: false },
  });
}

function parameterCount(widths: number[]): number {
  let count = 0;
  let fanIn = 2;
  for (const units of [...widths, 1]) {
    count += units * fanIn + units;
    fanIn = units;
  }
  return count;
}

/** Element by element: a deep equality of 250,000 numbers is slower than the code under test. */
function expectSameNumbers(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  let different = 0;
  for (let k = 0; k < actual.length; k++) if (!Object.is(actual[k], expected[k])) different++;
  expect(different).toBe(0);
}

function load(text: string): Project {
  const result = parseProject(text);
  if (!result.ok) throw result.error;
  return result.project;
}

describe('a 2-500-500-1 network: one weight matrix of 250,000', () => {
  const widths = [500, 500];
  const p = project(chain(widths));

  it('compiles, trains, traces, exports, saves and loads again', () => {
    const compiled = compileGraph(p.graph);
    if (!compiled.ok) throw new Error(compiled.errors[0].message);
    expect(compiled.model.paramCount).toBe(parameterCount(widths));
    expect(compiled.model.paramNames).toHaveLength(parameterCount(widths));
    expect(compiled.model.locked).toHaveLength(parameterCount(widths));
    // The packed matrix of h2 holds its 500 × 500 incoming weights in graph order.
    const h2 = compiled.model.computing.find((n) => n.id === 'h2')!;
    expect(compiled.model.paramNames[h2.weightOffset + 3 * 500 + 7]).toBe('w(h2[4]←h1[8])');

    const session = openSession(p);
    const before = Float64Array.from(session.trainer.params);
    const report = session.trainer.step('epoch');
    expect(report.epochsCompleted).toHaveLength(1);
    expect(session.trainer.params.some((v, k) => v !== before[k])).toBe(true);

    const trace = traceStep(session.model, session.trainer.params, session.trainer.optimiserState, session.train, [0], p.hyperparameters);
    expect(trace.updates).toHaveLength(parameterCount(widths));
    // Markdown and LaTeX write a table row per parameter: 251,501 lines in one table.
    expect(traceToMarkdown(trace).split('\n').length).toBeGreaterThan(parameterCount(widths));
    expect(traceToLatex(trace).split('\n').length).toBeGreaterThan(parameterCount(widths));

    const trained = projectFromSession(p, session);
    const weights = weightsDocument(trained);
    expect(weights.parameters).toHaveLength(parameterCount(widths));
    expectSameNumbers(
      weights.parameters.map((q) => q.value),
      session.trainer.params,
    );
    expect(exportProject(trained, 'onnx')).toBeInstanceOf(Uint8Array);
    expect(exportProject(trained, 'svg')).toContain('<svg');

    const again = openSession(load(serialiseProject(trained)), 'evaluate');
    expectSameNumbers(again.trainer.params, session.trainer.params);
  });
});

describe(`a layer of ${LIMITS.unitsPerLayer.toLocaleString('en')} units, the most a layer has`, () => {
  it('compiles, trains a step, traces it and exports the weights', () => {
    const widths = [LIMITS.unitsPerLayer];
    const p = project(chain(widths));
    const session = openSession(load(serialiseProject(p)));
    expect(session.model.paramCount).toBe(parameterCount(widths));
    session.trainer.step('sample');
    const trace = traceStep(session.model, session.trainer.params, session.trainer.optimiserState, session.train, [1], p.hyperparameters);
    expect(trace.samples[0].forward).toHaveLength(LIMITS.unitsPerLayer + 1);
    expect(trace.samples[0].backward).toHaveLength(LIMITS.unitsPerLayer + 1);
    // The step the trace records is the step the trainer takes.
    session.trainer.step('sample');
    for (let k = 0; k < session.model.paramCount; k += 997) expect(trace.newParams[k]).toBeCloseTo(session.trainer.params[k], 12);
    const weights = weightsDocument(projectFromSession(p, session));
    expect(weights.edges.find((e) => e.id === 'h1->y')!.weight[0]).toHaveLength(LIMITS.unitsPerLayer);
  });
});

describe('a history of 200,000 epochs', () => {
  it('saves, loads and opens again, thinned to what its curve shows', () => {
    const base = EXAMPLES.find((e) => e.name === 'xor-sigmoid')!.create();
    const epochs = 200_000;
    const history = Array.from({ length: epochs }, (_, k) => ({
      epoch: k + 1,
      loss: 1 / (k + 2),
      accuracy: (k % 5) / 4,
      validationLoss: null,
      validationAccuracy: null,
    }));
    const p: Project = { ...base, training: { epoch: epochs, history } };
    const loaded = load(serialiseProject(p));
    expect(loaded.training.history.length).toBeLessThanOrEqual(10 * HISTORY_BUCKETS);
    expect(loaded.training.history[0]).toEqual(history[0]);
    expect(loaded.training.history.at(-1)).toEqual(history[epochs - 1]);
    const session = openSession(loaded);
    expect(session.trainer.history).toEqual(loaded.training.history);
    session.trainer.step('epoch');
    const saved = projectFromSession(loaded, session);
    expect(saved.training.history.at(-1)!.epoch).toBe(epochs + 1);
    expect(load(serialiseProject(saved)).training.epoch).toBe(epochs + 1);
  });
});

describe(`a network at the parameter limit (${LIMITS.parameters.toLocaleString('en')})`, () => {
  // x1, x2 → 2,000 → 1,995 → y: 3,999,991 parameters, 3,990,000 of them in one matrix.
  const widths = [2_000, 1_995];

  it('opens, trains a step and saves to a file that opens again', { timeout: 240_000 }, () => {
    const count = parameterCount(widths);
    expect(count).toBeLessThanOrEqual(LIMITS.parameters);
    expect(count).toBeGreaterThan(LIMITS.parameters - 100);
    const text = serialiseProject(project(chain(widths)));
    expect(text.length).toBeLessThanOrEqual(LIMITS.fileChars);
    const loaded = load(text);
    const session = openSession(loaded);
    expect(session.model.paramCount).toBe(count);
    const before = session.trainer.params[session.model.paramCount - 2];
    session.trainer.step('sample');
    expect(session.trainer.params[session.model.paramCount - 2]).not.toBe(before);
    const saved = serialiseProject(projectFromSession(loaded, session));
    const reopened = compileGraph(load(saved).graph);
    expect(reopened.ok && reopened.model.paramCount).toBe(count);
  });
});

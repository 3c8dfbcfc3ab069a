/**
 * The ONNX export, verified in ONNX Runtime: every example project (after a few epochs of training
 * where it can train) and random DAGs are exported, loaded from the bytes by onnxruntime-node, and
 * run on the project's data and on random raw inputs; the outputs must match the engine's forward
 * pass (on inputs normalised as the training session normalises them) to 1e-5.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { trained } from './support/trained';
import {
  EXAMPLES,
  compileOrThrow,
  createRng,
  createWorkspace,
  exportOnnx,
  newProject,
  openSession,
  predict,
  readParameters,
  resolveDataset,
  ExportError,
  LOSS_NAMES,
  type Project,
} from '../engine/src/index';
import { randomProblem } from './support/random-dag';

/** The engine's prediction for raw feature rows, normalised as a training session normalises them. */
function engineOutputs(project: Project, rows: number[][]): number[][] {
  const session = openSession(project, 'evaluate');
  const { model } = session;
  const stats = session.data.normalisation;
  const ws = createWorkspace(model);
  const params = readParameters(model, project.graph);
  return rows.map((raw) => {
    const x = model.features.map((name, f) => {
      if (stats.method === 'none') return raw[f];
      const entry = stats.features.find((e) => e.name === name)!;
      return (raw[f] - entry.shift) / entry.scale;
    });
    return predict(model, params, x, ws);
  });
}

async function onnxOutputs(bytes: Uint8Array, rows: number[][], precision: 'float32' | 'float64'): Promise<number[][]> {
  const session = await ort.InferenceSession.create(bytes);
  expect(session.inputNames).toEqual(['input']);
  expect(session.outputNames).toEqual(['output']);
  const width = rows[0].length;
  const data = precision === 'float32' ? Float32Array.from(rows.flat()) : Float64Array.from(rows.flat());
  const result = await session.run({ input: new ort.Tensor(precision, data, [rows.length, width]) });
  const output = result.output;
  const [n, t] = output.dims as number[];
  expect(n).toBe(rows.length);
  const values = Array.from(output.data as Float32Array | Float64Array);
  await session.release();
  return Array.from({ length: n }, (_, r) => values.slice(r * t, r * t + t));
}

function maxDifference(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((row, r) => {
    expect(row.length).toBe(b[r].length);
    row.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - b[r][c]))));
  });
  return worst;
}

/** Raw feature rows of the project in the compiled model's feature order: its data plus random points around it. */
function sampleRows(project: Project, extra: number, seed: number): number[][] {
  const data = resolveDataset(project.dataset);
  const model = compileOrThrow(project.graph);
  const columns = model.features.map((name) => data.features.indexOf(name));
  const nf = data.features.length;
  const rows: number[][] = [];
  for (let n = 0; n < Math.min(data.size, 200); n++) rows.push(columns.map((c) => data.x[n * nf + c]));
  const rng = createRng(seed);
  for (let k = 0; k < extra; k++) {
    const base = rows[rng.int(rows.length)];
    rows.push(base.map((v) => v + rng.normal() * (Math.abs(v) + 1)));
  }
  return rows;
}

describe('ONNX export runs in ONNX Runtime and matches the engine', () => {
  for (const example of EXAMPLES) {
    for (const precision of ['float32', 'float64'] as const) {
      it(`${example.name} (${precision})`, async () => {
        const project = trained(example.create(), 3);
        const rows = sampleRows(project, 50, 11);
        const bytes = exportOnnx(project, { precision });
        const difference = maxDifference(await onnxOutputs(bytes, rows, precision), engineOutputs(project, rows));
        expect(difference).toBeLessThan(precision === 'float32' ? 1e-5 : 1e-12);
      });
    }
  }

  it('the trained examples really changed (the comparison is not of initial weights only)', () => {
    const before = EXAMPLES.find((e) => e.name === 'iris')!.create();
    const after = trained(before, 3);
    expect(after.training.epoch).toBe(3);
    expect(after.graph.edges[0].weight).not.toEqual(before.graph.edges[0].weight);
    expect(after.normalisation.fitted).not.toBeNull();
  });

  it('bakes in the normalisation: the same network without it gives other outputs', async () => {
    const project = trained(EXAMPLES.find((e) => e.name === 'iris')!.create(), 3);
    const rows = sampleRows(project, 0, 1).slice(0, 20);
    const withNormalisation = await onnxOutputs(exportOnnx(project, { precision: 'float64' }), rows, 'float64');
    const without = await onnxOutputs(
      exportOnnx({ ...project, normalisation: { method: 'none', fitted: null } }, { precision: 'float64' }),
      rows,
      'float64',
    );
    expect(maxDifference(withNormalisation, without)).toBeGreaterThan(0.01);
  });

  it('an untrained project that normalises gets the statistics training would fit', async () => {
    const project = EXAMPLES.find((e) => e.name === 'spiral')!.create();
    expect(project.normalisation.fitted).toBeNull();
    const rows = sampleRows(project, 10, 3);
    const difference = maxDifference(
      await onnxOutputs(exportOnnx(project, { precision: 'float64' }), rows, 'float64'),
      engineOutputs(project, rows),
    );
    expect(difference).toBeLessThan(1e-12);
  });

  for (let seed = 1; seed <= 30; seed++) {
    it(`random DAG ${seed}: skip connections, sparse wiring, bias nodes, several outputs`, async () => {
      const problem = randomProblem(seed, LOSS_NAMES[seed % LOSS_NAMES.length], 8);
      const features = problem.model.features;
      const rows: number[][] = [];
      for (let n = 0; n < problem.data.size; n++)
        rows.push(Array.from(problem.data.x.subarray(n * features.length, (n + 1) * features.length)));
      const project = newProject({
        name: `random ${seed}`,
        graph: problem.graph,
        dataset: {
          kind: 'inline',
          features,
          targets: problem.model.targets,
          rows: rows.map((x, n) => [
            ...x,
            ...Array.from(problem.data.t.subarray(n * problem.model.targets.length, (n + 1) * problem.model.targets.length)),
          ]),
        },
      });
      const expected = rows.map((x) => predict(problem.model, problem.params, x));
      for (const precision of ['float32', 'float64'] as const) {
        const actual = await onnxOutputs(exportOnnx(project, { precision }), rows, precision);
        // Random weights give outputs of any size: float32 keeps about 7 significant digits.
        const scale = Math.max(1, ...expected.flat().map(Math.abs));
        expect(maxDifference(actual, expected) / scale).toBeLessThan(precision === 'float32' ? 1e-5 : 1e-12);
      }
    });
  }

  it('step and sign at exactly s = 0 follow the lecture (0 and −1), not ONNX Sign', async () => {
    const graph = {
      nodes: [
        { id: 'x', kind: 'input' as const, feature: 'x' },
        { id: 'step', kind: 'perceptron' as const, activation: 'step' as const, bias: 0, output: { targets: ['a'] } },
        { id: 'sign', kind: 'perceptron' as const, activation: 'sign' as const, bias: 0, output: { targets: ['b'] } },
      ],
      edges: [
        { id: 'e1', source: 'x', target: 'step', weight: 1 },
        { id: 'e2', source: 'x', target: 'sign', weight: 1 },
      ],
    };
    const project = newProject({
      name: 'thresholds',
      graph,
      dataset: { kind: 'inline', features: ['x'], targets: ['a', 'b'], rows: [[0, 0, 0]] },
    });
    const rows = [[-2], [0], [3]];
    expect(await onnxOutputs(exportOnnx(project), rows, 'float32')).toEqual([
      [0, -1],
      [0, -1],
      [1, 1],
    ]);
    expect(engineOutputs(project, rows)).toEqual([
      [0, -1],
      [0, -1],
      [1, 1],
    ]);
  });

  it('a graph that does not compile: an ExportError naming the problem', () => {
    const project = EXAMPLES.find((e) => e.name === 'xor-sigmoid')!.create();
    const broken = { ...project, graph: { ...project.graph, edges: project.graph.edges.filter((e) => e.target !== 'y') } };
    expect(() => exportOnnx(broken)).toThrow(ExportError);
    expect(() => exportOnnx(broken)).toThrow(/does not compile.*has no incoming edge/);
  });
});

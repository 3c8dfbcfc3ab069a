/**
 * Every export of a network that reads its data through one input layer (30 features, as a
 * breast-cancer table has): ONNX in ONNX Runtime, the PyTorch script in PyTorch (where torch
 * imports), the Keras script as the Sequential model it naturally is, the weights JSON and the
 * picture. The layer's features are listed in another order than the data's columns, so a column
 * taken from the wrong place shows. (The random DAGs of export-onnx and export-python hold input
 * layers mixed with single inputs too.)
 */
import * as ort from 'onnxruntime-node';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonThatRuns } from './support/python';
import { trained } from './support/trained';
import {
  createRng,
  createWorkspace,
  exportKeras,
  exportNetworkSvg,
  exportOnnx,
  exportPytorch,
  kerasLimitation,
  newProject,
  openSession,
  predict,
  prepareExport,
  readParameters,
  weightsDocument,
  type Project,
} from '../engine/src/index';

const dir = mkdtempSync(join(tmpdir(), 'nnstudio-export-layer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PYTHON = pythonThatRuns('import ast');
const TORCH_PYTHON = pythonThatRuns('import torch');

const COLUMNS = Array.from({ length: 30 }, (_, k) => `feature_${k + 1}`);
/** The layer reads the columns back to front: its unit i is the data's column 29 − i. */
const LAYER_FEATURES = [...COLUMNS].reverse();

function project(): Project {
  const rng = createRng(5);
  const rows = Array.from({ length: 80 }, () => {
    const x = COLUMNS.map((_, k) => rng.normal() * (k + 1) + k);
    return [...x, x[0] - x[29] / 30 + rng.normal() > 0 ? 1 : 0];
  });
  const matrix = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal() * 0.3));
  return trained(
    newProject({
      name: 'cells',
      graph: {
        nodes: [
          { id: 'X', kind: 'inputLayer', label: 'cells', features: LAYER_FEATURES, position: { x: 0, y: 0 } },
          { id: 'h', kind: 'dense', units: 6, activation: 'tanh', bias: new Array(6).fill(0.1), position: { x: 250, y: 0 } },
          { id: 'y', kind: 'neuron', activation: 'sigmoid', bias: 0, output: { targets: ['malignant'] }, position: { x: 500, y: 0 } },
        ],
        edges: [
          { id: 'X->h', source: 'X', target: 'h', weight: matrix(6, 30) },
          { id: 'h->y', source: 'h', target: 'y', weight: matrix(1, 6) },
        ],
      },
      dataset: { kind: 'inline', features: COLUMNS, targets: ['malignant'], rows },
      hyperparameters: { loss: 'crossEntropy', learningRate: 0.1, shuffle: false },
      normalisation: 'standardise',
    }),
    2,
  );
}

/** Raw rows in the model's feature order (the layer's), and the engine's outputs for them. */
function rowsAndOutputs(p: Project): { rows: number[][]; expected: number[][] } {
  const session = openSession(p, 'evaluate');
  const stats = session.data.normalisation;
  if (stats.method === 'none') throw new Error('the test project normalises');
  const dataset = p.dataset;
  if (dataset.kind !== 'inline') throw new Error('inline data');
  const rows = dataset.rows.slice(0, 40).map((row) => session.model.features.map((f) => row[COLUMNS.indexOf(f)]));
  const params = readParameters(session.model, p.graph);
  const ws = createWorkspace(session.model);
  const expected = rows.map((raw) =>
    predict(
      session.model,
      params,
      session.model.features.map((name, f) => {
        const entry = stats.features.find((e) => e.name === name)!;
        return (raw[f] - entry.shift) / entry.scale;
      }),
      ws,
    ),
  );
  return { rows, expected };
}

function maxDifference(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((row, r) => row.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - b[r][c])))));
  return worst;
}

describe('exports of a network with an input layer', () => {
  const p = project();

  it('trained (the exports are not of the starting weights) and reads the features in the layer’s order', () => {
    expect(p.training.epoch).toBe(2);
    expect(prepareExport(p).model.features).toEqual(LAYER_FEATURES);
  });

  it('ONNX: runs in ONNX Runtime and matches the engine', async () => {
    const { rows, expected } = rowsAndOutputs(p);
    for (const precision of ['float64', 'float32'] as const) {
      const session = await ort.InferenceSession.create(exportOnnx(p, { precision }));
      const data = precision === 'float32' ? Float32Array.from(rows.flat()) : Float64Array.from(rows.flat());
      const result = await session.run({ input: new ort.Tensor(precision, data, [rows.length, 30]) });
      const values = Array.from(result.output.data as Float64Array);
      await session.release();
      const actual = rows.map((_, r) => [values[r]]);
      expect(maxDifference(actual, expected)).toBeLessThan(precision === 'float64' ? 1e-12 : 1e-5);
    }
    // Outputs that vary: a constant network would match anything.
    expect(Math.max(...expected.map((o) => o[0])) - Math.min(...expected.map((o) => o[0]))).toBeGreaterThan(0.05);
  });

  it('Keras: a Sequential of Dense layers whose first kernel is the layer’s matrix, transposed', () => {
    const prepared = prepareExport(p);
    expect(kerasLimitation(prepared.model)).toBeNull();
    const source = exportKeras(p);
    const block = /^LAYERS = \[\n(?:.*\n)*?^\]$/m.exec(source);
    expect(block, 'the script defines LAYERS').not.toBeNull();
    if (!PYTHON) return;
    const result = spawnSync(PYTHON, ['-c', `import json\n${block![0]}\nprint(json.dumps(LAYERS))`], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    const layers = JSON.parse(result.stdout) as { units: number; kernel: number[][] }[];
    expect(layers.map((l) => l.units)).toEqual([6, 1]);
    const weight = p.graph.edges.find((e) => e.id === 'X->h')!.weight as number[][];
    expect(layers[0].kernel).toHaveLength(30);
    for (let i = 0; i < 30; i++) for (let j = 0; j < 6; j++) expect(layers[0].kernel[i][j]).toBe(weight[j][i]);
    expect(spawnSync(PYTHON, ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: source }).status).toBe(0);
  });

  it.skipIf(!TORCH_PYTHON)('PyTorch: the script’s forward pass matches the engine', () => {
    const { rows, expected } = rowsAndOutputs(p);
    writeFileSync(join(dir, 'rows.json'), JSON.stringify(rows));
    writeFileSync(join(dir, 'cells.py'), exportPytorch(p));
    const result = spawnSync(TORCH_PYTHON!, [join(dir, 'cells.py'), '--check-inputs', 'rows.json'], {
      encoding: 'utf8',
      timeout: 300_000,
      cwd: dir,
    });
    expect(result.status, result.stderr).toBe(0);
    const outputs = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as number[][];
    expect(maxDifference(outputs, expected)).toBeLessThan(1e-9);
  });

  it('weights JSON: one input entry per feature of the layer, and parameters named by the features', () => {
    const doc = weightsDocument(p);
    expect(doc.inputs.map((i) => i.node)).toEqual(new Array(30).fill('X'));
    expect(doc.inputs.map((i) => i.feature)).toEqual(LAYER_FEATURES);
    expect(doc.inputs.every((i) => i.scale !== 1 || i.shift !== 0)).toBe(true);
    expect(doc.edges.find((e) => e.id === 'X->h')!.weight).toEqual(p.graph.edges.find((e) => e.id === 'X->h')!.weight);
    expect(doc.parameters[0].name).toBe('w(h[1]←feature_30)');
    expect(doc.parameters[29].name).toBe('w(h[1]←feature_1)');
  });

  it('SVG: the layer is one unit saying how many inputs it reads, with every feature in its title', () => {
    const svg = exportNetworkSvg(p);
    const group = /<g data-node="X"><title>([^<]*)<\/title>[\s\S]*?<\/g>/.exec(svg);
    expect(group).not.toBeNull();
    expect(group![1]).toBe(`&apos;cells&apos; (X): ${LAYER_FEATURES.join(', ')}`);
    expect(group![0]).toContain('30 inputs: feature_30, …');
    expect(svg).toContain('data-edge="X-&gt;h"');
  });
});

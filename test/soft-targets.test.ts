/**
 * Cross-entropy with soft targets (issue 15, part 2). For a softmax J = −Σ_k t_k ln z_k gives
 * ∂J/∂s_k = z_k·Σt − t_k, which is the textbook z_k − t_k only when the targets sum to 1; for a
 * sigmoid ∂J/∂s_k = z_k − t_k for any t_k. Every kernel, the fused stochastic step and the trace
 * are held to fourth-order central differences of a loss this file computes itself, on rows whose
 * targets sum to 0.5, 0 and 1.7; the example t = (0.5, 0) is checked against its closed
 * form; and, where /usr/bin/python3 imports torch, against PyTorch's autograd.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  Trainer,
  backward,
  bindData,
  compileOrThrow,
  createWorkspace,
  datasetFromRows,
  forward,
  freshOptimiserState,
  gradientCheck,
  readParameters,
  traceStep,
  traceToLatex,
  traceToMarkdown,
  traceToText,
  type BoundData,
  type CompiledModel,
  type Graph,
  type StepTrace,
} from '../engine/src/index';
import { BatchedKernel } from '../engine/src/fast/batched';
import { GeneratedKernel } from '../engine/src/fast/generated';
import { InterpretedKernel, type GradientKernel } from '../engine/src/fast/gradient-kernel';

/** Better than the 1e-7 the issue asks for: the difference below is good to about 1e-12 here. */
const TOLERANCE = 1e-9;

type Output = 'softmax' | 'sigmoid';

/** Two inputs, a tanh layer of 3, a skip connection, and a 3-unit softmax or a 2-unit sigmoid output. */
function network(output: Output): Graph {
  const units = output === 'softmax' ? 3 : 2;
  const targets = Array.from({ length: units }, (_, k) => `t${k}`);
  return {
    nodes: [
      { id: 'x1', kind: 'input', feature: 'x1' },
      { id: 'x2', kind: 'input', feature: 'x2' },
      { id: 'h', kind: 'dense', units: 3, activation: 'tanh', bias: [0.1, -0.2, 0.3] },
      {
        id: 'y',
        kind: 'dense',
        units,
        activation: output,
        bias: Array.from({ length: units }, (_, k) => 0.05 * (k + 1)),
        output: { targets },
      },
    ],
    edges: [
      { id: 'x->h1', source: 'x1', target: 'h', weight: [[0.7], [-0.4], [0.2]] },
      { id: 'x->h2', source: 'x2', target: 'h', weight: [[-0.3], [0.6], [0.5]] },
      {
        id: 'h->y',
        source: 'h',
        target: 'y',
        weight: Array.from({ length: units }, (_, k) => [0.8 - 0.3 * k, -0.5 + 0.4 * k, 0.9 - 0.2 * k]),
      },
      { id: 'x1->y', source: 'x1', target: 'y', weight: Array.from({ length: units }, (_, k) => [0.25 * (k - 1)]) },
    ],
  };
}

/** Targets per row summing to 0.5, 0 and 1.7 (a sigmoid's each within [0, 1], as probabilities). */
const SOFT: Record<Output, number[][]> = {
  softmax: [
    [0.2, 0.3, 0],
    [0, 0, 0],
    [1, 0.5, 0.2],
  ],
  sigmoid: [
    [0.5, 0],
    [0, 0],
    [0.9, 0.8],
  ],
};

function problem(output: Output, targets: number[][] = SOFT[output]): { model: CompiledModel; params: Float64Array; data: BoundData } {
  const graph = network(output);
  const model = compileOrThrow(graph);
  const inputs = [
    [0.3, -1.2],
    [-0.8, 0.5],
    [1.1, 0.9],
  ];
  const rows = targets.map((t, n) => [...inputs[n % inputs.length], ...t]);
  const data = bindData(model, datasetFromRows(['x1', 'x2'], model.targets, rows));
  return { model, params: readParameters(model, graph), data };
}

/**
 * One sample's cross-entropy from the output's pre-activations, written out here rather than
 * taken from losses.ts: −Σ t_k (s_k − ln Σ_m e^(s_m)) for a softmax, −Σ [t ln σ(s) + (1 − t) ln(1 − σ(s))] for sigmoids.
 */
function crossEntropyOfS(output: Output, s: readonly number[], t: readonly number[]): number {
  if (output === 'softmax') {
    const max = s.reduce((a, b) => Math.max(a, b), -Infinity);
    const logSum = max + Math.log(s.reduce((sum, v) => sum + Math.exp(v - max), 0));
    return s.reduce((sum, v, k) => sum - t[k] * (v - logSum), 0);
  }
  return s.reduce((sum, v, k) => sum + t[k] * Math.log1p(Math.exp(-v)) + (1 - t[k]) * Math.log1p(Math.exp(v)), 0);
}

/** The output node's s and t of sample n after a forward pass. */
function outputOf(model: CompiledModel, params: ArrayLike<number>, data: BoundData, n: number) {
  const ws = createWorkspace(model);
  forward(model, params, data.x, n * model.features.length, ws);
  const node = model.outputs[0];
  const s = Array.from(ws.s.subarray(node.start, node.start + node.units));
  const t = Array.from(
    data.t.subarray(n * model.targets.length + node.output!.targetStart, n * model.targets.length + node.output!.targetStart + node.units),
  );
  return { s, t };
}

/** J = the mean over all samples of the cross-entropy, as a function of the parameters. */
function meanLoss(output: Output, model: CompiledModel, params: Float64Array, data: BoundData): number {
  let total = 0;
  for (let n = 0; n < data.size; n++) {
    const { s, t } = outputOf(model, params, data, n);
    total += crossEntropyOfS(output, s, t);
  }
  return total / data.size;
}

/** Fourth-order central difference [8(f(h) − f(−h)) − (f(2h) − f(−2h))] / 12h. */
function difference(f: (h: number) => number, h = 1e-3): number {
  return (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
}

function numericGradient(output: Output, model: CompiledModel, params: Float64Array, data: BoundData): Float64Array {
  return Float64Array.from({ length: model.paramCount }, (_, p) =>
    difference((h) => {
      const nudged = Float64Array.from(params);
      nudged[p] += h;
      return meanLoss(output, model, nudged, data);
    }),
  );
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= TOLERANCE))
      throw new Error(`${what}[${i}]: ${actual[i]}, expected ${expected[i]} (off by ${Math.abs(actual[i] - expected[i])})`);
  }
}

const NO_UPDATE = {
  ...DEFAULT_HYPERPARAMETERS,
  algorithm: 'gradientDescent',
  loss: 'crossEntropy',
  optimiser: 'sgd',
  learningRate: 1,
  momentum: 0,
  l1: 0,
  l2: 0,
} as const;

function kernels(model: CompiledModel): [string, GradientKernel][] {
  return [
    ['interpreted', new InterpretedKernel(model, 'crossEntropy')],
    ['generated', GeneratedKernel.create(model, 'crossEntropy')!],
    ['batched (TypeScript products)', new BatchedKernel(model, 'crossEntropy', 8, 'typescript')],
    ['batched (WebAssembly products where available)', new BatchedKernel(model, 'crossEntropy', 8, 'auto')],
  ];
}

for (const output of ['softmax', 'sigmoid'] as const) {
  describe(`${output} with cross-entropy and soft targets (rows summing to 0.5, 0, 1.7)`, () => {
    const { model, params, data } = problem(output);
    const numeric = numericGradient(output, model, params, data);
    const order = Uint32Array.from({ length: data.size }, (_, n) => n);

    it('every kernel’s mean gradient equals the finite difference of the loss', () => {
      // The difference is not trivially small: the soft rows move it by more than the tolerance.
      expect(numeric.some((g) => Math.abs(g) > 1e-3)).toBe(true);
      for (const [name, kernel] of kernels(model)) {
        const grad = kernel.allocate?.(model.paramCount) ?? new Float64Array(model.paramCount);
        grad.fill(0);
        const totals = { lossSum: 0, correct: 0 };
        kernel.accumulate(params, grad, data, order, 0, data.size, 1 / data.size, totals);
        expectClose(grad, numeric, `${name} kernel: ∂J/∂θ`);
        expect(totals.lossSum / data.size).toBeCloseTo(meanLoss(output, model, params, data), 12);
      }
    });

    it('the generated kernel’s fused stochastic step moves by −η times the one-sample finite difference', () => {
      const kernel = GeneratedKernel.create(model, 'crossEntropy')!;
      expect(kernel.canFuse).toBe(true);
      for (let n = 0; n < data.size; n++) {
        const moved = Float64Array.from(params);
        const velocity = new Float64Array(model.paramCount);
        kernel.stochasticSteps(moved, new Float64Array(model.paramCount), velocity, data, Uint32Array.of(n), 0, 1, 0.5, {
          lossSum: 0,
          correct: 0,
        });
        const one = bindData(
          model,
          datasetFromRows(['x1', 'x2'], model.targets, [
            [data.x[2 * n], data.x[2 * n + 1], ...data.t.subarray(n * model.targets.length, (n + 1) * model.targets.length)],
          ]),
        );
        const expected = numericGradient(output, model, params, one).map((g) => -0.5 * g);
        expectClose(velocity, expected, `fused step on sample ${n}: Δθ`);
      }
    });

    it('the trainer takes that gradient with each kernel, and the trace records it', () => {
      for (const kernel of ['interpreted', 'generated', 'batched'] as const) {
        const hyper = { ...DEFAULT_HYPERPARAMETERS, ...NO_UPDATE, mode: 'batch' as const, shuffle: false };
        const trainer = new Trainer({ model, params: Float64Array.from(params), train: data, hyper, kernel });
        expect(trainer.kernel.kind).toBe(kernel);
        trainer.step('batch');
        expectClose(
          Float64Array.from(params, (p, i) => p - trainer.params[i]),
          numeric,
          `trainer (${kernel} kernel): θ − θ′ at η = 1`,
        );
      }
      const trace = traceStep(model, params, freshOptimiserState('sgd', model.paramCount), data, [0, 1, 2], NO_UPDATE);
      expectClose(
        trace.updates.map((u) => u.gradient),
        trace.updates.map((u) => numeric[u.param]),
        'trace: ∂J/∂θ',
      );
    });

    it('the trace’s δ of each output unit is −∂J/∂s_k, by the finite difference in s alone', () => {
      const trace = traceStep(model, params, freshOptimiserState('sgd', model.paramCount), data, [0, 1, 2], NO_UPDATE);
      for (const sample of trace.samples) {
        const { s, t } = outputOf(model, params, data, sample.index);
        const outputs = sample.backward.filter((b) => b.role === 'output').sort((a, b) => a.unit - b.unit);
        const expected = s.map(
          (_, k) =>
            -difference((h) =>
              crossEntropyOfS(
                output,
                s.map((v, m) => (m === k ? v + h : v)),
                t,
              ),
            ),
        );
        expectClose(
          outputs.map((b) => b.delta),
          expected,
          `sample ${sample.index}: δ`,
        );
        // And the kernels' ∂J/∂s is −δ.
        const ws = createWorkspace(model);
        forward(model, params, data.x, sample.index * 2, ws);
        backward(model, params, 'crossEntropy', ws, data.t, sample.index * model.targets.length, new Float64Array(model.paramCount), 1);
        expectClose(
          Array.from(ws.gradS.subarray(model.outputs[0].start, model.outputs[0].start + s.length), (g) => -g),
          expected,
          `sample ${sample.index}: −∂J/∂s from backward`,
        );
      }
    });

    it('the gradient check finds nothing wrong', () => {
      const check = gradientCheck(model, params, data, [0, 1, 2], 'crossEntropy');
      expect(check.maxRelativeError).toBeLessThan(1e-8);
    });
  });
}

describe('the issue’s example: a two-unit softmax with s = (1, 0) and t = (0.5, 0)', () => {
  /** x = 1 into a softmax of two units through weights (1, 0): s = (1, 0), z = (e, 1)/(e + 1). */
  function example(t: [number, number]) {
    const graph: Graph = {
      nodes: [
        { id: 'x', kind: 'input', feature: 'x' },
        { id: 'y', kind: 'dense', units: 2, activation: 'softmax', bias: [0, 0], output: { targets: ['a', 'b'] } },
      ],
      edges: [{ id: 'x->y', source: 'x', target: 'y', weight: [[1], [0]] }],
    };
    const model = compileOrThrow(graph);
    const data = bindData(model, datasetFromRows(['x'], ['a', 'b'], [[1, ...t]]));
    const params = readParameters(model, graph);
    return { model, data, params, trace: traceStep(model, params, freshOptimiserState('sgd', model.paramCount), data, [0], NO_UPDATE) };
  }
  const deltas = (trace: StepTrace) => trace.samples[0].backward.sort((a, b) => a.unit - b.unit);

  it('δ = (0.1345…, −0.1345…), the closed form ±0.5/(1 + e), not t − z = (−0.2311…, −0.2689…)', () => {
    const { model, data, params, trace } = example([0.5, 0]);
    // J = −0.5 ln(e/(e + 1)) = 0.5 ln(1 + e) − 0.5, so −∂J/∂s_1 = 0.5/(1 + e) and −∂J/∂s_2 = −0.5/(1 + e).
    const expected = [0.5 / (1 + Math.E), -0.5 / (1 + Math.E)];
    expect(expected[0]).toBeCloseTo(0.1345, 4);
    const [a, b] = deltas(trace);
    expect(a.delta).toBeCloseTo(expected[0], 15);
    expect(b.delta).toBeCloseTo(expected[1], 15);
    expect(trace.samples[0].loss).toBeCloseTo(0.5 * Math.log(1 + Math.E) - 0.5, 15);
    // The fast path: the bias gradient is −δ.
    for (const [name, kernel] of kernels(model)) {
      const grad = kernel.allocate?.(model.paramCount) ?? new Float64Array(model.paramCount);
      grad.fill(0);
      kernel.accumulate(params, grad, data, Uint32Array.of(0), 0, 1, 1, { lossSum: 0, correct: 0 });
      const bias = model.outputs[0].biasOffset;
      expect(grad[bias], name).toBeCloseTo(-expected[0], 15);
      expect(grad[bias + 1], name).toBeCloseTo(-expected[1], 15);
    }
  });

  it('the trace says δ_k = t_k − z_k·Σt, with Σt, and the exports write that formula', () => {
    const { trace } = example([0.5, 0]);
    const [a, b] = deltas(trace);
    expect(a.targetSum).toBe(0.5);
    expect(a.rule).toBe("δ_k = t_k − z_k·Σt  (φ' cancels with cross-entropy; the targets sum to Σt = 0.5, not 1)");
    expect(a.text).toBe('δ_y[1] = 0.5 − 0.7311·0.5 = 0.1345');
    expect(b.text).toBe('δ_y[2] = 0 − 0.2689·0.5 = −0.1345');
    expect(traceToText(trace)).toContain('δ_y[1] = 0.5 − 0.7311·0.5 = 0.1345');
    expect(traceToMarkdown(trace)).toContain('δ_k = t_k − z_k·Σt (φ′ cancels with cross-entropy; the targets do not sum to 1)');
    expect(traceToMarkdown(trace)).toContain('0.5 − 0.7311·0.5 = 0.1345');
    expect(traceToLatex(trace)).toContain('t_k - z_k \\sum_m t_m');
  });

  it('keeps the simpler δ_k = t_k − z_k where the targets sum to 1, including soft ones that round to it', () => {
    for (const t of [
      [1, 0],
      [0.7, 0.3],
    ] as [number, number][]) {
      const { trace } = example(t);
      const [a] = deltas(trace);
      expect(a.targetSum).toBeUndefined();
      expect(a.rule).toBe("δ_k = t_k − z_k  (φ' cancels with cross-entropy)");
      expect(a.delta).toBeCloseTo(t[0] - Math.E / (1 + Math.E), 15);
      expect(traceToMarkdown(trace)).not.toContain('Σt');
    }
    // 0.7 + 0.2 + 0.1 is 0.9999999999999999 in floating point: still the simple wording.
    const soft = problem('softmax', [[0.7, 0.2, 0.1]]);
    const trace = traceStep(soft.model, soft.params, freshOptimiserState('sgd', soft.model.paramCount), soft.data, [0], NO_UPDATE);
    expect(0.7 + 0.2 + 0.1).not.toBe(1);
    expect(
      trace.samples[0].backward.filter((b) => b.role === 'output').every((b) => b.targetSum === undefined && !b.rule.includes('Σt')),
    ).toBe(true);
  });
});

/** The Python that imports torch: Debian's torch imports only into Debian's own /usr/bin/python3. */
const TORCH = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 }).status === 0;

// Skipped, saying so in its name, where /usr/bin/python3 cannot import torch (Debian's python3-torch).
describe(`against PyTorch’s autograd${TORCH ? '' : ' (skipped: /usr/bin/python3 cannot import torch)'}`, () => {
  it.skipIf(!TORCH)('softmax cross-entropy with soft targets: ∂J/∂s from autograd is −δ of the trace and ∂J/∂s of every path', () => {
    const { model, params, data } = problem('softmax');
    const rows = Array.from({ length: data.size }, (_, n) => outputOf(model, params, data, n));
    const script = `
import json, sys
import torch
rows = json.loads(sys.stdin.read())
s = torch.tensor([r["s"] for r in rows], dtype=torch.float64, requires_grad=True)
t = torch.tensor([r["t"] for r in rows], dtype=torch.float64)
# The sum over samples of -sum_k t_k log softmax(s)_k: each row's gradient is its own dJ_n/ds.
(-(t * torch.log_softmax(s, dim=1)).sum()).backward()
print(json.dumps(s.grad.tolist()))
`;
    const result = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(rows), encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const torchGrad = JSON.parse(result.stdout) as number[][];
    const trace = traceStep(model, params, freshOptimiserState('sgd', model.paramCount), data, [0, 1, 2], NO_UPDATE);
    for (const sample of trace.samples) {
      const deltas = sample.backward
        .filter((b) => b.role === 'output')
        .sort((a, b) => a.unit - b.unit)
        .map((b) => -b.delta);
      for (let k = 0; k < deltas.length; k++)
        expect(Math.abs(deltas[k] - torchGrad[sample.index][k]), `sample ${sample.index}, unit ${k}`).toBeLessThan(1e-14);
    }
  });
});

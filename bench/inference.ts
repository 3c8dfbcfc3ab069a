/**
 * The inference case of `npm run bench` (I1): 10,000 rows through W3's 784-128-10 network, as
 * evaluation, prediction and the plane views pass them — one sample at a time through the
 * per-sample forward pass (how evaluation used to run) against the batched pass (how it runs
 * now), with each product, and the float32 pass a fast-precision run evaluates with. Medians of
 * timed runs after a warm-up; the batched float64 loss must equal the per-sample one to 1e-12
 * (relative) and the accuracy exactly, or the run fails.
 *
 *   npx tsx bench/inference.ts [--json] [--runs N] [--quick]
 */
import { parseArgs } from 'node:util';
import {
  ForwardPlan,
  createWorkspace,
  evaluate,
  forward,
  forwardBatch,
  isClassifier,
  outputCorrect,
  sampleLoss,
  type BoundData,
  type CompiledModel,
  type LossName,
} from '../engine/src/index';
import { engineModel } from './contenders/engine';
import { WORKLOADS, initialWeights, workloadData } from './workloads';

const { values } = parseArgs({
  options: { json: { type: 'boolean' }, runs: { type: 'string', default: '5' }, quick: { type: 'boolean' } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 3) {
  console.error('bench/inference: --runs must be a whole number of at least 3 (the median of at least three runs).');
  process.exit(2);
}

const workload = WORKLOADS.W3;
const rows = values.quick ? 1_000 : 10_000;
const data = workloadData(workload, rows);
const { model, params, bound } = engineModel(workload, data, initialWeights(workload));
const loss: LossName = 'crossEntropy';

/** Evaluation as it ran before batched inference: one forward pass per sample. */
function evaluatePerSample(m: CompiledModel, p: Float64Array, d: BoundData): { loss: number; accuracy: number } {
  const ws = createWorkspace(m);
  const nf = m.features.length;
  const nt = m.targets.length;
  const classifier = isClassifier(m);
  let total = 0;
  let correct = 0;
  for (let n = 0; n < d.size; n++) {
    forward(m, p, d.x, n * nf, ws);
    total += sampleLoss(m, loss, ws, d.t, n * nt);
    if (classifier && m.outputs.every((node) => outputCorrect(node, ws.z, d.t, n * nt))) correct++;
  }
  return { loss: total / d.size, accuracy: correct / d.size };
}

/** Median milliseconds of `run` after a warm-up of at least a second (and one run). */
function time(run: () => void): { median: number; runs: number[] } {
  const until = performance.now() + (values.quick ? 200 : 1000);
  do run();
  while (performance.now() < until);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return { median: [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)], runs: times };
}

const out = new Float64Array(rows * model.targets.length);
const typescript = new ForwardPlan(model, { products: 'typescript' });
const shared = new ForwardPlan(model);
const expected = evaluatePerSample(model, params, bound);
const batched = evaluate(model, params, bound, loss);
const relative = batched.accuracy === expected.accuracy ? Math.abs(batched.loss - expected.loss) / Math.abs(expected.loss) : Infinity;

const cases = {
  'per-sample evaluate (before)': time(() => void evaluatePerSample(model, params, bound)),
  'batched evaluate': time(() => void evaluate(model, params, bound, loss)),
  // As a run in fast precision evaluates its validation rows each epoch.
  'batched evaluate, float32 (fast precision)': time(() => void evaluate(model, params, bound, loss, undefined, 'fast')),
  [`forwardBatch, ${shared.products} products`]: time(() => forwardBatch(model, params, bound.x, rows, out, { plan: shared })),
  'forwardBatch, typescript products': time(() => forwardBatch(model, params, bound.x, rows, out, { plan: typescript })),
};

const report = {
  case: 'I1',
  rows,
  title: `${rows.toLocaleString('en')} rows through 784-128-10`,
  quick: values.quick ?? false,
  relative,
  cases,
};
if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
else {
  const lines = [
    `I1 inference: ${report.title} (median of ${runs} runs after a warm-up${values.quick ? ', --quick: NOT a measurement' : ''})`,
    '',
  ];
  lines.push('| how | ms | rows per second |', '|---|---:|---:|');
  for (const [name, result] of Object.entries(cases))
    lines.push(`| ${name} | ${result.median.toFixed(1)} | ${Math.round((rows / result.median) * 1000).toLocaleString('en')} |`);
  lines.push(
    '',
    `Batched loss and accuracy ${relative <= 1e-12 ? 'equal' : 'DIFFER FROM'} the per-sample ones (relative difference ${relative.toExponential(1)}).`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exitCode = relative <= 1e-12 ? 0 : 1;

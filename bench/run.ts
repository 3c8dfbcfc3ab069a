/**
 * `npm run bench`: NN Studio's engine against TensorFlow.js (CPU and WebAssembly), brain.js and
 * synaptic on three workloads, each contender in its own process, medians of timed runs; then
 * the engine's inference case I1 (bench/inference.ts: 10,000 rows through 784-128-10, per sample
 * against batched).
 *
 *   npm run bench [-- --json] [--out FILE] [--runs N] [--quick] [--only W1,W2,I1]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WORKLOADS, type WorkloadName } from './workloads';

const CONTENDERS = ['engine', 'tfjs-cpu', 'tfjs-wasm', 'brain', 'synaptic'] as const;
type ContenderId = (typeof CONTENDERS)[number];

interface ChildResult {
  contender: string;
  workload: WorkloadName;
  samplesPerSecond: number[];
  median: number;
  finalLoss: number;
  notes: string[];
  heap?: { before: number; after: number; epochs: number };
  kernel?: string;
  products?: string | null;
}

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    out: { type: 'string' },
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 3) {
  console.error('bench: --runs must be a whole number of at least 3 (the median of at least three runs).');
  process.exit(2);
}
/** The inference case, run by bench/inference.ts rather than by every contender. */
const INFERENCE = 'I1';
const chosen = values.only ? values.only.split(',') : [...Object.keys(WORKLOADS), INFERENCE];
for (const w of chosen) {
  if (!(w in WORKLOADS) && w !== INFERENCE) {
    console.error(`bench: unknown workload '${w}'; the workloads are ${[...Object.keys(WORKLOADS), INFERENCE].join(', ')}.`);
    process.exit(2);
  }
}
const workloads = chosen.filter((w) => w in WORKLOADS) as WorkloadName[];

const child = fileURLToPath(new URL('./child.ts', import.meta.url));
const log = (text: string) => {
  if (!values.json) process.stderr.write(text);
};

function runChild(contender: ContenderId, workload: WorkloadName): ChildResult | { error: string } {
  const args = ['--import', 'tsx', '--expose-gc', child, contender, workload, String(runs)];
  if (values.quick) args.push('--quick');
  if (contender === 'engine') args.push('--heap');
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const line = result.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (result.status !== 0 || !line) return { error: (result.stderr.trim().split('\n').at(-1) ?? `exit ${result.status}`).slice(0, 200) };
  return JSON.parse(line) as ChildResult;
}

const results: Record<string, Record<string, ChildResult | { error: string }>> = {};
for (const workload of workloads) {
  results[workload] = {};
  for (const contender of CONTENDERS) {
    log(`${workload} ${contender}… `);
    const started = Date.now();
    results[workload][contender] = runChild(contender, workload);
    log(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

interface InferenceResult {
  case: string;
  rows: number;
  title: string;
  relative: number;
  cases: Record<string, { median: number; runs: number[] }>;
}

/** The inference case in its own process, or why it failed. */
function runInference(): InferenceResult | { error: string } {
  const args = [
    '--import',
    'tsx',
    fileURLToPath(new URL('./inference.ts', import.meta.url)),
    '--json',
    '--runs',
    String(Math.max(runs, 5)),
  ];
  if (values.quick) args.push('--quick');
  log(`${INFERENCE} engine… `);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  log(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const line = result.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (!line) return { error: (result.stderr.trim().split('\n').at(-1) ?? `exit ${result.status}`).slice(0, 200) };
  return JSON.parse(line) as InferenceResult;
}
const inference = chosen.includes(INFERENCE) ? runInference() : null;
const inferenceOk = inference === null || (!('error' in inference) && inference.relative <= 1e-12);

const ok = (r: ChildResult | { error: string } | undefined): r is ChildResult => !!r && !('error' in r);
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const summary = workloads.map((workload) => {
  const row = results[workload];
  const mine = row.engine;
  const ratios: Record<string, number | null> = {};
  for (const c of CONTENDERS.slice(1)) ratios[c] = ok(mine) && ok(row[c]) ? mine.median / row[c].median : null;
  const tf = row['tfjs-cpu'];
  const lossRelative = ok(mine) && ok(tf) ? Math.abs(mine.finalLoss - tf.finalLoss) / Math.abs(tf.finalLoss) : null;
  const params = WORKLOADS[workload].layers.reduce((sum, l) => sum + l.units * (l.inputs + 1), 0);
  const gflops = ok(mine) && workload === 'W3' ? (6 * params * mine.median) / 1e9 : null;
  const leads = CONTENDERS.slice(1).every((c) => ratios[c] === null || ratios[c]! > 1);
  const target =
    workload === 'W1' ? leads && (ratios['tfjs-cpu'] ?? 0) >= 10 : workload === 'W3' ? leads && (ratios['tfjs-wasm'] ?? 0) >= 3 : leads;
  return { workload, lossRelative, lossMatches: lossRelative !== null && lossRelative <= 1e-3, gflops, ratios, target };
});

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
};

const report = `${JSON.stringify({ machine, runs, quick: values.quick ?? false, results, summary, inference }, null, 2)}\n`;
if (values.out) writeFileSync(values.out, report);
if (values.json) {
  process.stdout.write(report);
} else {
  const names: Record<ContenderId, string> = {
    engine: 'NN Studio',
    'tfjs-cpu': 'TF.js CPU',
    'tfjs-wasm': 'TF.js WASM',
    brain: 'brain.js¹',
    synaptic: 'synaptic¹',
  };
  const lines: string[] = [];
  lines.push(
    `Samples per second (median of ${runs} runs after a warm-up${values.quick ? ', --quick: NOT a measurement' : ''}); NN Studio's lead in brackets; final loss below.`,
  );
  lines.push(`Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}.`);
  if (summary.length > 0) lines.push('');
  if (summary.length > 0) lines.push(`| workload | ${CONTENDERS.map((c) => names[c]).join(' | ')} |`);
  if (summary.length > 0) lines.push(`|---|${CONTENDERS.map(() => '---:').join('|')}|`);
  for (const s of summary) {
    const row = results[s.workload];
    const speed = CONTENDERS.map((c) => {
      const r = row[c];
      if (!ok(r)) return `failed: ${r?.error ?? '?'}`;
      return c === 'engine' ? fmt(r.median) : `${fmt(r.median)} (${s.ratios[c]!.toFixed(1)}×)`;
    });
    const loss = CONTENDERS.map((c) => {
      const r = row[c];
      return ok(r) ? r.finalLoss.toPrecision(6) : '—';
    });
    lines.push(`| ${s.workload} | ${speed.join(' | ')} |`);
    lines.push(`| final loss | ${loss.join(' | ')} |`);
  }
  if (summary.length > 0) {
    lines.push('');
    lines.push(
      '¹ brain.js and synaptic update after every sample (no mini-batches); brain.js uses sigmoid in every layer and squared error, synaptic logistic outputs and trains W3 on 200 samples. Their losses are not comparable on W1 and W3.',
    );
    lines.push('');
  }
  for (const s of summary) {
    const parts = [`${s.workload}: ${s.target ? 'target met' : 'target MISSED'}`];
    parts.push(
      s.lossRelative === null
        ? 'loss not compared'
        : `final loss ${s.lossMatches ? 'equals' : 'DIFFERS FROM'} TF.js's (relative difference ${s.lossRelative.toExponential(1)})`,
    );
    if (s.gflops !== null) parts.push(`${s.gflops.toFixed(2)} GFLOP/s (6 × parameters × samples/s)`);
    const mine = results[s.workload].engine;
    if (ok(mine)) {
      parts.push(`kernel: ${mine.kernel}${mine.products ? ` (${mine.products})` : ''}`);
      if (mine.heap)
        parts.push(
          `heap ${(mine.heap.before / 2 ** 20).toFixed(1)} MiB before, ${(mine.heap.after / 2 ** 20).toFixed(1)} MiB after ${mine.heap.epochs} epochs`,
        );
    }
    lines.push(`- ${parts.join('; ')}`);
  }
  if (inference && 'error' in inference) lines.push('', `${INFERENCE} inference: failed: ${inference.error}`);
  else if (inference) {
    lines.push('', `${INFERENCE} inference: ${inference.title} (median ms)`, '', '| how | ms | rows per second |', '|---|---:|---:|');
    for (const [name, r] of Object.entries(inference.cases))
      lines.push(`| ${name} | ${r.median.toFixed(1)} | ${fmt((inference.rows / r.median) * 1000)} |`);
    lines.push(
      '',
      `- ${INFERENCE}: batched loss and accuracy ${inference.relative <= 1e-12 ? 'equal' : 'DIFFER FROM'} the per-sample ones (relative difference ${inference.relative.toExponential(1)})`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exitCode = summary.every((s) => s.lossMatches) && inferenceOk ? 0 : 1;

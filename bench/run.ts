/**
 * `npm run bench`: NN Studio's engine (float64 and float32) against TensorFlow.js (CPU and
 * WebAssembly), brain.js, synaptic, PyTorch (float32 on one and two threads, float64 on one) and
 * scikit-learn's MLP on three workloads, each contender in its own process, medians of timed runs,
 * final losses checked against PyTorch float64's and peak memory; then the engine's inference
 * case I1 (bench/inference.ts: 10,000 rows through 784-128-10, per sample against batched).
 *
 *   npm run bench [-- --json] [--out FILE] [--runs N] [--quick] [--only W1,W2,I1]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolvePrecision } from '../engine/src/train/precision';
import { defaultHelperCount } from '../src-main/training/spawn';
import type { MemoryReport } from './memory';
import { WORKLOADS, type WorkloadName } from './workloads';

/** Every contender, the engine's two precisions first; each runs in its own process (child.ts). */
const CONTENDERS = [
  'engine',
  'engine-f32',
  'engine-f32-fma',
  'engine-f32-2t',
  'engine-f32-fma-2t',
  'tfjs-cpu',
  'tfjs-wasm',
  'brain',
  'synaptic',
  'pytorch-f32-1t',
  'pytorch-f32-2t',
  'pytorch-f64-1t',
  'sklearn',
] as const;
type ContenderId = (typeof CONTENDERS)[number];
const ENGINES: readonly ContenderId[] = ['engine', 'engine-f32', 'engine-f32-fma', 'engine-f32-2t', 'engine-f32-fma-2t'];
/**
 * Node 20's V8 keeps relaxed SIMD behind a flag; Electron's (Chromium 114 on) has it on, so the
 * desktop app's float32 products use fused multiply-add. This row shows what the app gets.
 */
const NODE_FLAGS: Partial<Record<ContenderId, string[]>> = {
  'engine-f32-fma': ['--experimental-wasm-relaxed-simd'],
  'engine-f32-fma-2t': ['--experimental-wasm-relaxed-simd'],
};
/** Contenders that only mean something on some workloads: products split across threads pay only on W3's wide layers. */
const ONLY_ON: Partial<Record<ContenderId, readonly WorkloadName[]>> = { 'engine-f32-2t': ['W3'], 'engine-f32-fma-2t': ['W3'] };
/**
 * The desktop app's own row: relaxed SIMD on, as in Electron, and its products split across a
 * helper thread where it starts one (three cores or more: src-main/training/spawn.ts).
 */
const APP: ContenderId = defaultHelperCount(cpus().length) > 0 ? 'engine-f32-fma-2t' : 'engine-f32-fma';

interface ChildResult {
  contender: string;
  workload: WorkloadName;
  samplesPerSecond: number[];
  median: number;
  finalLoss: number;
  notes: string[];
  /** Whether it trains the workload's model exactly, so that its loss must match the reference's. */
  comparable: boolean;
  precision: 'float32' | 'float64';
  memory: MemoryReport;
  heap?: { before: number; after: number; epochs: number };
  kernel?: string;
  products?: string | null;
  trainedIn?: string;
  /** Product jobs the engine's helper threads ran (the split really happened). */
  helperProducts?: number;
}
type Outcome = ChildResult | { error: string } | { skipped: string };

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    out: { type: 'string' },
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    contenders: { type: 'string' },
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
const picked = values.contenders ? values.contenders.split(',') : [...CONTENDERS];
for (const c of picked) {
  if (!(CONTENDERS as readonly string[]).includes(c)) {
    console.error(`bench: unknown contender '${c}'; the contenders are ${CONTENDERS.join(', ')}.`);
    process.exit(2);
  }
}

const child = fileURLToPath(new URL('./child.ts', import.meta.url));
const log = (text: string) => {
  if (!values.json) process.stderr.write(text);
};

function runChild(contender: ContenderId, workload: WorkloadName): Outcome {
  const args = [...(NODE_FLAGS[contender] ?? []), '--import', 'tsx', '--expose-gc', child, contender, workload, String(runs)];
  if (values.quick) args.push('--quick');
  if (ENGINES.includes(contender)) args.push('--heap');
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const line = result.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (result.status !== 0 || !line) return { error: (result.stderr.trim().split('\n').at(-1) ?? `exit ${result.status}`).slice(0, 200) };
  return JSON.parse(line) as ChildResult | { skipped: string };
}

const results: Record<string, Record<string, Outcome>> = {};
for (const workload of workloads) {
  results[workload] = {};
  for (const contender of CONTENDERS) {
    log(`${workload} ${contender}… `);
    const started = Date.now();
    const only = ONLY_ON[contender];
    const outcome: Outcome = !picked.includes(contender)
      ? { skipped: 'skipped: not among --contenders' }
      : only && !only.includes(workload)
        ? { skipped: 'skipped: products split across threads pay only on W3’s wide layers' }
        : runChild(contender, workload);
    results[workload][contender] = outcome;
    log('skipped' in outcome ? 'skipped\n' : `${((Date.now() - started) / 1000).toFixed(1)} s\n`);
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

const ok = (r: Outcome | undefined): r is ChildResult => !!r && !('error' in r) && !('skipped' in r);
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
/** A change of memory with its sign: below setup's when the collector returned setup's garbage during the runs. */
const signedMib = (bytes: number) => `${bytes < 0 ? '−' : '+'}${mib(Math.abs(bytes))}`;
/**
 * The float32 engine's held memory over the float64 engine's that counts as halved: its samples
 * and matrices take half the bytes, while the weights, gradient and optimiser memory it updates
 * stay float64 by design (precision.ts) and the network's description is the same, which on W3
 * (10,000 samples, 100k weights) puts the whole at about 0.55.
 */
const HALVED = 0.6;
/** Relative difference of a loss allowed against the float64 reference: float32 rounding, or float64's. */
const TOLERANCE = { float32: 1e-3, float64: 1e-6 } as const;

const summary = workloads.map((workload) => {
  const row = results[workload];
  const spec = WORKLOADS[workload];
  const params = spec.layers.reduce((sum, l) => sum + l.units * (l.inputs + 1), 0);
  // The engine's row is the precision the app picks by itself ('auto'): float32 for W3's size, float64 for W1 and W2.
  const headline: ContenderId = resolvePrecision('auto', params, spec.batchSize) === 'fast' ? 'engine-f32' : 'engine';
  const mine = row[headline];
  const ratios: Partial<Record<ContenderId, number | null>> = {};
  for (const c of CONTENDERS) if (c !== headline) ratios[c] = ok(mine) && ok(row[c]) ? mine.median / row[c].median : null;

  // PyTorch in float64 is the reference: another library, in the engine's exact precision.
  const reference: ContenderId = ok(row['pytorch-f64-1t']) ? 'pytorch-f64-1t' : 'engine';
  const referenceLoss = ok(row[reference]) ? row[reference].finalLoss : null;
  const losses: Partial<Record<ContenderId, { relative: number; matches: boolean }>> = {};
  for (const c of CONTENDERS) {
    const r = row[c];
    if (!ok(r) || !r.comparable || referenceLoss === null) continue;
    const relative = Math.abs(r.finalLoss - referenceLoss) / Math.abs(referenceLoss);
    losses[c] = { relative, matches: relative <= TOLERANCE[r.precision] };
  }
  const lossesMatch = referenceLoss !== null && Object.values(losses).every((l) => l.matches);
  const failed = CONTENDERS.filter((c) => 'error' in row[c]);
  const skipped = CONTENDERS.filter((c) => 'skipped' in row[c]);

  const others = CONTENDERS.filter((c) => !ENGINES.includes(c));
  const ahead = others.every((c) => ratios[c] === null || ratios[c]! > 1);
  const goals: { text: string; met: boolean | null }[] = [];
  if (workload === 'W3') {
    goals.push({ text: '≥ 0.5× PyTorch f32 1 thread', met: ratios['pytorch-f32-1t'] == null ? null : ratios['pytorch-f32-1t']! >= 0.5 });
    goals.push({ text: '≥ 10× TF.js WASM', met: ratios['tfjs-wasm'] == null ? null : ratios['tfjs-wasm']! >= 10 });
  } else {
    goals.push({ text: 'ahead of every contender', met: ok(mine) ? ahead : null });
    if (workload === 'W1') goals.push({ text: '≥ 10× TF.js CPU', met: ratios['tfjs-cpu'] == null ? null : ratios['tfjs-cpu']! >= 10 });
  }
  const gflops = ok(mine) && workload === 'W3' ? (6 * params * mine.median) / 1e9 : null;
  return { workload, headline, reference, referenceLoss, losses, lossesMatch, failed, skipped, ratios, goals, gflops };
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
    'engine-f32': 'NN Studio f32',
    'engine-f32-fma': 'NN Studio f32 FMA⁴',
    'engine-f32-2t': 'NN Studio f32 2 threads⁵',
    'engine-f32-fma-2t': 'NN Studio f32 FMA⁴ 2 threads⁵',
    'tfjs-cpu': 'TF.js CPU',
    'tfjs-wasm': 'TF.js WASM',
    brain: 'brain.js¹',
    synaptic: 'synaptic¹',
    'pytorch-f32-1t': 'PyTorch f32 1 thread',
    'pytorch-f32-2t': 'PyTorch f32 2 threads',
    'pytorch-f64-1t': 'PyTorch f64 1 thread',
    sklearn: 'scikit-learn²',
  };
  const lines: string[] = [];
  lines.push(
    `Samples per second (median of ${runs} runs after a warm-up${values.quick ? ', --quick: NOT a measurement' : ''}); the engine's lead (its samples per second over the contender's); final loss and its relative difference from the reference's (✓ within ${TOLERANCE.float32} for float32, ${TOLERANCE.float64} for float64; "—" where the contender trains another model); peak resident memory from before the contender's setup (the workload's data loaded) to the last timed run, and its rise; and what the contender holds once trained (its JS heap and buffers, after a collection; Node contenders).`,
  );
  lines.push(`Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}.`);
  const skippedReasons = new Map<string, string[]>();
  for (const s of summary) {
    const row = results[s.workload];
    lines.push('', `${s.workload}: ${WORKLOADS[s.workload].title}`, '');
    lines.push("| contender | samples/s | engine's lead | final loss | vs reference | peak RSS (rise), MiB | held, MiB | notes |");
    lines.push('|---|---:|---:|---:|---|---:|---:|---|');
    for (const c of CONTENDERS) {
      const r = row[c];
      const name = c === s.headline ? `**${names[c]}**` : names[c];
      if ('skipped' in r) {
        skippedReasons.set(r.skipped, [...(skippedReasons.get(r.skipped) ?? []), `${names[c]} on ${s.workload}`]);
        continue;
      }
      if (!ok(r)) {
        lines.push(`| ${name} | failed: ${r.error} | | | | | | |`);
        continue;
      }
      const ratio = s.ratios[c];
      const lead = c === s.headline || ratio == null ? '—' : `${ratio.toFixed(2)}×`;
      const loss = s.losses[c];
      const versus = c === s.reference ? 'reference' : loss ? `${loss.relative.toExponential(1)} ${loss.matches ? '✓' : '✗ DIFFERS'}` : '—';
      const memory = `${mib(r.memory.peak)} (${signedMib(r.memory.peak - r.memory.setup)})${r.memory.method === 'lifetime' ? '³' : ''}`;
      const held = r.memory.held == null ? '—' : mib(r.memory.held);
      // The engine's kernel, its products and the precision it trained in (as the trainer reports them).
      const kernel = r.kernel ? [`${r.kernel}${r.products ? `, ${r.products}` : ''}${r.trainedIn ? ` (${r.trainedIn})` : ''}`] : [];
      if (r.helperProducts) kernel.push(`${fmt(r.helperProducts)} products split with a helper thread`);
      const notes = [...kernel, ...r.notes];
      lines.push(
        `| ${name} | ${fmt(r.median)} | ${lead} | ${r.finalLoss.toPrecision(6)} | ${versus} | ${memory} | ${held} | ${notes.join('; ')} |`,
      );
    }
  }
  if (summary.length > 0) {
    lines.push(
      '',
      "The engine's row in bold is the precision it picks by itself (Automatic): float32 for W3, float64 for W1 and W2; the leads are that row's.",
      '¹ brain.js and synaptic update after every sample (no mini-batches); brain.js uses sigmoid in every layer and squared error (on W2 its exact model), synaptic logistic outputs and trains W3 on 200 samples. Their losses are not comparable on W1 and W3.',
      "² scikit-learn's MLPClassifier trains W1 and W3 exactly (mean loss and gradient per mini-batch, as the engine); its MLPRegressor has no sigmoid output, so its W2 is another network and its loss is not comparable.",
    );
    if (
      summary.some((s) =>
        CONTENDERS.some((c) => ok(results[s.workload][c]) && (results[s.workload][c] as ChildResult).memory.method === 'lifetime'),
      )
    )
      lines.push("³ the whole process's peak, setup included (its peak could not be reset after setup here).");
    lines.push(
      "⁴ the same float32 engine in a Node started with --experimental-wasm-relaxed-simd: relaxed SIMD's fused multiply-add, which Electron's V8 (and Chromium's, for the web edition) has on by default; plain Node 20 runs the row without it.",
      "⁵ the large float32 products split by rows of C between the training thread and one helper thread over shared WebAssembly memory, as the app's training worker splits them on a machine of three cores or more (it leaves a core to the window; the web edition runs on one thread).",
    );
    for (const [reason, where] of skippedReasons) lines.push(`Not run: ${where.join(', ')} — ${reason.replace(/^skipped: /, '')}`);
    lines.push('');
  }
  for (const s of summary) {
    const goals = s.goals.map((g) => `${g.text}: ${g.met === null ? 'not judged (contender missing)' : g.met ? 'met' : 'MISSED'}`);
    const parts = [`${s.workload} (${names[s.headline]}): ${goals.join(', ')}`];
    parts.push(
      s.referenceLoss === null
        ? 'losses NOT compared (no reference)'
        : `final losses ${s.lossesMatch ? 'agree with' : 'DIFFER FROM'} ${names[s.reference]}'s`,
    );
    if (s.workload === 'W3' && s.ratios['pytorch-f32-1t'] != null)
      parts.push(`moonshot 1× PyTorch f32 1 thread: ${s.ratios['pytorch-f32-1t']!.toFixed(2)}×`);
    const exact = results[s.workload].engine;
    const torch64 = results[s.workload]['pytorch-f64-1t'];
    if (s.workload === 'W3' && ok(exact) && ok(torch64))
      parts.push(`float64 engine against PyTorch f64 1 thread: ${(exact.median / torch64.median).toFixed(2)}×`);
    // The desktop app's own speed: the same targets for the row that trains as its training worker does.
    const app = results[s.workload][APP];
    const against = (c: ContenderId) => {
      const r = results[s.workload][c];
      return ok(app) && ok(r) ? app.median / r.median : null;
    };
    const torchRatio = against('pytorch-f32-1t');
    const wasmRatio = against('tfjs-wasm');
    if (s.workload === 'W3' && torchRatio !== null && wasmRatio !== null)
      parts.push(
        `as in the desktop app (${names[APP]}): ${torchRatio.toFixed(2)}× PyTorch f32 1 thread (${torchRatio >= 0.5 ? 'met' : 'MISSED'}), ${wasmRatio.toFixed(1)}× TF.js WASM (${wasmRatio >= 10 ? 'met' : 'MISSED'})`,
      );
    if (s.gflops !== null) parts.push(`${s.gflops.toFixed(2)} GFLOP/s (6 × parameters × samples/s)`);
    const f32 = results[s.workload]['engine-f32'];
    if (s.workload === 'W3' && ok(exact) && ok(f32) && exact.memory.held && f32.memory.held) {
      const share = f32.memory.held / exact.memory.held;
      parts.push(
        `memory the float32 engine holds: ${mib(f32.memory.held)} MiB, ${share.toFixed(2)}× the float64 engine's ${mib(exact.memory.held)} (halved: ${share <= HALVED ? 'met' : 'MISSED'}); peak RSS rise ${signedMib(f32.memory.peak - f32.memory.setup)} against ${signedMib(exact.memory.peak - exact.memory.setup)}`,
      );
    }
    if (s.failed.length > 0) parts.push(`FAILED: ${s.failed.map((c) => names[c]).join(', ')}`);
    for (const c of ENGINES) {
      const r = results[s.workload][c];
      if (ok(r) && r.heap)
        parts.push(`${names[c]} heap ${mib(r.heap.before)} MiB before, ${mib(r.heap.after)} MiB after ${r.heap.epochs} epochs`);
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
// A wrong loss, a contender that failed (rather than being skipped) or a wrong inference fails the run.
process.exitCode = summary.every((s) => s.lossesMatch && s.failed.length === 0) && inferenceOk ? 0 : 1;

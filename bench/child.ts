/**
 * One contender on one workload, in its own process: a warm-up run, then timed runs, each from
 * the same initial weights. Prints one JSON line (`{ skipped }` when a Python contender cannot run).
 *   node --import tsx --expose-gc bench/child.ts CONTENDER WORKLOAD RUNS [--quick] [--heap]
 */
import { benchWorkload, initialWeights, workloadData, WORKLOADS, type WorkloadName } from './workloads';
import { PYTHON_CONTENDERS, runPython, type PythonContender } from './contenders/python';
import type { Contender } from './contenders/types';
import { watchPeakMemory } from './memory';

// Loaded on demand: a contender's process loads its own library only (and the Python ones no engine).
const CONTENDERS: Record<string, () => Promise<Contender>> = {
  engine: async () => (await import('./contenders/engine')).engine,
  'engine-f32': async () => (await import('./contenders/engine')).engineF32,
  // The same contender; run.ts starts its process with relaxed SIMD on, as Electron's V8 has it.
  'engine-f32-fma': async () => (await import('./contenders/engine')).engineF32,
  'engine-f32-2t': async () => (await import('./contenders/engine')).engineF32TwoThreads,
  'engine-f32-fma-2t': async () => (await import('./contenders/engine')).engineF32TwoThreads,
  'tfjs-cpu': async () => (await import('./contenders/tfjs')).tfjs('cpu'),
  'tfjs-wasm': async () => (await import('./contenders/tfjs')).tfjs('wasm'),
  brain: async () => (await import('./contenders/brain')).brain,
  synaptic: async () => (await import('./contenders/synaptic')).synaptic,
};

/** The least time one measurement runs for (several runs where one is shorter). */
const MIN_MEASURE_MS = 500;

async function main(): Promise<void> {
  const [contenderName, workloadName, runsText] = process.argv.slice(2);
  const quick = process.argv.includes('--quick');
  const load = Object.hasOwn(CONTENDERS, contenderName) ? CONTENDERS[contenderName] : null;
  const python = Object.hasOwn(PYTHON_CONTENDERS, contenderName) ? (contenderName as PythonContender) : null;
  if ((!load && !python) || !(workloadName in WORKLOADS))
    throw new Error(`usage: child.ts ${[...Object.keys(CONTENDERS), ...Object.keys(PYTHON_CONTENDERS)].join('|')} W1|W2|W3 RUNS [--quick]`);
  const workload = benchWorkload(workloadName as WorkloadName, quick);
  const data = workloadData(workload);
  if (python) {
    process.stdout.write(`${JSON.stringify(runPython(python, workload, data, initialWeights(workload), Number(runsText)))}\n`);
    return;
  }
  const contender = await load!();
  const initial = initialWeights(workload);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  // From here, with the workload's data (shared by every contender) in memory: the contender's own
  // copies of the data, its model, and training. Setup's copies count: they are what a library
  // needs to train this data (the float32 engine binds its samples in half the bytes).
  const peak = watchPeakMemory();
  const prepared = await contender.prepare(workload, data, initial);
  gc?.();
  // Warm-up (JIT tiers, WebAssembly compilation, caches): runs for at least 1.5 s, at least one
  // run, the same budget for every contender.
  const warmUpUntil = performance.now() + 1500;
  do {
    // Each run's garbage goes before the next (as before the timed runs): a trainer's WebAssembly
    // memory is returned only by a collection, and a peak of uncollected runs measures the
    // collector's pace, not what training needs.
    gc?.();
    await prepared.reset();
    await prepared.run();
  } while (performance.now() < warmUpUntil);
  const rates: number[] = [];
  for (let r = 0; r < Number(runsText); r++) {
    // A measurement is at least MIN_MEASURE_MS of runs, each from the initial weights: one run
    // of W2 takes tens of milliseconds, where a collection or a tier-up halves the rate.
    let seconds = 0;
    let samples = 0;
    do {
      await prepared.reset();
      // Collect the garbage of setup and earlier runs now, not during the timed run.
      gc?.();
      const start = performance.now();
      await prepared.run();
      seconds += (performance.now() - start) / 1000;
      samples += prepared.samplesPerRun;
    } while (seconds * 1000 < MIN_MEASURE_MS);
    rates.push(samples / seconds);
  }
  const memory = peak();
  const finalLoss = await prepared.finalLoss();
  const result: Record<string, unknown> = {
    contender: contender.name,
    workload: workload.name,
    samplesPerSecond: rates,
    median: [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)],
    finalLoss,
    notes: prepared.notes,
    comparable: prepared.comparable ?? true,
    precision: prepared.precision,
    memory,
    ...prepared.details?.(),
  };

  if (process.argv.includes('--heap')) {
    // Training memory must stay flat: heap before and after a 50-epoch run.
    await prepared.reset();
    gc?.();
    const before = process.memoryUsage().heapUsed;
    if (prepared.runEpochs) prepared.runEpochs(50);
    else for (let e = 0; e < 50; e += workload.epochs) await prepared.run();
    gc?.();
    result.heap = { before, after: process.memoryUsage().heapUsed, epochs: 50 };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

/**
 * One contender on one workload, in its own process: a warm-up run, then timed runs, each from
 * the same initial weights. Prints one JSON line.
 *   node --import tsx --expose-gc bench/child.ts CONTENDER WORKLOAD RUNS [--quick] [--heap]
 */
import { WORKLOADS, initialWeights, workloadData, type WorkloadName } from './workloads';
import { brain } from './contenders/brain';
import { engine } from './contenders/engine';
import { synaptic } from './contenders/synaptic';
import { tfjs } from './contenders/tfjs';
import type { Contender } from './contenders/types';

const CONTENDERS: Record<string, Contender> = { engine, 'tfjs-cpu': tfjs('cpu'), 'tfjs-wasm': tfjs('wasm'), brain, synaptic };

async function main(): Promise<void> {
  const [contenderName, workloadName, runsText] = process.argv.slice(2);
  const quick = process.argv.includes('--quick');
  const contender = CONTENDERS[contenderName];
  const base = WORKLOADS[workloadName as WorkloadName];
  if (!contender || !base) throw new Error(`usage: child.ts ${Object.keys(CONTENDERS).join('|')} W1|W2|W3 RUNS [--quick]`);
  // --quick shrinks every run tenfold, to check the harness rather than to measure.
  const workload = quick
    ? {
        ...base,
        epochs: Math.max(1, Math.ceil(base.epochs / 10)),
        samples: base.name === 'W2' ? base.samples : Math.ceil(base.samples / 10),
      }
    : base;
  const data = workloadData(workload);
  const prepared = await contender.prepare(workload, data, initialWeights(workload));

  // Warm-up (JIT tiers, WebAssembly compilation, caches): runs for at least 1.5 s, at least one
  // run, the same budget for every contender.
  const gc = (globalThis as { gc?: () => void }).gc;
  const warmUpUntil = performance.now() + 1500;
  do {
    await prepared.reset();
    await prepared.run();
  } while (performance.now() < warmUpUntil);
  const rates: number[] = [];
  for (let r = 0; r < Number(runsText); r++) {
    await prepared.reset();
    // Collect the garbage of setup and earlier runs now, not during the timed run.
    gc?.();
    const start = performance.now();
    await prepared.run();
    const seconds = (performance.now() - start) / 1000;
    rates.push(prepared.samplesPerRun / seconds);
  }
  const finalLoss = await prepared.finalLoss();
  const result: Record<string, unknown> = {
    contender: contender.name,
    workload: workload.name,
    samplesPerSecond: rates,
    median: [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)],
    finalLoss,
    notes: prepared.notes,
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

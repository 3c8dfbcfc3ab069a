/**
 * Matrix products split across helper threads (engine/src/fast/product-threads.ts, with Node's
 * helpers from src-main/training/spawn.ts): the split products equal one thread's bit for bit and
 * hold to float32's bound, the helpers really do part of the work, a training run with them is the
 * run without them, and a helper that cannot attach or stops answering is handled.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  Trainer,
  createRng,
  findExample,
  parseProject,
  serialiseProject,
  useProductThreads,
  type Hyperparameters,
  type ProductThreadHost,
} from '../engine/src/index';
import { BatchedKernel } from '../engine/src/fast/batched';
import { initialiseProjectWeights } from '../engine/src/project/examples';
import type { Gemm } from '../engine/src/fast/gemm';
import { CONTROL_INTS, MIN_SPLIT_MACS, type ProductHelper } from '../engine/src/fast/product-threads';
import { createWasmArena32, type WasmArena32 } from '../engine/src/fast/wasm-gemm';
import { defaultHelperCount, helpersAttached, nodeProductThreads } from '../src-main/training/spawn';
import { float32Failures } from './support/gemm-check';
import { wideProblem } from './support/wide-network';

/** One Node helper thread for the whole file: starting one (through tsx) takes a while. */
let host: ProductThreadHost;

beforeAll(() => {
  host = nodeProductThreads(1);
});

afterEach(() => useProductThreads(null));

/** Resolves once `ready()` holds, polling; fails after `ms`. */
async function until(ready: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A float32 arena split across `host`'s helpers, once they are attached to it. */
async function threadedArena(floats: number, relaxed: boolean): Promise<WasmArena32> {
  useProductThreads(host);
  const arena = createWasmArena32(floats, { threads: true, relaxed })!;
  expect(arena.threads).not.toBeNull();
  expect(await helpersAttached(arena.threads, 1, 60_000)).toBe(true);
  return arena;
}

/** Shapes [m, n, k] large enough to split: m a multiple of 4 and not, a helper's share of one row. */
const SPLIT_SHAPES: readonly (readonly [number, number, number])[] = [
  [64, 128, 784],
  [128, 784, 64],
  [70, 130, 300],
  [9, 200, 200],
  [33, 65, 129],
];

describe('split matrix products', () => {
  it('the app starts a helper per core beyond training’s and the window’s, at most three; the CLI has no window', () => {
    expect([1, 2, 3, 4, 5, 16].map((cores) => defaultHelperCount(cores))).toEqual([0, 0, 1, 2, 3, 3]);
    expect([1, 2, 3, 4, 16].map((cores) => defaultHelperCount(cores, { window: false }))).toEqual([0, 1, 2, 3, 3]);
  });

  // The relaxed-SIMD build needs a V8 flag in Node 20: gemm-f32.test.ts checks it split in a child process.
  it("equal one thread's products bit for bit, with the helper computing its share (plain SIMD build)", async () => {
    const floats = 4_000_000;
    const threaded = await threadedArena(floats, false);
    const single = createWasmArena32(floats, { relaxed: false })!;
    expect(single.threads).toBeNull();
    expect(threaded.gemm.name).toBe(single.gemm.name);
    const rng = createRng(9);
    for (const [m, n, k] of SPLIT_SHAPES) {
      expect(m * n * k).toBeGreaterThanOrEqual(2 * MIN_SPLIT_MACS);
      for (const kind of ['nt', 'tn', 'nn'] as const) {
        const [ra, ca] = kind === 'tn' ? [k, m] : [m, k];
        const [rb, cb] = kind === 'nt' ? [n, k] : [k, n];
        const inputs = [ra * (ca + 3), rb * (cb + 1), m * (n + 2)].map((length) => Array.from({ length }, () => rng.normal()));
        const run = (arena: WasmArena32) => {
          const [a, b, c] = inputs.map((values) => {
            const array = arena.allocate(values.length);
            array.set(values);
            return array;
          });
          arena.gemm[kind](
            m,
            n,
            k,
            { data: a, offset: 0, stride: ca + 3 },
            { data: b, offset: 0, stride: cb + 1 },
            { data: c, offset: 0, stride: n + 2 },
          );
          return Array.from(c);
        };
        const before = threaded.threads!.helperProducts();
        const split = run(threaded);
        expect(threaded.threads!.helperProducts(), `${kind} ${m}×${n}×${k} was split`).toBe(before + 1);
        expect(split, `${kind} ${m}×${n}×${k}`).toEqual(run(single));
      }
    }
    // And held, split, to float32's bound on the products' own awkward shapes (those large enough are split).
    const before = threaded.threads!.helperProducts();
    expect(float32Failures(threaded.gemm as Gemm<Float32Array>, (length) => threaded.allocate(length))).toEqual([]);
    expect(threaded.threads!.helperProducts()).toBeGreaterThan(before);
  });

  it('a small product stays on the calling thread', async () => {
    const arena = await threadedArena(100_000, true);
    const before = arena.threads!.helperProducts();
    const a = arena.allocate(16 * 64);
    const b = arena.allocate(10 * 64);
    const c = arena.allocate(16 * 10);
    arena.gemm.nt(16, 10, 64, { data: a, offset: 0, stride: 64 }, { data: b, offset: 0, stride: 64 }, { data: c, offset: 0, stride: 10 });
    expect(arena.threads!.helperProducts()).toBe(before);
  });

  it('only the newest arena uses the helpers: they attach to it, and the older one runs alone', async () => {
    const older = await threadedArena(1_000_000, true);
    const newer = await threadedArena(1_000_000, true);
    expect(older.threads!.helpersReady()).toBe(0);
    expect(newer.threads!.helpersReady()).toBe(1);
  });

  it('a fast-precision training run with a helper is the run without it, bit for bit', async () => {
    const { model, params, data, hyper } = wideRun();
    useProductThreads(host);
    const withHelper = new Trainer({ model, params, train: data, hyper });
    const kernel = withHelper.kernel as BatchedKernel;
    expect(kernel).toBeInstanceOf(BatchedKernel);
    expect(withHelper.precision).toBe('fast');
    expect(await helpersAttached(kernel.threads, 1, 60_000)).toBe(true);
    expect(kernel.takeWidestSplit()).toBe(1); // nothing split yet
    const before = kernel.threads!.helperProducts();
    withHelper.run({ epochs: 2 });
    expect(kernel.threads!.helperProducts()).toBeGreaterThan(before);
    // What a host reports as the threads training used: two, then one until products split again.
    expect(kernel.takeWidestSplit()).toBe(2);
    expect(kernel.takeWidestSplit()).toBe(1);

    useProductThreads(null);
    const alone = new Trainer({ model, params, train: data, hyper });
    expect((alone.kernel as BatchedKernel).threads).toBeNull();
    alone.run({ epochs: 2 });
    expect((alone.kernel as BatchedKernel).takeWidestSplit()).toBe(1);
    expect(Array.from(withHelper.params)).toEqual(Array.from(alone.params));
    expect(withHelper.history.at(-1)!.loss).toBe(alone.history.at(-1)!.loss);
  });

  it('a helper that cannot instantiate the products is left out, and the products run on one thread', async () => {
    // The attachment never reaches the helper: its attach job fails, and it is not counted as ready.
    const real = nodeProductThreads(1);
    const dropping: ProductThreadHost = { helpers: () => real.helpers().map((helper) => ({ control: helper.control, send: () => {} })) };
    useProductThreads(dropping);
    const arena = createWasmArena32(2_000_000, { threads: true })!;
    const control = real.helpers()[0].control;
    await until(() => Atomics.load(control, 14) === 1 && Atomics.load(control, 1) === Atomics.load(control, 0), 'the helper to answer');
    expect(arena.threads!.helpersReady()).toBe(0);
    expect(float32Failures(arena.gemm as Gemm<Float32Array>, (length) => arena.allocate(length))).toEqual([]);
    expect(arena.threads!.helperProducts()).toBe(0);
  });

  it('a helper that stops answering: the product says so in one sentence, and the next runs on one thread', () => {
    // A helper that answered its attach job and then went silent (its thread died mid-run).
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
    const silent: ProductHelper = { control, send: () => {} };
    useProductThreads({ helpers: () => [silent] });
    const arena = createWasmArena32(1_000_000, { threads: true, helperTimeoutMs: 200 })!;
    Atomics.store(control, 14, 1); // READY
    Atomics.store(control, 1, Atomics.load(control, 0)); // DONE = the attach job's SEQ
    expect(arena.threads!.helpersReady()).toBe(1);
    const [m, n, k] = [64, 128, 784];
    const a = arena.allocate(m * k);
    const b = arena.allocate(n * k);
    const c = arena.allocate(m * n);
    a.fill(1);
    b.fill(0.5);
    const product = () =>
      arena.gemm.nt(m, n, k, { data: a, offset: 0, stride: k }, { data: b, offset: 0, stride: k }, { data: c, offset: 0, stride: n });
    expect(product).toThrow(/^A matrix-product helper thread stopped answering, so this training step is incomplete; train again/);
    expect(arena.threads!.helpersReady()).toBe(0);
    c.fill(0);
    product();
    expect(Array.from(new Set(c))).toEqual([k * 0.5]);
  });
});

describe('nnstudio train --threads', () => {
  it('trains a wide digits network to the same numbers on two threads as on one, and refuses a bad count', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnstudio-threads-'));
    try {
      // The digits example, its hidden layer widened to 256 and its batches to 64: float32 by
      // itself (Automatic), with products of a million multiply-adds, which are split.
      const project = findExample('digits')!.create();
      const hidden = project.graph.nodes.find((node) => node.id === 'hidden')!;
      if (hidden.kind !== 'dense') throw new Error('The digits example changed.');
      hidden.units = 256;
      hidden.bias = new Array(256).fill(0);
      for (const edge of project.graph.edges)
        edge.weight =
          edge.id === 'pixels->hidden'
            ? Array.from({ length: 256 }, () => new Array(64).fill(0))
            : Array.from({ length: 10 }, () => new Array(256).fill(0));
      project.hyperparameters = { ...project.hyperparameters, batchSize: 64, optimiser: 'sgd', learningRate: 0.05, maxEpochs: 3 };
      writeFileSync(join(dir, 'wide.nnproj'), serialiseProject(initialiseProjectWeights(project)));
      const bin = fileURLToPath(new URL('../bin/nnstudio.mjs', import.meta.url));
      const train = (...args: string[]) =>
        spawnSync(process.execPath, [bin, 'train', 'wide.nnproj', '--quiet', ...args], { cwd: dir, encoding: 'utf8' });
      const read = (name: string) => {
        const result = parseProject(readFileSync(join(dir, name), 'utf8'));
        if (!result.ok) throw new Error(result.error.message);
        return result.project;
      };
      expect(train('--threads', '2', '--out', 'two.nnproj').status).toBe(0);
      expect(train('--threads', '1', '--out', 'one.nnproj').status).toBe(0);
      const [two, one] = [read('two.nnproj'), read('one.nnproj')];
      expect(two.training.epoch).toBe(3);
      expect(two.training.history.map((record) => record.loss)).toEqual(one.training.history.map((record) => record.loss));
      expect(two.graph).toEqual(one.graph);

      const refused = train('--threads', 'many');
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/^nnstudio: --threads needs a whole number of at least 1, got 'many'\.\n/);
      expect(train('--threads', '1000').stderr).toMatch(/^nnstudio: --threads is at most 64, got 1000\.\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A network past automatic precision's threshold (fast), with products large enough to split. */
function wideRun() {
  const { model, params, data } = wideProblem({ features: 200, hidden: 96, classes: 10, rows: 256, dataSeed: 12, initSeed: 5 });
  const hyper: Hyperparameters = {
    ...DEFAULT_HYPERPARAMETERS,
    loss: 'crossEntropy',
    mode: 'minibatch',
    batchSize: 64,
    learningRate: 0.05,
    momentum: 0.9,
  };
  return { model, params, data, hyper };
}

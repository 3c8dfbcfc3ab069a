/**
 * The fast-path pieces on their own: the matrix products against naive loops, and the kernels
 * against each other on shapes the random-DAG trace tests do not reach (chunked batches, wide layers).
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  Trainer,
  bindData,
  compileOrThrow,
  createRng,
  datasetFromRows,
  initialiseParameters,
  type Hyperparameters,
} from '../index';
import { LOSS_NAMES } from '../model/losses';
import { BatchedKernel } from './batched';
import { jsGemm, type Gemm } from './gemm';
import { generateSource } from './generated';
import { createWasmArena } from './wasm-gemm';
import { wideNetwork } from '../../../test/support/wide-network';
import { productFailures } from '../../../test/support/gemm-check';

/** Checks a float64 product against float64 sums on awkward shapes, offsets and strides, to float64 rounding. */
function checkGemm(gemm: Gemm, allocate: (length: number) => Float64Array = (n) => new Float64Array(n)): void {
  expect(productFailures(gemm, allocate, (exact) => 1e-12 * Math.max(1, Math.abs(exact)))).toEqual([]);
}

describe('matrix products', () => {
  it('the TypeScript products equal the naive triple loops', () => {
    checkGemm(jsGemm);
  });

  it('the WebAssembly SIMD products equal the naive triple loops', () => {
    const arena = createWasmArena(4_000_000);
    expect(arena, 'WebAssembly SIMD is available in Node 20').not.toBeNull();
    let used = 0;
    checkGemm(arena!.gemm, (length) => {
      used += length;
      return arena!.allocate(length);
    });
    expect(used).toBeGreaterThan(0);
  });

  it('the WebAssembly products fall back to TypeScript for matrices outside their memory', () => {
    const arena = createWasmArena(16)!;
    checkGemm(arena.gemm);
  });

  it('the arena hands out separate, zeroed buffers and refuses to outgrow its memory', () => {
    const arena = createWasmArena(1000)!;
    const a = arena.allocate(600);
    const b = arena.allocate(400);
    expect(Array.from(a).every((v) => v === 0) && Array.from(b).every((v) => v === 0)).toBe(true);
    a.fill(1);
    expect(Array.from(b).every((v) => v === 0)).toBe(true);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + a.byteLength);
    expect(() => arena.allocate(1_000_000)).toThrow(/arena is full/);
  });

  it('the shipped binary is what engine/wasm/gemm.ts compiles to (run `npm run build:wasm` after changing it)', async () => {
    // @ts-expect-error: a plain .mjs build script, imported for its functions.
    const build = await import('../../../scripts/build-wasm.mjs');
    const shipped = await import('./wasm-binary');
    expect(build.buildWasmBase64()).toBe(shipped.GEMM_WASM_BASE64);
  });
});

describe('kernels agree on wide networks and chunked batches', () => {
  it('interpreted, generated-or-not, and batched give the same weights after a few steps', () => {
    const graph = wideNetwork(40, 24, 5);
    const model = compileOrThrow(graph);
    const rng = createRng(9);
    const rows = Array.from({ length: 600 }, () => {
      const hot = rng.int(5);
      return [...Array.from({ length: 40 }, () => rng.next()), ...Array.from({ length: 5 }, (_, k) => (k === hot ? 1 : 0))];
    });
    const data = bindData(model, datasetFromRows(model.features, model.targets, rows));
    const start = initialiseParameters(model, { method: 'he', seed: 3 });
    // Batch mode on 600 rows runs the batched kernel in chunks of 256.
    for (const mode of ['batch', 'minibatch'] as const) {
      const hyper: Hyperparameters = {
        ...DEFAULT_HYPERPARAMETERS,
        loss: 'crossEntropy',
        mode,
        batchSize: 50,
        learningRate: 0.2,
        momentum: 0.5,
        l2: 0.01,
        shuffle: true,
      };
      const trainers = (['interpreted', 'batched'] as const).map(
        (kernel) => new Trainer({ model, params: start, train: data, hyper, kernel }),
      );
      expect((trainers[1].kernel as BatchedKernel).products).toBe('webassembly-simd');
      const typescript = new Trainer({
        model,
        params: start,
        train: data,
        hyper,
        kernel: new BatchedKernel(model, 'crossEntropy', 600, 'typescript'),
      });
      trainers.push(typescript);
      for (let step = 0; step < 5; step++) for (const t of trainers) t.step('batch');
      const [reference, ...others] = trainers;
      for (const other of others) {
        for (let p = 0; p < model.paramCount; p++) expect(Math.abs(other.params[p] - reference.params[p])).toBeLessThan(1e-12);
      }
    }
  });

  it('the generated source is plain straight-line code with constant indices', () => {
    const model = compileOrThrow(wideNetwork(2, 3, 2));
    const source = generateSource(model, 'crossEntropy');
    expect(source).toMatch(/const s\d+ = p\[\d+\] \+ p\[\d+\] \* z\d+/);
    expect(source).not.toMatch(/for \(let c/);
  });
});

describe('fused stochastic descent', () => {
  it('equals one-sample steps of the interpreted kernel, on random DAGs', async () => {
    const { randomProblem } = await import('../../../test/support/random-dag');
    for (let seed = 1; seed <= 40; seed++) {
      for (const loss of LOSS_NAMES) {
        const { model, params, data } = randomProblem(seed, loss, 7);
        const hyper: Hyperparameters = {
          ...DEFAULT_HYPERPARAMETERS,
          loss,
          mode: 'stochastic',
          learningRate: 0.05,
          shuffle: true,
          shuffleSeed: seed,
          maxEpochs: 100,
        };
        const fused = new Trainer({ model, params, train: data, hyper, kernel: 'generated' });
        const reference = new Trainer({ model, params, train: data, hyper, kernel: 'interpreted' });
        fused.run({ epochs: 3 });
        for (let s = 0; s < 3 * data.size; s++) reference.step('sample');
        for (let p = 0; p < model.paramCount; p++) {
          if (Math.abs(fused.params[p] - reference.params[p]) > 1e-12)
            throw new Error(`seed ${seed} ${loss}: ${model.paramNames[p]} ${fused.params[p]} ≠ ${reference.params[p]}`);
        }
        expect(fused.history.map((r) => r.loss)).toEqual(reference.history.map((r) => expect.closeTo(r.loss, 12) as unknown as number));
        const fusedVelocity = fused.optimiserState.slots[0];
        expect(Array.from(fusedVelocity).every((v, p) => Math.abs(v - reference.optimiserState.slots[0][p]) < 1e-12)).toBe(true);
        // The fused loop counts its steps as the optimiser's step does: one per sample.
        expect(fused.optimiserState.step).toBe(reference.optimiserState.step);
        expect(fused.optimiserState.step).toBe(3 * data.size);
      }
    }
  });
});

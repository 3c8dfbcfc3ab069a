/**
 * The float32 matrix products: the plain-SIMD and the relaxed-SIMD (fused multiply-add) builds
 * against float64 sums of the same float32 inputs, the TypeScript products over float32 as well,
 * the fallback for matrices outside the arena, and the shipped binaries against a fresh build.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsGemm, type Gemm } from './gemm';
import { createWasmArena32 } from './wasm-gemm';
import { asFloat32, float32Failures } from '../../../test/support/gemm-check';

describe('float32 matrix products', () => {
  it('the plain SIMD build agrees with float64 sums to float32 rounding, on every edge of its tiles', () => {
    const arena = createWasmArena32(4_000_000, { relaxed: false })!;
    expect(arena.gemm.name).toBe('webassembly-simd-f32');
    expect(arena.fusedMultiplyAdd).toBe(false);
    expect(float32Failures(arena.gemm, (n) => arena.allocate(n))).toEqual([]);
  });

  it('the relaxed SIMD build (fused multiply-add) does too, where the runtime enables it', () => {
    // Node 20's V8 has relaxed SIMD behind a flag (Electron's has it on): run the check in a child with it.
    const child = fileURLToPath(new URL('../../../test/support/gemm-relaxed-child.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', child], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
      fusedMultiplyAdd: boolean;
      name: string;
      failures: string[];
      split: { name: string; helperProducts: number; failures: string[]; sameAsOneThread: boolean };
    };
    expect(report.name).toBe('webassembly-relaxed-simd-f32');
    expect(report.fusedMultiplyAdd).toBe(true);
    expect(report.failures).toEqual([]);
    // Split across a helper thread (test/product-threads.test.ts checks the plain build the same way).
    expect(report.split.name).toBe('webassembly-relaxed-simd-f32');
    expect(report.split.failures).toEqual([]);
    expect(report.split.helperProducts).toBeGreaterThan(0);
    expect(report.split.sameAsOneThread).toBe(true);
  });

  it('without the flag this Node refuses relaxed SIMD, and the arena falls back to the plain build', () => {
    // The detection itself: WebAssembly.validate decides, so a runtime without relaxed SIMD still trains.
    const arena = createWasmArena32(1024)!;
    const relaxedHere = process.execArgv.some((a) => a.includes('relaxed-simd'));
    expect(arena.fusedMultiplyAdd).toBe(relaxedHere);
    expect(arena.gemm.name).toBe(relaxedHere ? 'webassembly-relaxed-simd-f32' : 'webassembly-simd-f32');
  });

  it('the TypeScript products over float32 pass the same check', () => {
    expect(float32Failures(asFloat32(jsGemm), (n) => new Float32Array(n))).toEqual([]);
  });

  it('the check can fail: a product that drops the last term of each sum is caught', () => {
    const dropsOne: Gemm<Float32Array> = {
      name: 'drops-one',
      nt: (m, n, k, a, b, c) => jsGemm.nt(m, n, Math.max(0, k - 1), a, b, c),
      tn: (m, n, k, a, b, c) => jsGemm.tn(m, n, Math.max(0, k - 1), a, b, c),
      nn: (m, n, k, a, b, c) => jsGemm.nn(m, n, Math.max(0, k - 1), a, b, c),
    };
    expect(float32Failures(dropsOne, (n) => new Float32Array(n)).length).toBeGreaterThan(0);
  });

  it('matrices outside the arena fall back to the TypeScript products', () => {
    const arena = createWasmArena32(1024, { relaxed: false })!;
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([5, 6, 7, 8]);
    const c = new Float32Array(4);
    arena.gemm.nt(2, 2, 2, { data: a, offset: 0, stride: 2 }, { data: b, offset: 0, stride: 2 }, { data: c, offset: 0, stride: 2 });
    expect(Array.from(c)).toEqual([1 * 5 + 2 * 6, 1 * 7 + 2 * 8, 3 * 5 + 4 * 6, 3 * 7 + 4 * 8]);
  });

  it('the arena hands out aligned, zeroed float32 views and refuses past its size', () => {
    const arena = createWasmArena32(1000, { relaxed: false })!;
    const a = arena.allocate(3);
    const b = arena.allocate(5);
    expect(a).toBeInstanceOf(Float32Array);
    expect(b.byteOffset % 16).toBe(0);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + a.byteLength);
    expect(Array.from(b).every((v) => v === 0)).toBe(true);
    expect(() => arena.allocate(10_000_000)).toThrow(/arena is full/);
  });

  it('rounds the weights to float32 and adds a float32 gradient to a float64 one, in the arena and outside it', () => {
    const arena = createWasmArena32(100_000, { relaxed: false })!;
    for (const length of [0, 1, 3, 4, 5, 1001]) {
      const weights = arena.allocate64(length);
      const gradient = arena.allocate64(length);
      const copy = arena.allocate(length);
      const step = arena.allocate(length);
      for (let i = 0; i < length; i++) {
        weights[i] = Math.sin(i + 0.3) * 1e3 + 1 / 3;
        gradient[i] = Math.cos(i) / 7;
        step[i] = Math.fround(Math.sin(3 * i) / 11);
      }
      const expectedGradient = gradient.map((g, i) => g + step[i]);
      arena.narrow(copy, weights);
      arena.widenAdd(gradient, step);
      // Math.fround is float64 → float32 rounding to nearest, as the SIMD demotion does.
      for (let i = 0; i < length; i++) expect(copy[i]).toBe(Math.fround(weights[i]));
      expect(Array.from(gradient)).toEqual(Array.from(expectedGradient));
      // Outside the arena: the same numbers by the loops.
      const outside = new Float32Array(length);
      arena.narrow(outside, Float64Array.from(weights));
      expect(Array.from(outside)).toEqual(Array.from(copy));
    }
  });

  it('the shipped binaries are what engine/wasm/gemm-f32.ts compiles to (run `npm run build:wasm` after changing it)', async () => {
    // @ts-expect-error: a plain .mjs build script, imported for its functions.
    const build = await import('../../../scripts/build-wasm.mjs');
    const shipped = await import('./wasm-binary-f32');
    const fresh = build.buildWasmF32Base64() as Record<'plain' | 'relaxed' | 'sharedPlain' | 'sharedRelaxed', string>;
    expect(fresh.plain).toBe(shipped.GEMM_F32_WASM_BASE64);
    expect(fresh.relaxed).toBe(shipped.GEMM_F32_RELAXED_WASM_BASE64);
    expect(fresh.sharedPlain).toBe(shipped.GEMM_F32_SHARED_WASM_BASE64);
    expect(fresh.sharedRelaxed).toBe(shipped.GEMM_F32_SHARED_RELAXED_WASM_BASE64);
  });
});

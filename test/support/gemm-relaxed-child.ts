/**
 * Runs the float32 product checks on the relaxed-SIMD (fused multiply-add) build, in a process
 * started with the V8 flag that enables relaxed SIMD (Node 20 has it off by default): on one
 * thread, and split across a helper thread (which shares the flag: V8's flags are per process).
 * Prints one JSON line: whether the relaxed build ran, and the failures.
 *   node --experimental-wasm-relaxed-simd --import tsx test/support/gemm-relaxed-child.ts
 */
import { useProductThreads } from '../../engine/src/fast/product-threads';
import { createWasmArena32, type WasmArena32 } from '../../engine/src/fast/wasm-gemm';
import { helpersAttached, nodeProductThreads } from '../../src-main/training/spawn';
import { float32Failures } from './gemm-check';

const arena = createWasmArena32(4_000_000);
const failures = arena ? float32Failures(arena.gemm, (n) => arena.allocate(n)) : ['no arena'];

useProductThreads(nodeProductThreads(1));
const threaded = createWasmArena32(4_000_000, { threads: true });
await helpersAttached(threaded?.threads ?? null, 1, 60_000);
const splitFailures = threaded?.threads ? float32Failures(threaded.gemm, (n) => threaded.allocate(n)) : ['no threaded arena'];

/** W3's first-layer products on `on`, from the same numbers each time. */
function products(on: WasmArena32): number[] {
  const [m, n, k] = [64, 128, 784];
  const fill = (length: number, seed: number) => {
    const array = on.allocate(length);
    for (let i = 0; i < length; i++) array[i] = Math.sin(seed * 7919 + i * 0.37);
    return array;
  };
  const x = fill(m * k, 1);
  const w = fill(n * k, 2);
  const s = fill(m * n, 3);
  const g = fill(n * k, 4);
  on.gemm.nt(m, n, k, { data: x, offset: 0, stride: k }, { data: w, offset: 0, stride: k }, { data: s, offset: 0, stride: n });
  on.gemm.tn(n, k, m, { data: s, offset: 0, stride: n }, { data: x, offset: 0, stride: k }, { data: g, offset: 0, stride: k });
  return [...s, ...g];
}
const sameAsOneThread =
  !!arena && !!threaded && JSON.stringify(products(createWasmArena32(1_000_000)!)) === JSON.stringify(products(threaded));

process.stdout.write(
  `${JSON.stringify({
    fusedMultiplyAdd: arena?.fusedMultiplyAdd ?? false,
    name: arena?.gemm.name ?? null,
    failures,
    split: {
      name: threaded?.gemm.name ?? null,
      helperProducts: threaded?.threads?.helperProducts() ?? 0,
      failures: splitFailures,
      sameAsOneThread,
    },
  })}\n`,
);

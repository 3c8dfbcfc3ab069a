/**
 * Runs the float32 product checks on the relaxed-SIMD (fused multiply-add) build, in a process
 * started with the V8 flag that enables relaxed SIMD (Node 20 has it off by default). Prints one
 * JSON line: whether the relaxed build ran, and the failures.
 *   node --experimental-wasm-relaxed-simd --import tsx test/support/gemm-relaxed-child.ts
 */
import { createWasmArena32 } from '../../engine/src/fast/wasm-gemm';
import { float32Failures } from './gemm-check';

const arena = createWasmArena32(4_000_000);
process.stdout.write(
  `${JSON.stringify({
    fusedMultiplyAdd: arena?.fusedMultiplyAdd ?? false,
    name: arena?.gemm.name ?? null,
    failures: arena ? float32Failures(arena.gemm, (n) => arena.allocate(n)) : ['no arena'],
  })}\n`,
);

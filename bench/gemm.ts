/**
 * The matrix products on their own, at the shapes of W3 (784-128-10, batch 64): GFLOP/s of each
 * product for the TypeScript float64 reference, the float64 WebAssembly SIMD products, and the
 * float32 ones (plain SIMD; relaxed SIMD's fused multiply-add when this runtime validates it —
 * Node 20 needs `--experimental-wasm-relaxed-simd`, Electron's V8 has it on), and the float32 ones
 * split across this thread and a helper thread. A measurement, not a
 * test: the products are checked against each other in engine/src/fast/*.test.ts.
 *
 *   npx tsx bench/gemm.ts
 *   node --experimental-wasm-relaxed-simd --import tsx bench/gemm.ts
 */
import { jsGemm, type FloatArray, type Gemm } from '../engine/src/fast/gemm';
import { createWasmArena, createWasmArena32, type WasmArena32 } from '../engine/src/fast/wasm-gemm';
import { useProductThreads } from '../engine/src/fast/product-threads';
import { helpersAttached, nodeProductThreads } from '../src-main/training/spawn';
import { createRng } from '../engine/src/index';

/** [product, m, n, k, what it is in W3]. */
const SHAPES = [
  ['nt', 64, 128, 784, 'S₁ = X·W₁ᵀ'],
  ['tn', 128, 784, 64, '∂W₁ = G₁ᵀ·X'],
  ['nn', 64, 784, 128, '∂X = G₁·W₁ (not needed in W3: its input is data)'],
  ['nt', 64, 10, 128, 'S₂ = Z₁·W₂ᵀ'],
  ['tn', 10, 128, 64, '∂W₂ = G₂ᵀ·Z₁'],
  ['nn', 64, 128, 10, '∂Z₁ = G₂·W₂'],
] as const;

interface Contender {
  name: string;
  gemm: Gemm<FloatArray>;
  allocate(length: number): FloatArray;
  /** The arena whose products are split with a helper thread (product-threads.ts). */
  split?: WasmArena32;
}

function contenders(): Contender[] {
  const size = 3 * 128 * 784 + 4096;
  const list: Contender[] = [{ name: 'TypeScript f64', gemm: jsGemm, allocate: (n) => new Float64Array(n) }];
  const f64 = createWasmArena(size * 6);
  if (f64) list.push({ name: 'WebAssembly f64', gemm: f64.gemm as Gemm<FloatArray>, allocate: (n) => f64.allocate(n) });
  const plain = createWasmArena32(size * 6, { relaxed: false });
  if (plain) list.push({ name: 'WebAssembly f32', gemm: plain.gemm as Gemm<FloatArray>, allocate: (n) => plain.allocate(n) });
  const relaxed = createWasmArena32(size * 6);
  if (relaxed?.fusedMultiplyAdd)
    list.push({ name: 'WebAssembly f32 FMA', gemm: relaxed.gemm as Gemm<FloatArray>, allocate: (n) => relaxed.allocate(n) });
  // Last: only the newest arena has the helper attached.
  useProductThreads(nodeProductThreads(1));
  const split = createWasmArena32(size * 6, { threads: true });
  if (split?.threads)
    list.push({
      name: `${split.fusedMultiplyAdd ? 'WebAssembly f32 FMA' : 'WebAssembly f32'}, 2 threads`,
      gemm: split.gemm as Gemm<FloatArray>,
      allocate: (n) => split.allocate(n),
      split,
    });
  return list;
}

const rng = createRng(1);
const rows: string[] = [];
const all = contenders();
for (const { split } of all) if (split) await helpersAttached(split.threads, 1);
const buffers = all.map((c) => {
  const fill = (n: number) => {
    const a = c.allocate(n);
    for (let i = 0; i < n; i++) a[i] = rng.normal();
    return a;
  };
  return { a: fill(128 * 784), b: fill(128 * 784), c: fill(128 * 784) };
});
for (const [kind, m, n, k, what] of SHAPES) {
  const cells = all.map((contender, index) => {
    const { a, b, c } = buffers[index];
    const [lda, ldb] = kind === 'nt' ? [k, k] : kind === 'tn' ? [m, n] : [k, n];
    const run = () =>
      contender.gemm[kind](
        m,
        n,
        k,
        { data: a, offset: 0, stride: lda },
        { data: b, offset: 0, stride: ldb },
        { data: c, offset: 0, stride: n },
      );
    // Warm up for 0.3 s, then time repetitions for at least 0.5 s.
    let until = performance.now() + 300;
    while (performance.now() < until) run();
    let count = 0;
    const start = performance.now();
    until = start + 500;
    while (performance.now() < until) {
      run();
      count++;
    }
    const seconds = (performance.now() - start) / 1000;
    return (2 * m * n * k * count) / seconds / 1e9;
  });
  rows.push(`| ${kind} ${m}×${n}×${k} | ${what} | ${cells.map((g) => g.toFixed(1)).join(' | ')} |`);
}
const relaxedHere = all.some((c) => c.name === 'WebAssembly f32 FMA');
console.log(
  `GFLOP/s (2·m·n·k per product); relaxed SIMD ${relaxedHere ? 'available' : 'not available here'}; "2 threads": rows split with a helper thread where a product is large enough (product-threads.ts).\n`,
);
console.log(`| product | in W3 | ${all.map((c) => c.name).join(' | ')} |`);
console.log(`|---|---|${all.map(() => '---:').join('|')}|`);
console.log(rows.join('\n'));

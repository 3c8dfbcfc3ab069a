/**
 * Float32 matrix products held to float64 sums of the same float32 inputs, on awkward shapes,
 * offsets and strides, with C pre-filled (the products add to it). Shared by the in-process test
 * and the child process that runs the relaxed-SIMD build (test/support/gemm-relaxed-child.ts).
 */
import type { FloatArray, Gemm } from '../../engine/src/fast/gemm';
import { createRng } from '../../engine/src/index';

/** Shapes [m, n, k]: every edge of the 4×2 and 4×8 tiles and the 4-wide k steps, and W3's own. */
export const SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [1, 9, 1],
  [3, 5, 7],
  [4, 2, 4],
  [5, 3, 5],
  [7, 9, 13],
  [8, 8, 8],
  [9, 17, 3],
  [13, 31, 70],
  [70, 11, 9],
  [64, 10, 128],
  [10, 128, 64],
  [64, 128, 784],
];

/**
 * Every element where `gemm` differs from the float64 sum by more than float32 allows, as
 * sentences (empty when all agree). The bound: each product and partial sum of a float32 dot
 * product of length k rounds to 2⁻²⁴ relative, so the result is within about k·2⁻²⁴·Σ|a·b| of the
 * exact sum (Higham's bound for recursive summation, γ_k); plus one rounding of |C| when it is added.
 * Elements outside the matrices (padding between rows, before the offset) must stay as they were.
 */
export function float32Failures(gemm: Gemm<Float32Array>, allocate: (length: number) => Float32Array, seed = 5): string[] {
  const rng = createRng(seed);
  const failures: string[] = [];
  const u = 2 ** -24;
  for (const [m, n, k] of SHAPES) {
    for (const kind of ['nt', 'tn', 'nn'] as const) {
      const [ra, ca] = kind === 'tn' ? [k, m] : [m, k];
      const [rb, cb] = kind === 'nt' ? [n, k] : [k, n];
      const lda = ca + 3;
      const ldb = cb + 1;
      const ldc = n + 2;
      const random = (length: number) => {
        const array = allocate(length);
        for (let i = 0; i < length; i++) array[i] = rng.normal();
        return array;
      };
      const a = random(4 + ra * lda);
      const b = random(2 + rb * ldb);
      const c = random(1 + m * ldc);
      const original = Float32Array.from(c);
      gemm[kind](m, n, k, { data: a, offset: 4, stride: lda }, { data: b, offset: 2, stride: ldb }, { data: c, offset: 1, stride: ldc });
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let exact = original[1 + i * ldc + j];
          let magnitude = Math.abs(exact);
          for (let p = 0; p < k; p++) {
            const x = kind === 'tn' ? a[4 + p * lda + i] : a[4 + i * lda + p];
            const y = kind === 'nt' ? b[2 + j * ldb + p] : b[2 + p * ldb + j];
            exact += x * y;
            magnitude += Math.abs(x * y);
          }
          const got = c[1 + i * ldc + j];
          const bound = (k + 2) * u * magnitude + u * Math.abs(exact);
          if (!(Math.abs(got - exact) <= bound))
            failures.push(`${gemm.name} ${kind} ${m}×${n}×${k} at (${i}, ${j}): ${got}, float64 sum ${exact}, allowed ±${bound}`);
        }
      }
      if (c[0] !== original[0]) failures.push(`${gemm.name} ${kind} ${m}×${n}×${k} wrote before the offset`);
      for (let i = 0; i < m; i++)
        for (let j = n; j < ldc && 1 + i * ldc + j < c.length; j++)
          if (c[1 + i * ldc + j] !== original[1 + i * ldc + j])
            failures.push(`${gemm.name} ${kind} ${m}×${n}×${k} wrote into the padding of row ${i}`);
      if (failures.length > 20) return failures;
    }
  }
  return failures;
}

/** `float32Failures` typed for a product over either array type. */
export const asFloat32 = (gemm: Gemm<FloatArray>) => gemm as Gemm<Float32Array>;

/**
 * Matrix products held to float64 sums of the same inputs, on awkward shapes, offsets and strides,
 * with C pre-filled (the products add to it): the float64 ones to float64 rounding, the float32
 * ones to float32's. Shared by the products' tests and the child process that runs the
 * relaxed-SIMD build (test/support/gemm-relaxed-child.ts).
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

/** How far a result may be from the float64 sum: given that sum, Σ|terms| (with |C| before) and k. */
export type ProductBound = (exact: number, magnitude: number, k: number) => number;

/**
 * Float32 rounding: each product and partial sum of a float32 dot product of length k rounds to
 * 2⁻²⁴ relative, so the result is within about k·2⁻²⁴·Σ|a·b| of the exact sum (Higham's bound for
 * recursive summation, γ_k); plus one rounding of |C| when it is added.
 */
export const FLOAT32_BOUND: ProductBound = (exact, magnitude, k) => (k + 2) * 2 ** -24 * magnitude + 2 ** -24 * Math.abs(exact);

/** The float32 products' check (see {@link productFailures}). */
export function float32Failures(gemm: Gemm<Float32Array>, allocate: (length: number) => Float32Array, seed = 5): string[] {
  return productFailures(gemm, allocate, FLOAT32_BOUND, seed);
}

/**
 * Every element where `gemm` differs from the float64 sum by more than `bound` allows, as
 * sentences (empty when all agree). Elements outside the matrices (padding between rows, before
 * the offset) must stay as they were.
 */
export function productFailures<A extends FloatArray>(
  gemm: Gemm<A>,
  allocate: (length: number) => A,
  bound: ProductBound,
  seed = 5,
): string[] {
  const rng = createRng(seed);
  const failures: string[] = [];
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
      const original = Float64Array.from(c);
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
          const allowed = bound(exact, magnitude, k);
          if (!(Math.abs(got - exact) <= allowed))
            failures.push(`${gemm.name} ${kind} ${m}×${n}×${k} at (${i}, ${j}): ${got}, float64 sum ${exact}, allowed ±${allowed}`);
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

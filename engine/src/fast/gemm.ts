/**
 * The three matrix products a mini-batch needs, over row-major Float64Arrays with offsets and
 * leading dimensions. Each adds to C (C += …); callers clear C when they need a fresh product.
 *
 * - nt: C[m][n] += Σ_k A[m][k] B[n][k]   (forward: S = X·Wᵀ)
 * - tn: C[m][n] += Σ_k A[k][m] B[k][n]   (weight gradient: ∂W = Gᵀ·X)
 * - nn: C[m][n] += Σ_k A[m][k] B[k][n]   (input gradient: ∂X = G·W)
 *
 * This TypeScript version is the portable reference; a WebAssembly SIMD version with the same
 * interface replaces it where WebAssembly is available (wasm-gemm.ts), tested against this one.
 */

/** The arrays the products work on: float64 for exact precision, float32 for fast. */
export type FloatArray = Float32Array | Float64Array;

/** A matrix stored row-major in a typed array. */
export interface MatrixRef<A extends FloatArray = Float64Array> {
  data: A;
  offset: number;
  /** Distance between rows. */
  stride: number;
}

/** The matrix products, so kernels can take the TypeScript or the WebAssembly version. */
export interface Gemm<A extends FloatArray = Float64Array> {
  readonly name: string;
  nt(m: number, n: number, k: number, a: MatrixRef<A>, b: MatrixRef<A>, c: MatrixRef<A>): void;
  tn(m: number, n: number, k: number, a: MatrixRef<A>, b: MatrixRef<A>, c: MatrixRef<A>): void;
  nn(m: number, n: number, k: number, a: MatrixRef<A>, b: MatrixRef<A>, c: MatrixRef<A>): void;
}

/**
 * Plain TypeScript products, 2×2 register-blocked where it pays, over either array type (over
 * float32 they sum in float64 and round once per result: the reference the float32 products are
 * held to).
 */
export const jsGemm: Gemm<FloatArray> = {
  name: 'typescript',
  nt(m, n, k, a, b, c) {
    const A = a.data;
    const B = b.data;
    const C = c.data;
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const a0 = a.offset + i * a.stride;
      const a1 = a0 + a.stride;
      let j = 0;
      for (; j + 1 < n; j += 2) {
        const b0 = b.offset + j * b.stride;
        const b1 = b0 + b.stride;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let p = 0; p < k; p++) {
          const x0 = A[a0 + p];
          const x1 = A[a1 + p];
          const w0 = B[b0 + p];
          const w1 = B[b1 + p];
          s00 += x0 * w0;
          s01 += x0 * w1;
          s10 += x1 * w0;
          s11 += x1 * w1;
        }
        const c0 = c.offset + i * c.stride + j;
        C[c0] += s00;
        C[c0 + 1] += s01;
        C[c0 + c.stride] += s10;
        C[c0 + c.stride + 1] += s11;
      }
      for (; j < n; j++) {
        const b0 = b.offset + j * b.stride;
        let s0 = 0;
        let s1 = 0;
        for (let p = 0; p < k; p++) {
          s0 += A[a0 + p] * B[b0 + p];
          s1 += A[a1 + p] * B[b0 + p];
        }
        C[c.offset + i * c.stride + j] += s0;
        C[c.offset + (i + 1) * c.stride + j] += s1;
      }
    }
    for (; i < m; i++) {
      const a0 = a.offset + i * a.stride;
      for (let j = 0; j < n; j++) {
        const b0 = b.offset + j * b.stride;
        let s = 0;
        for (let p = 0; p < k; p++) s += A[a0 + p] * B[b0 + p];
        C[c.offset + i * c.stride + j] += s;
      }
    }
  },
  tn(m, n, k, a, b, c) {
    axpyRows(m, n, k, a.data, a.offset, 1, a.stride, b, c);
  },
  nn(m, n, k, a, b, c) {
    axpyRows(m, n, k, a.data, a.offset, a.stride, 1, b, c);
  },
};

/** dst[i] += src[i] for the first `n` elements (a float32 gradient added to a float64 one, where SIMD cannot do it). */
export function addInto(dst: Float64Array, src: FloatArray, n = Math.min(dst.length, src.length)): void {
  for (let i = 0; i < n; i++) dst[i] += src[i];
}

/**
 * C[i][j] += Σ_p A(i, p) B[p][j], with A(i, p) at `aOffset + i·ai + p·ap`: Aᵀ for tn (ai = 1,
 * ap = stride), A for nn (ai = stride, ap = 1). Row i of C stays hot while B's rows stream past.
 */
function axpyRows(
  m: number,
  n: number,
  k: number,
  A: FloatArray,
  aOffset: number,
  ai: number,
  ap: number,
  b: MatrixRef<FloatArray>,
  c: MatrixRef<FloatArray>,
): void {
  const B = b.data;
  const C = c.data;
  for (let i = 0; i < m; i++) {
    const c0 = c.offset + i * c.stride;
    for (let p = 0; p < k; p++) {
      const x = A[aOffset + i * ai + p * ap];
      if (x === 0) continue;
      const b0 = b.offset + p * b.stride;
      for (let j = 0; j < n; j++) C[c0 + j] += x * B[b0 + j];
    }
  }
}

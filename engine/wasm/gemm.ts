// WebAssembly SIMD matrix products for NN Studio's batched kernel (AssemblyScript).
//
// Row-major float64 matrices in linear memory; every pointer is a byte address and every stride
// counts elements. Each product adds to C. Built by `npm run build:wasm` into
// engine/src/fast/wasm-binary.ts; the TypeScript products in gemm.ts are the reference, and the
// tests hold these to them.

// @ts-nocheck: AssemblyScript, not TypeScript.

/** C[i][j] += Σ_p A[i][p] · B[j][p]: rows of A dotted with rows of B, two by two. */
export function nt(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const k2 = k & ~1;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = a + ((<usize>(i * lda)) << 3);
    const a1 = a0 + ((<usize>lda) << 3);
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = b + ((<usize>(j * ldb)) << 3);
      const b1 = b0 + ((<usize>ldb) << 3);
      let s00 = f64x2.splat(0);
      let s01 = f64x2.splat(0);
      let s10 = f64x2.splat(0);
      let s11 = f64x2.splat(0);
      for (let p = 0; p < k2; p += 2) {
        const off = (<usize>p) << 3;
        const x0 = v128.load(a0 + off);
        const x1 = v128.load(a1 + off);
        const w0 = v128.load(b0 + off);
        const w1 = v128.load(b1 + off);
        s00 = f64x2.add(s00, f64x2.mul(x0, w0));
        s01 = f64x2.add(s01, f64x2.mul(x0, w1));
        s10 = f64x2.add(s10, f64x2.mul(x1, w0));
        s11 = f64x2.add(s11, f64x2.mul(x1, w1));
      }
      let r00 = f64x2.extract_lane(s00, 0) + f64x2.extract_lane(s00, 1);
      let r01 = f64x2.extract_lane(s01, 0) + f64x2.extract_lane(s01, 1);
      let r10 = f64x2.extract_lane(s10, 0) + f64x2.extract_lane(s10, 1);
      let r11 = f64x2.extract_lane(s11, 0) + f64x2.extract_lane(s11, 1);
      if (k2 < k) {
        const off = (<usize>k2) << 3;
        const x0 = load<f64>(a0 + off);
        const x1 = load<f64>(a1 + off);
        const w0 = load<f64>(b0 + off);
        const w1 = load<f64>(b1 + off);
        r00 += x0 * w0;
        r01 += x0 * w1;
        r10 += x1 * w0;
        r11 += x1 * w1;
      }
      const c0 = c + ((<usize>(i * ldc + j)) << 3);
      const c1 = c0 + ((<usize>ldc) << 3);
      store<f64>(c0, load<f64>(c0) + r00);
      store<f64>(c0 + 8, load<f64>(c0 + 8) + r01);
      store<f64>(c1, load<f64>(c1) + r10);
      store<f64>(c1 + 8, load<f64>(c1 + 8) + r11);
    }
    for (; j < n; j++) {
      const b0 = b + ((<usize>(j * ldb)) << 3);
      store<f64>(c + ((<usize>(i * ldc + j)) << 3), load<f64>(c + ((<usize>(i * ldc + j)) << 3)) + dot(a0, b0, k));
      store<f64>(c + ((<usize>((i + 1) * ldc + j)) << 3), load<f64>(c + ((<usize>((i + 1) * ldc + j)) << 3)) + dot(a1, b0, k));
    }
  }
  for (; i < m; i++) {
    const a0 = a + ((<usize>(i * lda)) << 3);
    for (let j = 0; j < n; j++) {
      const b0 = b + ((<usize>(j * ldb)) << 3);
      const at = c + ((<usize>(i * ldc + j)) << 3);
      store<f64>(at, load<f64>(at) + dot(a0, b0, k));
    }
  }
}

/** Σ_p x[p] · y[p] over k contiguous elements. */
function dot(x: usize, y: usize, k: i32): f64 {
  const k2 = k & ~1;
  let s = f64x2.splat(0);
  for (let p = 0; p < k2; p += 2) {
    const off = (<usize>p) << 3;
    s = f64x2.add(s, f64x2.mul(v128.load(x + off), v128.load(y + off)));
  }
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (k2 < k) r += load<f64>(x + ((<usize>k2) << 3)) * load<f64>(y + ((<usize>k2) << 3));
  return r;
}

/**
 * C[i][j] += Σ_p A(i, p) · B[p][j], where A(i, p) is at a + (i·ai + p·ap) elements: with ai = 1,
 * ap = lda it is Aᵀ (the weight gradient Gᵀ·X); with ai = lda, ap = 1 it is A (the input
 * gradient G·W). Blocks of 2 rows × 4 columns of C stay in registers while p runs.
 */
export function axpy(m: i32, n: i32, k: i32, a: usize, ai: i32, ap: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const c0 = c + ((<usize>(i * ldc)) << 3);
    const c1 = c0 + ((<usize>ldc) << 3);
    const ar0 = a + ((<usize>(i * ai)) << 3);
    const ar1 = ar0 + ((<usize>ai) << 3);
    let j = 0;
    for (; j < n4; j += 4) {
      const jo = (<usize>j) << 3;
      let c00 = v128.load(c0 + jo);
      let c01 = v128.load(c0 + jo + 16);
      let c10 = v128.load(c1 + jo);
      let c11 = v128.load(c1 + jo + 16);
      for (let p = 0; p < k; p++) {
        const po = (<usize>(p * ap)) << 3;
        const x0 = f64x2.splat(load<f64>(ar0 + po));
        const x1 = f64x2.splat(load<f64>(ar1 + po));
        const brow = b + ((<usize>(p * ldb)) << 3) + jo;
        const w0 = v128.load(brow);
        const w1 = v128.load(brow + 16);
        c00 = f64x2.add(c00, f64x2.mul(x0, w0));
        c01 = f64x2.add(c01, f64x2.mul(x0, w1));
        c10 = f64x2.add(c10, f64x2.mul(x1, w0));
        c11 = f64x2.add(c11, f64x2.mul(x1, w1));
      }
      v128.store(c0 + jo, c00);
      v128.store(c0 + jo + 16, c01);
      v128.store(c1 + jo, c10);
      v128.store(c1 + jo + 16, c11);
    }
    for (; j < n; j++) {
      const jo = (<usize>j) << 3;
      let s0 = load<f64>(c0 + jo);
      let s1 = load<f64>(c1 + jo);
      for (let p = 0; p < k; p++) {
        const po = (<usize>(p * ap)) << 3;
        const w = load<f64>(b + ((<usize>(p * ldb)) << 3) + jo);
        s0 += load<f64>(ar0 + po) * w;
        s1 += load<f64>(ar1 + po) * w;
      }
      store<f64>(c0 + jo, s0);
      store<f64>(c1 + jo, s1);
    }
  }
  for (; i < m; i++) {
    const c0 = c + ((<usize>(i * ldc)) << 3);
    const ar0 = a + ((<usize>(i * ai)) << 3);
    let j = 0;
    for (; j < n4; j += 4) {
      const jo = (<usize>j) << 3;
      let c00 = v128.load(c0 + jo);
      let c01 = v128.load(c0 + jo + 16);
      for (let p = 0; p < k; p++) {
        const x0 = f64x2.splat(load<f64>(ar0 + ((<usize>(p * ap)) << 3)));
        const brow = b + ((<usize>(p * ldb)) << 3) + jo;
        c00 = f64x2.add(c00, f64x2.mul(x0, v128.load(brow)));
        c01 = f64x2.add(c01, f64x2.mul(x0, v128.load(brow + 16)));
      }
      v128.store(c0 + jo, c00);
      v128.store(c0 + jo + 16, c01);
    }
    for (; j < n; j++) {
      const jo = (<usize>j) << 3;
      let s0 = load<f64>(c0 + jo);
      for (let p = 0; p < k; p++) s0 += load<f64>(ar0 + ((<usize>(p * ap)) << 3)) * load<f64>(b + ((<usize>(p * ldb)) << 3) + jo);
      store<f64>(c0 + jo, s0);
    }
  }
}

// The optimisers' steps (optimiser-steps.ts), over the float64 weights this module's arena keeps.
export * from './optimiser-steps';

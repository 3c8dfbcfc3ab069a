// WebAssembly SIMD float32 matrix products for NN Studio's batched kernel in fast precision
// (AssemblyScript). The same three products as gemm.ts, each adding to C, over row-major float32
// matrices in linear memory (pointers are byte addresses, strides count elements).
//
// Built twice by `npm run build:wasm`: with `--use FMA=0` (plain SIMD: a multiply, then an add)
// and with `--use FMA=1 --enable relaxed-simd` (relaxed SIMD's fused multiply-add, where the
// runtime has it); wasm-gemm-f32.ts picks the second where WebAssembly.validate accepts it.
//
// Register tiling: each micro-kernel keeps a block of C in eight v128 accumulators while the
// shared dimension runs, so every value loaded is used two or four times (x64 has 16 vector
// registers; more accumulators would spill).

// @ts-nocheck: AssemblyScript, not TypeScript.

/** a·b + c, fused where this build has relaxed SIMD (binaryen inlines both helpers at -O3). */
function madd(a: v128, b: v128, c: v128): v128 {
  if (FMA) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

function sum4(v: v128): f32 {
  const pairs = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(pairs, 0) + f32x4.extract_lane(pairs, 1);
}

/**
 * C[i][j] += Σ_p A[i][p] · B[j][p] (forward: S = X·Wᵀ). Both operands run contiguously along p,
 * so the micro-kernel takes 4 rows of A against 2 rows of B, four p at a time, and sums each
 * accumulator's lanes once at the end.
 */
export function nt(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const k4 = k & ~3;
  const rowA = (<usize>lda) << 2;
  const rowB = (<usize>ldb) << 2;
  const rowC = (<usize>ldc) << 2;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = a + <usize>i * rowA;
    const a1 = a0 + rowA;
    const a2 = a1 + rowA;
    const a3 = a2 + rowA;
    const c0 = c + <usize>i * rowC;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = b + <usize>j * rowB;
      const b1 = b0 + rowB;
      let s00 = f32x4.splat(0);
      let s01 = f32x4.splat(0);
      let s10 = f32x4.splat(0);
      let s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0);
      let s21 = f32x4.splat(0);
      let s30 = f32x4.splat(0);
      let s31 = f32x4.splat(0);
      for (let p = 0; p < k4; p += 4) {
        const off = (<usize>p) << 2;
        const w0 = v128.load(b0 + off);
        const w1 = v128.load(b1 + off);
        const x0 = v128.load(a0 + off);
        s00 = madd(x0, w0, s00);
        s01 = madd(x0, w1, s01);
        const x1 = v128.load(a1 + off);
        s10 = madd(x1, w0, s10);
        s11 = madd(x1, w1, s11);
        const x2 = v128.load(a2 + off);
        s20 = madd(x2, w0, s20);
        s21 = madd(x2, w1, s21);
        const x3 = v128.load(a3 + off);
        s30 = madd(x3, w0, s30);
        s31 = madd(x3, w1, s31);
      }
      let r00 = sum4(s00);
      let r01 = sum4(s01);
      let r10 = sum4(s10);
      let r11 = sum4(s11);
      let r20 = sum4(s20);
      let r21 = sum4(s21);
      let r30 = sum4(s30);
      let r31 = sum4(s31);
      for (let p = k4; p < k; p++) {
        const off = (<usize>p) << 2;
        const w0 = load<f32>(b0 + off);
        const w1 = load<f32>(b1 + off);
        const x0 = load<f32>(a0 + off);
        const x1 = load<f32>(a1 + off);
        const x2 = load<f32>(a2 + off);
        const x3 = load<f32>(a3 + off);
        r00 += x0 * w0;
        r01 += x0 * w1;
        r10 += x1 * w0;
        r11 += x1 * w1;
        r20 += x2 * w0;
        r21 += x2 * w1;
        r30 += x3 * w0;
        r31 += x3 * w1;
      }
      const at = c0 + ((<usize>j) << 2);
      store<f32>(at, load<f32>(at) + r00);
      store<f32>(at + 4, load<f32>(at + 4) + r01);
      store<f32>(at + rowC, load<f32>(at + rowC) + r10);
      store<f32>(at + rowC + 4, load<f32>(at + rowC + 4) + r11);
      store<f32>(at + 2 * rowC, load<f32>(at + 2 * rowC) + r20);
      store<f32>(at + 2 * rowC + 4, load<f32>(at + 2 * rowC + 4) + r21);
      store<f32>(at + 3 * rowC, load<f32>(at + 3 * rowC) + r30);
      store<f32>(at + 3 * rowC + 4, load<f32>(at + 3 * rowC + 4) + r31);
    }
    for (; j < n; j++) {
      const b0 = b + <usize>j * rowB;
      const at = c0 + ((<usize>j) << 2);
      store<f32>(at, load<f32>(at) + dot(a0, b0, k));
      store<f32>(at + rowC, load<f32>(at + rowC) + dot(a1, b0, k));
      store<f32>(at + 2 * rowC, load<f32>(at + 2 * rowC) + dot(a2, b0, k));
      store<f32>(at + 3 * rowC, load<f32>(at + 3 * rowC) + dot(a3, b0, k));
    }
  }
  for (; i < m; i++) {
    const a0 = a + <usize>i * rowA;
    const c0 = c + <usize>i * rowC;
    for (let j = 0; j < n; j++) {
      const at = c0 + ((<usize>j) << 2);
      store<f32>(at, load<f32>(at) + dot(a0, b + <usize>j * rowB, k));
    }
  }
}

/** Σ_p x[p] · y[p] over k contiguous elements. */
function dot(x: usize, y: usize, k: i32): f32 {
  const k4 = k & ~3;
  let s = f32x4.splat(0);
  for (let p = 0; p < k4; p += 4) {
    const off = (<usize>p) << 2;
    s = madd(v128.load(x + off), v128.load(y + off), s);
  }
  let r = sum4(s);
  for (let p = k4; p < k; p++) r += load<f32>(x + ((<usize>p) << 2)) * load<f32>(y + ((<usize>p) << 2));
  return r;
}

/**
 * C[i][j] += Σ_p A(i, p) · B[p][j], where A(i, p) is at a + (i·ai + p·ap) elements: with ai = 1,
 * ap = lda it is Aᵀ (the weight gradient Gᵀ·X); with ai = lda, ap = 1 it is A (the input
 * gradient G·W). A block of 4 rows × 8 columns of C stays in registers while p runs: per p, four
 * broadcast elements of A times two vectors of B's row p.
 */
export function axpy(m: i32, n: i32, k: i32, a: usize, ai: i32, ap: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const n8 = n & ~7;
  const n4 = n & ~3;
  const stepI = (<usize>ai) << 2;
  const stepP = (<usize>ap) << 2;
  const rowB = (<usize>ldb) << 2;
  const rowC = (<usize>ldc) << 2;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = c + <usize>i * rowC;
    const c1 = c0 + rowC;
    const c2 = c1 + rowC;
    const c3 = c2 + rowC;
    const ar = a + <usize>i * stepI;
    let j = 0;
    for (; j < n8; j += 8) {
      const jo = (<usize>j) << 2;
      let t00 = v128.load(c0 + jo);
      let t01 = v128.load(c0 + jo + 16);
      let t10 = v128.load(c1 + jo);
      let t11 = v128.load(c1 + jo + 16);
      let t20 = v128.load(c2 + jo);
      let t21 = v128.load(c2 + jo + 16);
      let t30 = v128.load(c3 + jo);
      let t31 = v128.load(c3 + jo + 16);
      let ap0 = ar;
      let brow = b + jo;
      for (let p = 0; p < k; p++) {
        const w0 = v128.load(brow);
        const w1 = v128.load(brow + 16);
        const x0 = v128.load32_splat(ap0);
        t00 = madd(x0, w0, t00);
        t01 = madd(x0, w1, t01);
        const x1 = v128.load32_splat(ap0 + stepI);
        t10 = madd(x1, w0, t10);
        t11 = madd(x1, w1, t11);
        const x2 = v128.load32_splat(ap0 + 2 * stepI);
        t20 = madd(x2, w0, t20);
        t21 = madd(x2, w1, t21);
        const x3 = v128.load32_splat(ap0 + 3 * stepI);
        t30 = madd(x3, w0, t30);
        t31 = madd(x3, w1, t31);
        ap0 += stepP;
        brow += rowB;
      }
      v128.store(c0 + jo, t00);
      v128.store(c0 + jo + 16, t01);
      v128.store(c1 + jo, t10);
      v128.store(c1 + jo + 16, t11);
      v128.store(c2 + jo, t20);
      v128.store(c2 + jo + 16, t21);
      v128.store(c3 + jo, t30);
      v128.store(c3 + jo + 16, t31);
    }
    for (; j < n4; j += 4) {
      const jo = (<usize>j) << 2;
      let t0 = v128.load(c0 + jo);
      let t1 = v128.load(c1 + jo);
      let t2 = v128.load(c2 + jo);
      let t3 = v128.load(c3 + jo);
      let ap0 = ar;
      let brow = b + jo;
      for (let p = 0; p < k; p++) {
        const w = v128.load(brow);
        t0 = madd(v128.load32_splat(ap0), w, t0);
        t1 = madd(v128.load32_splat(ap0 + stepI), w, t1);
        t2 = madd(v128.load32_splat(ap0 + 2 * stepI), w, t2);
        t3 = madd(v128.load32_splat(ap0 + 3 * stepI), w, t3);
        ap0 += stepP;
        brow += rowB;
      }
      v128.store(c0 + jo, t0);
      v128.store(c1 + jo, t1);
      v128.store(c2 + jo, t2);
      v128.store(c3 + jo, t3);
    }
    for (; j < n; j++) {
      const jo = (<usize>j) << 2;
      let s0 = load<f32>(c0 + jo);
      let s1 = load<f32>(c1 + jo);
      let s2 = load<f32>(c2 + jo);
      let s3 = load<f32>(c3 + jo);
      let ap0 = ar;
      let bp = b + jo;
      for (let p = 0; p < k; p++) {
        const w = load<f32>(bp);
        s0 += load<f32>(ap0) * w;
        s1 += load<f32>(ap0 + stepI) * w;
        s2 += load<f32>(ap0 + 2 * stepI) * w;
        s3 += load<f32>(ap0 + 3 * stepI) * w;
        ap0 += stepP;
        bp += rowB;
      }
      store<f32>(c0 + jo, s0);
      store<f32>(c1 + jo, s1);
      store<f32>(c2 + jo, s2);
      store<f32>(c3 + jo, s3);
    }
  }
  for (; i < m; i++) {
    const c0 = c + <usize>i * rowC;
    const ar = a + <usize>i * stepI;
    let j = 0;
    for (; j < n4; j += 4) {
      const jo = (<usize>j) << 2;
      let t0 = v128.load(c0 + jo);
      let ap0 = ar;
      let brow = b + jo;
      for (let p = 0; p < k; p++) {
        t0 = madd(v128.load32_splat(ap0), v128.load(brow), t0);
        ap0 += stepP;
        brow += rowB;
      }
      v128.store(c0 + jo, t0);
    }
    for (; j < n; j++) {
      const jo = (<usize>j) << 2;
      let s0 = load<f32>(c0 + jo);
      let ap0 = ar;
      let bp = b + jo;
      for (let p = 0; p < k; p++) {
        s0 += load<f32>(ap0) * load<f32>(bp);
        ap0 += stepP;
        bp += rowB;
      }
      store<f32>(c0 + jo, s0);
    }
  }
}

/**
 * dst[i] = f32(src[i]) for n float64s at src (the weights' float32 copy each step takes): two
 * f64x2 rounded to float32 and packed into one f32x4.
 */
export function narrow(dst: usize, src: usize, n: i32): void {
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const lo = f32x4.demote_f64x2_zero(v128.load(src + ((<usize>i) << 3)));
    const hi = f32x4.demote_f64x2_zero(v128.load(src + ((<usize>i) << 3) + 16));
    v128.store(dst + ((<usize>i) << 2), v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
  }
  for (let i = n4; i < n; i++) store<f32>(dst + ((<usize>i) << 2), <f32>load<f64>(src + ((<usize>i) << 3)));
}

/** dst[i] += f64(src[i]) for n float32s at src (the step's float32 gradient added to the float64 one). */
export function widen_add(dst: usize, src: usize, n: i32): void {
  const n2 = n & ~1;
  for (let i = 0; i < n2; i += 2) {
    const at = dst + ((<usize>i) << 3);
    v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(v128.load64_zero(src + ((<usize>i) << 2)))));
  }
  for (let i = n2; i < n; i++) {
    const at = dst + ((<usize>i) << 3);
    store<f64>(at, load<f64>(at) + <f64>load<f32>(src + ((<usize>i) << 2)));
  }
}

// The optimisers' steps (optimiser-steps.ts), over the float64 weights this module's arena keeps.
export * from './optimiser-steps';

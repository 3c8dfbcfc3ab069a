// @ts-nocheck: AssemblyScript, not TypeScript.

// The optimisers' steps over float64 parameters and memory (engine/src/train/optimisers.ts), in
// AssemblyScript, exported by both gemm.ts and gemm-f32.ts so that the trainer's update runs in
// the same module as the products (in JavaScript it took a fifth of W3's time). Each
// computes what the registry's fast step computes, operation for operation in the same order, in
// f64x2 lanes (IEEE float64 like JavaScript's numbers, and never fused), so the results agree bit
// for bit; test/vector-steps.test.ts holds them to it. Every step takes the same arguments: the
// parameters, the gradient, the optimiser's two memory slots (0 where it has one), the count, and
// up to six numbers, so the host calls them all alike. The gradient already holds L1 and L2.

/** SGD, Δ = −η g + α Δ(r−1), w += Δ; `plain` = 1 takes the registry's plain path Δ = −η g (no α Δ term). */
export function step_sgd(w: usize, g: usize, velocity: usize, unused: usize, n: i32, eta: f64, momentum: f64, plain: f64): void {
  const negEta = f64x2.splat(-eta);
  const alpha = f64x2.splat(momentum);
  const n2 = n & ~1;
  if (plain != 0) {
    for (let i = 0; i < n2; i += 2) {
      const at = (<usize>i) << 3;
      const change = f64x2.mul(negEta, v128.load(g + at));
      v128.store(velocity + at, change);
      v128.store(w + at, f64x2.add(v128.load(w + at), change));
    }
    for (let i = n2; i < n; i++) {
      const at = (<usize>i) << 3;
      const change = -eta * load<f64>(g + at);
      store<f64>(velocity + at, change);
      store<f64>(w + at, load<f64>(w + at) + change);
    }
    return;
  }
  for (let i = 0; i < n2; i += 2) {
    const at = (<usize>i) << 3;
    const change = f64x2.add(f64x2.mul(negEta, v128.load(g + at)), f64x2.mul(alpha, v128.load(velocity + at)));
    v128.store(velocity + at, change);
    v128.store(w + at, f64x2.add(v128.load(w + at), change));
  }
  for (let i = n2; i < n; i++) {
    const at = (<usize>i) << 3;
    const change = -eta * load<f64>(g + at) + momentum * load<f64>(velocity + at);
    store<f64>(velocity + at, change);
    store<f64>(w + at, load<f64>(w + at) + change);
  }
}

/** Nesterov: v = α v − η g, w += −η g + α v. */
export function step_nesterov(w: usize, g: usize, velocity: usize, unused: usize, n: i32, eta: f64, momentum: f64): void {
  const negEta = f64x2.splat(-eta);
  const etas = f64x2.splat(eta);
  const alpha = f64x2.splat(momentum);
  const n2 = n & ~1;
  for (let i = 0; i < n2; i += 2) {
    const at = (<usize>i) << 3;
    const gi = v128.load(g + at);
    const v = f64x2.sub(f64x2.mul(alpha, v128.load(velocity + at)), f64x2.mul(etas, gi));
    v128.store(velocity + at, v);
    v128.store(w + at, f64x2.add(v128.load(w + at), f64x2.add(f64x2.mul(negEta, gi), f64x2.mul(alpha, v))));
  }
  for (let i = n2; i < n; i++) {
    const at = (<usize>i) << 3;
    const gi = load<f64>(g + at);
    const v = momentum * load<f64>(velocity + at) - eta * gi;
    store<f64>(velocity + at, v);
    store<f64>(w + at, load<f64>(w + at) + (-eta * gi + momentum * v));
  }
}

/** AdaGrad: G += g², w += −η g / (√G + ε). */
export function step_adagrad(w: usize, g: usize, sums: usize, unused: usize, n: i32, eta: f64, epsilon: f64): void {
  const negEta = f64x2.splat(-eta);
  const eps = f64x2.splat(epsilon);
  const n2 = n & ~1;
  for (let i = 0; i < n2; i += 2) {
    const at = (<usize>i) << 3;
    const gi = v128.load(g + at);
    const sum = f64x2.add(v128.load(sums + at), f64x2.mul(gi, gi));
    v128.store(sums + at, sum);
    v128.store(w + at, f64x2.add(v128.load(w + at), f64x2.div(f64x2.mul(negEta, gi), f64x2.add(f64x2.sqrt(sum), eps))));
  }
  for (let i = n2; i < n; i++) {
    const at = (<usize>i) << 3;
    const gi = load<f64>(g + at);
    const sum = load<f64>(sums + at) + gi * gi;
    store<f64>(sums + at, sum);
    store<f64>(w + at, load<f64>(w + at) + (-eta * gi) / (Math.sqrt(sum) + epsilon));
  }
}

/** RMSprop: v = ρ v + (1 − ρ) g², w += −η g / (√v + ε). */
export function step_rmsprop(w: usize, g: usize, means: usize, unused: usize, n: i32, eta: f64, rho: f64, epsilon: f64): void {
  const keep = 1 - rho;
  const negEta = f64x2.splat(-eta);
  const r = f64x2.splat(rho);
  const k = f64x2.splat(keep);
  const eps = f64x2.splat(epsilon);
  const n2 = n & ~1;
  for (let i = 0; i < n2; i += 2) {
    const at = (<usize>i) << 3;
    const gi = v128.load(g + at);
    const mean = f64x2.add(f64x2.mul(r, v128.load(means + at)), f64x2.mul(f64x2.mul(k, gi), gi));
    v128.store(means + at, mean);
    v128.store(w + at, f64x2.add(v128.load(w + at), f64x2.div(f64x2.mul(negEta, gi), f64x2.add(f64x2.sqrt(mean), eps))));
  }
  for (let i = n2; i < n; i++) {
    const at = (<usize>i) << 3;
    const gi = load<f64>(g + at);
    const mean = rho * load<f64>(means + at) + keep * gi * gi;
    store<f64>(means + at, mean);
    store<f64>(w + at, load<f64>(w + at) + (-eta * gi) / (Math.sqrt(mean) + epsilon));
  }
}

/** Adam: m = β₁ m + (1 − β₁) g, v = β₂ v + (1 − β₂) g², w += −η (m / c₁) / (√(v / c₂) + ε), the corrections c = 1 − βᵗ given. */
export function step_adam(
  w: usize,
  g: usize,
  means: usize,
  squares: usize,
  n: i32,
  eta: f64,
  beta1: f64,
  beta2: f64,
  correction1: f64,
  correction2: f64,
  epsilon: f64,
): void {
  const negEta = f64x2.splat(-eta);
  const b1 = f64x2.splat(beta1);
  const b2 = f64x2.splat(beta2);
  const k1 = f64x2.splat(1 - beta1);
  const k2 = f64x2.splat(1 - beta2);
  const c1 = f64x2.splat(correction1);
  const c2 = f64x2.splat(correction2);
  const eps = f64x2.splat(epsilon);
  const n2 = n & ~1;
  for (let i = 0; i < n2; i += 2) {
    const at = (<usize>i) << 3;
    const gi = v128.load(g + at);
    const m = f64x2.add(f64x2.mul(b1, v128.load(means + at)), f64x2.mul(k1, gi));
    const v = f64x2.add(f64x2.mul(b2, v128.load(squares + at)), f64x2.mul(f64x2.mul(k2, gi), gi));
    v128.store(means + at, m);
    v128.store(squares + at, v);
    const change = f64x2.div(f64x2.mul(negEta, f64x2.div(m, c1)), f64x2.add(f64x2.sqrt(f64x2.div(v, c2)), eps));
    v128.store(w + at, f64x2.add(v128.load(w + at), change));
  }
  for (let i = n2; i < n; i++) {
    const at = (<usize>i) << 3;
    const gi = load<f64>(g + at);
    const m = beta1 * load<f64>(means + at) + (1 - beta1) * gi;
    const v = beta2 * load<f64>(squares + at) + (1 - beta2) * gi * gi;
    store<f64>(means + at, m);
    store<f64>(squares + at, v);
    store<f64>(w + at, load<f64>(w + at) + (-eta * (m / correction1)) / (Math.sqrt(v / correction2) + epsilon));
  }
}

/**
 * Activation functions φ, each with its derivative φ' beside it.
 *
 * The derivative takes both s and z = φ(s) because the lecture writes the sigmoid's and tanh's
 * derivatives in terms of the output (z(1 − z), 1 − z²); that is also the cheap way to compute them.
 */
import type { Activation } from './graph';

/** An activation applied to each unit on its own. */
export interface ElementwiseActivation {
  readonly name: Exclude<Activation, 'softmax'>;
  /** φ(s). */
  forward(s: number): number;
  /** φ'(s), given s and z = φ(s). */
  derivative(s: number, z: number): number;
  /** φ as the inspector prints it. */
  readonly formula: string;
  /** φ' as the inspector prints it, in the lecture's terms. */
  readonly derivativeFormula: string;
  /** False for step and sign: φ' = 0 almost everywhere, so backprop cannot train through them. */
  readonly differentiable: boolean;
}

const sigmoidOf = (s: number): number => {
  // Split on the sign so that e^(−s) never overflows for very negative s.
  if (s >= 0) return 1 / (1 + Math.exp(-s));
  const e = Math.exp(s);
  return e / (1 + e);
};

/** Every elementwise activation by name. */
export const ELEMENTWISE: Readonly<Record<ElementwiseActivation['name'], ElementwiseActivation>> = {
  step: {
    name: 'step',
    forward: (s) => (s > 0 ? 1 : 0),
    derivative: () => 0,
    formula: 'φ(s) = 1 if s > 0, else 0',
    derivativeFormula: "φ'(s) = 0 (no gradient)",
    differentiable: false,
  },
  sign: {
    name: 'sign',
    forward: (s) => (s > 0 ? 1 : -1),
    derivative: () => 0,
    formula: 'φ(s) = +1 if s > 0, else −1',
    derivativeFormula: "φ'(s) = 0 (no gradient)",
    differentiable: false,
  },
  sigmoid: {
    name: 'sigmoid',
    forward: sigmoidOf,
    derivative: (_s, z) => z * (1 - z),
    formula: 'φ(s) = 1 / (1 + e^−s)',
    derivativeFormula: "φ'(s) = z(1 − z)",
    differentiable: true,
  },
  tanh: {
    name: 'tanh',
    forward: Math.tanh,
    derivative: (_s, z) => 1 - z * z,
    formula: 'φ(s) = tanh(s)',
    derivativeFormula: "φ'(s) = 1 − z²",
    differentiable: true,
  },
  relu: {
    name: 'relu',
    forward: (s) => (s > 0 ? s : 0),
    // The kink at 0 takes the subgradient 0, as PyTorch and TensorFlow do.
    derivative: (s) => (s > 0 ? 1 : 0),
    formula: 'φ(s) = max(0, s)',
    derivativeFormula: "φ'(s) = 1 if s > 0, else 0",
    differentiable: true,
  },
  linear: {
    name: 'linear',
    forward: (s) => s,
    derivative: () => 1,
    formula: 'φ(s) = s',
    derivativeFormula: "φ'(s) = 1",
    differentiable: true,
  },
};

/** Softmax as the inspector prints it. */
export const SOFTMAX_FORMULA = 'z_k = e^(s_k) / Σ_m e^(s_m)';
/** Softmax's derivative as the inspector prints it (a Jacobian, not one number per unit). */
export const SOFTMAX_DERIVATIVE_FORMULA = '∂z_m/∂s_k = z_m(1[m=k] − z_k)';

/**
 * Softmax of `s[start .. start+n)` written to `z[start .. start+n)`.
 * Subtracting the maximum first keeps e^s finite for any input.
 */
export function softmaxForward(s: ArrayLike<number>, z: { [i: number]: number }, start: number, n: number): void {
  let max = -Infinity;
  for (let k = 0; k < n; k++) if (s[start + k] > max) max = s[start + k];
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(s[start + k] - max);
    z[start + k] = e;
    sum += e;
  }
  for (let k = 0; k < n; k++) z[start + k] /= sum;
}

/**
 * Softmax's derivative applied to an upstream gradient: given g_m = ∂J/∂z_m, writes
 * ∂J/∂s_k = Σ_m g_m ∂z_m/∂s_k = z_k (g_k − Σ_m g_m z_m) into `out`.
 */
export function softmaxBackward(z: ArrayLike<number>, g: ArrayLike<number>, out: { [i: number]: number }, start: number, n: number): void {
  let dot = 0;
  for (let m = 0; m < n; m++) dot += g[start + m] * z[start + m];
  for (let k = 0; k < n; k++) out[start + k] = z[start + k] * (g[start + k] - dot);
}

/** Whether backprop can pass through this activation. */
export function isDifferentiable(activation: Activation): boolean {
  return activation === 'softmax' || ELEMENTWISE[activation].differentiable;
}

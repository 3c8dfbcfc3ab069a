/**
 * Loss functions J, each with its gradient beside it.
 *
 * Losses are computed per output node so that cross-entropy can be evaluated from s, which keeps
 * ln z finite when a sigmoid or softmax saturates (z rounds to exactly 0 or 1 in floating point).
 * Over a batch the loss is the mean of the per-sample losses (backprop-notes.md, "Losses").
 */
import type { Activation } from './graph';

/** The losses the lecture uses. */
export type LossName = 'squaredError' | 'crossEntropy';

/** Printed forms for the inspector. */
export const LOSS_FORMULAS: Readonly<Record<LossName, string>> = {
  squaredError: 'J = ½ Σ_k (t_k − z_k)²',
  crossEntropy: 'J = −Σ_k [t_k ln z_k + (1 − t_k) ln(1 − z_k)] (sigmoid), −Σ_k t_k ln z_k (softmax)',
};

/** ln(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * The loss contributed by one output node's units `[start, start+n)` for one sample.
 * `t[k]` is the target of unit `start+k`.
 */
export function outputLoss(
  loss: LossName,
  activation: Activation,
  s: ArrayLike<number>,
  z: ArrayLike<number>,
  t: ArrayLike<number>,
  start: number,
  n: number,
  targetStart: number,
): number {
  let total = 0;
  if (loss === 'squaredError') {
    for (let k = 0; k < n; k++) {
      const e = t[targetStart + k] - z[start + k];
      total += 0.5 * e * e;
    }
    return total;
  }
  if (activation === 'softmax') {
    // −ln z_k = ln Σ_m e^(s_m) − s_k = ln(1 + Σ_{m≠top} e^(s_m − s_top)) − (s_k − s_top), with
    // log1p: a well-classified sample's small loss keeps its relative precision (s_k − ln Σ
    // would cancel to a few ulps of s, which a finite-difference check of tiny gradients sees).
    let top = 0;
    for (let m = 1; m < n; m++) if (s[start + m] > s[start + top]) top = m;
    const max = s[start + top];
    let rest = 0;
    for (let m = 0; m < n; m++) if (m !== top) rest += Math.exp(s[start + m] - max);
    const logSumOverMax = Math.log1p(rest);
    for (let k = 0; k < n; k++) total += t[targetStart + k] * (logSumOverMax - (s[start + k] - max));
    return total;
  }
  // Sigmoid: ln z = −softplus(−s), ln(1 − z) = −softplus(s).
  for (let k = 0; k < n; k++) {
    const sk = s[start + k];
    const tk = t[targetStart + k];
    total += tk * softplus(-sk) + (1 - tk) * softplus(sk);
  }
  return total;
}

/**
 * Whether the loss and the output activation combine so that φ' cancels: sigmoid with
 * cross-entropy (∂J/∂s_k = z_k − t_k, δ_k = t_k − z_k, for any t_k), and softmax with
 * cross-entropy (∂J/∂s_k = z_k·Σt − t_k, δ_k = t_k − z_k·Σt; see {@link cancelledTargetSum}).
 */
export function cancelsDerivative(loss: LossName, activation: Activation): boolean {
  return loss === 'crossEntropy' && (activation === 'sigmoid' || activation === 'softmax');
}

/**
 * The factor of z_k in a cancelled output gradient ∂J/∂s_k = z_k·m − t_k: for a softmax layer
 * m = Σ_m t_m over its targets, for a sigmoid 1. Softmax cross-entropy is J = Σ_m t_m ln Σ_j e^(s_j)
 * − Σ_m t_m s_m, so ∂J/∂s_k = Σt·z_k − t_k: the textbook z_k − t_k holds only when the targets
 * sum to 1 (one-hot labels), not for soft targets such as (0.5, 0). Summed from 0 left to right,
 * as every kernel and the trace sum it, so that one-hot targets give exactly 1.
 * @param t The targets; the node's start at `targetStart`.
 * @param units The node's units.
 */
export function cancelledTargetSum(activation: Activation, t: ArrayLike<number>, targetStart: number, units: number): number {
  if (activation !== 'softmax') return 1;
  let sum = 0;
  for (let k = 0; k < units; k++) sum += t[targetStart + k];
  return sum;
}

/**
 * Whether a softmax layer's Σt is 1 as far as the trace's wording goes: soft labels such as
 * 0.7 + 0.2 + 0.1 add up to 0.9999999999999999 in floating point, and "δ_k = t_k − z_k·Σt, Σt = 1"
 * would say nothing that δ_k = t_k − z_k does not. The number is always computed with Σt itself.
 */
export function targetsSumToOne(sum: number): boolean {
  return Math.abs(sum - 1) <= 1e-12;
}

/**
 * ∂J/∂z_k for one output unit, where the derivative does not cancel.
 * Only squared error reaches here: cross-entropy is accepted only on sigmoid or softmax outputs,
 * where it always cancels.
 */
export function lossGradientWrtOutput(z: number, t: number): number {
  return z - t;
}

/**
 * Training precision: the number format the gradient kernel computes in. One registry, from which
 * the hyperparameter's type, its schema, the trainer's kernel choice and the settings list derive.
 *
 * - exact: float64 everywhere, the numbers the inspector and the lecture's hand calculations show;
 *   every kernel agrees with the readable trace to about 1e-12.
 * - fast: the batched kernel stores the batch's activations, gradients and a copy of the weights
 *   in float32 and multiplies with float32 SIMD products, which halves the memory those matrices
 *   need and doubles the numbers each SIMD instruction handles; a session binds its samples in
 *   float32 too (`trainingSampleFormat`: the kernel rounds each one so anyway). The weights the
 *   optimiser updates stay float64, so rounding does not pile up across steps; each step's
 *   gradient agrees with the float64 one to float32 accuracy (about 1e-6 relative).
 * - auto: fast for networks the size of image models trained in mini-batches, exact otherwise.
 */
import type { ResolvedPrecision } from '../fast/gradient-kernel';
import { assertNever } from '../util/never';

/** The precisions, in the order the settings list them. */
export const PRECISIONS = {
  auto: {
    label: 'Automatic',
    description:
      "Float64 for the lecture's sizes and for networks trained a few samples at a time; float32 for networks of 10,000 weights or more trained in batches of 8 or more.",
  },
  exact: {
    label: 'Exact (float64)',
    description: 'Every number in float64, as the inspector and the lecture compute them.',
  },
  fast: {
    label: 'Fast (float32)',
    description:
      'Matrix products, activations and the data in float32 (weights kept in float64): about twice as fast on wide layers, in half the memory, agreeing with float64 to about 6 digits.',
  },
} as const;

export type PrecisionName = keyof typeof PRECISIONS;
export const PRECISION_NAMES = Object.keys(PRECISIONS) as PrecisionName[];

/** What a training run actually computes in (the kernels' own type). */
export type { ResolvedPrecision };

/** From this many weights and biases on, automatic precision trains in float32 (when batched); the description says so. */
export const FAST_PRECISION_FROM_PARAMETERS = 10_000;
/** Automatic precision trains in float32 only with at least this many samples per update; the description says so. */
export const FAST_PRECISION_FROM_BATCH = 8;

/**
 * The precision a run computes in.
 * @param paramCount The network's weights and biases.
 * @param samplesPerUpdate The samples of one update (the whole set in batch mode, 1 in stochastic mode).
 */
export function resolvePrecision(wanted: PrecisionName, paramCount: number, samplesPerUpdate: number): ResolvedPrecision {
  switch (wanted) {
    case 'exact':
    case 'fast':
      return wanted;
    case 'auto':
      return paramCount >= FAST_PRECISION_FROM_PARAMETERS && samplesPerUpdate >= FAST_PRECISION_FROM_BATCH ? 'fast' : 'exact';
    default:
      return assertNever(wanted);
  }
}

/**
 * Warnings for hyperparameters that are allowed but rarely what anyone means: they are kept (a
 * student may want to see η = 50 diverge), and the app marks them so that nothing implausible is
 * accepted silently. Refusals (η ≤ 0, momentum ≥ 1) are {@link checkHyperparameters}'s.
 */
import type { Hyperparameters } from './train';
import { OPTIMISERS, type OptimiserName } from './optimisers';

/** The numeric settings that get advice. */
export type AdvisedSetting = 'learningRate' | 'momentum' | 'l1' | 'l2' | 'maxEpochs' | 'batchSize';

/** Where a setting stops being plausible, and what to say then. */
const ADVICE: Record<AdvisedSetting, (value: number, optimiser: OptimiserName) => string | null> = {
  learningRate: (v, optimiser) =>
    // The adaptive optimisers move each weight by about η a step, whatever the gradient's size.
    optimiser !== 'sgd' && optimiser !== 'nesterov' && v > 20 * OPTIMISERS[optimiser].typicalLearningRate
      ? `η = ${v} is large for ${OPTIMISERS[optimiser].label}, which moves every weight by about η each step; about ${OPTIMISERS[optimiser].typicalLearningRate} is usual.`
      : v > 10
        ? `η = ${v} is very large: steps this big usually make the loss explode; 0.01 to 1 is the usual range.`
        : v < 1e-5 && v > 0
          ? `η = ${v} is very small: training will barely move; 0.01 to 1 is the usual range.`
          : null,
  momentum: (v) =>
    v > 0.99 ? `Momentum ${v} keeps almost all of the last step: training may overshoot and oscillate; 0.5 to 0.9 is usual.` : null,
  l1: (v) => (v > 1 ? `λ₁ = ${v} is very strong: it can drive every weight to 0; 1e-5 to 1e-2 is usual.` : null),
  l2: (v) =>
    v > 1 ? `λ₂ = ${v} is very strong: it pulls every weight towards 0 and can make training diverge; 1e-5 to 1e-2 is usual.` : null,
  maxEpochs: (v) =>
    v > 1_000_000 ? `${v.toLocaleString('en')} epochs is a very long run; a target loss or early stopping usually ends it sooner.` : null,
  batchSize: (v) =>
    v > 4096
      ? `A mini-batch of ${v.toLocaleString('en')} samples is larger than usual; batch mode does the same with one update per epoch.`
      : null,
};

/**
 * A warning for an allowed but implausible value of a setting, or null when it is ordinary.
 * @param setting Which hyperparameter.
 * @param value Its value in force.
 * @param optimiser The optimiser in force (what a plausible learning rate is depends on it).
 */
export function adviseHyperparameter(setting: AdvisedSetting, value: number, optimiser: OptimiserName = 'sgd'): string | null {
  return ADVICE[setting](value, optimiser);
}

/** Every warning for a whole set of hyperparameters (for the CLI, before a run). */
export function hyperparameterWarnings(h: Hyperparameters): string[] {
  const warnings: string[] = [];
  for (const setting of Object.keys(ADVICE) as AdvisedSetting[]) {
    if (setting === 'batchSize' && h.mode !== 'minibatch') continue;
    const advice = adviseHyperparameter(setting, h[setting], h.optimiser);
    if (advice) warnings.push(advice);
  }
  return warnings;
}

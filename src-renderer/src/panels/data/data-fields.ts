/**
 * What the data panel's number fields need besides the `setData` command (which refuses values
 * out of range): warnings for settings that are allowed but rarely what anyone means, as
 * hyperparameter-advice.ts gives them for training (the value is kept: a student may want to see
 * noise bury the pattern), and the split that a typed training or validation share makes.
 */
import type { Project } from '../../../../engine/src/index';

/** The data panel's number fields that get advice. */
export type AdvisedDataSetting = 'size' | 'noise' | 'seed' | 'train';

/** Above this many generated samples an epoch is slow in the app and the scatter plot a blot. */
export const PLAUSIBLE_SIZE = 10_000;

/** Above this noise (a standard deviation) the built-in patterns, drawn within ±5, blur away. */
export const PLAUSIBLE_NOISE = 1;

/** The seeds that draw distinct data: the generator keeps the whole part modulo 2³² (random.ts). */
const SEED_RANGE = 2 ** 32;

const ADVICE: Record<AdvisedDataSetting, (value: number) => string | null> = {
  size: (v) =>
    v > PLAUSIBLE_SIZE
      ? `${v.toLocaleString('en')} samples make every epoch slow and crowd the scatter plot; a few hundred show the pattern.`
      : null,
  noise: (v) =>
    v > PLAUSIBLE_NOISE
      ? `Noise ${v} is larger than the pattern (its points lie within about ±5), so the classes blur into each other; 0 to 0.5 is usual.`
      : null,
  seed: (v) =>
    !Number.isInteger(v) || Math.abs(v) >= SEED_RANGE
      ? `Seed ${v} generates the same points as seed ${Math.trunc(v) >>> 0}: only the whole part, modulo 2³², counts.`
      : null,
  train: (v) => (v < 0.5 ? `Only ${v} of the samples train the network; 0.6 to 0.8 is usual.` : null),
};

/**
 * A warning for an allowed but implausible data setting, or null when it is ordinary.
 * @param setting Which field of the data panel.
 * @param value Its value in force.
 */
export function adviseData(setting: AdvisedDataSetting, value: number): string | null {
  return ADVICE[setting](value);
}

/**
 * The split with the training and validation shares typed, the test share being what is left
 * (0 when they leave nothing; `setData` then says they add up to more than 1). Rounded to 12
 * decimals so that 1 − 0.7 − 0.15 is 0.15, not 0.15000000000000002, while the three shares still
 * add up to 1 within the 1e-9 that `setData` allows, however many decimals were typed.
 */
export function splitWithShares(split: Project['split'], train: number, validation: number): Project['split'] {
  return { ...split, train, validation, test: Math.max(0, +(1 - train - validation).toFixed(12)) };
}

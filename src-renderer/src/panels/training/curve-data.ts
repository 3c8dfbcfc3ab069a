/** The training history as the columns the curves chart draws, and the scale its loss axis takes. */
import type { EpochRecord } from '../../../../engine/src/index';
import { formatValue } from '../../ui/format';

type Series = (number | null)[];

/**
 * The chart's columns: epoch, then train loss, validation loss, train accuracy, validation
 * accuracy. On a log axis (`log`) the losses are their log10, which the chart draws on a linear
 * scale labelled in powers of ten (uPlot's own log scale gives up on values past 1e17), and a
 * loss of 0 or below, which has no place there, is a gap.
 */
export function curveData(history: readonly EpochRecord[], log = false): [number[], Series, Series, Series, Series] {
  const loss = (v: number | null) => (v === null || !Number.isFinite(v) ? null : !log ? v : v > 0 ? Math.log10(v) : null);
  return [
    history.map((r) => r.epoch),
    history.map((r) => loss(r.loss)),
    history.map((r) => loss(r.validationLoss)),
    history.map((r) => (r.accuracy === null ? null : r.accuracy * 100)),
    history.map((r) => (r.validationAccuracy === null ? null : r.validationAccuracy * 100)),
  ];
}

/** Past this many decades between the smallest and the largest loss, a linear axis shows a flat line at 0. */
export const LOG_SCALE_DECADES = 3;

/** How many decades the finite, positive losses (training and validation) span: log10(largest / smallest); 0 for none. */
export function lossDecades(history: readonly EpochRecord[]): number {
  let lo = Infinity;
  let hi = 0;
  for (const r of history) {
    for (const v of [r.loss, r.validationLoss]) {
      if (v === null || !Number.isFinite(v) || v <= 0) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return hi > 0 ? Math.log10(hi / lo) : 0;
}

/**
 * Whether the loss axis is logarithmic: the user's choice when there is one, else on by itself
 * once the loss spans more than {@link LOG_SCALE_DECADES} decades (a loss that explodes to 1e292,
 * or one that falls from 1 to 1e-5, is a flat line on a linear axis).
 */
export function logLossAxis(history: readonly EpochRecord[], choice: boolean | null): boolean {
  return choice ?? lossDecades(history) > LOG_SCALE_DECADES;
}

/** A power of ten as the log axis labels its exponent: 1e292 and 1e−6 for far ones, 0.01 and 100 for near ones. */
export function decadeLabel(exponent: number): string {
  if (Number.isInteger(exponent) && Math.abs(exponent) >= 4) return `1e${exponent}`.replace('-', '−');
  return formatValue(10 ** exponent, 3);
}

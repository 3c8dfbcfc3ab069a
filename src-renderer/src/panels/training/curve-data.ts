/** The training history as the columns the curves chart draws. */
import type { EpochRecord } from '../../../../engine/src/index';

type Series = (number | null)[];

/** The chart's columns: epoch, then train loss, validation loss, train accuracy, validation accuracy. */
export function curveData(history: readonly EpochRecord[]): [number[], Series, Series, Series, Series] {
  const finite = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);
  return [
    history.map((r) => r.epoch),
    history.map((r) => finite(r.loss)),
    history.map((r) => finite(r.validationLoss)),
    history.map((r) => (r.accuracy === null ? null : r.accuracy * 100)),
    history.map((r) => (r.validationAccuracy === null ? null : r.validationAccuracy * 100)),
  ];
}

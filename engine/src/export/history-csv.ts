/**
 * The training history as CSV: one row per epoch the project keeps (every epoch up to 2,048; past
 * that the history is thinned to what its curves show, engine/src/train/history.ts) with the training
 * loss and accuracy (means over the epoch's steps, as the app's curves show them) and the
 * validation loss and accuracy at the epoch's end. The test split is not measured per epoch (it is
 * kept for the end), so it has no column.
 */
import type { Project } from '../project/schema';

/** The header {@link exportHistoryCsv} writes. */
export const HISTORY_COLUMNS = ['epoch', 'train_loss', 'train_accuracy', 'validation_loss', 'validation_accuracy'] as const;

/**
 * The history as CSV text with a header row. An empty cell means "not measured": no accuracy for
 * a regression, no validation numbers without a validation split. Numbers are written in full
 * (the shortest text that reads back to the same float64). A project never trained gives the
 * header alone.
 */
export function exportHistoryCsv(project: Project): string {
  const cell = (value: number | null) => (value === null ? '' : String(value));
  const lines = [HISTORY_COLUMNS.join(',')];
  for (const r of project.training.history) {
    lines.push([String(r.epoch), cell(r.loss), cell(r.accuracy), cell(r.validationLoss), cell(r.validationAccuracy)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

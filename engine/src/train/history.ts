/**
 * The training history, kept small: per-epoch records thinned, past a few thousand epochs, so that
 * a drawn curve cannot tell, and stored as columns.
 *
 * Thinning is a min/max decimation over buckets of epochs whose width is a power of two, aligned
 * to epoch 1 and chosen from the last epoch alone (see {@link historyLevel}): of each bucket it
 * keeps the first and the last record and, for each series (loss, accuracy, validation loss and
 * accuracy), the earliest record of its minimum and of its maximum. A line chart of the thinned
 * records therefore reaches every peak and trough the full one does, over the same epochs.
 *
 * Because a wider bucket is the union of narrower ones, and the extremes of a union are among the
 * extremes of its parts, thinning any set of records that lies between the full history and its
 * thinned form gives the thinned form again: the trainer may thin as it goes, the app may thin what
 * it was sent, and a run saved and resumed stores exactly what the run in one go stores.
 */
import type { EpochRecord } from './train';

/** Up to this last epoch every record is kept. */
export const HISTORY_KEEP_ALL = 2048;
/** Beyond {@link HISTORY_KEEP_ALL}, at most this many buckets (each keeps at most 10 records). */
export const HISTORY_BUCKETS = 512;
/** A history held in memory is thinned once it has more records than this (the trainer's, the app's). */
export const HISTORY_MEMORY_CAP = 8192;

/** The series a curve draws, each of which keeps its extremes. */
const SERIES = ['loss', 'accuracy', 'validationLoss', 'validationAccuracy'] as const;

/** The history as stored in a project: one column per field; a column of nothing but nulls is null. */
export interface HistoryColumns {
  epoch: number[];
  loss: number[];
  accuracy: (number | null)[] | null;
  validationLoss: (number | null)[] | null;
  validationAccuracy: (number | null)[] | null;
}

/**
 * The bucket width, as a power of two, for a history whose last epoch is `lastEpoch`: 0 (every
 * record) up to {@link HISTORY_KEEP_ALL}, then the narrowest width that needs no more than
 * {@link HISTORY_BUCKETS} buckets. It never falls as the history grows, which is what lets
 * thinning be repeated as training goes on.
 */
export function historyLevel(lastEpoch: number): number {
  if (lastEpoch <= HISTORY_KEEP_ALL) return 0;
  let level = 0;
  while (Math.ceil(lastEpoch / 2 ** level) > HISTORY_BUCKETS) level++;
  return level;
}

/**
 * The records a curve needs (see the module's comment), in epoch order; every record while the
 * history is short. `records` must be in increasing order of epoch.
 */
export function thinHistory(records: readonly EpochRecord[]): EpochRecord[] {
  const n = records.length;
  if (n === 0) return [];
  const level = historyLevel(records[n - 1].epoch);
  if (level === 0) return records.slice();
  const width = 2 ** level;
  const keep = new Uint8Array(n);
  const bucketOf = (i: number) => Math.floor((records[i].epoch - 1) / width);
  for (let start = 0; start < n;) {
    const bucket = bucketOf(start);
    let end = start + 1;
    while (end < n && bucketOf(end) === bucket) end++;
    keep[start] = 1;
    keep[end - 1] = 1;
    for (const series of SERIES) {
      let low = -1;
      let high = -1;
      for (let i = start; i < end; i++) {
        const value = records[i][series];
        if (value === null || !Number.isFinite(value)) continue;
        // Strict comparisons: the earliest of equal extremes, so thinning again picks the same one.
        if (low < 0 || value < (records[low][series] as number)) low = i;
        if (high < 0 || value > (records[high][series] as number)) high = i;
      }
      if (low >= 0) keep[low] = 1;
      if (high >= 0) keep[high] = 1;
    }
    start = end;
  }
  const kept: EpochRecord[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) kept.push(records[i]);
  return kept;
}

/**
 * Thins a history held in memory in place once it is longer than {@link HISTORY_MEMORY_CAP}, so a
 * run of millions of epochs holds a few thousand records. Returns whether it thinned.
 */
export function thinHistoryInPlace(records: EpochRecord[]): boolean {
  if (records.length <= HISTORY_MEMORY_CAP) return false;
  const thinned = thinHistory(records);
  records.length = 0;
  // One at a time: a spread of a long array into push would overflow the stack.
  for (const record of thinned) records.push(record);
  return true;
}

/**
 * The records in increasing order of epoch with one record per epoch: a history put together from
 * several runs (an older app joined them as they came) keeps, for an epoch recorded twice, the
 * later record, which belongs to the weights that were kept.
 */
export function orderedHistory(records: readonly EpochRecord[]): EpochRecord[] {
  let ordered = true;
  for (let i = 1; i < records.length && ordered; i++) ordered = records[i].epoch > records[i - 1].epoch;
  if (ordered) return records.slice();
  const byEpoch = new Map<number, EpochRecord>();
  for (const record of records) byEpoch.set(record.epoch, record);
  return Array.from(byEpoch.values()).sort((a, b) => a.epoch - b.epoch);
}

/** The stored form of a history: ordered, thinned, and as columns. */
export function historyToColumns(records: readonly EpochRecord[]): HistoryColumns {
  const kept = thinHistory(orderedHistory(records));
  const column = (field: (typeof SERIES)[number]) => {
    const values = kept.map((r) => r[field]);
    return values.every((v) => v === null) ? null : values;
  };
  return {
    epoch: kept.map((r) => r.epoch),
    loss: kept.map((r) => r.loss),
    accuracy: column('accuracy'),
    validationLoss: column('validationLoss'),
    validationAccuracy: column('validationAccuracy'),
  };
}

/** The records of a stored history (its columns checked to be of one length). */
export function historyFromColumns(columns: HistoryColumns): EpochRecord[] {
  const records: EpochRecord[] = [];
  for (let i = 0; i < columns.epoch.length; i++) {
    records.push({
      epoch: columns.epoch[i],
      loss: columns.loss[i],
      accuracy: columns.accuracy?.[i] ?? null,
      validationLoss: columns.validationLoss?.[i] ?? null,
      validationAccuracy: columns.validationAccuracy?.[i] ?? null,
    });
  }
  return records;
}

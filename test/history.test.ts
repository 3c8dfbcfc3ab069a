/**
 * The history kept small: thinning keeps what a curve shows (every bucket's first, last, minimum
 * and maximum of every series), thinning again or as it goes changes nothing, and a project
 * trained for thousands of epochs stays small.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HISTORY_BUCKETS,
  HISTORY_KEEP_ALL,
  HISTORY_MEMORY_CAP,
  findExample,
  historyFromColumns,
  historyLevel,
  historyToColumns,
  openSession,
  parseProject,
  projectFromSession,
  serialiseProject,
  thinHistory,
  thinHistoryInPlace,
  type EpochRecord,
} from '../engine/src/index';

const SERIES = ['loss', 'accuracy', 'validationLoss', 'validationAccuracy'] as const;

/** A noisy history of `epochs` epochs from a seed: losses fall with noise, accuracies step, validation sometimes missing. */
function history(epochs: number, seed: number, from = 1): EpochRecord[] {
  let x = seed >>> 0;
  const random = () => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return x / 4294967296;
  };
  return Array.from({ length: epochs }, (_, k) => {
    const epoch = from + k;
    return {
      epoch,
      loss: 1 / (1 + epoch / 50) + 0.05 * random(),
      accuracy: Math.round(4 * random()) / 4,
      validationLoss: random() < 0.1 ? null : 1 / (1 + epoch / 60) + 0.05 * random(),
      validationAccuracy: null,
    };
  });
}

describe('thinning', () => {
  it('keeps every record up to the keep-all length, then at most ten a bucket', () => {
    expect(historyLevel(1)).toBe(0);
    expect(historyLevel(HISTORY_KEEP_ALL)).toBe(0);
    const short = history(HISTORY_KEEP_ALL, 1);
    expect(thinHistory(short)).toEqual(short);
    for (const epochs of [HISTORY_KEEP_ALL + 1, 10_000, 123_457, 3_000_001]) {
      const level = historyLevel(epochs);
      expect(Math.ceil(epochs / 2 ** level)).toBeLessThanOrEqual(HISTORY_BUCKETS);
      expect(Math.ceil(epochs / 2 ** (level - 1))).toBeGreaterThan(HISTORY_BUCKETS); // the narrowest such width
    }
    const long = history(100_000, 2);
    const thinned = thinHistory(long);
    expect(thinned.length).toBeLessThanOrEqual(10 * HISTORY_BUCKETS);
    expect(thinned.length).toBeGreaterThan(HISTORY_BUCKETS);
  });

  it('keeps the first and last record, and every bucket’s first, last, minimum and maximum of every series', () => {
    const full = history(20_000, 3);
    const thinned = thinHistory(full);
    const kept = new Set(thinned.map((r) => r.epoch));
    expect(kept.has(1) && kept.has(20_000)).toBe(true);
    const width = 2 ** historyLevel(20_000);
    for (let start = 0; start < full.length; start += width) {
      const bucket = full.slice(start, start + width);
      const inThinned = thinned.filter((r) => r.epoch >= bucket[0].epoch && r.epoch <= bucket.at(-1)!.epoch);
      expect(inThinned[0]).toBe(bucket[0]);
      expect(inThinned.at(-1)).toBe(bucket.at(-1));
      for (const series of SERIES) {
        // Computed independently: the extremes over the bucket's values, full and thinned.
        const values = (records: EpochRecord[]) => records.map((r) => r[series]).filter((v): v is number => v !== null);
        const all = values(bucket);
        const some = values(inThinned);
        if (all.length === 0) continue;
        expect(Math.min(...some)).toBe(Math.min(...all));
        expect(Math.max(...some)).toBe(Math.max(...all));
      }
    }
  });

  it('thinning again, or along the way, gives the same records as thinning once (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 0, max: 30_000 }), fc.nat(), (first, more, seed) => {
        const a = history(first, seed);
        const b = history(more, seed + 1, first + 1);
        const once = thinHistory([...a, ...b]);
        expect(thinHistory(once)).toEqual(once);
        expect(thinHistory([...thinHistory(a), ...b])).toEqual(once);
      }),
      { numRuns: 60 },
    );
  });

  it('a history held in memory is thinned past its cap and ends as the stored form would', () => {
    const records: EpochRecord[] = [];
    const all = history(50_000, 9);
    let thinnings = 0;
    for (const record of all) {
      records.push(record);
      if (thinHistoryInPlace(records)) thinnings++;
      expect(records.length).toBeLessThanOrEqual(HISTORY_MEMORY_CAP);
    }
    expect(thinnings).toBeGreaterThan(1);
    expect(thinHistory(records)).toEqual(thinHistory(all));
  });

  it('columns: a column of nothing but nulls is null, and the records come back as they were (thinned)', () => {
    const full = history(5_000, 4);
    const columns = historyToColumns(full);
    expect(columns.validationAccuracy).toBeNull();
    expect(columns.accuracy).toHaveLength(columns.epoch.length);
    expect(historyFromColumns(columns)).toEqual(thinHistory(full));
    // Records from several runs joined out of order: in order of epoch, the later record of an epoch kept.
    const joined = [...history(5, 1), ...history(3, 2, 4)];
    expect(historyFromColumns(historyToColumns(joined)).map((r) => [r.epoch, r.loss])).toEqual([
      ...history(3, 1).map((r) => [r.epoch, r.loss]),
      ...history(3, 2, 4).map((r) => [r.epoch, r.loss]),
    ]);
  });
});

describe('projects stay small', () => {
  it('a 9-parameter XOR project trained 5,000 epochs saves to well under 100 KB, its curve intact', () => {
    const base = findExample('xor-sigmoid')!.create();
    const session = openSession(base, 'train', { ...base.hyperparameters, maxEpochs: 5_000, targetLoss: null });
    session.trainer.run();
    expect(session.trainer.epoch).toBe(5_000);
    const text = serialiseProject(projectFromSession(base, session));
    expect(text.length).toBeLessThan(60_000);
    const loaded = parseProject(text);
    if (!loaded.ok) throw loaded.error;
    const stored = loaded.project.training.history;
    expect(stored[0].epoch).toBe(1);
    expect(stored.at(-1)!.epoch).toBe(5_000);
    const losses = session.trainer.history.map((r) => r.loss);
    const storedLosses = stored.map((r) => r.loss);
    expect(Math.min(...storedLosses)).toBe(Math.min(...losses));
    expect(Math.max(...storedLosses)).toBe(Math.max(...losses));
    // Every stored record is the record training made for that epoch, to the bit.
    const byEpoch = new Map(session.trainer.history.map((r) => [r.epoch, r]));
    for (const record of stored) expect(record).toEqual(byEpoch.get(record.epoch));
  });

  it('a run past a million epochs keeps a few thousand records, and saves and opens', () => {
    const base = findExample('or-perceptron')!.create(); // one step an epoch, on four rows
    const project = { ...base, hyperparameters: { ...base.hyperparameters, algorithm: 'gradientDescent' as const, maxEpochs: 1_000_050 } };
    project.graph.nodes = project.graph.nodes.map((n) =>
      n.kind === 'perceptron' ? { ...n, kind: 'neuron' as const, activation: 'sigmoid' as const } : n,
    );
    const session = openSession(project, 'train', { ...project.hyperparameters, mode: 'batch' });
    const result = session.trainer.run();
    expect(result.reason).toBe('maxEpochs');
    expect(session.trainer.history.length).toBeLessThanOrEqual(HISTORY_MEMORY_CAP);
    const loaded = parseProject(serialiseProject(projectFromSession(project, session)));
    if (!loaded.ok) throw loaded.error;
    expect(loaded.project.training.epoch).toBe(1_000_050);
    expect(loaded.project.training.history.length).toBeLessThanOrEqual(10 * HISTORY_BUCKETS);
    expect(loaded.project.training.history.at(-1)!.epoch).toBe(1_000_050);
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import type { EpochRecord, Hyperparameters } from '../train/train';
import { findExample } from './examples';
import { parseProject, serialiseProject } from './format';
import {
  RUNS_KEPT,
  RUN_POINTS,
  appendToRun,
  canPin,
  compactRunHistory,
  finishRun,
  networkOf,
  nextRunLabel,
  noteSettings,
  recordRun,
  runCaption,
  runLossDecades,
  runOverlay,
  runSettingText,
  settingsDiff,
  startRun,
} from './runs';
import type { Project, Run } from './schema';
import { openSession } from './session';

const xor = (): Project => findExample('xor-sigmoid')!.create();

function run(id: string, change: Partial<Hyperparameters> = {}, startEpoch = 0): Run {
  const project = xor();
  return startRun({
    id,
    label: id,
    startedAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
    hyperparameters: { ...project.hyperparameters, ...change },
    graph: project.graph,
    startEpoch,
  });
}

const record = (epoch: number, loss: number, accuracy: number | null = null): EpochRecord => ({
  epoch,
  loss,
  accuracy,
  validationLoss: null,
  validationAccuracy: null,
});

describe('a run’s history', () => {
  it('counts epochs from the run’s start, ignores repeated records, stores a diverged loss as null, and ends with the last record’s figures', () => {
    let r = run('a', {}, 1000);
    r = appendToRun(r, [record(1001, 0.5, 0.25), record(1002, 0.4, 0.5)]);
    r = appendToRun(r, [record(1002, 99, 0), record(1003, Number.NaN, 0.75)]);
    expect(r.history.epoch).toEqual([1, 2, 3]);
    expect(r.history.loss).toEqual([0.5, 0.4, null]);
    expect(r.history.accuracy).toEqual([0.25, 0.5, 0.75]);
    expect(r.history.validationLoss).toBeNull();
    expect(r.final).toEqual({ epochs: 3, loss: null, accuracy: 0.75, validationLoss: null, validationAccuracy: null });
  });

  it('a long run, reported in pieces, is held to the bound and keeps its first, last, lowest and highest records', () => {
    // A loss that falls, with one dip and one spike, and an accuracy that climbs: 100,000 epochs.
    const epochs = 100_000;
    const loss = (e: number) => (e === 54_321 ? 1e-9 : e === 77_777 ? 50 : 1 / Math.sqrt(e));
    const accuracy = (e: number) => (e === 33_333 ? 1 : Math.min(0.99, e / epochs));
    let r = run('long');
    for (let from = 1; from <= epochs; from += 997) {
      const chunk: EpochRecord[] = [];
      for (let e = from; e < from + 997 && e <= epochs; e++) chunk.push(record(e, loss(e), accuracy(e)));
      r = appendToRun(r, chunk);
      expect(r.history.epoch.length).toBeLessThanOrEqual(RUN_POINTS);
    }
    const h = r.history;
    expect(h.epoch[0]).toBe(1);
    expect(h.epoch.at(-1)).toBe(epochs);
    // The extremes, found by a plain scan of the full series.
    let lowest = 1;
    let highest = 1;
    for (let e = 1; e <= epochs; e++) {
      if (loss(e) < loss(lowest)) lowest = e;
      if (loss(e) > loss(highest)) highest = e;
    }
    expect(h.epoch).toContain(lowest);
    expect(h.epoch).toContain(highest);
    expect(h.epoch).toContain(33_333);
    expect(Math.min(...h.loss.map((v) => v!))).toBe(1e-9);
    // Each kept record is the full series' record at its epoch.
    h.epoch.forEach((e, i) => {
      expect(h.loss[i]).toBe(loss(e));
      expect(h.accuracy![i]).toBe(accuracy(e));
    });
    for (let i = 1; i < h.epoch.length; i++) expect(h.epoch[i]).toBeGreaterThan(h.epoch[i - 1]);
    expect(r.final.epochs).toBe(epochs);
  });

  it('compaction leaves a history that fits alone, and holds four series to the bound too', () => {
    const short = { epoch: [1, 2, 3], loss: [3, 2, 1], accuracy: null, validationLoss: null, validationAccuracy: null };
    expect(compactRunHistory(short)).toBe(short);
    const n = 5000;
    const wave = (i: number, k: number) => Math.sin(i * k) + 2;
    const epoch = Array.from({ length: n }, (_, i) => i + 1);
    const full = {
      epoch,
      loss: epoch.map((e) => wave(e, 0.37)),
      accuracy: epoch.map((e) => wave(e, 0.11) / 3),
      validationLoss: epoch.map((e) => wave(e, 0.53)),
      validationAccuracy: epoch.map((e) => wave(e, 0.71) / 3),
    };
    const compact = compactRunHistory(full);
    expect(compact.epoch.length).toBeLessThanOrEqual(RUN_POINTS);
    expect(compact.epoch.length).toBeGreaterThan(100);
    for (const series of ['loss', 'accuracy', 'validationLoss', 'validationAccuracy'] as const) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of full[series]) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      expect(compact[series]!.includes(min)).toBe(true);
      expect(compact[series]!.includes(max)).toBe(true);
    }
  });
});

describe('settings of runs', () => {
  it('η = 0.1 vs 1 vs 10: only η differs, first; the captions name it', () => {
    const runs = [run('a', { learningRate: 0.1 }), run('b', { learningRate: 1 }), run('c', { learningRate: 10 })];
    const { differing, same } = settingsDiff(runs);
    expect(differing.map((s) => s.key)).toEqual(['learningRate']);
    expect(same.map((s) => s.key)).toContain('momentum');
    expect(differing.length + same.length).toBe(22);
    expect(same.map((s) => s.key)).toContain('precision');
    expect(runs.map((r) => runCaption(r, differing))).toEqual(['η = 0.1', 'η = 1', 'η = 10']);
  });

  it('runs with the same settings differ in nothing; a setting changed while a run ran differs even from itself', () => {
    const same = [run('a'), run('b')];
    expect(settingsDiff(same).differing).toEqual([]);
    const hyper = same[0].hyperparameters;
    expect(hyper.momentum).toBe(0.9);
    let changed = noteSettings(same[1], { ...hyper, momentum: 0.5 }, 40);
    expect(changed.changes).toHaveLength(1);
    expect(noteSettings(changed, { ...hyper, momentum: 0.5 }, 41)).toBe(changed); // unchanged settings: nothing
    const diff = settingsDiff([same[0], changed]).differing;
    expect(diff.map((s) => s.key)).toEqual(['momentum']);
    expect(runSettingText(changed, diff[0])).toBe('0.9 → 0.5 (from epoch 41)');
    expect(runCaption(changed, diff)).toBe('α = 0.9 → 0.5');
    // Changed before the first epoch: those are the settings it started with.
    changed = noteSettings(same[0], { ...hyper, learningRate: 2 }, 0);
    expect(changed.changes).toEqual([]);
    expect(changed.hyperparameters.learningRate).toBe(2);
  });

  it('records the network it trained: the 2-2-1 XOR network has 2 inputs, 3 units and 9 parameters', () => {
    expect(networkOf(xor().graph)).toEqual({ inputs: 2, units: 3, parameters: 9 });
  });
});

describe('the overlay of chosen runs', () => {
  it('aligns the runs per epoch on the union of their epochs, a gap where a run has none', () => {
    const a = appendToRun(run('a'), [record(1, 0.5, 0.5), record(2, 0.25, 0.75), record(3, 0.125, 1)]);
    // b began from trained weights (project epoch 10), so its epochs 1, 2 and 4 are the project's 11, 12 and 14.
    const b = appendToRun(run('b', {}, 10), [record(11, 1, 0), record(12, 10, 0.25), record(14, 100, 0.5)]);
    expect(runOverlay([a, b], 'loss')).toEqual({
      epochs: [1, 2, 3, 4],
      series: [
        [0.5, 0.25, 0.125, null],
        [1, 10, null, 100],
      ],
    });
    expect(runOverlay([a, b], 'accuracy').series[1]).toEqual([0, 25, null, 50]);
    const log = runOverlay([a, b], 'loss', true).series;
    expect(log[1]).toEqual([0, 1, null, 2]);
    expect(log[0][2]).toBeCloseTo(Math.log10(0.125), 12);
    expect(runOverlay([a, b], 'validationLoss').series).toEqual([
      [null, null, null, null],
      [null, null, null, null],
    ]);
    expect(runLossDecades([a, b])).toBeCloseTo(Math.log10(100 / 0.125), 12);
  });

  it('a loss of 0 has no place on a log axis: a gap', () => {
    const a = appendToRun(run('a'), [record(1, 0), record(2, 1e-300)]);
    expect(runOverlay([a], 'loss', true).series[0]).toEqual([null, -300]);
  });
});

describe('the runs a project keeps', () => {
  it(`keeps at most ${RUNS_KEPT}, dropping the oldest that is not pinned; a run recorded again keeps its label and pin`, () => {
    let runs: Run[] = [];
    for (let i = 1; i <= RUNS_KEPT; i++) runs = recordRun(runs, run(`r${i}`));
    runs[0] = { ...runs[0], pinned: true };
    runs = recordRun(runs, run('new'));
    expect(runs).toHaveLength(RUNS_KEPT);
    expect(runs.map((r) => r.id)).toEqual(['r1', ...Array.from({ length: RUNS_KEPT - 2 }, (_, i) => `r${i + 3}`), 'new']);
    runs[runs.length - 1] = { ...runs[runs.length - 1], label: 'mine', pinned: true };
    const again = finishRun(appendToRun(run('new'), [record(1, 0.5)]), { reason: 'maxEpochs', message: 'Stopped.' });
    runs = recordRun(runs, again);
    expect(runs.at(-1)).toMatchObject({ id: 'new', label: 'mine', pinned: true, final: { epochs: 1 }, stop: { reason: 'maxEpochs' } });
    expect(runs).toHaveLength(RUNS_KEPT);
  });

  it('pins leave room for a new run; new runs are numbered after the highest', () => {
    const runs = Array.from({ length: RUNS_KEPT - 1 }, (_, i) => ({ ...run(`p${i}`), pinned: true }));
    expect(canPin(runs.slice(1))).toBe(true);
    expect(canPin(runs)).toBe(false);
    expect(
      nextRunLabel([
        { ...run('a'), label: 'Run 7' },
        { ...run('b'), label: 'η test' },
      ]),
    ).toBe('Run 8');
    expect(nextRunLabel(undefined)).toBe('Run 1');
  });
});

describe('runs in a project file', () => {
  let trainedEpochs: number[] = [];
  /** Three trained runs of the XOR network, η = 0.1, 1 and 10, 200 epochs each, as the app records them. */
  function trainedRuns(): Run[] {
    let runs: Run[] = [];
    trainedEpochs = [];
    for (const [i, learningRate] of [0.1, 1, 10].entries()) {
      const project = xor();
      const hyper = { ...project.hyperparameters, learningRate, maxEpochs: 200 };
      const session = openSession(project, 'train', hyper);
      let r = startRun({
        id: `run${i}`,
        label: nextRunLabel(runs),
        startedAt: '2025-01-02T03:04:05.000Z',
        hyperparameters: hyper,
        graph: project.graph,
        startEpoch: 0,
      });
      const result = session.trainer.run({ onEpoch: (e) => (r = appendToRun(r, [e])) });
      r = finishRun(r, { reason: result.reason, message: result.message });
      trainedEpochs.push(session.trainer.epoch);
      runs = recordRun(runs, r);
    }
    return runs;
  }

  it('save and reopen: the runs come back as they were, and saving again gives the same bytes', () => {
    const runs = trainedRuns();
    expect(runs.map((r) => r.final.epochs)).toEqual(trainedEpochs);
    expect(runs.map((r) => r.label)).toEqual(['Run 1', 'Run 2', 'Run 3']);
    expect(runs.every((r) => r.stop !== null && r.history.epoch.length === r.final.epochs)).toBe(true);
    const project = { ...xor(), runs };
    const text = serialiseProject(project);
    const opened = parseProject(text);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.project.runs).toEqual(runs);
    expect(serialiseProject(opened.project)).toBe(text);
    // Compactly: three runs of 200 epochs add a few tens of kilobytes at most.
    expect(text.length - serialiseProject(xor()).length).toBeLessThan(40_000);
  });

  it(`a file at the limits (${RUNS_KEPT} runs of ${RUN_POINTS} records, every series) opens: the pre-check counts runs as training history`, () => {
    const full = (id: string): Run => {
      const epoch = Array.from({ length: RUN_POINTS }, (_, i) => i + 1);
      const values = epoch.map((e) => 1 / e);
      const r = run(id);
      return { ...r, history: { epoch, loss: values, accuracy: values, validationLoss: values, validationAccuracy: values } };
    };
    const runs = Array.from({ length: RUNS_KEPT }, (_, i) => full(`r${i}`));
    const opened = parseProject(serialiseProject({ ...xor(), runs }));
    expect(opened.ok ? opened.project.runs!.length : opened.error.message).toBe(RUNS_KEPT);
  });

  it('a file without runs has no runs field, and opens without them', () => {
    const text = serialiseProject(xor());
    expect(text).not.toContain('"runs"');
    const opened = parseProject(text);
    expect(opened.ok && opened.project.runs).toBeUndefined();
  });

  /** The loader's message for a project file whose first run `spoil` damaged. */
  function refusal(spoil: (run: Record<string, unknown>, doc: Record<string, unknown>) => void): string {
    const doc = JSON.parse(serialiseProject({ ...xor(), runs: trainedRuns().slice(0, 2) })) as Record<string, unknown>;
    spoil((doc.runs as Record<string, unknown>[])[0], doc);
    const opened = parseProject(JSON.stringify(doc));
    expect(opened.ok).toBe(false);
    return opened.ok ? '' : opened.error.message;
  }

  it('a crafted file with a bad run is refused with one sentence naming the run, never a crash', () => {
    const history = (run: Record<string, unknown>) => run.history as Record<string, unknown[]>;
    expect(refusal((run) => history(run).loss.pop())).toBe('runs[0].history.loss: has 199 values but epoch has 200.');
    expect(refusal((run) => (history(run).epoch[5] = 3))).toBe('runs[0].history.epoch[5]: epochs must increase, but 3 follows 5.');
    expect(refusal((run) => (run.startedAt = 'yesterday'))).toMatch(/^runs\[0\]\.startedAt: .*\.$/);
    expect(refusal((run) => ((run.hyperparameters as Record<string, unknown>).learningRate = -1))).toBe(
      'runs[0].hyperparameters.learningRate: must be above 0.',
    );
    expect(refusal((run) => delete run.final)).toMatch(/^runs\[0\]\.final: .*\(the field is missing\)\.$/);
    expect(refusal((_run, doc) => ((doc.runs as Record<string, unknown>[])[1].id = 'run0'))).toBe(
      "runs[1].id: another run already has the id 'run0'.",
    );
    expect(refusal((run) => (history(run).epoch = Array.from({ length: RUN_POINTS + 1 }, (_, i) => i + 1)))).toMatch(
      /^runs\[0\]\.history\.epoch: .*501.*\.$|^runs\[0\]\.history\.epoch: .*500.*\.$/,
    );
    expect(refusal((_run, doc) => (doc.runs = Array.from({ length: RUNS_KEPT + 1 }, () => (doc.runs as unknown[])[0])))).toMatch(
      /^runs: .*20.*\.$/,
    );
    expect(refusal((_run, doc) => (doc.runs = 'none'))).toMatch(/^runs: .*\.$/);
    for (const message of [refusal((run) => (run.network = null))]) expect(message.split('. ').length).toBe(1);
  });
});

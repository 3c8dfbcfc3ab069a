/**
 * Training runs kept side by side: each run the user trains is recorded with the settings in force
 * (and any changed while it ran), the network it trained, its history compacted to a few hundred
 * records, and how it ended; chosen runs overlay in one chart, their differing settings first in
 * a table, so "η = 0.1 vs 1 vs 10" is one view.
 *
 * Pure functions over the `runs` of a project (schema.ts, `RunSchema`). A run's epochs count from
 * its own start (1 is its first), so runs begun from different weights still align in a chart.
 */
import type { Graph } from '../model/graph';
import { isComputing, isDataInput, featuresOf, unitCount } from '../model/graph';
import type { EpochRecord, Hyperparameters } from '../train/train';
import { formatNumber } from '../util/format';
import type { Run, RunHistory } from './schema';

/** Runs a project keeps: past this, the oldest run that is not pinned is dropped as a new one is added. */
export const RUNS_KEPT = 20;
/** Records a run's history holds at most, however long it ran (see {@link compactRunHistory}). */
export const RUN_POINTS = 500;
/** Changes of settings a run records while it runs; past this the last one is overwritten, so the settings in force stay known. */
export const RUN_CHANGES = 32;

/** What a run starts from. */
export interface RunStart {
  id: string;
  /** Shown in the table and the legend; "Run N" when not given. */
  label?: string;
  startedAt: Date | string;
  hyperparameters: Hyperparameters;
  graph: Graph;
  /** The project's completed epochs at the start (0 from fresh weights). */
  startEpoch: number;
}

/** The series a run's history keeps, each of which keeps its extremes in compaction. */
const SERIES = ['loss', 'accuracy', 'validationLoss', 'validationAccuracy'] as const;
/** A series of a run that a chart can draw. */
export type RunMetric = (typeof SERIES)[number];

/** The inputs (features read), computing units and parameters (weights and biases) of a graph, counted as the project format counts them. */
export function networkOf(graph: Graph): Run['network'] {
  const units = new Map<string, number>();
  let inputs = 0;
  let computing = 0;
  let parameters = 0;
  for (const node of graph.nodes) {
    units.set(node.id, unitCount(node));
    if (isDataInput(node)) inputs += featuresOf(node).length;
    if (isComputing(node)) {
      computing += unitCount(node);
      parameters += unitCount(node); // a bias per unit
    }
  }
  for (const edge of graph.edges) parameters += (units.get(edge.source) ?? 0) * (units.get(edge.target) ?? 0);
  return { inputs, units: computing, parameters };
}

const emptyHistory = (): RunHistory => ({ epoch: [], loss: [], accuracy: null, validationLoss: null, validationAccuracy: null });

/** A new run with no epochs yet, under way (its `stop` is null). */
export function startRun(start: RunStart): Run {
  const startedAt = typeof start.startedAt === 'string' ? start.startedAt : start.startedAt.toISOString();
  return {
    id: start.id,
    label: start.label ?? 'Run',
    startedAt,
    hyperparameters: copySettings(start.hyperparameters),
    changes: [],
    startEpoch: start.startEpoch,
    network: networkOf(start.graph),
    history: emptyHistory(),
    final: { epochs: 0, loss: null, accuracy: null, validationLoss: null, validationAccuracy: null },
    stop: null,
  };
}

function copySettings(h: Hyperparameters): Hyperparameters {
  return { ...h, init: { ...h.init }, earlyStopping: h.earlyStopping ? { ...h.earlyStopping } : null };
}

/** A number as a run stores it: NaN and the infinities (a diverged loss) as null, which JSON can hold. */
const finiteOrNull = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The run with the epoch records of its training added: `records` carry the project's epochs,
 * which become the run's (epoch − startEpoch); records at or before the run's last are ignored,
 * so a repeated or late report does no harm. The history is compacted when it grows past
 * {@link RUN_POINTS}; the final figures are the last record's.
 */
export function appendToRun(run: Run, records: readonly EpochRecord[]): Run {
  const h = run.history;
  let last = h.epoch.length > 0 ? h.epoch[h.epoch.length - 1] : 0;
  const fresh: EpochRecord[] = [];
  for (const record of records) {
    const epoch = record.epoch - run.startEpoch;
    if (epoch > last) {
      fresh.push(record);
      last = epoch;
    }
  }
  if (fresh.length === 0) return run;
  const n = h.epoch.length;
  const column = (field: Exclude<RunMetric, 'loss'>) => {
    const existing = h[field];
    const values = existing ? existing.slice() : new Array<number | null>(n).fill(null);
    let any = existing !== null;
    for (const record of fresh) {
      const v = finiteOrNull(record[field]);
      values.push(v);
      any ||= v !== null;
    }
    return any ? values : null;
  };
  const epoch = h.epoch.slice();
  const loss = h.loss.slice();
  for (const record of fresh) {
    epoch.push(record.epoch - run.startEpoch);
    loss.push(finiteOrNull(record.loss));
  }
  const history = compactRunHistory({
    epoch,
    loss,
    accuracy: column('accuracy'),
    validationLoss: column('validationLoss'),
    validationAccuracy: column('validationAccuracy'),
  });
  const end = fresh[fresh.length - 1];
  return {
    ...run,
    history,
    final: {
      epochs: end.epoch - run.startEpoch,
      loss: finiteOrNull(end.loss),
      accuracy: finiteOrNull(end.accuracy),
      validationLoss: finiteOrNull(end.validationLoss),
      validationAccuracy: finiteOrNull(end.validationAccuracy),
    },
  };
}

/**
 * The history with at most {@link RUN_POINTS} records: unchanged while it fits; beyond, a min/max
 * decimation over buckets of epochs (a power of two wide, aligned to epoch 1, as few as the bound
 * allows) keeping of each bucket its first and last record and the earliest record of each
 * series' minimum and maximum. The first record, the last, and the lowest loss are therefore
 * always kept, and a line through what is kept reaches every peak and trough.
 */
export function compactRunHistory(history: RunHistory): RunHistory {
  const n = history.epoch.length;
  if (n <= RUN_POINTS) return history;
  const present = SERIES.filter((s) => history[s] !== null);
  const perBucket = 2 + 2 * present.length;
  const buckets = Math.floor(RUN_POINTS / perBucket);
  const lastEpoch = history.epoch[n - 1];
  let width = 1;
  while (Math.ceil(lastEpoch / width) > buckets) width *= 2;
  const keep = new Uint8Array(n);
  const bucketOf = (i: number) => Math.floor((history.epoch[i] - 1) / width);
  for (let start = 0; start < n;) {
    const bucket = bucketOf(start);
    let end = start + 1;
    while (end < n && bucketOf(end) === bucket) end++;
    keep[start] = 1;
    keep[end - 1] = 1;
    for (const series of present) {
      const values = history[series]!;
      let low = -1;
      let high = -1;
      for (let i = start; i < end; i++) {
        const v = values[i];
        if (v === null) continue;
        if (low < 0 || v < (values[low] as number)) low = i;
        if (high < 0 || v > (values[high] as number)) high = i;
      }
      if (low >= 0) keep[low] = 1;
      if (high >= 0) keep[high] = 1;
    }
    start = end;
  }
  const pick = <T>(values: readonly T[]): T[] => {
    const kept: T[] = [];
    for (let i = 0; i < n; i++) if (keep[i]) kept.push(values[i]);
    return kept;
  };
  return {
    epoch: pick(history.epoch),
    loss: pick(history.loss),
    accuracy: history.accuracy && pick(history.accuracy),
    validationLoss: history.validationLoss && pick(history.validationLoss),
    validationAccuracy: history.validationAccuracy && pick(history.validationAccuracy),
  };
}

/** The run ended (a stopping criterion, a pause, a stop by the user), or goes on again (null). */
export function finishRun(run: Run, stop: { reason: string; message: string } | null): Run {
  if (run.stop === stop || (run.stop && stop && run.stop.reason === stop.reason && run.stop.message === stop.message)) return run;
  return { ...run, stop: stop && { reason: stop.reason, message: stop.message } };
}

/** The settings in force at the run's end: the last changed, or those it started with. */
export function settingsInForce(run: Run): Hyperparameters {
  return run.changes.length > 0 ? run.changes[run.changes.length - 1].hyperparameters : run.hyperparameters;
}

/**
 * The run with `hyper` in force from its epoch `epoch` on (epochs it had completed when they
 * changed). Unchanged settings change nothing; settings changed before the first epoch are the
 * ones it started with; several changes within one epoch are one.
 */
export function noteSettings(run: Run, hyper: Hyperparameters, epoch: number): Run {
  if (sameSettings(settingsInForce(run), hyper)) return run;
  if (epoch <= 0 && run.changes.length === 0) return { ...run, hyperparameters: copySettings(hyper) };
  const changes = run.changes.slice();
  const change = { epoch, hyperparameters: copySettings(hyper) };
  if (changes.length > 0 && (changes[changes.length - 1].epoch === epoch || changes.length >= RUN_CHANGES))
    changes[changes.length - 1] = change;
  else changes.push(change);
  // Changed back to what it started with before it trained under the change: no change at all.
  if (changes.length === 1 && changes[0].epoch <= 0 && sameSettings(run.hyperparameters, hyper)) changes.length = 0;
  return { ...run, changes };
}

/** Whether two sets of hyperparameters agree on every setting. */
export function sameSettings(a: Hyperparameters, b: Hyperparameters): boolean {
  for (const setting of RUN_SETTINGS) if (setting.value(a) !== setting.value(b)) return false;
  return true;
}

/**
 * The runs with `run` recorded in them: a run already there (by id) takes the new recording but
 * keeps the label and pin the user gave it; a new run is added at the end, and the oldest runs
 * that are not pinned (never the new one) are dropped to keep {@link RUNS_KEPT}.
 */
export function recordRun(runs: readonly Run[] | undefined, run: Run): Run[] {
  const list = runs ? runs.slice() : [];
  const at = list.findIndex((r) => r.id === run.id);
  if (at >= 0) {
    const old = list[at];
    list[at] = { ...run, label: old.label, ...(old.pinned ? { pinned: true } : {}) };
    if (!old.pinned) delete list[at].pinned;
    return list;
  }
  list.push(run);
  return trimRuns(list, run.id);
}

/** Drops the oldest runs that are neither pinned nor `keep` until at most {@link RUNS_KEPT} remain. */
export function trimRuns(runs: readonly Run[], keep?: string): Run[] {
  const list = runs.slice();
  for (let i = 0; list.length > RUNS_KEPT && i < list.length;) {
    if (list[i].pinned || list[i].id === keep) i++;
    else list.splice(i, 1);
  }
  return list;
}

/** Whether another run can be pinned: pins may hold all but one place, so a new run always has room. */
export function canPin(runs: readonly Run[]): boolean {
  let pinned = 0;
  for (const run of runs) if (run.pinned) pinned++;
  return pinned < RUNS_KEPT - 1;
}

/** A label for the next run that no run has: "Run 1", "Run 2", … after the highest so numbered. */
export function nextRunLabel(runs: readonly Run[] | undefined): string {
  let highest = 0;
  for (const run of runs ?? []) {
    const match = /^Run (\d+)$/.exec(run.label);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `Run ${highest + 1}`;
}

/** A setting a run's table can show: its key, how the lecture writes it, and its value in a set of hyperparameters. */
export interface RunSetting {
  key: string;
  /** The symbol or name ("η", "batch size"). */
  symbol: string;
  value(h: Hyperparameters): string | number | boolean | null;
}

const plain = (key: keyof Hyperparameters, symbol: string): RunSetting => ({
  key,
  symbol,
  value: (h) => h[key] as string | number | boolean | null,
});

/** Every hyperparameter, in the order the table lists them when none differ. */
export const RUN_SETTINGS: readonly RunSetting[] = [
  plain('learningRate', 'η'),
  plain('optimiser', 'optimiser'),
  plain('momentum', 'α'),
  plain('mode', 'mode'),
  plain('batchSize', 'batch size'),
  plain('loss', 'loss'),
  plain('algorithm', 'algorithm'),
  plain('l1', 'λ₁'),
  plain('l2', 'λ₂'),
  plain('beta1', 'β₁'),
  plain('beta2', 'β₂'),
  plain('rho', 'ρ'),
  plain('epsilon', 'ε'),
  { key: 'init.method', symbol: 'init', value: (h) => h.init.method },
  { key: 'init.seed', symbol: 'init seed', value: (h) => h.init.seed },
  { key: 'init.range', symbol: 'init range', value: (h) => h.init.range ?? null },
  plain('shuffle', 'shuffle'),
  plain('shuffleSeed', 'shuffle seed'),
  plain('maxEpochs', 'max epochs'),
  plain('targetLoss', 'target loss'),
  { key: 'earlyStopping', symbol: 'early stopping', value: (h) => earlyStoppingText(h) },
  plain('precision', 'precision'),
];

function earlyStoppingText(h: Hyperparameters): string {
  const e = h.earlyStopping;
  if (!e) return 'off';
  return `patience ${e.patience}, min Δ ${formatNumber(e.minDelta)}${e.restoreBest ? ', best restored' : ''}`;
}

/** A setting's value as the table and the legend print it. */
export function settingValueText(value: string | number | boolean | null): string {
  if (value === null) return 'none';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return value;
}

/** "η = 0.1". */
export function settingText(setting: RunSetting, h: Hyperparameters): string {
  return `${setting.symbol} = ${settingValueText(setting.value(h))}`;
}

/** Every value a run trained with for a setting: the one it started with, then each change of it. */
export function settingValues(run: Run, setting: RunSetting): (string | number | boolean | null)[] {
  const values = [setting.value(run.hyperparameters)];
  for (const change of run.changes) {
    const v = setting.value(change.hyperparameters);
    if (v !== values[values.length - 1]) values.push(v);
  }
  return values;
}

/**
 * The settings split for a table: those that differ between the runs, or that changed while a
 * run ran, first; then those all runs share. Each in {@link RUN_SETTINGS}' order.
 */
export function settingsDiff(runs: readonly Run[]): { differing: RunSetting[]; same: RunSetting[] } {
  const differing: RunSetting[] = [];
  const same: RunSetting[] = [];
  for (const setting of RUN_SETTINGS) {
    let first: string | number | boolean | null | undefined;
    let differs = false;
    for (const run of runs) {
      const values = settingValues(run, setting);
      if (values.length > 1) differs = true;
      if (first === undefined) first = values[0];
      else if (values[0] !== first) differs = true;
      if (differs) break;
    }
    (differs ? differing : same).push(setting);
  }
  return { differing, same };
}

/** A run's values of a setting as the table prints them: "0.1", or "0.1 → 1 (from epoch 40)" when it changed while running. */
export function runSettingText(run: Run, setting: RunSetting): string {
  let text = settingValueText(setting.value(run.hyperparameters));
  let previous = setting.value(run.hyperparameters);
  for (const change of run.changes) {
    const v = setting.value(change.hyperparameters);
    if (v === previous) continue;
    text += ` → ${settingValueText(v)} (from epoch ${change.epoch + 1})`;
    previous = v;
  }
  return text;
}

/**
 * What tells a run apart in a legend: its differing settings ("η = 0.1", at most three, a
 * changed one marked with →), or, when no setting differs, nothing (the label alone says it).
 */
export function runCaption(run: Run, differing: readonly RunSetting[]): string {
  const parts: string[] = [];
  for (const setting of differing.slice(0, 3))
    parts.push(`${setting.symbol} = ${runSettingText(run, setting).replace(/ \(from epoch \d+\)/g, '')}`);
  if (differing.length > 3) parts.push('…');
  return parts.join(', ');
}

/** The columns of an overlay chart: the epochs of every run (since each run's start), and per run its values at them. */
export interface RunOverlay {
  epochs: number[];
  /** Per run, in the order given, a value per epoch: null where the run has none (it ended, or compaction dropped that epoch). */
  series: (number | null)[][];
}

/**
 * Chosen runs aligned per epoch for one chart: the union of the runs' epochs, in order, and per
 * run the metric at each (null where it has none, which a chart bridges or leaves as the run's
 * end). Accuracies are in percent. With `log`, losses are their log10 and a loss of 0 or below a
 * gap, as the curves chart draws a log axis (its own log scale fails past 1e17).
 */
export function runOverlay(runs: readonly Run[], metric: RunMetric, log = false): RunOverlay {
  const all = new Set<number>();
  for (const run of runs) for (const e of run.history.epoch) all.add(e);
  const epochs = Array.from(all).sort((a, b) => a - b);
  const index = new Map<number, number>();
  epochs.forEach((e, i) => index.set(e, i));
  const isLoss = metric === 'loss' || metric === 'validationLoss';
  const series = runs.map((run) => {
    const values = new Array<number | null>(epochs.length).fill(null);
    const column = run.history[metric];
    if (!column) return values;
    for (let i = 0; i < run.history.epoch.length; i++) {
      const v = column[i];
      if (v === null || !Number.isFinite(v)) continue;
      const at = index.get(run.history.epoch[i])!;
      values[at] = isLoss ? (log ? (v > 0 ? Math.log10(v) : null) : v) : v * 100;
    }
    return values;
  });
  return { epochs, series };
}

/** How many decades the chosen runs' positive losses span (of `metric`, a loss): log10(largest / smallest); 0 for none. */
export function runLossDecades(runs: readonly Run[], metric: 'loss' | 'validationLoss' = 'loss'): number {
  let lo = Infinity;
  let hi = 0;
  for (const run of runs) {
    for (const v of run.history[metric] ?? []) {
      if (v === null || !Number.isFinite(v) || v <= 0) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return hi > 0 ? Math.log10(hi / lo) : 0;
}

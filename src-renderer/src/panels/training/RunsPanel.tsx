/**
 * The Runs view of the dock: every training run the project keeps, in a table (its name, which
 * can be edited, when it started, the settings that differ between the runs first, its epochs,
 * final loss and accuracy, and why it stopped), checkboxes to choose runs, and one chart that
 * overlays the chosen runs (RunsChart.tsx). Runs can be pinned (never dropped for a new one)
 * and deleted (Undo brings one back). The dock switches between this and the curves with the
 * tabs of {@link DockViewTabs}.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { create } from 'zustand';
import {
  RUNS_KEPT,
  canPin,
  runCaption,
  runLossDecades,
  runSettingText,
  settingsDiff,
  settingText,
  type Run,
  type RunMetric,
} from '../../../../engine/src/index';
import { deleteRun, pinRun, renameRun } from '../../document/run-history';
import { useStudio } from '../../state/store';
import { formatValue } from '../../ui/format';
import { LOG_SCALE_DECADES } from './curve-data';
import { METRIC_NAMES, RunsChart, type ChartedRun } from './RunsChart';
import './runs.css';

/** Ten colours apart from each other on the light and the dark theme (Tableau 10); a run keeps its colour by its place in the list. */
export const RUN_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#8c8c8c'];

/** How many differing settings get a column of their own; the rest share one. */
const SETTING_COLUMNS = 4;

const NO_RUNS: readonly Run[] = [];

/** The dock's two views. */
export type DockView = 'curves' | 'runs';

/** What the Runs view remembers while the window is open: the runs chosen (null: the newest three), the series, the log axis. */
interface RunsViewState {
  chosen: ReadonlySet<string> | null;
  metric: RunMetric;
  log: boolean | null;
  set(change: Partial<Omit<RunsViewState, 'set'>>): void;
}

export const useRunsView = create<RunsViewState>((set) => ({
  chosen: null,
  metric: 'loss',
  log: null,
  set: (change) => set(change),
}));

/** The runs chosen for the chart: those ticked, or before any was ticked the newest three. */
export function chosenRuns(runs: readonly Run[], chosen: ReadonlySet<string> | null): Run[] {
  if (chosen === null) return runs.slice(-3);
  return runs.filter((r) => chosen.has(r.id));
}

/** Why a run stopped, in a word or two (the message is its title). */
function stopText(run: Run, live: boolean): string {
  if (live && !run.stop) return 'training…';
  const reason = run.stop?.reason;
  switch (reason) {
    case undefined:
      return 'interrupted';
    case 'maxEpochs':
      return 'max epochs';
    case 'targetLoss':
      return 'target loss';
    case 'earlyStopping':
      return 'early stopping';
    default:
      return reason;
  }
}

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const when = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
};

/**
 * The tab the arrow keys moved to: each view draws its own tabs, so the focus is handed to the
 * new view's tabs as they mount.
 */
let focusOnMount: DockView | null = null;

/** The tabs over the dock: the curves and decision regions, or the runs side by side. Arrow keys move between them. */
export function DockViewTabs({ view, onChange }: { view: DockView; onChange(view: DockView): void }) {
  const count = useStudio((s) => s.project?.runs?.length ?? 0);
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusOnMount !== view) return;
    focusOnMount = null;
    list.current?.querySelector<HTMLElement>(`[data-view="${view}"]`)?.focus();
  }, [view]);
  const tabs: { id: DockView; text: string }[] = [
    { id: 'curves', text: 'Loss and accuracy' },
    { id: 'runs', text: `Runs${count > 0 ? ` (${count})` : ''}` },
  ];
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const next = view === 'curves' ? 'runs' : 'curves';
    focusOnMount = next;
    onChange(next);
  };
  return (
    <div className="dock-tabs" role="tablist" aria-label="Dock view" onKeyDown={onKey} ref={list}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          data-view={tab.id}
          data-testid={`dock-tab-${tab.id}`}
          aria-selected={view === tab.id}
          tabIndex={view === tab.id ? 0 : -1}
          className={view === tab.id ? 'dock-tab selected' : 'dock-tab'}
          onClick={() => onChange(tab.id)}
        >
          {tab.text}
        </button>
      ))}
    </div>
  );
}

/** A run's name, edited in place: Enter or leaving the field keeps it, Escape puts the old one back. */
function RunName({ run }: { run: Run }) {
  const edit = useStudio((s) => s.edit);
  const [draft, setDraft] = useState<string | null>(null);
  const commit = (text: string) => {
    setDraft(null);
    if (text.trim() !== run.label) edit(renameRun(run.id, text));
  };
  return (
    <input
      className="run-name"
      value={draft ?? run.label}
      aria-label={`Name of ${run.label}`}
      maxLength={200}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={(e) => draft !== null && commit(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit(e.currentTarget.value);
        else if (e.key === 'Escape') {
          e.stopPropagation();
          setDraft(null);
        }
      }}
    />
  );
}

export function RunsPanel({ tabs }: { tabs: ReactNode }) {
  const runs = useStudio((s) => s.project?.runs ?? NO_RUNS);
  const edit = useStudio((s) => s.edit);
  const live = useStudio((s) =>
    s.recording && s.recording.session === s.session && (s.training.state === 'running' || s.training.state === 'paused')
      ? s.recording.runId
      : null,
  );
  const { chosen, metric, log, set } = useRunsView();
  const { differing, same } = useMemo(() => settingsDiff(runs), [runs]);
  const colourOf = (run: Run) => RUN_COLOURS[runs.indexOf(run) % RUN_COLOURS.length];
  const picked = chosenRuns(runs, chosen);
  const pickedIds = new Set(picked.map((r) => r.id));
  const pickedDiff = settingsDiff(picked).differing;
  const charted: ChartedRun[] = picked.map((run) => {
    const caption = runCaption(run, pickedDiff);
    return { run, colour: colourOf(run), name: caption ? `${run.label} · ${caption}` : run.label };
  });
  const isLoss = metric === 'loss' || metric === 'validationLoss';
  const logAxis = isLoss && (log ?? runLossDecades(picked, metric === 'validationLoss' ? 'validationLoss' : 'loss') > LOG_SCALE_DECADES);
  const toggle = (id: string, on: boolean) => {
    const next = new Set(pickedIds);
    if (on) next.add(id);
    else next.delete(id);
    set({ chosen: next });
  };
  const columns = differing.slice(0, SETTING_COLUMNS);
  const rest = differing.slice(SETTING_COLUMNS);
  const allChosen = runs.length > 0 && runs.every((r) => pickedIds.has(r.id));
  const pinnable = canPin(runs);

  return (
    <div className="runs-panel">
      <div className="runs-head">
        {tabs}
        <label className="runs-control">
          <span>Compare</span>
          <select value={metric} aria-label="Series to compare" onChange={(e) => set({ metric: e.target.value as RunMetric })}>
            {(Object.keys(METRIC_NAMES) as RunMetric[]).map((m) => (
              <option key={m} value={m}>
                {METRIC_NAMES[m]}
              </option>
            ))}
          </select>
        </label>
        <label
          className="runs-control"
          title={`A logarithmic loss axis: on by itself when the losses span more than ${LOG_SCALE_DECADES} decades`}
        >
          <input
            type="checkbox"
            checked={logAxis}
            disabled={!isLoss}
            onChange={(e) => set({ log: e.target.checked })}
            data-testid="runs-log"
          />
          log axis{log === null && logAxis ? ' (auto)' : ''}
        </label>
      </div>
      {runs.length === 0 ? (
        <p className="runs-empty" data-testid="runs-empty">
          No runs yet. Each time you train (Train, until it stops or you pause), the run is kept here with its settings, up to {RUNS_KEPT};
          reset the weights between runs to compare, say, η = 0.1 with η = 1 and η = 10.
        </p>
      ) : (
        <div className="runs-body">
          <div className="runs-table-box">
            <table className="runs-table" aria-label="Training runs" data-testid="runs-table">
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Show all runs in the chart"
                      checked={allChosen}
                      onChange={(e) => set({ chosen: e.target.checked ? new Set(runs.map((r) => r.id)) : new Set() })}
                    />
                  </th>
                  <th scope="col">run</th>
                  <th scope="col">started</th>
                  {columns.map((s) => (
                    <th scope="col" key={s.key} className="run-setting" data-setting={s.key}>
                      {s.symbol}
                    </th>
                  ))}
                  {rest.length > 0 && <th scope="col">also differs</th>}
                  <th scope="col" className="num">
                    epochs
                  </th>
                  <th scope="col" className="num">
                    loss
                  </th>
                  <th scope="col" className="num">
                    accuracy
                  </th>
                  <th scope="col">stopped</th>
                  <th scope="col">
                    <span className="visually-hidden">pin and delete</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs
                  .slice()
                  .reverse()
                  .map((run) => {
                    const isLive = run.id === live;
                    return (
                      <tr key={run.id} data-testid="run-row" data-run={run.id} className={pickedIds.has(run.id) ? 'chosen' : undefined}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Show ${run.label} in the chart`}
                            checked={pickedIds.has(run.id)}
                            onChange={(e) => toggle(run.id, e.target.checked)}
                          />
                        </td>
                        <td className="run-label">
                          <span className="run-swatch" style={{ background: colourOf(run) }} aria-hidden="true" />
                          <RunName run={run} />
                        </td>
                        <td className="run-date">{when(run.startedAt)}</td>
                        {columns.map((s) => (
                          <td key={s.key} className="run-setting" data-setting={s.key}>
                            {runSettingText(run, s)}
                          </td>
                        ))}
                        {rest.length > 0 && <td className="run-rest">{rest.map((s) => settingText(s, run.hyperparameters)).join(', ')}</td>}
                        <td className="num">{run.final.epochs}</td>
                        <td className="num">{formatValue(run.final.loss, 4)}</td>
                        <td className="num">{percent(run.final.accuracy)}</td>
                        <td className="run-stop" title={run.stop?.message}>
                          {stopText(run, isLive)}
                        </td>
                        <td className="run-actions">
                          <button
                            type="button"
                            className={run.pinned ? 'run-pin pinned' : 'run-pin'}
                            aria-pressed={!!run.pinned}
                            aria-label={`${run.pinned ? 'Unpin' : 'Pin'} ${run.label}`}
                            title={
                              run.pinned
                                ? 'Pinned: never dropped to make room for a new run'
                                : `Pin: keep it when the ${RUNS_KEPT} runs are full`
                            }
                            disabled={!run.pinned && !pinnable}
                            onClick={() => edit(pinRun(run.id, !run.pinned, pinnable))}
                          >
                            {run.pinned ? '★' : '☆'}
                          </button>
                          <button
                            type="button"
                            className="run-delete"
                            aria-label={`Delete ${run.label}`}
                            title={isLive ? 'It is still training' : 'Delete the run (Undo brings it back)'}
                            disabled={isLive}
                            onClick={() => edit(deleteRun(run.id))}
                          >
                            ✕
                          </button>
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
            <p className="runs-same" title={same.map((s) => runs[0] && settingText(s, runs[0].hyperparameters)).join(', ')}>
              {runs.length > 1 ? 'The same in every run: ' : 'Settings: '}
              {same
                .slice(0, 8)
                .map((s) => settingText(s, runs[0].hyperparameters))
                .join(', ')}
              {same.length > 8 ? ', …' : ''}
              {` · at most ${RUNS_KEPT} runs are kept (the oldest unpinned goes first)`}
            </p>
          </div>
          <div className="runs-chart-box">
            {charted.length === 0 && <p className="runs-hint">Tick runs in the table to overlay them here.</p>}
            <RunsChart runs={charted} metric={metric} log={logAxis} />
          </div>
        </div>
      )}
    </div>
  );
}

/**
 * Recording training runs into the document as the training slice reports them: a run begins
 * when the user starts training (or resumes a session that stepping opened), takes each epoch the
 * worker reports and the settings in force, and ends at a stop or a pause. Training the same
 * weights on, without a reset between, continues the run it left; steps taken by hand are no run.
 * Runs are written through the whole undo history (document/run-history.ts), without an undo step.
 */
import { appendToRun, finishRun, nextRunLabel, noteSettings, startRun, type EpochRecord, type Run } from '../../../engine/src/index';
import { forgetRunThroughout, recordRunThroughout } from '../document/run-history';
import type { History } from '../document/history';

/** The run a window records, and the training session it records it from. */
export interface Recording {
  runId: string;
  session: string;
  /** False once the weights were reset: training again is then a new run. */
  continuable?: boolean;
}

/** An epoch record as events carry it: a loss that was not a finite number is null. */
type ReportedRecord = Omit<EpochRecord, 'loss'> & { loss: number | null };

/** How a paused run reads in the table until it goes on. */
const PAUSED = { reason: 'paused', message: 'Paused.' };

function newRunId(now: Date): string {
  return `run-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function runOf(history: History, recording: Recording | null): Run | null {
  if (!recording) return null;
  return history.present.runs?.find((r) => r.id === recording.runId) ?? null;
}

/**
 * Begins recording the session `session` on the present document: the run `previous` recorded
 * goes on when the document is where that run left it (its weights trained on, no reset since);
 * otherwise a new run starts, with the settings in force and from the document's epoch.
 */
export function beginRecording(
  history: History,
  previous: Recording | null,
  session: string,
  now: Date = new Date(),
): { history: History; recording: Recording } {
  const project = history.present;
  const last = previous?.continuable === false ? null : runOf(history, previous);
  if (last && project.training.epoch > 0 && last.startEpoch + last.final.epochs === project.training.epoch) {
    const run = noteSettings(finishRun(last, null), project.hyperparameters, last.final.epochs);
    return { history: recordRunThroughout(history, run), recording: { runId: last.id, session } };
  }
  const run = startRun({
    id: newRunId(now),
    label: nextRunLabel(project.runs),
    startedAt: now,
    hyperparameters: project.hyperparameters,
    graph: project.graph,
    startEpoch: project.training.epoch,
  });
  return { history: recordRunThroughout(history, run), recording: { runId: run.id, session } };
}

/**
 * A progress report of the recorded session: its new epochs, settings changed since (from the
 * run's last epoch on), and whether it is paused. Reports of other sessions change nothing.
 */
export function recordProgress(
  history: History,
  recording: Recording | null,
  progress: { session: string; state: 'running' | 'paused' | 'stopped'; newEpochs: readonly ReportedRecord[] },
): History {
  if (!recording || progress.session !== recording.session) return history;
  const run = runOf(history, recording);
  if (!run) return history;
  let next = noteSettings(run, history.present.hyperparameters, run.final.epochs);
  const records: EpochRecord[] = [];
  for (const record of progress.newEpochs) records.push({ ...record, loss: record.loss ?? Number.NaN });
  next = appendToRun(next, records);
  if (progress.state === 'paused') next = finishRun(next, PAUSED);
  else if (progress.state === 'running' && next.stop?.reason === PAUSED.reason) next = finishRun(next, null);
  return next === run ? history : recordRunThroughout(history, next);
}

/**
 * The recorded session ended (a stopping criterion, a stop, an error): the run says why; one that
 * trained no epoch is dropped. The first reason stands: a session that stopped by itself still
 * answers a later Stop (a reset, another document) with "stopped", which is not why it ended.
 */
export function recordStop(
  history: History,
  recording: Recording | null,
  stop: { session: string; reason: string; message: string },
): History {
  if (!recording || stop.session !== recording.session) return history;
  const run = runOf(history, recording);
  if (!run) return history;
  if (run.final.epochs === 0) return forgetRunThroughout(history, run.id);
  if (run.stop && run.stop.reason !== PAUSED.reason) return history;
  const next = finishRun(run, { reason: stop.reason, message: stop.message });
  return next === run ? history : recordRunThroughout(history, next);
}

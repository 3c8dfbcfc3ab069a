/**
 * Training runs in the document's history. A run is recorded as it trains, not edited: it is
 * written into every document of the undo history (past, present and future) so that undo and
 * redo, which move between documents, never lose a run nor bring back an older recording of it.
 * What the user does to runs (a label, a pin, deleting one) is an edit like any other, with its
 * own undo step (the commands below); a recording keeps the label and pin each document gives it.
 */
import { recordRun, type Project, type Run } from '../../../engine/src/index';
import type { Command } from './commands';
import type { History } from './history';

/** Applies `change` to the runs of every document of the history; `saved` stays what was written, so the document turns dirty. */
function throughout(history: History, change: (runs: Project['runs']) => Project['runs']): History {
  const seen = new Map<Project, Project>();
  const apply = (project: Project): Project => {
    let done = seen.get(project);
    if (!done) {
      const runs = change(project.runs);
      done = runs === project.runs ? project : { ...project, runs };
      seen.set(project, done);
    }
    return done;
  };
  const entry = ({ project, label }: { project: Project; label: string }) => ({ project: apply(project), label });
  return { ...history, past: history.past.map(entry), present: apply(history.present), future: history.future.map(entry) };
}

/** The history with `run`'s recording in every document (added where it is missing, at most the runs a project keeps). */
export function recordRunThroughout(history: History, run: Run): History {
  return throughout(history, (runs) => recordRun(runs, run));
}

/** The history without the run `id` anywhere: a run that trained no epoch is not worth keeping. */
export function forgetRunThroughout(history: History, id: string): History {
  return throughout(history, (runs) => (runs?.some((r) => r.id === id) ? runs.filter((r) => r.id !== id) : runs));
}

const done = (project: Project) => ({ ok: true as const, project });

function withRun(project: Project, id: string, change: (run: Run) => Run | null): Project | string {
  const runs = project.runs ?? [];
  const at = runs.findIndex((r) => r.id === id);
  if (at < 0) return 'That run is no longer in the project.';
  const next = change(runs[at]);
  if (next === runs[at]) return project;
  const list = runs.slice();
  if (next) list[at] = next;
  else list.splice(at, 1);
  return { ...project, runs: list };
}

const outcome = (result: Project | string) => (typeof result === 'string' ? { ok: false as const, reason: result } : done(result));

/** Gives a run another label (an empty label is refused: the legend names runs by it). */
export function renameRun(id: string, label: string): Command {
  return {
    label: 'Rename run',
    apply: (project) => {
      const text = label.trim();
      if (!text) return { ok: false, reason: 'A run needs a name: type one, or press Escape to keep the old one.' };
      if (text.length > 200) return { ok: false, reason: 'A run’s name can be at most 200 characters.' };
      return outcome(withRun(project, id, (run) => (run.label === text ? run : { ...run, label: text })));
    },
  };
}

/** Pins a run (it is never dropped to make room for a new one) or unpins it. */
export function pinRun(id: string, pinned: boolean, canPin: boolean): Command {
  return {
    label: pinned ? 'Pin run' : 'Unpin run',
    apply: (project) => {
      if (pinned && !canPin) return { ok: false, reason: 'All but one of the runs a project keeps are pinned: unpin one first.' };
      return outcome(
        withRun(project, id, (run) => {
          if (!!run.pinned === pinned) return run;
          const { pinned: _old, ...rest } = run;
          return pinned ? { ...rest, pinned: true } : rest;
        }),
      );
    },
  };
}

/** Deletes a run (undo brings it back). */
export function deleteRun(id: string): Command {
  return { label: 'Delete run', apply: (project) => outcome(withRun(project, id, () => null)) };
}

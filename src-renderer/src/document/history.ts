/**
 * Undo and redo over whole documents: every command produces a new document (sharing what it
 * did not change), so the history is a list of documents and undo is moving along it. The
 * dirty flag is "the present is not the document last saved".
 */
import type { Project } from '../../../engine/src/index';
import type { Command } from './commands';

export interface History {
  past: { project: Project; label: string }[];
  present: Project;
  future: { project: Project; label: string }[];
  /** The document as last saved (or opened); null when never saved. */
  saved: Project | null;
}

/** How many steps back undo reaches. */
export const MAX_UNDO = 500;

/** A fresh history for a document just opened (saved) or created (not saved). */
export function startHistory(project: Project, saved: boolean): History {
  return { past: [], present: project, future: [], saved: saved ? project : null };
}

/** Applies a command; a refused one leaves the history as it was and says why. */
export function execute(history: History, command: Command): { history: History; refused: string | null } {
  const result = command.apply(history.present);
  if (!result.ok) return { history, refused: result.reason };
  if (result.project === history.present) return { history, refused: null };
  const past = [...history.past, { project: history.present, label: command.label }].slice(-MAX_UNDO);
  return { history: { ...history, past, present: result.project, future: [] }, refused: null };
}

/**
 * Replaces the present without an undo step: for changes that are not the user's edits
 * (weights arriving from training). They still make the document dirty.
 */
export function replacePresent(history: History, project: Project): History {
  return { ...history, present: project };
}

/**
 * Changes the document's view (viewport, open panels, the inspector's sample) without an undo
 * step and without making a clean document dirty: how the window looks is saved with the
 * project, but is not a change worth a "Save changes?" question.
 */
export function replaceView(history: History, view: Partial<Project['view']>): History {
  const present = { ...history.present, view: { ...history.present.view, ...view } };
  return { ...history, present, saved: history.saved === history.present ? present : history.saved };
}

export function undo(history: History): History {
  const last = history.past.at(-1);
  if (!last) return history;
  return {
    ...history,
    past: history.past.slice(0, -1),
    present: last.project,
    future: [{ project: history.present, label: last.label }, ...history.future],
  };
}

export function redo(history: History): History {
  const next = history.future[0];
  if (!next) return history;
  return {
    ...history,
    past: [...history.past, { project: history.present, label: next.label }],
    present: next.project,
    future: history.future.slice(1),
  };
}

/** What Undo and Redo would do, for the menu ("Undo Connect"). */
export function undoLabel(history: History): string | null {
  return history.past.at(-1)?.label ?? null;
}
export function redoLabel(history: History): string | null {
  return history.future[0]?.label ?? null;
}

export function isDirty(history: History): boolean {
  return history.present !== history.saved;
}

/** After a save: the present is what is on disk. */
export function markSaved(history: History): History {
  return { ...history, saved: history.present };
}

/**
 * Gives the document a new name (its file's) throughout its history, without an undo step: the
 * name follows the file, it is not an edit, so neither undo nor redo brings the old one back.
 * A document and its saved copy stay the same object, so whether it is dirty is unchanged.
 */
export function renameDocument(history: History, name: string): History {
  const renamed = new Map<Project, Project>();
  const rename = (project: Project): Project => {
    if (project.name === name) return project;
    let done = renamed.get(project);
    if (!done) renamed.set(project, (done = { ...project, name }));
    return done;
  };
  const entry = ({ project, label }: { project: Project; label: string }) => ({ project: rename(project), label });
  return {
    past: history.past.map(entry),
    present: rename(history.present),
    future: history.future.map(entry),
    saved: history.saved && rename(history.saved),
  };
}

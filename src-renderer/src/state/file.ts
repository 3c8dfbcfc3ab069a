/**
 * The file and backup slice: where the document lives and whether it differs from the file, the
 * recent projects, opening (a path, a dropped file's text, revert), saving (with a run's own
 * state), the unsaved-changes and restore questions, the in-app picker that chooses a path, and
 * the backup of unsaved work that a crash or a kill leaves behind to be offered at the next launch.
 */
import type { StoreApi } from 'zustand';
import { writeParameters, type Project } from '../../../engine/src/index';
import { markSaved, renameDocument, replacePresent, startHistory } from '../document/history';
import { api } from './api';
import { documentState, failure, modelOf, rememberModel, type SetStudio, type SliceOf } from './shared';
import type { StudioState } from './store';
import { idleTraining } from './training';

export interface FileSlice {
  /** Whether the document differs from the file (derived from the history, with it). */
  dirty: boolean;
  path: string | null;
  /** Recently opened or saved projects, newest first. */
  recent: string[];
  /** A question waiting for the user: unsaved changes before an action, or unsaved work to restore. */
  prompt: { kind: 'unsaved'; action: string } | { kind: 'restore'; name: string; path: string | null; savedAt: string } | null;
  pickerOpen: 'open' | 'save' | null;

  openPath(path?: string): Promise<void>;
  /** Opens a project from its text (a file dropped on the window); it has no path until saved. */
  openContent(name: string, text: string): Promise<void>;
  /** Reloads the project from its file, dropping unsaved changes (after asking). */
  revert(): Promise<void>;
  loadRecent(): Promise<void>;
  /**
   * Before an action that replaces or closes the document: true to go on. With unsaved changes it
   * asks Save / Don't Save / Cancel (`answerPrompt`); Save goes on only if the save succeeded.
   */
  confirmUnsaved(action: string): Promise<boolean>;
  answerPrompt(answer: 'save' | 'discard' | 'cancel' | 'restore'): void;
  /** The window is closing (desktop): ask about unsaved changes, then let it close. */
  requestClose(): Promise<void>;
  /**
   * Saves the document (asking where when it has no file, or for Save As). Resolves true once it
   * is written, false if the save failed (the error shows) or the user cancelled the choice.
   */
  save(saveAs?: boolean): Promise<boolean>;
  /** Saves to a path the in-app picker chose; true once written. */
  savePath(path: string): Promise<boolean>;
  setPicker(mode: 'open' | 'save' | null): void;
}

/** Resolves the open unsaved-changes question (true: go on). */
let pendingAnswer: ((proceed: boolean) => void) | null = null;
/** Resolves a save that waits for the in-app picker to choose where (true: written; false: cancelled). */
let pendingPickerSave: ((saved: boolean) => void) | null = null;
/** The backup offered at launch, until the user restores or discards it. */
let offeredBackup: { project: Project; path: string | null; savedAt: string } | null = null;
/** Backups start once the launch's offer has been answered: before that, an empty app must not overwrite the backup it offers. */
let backupsEnabled = false;
/** Whether a backup of this document may be on disk (so a clean document should remove it). */
let backupWritten = false;

/** At launch: unsaved work a crash or a kill left behind is offered back before anything is backed up again. */
export async function offerBackup(set: SetStudio): Promise<void> {
  try {
    const { backup, problem } = await api.invoke('backup:check', {});
    if (problem) set({ notice: problem });
    if (backup) {
      offeredBackup = backup;
      set({ prompt: { kind: 'restore', name: backup.project.name, path: backup.path, savedAt: backup.savedAt } });
      return;
    }
  } catch {
    // Without a backup service the app still works; it just cannot offer anything back.
  }
  backupsEnabled = true;
}

export const createFileSlice: SliceOf<FileSlice> = (set, get) => {
  const fail = (error: unknown) => set(failure(error));

  /**
   * The document as a save writes it. With a run under way or paused, the run's own weights,
   * epoch, history and training state, asked of the worker, so that the file goes on exactly where
   * the run is; a paused run's document becomes that (it is what is on screen), a running one's
   * moves on. Without an answer, the document as it is.
   */
  const withRun = async (project: Project): Promise<Project> => {
    const { session, training } = get();
    if (!session || (training.state !== 'running' && training.state !== 'paused')) return project;
    const model = modelOf(project);
    if (!model) return project;
    let snapshot;
    try {
      snapshot = await api.invoke('training:snapshot', { since: project.training.history.at(-1)?.epoch ?? 0 });
    } catch {
      return project;
    }
    if (!snapshot || snapshot.session !== session || snapshot.weights.length !== model.paramCount) return project;
    const history = [...project.training.history];
    for (const record of snapshot.newEpochs) if (record.epoch > (history.at(-1)?.epoch ?? 0)) history.push(record);
    const saved: Project = {
      ...project,
      graph: writeParameters(model, project.graph, snapshot.weights),
      training: { epoch: snapshot.epoch, history, ...snapshot.resume },
    };
    const now = get().history;
    if (get().training.state === 'paused' && get().session === session && now?.present === project) {
      rememberModel(saved.graph, model);
      set(documentState(replacePresent(now, saved)));
    }
    return saved;
  };

  /**
   * After a save: the document takes the name the file was written with (its file's name), and
   * the file is the document only if nothing changed meanwhile.
   */
  const settleSave = (saved: Project, documentId: number, written: { path: string; name: string }) => {
    const { history } = get();
    if (get().documentId !== documentId || !history) return; // another document is open now
    // Only what was written counts as saved: changes made meanwhile stay unsaved. Renaming the
    // whole history keeps `saved` the same object as the entry it was, wherever it now is.
    const renamed = renameDocument(history.present === saved ? markSaved(history) : { ...history, saved }, written.name);
    set({ path: written.path, ...documentState(renamed) });
  };

  /**
   * Replaces the document with one read by `read` (a file, or a dropped file's text). A file that
   * cannot be opened is reported in a dialog and the current document stays as it was.
   */
  const openFrom = async (
    read: () => Promise<{ path: string | null; project: Project; migratedFrom: number | null } | null>,
    what: string,
  ) => {
    let opened;
    try {
      opened = await read();
    } catch (error) {
      set({
        dialog: { title: `Could not open ${what.split(/[\\/]/).pop()}`, message: error instanceof Error ? error.message : String(error) },
      });
      // A recent project that is no longer there has left the list.
      void get().loadRecent();
      return;
    }
    if (!opened) return;
    try {
      if (get().training.state === 'running') await api.invoke('training:stop', {});
    } catch {
      // The old run ends with its document either way.
    }
    const { path, project, migratedFrom } = opened;
    set((s) => ({
      ...documentState(startHistory(project, true)),
      path,
      selection: new Set(),
      training: idleTraining(project),
      error: null,
      pickerOpen: null,
      session: null,
      documentId: s.documentId + 1,
      notice:
        migratedFrom !== null
          ? `${project.name} was saved by an older NN Studio (format version ${migratedFrom}); it has been updated, and saving writes the current version.`
          : s.notice,
    }));
    if (path) void get().loadRecent();
  };

  return {
    dirty: false,
    path: null,
    recent: [],
    prompt: null,
    pickerOpen: null,

    async openPath(path) {
      if (!(await get().confirmUnsaved('open another project'))) return;
      await openFrom(() => api.invoke('project:open', path ? { path } : {}), path ?? 'the project');
    },

    async openContent(name, text) {
      if (!(await get().confirmUnsaved('open another project'))) return;
      await openFrom(async () => ({ path: null, ...(await api.invoke('project:open-content', { name, text })) }), name);
    },

    async revert() {
      const { path, dirty } = get();
      if (!path || !dirty) return;
      // The same question as any other loss of changes: Don't Save is the revert itself.
      if (!(await get().confirmUnsaved('go back to the file as last saved'))) return;
      await openFrom(() => api.invoke('project:open', { path }), path);
    },

    async loadRecent() {
      try {
        const { paths, removed } = await api.invoke('recent:list', {});
        set({ recent: paths });
        if (removed.length > 0) set({ notice: `No longer there, so removed from the recent projects: ${removed.join(', ')}.` });
      } catch {
        // The recent list is a convenience: without it, File › Open still works.
      }
    },

    confirmUnsaved(action) {
      if (!get().dirty || !get().project) return Promise.resolve(true);
      pendingAnswer?.(false);
      set({ prompt: { kind: 'unsaved', action } });
      return new Promise<boolean>((resolve) => (pendingAnswer = resolve));
    },

    answerPrompt(answer) {
      const prompt = get().prompt;
      const resolve = pendingAnswer;
      pendingAnswer = null;
      set({ prompt: null });
      if (prompt?.kind === 'restore') {
        if (answer === 'restore' && offeredBackup) {
          const backup = offeredBackup;
          // Restored work is unsaved work: dirty until saved, and backed up again meanwhile; its
          // backup stays on disk until then.
          backupWritten = true;
          set((s) => ({
            ...documentState(startHistory(backup.project, false)),
            path: backup.path,
            selection: new Set(),
            training: idleTraining(backup.project),
            session: null,
            documentId: s.documentId + 1,
          }));
        } else void api.invoke('backup:clear', {}).catch(() => undefined);
        offeredBackup = null;
        backupsEnabled = true;
        return;
      }
      if (answer === 'save') {
        // The action asked for carries on once the save is done; a failed save has shown its
        // error, and a cancelled one says why nothing else happened.
        const action = prompt?.kind === 'unsaved' ? prompt.action : 'go on';
        void get()
          .save()
          .then((saved) => {
            const proceed = saved && !get().dirty;
            if (!saved && !get().error) set({ notice: `The project was not saved, so NN Studio did not ${action}.` });
            resolve?.(proceed);
          });
        return;
      }
      // Don't Save drops the backup only once the document is really replaced (a failed open
      // keeps it, and its backup): the backup subscription sees the clean document.
      resolve?.(answer === 'discard');
    },

    async requestClose() {
      if (!(await get().confirmUnsaved('close NN Studio'))) return;
      // Closing without saving is a discard: nothing to offer back at the next launch.
      if (get().dirty) await api.invoke('backup:clear', {}).catch(() => undefined);
      await api.invoke('app:close', {}).catch(fail);
    },

    async save(saveAs = false) {
      const { project, path, info } = get();
      if (!project) return false;
      if (!path || saveAs) {
        if (info?.host === 'browser') {
          // The picker chooses the path; the save ends when it writes (savePath) or closes.
          pendingPickerSave?.(false);
          set({ pickerOpen: 'save' });
          return new Promise<boolean>((resolve) => (pendingPickerSave = resolve));
        }
        try {
          const documentId = get().documentId;
          const toSave = await withRun(project);
          const saved = await api.invoke('project:save', { project: toSave });
          if (!saved) return false;
          settleSave(toSave, documentId, saved);
          return true;
        } catch (error) {
          fail(error);
          return false;
        }
      }
      return get().savePath(path);
    },

    async savePath(path) {
      const { project } = get();
      if (!project) return false;
      try {
        const documentId = get().documentId;
        const toSave = await withRun(project);
        const saved = await api.invoke('project:save', { path, project: toSave });
        if (!saved) return false;
        settleSave(toSave, documentId, saved);
        const waiting = pendingPickerSave;
        pendingPickerSave = null;
        set({ pickerOpen: null });
        waiting?.(true);
        return true;
      } catch (error) {
        // The picker stays open on a failed save, so the user can choose another place.
        fail(error);
        return false;
      }
    },

    setPicker(mode) {
      // Closing (or switching) the save picker without saving ends the save that waited for it.
      if (get().pickerOpen === 'save' && mode !== 'save') {
        const waiting = pendingPickerSave;
        pendingPickerSave = null;
        waiting?.(false);
      }
      set({ pickerOpen: mode });
    },
  };
};

/** How often unsaved work is written to the backup while the document stays dirty. */
export const BACKUP_INTERVAL_MS = 3000;

let backupTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * Keeps the backup of unsaved work: while the document is dirty, its latest state goes to the
 * backup at most every few seconds; a clean document (saved, discarded, or another one opened)
 * removes the backup.
 */
export function backUpWhileDirty(store: StoreApi<StudioState>): void {
  store.subscribe((state, previous) => {
    if (!backupsEnabled || (state.project === previous.project && state.dirty === previous.dirty)) return;
    if (state.dirty && state.project) {
      if (backupTimer) return;
      backupTimer = setTimeout(() => {
        backupTimer = null;
        const { project, path, dirty } = store.getState();
        if (!dirty || !project) return;
        backupWritten = true;
        void api.invoke('backup:write', { project, path }).catch(() => undefined);
      }, BACKUP_INTERVAL_MS);
    } else if (backupWritten) {
      if (backupTimer) clearTimeout(backupTimer);
      backupTimer = null;
      backupWritten = false;
      void api.invoke('backup:clear', {}).catch(() => undefined);
    }
  });
}

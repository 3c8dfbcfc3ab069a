/**
 * The app's state in one zustand store: the project document (with its undo history), where it
 * lives, whether it has unsaved changes, and what training is doing. Every edit of the document
 * goes through `edit(command)`; `project` and `dirty` are derived from the history. Actions talk
 * to the main process through the API.
 */
import { create } from 'zustand';
import {
  compileGraph,
  defaultSpec,
  hasTrainingState,
  newProject,
  thinHistoryInPlace,
  withoutTrainingState,
  writeParameters,
  type CompiledModel,
  type EpochRecord,
  type Graph,
  type Project,
} from '../../../engine/src/index';
import type { EventOf, ResponseOf } from '../../../src-shared/contract';
import { api } from './api';
import type { Command } from '../document/commands';
import {
  execute,
  isDirty,
  markSaved,
  redo as redoHistory,
  renameDocument,
  replacePresent,
  replaceView,
  startHistory,
  undo as undoHistory,
  type History,
} from '../document/history';

export type TrainingState = 'idle' | 'running' | 'paused' | 'stopped';

export interface StudioState {
  info: ResponseOf<'app:info'> | null;
  examples: ResponseOf<'examples:list'>;
  /** The document and its undo history; null on the start screen. */
  history: History | null;
  /** history.present, for convenience. */
  project: Project | null;
  /** Whether the document differs from the file (derived from the history). */
  dirty: boolean;
  path: string | null;
  /** Ids of the selected nodes and edges. */
  selection: ReadonlySet<string>;
  /** The edge whose weight is being edited in place on the canvas (survives re-renders of the edge). */
  editingWeight: string | null;
  /** The reason the last edit was refused, and where to show it (page coordinates). */
  refusal: { message: string; x: number; y: number } | null;
  training: {
    state: TrainingState;
    epoch: number;
    samplesIntoEpoch: number;
    epochSize: number;
    runningLoss: number | null;
    history: EpochRecord[];
    message: string | null;
  };
  /**
   * The name of the training run this window started; events of any other run (one reset,
   * replaced, or another tab's) are ignored.
   */
  session: string | null;
  /** Which document this is (new, opened): a save that finishes after a switch must not rename the new one. */
  documentId: number;
  error: string | null;
  /** A neutral message (About, confirmations), dismissed like errors. */
  notice: string | null;
  pickerOpen: 'open' | 'save' | null;
  /** Training steps a second while running, or null for full speed (a view setting, not the document's). */
  speed: number | null;
  /** Recently opened or saved projects, newest first. */
  recent: string[];
  /** A question waiting for the user: unsaved changes before an action, or unsaved work to restore. */
  prompt: { kind: 'unsaved'; action: string } | { kind: 'restore'; name: string; path: string | null; savedAt: string } | null;
  /** A problem worth a dialog (a file that cannot be opened); the current project is untouched. */
  dialog: { title: string; message: string } | null;

  init(): Promise<void>;
  newFromExample(name: string): Promise<void>;
  /** An empty canvas, on the XOR truth table (features x1, x2; target y) until data is chosen. */
  newBlank(): Promise<void>;
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
  startOrPause(): Promise<void>;
  step(unit: 'sample' | 'batch' | 'epoch'): Promise<void>;
  reset(): Promise<void>;
  setSpeed(stepsPerSecond: number | null): Promise<void>;
  setPicker(mode: 'open' | 'save' | null): void;
  /** Back to the start screen (New): stops training and drops the project. */
  closeProject(): Promise<void>;
  showAbout(): void;
  dismissError(): void;
  /** Applies an edit; a refused one shows its reason at `at` (or near the top of the canvas). */
  edit(command: Command, at?: { x: number; y: number }): boolean;
  /**
   * Applies an edit from a field that shows its own refusals in place: the reason when it is
   * refused (and no toast), null when it was applied.
   */
  editOrReason(command: Command): string | null;
  undo(): void;
  redo(): void;
  select(ids: Iterable<string>): void;
  /** Records how the window looks (viewport, panels, inspected sample) in the document, without an undo step. */
  setView(view: Partial<Project['view']>): void;
}

/**
 * The training counters a document implies: its epochs, and where its stored training state is
 * inside the next epoch (steps applied by hand in the inspector move it too), so the toolbar shows
 * what training would go on from.
 */
function countersOf(
  project: Project | null,
): Pick<StudioState['training'], 'epoch' | 'samplesIntoEpoch' | 'epochSize' | 'runningLoss' | 'history'> {
  const training = project?.training;
  const position = training?.position ?? null;
  return {
    epoch: training?.epoch ?? 0,
    samplesIntoEpoch: position?.next ?? 0,
    epochSize: position?.samples ?? 0,
    runningLoss: position && position.next > 0 ? position.lossSum / position.next : null,
    history: training ? [...training.history] : [],
  };
}

const idleTraining = (project: Project | null): StudioState['training'] => ({ state: 'idle', ...countersOf(project), message: null });

/**
 * Whether two graphs have the same nodes, units and edges by id (weights, activations and
 * positions aside): a training state keyed by ids fits the one if it fitted the other.
 */
function sameStructure(a: Graph, b: Graph): boolean {
  if (a === b) return true;
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  const units = (node: Graph['nodes'][number]) => (node.kind === 'dense' ? node.units : 1);
  const nodes = new Map(a.nodes.map((n) => [n.id, n]));
  for (const node of b.nodes) {
    const other = nodes.get(node.id);
    if (
      !other ||
      units(other) !== units(node) ||
      (other.kind === 'input' || other.kind === 'bias') !== (node.kind === 'input' || node.kind === 'bias')
    )
      return false;
  }
  const edges = new Map(a.edges.map((e) => [e.id, e]));
  for (const edge of b.edges) {
    const other = edges.get(edge.id);
    if (!other || other.source !== edge.source || other.target !== edge.target) return false;
  }
  return true;
}

/** Whether an edit gave the network other data to learn from (rows, split, normalisation). */
function otherData(before: Project, after: Project): boolean {
  return before.dataset !== after.dataset || before.split !== after.split || before.normalisation.method !== after.normalisation.method;
}

/** The window's title: the project's name (its file's), marked while it has unsaved changes. */
export function windowTitle(project: Project | null, dirty: boolean): string {
  return project ? `${project.name}${dirty ? ' •' : ''} — NN Studio` : 'NN Studio';
}

/** The compiled model of the current graph, cached by graph identity. */
let compiledFor: { graph: Project['graph']; model: CompiledModel | null } | null = null;
export function modelOf(project: Project): CompiledModel | null {
  if (compiledFor?.graph !== project.graph) {
    const result = compileGraph(project.graph);
    compiledFor = { graph: project.graph, model: result.ok ? result.model : null };
  }
  return compiledFor.model;
}

let initialised = false;
/** Training steps in flight, in order. */
let stepQueue: Promise<void> = Promise.resolve();
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

/** The store fields that follow from a history. */
function documentState(history: History | null) {
  return { history, project: history?.present ?? null, dirty: history ? isDirty(history) : false };
}

/** The store fields of a new document that has no file and nothing to lose yet (New, an example). */
function freshDocument(state: Pick<StudioState, 'documentId'>, project: Project) {
  return {
    ...documentState(startHistory(project, true)),
    path: null,
    selection: new Set<string>(),
    training: idleTraining(project),
    error: null,
    session: null,
    documentId: state.documentId + 1,
  };
}

/** A name for a training run, unique enough to tell this window's runs apart. */
function newSessionName(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** An epoch record from an event: a loss that was not a finite number arrives as null. */
function asRecord(record: EventOf<'training:progress'>['newEpochs'][number]): EpochRecord {
  return { ...record, loss: record.loss ?? Number.NaN };
}

export const useStudio = create<StudioState>((set, get) => {
  const fail = (error: unknown) => set({ error: error instanceof Error ? error.message : String(error) });

  /** Edit, undo and redo: the new document, a selection that still exists, and no stale training. */
  const changeDocument = (next: History) => {
    const { training, history } = get();
    const before = history?.present;
    let after = next.present;
    // A training state belongs to the network and the data it was made on: another network (by
    // ids and units) or other data starts training afresh, as the run it came from would not go on.
    // A state the edit itself wrote (a step applied by hand) is the edit's own.
    if (
      before &&
      hasTrainingState(after.training) &&
      after.training === before.training &&
      (otherData(before, after) || !sameStructure(before.graph, after.graph))
    ) {
      after = { ...after, training: withoutTrainingState(after.training) };
      next = replacePresent(next, after);
    }
    const session = training.state === 'running' || training.state === 'paused';
    // Hyperparameters alone (same network, same algorithm and loss) go to the session and apply
    // from its next step; any other change means the session trained another network: it ends.
    const onlySettings =
      !!before &&
      before.graph === after.graph &&
      before.dataset === after.dataset &&
      before.split === after.split &&
      before.hyperparameters.algorithm === after.hyperparameters.algorithm &&
      before.hyperparameters.loss === after.hyperparameters.loss;
    const stopTraining = session && !onlySettings;
    if (stopTraining) void api.invoke('training:stop', {}).catch(fail);
    else if (session && before?.hyperparameters !== after.hyperparameters)
      void api.invoke('training:configure', { hyperparameters: after.hyperparameters }).catch(fail);
    const present = new Set([...next.present.graph.nodes.map((n) => n.id), ...next.present.graph.edges.map((e) => e.id)]);
    // Without a run, the counters are the document's (undo, redo and steps applied by hand move them).
    const counters = !session || stopTraining ? countersOf(after) : {};
    set((s) => ({
      ...documentState(next),
      refusal: null,
      selection: new Set([...s.selection].filter((id) => present.has(id))),
      training: {
        ...s.training,
        ...counters,
        ...(stopTraining ? { state: 'idle' as const, message: 'The network changed: training starts again from these weights.' } : {}),
      },
      ...(stopTraining ? { session: null } : {}),
    }));
  };

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
      compiledFor = { graph: saved.graph, model };
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

  /** At launch: unsaved work a crash or a kill left behind is offered back before anything is backed up again. */
  const offerBackup = async () => {
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
  };

  const onProgress = (progress: EventOf<'training:progress'>) => {
    const { project, training, session, history } = get();
    if (!project || !history || progress.session !== session) return;
    // Records in order of epoch only (a late or repeated one is dropped); a long run's are thinned as the trainer thins its own.
    const records = [...training.history];
    for (const record of progress.newEpochs) if (record.epoch > (records.at(-1)?.epoch ?? 0)) records.push(asRecord(record));
    thinHistoryInPlace(records);
    const model = modelOf(project);
    let next = project;
    if (model && progress.weights.length === model.paramCount && progress.weights.every((w) => w !== null)) {
      const graph = writeParameters(model, project.graph, progress.weights as number[]);
      // Held still, the run's training state goes with its weights; running, the weights move on without it.
      next = {
        ...project,
        graph,
        training: { ...(progress.resume ?? withoutTrainingState(project.training)), epoch: progress.epoch, history: records },
      };
      compiledFor = { graph, model }; // same structure, new weights
    }
    set({
      // Trained weights change the document but are not an edit to undo.
      ...documentState(next === project ? history : replacePresent(history, next)),
      training: {
        ...training,
        state: progress.state,
        epoch: progress.epoch,
        samplesIntoEpoch: progress.samplesIntoEpoch,
        epochSize: progress.epochSize,
        runningLoss: progress.runningLoss,
        history: records,
      },
    });
  };

  return {
    info: null,
    examples: [],
    history: null,
    project: null,
    path: null,
    dirty: false,
    selection: new Set(),
    editingWeight: null,
    refusal: null,
    training: idleTraining(null),
    session: null,
    documentId: 0,
    error: null,
    notice: null,
    pickerOpen: null,
    speed: null,
    recent: [],
    prompt: null,
    dialog: null,

    async init() {
      // Once per page, even where React runs effects twice (StrictMode in development).
      if (initialised) return;
      initialised = true;
      api.on('training:progress', onProgress);
      api.on('training:stopped', (event) => {
        if (event.session === get().session) set((s) => ({ training: { ...s.training, state: 'stopped', message: event.message } }));
      });
      api.on('training:error', (event) => set((s) => ({ error: event.message, training: { ...s.training, state: 'stopped' } })));
      api.on('project:open-request', (event) => void get().openPath(event.path));
      api.on('app:close-requested', () => void get().requestClose());
      // The host keeps its training speed between pages (a reload, another tab): this page shows
      // full speed, so that is what the host must do until the user chooses otherwise.
      void api.invoke('training:speed', { stepsPerSecond: get().speed }).catch(() => undefined);
      void get().loadRecent();
      void offerBackup();
      try {
        const [info, examples] = await Promise.all([api.invoke('app:info', {}), api.invoke('examples:list', {})]);
        set({ info, examples });
      } catch (error) {
        fail(error);
      }
    },

    async newFromExample(name) {
      try {
        if (!(await get().confirmUnsaved('start a new project'))) return;
        if (get().training.state === 'running') await api.invoke('training:stop', {});
        const project = await api.invoke('examples:create', { name });
        // Nothing to lose yet: a fresh example counts as unchanged until edited or trained.
        set((s) => freshDocument(s, project));
      } catch (error) {
        fail(error);
      }
    },

    async newBlank() {
      if (!(await get().confirmUnsaved('start a new project'))) return;
      if (get().training.state === 'running') void api.invoke('training:stop', {}).catch(fail);
      const project = newProject({
        name: 'Untitled',
        graph: { nodes: [], edges: [] },
        dataset: { kind: 'builtin', ...defaultSpec('xor') },
      });
      set((s) => freshDocument(s, project));
    },

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

    async startOrPause() {
      const { project, training } = get();
      if (!project) return;
      try {
        if (training.state === 'running') {
          // The state turns to 'paused' when the worker says so (its last progress event), so the
          // numbers shown then are final: steps already under way still report before it.
          await api.invoke('training:pause', {});
        } else if (training.state === 'paused') {
          await api.invoke('training:resume', {});
          set((s) => ({ training: { ...s.training, state: 'running', message: null } }));
        } else {
          const session = newSessionName();
          set((s) => ({ session, training: { ...s.training, state: 'running', message: null }, error: null }));
          const { notices } = await api.invoke('training:start', { project, session });
          if (notices.length > 0) set({ notice: notices.join(' ') });
        }
      } catch (error) {
        set((s) => ({ training: { ...s.training, state: 'idle' } }));
        fail(error);
      }
    },

    step(unit) {
      // Steps run one after another: a quick second click must not race the first (it would
      // start a second session while the worker is still busy with the first step).
      const run = async () => {
        const { project, training } = get();
        if (!project) return;
        try {
          // A session exists once training has started; otherwise the step starts one, paused.
          if (training.state === 'idle' || training.state === 'stopped') {
            const session = newSessionName();
            set({ session });
            const { notices } = await api.invoke('training:step', { unit, project, session });
            if (notices.length > 0) set({ notice: notices.join(' ') });
            // The session is open now, even if its progress event has not arrived yet.
            if (get().session === session && get().training.state !== 'paused')
              set((s) => ({ training: { ...s.training, state: 'paused' } }));
          } else {
            await api.invoke('training:step', { unit });
          }
        } catch (error) {
          fail(error);
        }
      };
      stepQueue = stepQueue.then(run);
      return stepQueue;
    },

    async reset() {
      const { project } = get();
      if (!project) return;
      try {
        set({ session: null }); // late events of the old run must not undo the reset
        const { project: fresh } = await api.invoke('training:reset', { project });
        // Resetting the weights is an edit like any other: it can be undone.
        get().edit({ label: 'Reset weights', apply: () => ({ ok: true, project: fresh }) });
        set({ training: idleTraining(fresh) });
      } catch (error) {
        fail(error);
      }
    },

    async setSpeed(stepsPerSecond) {
      set({ speed: stepsPerSecond });
      try {
        await api.invoke('training:speed', { stepsPerSecond });
      } catch (error) {
        fail(error);
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

    async closeProject() {
      if (!(await get().confirmUnsaved('close the project'))) return;
      if (get().training.state === 'running') void api.invoke('training:stop', {}).catch(fail);
      set((s) => ({
        ...documentState(null),
        path: null,
        selection: new Set(),
        training: idleTraining(null),
        error: null,
        session: null,
        documentId: s.documentId + 1,
      }));
    },

    showAbout() {
      const info = get().info;
      set({
        notice: `NN Studio ${info?.version ?? ''} — build neural networks by drawing them (${info?.host === 'electron' ? 'desktop app' : 'in the browser'}).`,
      });
    },

    dismissError() {
      set({ error: null, notice: null, dialog: null });
    },

    edit(command, at) {
      const { history } = get();
      if (!history) return false;
      const { history: next, refused } = execute(history, command);
      if (refused) {
        set({ refusal: { message: refused, x: at?.x ?? 24, y: at?.y ?? 96 } });
        return false;
      }
      if (next !== history) changeDocument(next);
      return true;
    },

    editOrReason(command) {
      const { history } = get();
      if (!history) return 'There is no project to change.';
      const { history: next, refused } = execute(history, command);
      if (refused) return refused;
      if (next !== history) changeDocument(next);
      return null;
    },

    undo() {
      const { history } = get();
      if (history && history.past.length > 0) changeDocument(undoHistory(history));
    },

    redo() {
      const { history } = get();
      if (history && history.future.length > 0) changeDocument(redoHistory(history));
    },

    select(ids) {
      set({ selection: new Set(ids) });
    },

    setView(view) {
      const { history } = get();
      if (history) set(documentState(replaceView(history, view)));
    },
  };
});

/** How often unsaved work is written to the backup while the document stays dirty. */
export const BACKUP_INTERVAL_MS = 3000;

// While the document is dirty, its latest state goes to the backup at most every few seconds; a
// clean document (saved, discarded, or another one opened) removes the backup.
let backupTimer: ReturnType<typeof setTimeout> | null = null;
useStudio.subscribe((state, previous) => {
  if (!backupsEnabled || (state.project === previous.project && state.dirty === previous.dirty)) return;
  if (state.dirty && state.project) {
    if (backupTimer) return;
    backupTimer = setTimeout(() => {
      backupTimer = null;
      const { project, path, dirty } = useStudio.getState();
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

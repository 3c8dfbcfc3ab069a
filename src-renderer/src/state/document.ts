/**
 * The document slice: the project with its undo history, which document this is, and the
 * commands that change it (edit, undo, redo, the view) or replace it with a new one (New, an
 * example, Close). Every edit goes through `edit(command)`; `project` and `dirty` are derived
 * from the history, and a change of document ends a training run that no longer fits it.
 */
import {
  blankProject,
  hasTrainingState,
  isComputing,
  unitCount,
  withoutTrainingState,
  type Graph,
  type Project,
} from '../../../engine/src/index';
import type { Command } from '../document/commands';
import {
  execute,
  redo as redoHistory,
  replacePresent,
  replaceView,
  startHistory,
  undo as undoHistory,
  type History,
} from '../document/history';
import { api } from './api';
import { documentState, failure, type SliceOf } from './shared';
import type { StudioState } from './store';
import { countersOf, idleTraining } from './training';

export interface DocumentSlice {
  /** The document and its undo history; null on the start screen. */
  history: History | null;
  /** history.present, for convenience. */
  project: Project | null;
  /** Which document this is (new, opened): a save that finishes after a switch must not rename the new one. */
  documentId: number;

  newFromExample(name: string): Promise<void>;
  /** An empty canvas, on the XOR truth table (features x1, x2; target y) until data is chosen. */
  newBlank(): Promise<void>;
  /**
   * A new unsaved document from a project made here (a lesson's start), after the unsaved changes
   * of the current one are dealt with; false when the user cancelled.
   */
  newFromProject(project: Project, action: string): Promise<boolean>;
  /** Back to the start screen (New): stops training and drops the project. */
  closeProject(): Promise<void>;
  /** Applies an edit; a refused one shows its reason at `at` (or near the top of the canvas). */
  edit(command: Command, at?: { x: number; y: number }): boolean;
  /**
   * Applies an edit from a field that shows its own refusals in place: the reason when it is
   * refused (and no toast), null when it was applied.
   */
  editOrReason(command: Command): string | null;
  undo(): void;
  redo(): void;
  /** Records how the window looks (viewport, panels, inspected sample) in the document, without an undo step. */
  setView(view: Partial<Project['view']>): void;
}

/**
 * Whether two graphs have the same nodes, units and edges by id (weights, activations and
 * positions aside): a training state keyed by ids fits the one if it fitted the other.
 */
function sameStructure(a: Graph, b: Graph): boolean {
  if (a === b) return true;
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  const nodes = new Map(a.nodes.map((n) => [n.id, n]));
  for (const node of b.nodes) {
    const other = nodes.get(node.id);
    // An input layer's units are its features: one more feature is one more weight column.
    if (!other || unitCount(other) !== unitCount(node) || isComputing(other) !== isComputing(node)) return false;
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

export const createDocumentSlice: SliceOf<DocumentSlice> = (set, get) => {
  const fail = (error: unknown) => set(failure(error));

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

  return {
    history: null,
    project: null,
    documentId: 0,

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
      // The empty canvas's own hyperparameters, under which a hand-drawn 2-2-1 network learns XOR.
      const project = blankProject();
      set((s) => freshDocument(s, project));
    },

    async newFromProject(project, action) {
      if (!(await get().confirmUnsaved(action))) return false;
      if (get().training.state === 'running') await api.invoke('training:stop', {}).catch(fail);
      set((s) => freshDocument(s, project));
      return true;
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

    setView(view) {
      const { history } = get();
      if (history) set(documentState(replaceView(history, view)));
    },
  };
};

/**
 * The backprop inspector's state: whether it is open, which training row(s) it traces, where the
 * user is in the walk, and the inspection itself — recomputed from the document whenever the
 * document changes, so every what-if edit shows at once. Stepping past the update applies it to
 * the document (an undoable edit) and moves on to the next sample with the optimiser's memory kept.
 */
import { create } from 'zustand';
import { nextStepOf, projectAfterStepByHand, writeParameters, type OptimiserState, type Project } from '../../../engine/src/index';
import { api } from '../state/api';
import { useStudio } from '../state/store';
import {
  batchFrom,
  canvasView,
  firstOfPhase,
  inspect,
  nextInDatasetOrder,
  positionNearRow,
  type CanvasView,
  type Inspection,
  type InspectionRequest,
  type Phase,
} from './inspection';

export interface BackpropState {
  open: boolean;
  request: InspectionRequest;
  cursor: number;
  inspection: Inspection | null;
  /** The canvas's badges and highlights at the cursor. */
  view: CanvasView | null;
  /** Why there is no inspection (the network cannot train, no data…). */
  error: string | null;
  /** Training steps the inspector has applied since it opened. */
  stepsTaken: number;
  /** Whether the traced step is the paused training run's next one (its rows and optimiser memory). */
  fromRun: boolean;

  /**
   * Opens on dataset row `row` (default: the project's last inspected row, or 0; a row that does
   * not train gives the next training row of the file), pausing training.
   */
  openAt(row?: number): Promise<void>;
  close(): void;
  go(cursor: number): void;
  next(): void;
  previous(): void;
  toPhase(phase: Phase): void;
  toEnd(): void;
  /**
   * Traces a new step on training position `row` (a batch from it, in dataset order, in
   * mini-batch mode); the panel turns the dataset row the user names into it.
   */
  chooseSample(row: number): void;
  /** What if this training row's targets were these? null restores the data's. */
  setTarget(row: number, values: number[] | null): void;
  /** Applies the traced update to the document and traces the next step, on the next training row(s) in dataset order. */
  applyAndContinue(): void;
  /** Recomputes from the current document (called on every document change while open). */
  refresh(): void;
}

/** Whether the inspector is open is saved with the project, so it reopens as it was left. */
function rememberOpen(open: boolean): void {
  const view = useStudio.getState().project?.view;
  if (view && (view.panels?.inspector === true) !== open) useStudio.getState().setView({ panels: { ...view.panels, inspector: open } });
}

/** Resolves once the worker's last progress has said it paused (or after a second, whatever happened). */
function pauseSettled(): Promise<void> {
  return new Promise((resolve) => {
    if (useStudio.getState().training.state !== 'running') return resolve();
    const timer = setTimeout(done, 1000);
    const unsubscribe = useStudio.subscribe((state) => state.training.state !== 'running' && done());
    function done() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

/**
 * The step training takes next, as the optimiser's memory and the training rows: the paused run's, if
 * this window's run is paused on the document's weights; else the one the document's stored
 * training state says (a reopened project, steps applied by hand); null when neither says one
 * (no state, one that does not fit, a diverged run).
 */
async function pausedRun(): Promise<{ optimiser: OptimiserState; nextRows: number[] } | null> {
  const { session, training } = useStudio.getState();
  if (session && training.state === 'paused') {
    try {
      const snapshot = await api.invoke('training:snapshot', {});
      if (snapshot && snapshot.session === session) {
        const { kind, step, slots } = snapshot.optimiser;
        return { optimiser: { kind, step, slots: slots.map((slot) => Float64Array.from(slot)) }, nextRows: snapshot.nextRows };
      }
    } catch {
      // The document holds the paused run's state too (its last progress carried it).
    }
  }
  return storedRun(useStudio.getState().project);
}

/** The next step of the document's stored training state, or null without one that fits. */
function storedRun(project: Project | null): { optimiser: OptimiserState; nextRows: number[] } | null {
  const next = project ? nextStepOf(project) : null;
  return next && { optimiser: next.optimiser, nextRows: next.rows };
}

const emptyRequest = (): InspectionRequest => ({ samples: [0], optimiser: null, targets: new Map() });

export const useBackprop = create<BackpropState>((set, get) => {
  /** Traces `request` on the current document; the cursor stays where it was when it still exists. */
  const compute = (request: InspectionRequest, cursor: number) => {
    const project = useStudio.getState().project;
    if (!project) return set({ request, inspection: null, view: null, error: 'No project is open.' });
    try {
      const inspection = inspect(project, request);
      const at = Math.max(0, Math.min(cursor, inspection.steps.length - 1));
      set({ request, inspection, cursor: at, view: canvasView(inspection, at), error: null });
    } catch (error) {
      set({ request, inspection: null, view: null, error: error instanceof Error ? error.message : String(error) });
    }
  };

  return {
    open: false,
    request: emptyRequest(),
    cursor: 0,
    inspection: null,
    view: null,
    error: null,
    stepsTaken: 0,
    fromRun: false,

    async openAt(row) {
      const studio = useStudio.getState();
      if (!studio.project) return;
      // The inspector reads the document's weights: training must hold still.
      if (studio.training.state === 'running') {
        await api.invoke('training:pause', {}).catch(() => undefined);
        await pauseSettled();
      }
      // A fresh start: no what-if targets carried over, and the optimiser's memory from the paused run
      // when there is one (so Δw is the one training would apply), else zero.
      const run = await pausedRun();
      set({ open: true, stepsTaken: 0, fromRun: false, request: { ...emptyRequest(), optimiser: run?.optimiser ?? null } });
      rememberOpen(true);
      if (run && row === undefined) {
        // No row asked for: trace exactly the step the paused run would take next.
        compute({ ...get().request, samples: run.nextRows }, 0);
        set({ fromRun: get().inspection !== null });
        if (get().inspection) return useStudio.getState().setView({ inspectorSample: get().inspection!.trainRows[run.nextRows[0]] });
      }
      get().chooseSample(positionNearRow(studio.project, row ?? studio.project.view.inspectorSample ?? 0));
    },

    close() {
      if (get().open) rememberOpen(false);
      set({ open: false, inspection: null, view: null, error: null });
    },

    go(cursor) {
      const { inspection } = get();
      if (!inspection) return;
      const at = Math.max(0, Math.min(cursor, inspection.steps.length - 1));
      set({ cursor: at, view: canvasView(inspection, at) });
    },

    next() {
      get().go(get().cursor + 1);
    },

    previous() {
      get().go(get().cursor - 1);
    },

    toPhase(phase) {
      const { inspection } = get();
      if (!inspection) return;
      const at = firstOfPhase(inspection.steps, phase);
      if (at >= 0) get().go(at);
    },

    toEnd() {
      const { inspection } = get();
      if (inspection) get().go(inspection.steps.length - 1);
    },

    chooseSample(row) {
      const project = useStudio.getState().project;
      if (!project) return;
      set({ fromRun: false });
      const { request } = get();
      // The training split's size decides how a batch wraps; the inspection knows it once computed.
      const size = get().inspection?.data.size ?? Number.MAX_SAFE_INTEGER;
      const first = Math.max(0, Math.min(row, size - 1));
      const probe = { ...request, samples: [first] };
      compute(probe, 0);
      const inspection = get().inspection;
      if (!inspection) return;
      const samples = batchFrom(project, first, inspection.trainOrder);
      if (samples.length > 1) compute({ ...probe, samples }, 0);
      // Remember the dataset row in the document's view (not an edit: nothing to undo).
      useStudio.getState().setView({ inspectorSample: inspection.trainRows[first] });
    },

    setTarget(row, values) {
      const targets = new Map(get().request.targets);
      if (values) targets.set(row, values);
      else targets.delete(row);
      compute({ ...get().request, targets }, get().cursor);
    },

    applyAndContinue() {
      const { inspection, request } = get();
      if (!inspection) return;
      const rows = request.samples;
      // Named by dataset row, as the panel shows them.
      const shown = rows.map((position) => inspection.trainRows[position]);
      const fromRun = get().fromRun;
      const applied = useStudio.getState().edit({
        label: rows.length === 1 ? `Backprop step on row ${shown[0]}` : `Backprop step on ${rows.length} rows from row ${shown[0]}`,
        // The step counts as one of training's: the counters move on, and training goes on after it.
        apply: (project) => ({ ok: true, project: stepByHand(project, inspection, rows) }),
      });
      if (!applied) return;
      const run = fromRun ? storedRun(useStudio.getState().project) : null;
      if (run) {
        // Walking the run's own steps: the next one is training's next, as if it had taken this one.
        set({ stepsTaken: get().stepsTaken + 1 });
        compute({ ...get().request, samples: run.nextRows, optimiser: run.optimiser }, 0);
        set({ fromRun: get().inspection !== null });
        if (get().inspection) useStudio.getState().setView({ inspectorSample: get().inspection!.trainRows[run.nextRows[0]] });
        return;
      }
      const next = nextInDatasetOrder(inspection, rows);
      set({ stepsTaken: get().stepsTaken + 1, request: { ...request, optimiser: inspection.trace.newOptimiserState } });
      get().chooseSample(next);
    },

    refresh() {
      if (get().open) compute(get().request, get().cursor);
    },
  };
});

/**
 * The document after the inspected step, applied by hand: its weights, and training's position and
 * the optimiser's memory moved on as training would move them. A network that training cannot open
 * (which the inspector traced all the same) gets the weights alone.
 */
function stepByHand(project: Project, inspection: Inspection, rows: number[]): Project {
  try {
    return projectAfterStepByHand(project, { rows, params: inspection.trace.newParams, optimiser: inspection.trace.newOptimiserState });
  } catch {
    return { ...project, graph: writeParameters(inspection.model, project.graph, inspection.trace.newParams) };
  }
}

// Every document change while the inspector is open recomputes the whole trace: the what-if.
useStudio.subscribe((state, previous) => {
  if (state.project === previous.project) return;
  // A change of the view alone (the sample remembered, the viewport) changes no number.
  const { view: _view, ...now } = state.project ?? ({} as Record<string, unknown>);
  const { view: _before, ...then } = previous.project ?? ({} as Record<string, unknown>);
  if (
    state.project &&
    previous.project &&
    Object.keys(now).every((key) => (now as Record<string, unknown>)[key] === (then as Record<string, unknown>)[key])
  )
    return;
  const backprop = useBackprop.getState();
  if (!backprop.open) return;
  if (!state.project) return backprop.close();
  // Training progress rewrites the weights 30 times a second; the inspector follows once paused.
  if (state.training.state === 'running') return;
  // Other data: what-if targets named rows of the old data, and the optimiser's memory another run.
  if (previous.project && (state.project.dataset !== previous.project.dataset || state.project.split !== previous.project.split)) {
    useBackprop.setState({ request: { ...backprop.request, optimiser: null, targets: new Map() } });
  }
  // Momentum's memory is training's: it follows the document's training state (a step applied or
  // undone, a paused run's progress, a state dropped with other data).
  if (previous.project && state.project.training !== previous.project.training) {
    useBackprop.setState({ request: { ...useBackprop.getState().request, optimiser: storedRun(state.project)?.optimiser ?? null } });
  }
  backprop.refresh();
});

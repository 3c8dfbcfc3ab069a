/**
 * The training session slice: the run's status, its counters and history as the main process
 * reports them, the name of the run this window started, the speed, and the commands that start,
 * pause, step and reset it. Also the counters a document implies when no run is under way.
 */
import { thinHistoryInPlace, withoutTrainingState, writeParameters, type EpochRecord, type Project } from '../../../engine/src/index';
import type { EventOf } from '../../../src-shared/contract';
import { replacePresent } from '../document/history';
import { beginRecording, recordProgress, recordStop, type Recording } from './run-recording';
import { api } from './api';
import { documentState, failure, modelOf, rememberModel, type GetStudio, type SetStudio, type SliceOf } from './shared';

export type TrainingState = 'idle' | 'running' | 'paused' | 'stopped';

export interface TrainingSlice {
  training: {
    state: TrainingState;
    epoch: number;
    samplesIntoEpoch: number;
    epochSize: number;
    runningLoss: number | null;
    history: EpochRecord[];
    message: string | null;
    /** Why the run stopped (the trainer's StopReason), for the coach; meaningful while `state` is 'stopped'. */
    stopReason?: string | null;
    /** How the run computes, as its last progress said (precision, threads); absent before any. */
    computing?: EventOf<'training:progress'>['computing'];
  };
  /**
   * The name of the training run this window started; events of any other run (one reset,
   * replaced, or another tab's) are ignored.
   */
  session: string | null;
  /** Training steps a second while running, or null for full speed (a view setting, not the document's). */
  speed: number | null;
  /** The run this window records into the document's runs (run-recording.ts), or last recorded (not to be continued after a reset). */
  recording: Recording | null;

  startOrPause(): Promise<void>;
  step(unit: 'sample' | 'batch' | 'epoch'): Promise<void>;
  reset(): Promise<void>;
  setSpeed(stepsPerSecond: number | null): Promise<void>;
}

/**
 * The training counters a document implies: its epochs, and where its stored training state is
 * inside the next epoch (steps applied by hand in the inspector move it too), so the toolbar shows
 * what training would go on from.
 */
export function countersOf(
  project: Project | null,
): Pick<TrainingSlice['training'], 'epoch' | 'samplesIntoEpoch' | 'epochSize' | 'runningLoss' | 'history'> {
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

/** The training status of a document no run has touched: idle, at the document's counters. */
export const idleTraining = (project: Project | null): TrainingSlice['training'] => ({
  state: 'idle',
  ...countersOf(project),
  message: null,
});

/** Training steps in flight, in order. */
let stepQueue: Promise<void> = Promise.resolve();

/** A name for a training run, unique enough to tell this window's runs apart. */
function newSessionName(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** An epoch record from an event: a loss that was not a finite number arrives as null. */
function asRecord(record: EventOf<'training:progress'>['newEpochs'][number]): EpochRecord {
  return { ...record, loss: record.loss ?? Number.NaN };
}

/**
 * Listens to the training run's events (progress, stopped, error) for the rest of the page's life.
 * Progress of this window's run moves the counters and puts the run's weights in the document.
 */
export function listenToTraining(set: SetStudio, get: GetStudio): void {
  const onProgress = (progress: EventOf<'training:progress'>) => {
    const { project, training, session, history, recording } = get();
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
      rememberModel(graph, model); // same structure, new weights
    }
    set({
      // Trained weights change the document but are not an edit to undo.
      ...documentState(recordProgress(next === project ? history : replacePresent(history, next), recording, progress)),
      training: {
        ...training,
        state: progress.state,
        epoch: progress.epoch,
        samplesIntoEpoch: progress.samplesIntoEpoch,
        epochSize: progress.epochSize,
        runningLoss: progress.runningLoss,
        history: records,
        computing: progress.computing ?? training.computing,
      },
    });
  };

  api.on('training:progress', onProgress);
  api.on('training:stopped', (event) => {
    const { history, recording } = get();
    // The recorded run learns why it stopped even when a reset was quicker than the news.
    if (history && event.session === recording?.session) set(documentState(recordStop(history, recording, event)));
    if (event.session === get().session)
      set((s) => ({ training: { ...s.training, state: 'stopped', message: event.message, stopReason: event.reason } }));
  });
  api.on('training:error', (event) =>
    set((s) => ({
      ...(s.history && s.session
        ? documentState(recordStop(s.history, s.recording, { session: s.session, reason: 'error', message: event.message }))
        : {}),
      error: event.message,
      training: { ...s.training, state: 'stopped' },
    })),
  );
}

export const createTrainingSlice: SliceOf<TrainingSlice> = (set, get) => {
  const fail = (error: unknown) => set(failure(error));

  return {
    training: idleTraining(null),
    session: null,
    speed: null,
    recording: null,

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
          // A session that stepping opened becomes a run when it trains on its own.
          const { history, session, recording } = get();
          const begun = history && session && recording?.session !== session ? beginRecording(history, recording, session) : null;
          set((s) => ({
            ...(begun ? { ...documentState(begun.history), recording: begun.recording } : {}),
            training: { ...s.training, state: 'running', message: null },
          }));
        } else {
          const session = newSessionName();
          const history = get().history;
          const begun = history ? beginRecording(history, get().recording, session) : null;
          set((s) => ({
            session,
            ...(begun ? { ...documentState(begun.history), recording: begun.recording } : {}),
            training: { ...s.training, state: 'running', message: null },
            error: null,
          }));
          const { notices } = await api.invoke('training:start', { project, session });
          if (notices.length > 0) set({ notice: notices.join(' ') });
        }
      } catch (error) {
        // A run that could not start trained nothing: it is not kept.
        set((s) => ({
          ...(s.history && s.recording
            ? documentState(recordStop(s.history, s.recording, { session: s.recording.session, reason: 'error', message: String(error) }))
            : {}),
          training: { ...s.training, state: 'idle' },
        }));
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
        // Late events of the old run must not undo the reset; the next training is a new run.
        set((s) => ({ session: null, recording: s.recording && { ...s.recording, continuable: false } }));
        const { project: fresh } = await api.invoke('training:reset', { project });
        // Resetting the weights is an edit like any other: it can be undone. The runs are the
        // document's as they are now (a run may have learnt why it stopped meanwhile).
        get().edit({ label: 'Reset weights', apply: (current) => ({ ok: true, project: { ...fresh, runs: current.runs } }) });
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
  };
};

/**
 * The training loop of the worker thread, without the thread: takes control messages, trains in
 * short slices so that pause, step and stop are heard between steps, and posts progress at most
 * 30 times a second. worker.ts wires it to `worker_threads`; tests drive it directly.
 */
import {
  TrainingSetupError,
  configureSession,
  copyOptimiserState,
  openSession,
  resumeStateOf,
  type EpochRecord,
  type ProjectSession,
  type ResolvedPrecision,
} from '../../engine/src/index';
import { MAX_PROGRESS_PER_SECOND, type FromWorker, type ToWorker } from './training-protocol';

/** How long one slice of training runs before the thread looks at its messages again. */
const SLICE_MS = 25;

export interface WorkerEnvironment {
  post(message: FromWorker, transfer?: ArrayBuffer[]): void;
  /** Runs `task` after pending messages have been handled (setImmediate in a worker). */
  defer(task: () => void): void;
  /** Runs `task` after `ms` milliseconds (setTimeout), for training at a set speed. */
  later(task: () => void, ms: number): void;
  now(): number;
}

/** The worker's state machine. */
export class TrainingWorker {
  private session: ProjectSession | null = null;
  /** The renderer's name for the current run; every progress and stop message carries it. */
  private sessionName = '';
  private state: 'idle' | 'running' | 'paused' | 'stopped' = 'idle';
  private lastProgress = -Infinity;
  /** The last epoch whose record progress has carried (records are told apart by epoch: the trainer thins its history). */
  private sentEpoch = 0;
  private scheduled = false;
  /** Null: full speed. Otherwise one training step every 1000 / stepsPerSecond ms. */
  private stepsPerSecond: number | null = null;
  /** Bumped by every (re)schedule, so a timer set for an older pace or run does nothing. */
  private tick = 0;
  /** How the run computes, as the last report said (`training:progress`'s `computing`). */
  private computing: { precision: ResolvedPrecision; threads: number } = { precision: 'exact', threads: 1 };
  /** The epoch and sample the last report was at. */
  private reportedPosition = '';

  constructor(private readonly env: WorkerEnvironment) {}

  /** Handles one control message. Never throws: failures are posted as errors. */
  handle(message: ToWorker): void {
    try {
      switch (message.type) {
        case 'start':
          // The old run ends first, so a failure to open the new one does not leave it running.
          this.state = 'idle';
          this.sessionName = message.session;
          this.open(message.project);
          this.state = 'running';
          this.env.post({
            type: 'started',
            parameters: this.session!.model.paramCount,
            epoch: this.session!.trainer.epoch,
            notices: this.session!.notices,
          });
          this.schedule();
          return;
        case 'pause':
          if (this.state === 'running') {
            this.state = 'paused';
            this.sendProgress(true);
          }
          return;
        case 'resume':
          if (this.session && (this.state === 'paused' || this.state === 'stopped')) {
            this.session.trainer.resume();
            this.state = 'running';
            this.schedule();
          }
          return;
        case 'step': {
          if (message.project) {
            this.state = 'idle';
            this.sessionName = message.session ?? this.sessionName;
          }
          const opened = !this.session || !!message.project;
          if (opened) this.open(message.project ?? null);
          if (this.state === 'running') this.state = 'paused';
          this.session!.trainer.step(message.unit);
          if (this.state !== 'stopped') this.state = 'paused';
          this.sendProgress(true);
          this.env.post({ type: 'stepped', notices: opened ? this.session!.notices : [] });
          return;
        }
        case 'configure':
          // Applies from the next step; the trainer refuses what needs a recompile (algorithm, loss).
          if (this.session) configureSession(this.session, message.hyperparameters);
          return;
        case 'speed':
          this.stepsPerSecond = message.stepsPerSecond;
          if (this.state === 'running') {
            // A pending slow tick would otherwise hold a faster pace back for up to a second.
            this.tick++;
            this.scheduled = false;
            this.schedule();
          }
          return;
        case 'snapshot': {
          const session = this.session;
          if (!session) {
            this.env.post({ type: 'snapshot', state: null });
            return;
          }
          const { trainer } = session;
          const since = message.since ?? 0;
          this.env.post({
            type: 'snapshot',
            state: {
              session: this.sessionName,
              optimiser: copyOptimiserState(trainer.optimiserState),
              nextRows: trainer.nextBatch('batch'),
              epoch: trainer.epoch,
              samplesIntoEpoch: trainer.cursor,
              weights: Float64Array.from(trainer.params),
              resume: resumeStateOf(session.model, trainer),
              newEpochs: recordsAfter(trainer.history, since),
            },
          });
          return;
        }
        case 'stop':
          if (this.session && this.state !== 'idle') {
            this.state = 'stopped';
            this.sendProgress(true);
            this.env.post({
              type: 'stopped',
              session: this.sessionName,
              reason: 'stopped',
              message: 'Stopped.',
              epoch: this.session.trainer.epoch,
            });
          }
          return;
      }
    } catch (error) {
      this.env.post({ type: 'error', message: describe(error), during: message.type });
    }
  }

  private open(project: Parameters<typeof openSession>[0] | null): void {
    if (!project) throw new Error('There is no training session yet: start training, or step with a project.');
    this.session = openSession(project, 'train');
    this.sentEpoch = this.session.trainer.history.at(-1)?.epoch ?? 0;
    this.computing = { precision: this.session.trainer.precision, threads: 1 };
    this.reportedPosition = '';
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const tick = ++this.tick;
    const task = () => {
      if (tick !== this.tick) return;
      this.scheduled = false;
      if (this.stepsPerSecond === null) this.slice();
      else this.slowStep();
    };
    if (this.stepsPerSecond === null) this.env.defer(task);
    else this.env.later(task, 1000 / this.stepsPerSecond);
  }

  /**
   * At a set speed: one training step (a batch, in the session's mode), every step shown, with
   * the stopping criteria honoured as at full speed.
   */
  private slowStep(): void {
    if (this.state !== 'running' || !this.session) return;
    const trainer = this.session.trainer;
    try {
      const stop = trainer.checkEpochLimit() ?? trainer.step('batch').stop;
      if (!stop) {
        this.sendProgress(this.stepsPerSecond! <= MAX_PROGRESS_PER_SECOND);
        this.schedule();
        return;
      }
      this.finish(stop.reason, stop.message, trainer.epoch);
    } catch (error) {
      this.failed(error);
    }
  }

  /** Trains for one slice, then yields so that control messages are heard. */
  private slice(): void {
    if (this.state !== 'running' || !this.session) return;
    const until = this.env.now() + SLICE_MS;
    try {
      const result = this.session.trainer.run({
        clock: () => this.env.now(),
        progressIntervalMs: 1000 / MAX_PROGRESS_PER_SECOND,
        onProgress: () => this.sendProgress(false),
        shouldContinue: () => this.state === 'running' && this.env.now() < until,
      });
      if (result.reason === 'interrupted') {
        // A slice can end before run() reached a progress check (short epochs end slices first).
        this.sendProgress(false);
        this.schedule();
        return;
      }
      this.finish(result.reason, result.message, result.epochs);
    } catch (error) {
      this.failed(error);
    }
  }

  /** Training met a stopping criterion (or diverged): the last numbers, then why it stopped. */
  private finish(reason: string, message: string, epoch: number): void {
    this.state = 'stopped';
    this.sendProgress(true);
    this.env.post({ type: 'stopped', session: this.sessionName, reason, message, epoch });
  }

  private failed(error: unknown): void {
    this.state = 'stopped';
    this.env.post({ type: 'error', message: describe(error), during: 'run' });
  }

  private sendProgress(force: boolean): void {
    const session = this.session;
    if (!session) return;
    const now = this.env.now();
    if (!force && now - this.lastProgress < 1000 / MAX_PROGRESS_PER_SECOND) return;
    this.lastProgress = now;
    const { trainer } = session;
    const progress = trainer.progress();
    const newEpochs = recordsAfter(trainer.history, this.sentEpoch);
    if (newEpochs.length > 0) this.sentEpoch = newEpochs[newEpochs.length - 1].epoch;
    const weights = Float64Array.from(trainer.params);
    const state = this.state === 'running' ? 'running' : this.state === 'paused' ? 'paused' : 'stopped';
    // Threads as the steps since the last report used them; with no step between two reports
    // (held still, or a report soon after another) it stays what the last steps used.
    const widest = trainer.kernel.takeWidestSplit?.() ?? 1;
    const position = `${progress.epoch}:${progress.samplesIntoEpoch}`;
    if (position !== this.reportedPosition || trainer.precision !== this.computing.precision)
      this.computing = { precision: trainer.precision, threads: widest };
    this.reportedPosition = position;
    this.env.post(
      {
        type: 'progress',
        session: this.sessionName,
        state,
        // Held still, the session's training state goes with its weights, so that the document
        // holds what training would go on from (a new run from it, a save, the inspector).
        resume: state === 'running' ? null : resumeStateOf(session.model, trainer),
        epoch: progress.epoch,
        samplesIntoEpoch: progress.samplesIntoEpoch,
        epochSize: progress.epochSize,
        runningLoss: progress.runningLoss,
        newEpochs,
        weights,
        computing: { ...this.computing },
      },
      [weights.buffer as ArrayBuffer],
    );
  }
}

/** The records of epochs after `epoch`, from the end of an epoch-ordered history. */
function recordsAfter(history: readonly EpochRecord[], epoch: number): EpochRecord[] {
  let first = history.length;
  while (first > 0 && history[first - 1].epoch > epoch) first--;
  return history.slice(first);
}

function describe(error: unknown): string {
  if (error instanceof TrainingSetupError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

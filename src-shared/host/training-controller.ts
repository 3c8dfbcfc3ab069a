/**
 * The host side of training: owns the training worker (a Node worker thread on the desktop and
 * in the browser host, a Web Worker in the web edition), turns control requests into messages,
 * and forwards the worker's progress to the renderer as contract events. A crash of the worker
 * becomes a `training:error` event, and the next start spawns a new worker.
 */
import { ResumeStateSchema, type Hyperparameters, type Project, type ResumeState } from '../../engine/src/index';
import { toFiniteOrNull, type EventName, type EventOf } from '../contract';
import { UserError } from './user-error';
import type { FromWorker, SessionSnapshot, ToWorker } from './training-protocol';

/** What the controller needs of a worker (a real `Worker`, or a fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

/** Sends an event to the renderer. */
export type EventSink = <E extends EventName>(event: E, payload: EventOf<E>) => void;

/**
 * A training state fit for the contract: JSON has no NaN or Infinity, and a state that holds one
 * (a run that broke) is no state to go on from, so it is left out.
 */
function finiteResume(resume: Required<ResumeState> | null | undefined): Required<ResumeState> | null {
  if (!resume) return null;
  return ResumeStateSchema.safeParse(resume).success ? resume : null;
}

export class TrainingController {
  private worker: WorkerLike | null = null;
  /** The pace the user chose; a new worker (after a crash) is told it before anything else. */
  private stepsPerSecond: number | null = null;
  private waiting: {
    kind: 'started' | 'stepped' | 'snapshot';
    resolve: (value: FromWorker) => void;
    reject: (error: Error) => void;
  } | null = null;

  constructor(
    private readonly send: EventSink,
    private readonly spawn: () => WorkerLike,
  ) {}

  /**
   * Starts training the project from its stored weights and training state. Resolves once the
   * worker has compiled it, with what it could not take over from the project.
   */
  async start(project: Project, session: string): Promise<{ parameters: number; epoch: number; notices: string[] }> {
    const reply = await this.request({ type: 'start', project, session }, 'started');
    if (reply.type !== 'started') throw new UserError('The training worker did not start.');
    return { parameters: reply.parameters, epoch: reply.epoch, notices: reply.notices };
  }

  pause(): void {
    this.worker?.postMessage({ type: 'pause' });
  }

  resume(): void {
    this.worker?.postMessage({ type: 'resume' });
  }

  stop(): void {
    this.worker?.postMessage({ type: 'stop' });
  }

  /** New hyperparameters for the current session, from its next step; false when there is none. */
  configure(hyperparameters: Hyperparameters): boolean {
    if (!this.worker) return false;
    this.worker.postMessage({ type: 'configure', hyperparameters });
    return true;
  }

  /** One step; with a project, stepping starts a session on it (training paused). Resolves with what a new session could not take over. */
  async step(unit: 'sample' | 'batch' | 'epoch', project?: Project, session?: string): Promise<{ notices: string[] }> {
    const reply = await this.request({ type: 'step', unit, project, session }, 'stepped');
    return { notices: reply.type === 'stepped' ? reply.notices : [] };
  }

  /**
   * The current session as it is (for the backprop inspector, and for saving it): momentum's
   * memory, the rows its next step would use, its weights, training state, and the epoch records
   * after epoch `since`; null when there is no session. Never starts a worker just to ask.
   */
  async snapshot(since?: number): Promise<SessionSnapshot | null> {
    if (!this.worker) return null;
    const reply = await this.request({ type: 'snapshot', since }, 'snapshot');
    return reply.type === 'snapshot' ? reply.state : null;
  }

  /** Training steps a second while running (null: full speed), for watching learning happen slowly. */
  setSpeed(stepsPerSecond: number | null): void {
    this.stepsPerSecond = stepsPerSecond;
    this.worker?.postMessage({ type: 'speed', stepsPerSecond });
  }

  /** Ends the worker (on quit, or before a new project replaces the old). */
  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.waiting?.reject(new UserError('Training was shut down.'));
    this.waiting = null;
    await worker?.terminate();
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    worker.on('message', (message) => this.receive(message));
    worker.on('error', (error) => this.crashed(`The training worker failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker && code !== 0) this.crashed(`The training worker stopped unexpectedly (exit code ${code}).`);
    });
    this.worker = worker;
    if (this.stepsPerSecond !== null) worker.postMessage({ type: 'speed', stepsPerSecond: this.stepsPerSecond });
    return worker;
  }

  private request(message: ToWorker, kind: 'started' | 'stepped' | 'snapshot'): Promise<FromWorker> {
    if (this.waiting) return Promise.reject(new UserError('The training worker is still busy with the previous request.'));
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      try {
        worker.postMessage(message);
      } catch (error) {
        reject(
          new UserError(`Could not hand the project to the training worker: ${error instanceof Error ? error.message : String(error)}`),
        );
        return;
      }
      this.waiting = { kind, resolve, reject };
    });
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'started':
      case 'stepped':
      case 'snapshot':
        if (this.waiting?.kind === message.type) {
          this.waiting.resolve(message);
          this.waiting = null;
        }
        return;
      case 'error':
        if (this.waiting && (message.during === 'start' || message.during === 'step' || message.during === 'snapshot')) {
          this.waiting.reject(new UserError(message.message));
          this.waiting = null;
        } else {
          this.send('training:error', { message: message.message });
        }
        return;
      case 'progress': {
        const { type: _type, weights, newEpochs, runningLoss, resume, ...rest } = message;
        // Plain numbers for the contract (and JSON over the browser host's socket); NaN and
        // Infinity become null, which the renderer shows as "—".
        this.send('training:progress', {
          ...rest,
          resume: finiteResume(resume),
          runningLoss: toFiniteOrNull(runningLoss),
          newEpochs: newEpochs.map((r) => ({
            epoch: r.epoch,
            loss: toFiniteOrNull(r.loss),
            accuracy: toFiniteOrNull(r.accuracy),
            validationLoss: toFiniteOrNull(r.validationLoss),
            validationAccuracy: toFiniteOrNull(r.validationAccuracy),
          })),
          weights: Array.from(weights, (w) => toFiniteOrNull(w)),
        });
        return;
      }
      case 'stopped': {
        const { type: _type, ...rest } = message;
        this.send('training:stopped', rest);
        return;
      }
    }
  }

  private crashed(text: string): void {
    this.worker = null;
    this.waiting?.reject(new UserError(text));
    this.waiting = null;
    this.send('training:error', {
      message: `${text.replace(/\.?$/, '.')} Training has stopped; the app is fine, and starting again uses a new worker.`,
    });
  }
}

/**
 * Messages between the training controller (main process) and its worker thread.
 */
import type { EpochRecord, Hyperparameters, OptimiserState, Project, ResumeState } from '../../engine/src/index';
import type { EventOf } from '../contract';

/** Main process → worker. */
export type ToWorker =
  | { type: 'start'; project: Project; session: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; unit: 'sample' | 'batch' | 'epoch'; project?: Project; session?: string }
  | { type: 'stop' }
  | { type: 'configure'; hyperparameters: Hyperparameters }
  /** Training steps a second while running, or null for as fast as the machine goes. */
  | { type: 'speed'; stepsPerSecond: number | null }
  /**
   * What the backprop inspector needs to trace the session's next step exactly, and what a save
   * needs to store the session as it is: its weights, training state, and the epoch records after
   * epoch `since` (those the renderer may not have yet).
   */
  | { type: 'snapshot'; since?: number };

/** A session as it is, for the inspector and for saving. */
export interface SessionSnapshot {
  session: string;
  /** The optimiser's memory (momentum's Δw(r−1), Adam's m, v and t) in the model's order, and the training rows the next step would use. */
  optimiser: OptimiserState;
  nextRows: number[];
  epoch: number;
  samplesIntoEpoch: number;
  weights: Float64Array;
  /** The training state as a project stores it (keyed by the graph's ids). */
  resume: Required<ResumeState>;
  /** The epoch records after the snapshot request's `since`. */
  newEpochs: EpochRecord[];
}

/** Worker → main process. */
export type FromWorker =
  /** `notices`: what the session could not take over from the project (a training state that does not fit). */
  | { type: 'started'; parameters: number; epoch: number; notices: string[] }
  | { type: 'stepped'; notices: string[] }
  /** The session as it is; null without a session. */
  | { type: 'snapshot'; state: SessionSnapshot | null }
  /**
   * The whole current state, plus the epoch records since the previous one: the one coalescible
   * message. A receiver that falls behind may be sent only the latest, with the records joined
   * (src-main/ipc/event-pacing.ts); every other message is delivered one for one, in order.
   */
  | ({ type: 'progress' } & Omit<EventOf<'training:progress'>, 'weights' | 'resume'> & {
        weights: Float64Array;
        resume?: Required<ResumeState> | null;
      })
  | ({ type: 'stopped' } & EventOf<'training:stopped'>)
  | { type: 'error'; message: string; during: ToWorker['type'] | 'run' };

/** At most this many progress messages a second, however fast training goes. */
export const MAX_PROGRESS_PER_SECOND = 30;

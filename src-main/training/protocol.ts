/**
 * Messages between the training controller (main process) and its worker thread.
 */
import type { Hyperparameters, Project } from '../../engine/src/index';
import type { EventOf } from '../ipc/contract';

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
  /** What the backprop inspector needs to trace the session's next step exactly. */
  | { type: 'snapshot' };

/** Worker → main process. */
export type FromWorker =
  | { type: 'started'; parameters: number; epoch: number }
  | { type: 'stepped' }
  /** Momentum's memory Δw(r−1) and the training rows the next step would use; null without a session. */
  | { type: 'snapshot'; state: { session: string; velocity: Float64Array; nextRows: number[] } | null }
  /**
   * The whole current state, plus the epoch records since the previous one: the one coalescible
   * message. A receiver that falls behind may be sent only the latest, with the records joined
   * (src-main/ipc/event-pacing.ts); every other message is delivered one for one, in order.
   */
  | ({ type: 'progress' } & Omit<EventOf<'training:progress'>, 'weights'> & { weights: Float64Array })
  | ({ type: 'stopped' } & EventOf<'training:stopped'>)
  | { type: 'error'; message: string; during: ToWorker['type'] | 'run' };

/** At most this many progress messages a second, however fast training goes. */
export const MAX_PROGRESS_PER_SECOND = 30;

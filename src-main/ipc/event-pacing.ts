/**
 * Events to a renderer that cannot keep up. Training produces progress faster than a slow or
 * suspended tab reads it; queueing every event would grow the host's memory without bound (each
 * carries all the weights). Progress events therefore coalesce while the receiver is behind:
 * only the latest state is sent, with the epoch records of the ones it replaced, so the loss
 * curve and the saved history lose nothing. Every other event, and every reply, is sent as it
 * comes, in order. Nothing here knows of Electron or of sockets.
 */
import { LIMITS } from '../../engine/src/index';
import type { EventName, EventOf } from '../../src-shared/contract';

/**
 * The events that may coalesce: `training:progress` only. Each carries the whole current state
 * (epoch, weights, running loss), so a later one replaces an earlier one; its `newEpochs` are
 * the one incremental part, and are joined. All other events are delivered one for one.
 */
export const COALESCIBLE_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['training:progress']);

/**
 * The largest message the browser host reads: a project file at its largest (LIMITS.fileChars)
 * and room for the request around it (id, channel, path). The renderer sends projects as compact
 * JSON, no larger than the file the limit is about; anything larger is no project.
 */
export const MAX_MESSAGE_BYTES = LIMITS.fileChars + 1024 * 1024;

/** Sends one event to the receiver. */
export type Deliver = <E extends EventName>(event: E, payload: EventOf<E>) => void;

type Progress = EventOf<'training:progress'>;

/**
 * Holds back coalescible events while `mayDeliver()` says the receiver is behind, and delivers
 * the latest (one per training session) when {@link flush} finds it caught up. A non-coalescible
 * event first delivers what is held, so the receiver sees every event in the order it was sent.
 */
export class EventCoalescer {
  /** Held progress by session, in the order first held; `own` once its newEpochs is our copy. */
  private readonly held = new Map<string, { payload: Progress; own: boolean }>();

  constructor(
    private readonly deliver: Deliver,
    private readonly mayDeliver: () => boolean,
  ) {}

  /** How many events are held back. */
  get pending(): number {
    return this.held.size;
  }

  /** Delivers the event now, or holds it (replacing an older one of the same session). */
  send<E extends EventName>(event: E, payload: EventOf<E>): void {
    if (!COALESCIBLE_EVENTS.has(event)) {
      this.flush(true);
      this.deliver(event, payload);
      return;
    }
    const progress = payload as Progress;
    if (this.held.size === 0 && this.mayDeliver()) {
      this.deliver('training:progress', progress);
      return;
    }
    const older = this.held.get(progress.session);
    if (!older) {
      this.held.set(progress.session, { payload: progress, own: false });
    } else {
      // Copied once, then appended to: joining stays linear however long the receiver lags.
      const epochs = older.own ? older.payload.newEpochs : older.payload.newEpochs.slice();
      for (const record of progress.newEpochs) epochs.push(record);
      this.held.set(progress.session, { payload: { ...progress, newEpochs: epochs }, own: true });
    }
    this.flush();
  }

  /** Delivers what is held if the receiver may take it now, or regardless with `force`. */
  flush(force = false): void {
    if (this.held.size === 0 || (!force && !this.mayDeliver())) return;
    const held = Array.from(this.held.values());
    this.held.clear();
    for (const { payload } of held) this.deliver('training:progress', payload);
  }
}

/** How often a desktop window is sent progress at most: once a frame at 60 Hz. */
export const FRAME_MS = 16;

/**
 * An event sender for a receiver with no backpressure signal (Electron's webContents.send):
 * at most one progress event a frame, the latest, held ones sent when the frame has passed.
 */
export function framePacedSender(
  deliver: Deliver,
  clock: { now(): number; later(task: () => void, ms: number): void },
  frameMs = FRAME_MS,
): Deliver {
  let lastProgress = -Infinity;
  let timerSet = false;
  const coalescer = new EventCoalescer(
    (event, payload) => {
      if (COALESCIBLE_EVENTS.has(event)) lastProgress = clock.now();
      deliver(event, payload);
    },
    () => clock.now() - lastProgress >= frameMs,
  );
  const wake = () => {
    timerSet = false;
    coalescer.flush();
    arm();
  };
  const arm = () => {
    if (timerSet || coalescer.pending === 0) return;
    timerSet = true;
    clock.later(wake, Math.max(0, lastProgress + frameMs - clock.now()));
  };
  return (event, payload) => {
    coalescer.send(event, payload);
    arm();
  };
}

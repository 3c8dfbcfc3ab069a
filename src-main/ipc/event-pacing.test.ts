/**
 * Coalescing progress for receivers that fall behind: the latest state, every epoch record, and
 * every other event in order.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../engine/src/index';
import type { EventName, EventOf } from '../../src-shared/contract';
import { COALESCIBLE_EVENTS, EventCoalescer, FRAME_MS, MAX_MESSAGE_BYTES, framePacedSender } from './event-pacing';

type Progress = EventOf<'training:progress'>;

function progress(epoch: number, newEpochs: number[], session = 's'): Progress {
  return {
    session,
    state: 'running',
    epoch,
    samplesIntoEpoch: 0,
    epochSize: 4,
    runningLoss: null,
    newEpochs: newEpochs.map((e) => ({ epoch: e, loss: e / 10, accuracy: null, validationLoss: null, validationAccuracy: null })),
    weights: [epoch, -epoch],
  };
}

function recorder() {
  const sent: { event: EventName; payload: unknown }[] = [];
  const deliver = <E extends EventName>(event: E, payload: EventOf<E>) => void sent.push({ event, payload });
  return { sent, deliver };
}

describe('EventCoalescer', () => {
  it('passes everything through while the receiver keeps up', () => {
    const { sent, deliver } = recorder();
    const events = new EventCoalescer(deliver, () => true);
    const a = progress(1, [1]);
    const b = progress(2, [2]);
    events.send('training:progress', a);
    events.send('training:progress', b);
    expect(sent.map((s) => s.payload)).toEqual([a, b]);
    expect(sent[0].payload).toBe(a);
  });

  it('while it lags: holds the latest progress with every epoch record, then sends it once', () => {
    const { sent, deliver } = recorder();
    let ready = false;
    const events = new EventCoalescer(deliver, () => ready);
    const first = progress(1, [1]);
    for (let epoch = 1; epoch <= 1000; epoch++)
      events.send('training:progress', epoch === 1 ? first : progress(epoch, epoch % 3 === 0 ? [] : [epoch]));
    expect(sent).toEqual([]);
    expect(events.pending).toBe(1);
    events.flush();
    expect(sent).toEqual([]);
    ready = true;
    events.flush();
    expect(sent).toHaveLength(1);
    const merged = sent[0].payload as Progress;
    expect(merged.epoch).toBe(1000);
    expect(merged.weights).toEqual([1000, -1000]);
    const expected = Array.from({ length: 1000 }, (_, i) => i + 1).filter((e) => e % 3 !== 0);
    expect(merged.newEpochs.map((r) => r.epoch)).toEqual(expected);
    // The caller's events are not changed by the joining.
    expect(first.newEpochs.map((r) => r.epoch)).toEqual([1]);
    expect(events.pending).toBe(0);
  });

  it('an event that must not coalesce goes at once, after what is held: the order stays', () => {
    const { sent, deliver } = recorder();
    const events = new EventCoalescer(deliver, () => false);
    events.send('training:progress', progress(5, [5]));
    events.send('training:progress', { ...progress(6, [6]), state: 'stopped' });
    events.send('training:stopped', { session: 's', reason: 'maxEpochs', message: 'Stopped.', epoch: 6 });
    expect(sent.map((s) => s.event)).toEqual(['training:progress', 'training:stopped']);
    expect((sent[0].payload as Progress).newEpochs.map((r) => r.epoch)).toEqual([5, 6]);
    expect((sent[0].payload as Progress).state).toBe('stopped');
  });

  it('keeps sessions apart', () => {
    const { sent, deliver } = recorder();
    let ready = false;
    const events = new EventCoalescer(deliver, () => ready);
    events.send('training:progress', progress(3, [3], 'old'));
    events.send('training:progress', progress(1, [1], 'new'));
    events.send('training:progress', progress(2, [2], 'new'));
    ready = true;
    events.flush();
    expect(sent.map((s) => [(s.payload as Progress).session, (s.payload as Progress).newEpochs.map((r) => r.epoch)])).toEqual([
      ['old', [3]],
      ['new', [1, 2]],
    ]);
  });

  it('only progress coalesces', () => {
    expect([...COALESCIBLE_EVENTS]).toEqual(['training:progress']);
  });
});

describe('framePacedSender (the desktop window)', () => {
  function clock() {
    let now = 0;
    const timers: { at: number; task: () => void }[] = [];
    return {
      now: () => now,
      later: (task: () => void, ms: number) => void timers.push({ at: now + ms, task }),
      advance(ms: number) {
        now += ms;
        for (const timer of timers.filter((t) => t.at <= now)) {
          timers.splice(timers.indexOf(timer), 1);
          timer.task();
        }
      },
      timers,
    };
  }

  it('at most one progress event a frame, the latest, and the held one when the frame has passed', () => {
    const { sent, deliver } = recorder();
    const time = clock();
    const at: number[] = [];
    const send = framePacedSender((event, payload) => {
      at.push(time.now());
      deliver(event, payload);
    }, time);
    send('training:progress', progress(1, [1]));
    expect(sent).toHaveLength(1);
    for (let epoch = 2; epoch <= 50; epoch++) {
      time.advance(1);
      send('training:progress', progress(epoch, [epoch]));
    }
    // 49 ms: frames at 0, 16, 32, 48.
    expect(sent).toHaveLength(4);
    time.advance(20);
    expect(sent).toHaveLength(5);
    const all = sent.flatMap((s) => (s.payload as Progress).newEpochs.map((r) => r.epoch));
    expect(all).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((sent.at(-1)!.payload as Progress).epoch).toBe(50);
    expect(time.timers).toHaveLength(0);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(FRAME_MS);
  });

  it('other events are never delayed, and never overtake held progress', () => {
    const { sent, deliver } = recorder();
    const time = clock();
    const send = framePacedSender(deliver, time);
    send('training:progress', progress(1, [1]));
    send('training:progress', progress(2, [2]));
    send('training:error', { message: 'x' });
    expect(sent.map((s) => s.event)).toEqual(['training:progress', 'training:progress', 'training:error']);
    expect((sent[1].payload as Progress).epoch).toBe(2);
  });
});

describe('MAX_MESSAGE_BYTES', () => {
  it('is what the largest project file can be, with room for the request around it, not twice that', () => {
    expect(MAX_MESSAGE_BYTES).toBeGreaterThan(LIMITS.fileChars);
    expect(MAX_MESSAGE_BYTES).toBeLessThanOrEqual(LIMITS.fileChars + 1024 * 1024);
  });
});

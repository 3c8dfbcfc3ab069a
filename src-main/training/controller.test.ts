/**
 * The controller with a real worker thread (training off the main thread), and with a fake one
 * that crashes.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { findExample } from '../../engine/src/index';
import type { EventName, EventOf } from '../../src-shared/contract';
import { TrainingController, type WorkerLike } from '../../src-shared/host/training-controller';
import { spawnTrainingWorker } from './spawn';
import type { FromWorker, ToWorker } from '../../src-shared/host/training-protocol';

function recorder() {
  const events: { event: EventName; payload: unknown }[] = [];
  const send = <E extends EventName>(event: E, payload: EventOf<E>) => {
    events.push({ event, payload });
  };
  const waitFor = async (predicate: () => boolean, ms = 20_000) => {
    const end = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { events, send, waitFor };
}

describe('training controller', () => {
  it('trains in a real worker thread: progress arrives, the loss falls, pause holds', async () => {
    const { events, send, waitFor } = recorder();
    const controller = new TrainingController(send, spawnTrainingWorker);
    try {
      const started = await controller.start(findExample('spiral')!.create(), 's1');
      expect(started).toEqual({ parameters: 337, epoch: 0, notices: [] });
      const progress = () => events.filter((e) => e.event === 'training:progress').map((e) => e.payload as EventOf<'training:progress'>);
      const epochs = () => progress().flatMap((p) => p.newEpochs);
      await waitFor(() => epochs().length >= 30);
      const losses = epochs().map((r) => r.loss!);
      expect(losses.at(-1)!).toBeLessThan(losses[0]);
      expect(progress().at(-1)!.weights).toHaveLength(337);

      controller.pause();
      await waitFor(() => progress().at(-1)?.state === 'paused');
      const count = progress().length;
      const epoch = progress().at(-1)!.epoch;
      await new Promise((r) => setTimeout(r, 300));
      expect(progress().length).toBe(count);
      expect(progress().at(-1)!.epoch).toBe(epoch);

      await controller.step('epoch');
      expect(progress().at(-1)!.epoch).toBe(epoch + 1);
    } finally {
      await controller.dispose();
    }
  });

  it('a network that cannot train rejects start with the compiler’s message', async () => {
    const { send } = recorder();
    const controller = new TrainingController(send, spawnTrainingWorker);
    try {
      await expect(controller.start(findExample('xor-perceptron-network')!.create(), 's1')).rejects.toThrow(
        /perceptron rule trains a single layer/,
      );
    } finally {
      await controller.dispose();
    }
  });

  it('a crashed worker becomes a clear error event, and the next start uses a new worker', async () => {
    const { events, send } = recorder();
    const spawned: FakeWorker[] = [];
    const controller = new TrainingController(send, () => {
      const worker = new FakeWorker();
      spawned.push(worker);
      return worker;
    });
    const starting = controller.start(findExample('xor-sigmoid')!.create(), 's1');
    spawned[0].emit('error', new Error('out of memory'));
    await expect(starting).rejects.toThrow(/The training worker failed: out of memory/);
    expect(events.at(-1)).toEqual({
      event: 'training:error',
      payload: { message: expect.stringMatching(/out of memory\. Training has stopped; the app is fine/) },
    });

    const again = controller.start(findExample('xor-sigmoid')!.create(), 's1');
    expect(spawned).toHaveLength(2);
    spawned[1].reply({ type: 'started', parameters: 9, epoch: 0, notices: [] });
    await expect(again).resolves.toEqual({ parameters: 9, epoch: 0, notices: [] });
    spawned[1].emit('exit', 1);
    expect(events.at(-1)?.event).toBe('training:error');
  });
});

class FakeWorker extends EventEmitter implements WorkerLike {
  readonly received: ToWorker[] = [];
  postMessage(message: ToWorker): void {
    this.received.push(message);
  }
  reply(message: FromWorker): void {
    this.emit('message', message);
  }
  async terminate(): Promise<number> {
    return 0;
  }
}

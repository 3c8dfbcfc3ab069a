/**
 * Starts the web edition's training worker, behind the same {@link WorkerLike} face as Node's
 * worker thread, so one {@link TrainingController} drives both.
 */
import type { WorkerLike } from '../src-shared/host/training-controller';
import type { FromWorker, ToWorker } from '../src-shared/host/training-protocol';

/** A Web Worker as the controller sees a worker: a failure to start or a crash is an 'error'. */
export function adaptWebWorker(worker: Worker): WorkerLike {
  const adapted = {
    postMessage: (message: ToWorker) => worker.postMessage(message),
    on(event: 'message' | 'error' | 'exit', listener: (value: never) => void) {
      if (event === 'message') worker.addEventListener('message', (e) => (listener as (m: FromWorker) => void)(e.data as FromWorker));
      else if (event === 'error') {
        const failed = (detail: string) => (listener as (error: Error) => void)(new Error(detail));
        worker.addEventListener('error', (e) => {
          e.preventDefault();
          failed(e.message || 'the worker could not start or stopped with an error');
        });
        worker.addEventListener('messageerror', () => failed('a message from the worker could not be read'));
      }
      // A Web Worker has no exit event: a crash arrives as an error.
      return adapted;
    },
    terminate: async () => {
      worker.terminate();
      return 0;
    },
  };
  return adapted as WorkerLike;
}

/** The training worker, from the build's own file (so the page's policy allows it). */
export function spawnWebTrainingWorker(): WorkerLike {
  return adaptWebWorker(new Worker(new URL('./training-worker.ts', import.meta.url), { type: 'module', name: 'NN Studio training' }));
}

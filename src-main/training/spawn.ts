/**
 * Node's training worker thread, for the desktop app and the browser host (the web edition starts
 * a Web Worker instead: src-web/).
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerLike } from '../../src-shared/host/training-controller';

/** Starts the worker thread from source (through tsx) or from the build, whichever is running. */
export function spawnTrainingWorker(): WorkerLike {
  if (import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
      workerData: { entry: new URL('./worker.ts', import.meta.url).href },
    }) as unknown as WorkerLike;
  }
  // A worker cannot start from inside an asar archive: packaging unpacks worker.js beside it
  // (asarUnpack in electron.config.ts), and the path is pointed there.
  const path = fileURLToPath(new URL('./worker.mjs', import.meta.url)).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  return new Worker(path) as unknown as WorkerLike;
}

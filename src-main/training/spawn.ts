/**
 * Node's worker threads for training, for the desktop app and the browser host (the web edition
 * starts a Web Worker instead: src-web/): the training worker, and the helper threads its matrix
 * products are split across.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type WorkerOptions } from 'node:worker_threads';
import { CONTROL_INTS, retireHelper, type ProductAttachment, type ProductHelper, type ProductThreadHost } from '../../engine/src/index';
import type { ProductThreads } from '../../engine/src/fast/wasm-gemm';
import type { WorkerLike } from '../../src-shared/host/training-controller';

/** Starts one of this folder's thread entries from source (through tsx) or from the build, whichever is running. */
function startThread(entry: 'worker' | 'product-helper', options: WorkerOptions = {}): Worker {
  if (import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
      ...options,
      workerData: { ...(options.workerData as object), entry: new URL(`./${entry}.ts`, import.meta.url).href },
    });
  }
  // A worker cannot start from inside an asar archive: packaging unpacks the thread entries beside
  // it (asarUnpack in electron.config.ts), and the path is pointed there.
  const path = fileURLToPath(new URL(`./${entry}.mjs`, import.meta.url)).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  return new Worker(path, options);
}

/** Starts the training worker thread. */
export function spawnTrainingWorker(): WorkerLike {
  return startThread('worker') as unknown as WorkerLike;
}

/**
 * How many helper threads training's products use: every core but the one training runs on and,
 * with a window, one left for it (so the canvas keeps its frame rate while training runs), at
 * most three (a mini-batch's products stop scaling before that).
 */
export function defaultHelperCount(cores = availableParallelism(), options: { window: boolean } = { window: true }): number {
  return Math.max(0, Math.min(3, cores - (options.window ? 2 : 1)));
}

/**
 * Helper threads for the engine's split matrix products (engine/src/fast/product-threads.ts),
 * started on first use. They never keep the process alive, and a helper that exits is no longer
 * given work.
 */
export function nodeProductThreads(count = defaultHelperCount()): ProductThreadHost {
  let helpers: ProductHelper[] | null = null;
  return {
    helpers() {
      helpers ??= Array.from({ length: count }, () => {
        const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
        const { port1, port2 } = new MessageChannel();
        const thread = startThread('product-helper', { workerData: { control, port: port2 }, transferList: [port2] });
        thread.unref();
        port1.unref();
        thread.on('error', () => retireHelper(control));
        thread.on('exit', () => retireHelper(control));
        return { control, send: (attachment: ProductAttachment) => port1.postMessage(attachment) };
      });
      return helpers;
    },
  };
}

/**
 * Resolves once `count` helpers are attached to the arena of `threads` (they attach in the
 * background after an arena is made), or false after `timeoutMs`: for measurements and tests
 * that must start with the split in place.
 */
export async function helpersAttached(threads: ProductThreads | null, count: number, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (threads && threads.helpersReady() < count) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return threads !== null || count === 0;
}

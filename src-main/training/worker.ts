/**
 * The training worker thread's entry: wires {@link TrainingWorker} to `worker_threads`.
 */
import { parentPort } from 'node:worker_threads';
import type { ToWorker } from '../../src-shared/host/training-protocol';
import { TrainingWorker } from '../../src-shared/host/training-worker';
import { useProductThreads } from '../../engine/src/index';
import { nodeProductThreads } from './spawn';

if (!parentPort) throw new Error('worker.ts runs as a worker thread.');
const port = parentPort;
// Large float32 products are split across the other cores (started when a network first needs them).
useProductThreads(nodeProductThreads());
const worker = new TrainingWorker({
  post: (message, transfer) => port.postMessage(message, transfer ?? []),
  defer: (task) => setImmediate(task),
  later: (task, ms) => setTimeout(task, ms),
  now: () => performance.now(),
});
port.on('message', (message: ToWorker) => worker.handle(message));

/**
 * The web edition's training worker (a Web Worker): the same loop as the desktop's worker thread
 * (src-shared/host/training-worker.ts), wired to the worker's messages. It runs under the policy
 * its own response carries, not the page's: a static server that sends none lets the engine
 * compile its generated kernels here, one that forbids eval makes the engine fall back to the
 * interpreted kernel (engine/src/fast/generated.ts), with the same results to rounding.
 */
import type { ToWorker } from '../src-shared/host/training-protocol';
import { TrainingWorker } from '../src-shared/host/training-worker';

interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;

// setImmediate for a Web Worker: a message to itself runs after the messages already queued (so
// pause and stop are heard between slices), without the 4 ms clamp of nested setTimeout(0).
const channel = new MessageChannel();
const tasks: (() => void)[] = [];
channel.port1.onmessage = () => tasks.shift()?.();

const worker = new TrainingWorker({
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  defer: (task) => {
    tasks.push(task);
    channel.port2.postMessage(null);
  },
  later: (task, ms) => void setTimeout(task, ms),
  now: () => performance.now(),
});
scope.addEventListener('message', (event) => worker.handle(event.data));

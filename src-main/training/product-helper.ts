/**
 * A helper thread's entry: runs the engine's split matrix products (serveProducts) on the control
 * block and the port nodeProductThreads (spawn.ts) gave it. It blocks in Atomics.wait between
 * jobs, so attachments are read from the port synchronously.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
// The module itself, not the engine's index: this thread needs the loop, not the whole engine.
import { serveProducts, type ProductAttachment } from '../../engine/src/fast/product-threads';

const { control, port } = workerData as { control: Int32Array; port: MessagePort };
serveProducts(control, () => receiveMessageOnPort(port)?.message as ProductAttachment | undefined);

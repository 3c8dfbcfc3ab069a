// Starts the training worker from its TypeScript source (development and tests): registers tsx
// in this thread, then loads the worker. The built app starts dist/main/worker.js directly.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);

/**
 * The CSV import worker: a CSV file is read and imported here, off the renderer's thread, so a
 * large file leaves the page responsive and can be cancelled (by terminating this worker). The
 * work itself is csv-import-core.ts.
 */
import { createCsvWorkerCore, type CsvWorkerRequest } from './csv-import-core';

const handle = createCsvWorkerCore({
  // In a worker `self.postMessage` takes (message, { transfer }); the DOM typings describe the window's.
  post: (reply, transfer = []) => self.postMessage(reply, { transfer }),
});

self.addEventListener('message', (event: MessageEvent<CsvWorkerRequest>) => void handle(event.data));

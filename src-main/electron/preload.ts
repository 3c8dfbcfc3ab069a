/**
 * The preload: exposes one small, named API on `window.nnstudio` — invoke a contract channel,
 * listen to a contract event — and never ipcRenderer itself. Names outside the contract are
 * refused here; payloads are validated again on the main side.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { IpcFailure } from '../../src-shared/contract';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../src-shared/names';

const channels = new Set<string>(CHANNEL_NAMES);
const events = new Set<string>(EVENT_NAMES);

// A file opened from the file manager can arrive before the page has subscribed: keep such
// requests until someone listens, so none is lost.
const OPEN_REQUEST = 'project:open-request';
const pendingOpens: unknown[] = [];
let openListeners = 0;
ipcRenderer.on(`nnstudio:event:${OPEN_REQUEST}`, (_e, payload) => {
  if (openListeners === 0) pendingOpens.push(payload);
});

const api = {
  /** Calls a channel; rejects with the main side's message when it fails. */
  async invoke(channel: string, payload: unknown): Promise<unknown> {
    if (!channels.has(channel)) throw new Error(`Unknown request '${channel}'.`);
    const result = (await ipcRenderer.invoke(`nnstudio:${channel}`, payload)) as { ok: unknown } | IpcFailure;
    if ('error' in result) throw new Error(result.error);
    return result.ok;
  },
  /** Listens to an event; returns the function that stops listening. */
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!events.has(event)) throw new Error(`Unknown event '${event}'.`);
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(`nnstudio:event:${event}`, wrapped);
    if (event === OPEN_REQUEST) {
      openListeners++;
      for (const payload of pendingOpens.splice(0)) listener(payload);
    }
    return () => {
      ipcRenderer.removeListener(`nnstudio:event:${event}`, wrapped);
      if (event === OPEN_REQUEST) openListeners--;
    };
  },
  host: 'electron' as const,
};

contextBridge.exposeInMainWorld('nnstudio', api);

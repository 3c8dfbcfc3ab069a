/**
 * The web edition's host, in the page itself: the contract's `invoke`/`on` API installed as
 * `window.nnstudio`, exactly where the desktop's preload puts it, so the renderer cannot tell the
 * hosts apart except by `app:info`. Requests go through the same {@link dispatch} as on the
 * desktop (validated in, validated out, every failure one sentence); events are checked against
 * the contract before a listener sees them.
 */
import { EVENTS, type EventName, type EventOf } from '../src-shared/contract';
import { dispatch } from '../src-shared/host/dispatch';
import { TrainingController } from '../src-shared/host/training-controller';
import { browserFiles, type WebFiles } from './files';
import { createWebHandlers } from './handlers';
import { applyUpdate, registerServiceWorker } from './pwa/register';
import { spawnWebTrainingWorker } from './spawn';
import { WebData, browserTabs, indexedDbStore, memoryStore, type KeyValue, type TabRegistry } from './storage';
import type { WorkerLike } from '../src-shared/host/training-controller';

declare const __NNSTUDIO_VERSION__: string;

/** What the renderer finds as `window.nnstudio` (src-renderer/src/state/api.ts's RawApi). */
export interface WebHostApi {
  host: 'web';
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export interface WebHostOptions {
  version?: string;
  store?: KeyValue;
  /** The open tabs, whose backups are theirs (default: the browser's, through Web Locks). */
  tabs?: TabRegistry;
  files?: WebFiles;
  spawnWorker?: () => WorkerLike;
  applyUpdate?: () => Promise<void>;
}

/** The in-page host; {@link installWebHost} puts one on the window. */
export function createWebHost(options: WebHostOptions = {}): {
  api: WebHostApi;
  emit: <E extends EventName>(event: E, payload: EventOf<E>) => void;
} {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const emit = <E extends EventName>(event: E, payload: EventOf<E>): void => {
    const checked = EVENTS[event].safeParse(payload);
    // An event that does not fit the contract is a bug of ours: say so, never crash the page.
    if (!checked.success) {
      if (event !== 'training:error')
        emit('training:error', { message: `NN Studio produced an invalid ${event} event; training may be showing stale numbers.` });
      return;
    }
    for (const listener of listeners.get(event) ?? []) listener(checked.data);
  };
  const training = new TrainingController(emit, options.spawnWorker ?? spawnWebTrainingWorker);
  const handlers = createWebHandlers({
    version: options.version ?? __NNSTUDIO_VERSION__,
    platform: globalThis.navigator?.platform || 'web',
    files: options.files ?? browserFiles(),
    data: new WebData(
      options.store ?? (typeof indexedDB === 'undefined' ? memoryStore() : indexedDbStore()),
      options.tabs ?? browserTabs(),
    ),
    training,
    applyUpdate: options.applyUpdate ?? applyUpdate,
  });
  const api: WebHostApi = {
    host: 'web',
    async invoke(channel, payload) {
      const answer = await dispatch(handlers, channel, payload, true);
      if ('error' in answer) throw new Error(answer.error);
      return answer.ok;
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)?.delete(listener);
    },
  };
  return { api, emit };
}

/** Installs the host as `window.nnstudio` and starts watching for a newer version. */
export function installWebHost(): void {
  const { api, emit } = createWebHost();
  (window as unknown as { nnstudio: WebHostApi }).nnstudio = api;
  registerServiceWorker(() => emit('app:update-available', {}));
}

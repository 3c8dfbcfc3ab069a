/**
 * The renderer's one way to the main process: `window.nnstudio` (the desktop preload), or, in a
 * browser, the same API over the browser host's WebSocket. Typed by the contract.
 */
import type { Channel, EventName, EventOf, RequestOf, ResponseOf } from '../../../src-shared/contract';

interface RawApi {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  host: 'electron' | 'browser' | 'web';
}

declare global {
  interface Window {
    nnstudio?: RawApi;
  }
}

/** The typed API the app uses. */
export interface Api {
  host: 'electron' | 'browser' | 'web';
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

/** The API over the browser host's socket; the token comes from the page's address. */
function socketApi(): RawApi {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const socket = new WebSocket(`ws://${window.location.host}/ipc?token=${encodeURIComponent(token)}`);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener(
      'error',
      () =>
        reject(
          new Error('Cannot reach NN Studio’s host: is `npm run start:web` still running, and is the address (with its token) right?'),
        ),
      { once: true },
    );
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as {
      id?: number;
      result?: { ok?: unknown; error?: string };
      event?: string;
      payload?: unknown;
    };
    if (data.event) {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
      return;
    }
    const waiting = pending.get(data.id ?? -1);
    if (!waiting) return;
    pending.delete(data.id!);
    if (data.result && 'error' in data.result) waiting.reject(new Error(data.result.error));
    else waiting.resolve(data.result?.ok);
  });
  socket.addEventListener('close', (event) => {
    // 1009: the host refused a message larger than any project can be.
    const reason =
      event.code === 1009
        ? 'NN Studio’s host refused a request larger than any project can be, and closed the connection; reload this page to reconnect.'
        : 'The connection to NN Studio’s host closed.';
    for (const waiting of pending.values()) waiting.reject(new Error(reason));
    pending.clear();
  });
  return {
    host: 'browser',
    async invoke(channel, payload) {
      await opened;
      if (socket.readyState !== WebSocket.OPEN)
        throw new Error('The connection to NN Studio’s host is closed: restart `npm run start:web` and reload this page.');
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, channel, payload }));
      });
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)?.delete(listener);
    },
  };
}

const raw: RawApi = window.nnstudio ?? socketApi();

export const api: Api = {
  host: raw.host,
  invoke: (channel, request) => raw.invoke(channel, request) as never,
  on: (event, listener) => raw.on(event, listener as (payload: unknown) => void),
};

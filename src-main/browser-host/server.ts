/**
 * The browser host: the same app in a browser. Serves the built renderer and bridges the preload
 * API over a WebSocket to the very same handlers the desktop app registers with ipcMain.
 *
 * It listens on 127.0.0.1 only, and every WebSocket must present the per-launch token (and come
 * from the host's own origin), so no other page or local process can drive it. File access is
 * confined to a workspace folder.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENTS, type EventName, type EventOf } from '../../src-shared/contract';
import { EventCoalescer, MAX_MESSAGE_BYTES } from '../ipc/event-pacing';
import { createHandlers, dispatch, workspacePolicy, type Dialogs } from '../ipc/handlers';
import { TrainingController, type WorkerLike } from '../../src-shared/host/training-controller';
import { spawnTrainingWorker } from '../training/spawn';
import { AppData } from '../files/app-data';

export interface BrowserHostOptions {
  /** 0 picks a free port. */
  port?: number;
  /** The folder the in-app file picker shows; every path must be inside it. */
  workspace: string;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** Where recent projects and the backup of unsaved work are kept. */
  dataDir: string;
  /** Fixed token (tests); otherwise a random one per launch. */
  token?: string;
  version: string;
  spawnWorker?: () => WorkerLike;
  /** The largest message a client may send (tests); otherwise {@link MAX_MESSAGE_BYTES}. */
  maxMessageBytes?: number;
}

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  /** Bytes waiting to be sent to the slowest client: what backpressure holds bounded. */
  queuedBytes(): number;
  close(): Promise<void>;
}

/**
 * Above this many bytes waiting for a client, progress events to it coalesce (see
 * event-pacing.ts) until it has read them: a tab that is slow or suspended cannot make the host
 * queue every event.
 */
export const HIGH_WATER_BYTES = 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/** The Content-Security-Policy of the app's pages: nothing but itself and its own socket. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Starts the host. Resolves once it listens. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  const sockets = new Map<WebSocket, EventCoalescer>();
  // One serialisation of an event for every client that takes it at once.
  let serialised: { payload: unknown; text: string } | null = null;
  const textOf = (event: EventName, payload: unknown): string => {
    if (serialised === null || serialised.payload !== payload) serialised = { payload, text: JSON.stringify({ event, payload }) };
    return serialised.text;
  };
  const broadcast = <E extends EventName>(event: E, payload: EventOf<E>) => {
    const checked = EVENTS[event].safeParse(payload);
    // An event that does not fit the contract is a bug of ours: say so, never crash the host.
    if (!checked.success) {
      if (event !== 'training:error')
        broadcast('training:error', { message: `NN Studio produced an invalid ${event} event; training may be showing stale numbers.` });
      return;
    }
    for (const events of sockets.values()) events.send(event, checked.data as EventOf<E>);
  };
  const training = new TrainingController(broadcast, options.spawnWorker ?? spawnTrainingWorker);
  // In the browser, the in-app picker chooses the file: there is no native dialog to ask.
  const dialogs: Dialogs = {
    chooseProjectToOpen: async () => null,
    chooseWhereToSave: async () => null,
  };
  const handlers = createHandlers({
    host: 'browser',
    version: options.version,
    platform: process.platform,
    dialogs,
    paths: workspacePolicy(options.workspace),
    training,
    data: new AppData(options.dataDir),
  });

  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server = createServer((request, response) => {
    serveStatic(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end('Internal error');
    });
  });

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A Host other than our own is a DNS-rebinding attempt: refuse it.
    if (!allowedHosts().has(request.headers.host ?? '')) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const relativePath = decodeURIComponent(url.pathname) === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = normalize(join(rendererDir, relativePath));
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) {
      response.writeHead(404).end();
      return;
    }
    let body: Buffer;
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      body = await readFile(file);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  // A larger message is no project: ws refuses it as its header arrives, before reading it, and
  // closes that connection with 1009 (the renderer says what happened).
  const sockets_ = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const offered = Buffer.from(url.searchParams.get('token') ?? '');
    const expected = Buffer.from(token);
    const tokenOk = offered.length === expected.length && timingSafeEqual(offered, expected);
    const originOk =
      request.headers.origin === undefined ||
      request.headers.origin === `http://127.0.0.1:${port}` ||
      request.headers.origin === `http://localhost:${port}`;
    if (url.pathname !== '/ipc' || !tokenOk || !originOk || !allowedHosts().has(request.headers.host ?? '')) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets_.handleUpgrade(request, socket, head, (ws) => {
      // Each write's callback runs once the data has left for the network: the moment to see
      // whether held progress may go.
      const write = (text: string) => {
        if (ws.readyState === ws.OPEN) ws.send(text, () => events.flush());
      };
      const events = new EventCoalescer(
        (event, payload) => write(textOf(event, payload)),
        () => ws.bufferedAmount < HIGH_WATER_BYTES,
      );
      /** A reply is never held, and never overtakes the events sent before it. */
      const reply = (text: string) => {
        events.flush(true);
        write(text);
      };
      sockets.set(ws, events);
      ws.on('close', () => sockets.delete(ws));
      // A frame too large, not UTF-8 or malformed: ws is already closing that connection, with
      // the code that says why (1009 too large, 1007 not UTF-8), and drops it if the client does
      // not answer. Listening keeps the host up; ending the socket here could cut off the close.
      ws.on('error', () => undefined);
      ws.on('message', async (data) => {
        let message: unknown;
        try {
          message = JSON.parse(String(data));
        } catch {
          message = null;
        }
        if (typeof message !== 'object' || message === null || Array.isArray(message)) {
          reply(JSON.stringify({ id: null, result: { error: 'Request refused: not a request object.' } }));
          return;
        }
        const { id, channel, payload } = message as { id?: unknown; channel?: unknown; payload?: unknown };
        const result = await dispatch(handlers, String(channel), payload, true);
        reply(JSON.stringify({ id: typeof id === 'number' || typeof id === 'string' ? id : null, result }));
      });
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    queuedBytes() {
      let most = 0;
      for (const socket of sockets.keys()) most = Math.max(most, socket.bufferedAmount);
      return most;
    },
    async close() {
      for (const socket of sockets.keys()) socket.terminate();
      await training.dispose();
      sockets_.close();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

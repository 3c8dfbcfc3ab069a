/**
 * The browser host: loopback only, a per-launch token on the socket, its own origin and Host
 * only, no files outside the built renderer, and the same handlers as the desktop app.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES } from '../ipc/event-pacing';
import { startBrowserHost, type BrowserHost } from './server';

const root = mkdtempSync(join(tmpdir(), 'nnstudio-host-'));
const rendererDir = join(root, 'renderer');
const workspace = join(root, 'workspace');
let host: BrowserHost;

beforeAll(async () => {
  mkdirSync(rendererDir);
  mkdirSync(workspace);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>NN Studio</title>');
  writeFileSync(join(root, 'secret.txt'), 'not for the browser');
  host = await startBrowserHost({ workspace, rendererDir, version: '9.9.9', dataDir: join(workspace, '.data') });
});
afterAll(async () => {
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(token: string, headers: Record<string, string> = {}, port = host.port): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ipc?token=${encodeURIComponent(token)}`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

function call(socket: WebSocket, channel: string, payload: unknown): Promise<{ ok?: unknown; error?: string }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data));
      if (message.id === id) {
        socket.off('message', onMessage);
        resolve(message.result);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, channel, payload }));
  });
}

describe('browser host', () => {
  it('listens on 127.0.0.1 with a fresh random token, and prints it in the address', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[\\w-]{32}$`));
    expect(host.token).not.toBe('');
  });

  it('serves the app with a strict Content-Security-Policy', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('NN Studio');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self';/);
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves nothing outside the built renderer, and no other Host (DNS rebinding)', async () => {
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
  });

  it('refuses a socket without the token, with a wrong one, or from another origin', async () => {
    await expect(connect('')).rejects.toThrow('HTTP 403');
    await expect(connect('wrong')).rejects.toThrow('HTTP 403');
    await expect(connect(host.token, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('with the token, runs the same handlers as the desktop app, validated', async () => {
    const socket = await connect(host.token, { origin: `http://127.0.0.1:${host.port}` });
    try {
      expect(await call(socket, 'app:info', {})).toEqual({
        ok: { version: '9.9.9', host: 'browser', platform: process.platform, workspace },
      });
      expect(await call(socket, 'project:open', { path: '/etc/passwd' })).toEqual({
        error: expect.stringMatching(/outside the workspace folder/),
      });
      expect(await call(socket, 'nope', {})).toEqual({ error: "Unknown request 'nope'." });
      socket.send('not json');
      const created = await call(socket, 'examples:create', { name: 'xor-sigmoid' });
      const saved = await call(socket, 'project:save', { path: 'x.nnproj', project: created.ok });
      expect(saved).toMatchObject({ ok: { path: join(workspace, 'x.nnproj') } });
    } finally {
      socket.close();
    }
  });

  it('streams training progress to the socket', async () => {
    const socket = await connect(host.token);
    try {
      const events: { event: string; payload: { epoch?: number } }[] = [];
      socket.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.event) events.push(message);
      });
      const project = (await call(socket, 'examples:create', { name: 'iris' })).ok;
      expect(await call(socket, 'training:start', { project, session: 's1' })).toEqual({ ok: { parameters: 67, epoch: 0, notices: [] } });
      const end = Date.now() + 20_000;
      while (!events.some((e) => e.event === 'training:progress' && (e.payload.epoch ?? 0) > 0) && Date.now() < end)
        await new Promise((r) => setTimeout(r, 20));
      expect(events.some((e) => e.event === 'training:progress' && (e.payload.epoch ?? 0) > 0)).toBe(true);
      await call(socket, 'training:stop', {});
    } finally {
      socket.close();
    }
  });

  it('a client that stops reading: progress coalesces, the queue stays bounded, and it then gets the latest state', async () => {
    type Progress = { session: string; state: string; epoch: number; newEpochs: { epoch: number }[]; weights: number[] };
    const slow = await connect(host.token);
    const reader = await connect(host.token);
    const received = (socket: WebSocket) => {
      const log = { progress: [] as Progress[], stopped: null as null | { epoch: number }, bytes: 0 };
      socket.on('message', (data) => {
        log.bytes += (data as Buffer).length;
        const message = JSON.parse(String(data));
        if (message.event === 'training:progress' && message.payload.session === 'bp') log.progress.push(message.payload);
        if (message.event === 'training:stopped' && message.payload.session === 'bp') log.stopped = message.payload;
      });
      return log;
    };
    const slowLog = received(slow);
    const readerLog = received(reader);
    try {
      // The spiral with two hidden layers of 200: 41,001 parameters, some 800 kB an event.
      const project = widen((await call(reader, 'examples:create', { name: 'spiral' })).ok, 200);
      // The slow tab: its socket stops reading, as a suspended tab's does.
      (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
      expect(await call(reader, 'training:start', { project, session: 'bp' })).toEqual({
        ok: { parameters: 41001, epoch: 0, notices: [] },
      });
      let most = 0;
      const end = Date.now() + 60_000;
      // Until the host has sent the reader 40 MB: without coalescing, all of it would queue for the slow one.
      while (readerLog.bytes < 40e6 && Date.now() < end) {
        most = Math.max(most, host.queuedBytes());
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(readerLog.bytes).toBeGreaterThanOrEqual(40e6);
      expect(most).toBeLessThan(4 * 1024 * 1024);
      await call(reader, 'training:stop', {});
      while (!readerLog.stopped && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      (slow as unknown as { _socket: { resume(): void } })._socket.resume();
      while (!slowLog.stopped && Date.now() < end) await new Promise((r) => setTimeout(r, 10));

      // The slow tab got far fewer events, yet the same final state and every epoch record.
      expect(slowLog.progress.length).toBeLessThan(readerLog.progress.length / 4);
      const last = slowLog.progress.at(-1)!;
      const readerLast = readerLog.progress.at(-1)!;
      expect(slowLog.stopped).toEqual(readerLog.stopped);
      expect(last.state).toBe('stopped');
      expect(last.epoch).toBe(readerLog.stopped!.epoch);
      expect(last.weights).toEqual(readerLast.weights);
      const epochs = (log: typeof slowLog) => log.progress.flatMap((p) => p.newEpochs);
      expect(epochs(slowLog)).toEqual(epochs(readerLog));
      expect(epochs(slowLog).map((r) => r.epoch)).toEqual(Array.from({ length: last.epoch }, (_, i) => i + 1));
    } finally {
      slow.terminate();
      reader.close();
    }
  }, 90_000);

  it('a message larger than any project closes that connection with 1009; smaller ones are answered, and the host stays up', async () => {
    const small = await startBrowserHost({
      workspace,
      rendererDir,
      version: '9.9.9',
      dataDir: join(workspace, '.data-small'),
      maxMessageBytes: 64 * 1024,
    });
    try {
      const socket = await connect(small.token, {}, small.port);
      // Just under the limit: an answer (a refusal of the unknown field, but an answer).
      const under = await call(socket, 'app:info', { pad: 'x'.repeat(60_000) });
      expect(typeof under.error === 'string' || under.ok !== undefined).toBe(true);
      // Refused at once, or not at all: -1 if the connection is still open after 10 s.
      const closed = new Promise<number>((resolve) => {
        socket.once('close', (code) => resolve(code));
        setTimeout(() => resolve(-1), 10_000);
      });
      socket.send(JSON.stringify({ id: 1, channel: 'app:info', payload: { pad: 'x'.repeat(70_000) } }));
      expect(await closed).toBe(1009);
      const again = await connect(small.token, {}, small.port);
      expect(await call(again, 'app:info', {})).toMatchObject({ ok: { version: '9.9.9' } });
      again.close();
    } finally {
      await small.close();
    }
  });

  it('by default the limit is what a project can be: a frame announcing one byte more is refused from its header', async () => {
    // A raw client: the upgrade by hand, then only the header of a frame of MAX_MESSAGE_BYTES + 1.
    const socket = connectTcp(host.port, '127.0.0.1');
    const data: Buffer[] = [];
    socket.on('data', (chunk) => data.push(chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `GET /ipc?token=${encodeURIComponent(host.token)} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    while (!Buffer.concat(data).includes('\r\n\r\n')) await new Promise((r) => setTimeout(r, 10));
    const response = Buffer.concat(data);
    expect(response.toString('latin1')).toMatch(/^HTTP\/1\.1 101/);
    data.length = 0;
    data.push(response.subarray(response.indexOf('\r\n\r\n') + 4));
    const header = Buffer.alloc(14);
    header[0] = 0x81; // final frame, text
    header[1] = 0x80 | 127; // masked, 64-bit length
    header.writeBigUInt64BE(BigInt(MAX_MESSAGE_BYTES + 1), 2);
    socket.write(header); // the mask key (four zero bytes) ends the header; no payload follows
    const end = Date.now() + 10_000;
    while (Buffer.concat(data).length < 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    const frame = Buffer.concat(data);
    socket.destroy();
    expect(frame[0]).toBe(0x88); // a close frame...
    expect(frame.readUInt16BE(2)).toBe(1009); // ...saying "message too big"
  });
});

/** The project with its two dense hidden layers widened to `units` each, small fixed weights. */
function widen(project: unknown, units: number) {
  const copy = structuredClone(project) as {
    graph: {
      nodes: { id: string; kind: string; units?: number; bias?: unknown }[];
      edges: { source: string; target: string; weight: unknown }[];
    };
  };
  const size = new Map<string, number>();
  for (const node of copy.graph.nodes) {
    if (node.kind === 'dense') {
      node.units = units;
      node.bias = new Array(units).fill(0);
    }
    size.set(node.id, node.kind === 'dense' ? units : 1);
  }
  let k = 0;
  const draw = () => Math.sin(++k * 12.9898) * 0.05;
  for (const edge of copy.graph.edges) {
    const rows = size.get(edge.target)!;
    const columns = size.get(edge.source)!;
    edge.weight = rows === 1 && columns === 1 ? draw() : Array.from({ length: rows }, () => Array.from({ length: columns }, draw));
  }
  return copy;
}

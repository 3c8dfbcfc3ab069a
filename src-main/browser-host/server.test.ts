/**
 * The browser host: loopback only, a per-launch token on the socket, its own origin and Host
 * only, no files outside the built renderer, and the same handlers as the desktop app.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
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

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
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

function connect(token: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${encodeURIComponent(token)}`, { headers });
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
      expect(await call(socket, 'app:info', {})).toEqual({ ok: { version: '9.9.9', host: 'browser', platform: process.platform, workspace } });
      expect(await call(socket, 'project:open', { path: '/etc/passwd' })).toEqual({ error: expect.stringMatching(/outside the workspace folder/) });
      expect(await call(socket, 'nope', {})).toEqual({ error: "Unknown request 'nope'." });
      socket.send('not json');
      const created = await call(socket, 'examples:create', { name: 'xor-sigmoid' });
      const saved = await call(socket, 'project:save', { path: 'x.nnproj', project: created.ok });
      expect(saved).toEqual({ ok: { path: join(workspace, 'x.nnproj') } });
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
      expect(await call(socket, 'training:start', { project, session: 's1' })).toEqual({ ok: { parameters: 67, epoch: 0 } });
      const end = Date.now() + 20_000;
      while (!events.some((e) => e.event === 'training:progress' && (e.payload.epoch ?? 0) > 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(events.some((e) => e.event === 'training:progress' && (e.payload.epoch ?? 0) > 0)).toBe(true);
      await call(socket, 'training:stop', {});
    } finally {
      socket.close();
    }
  });
});

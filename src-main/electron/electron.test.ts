/**
 * The Electron shell with Electron mocked (its binary cannot be downloaded here, and no test may
 * load it): the window's security settings, the sender check on every channel, navigation, new
 * windows and permissions refused, the CSP header, the menu, and files handed over from outside.
 */
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../ipc/contract';
import { menuTemplate, MENU_COMMANDS, type MenuItemSpec } from './menu';
import { DESKTOP_CSP, isAppUrl } from './security';

const fake = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const state = {
    handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
    windows: [] as any[],
    app: null as any,
    lock: true,
    menu: null as unknown,
    permission: null as ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null,
    headers: null as ((details: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void) | null,
    ready: null as null | (() => void),
  };
  class FakeWebContents extends EventEmitter {
    sent: { channel: string; payload: unknown }[] = [];
    mainFrame = { url: '' };
    send(channel: string, payload: unknown) {
      this.sent.push({ channel, payload });
    }
    setWindowOpenHandler(handler: (d: { url: string }) => { action: string }) {
      (this as any).openHandler = handler;
    }
  }
  class FakeWindow extends EventEmitter {
    static getAllWindows = () => state.windows;
    webContents = new FakeWebContents();
    constructor(public options: any) {
      super();
      state.windows.push(this);
    }
    loadURL(url: string) {
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    isMinimized = () => false;
    closed = false;
    close() {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (!prevented) this.closed = true;
    }
    restore() {}
    focus() {}
    show() {}
  }
  const app = Object.assign(new EventEmitter(), {
    getVersion: () => '0.1.0',
    // AppData creates the folder on its first write.
    getPath: () => `${process.env.TMPDIR ?? '/tmp'}/nnstudio-userdata-${process.pid}-${Date.now()}`,
    isReady: () => true,
    requestSingleInstanceLock: () => state.lock,
    quit: vi.fn(),
    whenReady: () => new Promise<void>((resolve) => (state.ready = resolve)),
  });
  state.app = app;
  return { state, FakeWindow, app };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.FakeWindow,
  ipcMain: { handle: (channel: string, handler: never) => fake.state.handlers.set(channel, handler) },
  Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => (fake.state.menu = menu) },
  dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler: never) => (fake.state.permission = handler),
      setPermissionCheckHandler: () => {},
      webRequest: { onHeadersReceived: (handler: never) => (fake.state.headers = handler) },
    },
  },
}));

async function boot() {
  await import('./main');
  fake.state.ready?.();
  await new Promise((r) => setTimeout(r, 0));
  return fake.state.windows[0];
}

describe('desktop shell', () => {
  beforeEach(() => {
    process.argv = [process.argv[0], 'main.js'];
  });

  it('creates the window with every security setting', async () => {
    const window = await boot();
    expect(window.options.webPreferences).toEqual({
      preload: expect.stringMatching(/preload\.cjs$/),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    });
    expect(window.webContents.mainFrame.url).toMatch(/^file:\/\/.*\/renderer\/index\.html$/);
  });

  it('registers every contract channel, and answers only the app’s own main frame', async () => {
    const window = await boot();
    expect([...fake.state.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map((c) => `nnstudio:${c}`).sort());
    const info = fake.state.handlers.get('nnstudio:app:info')!;
    expect(await info({ senderFrame: window.webContents.mainFrame }, {})).toMatchObject({ ok: { host: 'electron' } });
    expect(await info({ senderFrame: { url: 'https://evil.example/' } }, {})).toEqual({ error: expect.stringMatching(/did not come from the NN Studio window/) });
    expect(await info({ senderFrame: null }, {})).toEqual({ error: expect.stringMatching(/did not come from/) });
    expect(await fake.state.handlers.get('nnstudio:training:step')!({ senderFrame: window.webContents.mainFrame }, { unit: 'forever' })).toMatchObject({ error: expect.stringMatching(/Invalid request/) });
  });

  it('denies permissions, sets the CSP header, and builds the menu', async () => {
    await boot();
    let granted: boolean | null = null;
    fake.state.permission!(null, 'camera', (ok) => (granted = ok));
    expect(granted).toBe(false);
    let response: { responseHeaders: Record<string, string[]> } | null = null;
    fake.state.headers!({ responseHeaders: { 'x-a': ['1'] } }, (r) => (response = r as never));
    expect(response!.responseHeaders['Content-Security-Policy']).toEqual([DESKTOP_CSP]);
    const labels = (fake.state.menu as { label?: string }[]).map((m) => m.label);
    expect(labels).toEqual(expect.arrayContaining(['&File', '&Edit', '&View', '&Train', '&Help']));
  });

  it('closing asks the page about unsaved changes first, and closes once it answers', async () => {
    const window = await boot();
    window.close();
    expect(window.closed).toBe(false); // held open…
    expect(window.webContents.sent.at(-1)).toEqual({ channel: 'nnstudio:event:app:close-requested', payload: {} });
    // …until the page has asked Save / Don't Save / Cancel and answers (Cancel never answers).
    expect(await fake.state.handlers.get('nnstudio:app:close')!({ senderFrame: window.webContents.mainFrame }, {})).toEqual({ ok: {} });
    expect(window.closed).toBe(true);
  });

  it('blocks navigation away from the app and every new window', async () => {
    const window = await boot();
    const contents = new (EventEmitter as any)();
    contents.setWindowOpenHandler = (h: never) => (contents.openHandler = h);
    fake.app.emit('web-contents-created', {}, contents);
    expect(contents.openHandler({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    const away = { preventDefault: vi.fn() };
    contents.emit('will-navigate', away, 'https://evil.example');
    expect(away.preventDefault).toHaveBeenCalled();
    const home = { preventDefault: vi.fn() };
    contents.emit('will-navigate', home, window.webContents.mainFrame.url);
    expect(home.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('opens a .nnproj handed over by a second instance or macOS, and grants only that path', async () => {
    const window = await boot();
    fake.app.emit('second-instance', {}, ['nnstudio', '--flag', '/home/u/net.nnproj']);
    fake.app.emit('open-file', { preventDefault: () => {} }, '/home/u/other.nnproj');
    const opens = window.webContents.sent.filter((s: { channel: string }) => s.channel === 'nnstudio:event:project:open-request');
    expect(opens.map((s: { payload: { path: string } }) => s.payload.path)).toEqual(['/home/u/net.nnproj', '/home/u/other.nnproj']);
    // Granted: the handler reads it (and fails only because it does not exist).
    const open = fake.state.handlers.get('nnstudio:project:open')!;
    expect(await open({ senderFrame: window.webContents.mainFrame }, { path: '/home/u/net.nnproj' })).toEqual({ error: expect.stringMatching(/no such file/) });
    expect(await open({ senderFrame: window.webContents.mainFrame }, { path: '/etc/passwd' })).toEqual({ error: expect.stringMatching(/not a file you chose/) });
  });
});

describe('security settings and menu, on their own', () => {
  it('recognises only the app’s own page', () => {
    const index = 'file:///opt/nnstudio/dist/renderer/index.html';
    expect(isAppUrl(index, index)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', index)).toBe(false);
    expect(isAppUrl('https://example.com/dist/renderer/index.html', index)).toBe(false);
    expect(isAppUrl('not a url', index)).toBe(false);
  });

  it('the menu has File, Edit, View, Train and Help with the usual shortcuts, and only known commands', () => {
    const template = menuTemplate('linux', ['/a.nnproj']);
    const items = (list: MenuItemSpec[]): MenuItemSpec[] => list.flatMap((i) => [i, ...items(i.submenu ?? [])]);
    const all = items(template);
    const byLabel = (label: string) => all.find((i) => i.label === label)!;
    expect(byLabel('Open…').accelerator).toBe('CmdOrCtrl+O');
    expect(byLabel('Save As…').accelerator).toBe('CmdOrCtrl+Shift+S');
    expect(byLabel('Undo').accelerator).toBe('CmdOrCtrl+Z');
    expect(byLabel('Start / Pause').command).toBe('train.startPause');
    expect(byLabel('Step One Batch').accelerator).toBe('F10');
    expect(byLabel('Step One Sample').accelerator).toBe('Shift+F10');
    for (const label of ['New', 'Open Recent', 'Save', 'Export…', 'Redo', 'Cut', 'Copy', 'Paste', 'Delete', 'Select All', 'Zoom In', 'Fit to Window', 'Toggle Panels', 'Step One Sample', 'Step One Batch', 'Step One Epoch', 'Full Speed', '2 Steps a Second', 'Reset Weights']) expect(byLabel(label), label).toBeDefined();
    for (const item of all) if (item.command && !item.command.startsWith('file.openRecent:')) expect(MENU_COMMANDS).toContain(item.command);
    expect(menuTemplate('darwin')[0].label).toBe('NN Studio');
  });
});

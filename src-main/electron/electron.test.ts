/**
 * The Electron shell with Electron mocked (its binary cannot be downloaded here, and no test may
 * load it): the window's security settings, the app:// scheme it loads from, the sender check on
 * every channel, navigation, new windows and permissions refused, the CSP header, the menu (with
 * developer items only when not packaged), and files handed over from outside.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../src-shared/contract';
import { isActionId } from '../../src-shared/actions';
import { menuTemplate, type MenuItemSpec } from './menu';
import { APP_INDEX_URL, DESKTOP_CSP, isAppUrl } from './security';

const here = fileURLToPath(new URL('.', import.meta.url));

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
    readyCalled: false,
    privileged: [] as { schemes: unknown; beforeReady: boolean }[],
    protocols: new Map<string, (request: Request) => Promise<Response>>(),
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
    isPackaged: false,
    getVersion: () => '0.1.0',
    // AppData creates the folder on its first write.
    getPath: () => `${process.env.TMPDIR ?? '/tmp'}/nnstudio-userdata-${process.pid}-${Date.now()}`,
    isReady: () => true,
    requestSingleInstanceLock: () => state.lock,
    quit: vi.fn(),
    whenReady: () =>
      new Promise<void>((resolve) => {
        state.ready = () => {
          state.readyCalled = true;
          resolve();
        };
      }),
  });
  state.app = app;
  return { state, FakeWindow, app };
});

/** Every folder the shell asked the app:// handler to serve from. */
const servedFrom = vi.hoisted(() => [] as string[]);
vi.mock('./app-protocol', async (importOriginal) => {
  const original = await importOriginal<typeof import('./app-protocol')>();
  return {
    ...original,
    serveAppRequest: (request: Request, dir: string) => {
      servedFrom.push(dir);
      return original.serveAppRequest(request, dir);
    },
  };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.FakeWindow,
  ipcMain: { handle: (channel: string, handler: never) => fake.state.handlers.set(channel, handler) },
  Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => (fake.state.menu = menu) },
  dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown) => fake.state.privileged.push({ schemes, beforeReady: !fake.state.readyCalled }),
    handle: (scheme: string, handler: never) => fake.state.protocols.set(scheme, handler),
  },
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

const flatten = (list: MenuItemSpec[]): MenuItemSpec[] => list.flatMap((i) => [i, ...flatten(i.submenu ?? [])]);
const roles = (list: MenuItemSpec[]) =>
  flatten(list)
    .map((i) => i.role)
    .filter(Boolean);
const DEVELOPER_ROLES = ['reload', 'forceReload', 'toggleDevTools'];

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
      devTools: true, // not packaged: see the last test for a packaged app
    });
    expect(window.webContents.mainFrame.url).toBe('app://nnstudio/index.html');
  });

  it('serves the page from a privileged app:// scheme, only from the built renderer folder', async () => {
    await boot();
    // Privileges can only be granted before ready, and are exactly these: no bypassCSP.
    expect(fake.state.privileged).toEqual([
      { schemes: [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }], beforeReady: true },
    ]);
    const handler = fake.state.protocols.get('app')!;
    expect(handler).toBeTypeOf('function');
    const escape = await handler(new Request('app://nnstudio/..%2f..%2f..%2fpackage.json'));
    expect(escape.status).toBe(404);
    expect(escape.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    // The folder is the renderer beside the main process's own: dist/renderer beside dist/main.
    expect(servedFrom.at(-1)).toBe(resolve(here, '../renderer'));
  });

  it('registers every contract channel, and answers only the app’s own main frame', async () => {
    const window = await boot();
    expect([...fake.state.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map((c) => `nnstudio:${c}`).sort());
    const info = fake.state.handlers.get('nnstudio:app:info')!;
    expect(await info({ senderFrame: window.webContents.mainFrame }, {})).toMatchObject({ ok: { host: 'electron' } });
    expect(await info({ senderFrame: { url: 'https://evil.example/' } }, {})).toEqual({
      error: expect.stringMatching(/did not come from the NN Studio window/),
    });
    // Even the window's own main frame, once it shows anything but the app's page (file:// included).
    for (const url of ['file:///opt/nnstudio/dist/renderer/index.html', 'app://nnstudio/other.html', 'app://elsewhere/index.html']) {
      window.webContents.mainFrame.url = url;
      expect(await info({ senderFrame: window.webContents.mainFrame }, {}), url).toEqual({
        error: expect.stringMatching(/did not come from/),
      });
    }
    window.webContents.mainFrame.url = APP_INDEX_URL;
    expect(await info({ senderFrame: null }, {})).toEqual({ error: expect.stringMatching(/did not come from/) });
    expect(
      await fake.state.handlers.get('nnstudio:training:step')!({ senderFrame: window.webContents.mainFrame }, { unit: 'forever' }),
    ).toMatchObject({ error: expect.stringMatching(/Invalid request/) });
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
    // Not packaged: the developer's items are there.
    expect(roles(fake.state.menu as MenuItemSpec[])).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
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

  it('blocks navigation away from the app, in any frame or by redirect, and every new window', async () => {
    const window = await boot();
    const contents = new (EventEmitter as any)();
    contents.setWindowOpenHandler = (h: never) => (contents.openHandler = h);
    fake.app.emit('web-contents-created', {}, contents);
    for (const url of ['https://evil.example', APP_INDEX_URL]) expect(contents.openHandler({ url })).toEqual({ action: 'deny' });
    // Electron 45's shapes: the details event carries the url (will-navigate and will-redirect
    // also pass it again, deprecated, as the second argument; will-frame-navigate does not).
    const attempt = (name: string, url: string, extra: Record<string, unknown> = {}) => {
      const event = { url, preventDefault: vi.fn(), ...extra };
      if (name === 'will-frame-navigate') contents.emit(name, event);
      else contents.emit(name, event, url, false, true);
      return event.preventDefault.mock.calls.length > 0;
    };
    const away = [
      'https://evil.example',
      'file:///etc/passwd',
      'file:///opt/nnstudio/dist/renderer/index.html',
      'app://nnstudio/other.html',
      'app://evil/index.html',
      'javascript:alert(1)',
      'not a url',
    ];
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      for (const url of away) expect(attempt(name, url, { isMainFrame: false }), `${name} ${url}`).toBe(true);
      expect(attempt(name, window.webContents.mainFrame.url), `${name} home`).toBe(false);
    }
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
    expect(await open({ senderFrame: window.webContents.mainFrame }, { path: '/home/u/net.nnproj' })).toEqual({
      error: expect.stringMatching(/no such file/),
    });
    expect(await open({ senderFrame: window.webContents.mainFrame }, { path: '/etc/passwd' })).toEqual({
      error: expect.stringMatching(/not a file you chose/),
    });
  });
});

describe('security settings and menu, on their own', () => {
  it('recognises only the app’s own page', () => {
    expect(APP_INDEX_URL).toBe('app://nnstudio/index.html');
    expect(isAppUrl(APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('app://nnstudio/index.html#inspect')).toBe(true);
    for (const url of [
      'file:///opt/nnstudio/dist/renderer/index.html', // the old way in: no longer trusted
      'file:///etc/passwd',
      'https://example.com/index.html',
      'http://nnstudio/index.html',
      'app://nnstudio/',
      'app://nnstudio/assets/index.js',
      'app://nnstudio.evil/index.html',
      'app://evil/index.html',
      'app://user@nnstudio/index.html',
      'not a url',
    ])
      expect(isAppUrl(url), url).toBe(false);
  });

  it('the desktop CSP allows no WebSocket, and the page carries no meta policy that would', () => {
    expect(DESKTOP_CSP).toContain("connect-src 'self'");
    expect(DESKTOP_CSP).not.toMatch(/\bwss?:/);
    expect(DESKTOP_CSP).toContain("script-src 'self'");
    expect(DESKTOP_CSP).toContain("frame-ancestors 'none'");
    // A meta policy applies on top of the header in both hosts; the page's policy is the header's.
    const page = readFileSync(resolve(here, '../../src-renderer/index.html'), 'utf8');
    expect(page).not.toMatch(/<meta[^>]+http-equiv=["']?content-security-policy/i);
    expect(page).not.toMatch(/ws:\/\//);
  });

  it('View has Reload, Force Reload and Developer Tools only for development, with no clashing shortcut', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      expect(roles(menuTemplate(platform, [], { developer: true })), platform).toEqual(expect.arrayContaining(DEVELOPER_ROLES));
      for (const packaged of [menuTemplate(platform), menuTemplate(platform, [], { developer: false })]) {
        for (const role of DEVELOPER_ROLES) expect(roles(packaged), `${platform} ${role}`).not.toContain(role);
      }
      const accelerators = flatten(menuTemplate(platform, ['/a.nnproj'], { developer: true }))
        .map((i) => i.accelerator)
        .filter(Boolean);
      expect(accelerators.length, platform).toBe(new Set(accelerators).size);
    }
  });

  it('the menu has File, Edit, View, Train and Help with the usual shortcuts, and every item does something', () => {
    const template = menuTemplate('linux', ['/a.nnproj']);
    const all = flatten(template);
    const byLabel = (label: string) => all.find((i) => i.label === label)!;
    expect(byLabel('Open…').accelerator).toBe('CmdOrCtrl+O');
    expect(byLabel('Save As…').accelerator).toBe('CmdOrCtrl+Shift+S');
    expect(byLabel('Undo').accelerator).toBe('CmdOrCtrl+Z');
    expect(byLabel('Start / Pause').command).toBe('train.startPause');
    expect(byLabel('Step One Batch').accelerator).toBe('F10');
    expect(byLabel('Step One Sample').accelerator).toBe('Shift+F10');
    for (const label of [
      'New',
      'Open Recent',
      'Save',
      'Export…',
      'Redo',
      'Cut',
      'Copy',
      'Paste',
      'Delete',
      'Select All',
      'Zoom In',
      'Fit to Window',
      'Toggle Panels',
      'Step One Sample',
      'Step One Batch',
      'Step One Epoch',
      'Full Speed',
      '2 Steps a Second',
      'Reset Weights',
    ])
      expect(byLabel(label), label).toBeDefined();
    expect(byLabel('Next Stop  ]').command).toBe('inspect.next'); // a plain key is named, never an accelerator
    expect(byLabel('Next Stop  ]').accelerator).toBeUndefined();
    expect(menuTemplate('darwin')[0].label).toBe('NN Studio');
    expect(flatten(menuTemplate('darwin')).find((i) => i.label === 'Redo')!.accelerator).toBe('Cmd+Shift+Z');
    // Every item is a separator, a role Electron performs, a submenu, a recent file, a notice
    // that cannot be chosen, or an action the renderer performs: no item can be dead.
    for (const platform of ['linux', 'win32', 'darwin'])
      for (const recent of [[], ['/a.nnproj']])
        for (const item of flatten(menuTemplate(platform, recent, { developer: true }))) {
          const live =
            item.type === 'separator' ||
            item.role !== undefined ||
            item.submenu !== undefined ||
            item.enabled === false ||
            (item.command !== undefined && (isActionId(item.command) || item.command === 'file.openRecent:/a.nnproj'));
          expect(live, `${platform}: ${JSON.stringify(item)}`).toBe(true);
        }
    expect(flatten(menuTemplate('linux')).find((i) => i.label === 'No recent projects')!.enabled).toBe(false);
  });
});

// Last: it loads the shell a second time (as a packaged app), which adds a second set of listeners.
describe('packaged desktop shell', () => {
  it('has no DevTools, no reload, and no developer menu items', async () => {
    vi.resetModules();
    fake.app.isPackaged = true;
    const before = fake.state.windows.length;
    await import('./main');
    fake.state.ready?.();
    await new Promise((r) => setTimeout(r, 0));
    const window = fake.state.windows[before];
    expect(window.options.webPreferences.devTools).toBe(false);
    expect(window.options.webPreferences.contextIsolation).toBe(true);
    const menuRoles = roles(fake.state.menu as MenuItemSpec[]);
    expect(menuRoles).toContain('copy'); // the menu is there…
    for (const role of DEVELOPER_ROLES) expect(menuRoles).not.toContain(role); // …without them
  });
});

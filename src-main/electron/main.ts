/**
 * The desktop app's main process: a thin Electron shell around the Electron-free handlers.
 * It creates the one window (its security settings are in createWindow) on a page served over
 * app://nnstudio (app-protocol.ts), the menu from menu.ts, native dialogs, single-instance handling,
 * and registers every contract channel with ipcMain.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session, type MenuItemConstructorOptions, type WebFrameMain } from 'electron';
import { CHANNEL_NAMES, EVENTS, type EventName, type EventOf } from '../../src-shared/contract';
import { createHandlers, dispatch, grantedPathsPolicy } from '../ipc/handlers';
import { TrainingController } from '../../src-shared/host/training-controller';
import { spawnTrainingWorker } from '../training/spawn';
import { framePacedSender } from '../ipc/event-pacing';
import { AppData } from '../files/app-data';
import { menuTemplate, type MenuItemSpec } from './menu';
import { serveAppRequest } from './app-protocol';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, DESKTOP_CSP, isAppUrl } from './security';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Built layout: dist/main/main.js beside preload.cjs, and dist/renderer/index.html. */
const rendererDir = resolve(here, '../renderer');
/** DevTools and reloading are for development only: a packaged app has neither. */
const developer = !app.isPackaged;

// The page comes from app://nnstudio, served from rendererDir only, not from file:// (which would
// let it read any file). Privileges can only be granted before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

let window: BrowserWindow | null = null;
const pendingOpens: string[] = [];

function send<E extends EventName>(event: E, payload: EventOf<E>): void {
  const checked = EVENTS[event].safeParse(payload);
  // An event that does not fit the contract is a bug of ours: say so, never crash the app.
  if (checked.success) window?.webContents.send(`nnstudio:event:${event}`, checked.data);
  else if (event !== 'training:error')
    send('training:error', { message: `NN Studio produced an invalid ${event} event; training may be showing stale numbers.` });
}

const paths = grantedPathsPolicy();
// webContents.send queues without limit for a window that does not keep up: progress goes at
// most once a frame, the latest (see event-pacing.ts).
const training = new TrainingController(
  framePacedSender(send, { now: () => performance.now(), later: (task, ms) => void setTimeout(task, ms) }),
  spawnTrainingWorker,
);

/** File › Open Recent follows the recent list. */
function setMenu(recent: string[]): void {
  for (const path of recent) paths.grant(path);
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronMenu(menuTemplate(process.platform, recent, { developer }))));
}
const data = new AppData(app.getPath('userData'), (recent) => app.isReady() && setMenu(recent));

/** Set once the renderer has dealt with unsaved changes; then the window may really close. */
let closeConfirmed = false;
/** Set by Quit (Cmd+Q, the menu): once the window has closed, the app follows. */
let quitting = false;

const handlers = createHandlers({
  host: 'electron',
  version: app.getVersion(),
  platform: process.platform,
  paths,
  training,
  data,
  closeWindow: () => {
    closeConfirmed = true;
    window?.close();
  },
  dialogs: {
    async chooseProjectToOpen() {
      const result = await dialog.showOpenDialog(window!, {
        properties: ['openFile'],
        filters: [{ name: 'NN Studio projects', extensions: ['nnproj'] }],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseWhereToSave(suggestedName) {
      const result = await dialog.showSaveDialog(window!, {
        defaultPath: suggestedName,
        filters: [{ name: 'NN Studio projects', extensions: ['nnproj'] }],
      });
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  },
});

/** A request is ours only if it comes from the app's own page in the main frame. */
export function isTrustedSender(frame: WebFrameMain | null | undefined): boolean {
  return !!frame && frame === window?.webContents.mainFrame && isAppUrl(frame.url);
}

for (const channel of CHANNEL_NAMES) {
  ipcMain.handle(`nnstudio:${channel}`, (event, payload) => dispatch(handlers, channel, payload, isTrustedSender(event.senderFrame)));
}

/** A .nnproj named on the command line, by the file manager or a second instance. */
function projectArgument(argv: string[]): string | null {
  return argv.slice(1).find((arg) => arg.toLowerCase().endsWith('.nnproj') && !arg.startsWith('-')) ?? null;
}

function requestOpen(path: string): void {
  const full = resolve(path);
  paths.grant(full);
  if (window) send('project:open-request', { path: full });
  else pendingOpens.push(full);
}

function toElectronMenu(items: MenuItemSpec[]): MenuItemConstructorOptions[] {
  return items.map((item) => ({
    label: item.label,
    accelerator: item.accelerator,
    role: item.role as MenuItemConstructorOptions['role'],
    type: item.type,
    enabled: item.enabled,
    submenu: item.submenu ? toElectronMenu(item.submenu) : undefined,
    click: item.command ? () => send('menu:command', { command: item.command! }) : undefined,
  }));
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'NN Studio',
    show: false,
    // Electron's security checklist, all of it here: an isolated, sandboxed page with no Node,
    // no remote content, no webviews, no middle-click navigation.
    webPreferences: {
      // Electronegativity asks to review preload scripts: ours is our own, sandboxed, and exposes
      // only the contract's named channels through contextBridge (see preload.ts).
      preload: join(here, 'preload.cjs'), // eng-disable PRELOAD_JS_CHECK
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
      devTools: developer,
    },
  });
  window.once('ready-to-show', () => window?.show());
  closeConfirmed = false;
  // Closing asks the page first: it prompts Save / Don't Save / Cancel when there are unsaved
  // changes and answers with app:close (see closeWindow above); Cancel simply never answers.
  window.on('close', (event) => {
    if (closeConfirmed) return;
    event.preventDefault();
    send('app:close-requested', {});
  });
  window.on('closed', () => {
    window = null;
  });
  window.webContents.on('did-finish-load', () => {
    for (const path of pendingOpens.splice(0)) send('project:open-request', { path });
  });
  void window.loadURL(APP_INDEX_URL);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    // A relative path means relative to where the second instance was started.
    const path = projectArgument(argv);
    if (path) requestOpen(resolve(workingDirectory, path));
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  // macOS hands over files this way, possibly before the app is ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    requestOpen(path);
  });

  app.on('web-contents-created', (_event, contents) => {
    // No new windows, no webviews, and no frame may leave the app's page: not by a link or
    // `location` (will-navigate for the main frame, will-frame-navigate for any frame), nor by a
    // server redirect (will-redirect). Each is registered by name so Electronegativity sees it.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    const stayHome = (event: { url: string; preventDefault(): void }) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    };
    contents.on('will-navigate', stayHome);
    contents.on('will-frame-navigate', stayHome);
    contents.on('will-redirect', stayHome);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir));
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    // The app:// handler sends the CSP itself; this covers any response that does not come from it.
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DESKTOP_CSP] } });
    });
    setMenu([]);
    void data
      .recent()
      .then(({ paths: recent }) => setMenu(recent))
      .catch(() => undefined);
    const path = projectArgument(process.argv);
    if (path) requestOpen(path);
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('before-quit', (event) => {
    if (window && !closeConfirmed) {
      event.preventDefault();
      quitting = true;
      window.close(); // asks the page, as closing the window does
    }
  });
  app.on('window-all-closed', () => {
    void training.dispose();
    if (process.platform !== 'darwin' || quitting) app.quit();
  });
}

/**
 * The application menu as a template, built without Electron so tests can read it. Each item
 * sends a command to the renderer, which performs it (so menu, toolbar and shortcuts share one
 * action), except the few Electron performs itself (roles).
 */

export interface MenuItemSpec {
  label?: string;
  accelerator?: string;
  role?: string;
  type?: 'separator';
  command?: string;
  submenu?: MenuItemSpec[];
}

/** The commands the renderer handles, by menu. */
export const MENU_COMMANDS = [
  'file.new', 'file.open', 'file.save', 'file.saveAs', 'file.revert', 'file.export',
  'edit.undo', 'edit.redo', 'edit.delete', 'edit.duplicate', 'edit.selectAll',
  'view.zoomIn', 'view.zoomOut', 'view.fit', 'view.togglePanels',
  'train.startPause', 'train.step', 'train.stepSample', 'train.stepEpoch', 'train.reset',
  'train.speed.full', 'train.speed.100', 'train.speed.10', 'train.speed.2',
  'inspect.toggle', 'inspect.next', 'inspect.previous', 'inspect.apply',
  'help.about', 'help.lecture',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface MenuOptions {
  /**
   * Add Reload, Force Reload and Toggle Developer Tools to View: for development only, never in a
   * packaged app (main.ts passes `!app.isPackaged`). Off unless asked for.
   */
  developer?: boolean;
}

/** The menu template; `recent` lists recently opened files for File › Open Recent. */
export function menuTemplate(platform: string, recent: string[] = [], options: MenuOptions = {}): MenuItemSpec[] {
  const mac = platform === 'darwin';
  const sep: MenuItemSpec = { type: 'separator' };
  // Force Reload's own accelerator (Shift+CmdOrCtrl+R) is Reset Weights here, so it gets another.
  const developerItems: MenuItemSpec[] = options.developer
    ? [sep, { role: 'reload', accelerator: 'CmdOrCtrl+R' }, { role: 'forceReload', accelerator: 'CmdOrCtrl+Alt+R' }, { role: 'toggleDevTools', accelerator: mac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I' }]
    : [];
  return [
    ...(mac ? [{ label: 'NN Studio', submenu: [{ role: 'about' }, sep, { role: 'hide' }, { role: 'hideOthers' }, sep, { role: 'quit' }] }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New', accelerator: 'CmdOrCtrl+N', command: 'file.new' },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', command: 'file.open' },
        { label: 'Open Recent', submenu: recent.length ? recent.map((path) => ({ label: path, command: `file.openRecent:${path}` })) : [{ label: 'No recent projects' }] },
        sep,
        { label: 'Save', accelerator: 'CmdOrCtrl+S', command: 'file.save' },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', command: 'file.saveAs' },
        { label: 'Revert', command: 'file.revert' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', command: 'file.export' },
        ...(mac ? [] : [sep, { role: 'quit' }]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', command: 'edit.undo' },
        { label: 'Redo', accelerator: mac ? 'Cmd+Shift+Z' : 'Ctrl+Y', command: 'edit.redo' },
        sep,
        // Clipboard items are roles: they work in every text field, and reach the canvas as the
        // page's own cut, copy, paste and select-all events.
        { label: 'Cut', accelerator: 'CmdOrCtrl+X', role: 'cut' },
        { label: 'Copy', accelerator: 'CmdOrCtrl+C', role: 'copy' },
        { label: 'Paste', accelerator: 'CmdOrCtrl+V', role: 'paste' },
        { label: 'Delete', accelerator: 'Delete', command: 'edit.delete' },
        sep,
        { label: 'Duplicate', accelerator: 'CmdOrCtrl+D', command: 'edit.duplicate' },
        // Select All is ours: it selects the whole network, or a text field's text when one has focus.
        { label: 'Select All', accelerator: 'CmdOrCtrl+A', command: 'edit.selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Zoom In', accelerator: 'CmdOrCtrl+=', command: 'view.zoomIn' },
        { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', command: 'view.zoomOut' },
        { label: 'Fit to Window', accelerator: 'CmdOrCtrl+0', command: 'view.fit' },
        sep,
        { label: 'Toggle Panels', accelerator: 'CmdOrCtrl+\\', command: 'view.togglePanels' },
        ...developerItems,
      ],
    },
    {
      label: '&Train',
      submenu: [
        { label: 'Start / Pause', accelerator: 'F5', command: 'train.startPause' },
        { label: 'Step One Sample', accelerator: 'Shift+F10', command: 'train.stepSample' },
        { label: 'Step One Batch', accelerator: 'F10', command: 'train.step' },
        { label: 'Step One Epoch', accelerator: 'CmdOrCtrl+F10', command: 'train.stepEpoch' },
        {
          label: 'Speed',
          submenu: [
            { label: 'Full Speed', command: 'train.speed.full' },
            { label: '100 Steps a Second', command: 'train.speed.100' },
            { label: '10 Steps a Second', command: 'train.speed.10' },
            { label: '2 Steps a Second', command: 'train.speed.2' },
          ],
        },
        sep,
        // No accelerators for ] and [: a plain-key accelerator would swallow them in text fields;
        // the renderer handles those keys outside fields.
        { label: 'Inspect Backprop', accelerator: 'CmdOrCtrl+I', command: 'inspect.toggle' },
        { label: 'Next Stop  ]', command: 'inspect.next' },
        { label: 'Previous Stop  [', command: 'inspect.previous' },
        { label: 'Apply and Next Sample  }', command: 'inspect.apply' },
        sep,
        { label: 'Reset Weights', accelerator: 'CmdOrCtrl+Shift+R', command: 'train.reset' },
      ],
    },
    {
      label: '&Help',
      submenu: [
        { label: 'The Lecture’s Notation', command: 'help.lecture' },
        { label: 'About NN Studio', command: 'help.about' },
      ],
    },
  ];
}

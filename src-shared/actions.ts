/**
 * The app's actions as data: what each is called, its keys, and where the menus show it. The
 * desktop menu (src-main/electron/menu.ts), the browser's menu bar, the keyboard, the toolbar and
 * the command palette are all built from this one table; the renderer's `PERFORMERS`
 * (src-renderer/src/app/actions.ts) says how each is done. Pure TypeScript, shared by both sides.
 *
 * Keys use Electron's accelerator syntax (`CmdOrCtrl+Shift+S`, `F10`, `Shift+F10`): the first
 * key of an action is its menu accelerator, the others work from the keyboard too.
 */

/** One action's description. */
export interface ActionDescriptor {
  /** The menu's wording (also the palette's). */
  readonly label: string;
  /** The toolbar button's text, where the toolbar has one and its text is shorter than the label. */
  readonly button?: string;
  /** What it does, in a phrase: the toolbar's tooltip and the palette's second line. */
  readonly description: string;
  /** Accelerators; the first is the menu's. */
  readonly keys?: readonly string[];
  /** The accelerators on macOS, where they differ from `keys`. */
  readonly macKeys?: readonly string[];
  /**
   * Keys with no modifier that would swallow typing as menu accelerators: the renderer handles
   * them itself, only outside text fields and only while the action is enabled.
   */
  readonly plainKeys?: readonly string[];
  /**
   * The keys are also a text field's own editing keys (Undo, Select All, Delete): in a text field
   * the field keeps them, and the action runs from them only elsewhere.
   */
  readonly fieldKeys?: boolean;
  /** Listed in the command palette; true unless said otherwise. */
  readonly palette?: boolean;
}

/** Every action the app has. The order is the palette's. */
export const ACTIONS = {
  'file.new': {
    label: 'New',
    keys: ['CmdOrCtrl+N'],
    description: 'Start an empty canvas (the toolbar’s New… also offers the lecture’s examples)',
  },
  'file.open': { label: 'Open…', button: 'Open', keys: ['CmdOrCtrl+O'], description: 'Open a project' },
  'file.save': { label: 'Save', keys: ['CmdOrCtrl+S'], description: 'Save the project' },
  'file.saveAs': { label: 'Save As…', keys: ['CmdOrCtrl+Shift+S'], description: 'Save the project to a new file' },
  'file.revert': { label: 'Revert', description: 'Drop the unsaved changes and reload the file' },
  'file.export': { label: 'Export…', keys: ['CmdOrCtrl+E'], description: 'Export the model, its weights or a picture of the network' },
  'file.copyLink': { label: 'Copy Link', description: 'Copy a link that opens a copy of this project (nothing is uploaded)' },
  'edit.undo': { label: 'Undo', button: 'Undo', keys: ['CmdOrCtrl+Z'], fieldKeys: true, description: 'Undo the last edit' },
  'edit.redo': {
    label: 'Redo',
    button: 'Redo',
    keys: ['CmdOrCtrl+Y', 'CmdOrCtrl+Shift+Z'],
    macKeys: ['Cmd+Shift+Z', 'Cmd+Y'],
    fieldKeys: true,
    description: 'Redo the edit undone last',
  },
  // Backspace is the Mac keyboard's Delete key.
  'edit.delete': {
    label: 'Delete',
    keys: ['Delete'],
    plainKeys: ['Backspace'],
    fieldKeys: true,
    description: 'Delete the selected units and edges',
  },
  'edit.duplicate': { label: 'Duplicate', keys: ['CmdOrCtrl+D'], description: 'Copy the selection next to itself' },
  // Select All selects the whole network, or a text field's text when one has focus.
  'edit.selectAll': { label: 'Select All', keys: ['CmdOrCtrl+A'], fieldKeys: true, description: 'Select every unit and edge' },
  'edit.layout': { label: 'Lay Out in Layers', button: 'Layout', description: 'Lay the network out in layers: inputs left, outputs right' },
  'build.inputsFromData': {
    label: 'Inputs from Data',
    description: 'Add an input for every feature of the data that no input reads yet',
  },
  'build.outputsForTargets': {
    label: 'Outputs for Targets',
    description: 'Add the outputs the data’s targets call for (sigmoid, softmax or linear) and choose the loss',
  },
  'build.newNetwork': {
    label: 'New Network for This Data…',
    button: 'New network…',
    description: 'Build a whole network for the data: its inputs, hidden layers you choose, and the outputs its targets call for',
  },
  'view.zoomIn': { label: 'Zoom In', keys: ['CmdOrCtrl+=', 'CmdOrCtrl+Plus'], description: 'Zoom the canvas in' },
  'view.zoomOut': { label: 'Zoom Out', keys: ['CmdOrCtrl+-'], description: 'Zoom the canvas out' },
  'view.fit': { label: 'Fit to Window', button: 'Fit', keys: ['CmdOrCtrl+0'], description: 'Fit the network in view' },
  'view.togglePanels': { label: 'Toggle Panels', keys: ['CmdOrCtrl+\\'], description: 'Show or hide the side panel and the curves' },
  'view.commandPalette': {
    label: 'Command Palette…',
    keys: ['CmdOrCtrl+Shift+P'],
    palette: false,
    description: 'Find any action by name and run it',
  },
  'train.startPause': { label: 'Start / Pause', keys: ['F5'], description: 'Train, or pause the training' },
  'train.stepSample': {
    label: 'Step One Sample',
    button: 'Step sample',
    keys: ['Shift+F10'],
    description: 'One training step on one sample',
  },
  'train.stepBatch': { label: 'Step One Batch', button: 'Step batch', keys: ['F10'], description: 'One training step on one batch' },
  'train.stepEpoch': {
    label: 'Step One Epoch',
    button: 'Step epoch',
    keys: ['CmdOrCtrl+F10'],
    description: 'Train to the end of the epoch',
  },
  'train.speed.full': { label: 'Full Speed', description: 'Train as fast as the machine can' },
  'train.speed.100': { label: '100 Steps a Second', description: 'Slow training to 100 steps (batches) a second' },
  'train.speed.10': { label: '10 Steps a Second', description: 'Slow training to 10 steps (batches) a second, to watch them' },
  'train.speed.2': { label: '2 Steps a Second', description: 'Slow training to 2 steps (batches) a second, to watch each one' },
  'inspect.toggle': {
    label: 'Inspect Backprop',
    button: 'Inspect',
    keys: ['CmdOrCtrl+I'],
    description: 'Step through one training step unit by unit: forward, loss, backward, update',
  },
  'inspect.next': { label: 'Next Stop', plainKeys: [']'], description: 'The inspector’s next stop' },
  'inspect.previous': { label: 'Previous Stop', plainKeys: ['['], description: 'The inspector’s previous stop' },
  'inspect.first': { label: 'First Stop', plainKeys: ['Home'], description: 'Back to the inspector’s first stop' },
  'inspect.last': { label: 'Last Stop', plainKeys: ['End'], description: 'On to the inspector’s last stop, the update' },
  'inspect.apply': { label: 'Apply and Next Sample', plainKeys: ['}'], description: 'Apply the traced update and trace the next sample' },
  'train.reset': {
    label: 'Reset Weights',
    button: 'Reset',
    keys: ['CmdOrCtrl+Shift+R'],
    description: 'Re-initialise the weights with the seed',
  },
  'help.lecture': {
    label: 'The Lecture’s Notation',
    button: 'Notation',
    keys: ['F1'],
    description: 'The lecture’s notation: s, z, δ, η, φ′ and the formulas the inspector uses',
  },
  'help.learn': {
    label: 'Learn',
    button: 'Learn',
    keys: ['F2'],
    description: 'The course: lessons that follow the lecture, with tasks the app checks, hints and solutions',
  },
  'help.shortcuts': { label: 'Keyboard Shortcuts', plainKeys: ['?'], description: 'Every key of the app, grouped by menu' },
  'help.about': { label: 'About NN Studio', description: 'The version, and where the app runs' },
} as const satisfies Record<string, ActionDescriptor>;

/** An action's name, as the menu sends it and the renderer performs it. */
export type ActionId = keyof typeof ACTIONS;

/** Every action's id, in the table's order. */
export const ACTION_IDS = Object.keys(ACTIONS) as ActionId[];

/** An action's descriptor, typed as the interface (the table's literal types are narrower). */
export function action(id: ActionId): ActionDescriptor {
  return ACTIONS[id];
}

/** Whether a string (from the menu, over IPC) names an action. */
export function isActionId(name: string): name is ActionId {
  return Object.prototype.hasOwnProperty.call(ACTIONS, name);
}

/** The roles Electron performs itself, which the layout may place. */
export type MenuRole = 'about' | 'hide' | 'hideOthers' | 'quit' | 'cut' | 'copy' | 'paste' | 'reload' | 'forceReload' | 'toggleDevTools';

/** An item Electron performs itself (and the browser's menu bar, where a page can). */
export interface RoleEntry {
  readonly role: MenuRole;
  readonly label?: string;
  readonly keys?: string;
  readonly macKeys?: string;
  /** Only on macOS, or everywhere but macOS. */
  readonly only?: 'mac' | 'notMac';
  /** Only in an unpackaged app (Reload, DevTools). */
  readonly developer?: boolean;
}

/** One entry of a menu: an action, a role, a submenu, or File › Open Recent (filled in from the recent list). */
export type MenuEntry =
  ActionId | RoleEntry | { readonly submenu: string; readonly groups: readonly (readonly MenuEntry[])[] } | { readonly recent: true };

/** A top-level menu: groups of entries, with a separator between groups that show. */
export interface MenuLayout {
  /** With `&` before the access key, as Electron takes it. */
  readonly label: string;
  readonly only?: 'mac';
  readonly groups: readonly (readonly MenuEntry[])[];
}

/** The menus, in order. */
export const MENUS: readonly MenuLayout[] = [
  { label: 'NN Studio', only: 'mac', groups: [[{ role: 'about' }], [{ role: 'hide' }, { role: 'hideOthers' }], [{ role: 'quit' }]] },
  {
    label: '&File',
    groups: [
      ['file.new', 'file.open', { recent: true }],
      ['file.save', 'file.saveAs', 'file.revert', 'file.export', 'file.copyLink'],
      [{ role: 'quit', only: 'notMac' }],
    ],
  },
  {
    label: '&Edit',
    groups: [
      ['edit.undo', 'edit.redo'],
      // Clipboard items are roles: they work in every text field, and reach the canvas as the
      // page's own cut, copy, paste and select-all events.
      [
        { role: 'cut', label: 'Cut', keys: 'CmdOrCtrl+X' },
        { role: 'copy', label: 'Copy', keys: 'CmdOrCtrl+C' },
        { role: 'paste', label: 'Paste', keys: 'CmdOrCtrl+V' },
        'edit.delete',
      ],
      ['edit.duplicate', 'edit.selectAll'],
      ['edit.layout'],
      ['build.inputsFromData', 'build.outputsForTargets', 'build.newNetwork'],
    ],
  },
  {
    label: '&View',
    groups: [
      ['view.zoomIn', 'view.zoomOut', 'view.fit'],
      ['view.togglePanels', 'view.commandPalette'],
      // Force Reload's own accelerator (Shift+CmdOrCtrl+R) is Reset Weights here, so it gets another.
      [
        { role: 'reload', keys: 'CmdOrCtrl+R', developer: true },
        { role: 'forceReload', keys: 'CmdOrCtrl+Alt+R', developer: true },
        { role: 'toggleDevTools', keys: 'Ctrl+Shift+I', macKeys: 'Alt+Cmd+I', developer: true },
      ],
    ],
  },
  {
    label: '&Train',
    groups: [
      [
        'train.startPause',
        'train.stepSample',
        'train.stepBatch',
        'train.stepEpoch',
        { submenu: 'Speed', groups: [['train.speed.full', 'train.speed.100', 'train.speed.10', 'train.speed.2']] },
      ],
      ['inspect.toggle', 'inspect.next', 'inspect.previous', 'inspect.first', 'inspect.last', 'inspect.apply'],
      ['train.reset'],
    ],
  },
  { label: '&Help', groups: [['help.learn', 'help.lecture', 'help.shortcuts', 'help.about']] },
];

/** A menu entry for one platform, separators placed: what a menu builder walks. */
export type ResolvedItem =
  | { readonly kind: 'action'; readonly id: ActionId }
  | { readonly kind: 'role'; readonly role: MenuRole; readonly label?: string; readonly accelerator?: string }
  | { readonly kind: 'separator' }
  | { readonly kind: 'submenu'; readonly label: string; readonly items: readonly ResolvedItem[] }
  | { readonly kind: 'recent' };

/** A top-level menu for one platform. */
export interface ResolvedMenu {
  readonly label: string;
  readonly items: readonly ResolvedItem[];
}

export interface ResolveOptions {
  /** Keep the developer's roles (Reload, DevTools). */
  developer?: boolean;
  /** Which roles to keep (the browser's menu bar keeps only those a page can perform). */
  keepRole?: (role: MenuRole) => boolean;
  /** Leave out the macOS application menu (the browser has none). */
  noAppMenu?: boolean;
}

const isMac = (platform: string) => platform === 'darwin';

function resolveGroups(groups: readonly (readonly MenuEntry[])[], platform: string, options: ResolveOptions): ResolvedItem[] {
  const out: ResolvedItem[] = [];
  for (const group of groups) {
    const items: ResolvedItem[] = [];
    for (const entry of group) {
      if (typeof entry === 'string') items.push({ kind: 'action', id: entry });
      else if ('recent' in entry) items.push({ kind: 'recent' });
      else if ('submenu' in entry)
        items.push({ kind: 'submenu', label: entry.submenu, items: resolveGroups(entry.groups, platform, options) });
      else {
        if (entry.developer && !options.developer) continue;
        if (entry.only === 'mac' && !isMac(platform)) continue;
        if (entry.only === 'notMac' && isMac(platform)) continue;
        if (options.keepRole && !options.keepRole(entry.role)) continue;
        const accelerator = (isMac(platform) && entry.macKeys) || entry.keys;
        items.push({
          kind: 'role',
          role: entry.role,
          ...(entry.label ? { label: entry.label } : {}),
          ...(accelerator ? { accelerator } : {}),
        });
      }
    }
    // A group left empty on this platform leaves no separator behind.
    if (items.length === 0) continue;
    if (out.length > 0) out.push({ kind: 'separator' });
    for (const item of items) out.push(item);
  }
  return out;
}

/** The menus as they show on `platform` (Node's `process.platform` names: darwin, linux, win32). */
export function resolveMenus(platform: string, options: ResolveOptions = {}): ResolvedMenu[] {
  return MENUS.filter((menu) => !(menu.only === 'mac' && (!isMac(platform) || options.noAppMenu))).map((menu) => ({
    label: menu.label,
    items: resolveGroups(menu.groups, platform, options),
  }));
}

/** An action's accelerators on `platform` (macKeys on macOS where given). */
export function keysFor(id: ActionId, platform: string): readonly string[] {
  const descriptor = action(id);
  return (isMac(platform) && descriptor.macKeys) || descriptor.keys || [];
}

/** Every accelerator an action answers to on any platform (the renderer cannot trust its guess of the platform). */
export function allKeysOf(id: ActionId): readonly string[] {
  const descriptor = action(id);
  const keys = [...(descriptor.keys ?? [])];
  for (const key of descriptor.macKeys ?? []) if (!keys.includes(key)) keys.push(key);
  return keys;
}

/** Where the menus show an action, e.g. ['Train', 'Speed']; null if no menu does. */
export function menuPathOf(id: ActionId): string[] | null {
  const search = (groups: readonly (readonly MenuEntry[])[], path: string[]): string[] | null => {
    for (const group of groups)
      for (const entry of group) {
        if (entry === id) return path;
        if (typeof entry === 'object' && 'submenu' in entry) {
          const found = search(entry.groups, [...path, entry.submenu]);
          if (found) return found;
        }
      }
    return null;
  };
  for (const menu of MENUS) {
    const found = search(menu.groups, [plainLabel(menu.label)]);
    if (found) return found;
  }
  return null;
}

/** A menu label without its access-key marker: '&File' → 'File'. */
export function plainLabel(label: string): string {
  return label.replace(/&(.)/g, '$1');
}

/** A menu label's access key, lower case: '&File' → 'f'; null if it has none. */
export function accessKey(label: string): string | null {
  const match = /&(\w)/.exec(label);
  return match ? match[1].toLowerCase() : null;
}

/**
 * An accelerator as the user reads it: `CmdOrCtrl+Shift+S` is "Ctrl+Shift+S", or "⇧⌘S" on macOS;
 * `CmdOrCtrl+Plus` is "Ctrl++".
 */
export function formatAccelerator(accelerator: string, platform: string): string {
  const mac = isMac(platform);
  const parts = accelerator.split(/\+(?!$)/).map((part) => (part === 'Plus' ? '+' : part));
  const key = parts.pop() ?? '';
  const names: Record<string, string> = mac
    ? { CmdOrCtrl: '⌘', CommandOrControl: '⌘', Cmd: '⌘', Command: '⌘', Ctrl: '⌃', Control: '⌃', Alt: '⌥', Option: '⌥', Shift: '⇧' }
    : {
        CmdOrCtrl: 'Ctrl',
        CommandOrControl: 'Ctrl',
        Cmd: 'Meta',
        Command: 'Meta',
        Ctrl: 'Ctrl',
        Control: 'Ctrl',
        Alt: 'Alt',
        Option: 'Alt',
        Shift: 'Shift',
      };
  const modifiers = parts.map((part) => names[part] ?? part);
  if (mac) {
    // macOS writes modifiers in the order ⌃⌥⇧⌘, with no separators.
    const order = ['⌃', '⌥', '⇧', '⌘'];
    modifiers.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    return modifiers.join('') + key;
  }
  return [...modifiers, key].join('+');
}

/** The shortcut an action shows (its first accelerator, else its first plain key), or null. */
export function shortcutOf(id: ActionId, platform: string): string | null {
  const key = keysFor(id, platform)[0];
  if (key) return formatAccelerator(key, platform);
  return action(id).plainKeys?.[0] ?? null;
}

/**
 * The action table and everything built from it: every menu entry is an action, every action is
 * reachable and has a performer, no two share a key on any platform, every key reaches its action
 * (and a text field keeps its own), and the palette finds actions by name, part or initials.
 */
import { describe, expect, it } from 'vitest';
import { compileGraph, findExample } from '../../../engine/src/index';
import {
  ACTIONS,
  ACTION_IDS,
  MENUS,
  action,
  allKeysOf,
  formatAccelerator,
  isActionId,
  keysFor,
  menuPathOf,
  resolveMenus,
  shortcutOf,
  type ActionId,
  type MenuEntry,
  type ResolvedItem,
} from '../../../src-shared/actions';
import { PERFORMERS, runAction, runMenuCommand, whyDisabled, type ActionContext } from './actions';
import { initials, search } from './command-search';
import { matchesAccelerator, parseAccelerator, shortcutFor, type KeyPress } from './keys';

const PLATFORMS = ['linux', 'win32', 'darwin'];

/** Every string entry of the layout, submenus included, and every role entry's keys. */
function layoutEntries(): { ids: string[]; roles: { keys?: string; macKeys?: string }[] } {
  const ids: string[] = [];
  const roles: { keys?: string; macKeys?: string }[] = [];
  const walk = (groups: readonly (readonly MenuEntry[])[]) => {
    for (const group of groups)
      for (const entry of group) {
        if (typeof entry === 'string') ids.push(entry);
        else if ('submenu' in entry) walk(entry.groups);
        else if ('role' in entry) roles.push(entry);
      }
  };
  for (const menu of MENUS) walk(menu.groups);
  return { ids, roles };
}

const flatten = (items: readonly ResolvedItem[]): ResolvedItem[] =>
  items.flatMap((i) => (i.kind === 'submenu' ? [i, ...flatten(i.items)] : [i]));

/**
 * An accelerator as one platform's menu reads it: CmdOrCtrl is Cmd on macOS and Ctrl elsewhere,
 * modifiers in a fixed order, the key in upper case ("Plus" is "+").
 */
function normaliseFor(accelerator: string, platform: string): string {
  const parts = accelerator.split(/\+(?!$)/);
  const key = parts
    .pop()!
    .replace(/^Plus$/, '+')
    .toUpperCase();
  const names: Record<string, string> = {
    cmdorctrl: platform === 'darwin' ? 'Cmd' : 'Ctrl',
    commandorcontrol: platform === 'darwin' ? 'Cmd' : 'Ctrl',
    cmd: 'Cmd',
    command: 'Cmd',
    ctrl: 'Ctrl',
    control: 'Ctrl',
    alt: 'Alt',
    option: 'Alt',
    shift: 'Shift',
  };
  const modifiers = parts.map((p) => names[p.toLowerCase()] ?? p).sort();
  return [...modifiers, key].join('+');
}

/** The key press an accelerator describes (Ctrl for CmdOrCtrl; Cmd where it says Cmd). */
function pressOf(accelerator: string): KeyPress {
  const parsed = parseAccelerator(accelerator);
  const cmd = /(^|\+)(Cmd|Command)\+/.test(accelerator);
  const letter = /^[a-z]$/i.test(parsed.key);
  return {
    key: letter ? (parsed.shift ? parsed.key.toUpperCase() : parsed.key.toLowerCase()) : parsed.key,
    code: letter ? `Key${parsed.key.toUpperCase()}` : undefined,
    ctrlKey: parsed.mod && !cmd,
    metaKey: parsed.mod && cmd,
    altKey: parsed.alt,
    shiftKey: parsed.shift,
  };
}

const press = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...modifiers,
});

describe('the menus and the table', () => {
  it('every id in the menu layout is an action, and no action is in the menus twice', () => {
    const { ids } = layoutEntries();
    expect(ids.length).toBeGreaterThan(20);
    for (const id of ids) expect(isActionId(id), id).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every action is reachable from a menu or the palette, and the palette itself from the menu', () => {
    for (const id of ACTION_IDS) expect(menuPathOf(id) !== null || action(id).palette !== false, id).toBe(true);
    expect(menuPathOf('view.commandPalette')).toEqual(['View']);
    expect(menuPathOf('train.speed.2')).toEqual(['Train', 'Speed']);
    expect(keysFor('view.commandPalette', 'linux')).toContain('CmdOrCtrl+Shift+P');
  });

  it('every action has a performer in the renderer, and the renderer performs nothing else', () => {
    expect(Object.keys(PERFORMERS).sort()).toEqual([...ACTION_IDS].sort());
    for (const id of ACTION_IDS) {
      expect(typeof PERFORMERS[id].enabled, id).toBe('function');
      expect(typeof PERFORMERS[id].perform, id).toBe('function');
    }
  });

  it('lays out every platform without stray separators, and the browser’s bar without roles a page cannot perform', () => {
    for (const platform of PLATFORMS)
      for (const options of [{}, { developer: true }, { noAppMenu: true, keepRole: (r: string) => ['cut', 'copy', 'paste'].includes(r) }]) {
        const menus = resolveMenus(platform, options);
        for (const menu of menus) {
          const check = (items: readonly ResolvedItem[]) => {
            expect(items.length, menu.label).toBeGreaterThan(0);
            expect(items[0].kind, menu.label).not.toBe('separator');
            expect(items.at(-1)!.kind, menu.label).not.toBe('separator');
            items.forEach((item, i) => i > 0 && item.kind === 'separator' && expect(items[i - 1].kind, menu.label).not.toBe('separator'));
            for (const item of items) if (item.kind === 'submenu') check(item.items);
          };
          check(menu.items);
        }
      }
    const bar = resolveMenus('darwin', { noAppMenu: true, keepRole: (r) => ['cut', 'copy', 'paste'].includes(r) });
    expect(bar.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Train', '&Help']);
    const roles = bar.flatMap((m) => flatten(m.items)).flatMap((i) => (i.kind === 'role' ? [i.role] : []));
    expect(roles.sort()).toEqual(['copy', 'cut', 'paste']);
    expect(resolveMenus('darwin')[0].label).toBe('NN Studio');
  });
});

describe('shortcuts', () => {
  it('no two actions or roles share an accelerator on any platform', () => {
    const { roles } = layoutEntries();
    for (const platform of PLATFORMS) {
      const owner = new Map<string, string>();
      const claim = (accelerator: string, who: string) => {
        const key = normaliseFor(accelerator, platform);
        expect(owner.get(key) ?? who, `${platform}: ${accelerator} of ${who} is also ${owner.get(key)}'s`).toBe(who);
        owner.set(key, who);
      };
      for (const id of ACTION_IDS) for (const accelerator of keysFor(id, platform)) claim(accelerator, id);
      for (const role of roles) {
        const accelerator = (platform === 'darwin' && role.macKeys) || role.keys;
        if (accelerator) claim(accelerator, JSON.stringify(role));
      }
      // The browser bar's access keys (Alt+F…) are shortcuts too.
      for (const menu of MENUS) {
        const letter = /&(\w)/.exec(menu.label)?.[1];
        if (letter) claim(`Alt+${letter}`, menu.label);
      }
    }
  });

  it('no two actions share a key as the renderer sees them (Ctrl and Cmd alike), nor a plain key', () => {
    const owner = new Map<string, ActionId>();
    const claim = (key: string, id: ActionId) => {
      expect(owner.get(key) ?? id, `${key}: ${id} and ${owner.get(key)}`).toBe(id);
      owner.set(key, id);
    };
    for (const id of ACTION_IDS)
      for (const accelerator of allKeysOf(id)) claim(normaliseFor(accelerator.replace(/\b(CmdOrCtrl|Cmd|Ctrl)\b/, 'Ctrl'), 'linux'), id);
    for (const id of ACTION_IDS) for (const key of action(id).plainKeys ?? []) claim(`plain:${key.toUpperCase()}`, id);
    // A plain key is never also an accelerator without modifiers (Delete is one, Backspace the other).
    for (const id of ACTION_IDS) for (const key of action(id).plainKeys ?? []) expect(owner.has(key.toUpperCase()), key).toBe(false);
  });

  it('the claim check above catches a shared key', () => {
    // The same accelerator written two ways is one key: this is what the two tests above refuse.
    expect(normaliseFor('CmdOrCtrl+Shift+S', 'linux')).toBe(normaliseFor('Shift+Ctrl+S', 'linux'));
    expect(normaliseFor('CmdOrCtrl+Shift+S', 'darwin')).toBe(normaliseFor('Shift+Cmd+s', 'darwin'));
    expect(normaliseFor('CmdOrCtrl+Shift+S', 'darwin')).not.toBe(normaliseFor('Ctrl+Shift+S', 'darwin'));
  });

  it('every key of every action reaches that action, outside a text field', () => {
    let checked = 0;
    for (const id of ACTION_IDS) {
      for (const accelerator of allKeysOf(id)) {
        expect(shortcutFor(pressOf(accelerator), false), `${accelerator} → ${id}`).toEqual({ id, plain: false });
        checked++;
      }
      for (const key of action(id).plainKeys ?? []) {
        expect(shortcutFor(press(key, { shiftKey: key === '}' }), false), `${key} → ${id}`).toEqual({ id, plain: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('in a text field the field keeps its keys: plain keys, Undo, Redo, Select All, Delete; Save and F5 still work', () => {
    for (const id of ACTION_IDS) {
      const descriptor = action(id);
      for (const accelerator of allKeysOf(id))
        expect(shortcutFor(pressOf(accelerator), true)?.id ?? null, accelerator).toBe(descriptor.fieldKeys ? null : id);
      for (const key of descriptor.plainKeys ?? []) expect(shortcutFor(press(key), true), key).toBeNull();
    }
    expect(shortcutFor(press('s', { ctrlKey: true }), true)).toEqual({ id: 'file.save', plain: false });
    expect(shortcutFor(press('F5'), true)).toEqual({ id: 'train.startPause', plain: false });
    expect(shortcutFor(press('P', { ctrlKey: true, shiftKey: true }), true)).toEqual({ id: 'view.commandPalette', plain: false });
  });

  it('reads keys as the app always has: Ctrl or Cmd, = or +, Shift on letters, letters by position', () => {
    const id = (p: KeyPress) => shortcutFor(p, false)?.id ?? null;
    expect(id(press('s', { metaKey: true }))).toBe('file.save');
    expect(id(press('S', { ctrlKey: true, shiftKey: true }))).toBe('file.saveAs');
    expect(id(press('z', { ctrlKey: true }))).toBe('edit.undo');
    expect(id(press('Z', { metaKey: true, shiftKey: true }))).toBe('edit.redo');
    expect(id(press('y', { ctrlKey: true }))).toBe('edit.redo');
    expect(id(press('=', { ctrlKey: true }))).toBe('view.zoomIn');
    expect(id(press('+', { ctrlKey: true, shiftKey: true }))).toBe('view.zoomIn');
    expect(id(press('-', { ctrlKey: true }))).toBe('view.zoomOut');
    expect(id(press('\\', { ctrlKey: true }))).toBe('view.togglePanels');
    expect(id(press('F10'))).toBe('train.stepBatch');
    expect(id(press('F10', { shiftKey: true }))).toBe('train.stepSample');
    expect(id(press('F10', { ctrlKey: true }))).toBe('train.stepEpoch');
    expect(id(press('}', { shiftKey: true }))).toBe('inspect.apply');
    expect(id(press('ы', { ctrlKey: true, code: 'KeyS' }))).toBe('file.save'); // a Cyrillic layout
    // Extra modifiers make another key: Ctrl+Alt+S is not Save, Ctrl+F5 is the browser's reload, Ctrl+] is not Next.
    expect(id(press('s', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(id(press('F5', { ctrlKey: true }))).toBeNull();
    expect(id(press(']', { ctrlKey: true }))).toBeNull();
    expect(id(press('s'))).toBeNull();
    expect(matchesAccelerator(press('0', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+0')).toBe(false);
  });

  it('writes shortcuts as each platform does', () => {
    expect(formatAccelerator('CmdOrCtrl+Shift+S', 'linux')).toBe('Ctrl+Shift+S');
    expect(formatAccelerator('CmdOrCtrl+Shift+S', 'darwin')).toBe('⇧⌘S');
    expect(formatAccelerator('CmdOrCtrl+Plus', 'win32')).toBe('Ctrl++');
    expect(formatAccelerator('CmdOrCtrl+\\', 'linux')).toBe('Ctrl+\\');
    expect(formatAccelerator('Shift+F10', 'linux')).toBe('Shift+F10');
    expect(shortcutOf('edit.redo', 'darwin')).toBe('⇧⌘Z');
    expect(shortcutOf('edit.redo', 'linux')).toBe('Ctrl+Y');
    expect(shortcutOf('inspect.next', 'linux')).toBe(']');
    expect(shortcutOf('file.revert', 'linux')).toBeNull();
  });
});

describe('the command palette’s search', () => {
  const items = ACTION_IDS.map((id) => ({
    id,
    label: ACTIONS[id].label,
    menu: menuPathOf(id)?.join(' › ') ?? '',
    description: ACTIONS[id].description,
  }));
  const first = (query: string) => search(query, items)[0]?.id;

  it('finds by words, parts and initials, case and accents aside', () => {
    expect(first('notation')).toBe('help.lecture');
    expect(first('lectures')).toBe('help.lecture'); // the curly apostrophe is no obstacle
    expect(first('save as')).toBe('file.saveAs');
    expect(first('SAVE')).toBe('file.save');
    expect(first('sob')).toBe('train.stepBatch');
    expect(first('export')).toBe('file.export');
    expect(initials('Step One Batch')).toBe('sob');
    expect(search('train speed', items).map((i) => i.id)).toEqual([
      'train.speed.full',
      'train.speed.100',
      'train.speed.10',
      'train.speed.2',
    ]);
    expect(search('zzqx', items)).toEqual([]);
    expect(search('', items).map((i) => i.id)).toEqual(ACTION_IDS);
  });

  it('ranks a label that starts with the query, then a word of it, then the description', () => {
    const ranked = search('step', items).map((i) => i.id);
    expect(ranked.slice(0, 3)).toEqual(['train.stepSample', 'train.stepBatch', 'train.stepEpoch']);
    // "batch": a word of Step One Batch's label, and only the description of the speeds ("steps (batches)").
    const batch = search('batch', items).map((i) => i.id);
    expect(batch[0]).toBe('train.stepBatch');
    expect(batch).toContain('train.speed.100');
  });
});

describe('performing', () => {
  const project = findExample('xor-sigmoid')!.create();

  function contextWith(
    overrides: { studio?: Record<string, unknown>; backprop?: Record<string, unknown>; compiled?: ActionContext['compiled'] } = {},
  ) {
    const calls: string[] = [];
    const spy =
      (name: string) =>
      (...args: unknown[]) => {
        calls.push(args.length ? `${name}(${args.map((a) => JSON.stringify(a)).join(', ')})` : `${name}()`);
        return Promise.resolve();
      };
    const refused: string[] = [];
    const ctx = {
      studio: {
        project,
        info: { host: 'browser', platform: 'linux', version: '0', workspace: '/w' },
        training: { state: 'idle' },
        selection: new Set<string>(),
        history: { past: [], future: [] },
        path: null,
        dirty: false,
        speed: null,
        setPicker: spy('setPicker'),
        openPath: spy('openPath'),
        startOrPause: spy('startOrPause'),
        step: spy('step'),
        setSpeed: spy('setSpeed'),
        save: spy('save'),
        ...overrides.studio,
      },
      backprop: { open: false, next: spy('next'), ...overrides.backprop },
      canvas: () => null,
      textField: () => null,
      compiled: overrides.compiled ?? null,
      ui: { openExport: spy('openExport'), openNotation: spy('openNotation'), openPalette: spy('openPalette') },
      refuse: (message: string) => refused.push(message),
      copyLink: spy('copyLink'),
    } as unknown as ActionContext;
    return { ctx, calls, refused };
  }

  it('runs an enabled action, and refuses a disabled one with its reason', () => {
    const broken = compileGraph({ nodes: project.graph.nodes, edges: [] });
    expect(broken.ok).toBe(false);
    const { ctx, calls, refused } = contextWith({ compiled: broken });
    expect(runAction('train.startPause', ctx)).toBe(false);
    expect(calls).toEqual([]);
    expect(refused).toEqual([expect.stringMatching(/^Cannot train: /)]);
    expect(whyDisabled('train.startPause', ctx)).toBe(refused[0]);

    const fine = contextWith({ compiled: compileGraph(project.graph) });
    expect(runAction('train.startPause', fine.ctx)).toBe(true);
    expect(fine.calls).toEqual(['startOrPause()']);
    // A running session can be paused even after an edit broke the network.
    const pausing = contextWith({ compiled: broken, studio: { training: { state: 'running' } } });
    expect(runAction('train.startPause', pausing.ctx)).toBe(true);
  });

  it('steps only while not running, the inspector’s stops only while it is open, and saying nothing for an empty undo', () => {
    const runningCtx = contextWith({ studio: { training: { state: 'running' } } });
    expect(runAction('train.stepBatch', runningCtx.ctx)).toBe(false);
    expect(runningCtx.refused).toEqual([expect.stringMatching(/Pause the training first/)]);
    const idle = contextWith();
    expect(runAction('train.stepBatch', idle.ctx)).toBe(true);
    expect(idle.calls).toEqual(['step("batch")']);
    expect(runAction('inspect.next', idle.ctx)).toBe(false);
    expect(runAction('edit.undo', idle.ctx)).toBe(false);
    expect(idle.refused).toEqual([expect.stringMatching(/inspector/)]); // an empty undo is refused quietly…
    expect(whyDisabled('edit.undo', idle.ctx)).toBe('Nothing to undo.'); // …though the palette says why
    const inspecting = contextWith({ backprop: { open: true } });
    expect(runAction('inspect.next', inspecting.ctx)).toBe(true);
    expect(inspecting.calls).toEqual(['next()']);
  });

  it('opens the in-app picker in the browser, takes the desktop menu’s commands and recent files, and ignores anything else', () => {
    const { ctx, calls } = contextWith();
    runMenuCommand('file.open', ctx);
    runMenuCommand('file.saveAs', ctx);
    runMenuCommand('file.openRecent:/w/a b.nnproj', ctx);
    runMenuCommand('train.speed.10', ctx);
    runMenuCommand('help.lecture', ctx);
    runMenuCommand('no.such.action', ctx);
    runMenuCommand('toString', ctx);
    expect(calls).toEqual(['setPicker("open")', 'save(true)', 'openPath("/w/a b.nnproj")', 'setSpeed(10)', 'openNotation()']);
    const desktop = contextWith({ studio: { info: { host: 'electron', platform: 'linux', version: '0', workspace: null } } });
    runMenuCommand('file.open', desktop.ctx);
    expect(desktop.calls).toEqual(['openPath()']);
  });

  it('Copy Link copies in a browser, and in the desktop app, which has no web address, says so', () => {
    const browser = contextWith();
    expect(runAction('file.copyLink', browser.ctx)).toBe(true);
    expect(browser.calls).toEqual(['copyLink()']);
    const web = contextWith({ studio: { info: { host: 'web', platform: 'linux', version: '0', workspace: null } } });
    expect(runAction('file.copyLink', web.ctx)).toBe(true);
    const desktop = contextWith({ studio: { info: { host: 'electron', platform: 'linux', version: '0', workspace: null } } });
    expect(runAction('file.copyLink', desktop.ctx)).toBe(false);
    expect(desktop.calls).toEqual([]);
    expect(desktop.refused).toEqual([expect.stringMatching(/^The desktop app has no web address to link to: save the project as a file/)]);
    expect(whyDisabled('file.copyLink', desktop.ctx)).toBe(desktop.refused[0]);
    expect(menuPathOf('file.copyLink')).toEqual(['File']);
    expect(whyDisabled('file.copyLink', contextWith({ studio: { project: null } }).ctx)).toBe('Open or start a project first.');
  });

  it('nothing that needs a project runs without one', () => {
    const { ctx, calls } = contextWith({ studio: { project: null } });
    const free = ACTION_IDS.filter((id) => PERFORMERS[id].enabled(ctx));
    expect(free.sort()).toEqual([
      'file.new',
      'file.open',
      'help.about',
      'help.learn',
      'help.lecture',
      'help.shortcuts',
      'train.speed.10',
      'train.speed.100',
      'train.speed.2',
      'train.speed.full',
      'view.commandPalette',
    ]);
    expect(whyDisabled('file.save', ctx)).toBe('Open or start a project first.');
    expect(calls).toEqual([]);
  });
});

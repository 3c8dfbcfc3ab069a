/**
 * The shortcut sheet's content, from the action table (src-shared/actions.ts) alone: every action
 * and menu role with a key, grouped by the menu that holds it, with its keys as this platform
 * spells them. Also whether the sheet is open: a store of its own, so the `?` action can open it
 * without the window's state.
 */
import { create } from 'zustand';
import {
  ACTION_IDS,
  MENUS,
  action,
  formatAccelerator,
  keysFor,
  menuPathOf,
  plainLabel,
  type ActionId,
  type MenuEntry,
  type RoleEntry,
} from '../../../src-shared/actions';

/** One line of the sheet: what it does, and every key that does it. */
export interface ShortcutRow {
  /** The action's id, or the role's name for Cut, Copy and Paste. */
  id: string;
  label: string;
  keys: string[];
}

/** A group of the sheet: a menu's name and its lines, in the menu's order. */
export interface ShortcutGroup {
  heading: string;
  rows: ShortcutRow[];
}

/** How a plain key (no modifier) reads on the sheet. */
const PLAIN_KEY_NAMES: Record<string, string> = { ' ': 'Space', ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→' };

/** The menu roles with keys (Cut, Copy, Paste), each under the menu that holds it; developer roles are left out. */
function roleRows(platform: string): Map<string, ShortcutRow[]> {
  const byMenu = new Map<string, ShortcutRow[]>();
  const walk = (menu: string, groups: readonly (readonly MenuEntry[])[]) => {
    for (const group of groups)
      for (const entry of group) {
        if (typeof entry === 'string' || 'recent' in entry) continue;
        if ('submenu' in entry) {
          walk(menu, entry.groups);
          continue;
        }
        const role: RoleEntry = entry;
        const key = (platform === 'darwin' && role.macKeys) || role.keys;
        if (!key || role.developer || !role.label) continue;
        if (role.only === 'mac' && platform !== 'darwin') continue;
        if (role.only === 'notMac' && platform === 'darwin') continue;
        const rows = byMenu.get(menu) ?? [];
        rows.push({ id: role.role, label: role.label, keys: [formatAccelerator(key, platform)] });
        byMenu.set(menu, rows);
      }
  };
  for (const menu of MENUS) walk(plainLabel(menu.label), menu.groups);
  return byMenu;
}

/** Every key of an action on `platform`: its accelerators, then its plain keys. */
export function keysOfAction(id: ActionId, platform: string): string[] {
  const keys = keysFor(id, platform).map((key) => formatAccelerator(key, platform));
  for (const key of action(id).plainKeys ?? []) keys.push(PLAIN_KEY_NAMES[key] ?? key);
  return keys;
}

/**
 * The sheet on `platform` (Node's names: darwin, linux, win32): the actions with at least one key,
 * grouped by their top-level menu in the menus' order (actions no menu shows last, as "Other").
 */
export function shortcutGroups(platform: string): ShortcutGroup[] {
  const roles = roleRows(platform);
  const groups = new Map<string, ShortcutRow[]>();
  for (const menu of MENUS) if (!(menu.only === 'mac' && platform !== 'darwin')) groups.set(plainLabel(menu.label), []);
  for (const id of ACTION_IDS) {
    const keys = keysOfAction(id, platform);
    if (keys.length === 0) continue;
    const heading = menuPathOf(id)?.[0] ?? 'Other';
    const rows = groups.get(heading) ?? [];
    rows.push({ id, label: plainLabel(action(id).label), keys });
    groups.set(heading, rows);
  }
  for (const [heading, rows] of roles) groups.set(heading, (groups.get(heading) ?? []).concat(rows));
  groups.set('Canvas', CANVAS_KEYS);
  return [...groups].filter(([, rows]) => rows.length > 0).map(([heading, rows]) => ({ heading, rows }));
}

/**
 * The canvas's own keys, which are not actions (they act on the unit or edge with the focus):
 * Canvas.tsx handles Enter and the arrows' moves, React Flow the focus and the selection.
 */
export const CANVAS_KEYS: ShortcutRow[] = [
  { id: 'canvas.focus', label: 'Next unit or edge (previous with Shift)', keys: ['Tab', 'Shift+Tab'] },
  { id: 'canvas.select', label: 'Select the unit or edge with the focus', keys: ['Space'] },
  { id: 'canvas.edit', label: 'Edit it in the inspector', keys: ['Enter'] },
  { id: 'canvas.move', label: 'Move the selected units (undoable)', keys: ['↑', '↓', '←', '→'] },
];

/** Whether the shortcut sheet is open. */
export const useShortcutSheet = create<{ open: boolean; show(): void; hide(): void }>((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
}));

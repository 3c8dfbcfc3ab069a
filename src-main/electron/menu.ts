/**
 * The application menu as a template, built without Electron so tests can read it, from the
 * shared layout (src-shared/actions.ts). Each item sends its action's id to the renderer, which
 * performs it (so menu, toolbar, palette and shortcuts share one action), except the few
 * Electron performs itself (roles).
 */
import { action, keysFor, resolveMenus, type ResolvedItem } from '../../src-shared/actions';

export interface MenuItemSpec {
  label?: string;
  accelerator?: string;
  role?: string;
  type?: 'separator';
  /** An action's id, or `file.openRecent:<path>`. */
  command?: string;
  /** False for an item that is there to say something (No recent projects), not to be chosen. */
  enabled?: boolean;
  submenu?: MenuItemSpec[];
}

export interface MenuOptions {
  /**
   * Add Reload, Force Reload and Toggle Developer Tools to View: for development only, never in a
   * packaged app (main.ts passes `!app.isPackaged`). Off unless asked for.
   */
  developer?: boolean;
}

function toSpec(item: ResolvedItem, platform: string, recent: string[]): MenuItemSpec {
  switch (item.kind) {
    case 'separator':
      return { type: 'separator' };
    case 'role':
      return {
        ...(item.label ? { label: item.label } : {}),
        ...(item.accelerator ? { accelerator: item.accelerator } : {}),
        role: item.role,
      };
    case 'submenu':
      return { label: item.label, submenu: item.items.map((i) => toSpec(i, platform, recent)) };
    case 'recent':
      return {
        label: 'Open Recent',
        submenu: recent.length
          ? recent.map((path) => ({ label: path, command: `file.openRecent:${path}` }))
          : [{ label: 'No recent projects', enabled: false }],
      };
    case 'action': {
      const descriptor = action(item.id);
      const accelerator = keysFor(item.id, platform)[0];
      // A plain key (the inspector's ] and [) is no accelerator, which would swallow it in text
      // fields; the renderer handles it outside fields, and the label names it.
      const label = !accelerator && descriptor.plainKeys ? `${descriptor.label}  ${descriptor.plainKeys[0]}` : descriptor.label;
      return { label, ...(accelerator ? { accelerator } : {}), command: item.id };
    }
  }
}

/** The menu template; `recent` lists recently opened files for File › Open Recent. */
export function menuTemplate(platform: string, recent: string[] = [], options: MenuOptions = {}): MenuItemSpec[] {
  return resolveMenus(platform, { developer: options.developer === true }).map((menu) => ({
    label: menu.label,
    submenu: menu.items.map((item) => toSpec(item, platform, recent)),
  }));
}

import { describe, expect, it } from 'vitest';
import { ACTIONS, ACTION_IDS, type ActionDescriptor } from '../../../src-shared/actions';
import { shortcutFor } from '../app/keys';
import { shortcutGroups } from './shortcut-sheet';

const press = (key: string, shiftKey = false) => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey });

describe('the shortcut sheet', () => {
  it('opens on ? outside a text field (Shift makes the ?), and ? stays a character in one', () => {
    expect(shortcutFor(press('?', true), false)).toEqual({ id: 'help.shortcuts', plain: true });
    expect(shortcutFor(press('?'), false)).toEqual({ id: 'help.shortcuts', plain: true });
    expect(shortcutFor(press('?', true), true)).toBeNull();
  });

  it('lists every action that has a key, once, with all its keys, and no action without one', () => {
    const rows = shortcutGroups('linux').flatMap((g) => g.rows);
    const withKeys = ACTION_IDS.filter((id) => {
      const a: ActionDescriptor = ACTIONS[id];
      return (a.keys?.length ?? 0) + (a.macKeys?.length ?? 0) + (a.plainKeys?.length ?? 0) > 0;
    });
    const listed = rows.map((r) => r.id).filter((id) => id in ACTIONS);
    expect(listed.sort()).toEqual([...withKeys].sort());
    expect(listed).not.toContain('file.revert');
    const keys = (id: string) => rows.find((r) => r.id === id)?.keys;
    expect(keys('file.save')).toEqual(['Ctrl+S']);
    expect(keys('edit.redo')).toEqual(['Ctrl+Y', 'Ctrl+Shift+Z']);
    expect(keys('edit.delete')).toEqual(['Delete', 'Backspace']);
    expect(keys('view.zoomIn')).toEqual(['Ctrl+=', 'Ctrl++']);
    expect(keys('inspect.next')).toEqual([']']);
    expect(keys('help.lecture')).toEqual(['F1']);
    expect(keys('help.shortcuts')).toEqual(['?']);
    // The clipboard's keys are the menu's roles, and are listed too.
    expect(keys('copy')).toEqual(['Ctrl+C']);
  });

  it('groups by the menu that holds each action, in the menus’ order, and spells keys as the platform does', () => {
    const linux = shortcutGroups('linux');
    // The menus in their order, then the canvas's own keys (not actions: they act on the focused unit).
    expect(linux.map((g) => g.heading)).toEqual(['File', 'Edit', 'View', 'Train', 'Help', 'Canvas']);
    expect(linux.at(-1)!.rows.map((r) => r.keys[0])).toEqual(['Tab', 'Space', 'Enter', '↑']);
    expect(linux.find((g) => g.heading === 'Edit')!.rows.map((r) => r.label)).toContain('Paste');
    expect(linux.find((g) => g.heading === 'Train')!.rows.map((r) => r.label)).toContain('Next Stop');
    const mac = shortcutGroups('darwin').flatMap((g) => g.rows);
    expect(mac.find((r) => r.id === 'file.saveAs')!.keys).toEqual(['⇧⌘S']);
    expect(mac.find((r) => r.id === 'edit.redo')!.keys).toEqual(['⇧⌘Z', '⌘Y']);
  });
});

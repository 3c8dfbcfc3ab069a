import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src-shared/actions';
import { TOOLBAR_ENTRIES, moreEntries } from './toolbar-items';
import type { ItemMode } from './toolbar-fit';

const moved = (...keys: string[]) => new Map<string, ItemMode>(keys.map((key) => [key, 'more']));
const ids = (entries: ReturnType<typeof moreEntries>) => entries.map((e) => (e.kind === 'action' ? e.id : '—'));

describe('the More menu', () => {
  it('is empty while everything fits', () => {
    expect(moreEntries(TOOLBAR_ENTRIES, new Map())).toEqual([]);
    expect(moreEntries(TOOLBAR_ENTRIES, new Map([['file.revert', 'icon']]))).toEqual([]);
  });

  it('lists the moved items in the row’s order, a separator between groups, the speed as its four choices', () => {
    const entries = moreEntries(TOOLBAR_ENTRIES, moved('help.lecture', 'view.fit', 'file.revert', 'speed', 'file.export'));
    expect(ids(entries)).toEqual([
      'file.revert',
      'file.export',
      '—',
      'view.fit',
      '—',
      'train.speed.full',
      'train.speed.100',
      'train.speed.10',
      'train.speed.2',
      '—',
      'help.lecture',
    ]);
  });
});

describe('the toolbar’s entries', () => {
  it('name actions of the table, each once, with an icon', () => {
    const actions = TOOLBAR_ENTRIES.flatMap((e) => (e.kind === 'action' ? [e.id] : []));
    expect(new Set(actions).size).toBe(actions.length);
    for (const entry of TOOLBAR_ENTRIES) if (entry.kind === 'action') expect(ACTIONS[entry.id], entry.id).toBeDefined();
  });

  it('keep Undo and Inspect on the row at any width: they never move into More', () => {
    for (const key of ['edit.undo', 'inspect.toggle']) expect(TOOLBAR_ENTRIES.find((e) => e.key === key)?.moreRank).toBeUndefined();
  });
});

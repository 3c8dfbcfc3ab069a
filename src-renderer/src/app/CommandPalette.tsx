/**
 * The command palette (Ctrl+Shift+P, View › Command Palette…): every action by name, with where
 * the menus keep it and its shortcut. Typing filters (words, parts of words, initials: "sob" is
 * Step One Batch); arrows move, Enter runs the chosen action, Escape closes. An action that cannot
 * run now is shown dimmed with the reason.
 */
import { useEffect, useRef, useState } from 'react';
import { ACTION_IDS, action, menuPathOf, shortcutOf, type ActionId } from '../../../src-shared/actions';
import { labelOf, whyDisabled } from './actions';
import { useActions } from './ActionButton';
import { search } from './command-search';

/** `onClose(id)`: closed, choosing `id` (to run once focus is back where it was), or nothing. */
export function CommandPalette({ onClose }: { onClose: (chosen: ActionId | null) => void }) {
  const { context, platform } = useActions();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => input.current?.focus(), []);

  const ctx = context();
  const entries = ACTION_IDS.filter((id) => action(id).palette !== false).map((id) => ({
    id,
    label: labelOf(id, ctx),
    menu: menuPathOf(id)?.join(' › ') ?? '',
    description: action(id).description,
    shortcut: shortcutOf(id, platform),
    why: whyDisabled(id, ctx),
  }));
  const shown = search(query, entries);
  const current = Math.min(active, Math.max(0, shown.length - 1));

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [current, query]);

  const choose = (index: number) => {
    const entry = shown[index];
    if (entry && entry.why === null) onClose(entry.id);
  };

  return (
    <div
      className="modal palette-overlay"
      role="dialog"
      aria-label="Command palette"
      onMouseDown={(e) => e.target === e.currentTarget && onClose(null)}
    >
      <div className="modal-body command-palette" data-testid="command-palette">
        <input
          ref={input}
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls="command-palette-list"
          aria-activedescendant={shown[current] ? `command-${shown[current].id}` : undefined}
          aria-label="Find an action"
          placeholder="Find an action by name…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              const step = e.key === 'ArrowDown' ? 1 : -1;
              if (shown.length) setActive((current + step + shown.length) % shown.length);
            } else if (e.key === 'PageDown' || e.key === 'PageUp')
              setActive(Math.max(0, Math.min(shown.length - 1, current + (e.key === 'PageDown' ? 8 : -8))));
            else if (e.key === 'Enter') choose(current);
            else if (e.key === 'Escape') onClose(null);
            else return;
            e.preventDefault();
          }}
        />
        <ul ref={list} id="command-palette-list" role="listbox" aria-label="Actions" className="command-list">
          {shown.map((entry, index) => (
            <li
              key={entry.id}
              id={`command-${entry.id}`}
              role="option"
              aria-selected={index === current}
              aria-disabled={entry.why !== null}
              className={[index === current ? 'active' : '', entry.why !== null ? 'disabled' : ''].filter(Boolean).join(' ') || undefined}
              onMouseMove={() => index !== current && setActive(index)}
              onClick={() => choose(index)}
            >
              <span className="command-label">{entry.label}</span>
              {entry.menu && <span className="command-menu">{entry.menu}</span>}
              {entry.shortcut && <kbd>{entry.shortcut}</kbd>}
              <span className="command-detail">{entry.why ?? entry.description}</span>
            </li>
          ))}
          {shown.length === 0 && <li className="command-none">No action is called “{query}”.</li>}
        </ul>
      </div>
    </div>
  );
}

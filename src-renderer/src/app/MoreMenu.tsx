/**
 * The toolbar's "More" menu: the actions the row has no room for, from the same action table as
 * the buttons (their words, shortcuts, disabled state and reasons). Keyboard: Enter, Space or
 * ArrowDown on the button opens it on its first item; the arrows, Home and End move; Enter or
 * Space chooses; Escape closes it back onto the button, Tab closes it.
 */
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { shortcutOf, type ActionId } from '../../../src-shared/actions';
import { CheckIcon, MoreIcon, type LucideIcon } from '../ui/icons';
import { PERFORMERS, labelOf, whyDisabled } from './actions';
import { useActions } from './ActionButton';

/** One entry of the menu: an action (with its icon), or a separator between the toolbar's groups. */
export type MoreEntry = { kind: 'action'; id: ActionId; icon?: LucideIcon } | { kind: 'separator'; key: string };

export function MoreMenu({ entries }: { entries: readonly MoreEntry[] }) {
  const { context, run, platform } = useActions();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const rows = useRef<(HTMLElement | null)[]>([]);
  const ctx = context();
  const actions = entries.flatMap((entry) => (entry.kind === 'action' ? [entry] : []));

  const close = (refocus: boolean) => {
    setOpen(false);
    setActive(-1);
    if (refocus) button.current?.focus();
  };
  const choose = (id: ActionId) => {
    if (whyDisabled(id, context()) !== null) return;
    close(true);
    run(id);
  };

  useEffect(() => {
    if (open && active >= 0) rows.current[active]?.focus();
  }, [open, active]);

  // A press anywhere else closes it.
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (root.current?.contains(event.target as Node)) return;
      setOpen(false);
      setActive(-1);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const onButtonKey = (event: ReactKeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    setOpen(true);
    setActive(0);
  };
  const onMenuKey = (event: ReactKeyboardEvent) => {
    const count = actions.length;
    switch (event.key) {
      case 'ArrowDown':
        setActive((i) => (i + 1) % count);
        break;
      case 'ArrowUp':
        setActive((i) => (i - 1 + count) % count);
        break;
      case 'Home':
        setActive(0);
        break;
      case 'End':
        setActive(count - 1);
        break;
      case 'Enter':
      case ' ':
        if (actions[active]) choose(actions[active].id);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    // The menu's keys are the menu's: the app's shortcuts (the inspector's Home and End) must not see them.
    event.preventDefault();
    event.stopPropagation();
  };

  let index = -1;
  return (
    <div className="more" ref={root}>
      <button
        ref={button}
        type="button"
        className="tool"
        data-testid="toolbar-more"
        aria-haspopup="menu"
        aria-expanded={open}
        title="More actions: the ones the toolbar has no room for"
        onClick={() => (open ? close(false) : (setOpen(true), setActive(-1)))}
        onKeyDown={onButtonKey}
      >
        <MoreIcon className="icon" size={16} strokeWidth={1.8} aria-hidden />
        <span className="tool-label">More</span>
      </button>
      {open && (
        <ul role="menu" aria-label="More toolbar actions" className="menubar-dropdown more-menu" onKeyDown={onMenuKey}>
          {entries.map((entry) => {
            if (entry.kind === 'separator') return <li key={entry.key} role="separator" className="menubar-separator" />;
            const at = ++index;
            const why = whyDisabled(entry.id, ctx);
            const checked = PERFORMERS[entry.id].checked?.(ctx) === true;
            const Icon = entry.icon;
            return (
              <li key={entry.id} role="none">
                <div
                  ref={(element) => {
                    rows.current[at] = element;
                  }}
                  role={PERFORMERS[entry.id].checked ? 'menuitemcheckbox' : 'menuitem'}
                  aria-checked={PERFORMERS[entry.id].checked ? checked : undefined}
                  aria-disabled={why !== null}
                  tabIndex={-1}
                  title={why ?? undefined}
                  className={['menubar-item', at === active ? 'active' : '', why === null ? '' : 'disabled'].filter(Boolean).join(' ')}
                  onMouseEnter={() => setActive(at)}
                  onClick={() => choose(entry.id)}
                >
                  <span className="menubar-check">
                    {checked ? <CheckIcon size={14} aria-hidden /> : Icon ? <Icon size={14} strokeWidth={1.8} aria-hidden /> : null}
                  </span>
                  <span className="menubar-label">{labelOf(entry.id, ctx)}</span>
                  <span className="menubar-key">{shortcutOf(entry.id, platform) ?? ''}</span>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

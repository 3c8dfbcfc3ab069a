/**
 * The browser's menu bar: the desktop app's menus (File, Edit, View, Train, Help), built from the
 * same layout (src-shared/actions.ts), for the browser, which has no native menu. Mouse: click a
 * menu, hover to move between them. Keyboard: Alt (alone) or Alt+the underlined letter reaches
 * it; arrows move, Enter or Space chooses, Escape backs out. Each item shows its shortcut and is
 * disabled while its action cannot be done.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import {
  accessKey,
  action,
  formatAccelerator,
  plainLabel,
  resolveMenus,
  shortcutOf,
  type MenuRole,
  type ResolvedItem,
} from '../../../src-shared/actions';
import { CheckIcon, SubmenuIcon } from '../ui/icons';
import { PERFORMERS, labelOf, whyDisabled } from './actions';
import { useActions } from './ActionButton';
import { fileNameOfPath, whereFileIs } from '../../../src-shared/paths';

/** One row of a dropdown as the bar shows it. */
type BarItem =
  | {
      kind: 'item';
      key: string;
      label: string;
      shortcut: string | null;
      enabled: boolean;
      checked: boolean;
      title?: string;
      activate(): void;
    }
  | { kind: 'separator'; key: string }
  | { kind: 'submenu'; key: string; label: string; items: BarItem[] };

/** The roles a page can perform from a menu: cut and copy (as the page's own events); paste it may not. */
const PAGE_ROLES: readonly MenuRole[] = ['cut', 'copy', 'paste'];

const selectable = (item: BarItem | undefined) => item !== undefined && item.kind !== 'separator';

/** The next selectable index from `from` in direction `step`, wrapping. */
function move(items: BarItem[], from: number, step: 1 | -1): number {
  for (let i = 1; i <= items.length; i++) {
    const index = (((from + step * i) % items.length) + items.length) % items.length;
    if (selectable(items[index])) return index;
  }
  return -1;
}

/** Where the keyboard is in the bar: an open menu, an item in it, and an item in its submenu. */
interface Cursor {
  menu: number;
  item: number;
  sub: number | null;
}

export function MenuBar({ recent }: { recent: readonly string[] }) {
  const { context, run, platform } = useActions();
  const menus = useMemo(() => resolveMenus(platform, { noAppMenu: true, keepRole: (role) => PAGE_ROLES.includes(role) }), [platform]);
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const bar = useRef<HTMLElement>(null);
  const tops = useRef<(HTMLButtonElement | null)[]>([]);
  const rows = useRef(new Map<string, HTMLElement>());
  /** Where focus was before the bar took it, to give it back (Select All then selects that field's text). */
  const returnTo = useRef<HTMLElement | null>(null);

  const ctx = context();
  const toItems = (items: readonly ResolvedItem[], prefix: string): BarItem[] =>
    items.map((item, index): BarItem => {
      const key = `${prefix}${index}`;
      switch (item.kind) {
        case 'separator':
          return { kind: 'separator', key };
        case 'submenu':
          return { kind: 'submenu', key, label: item.label, items: toItems(item.items, `${key}-`) };
        case 'recent':
          return {
            kind: 'submenu',
            key,
            label: 'Open Recent',
            items: recent.length
              ? recent.map((path, i) => ({
                  kind: 'item',
                  key: `${key}-${i}`,
                  label: fileNameOfPath(path),
                  title: whereFileIs(path),
                  shortcut: null,
                  enabled: true,
                  checked: false,
                  activate: () => void context().studio.openPath(path),
                }))
              : [
                  {
                    kind: 'item',
                    key: `${key}-none`,
                    label: 'No recent projects',
                    shortcut: null,
                    enabled: false,
                    checked: false,
                    activate: () => undefined,
                  },
                ],
          };
        case 'role': {
          const shortcut = item.accelerator ? formatAccelerator(item.accelerator, platform) : null;
          const label = item.label ?? item.role;
          // A page may start a cut or copy (the page's own clipboard events do the work) but not read the clipboard.
          if (item.role === 'paste')
            return {
              kind: 'item',
              key,
              label,
              shortcut,
              enabled: false,
              checked: false,
              title: `Press ${shortcut ?? 'Ctrl+V'}: a web page may not read the clipboard from a menu.`,
              activate: () => undefined,
            };
          const command = item.role === 'cut' ? 'cut' : 'copy';
          return { kind: 'item', key, label, shortcut, enabled: true, checked: false, activate: () => void document.execCommand(command) };
        }
        case 'action': {
          const id = item.id;
          const why = whyDisabled(id, ctx);
          return {
            kind: 'item',
            key,
            label: labelOf(id, ctx),
            shortcut: shortcutOf(id, platform),
            enabled: why === null,
            checked: PERFORMERS[id].checked?.(ctx) === true,
            title: why ?? action(id).description,
            activate: () => run(id),
          };
        }
      }
    });
  const dropdowns = menus.map((menu, index) => toItems(menu.items, `${index}-`));

  const open = cursor?.menu ?? null;
  const remember = () => {
    if (cursor || bar.current?.contains(document.activeElement)) return;
    returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  };
  const leave = () => {
    setCursor(null);
    const back = returnTo.current;
    returnTo.current = null;
    if (back?.isConnected) back.focus();
    else (document.activeElement as HTMLElement | null)?.blur?.();
  };
  const choose = (item: BarItem) => {
    if (item.kind !== 'item' || !item.enabled) return;
    leave();
    item.activate();
  };
  const openMenu = (menu: number, first: boolean) => {
    const items = dropdowns[menu];
    setCursor({ menu, item: first ? move(items, -1, 1) : -1, sub: null });
  };

  // Focus follows the cursor: the item it is on, or the open menu's own button.
  useEffect(() => {
    if (!cursor) return;
    const items = dropdowns[cursor.menu];
    const item = items[cursor.item];
    const inner = item?.kind === 'submenu' && cursor.sub !== null && cursor.sub >= 0 ? item.items[cursor.sub] : undefined;
    if (inner) rows.current.get(inner.key)?.focus();
    else if (item) rows.current.get(item.key)?.focus();
    else tops.current[cursor.menu]?.focus();
    // The dropdowns are rebuilt on every render; the cursor alone says where focus belongs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cursor]);

  // A click anywhere else closes the open menu.
  useEffect(() => {
    if (open === null) return;
    const onDown = (event: MouseEvent) => {
      if (!bar.current?.contains(event.target as Node)) setCursor(null);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  // Alt alone moves to the bar (and back); Alt+F opens File, as in a desktop window. Registered
  // once (App renders many times a second while training): the handlers read the latest render.
  const latest = useRef({ menus, remember, openMenu, leave });
  latest.current = { menus, remember, openMenu, leave };
  useEffect(() => {
    let altAlone = false;
    const onKeyDown = (event: KeyboardEvent) => {
      altAlone = event.key === 'Alt' && !event.repeat && !event.ctrlKey && !event.metaKey && !event.shiftKey;
      if (event.key === 'Alt' || !event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || document.querySelector('.modal'))
        return;
      const { menus, remember, openMenu } = latest.current;
      const letter = /^Key([A-Z])$/.exec(event.code ?? '')?.[1]?.toLowerCase() ?? event.key.toLowerCase();
      const menu = menus.findIndex((m) => accessKey(m.label) === letter);
      if (menu < 0) return;
      event.preventDefault();
      remember();
      openMenu(menu, true);
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.key !== 'Alt' || !altAlone) return;
      altAlone = false;
      if (document.querySelector('.modal')) return;
      event.preventDefault();
      if (bar.current?.contains(document.activeElement)) return latest.current.leave();
      latest.current.remember();
      tops.current[0]?.focus();
    };
    const reset = () => {
      altAlone = false;
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('mousedown', reset);
    window.addEventListener('blur', reset);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('mousedown', reset);
      window.removeEventListener('blur', reset);
    };
  }, []);

  const onTopKey = (event: ReactKeyboardEvent, index: number) => {
    const next = (index + (event.key === 'ArrowRight' ? 1 : -1) + menus.length) % menus.length;
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      if (open !== null) openMenu(next, true);
      else tops.current[next]?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') openMenu(index, true);
    else if (event.key === 'ArrowUp') setCursor({ menu: index, item: move(dropdowns[index], 0, -1), sub: null });
    else if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Tab') return setCursor(null);
      leave();
    } else return;
    // The bar's keys are the bar's: the app's shortcuts (the inspector's Home and End) must not see them.
    event.preventDefault();
    event.stopPropagation();
  };

  const onMenuKey = (event: ReactKeyboardEvent) => {
    if (!cursor) return;
    const items = dropdowns[cursor.menu];
    const current = items[cursor.item];
    const inSub = cursor.sub !== null && current?.kind === 'submenu' ? current.items : null;
    const step = (list: BarItem[], from: number, direction: 1 | -1) => move(list, from, direction);
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        const direction = event.key === 'ArrowDown' ? 1 : -1;
        if (inSub) setCursor({ ...cursor, sub: step(inSub, cursor.sub!, direction) });
        else setCursor({ ...cursor, item: step(items, cursor.item, direction) });
        break;
      }
      case 'Home':
      case 'End': {
        const list = inSub ?? items;
        const index = event.key === 'Home' ? step(list, -1, 1) : step(list, list.length, -1);
        setCursor(inSub ? { ...cursor, sub: index } : { ...cursor, item: index });
        break;
      }
      case 'ArrowRight':
        if (!inSub && current?.kind === 'submenu') setCursor({ ...cursor, sub: step(current.items, -1, 1) });
        else openMenu((cursor.menu + 1) % menus.length, true);
        break;
      case 'ArrowLeft':
        if (inSub) setCursor({ ...cursor, sub: null });
        else openMenu((cursor.menu - 1 + menus.length) % menus.length, true);
        break;
      case 'Enter':
      case ' ': {
        const item = inSub && cursor.sub! >= 0 ? inSub[cursor.sub!] : current;
        if (item?.kind === 'submenu') setCursor({ ...cursor, sub: step(item.items, -1, 1) });
        else if (item) choose(item);
        break;
      }
      case 'Escape':
        if (inSub) setCursor({ ...cursor, sub: null });
        else {
          // Back to the menu's own button, closed; a second Escape leaves the bar.
          setCursor(null);
          tops.current[cursor.menu]?.focus();
        }
        break;
      case 'Tab':
        setCursor(null);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const renderItems = (items: BarItem[], depth: 0 | 1) =>
    items.map((item, index) => {
      if (item.kind === 'separator') return <li key={item.key} role="separator" className="menubar-separator" />;
      const here = cursor !== null && (depth === 0 ? cursor.item === index : cursor.sub === index);
      const hover = () =>
        cursor &&
        setCursor(
          depth === 0
            ? { ...cursor, item: index, sub: item.kind === 'submenu' ? (cursor.item === index ? (cursor.sub ?? -1) : -1) : null }
            : { ...cursor, sub: index },
        );
      const ref = (element: HTMLElement | null) => {
        if (element) rows.current.set(item.key, element);
        else rows.current.delete(item.key);
      };
      if (item.kind === 'submenu') {
        const subOpen = depth === 0 && here && cursor.sub !== null;
        return (
          <li key={item.key} role="none" className="menubar-sub">
            <div
              ref={ref}
              role="menuitem"
              tabIndex={-1}
              aria-haspopup="menu"
              aria-expanded={subOpen}
              className={here ? 'menubar-item active' : 'menubar-item'}
              onMouseEnter={hover}
              onClick={() => cursor && setCursor({ ...cursor, item: index, sub: -1 })}
            >
              <span className="menubar-check" />
              <span className="menubar-label">{item.label}</span>
              <span className="menubar-key">
                <SubmenuIcon size={14} aria-hidden />
              </span>
            </div>
            {subOpen && (
              <ul role="menu" aria-label={item.label} className="menubar-dropdown menubar-submenu">
                {renderItems(item.items, 1)}
              </ul>
            )}
          </li>
        );
      }
      return (
        <li key={item.key} role="none">
          <div
            ref={ref}
            role={item.checked ? 'menuitemcheckbox' : 'menuitem'}
            aria-checked={item.checked ? true : undefined}
            tabIndex={-1}
            aria-disabled={!item.enabled}
            title={item.title}
            className={['menubar-item', here ? 'active' : '', item.enabled ? '' : 'disabled'].filter(Boolean).join(' ')}
            onMouseEnter={hover}
            onClick={() => choose(item)}
          >
            <span className="menubar-check">{item.checked ? <CheckIcon size={14} aria-hidden /> : null}</span>
            <span className="menubar-label">{item.label}</span>
            <span className="menubar-key">{item.shortcut ?? ''}</span>
          </div>
        </li>
      );
    });

  return (
    <nav ref={bar} className="menubar" role="menubar" aria-label="Menu" data-testid="menubar">
      {menus.map((menu, index) => {
        const label = plainLabel(menu.label);
        const key = accessKey(menu.label);
        const at = key ? label.toLowerCase().indexOf(key) : -1;
        return (
          <div key={menu.label} className="menubar-menu">
            <button
              ref={(element) => {
                tops.current[index] = element;
              }}
              type="button"
              role="menuitem"
              aria-haspopup="menu"
              aria-expanded={open === index}
              aria-label={label}
              aria-keyshortcuts={key ? `Alt+${key.toUpperCase()}` : undefined}
              tabIndex={index === 0 ? 0 : -1}
              className={open === index ? 'menubar-top open' : 'menubar-top'}
              onMouseDown={remember}
              onClick={() => (open === index ? setCursor(null) : openMenu(index, false))}
              onMouseEnter={() => open !== null && open !== index && openMenu(index, false)}
              onKeyDown={(event) => onTopKey(event, index)}
            >
              {at >= 0 ? (
                <>
                  {label.slice(0, at)}
                  <u>{label[at]}</u>
                  {label.slice(at + 1)}
                </>
              ) : (
                label
              )}
            </button>
            {open === index && (
              <ul role="menu" aria-label={label} className="menubar-dropdown" onKeyDown={onMenuKey}>
                {renderItems(dropdowns[index], 0)}
              </ul>
            )}
          </div>
        );
      })}
    </nav>
  );
}

/**
 * The keyboard side of the action table (src-shared/actions.ts): which action a key press asks
 * for. Pure, so the rules are tested without a page.
 */
import { ACTION_IDS, action, allKeysOf, type ActionId } from '../../../src-shared/actions';

/** The parts of a KeyboardEvent a shortcut depends on. */
export interface KeyPress {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

interface Accelerator {
  /** Ctrl or Cmd (the renderer takes either for any of CmdOrCtrl, Cmd and Ctrl, as the app always has). */
  mod: boolean;
  alt: boolean;
  shift: boolean;
  key: string;
}

const MOD_NAMES = new Set(['cmdorctrl', 'commandorcontrol', 'cmd', 'command', 'ctrl', 'control', 'meta', 'super']);
const NAMED_KEYS: Record<string, string> = {
  plus: '+',
  space: ' ',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  esc: 'Escape',
  return: 'Enter',
};

/** Reads an Electron accelerator (`CmdOrCtrl+Shift+S`, `F10`, `CmdOrCtrl+Plus`). */
export function parseAccelerator(accelerator: string): Accelerator {
  const parts = accelerator.split(/\+(?!$)/);
  const last = parts.pop() ?? '';
  const parsed: Accelerator = { mod: false, alt: false, shift: false, key: NAMED_KEYS[last.toLowerCase()] ?? last };
  for (const part of parts) {
    const name = part.toLowerCase();
    if (MOD_NAMES.has(name)) parsed.mod = true;
    else if (name === 'alt' || name === 'option' || name === 'altgr') parsed.alt = true;
    else if (name === 'shift') parsed.shift = true;
    else throw new Error(`The accelerator ${accelerator} has an unknown modifier ${part}.`);
  }
  return parsed;
}

/** Whether `key` (from an accelerator) is the key pressed: by character, or for letters by position. */
function sameKey(press: KeyPress, key: string): boolean {
  if (key.length > 1) return press.key === key;
  if (press.key.toLowerCase() === key.toLowerCase()) return true;
  // Letters also by their place on the keyboard: Ctrl+S on a Cyrillic layout, or with Option on a Mac.
  return /^[a-z]$/i.test(key) && press.code === `Key${key.toUpperCase()}`;
}

/**
 * Whether a key press is this accelerator. Shift is compared for letters, digits and named keys;
 * a symbol's character already says whether Shift made it (`+` is Shift+= on most layouts).
 */
export function matchesAccelerator(press: KeyPress, accelerator: string): boolean {
  const want = parseAccelerator(accelerator);
  if (want.mod !== (press.ctrlKey || press.metaKey)) return false;
  if (want.alt !== press.altKey) return false;
  const symbol = want.key.length === 1 && !/^[a-z0-9]$/i.test(want.key);
  if (!symbol && want.shift !== press.shiftKey) return false;
  return sameKey(press, want.key);
}

/** Whether a key press is this plain key: no Ctrl, Cmd or Alt (Shift makes `}` from `]`). */
export function matchesPlainKey(press: KeyPress, key: string): boolean {
  return !press.ctrlKey && !press.metaKey && !press.altKey && sameKey(press, key);
}

/** What a key press asks for: an action, and whether it came by a plain key. */
export interface ShortcutMatch {
  id: ActionId;
  plain: boolean;
}

/**
 * The action a key press asks for, or null. In a text field the field keeps its own keys: plain
 * keys and the editing accelerators (`fieldKeys`: Undo, Select All, Delete) go to it, the other
 * accelerators (Save, F5, Ctrl+Shift+P…) still work.
 */
export function shortcutFor(press: KeyPress, inTextField: boolean): ShortcutMatch | null {
  for (const id of ACTION_IDS) {
    const descriptor = action(id);
    if (inTextField && descriptor.fieldKeys) continue;
    for (const key of allKeysOf(id)) if (matchesAccelerator(press, key)) return { id, plain: false };
    if (!inTextField) for (const key of descriptor.plainKeys ?? []) if (matchesPlainKey(press, key)) return { id, plain: true };
  }
  return null;
}

/** Whether an element takes typing (an input, a text area, a select, or editable content). */
export function isTextField(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  return element.closest('input, textarea, select') !== null || element.isContentEditable === true;
}

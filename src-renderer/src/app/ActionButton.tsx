/**
 * The actions' way into React: the context App provides (how to read the stores now and run an
 * action) and the toolbar's buttons, which take their text, tooltip (with the shortcut) and
 * disabled state from the action table and its performers.
 */
import { createContext, useContext } from 'react';
import type { LucideIcon } from '../ui/icons';
import { action, shortcutOf, type ActionId } from '../../../src-shared/actions';
import { PERFORMERS, labelOf, type ActionContext } from './actions';

/** What App gives the action UI. */
export interface Actions {
  /** The action context as it is now (read at render and again when an action runs). */
  context(): ActionContext;
  run(id: ActionId): void;
  /** The platform shortcuts are written for (the host's: darwin, linux, win32). */
  platform: string;
}

export const ActionsContext = createContext<Actions | null>(null);

/** The actions App provides; throws if used outside it (a programming error). */
export function useActions(): Actions {
  const actions = useContext(ActionsContext);
  if (!actions) throw new Error('An action control was rendered outside App’s ActionsContext.');
  return actions;
}

/** The tooltip of an action's control: why it is disabled, or what it does and its shortcut. */
export function tooltipOf(id: ActionId, ctx: ActionContext, platform: string): string {
  const performer = PERFORMERS[id];
  const why = performer.enabled(ctx) ? null : performer.why?.(ctx);
  if (why) return why;
  const shortcut = shortcutOf(id, platform);
  const what = performer.label ? labelOf(id, ctx) : action(id).description;
  return shortcut ? `${what} (${shortcut})` : what;
}

/** The words of an action's toolbar button: its `button` text, else its menu label. */
export function buttonTextOf(id: ActionId): string {
  const descriptor = action(id);
  return descriptor.button ?? descriptor.label;
}

/**
 * A toolbar button for an action, with its icon. `text` replaces the table's button text (Train's
 * changes with the state); `compact` shows the icon alone, the words then being its accessible
 * name, and the tooltip saying the rest.
 */
export function ActionButton({
  id,
  text,
  icon: Icon,
  compact = false,
  className,
  testId,
  ariaLabel,
}: {
  id: ActionId;
  text?: string;
  icon?: LucideIcon;
  compact?: boolean;
  className?: string;
  testId?: string;
  ariaLabel?: string;
}) {
  const { context, run, platform } = useActions();
  const ctx = context();
  const performer = PERFORMERS[id];
  const checked = performer.checked?.(ctx);
  const words = text ?? buttonTextOf(id);
  const iconOnly = compact && Icon !== undefined;
  const classes = [className, 'tool', iconOnly ? 'icon-only' : null, checked ? 'active' : null].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      data-testid={testId}
      className={classes}
      disabled={!performer.enabled(ctx)}
      title={tooltipOf(id, ctx, platform)}
      aria-label={ariaLabel ?? (iconOnly ? words : undefined)}
      aria-pressed={checked}
      onClick={() => run(id)}
    >
      {Icon && <Icon className="icon" size={16} strokeWidth={1.8} aria-hidden />}
      {!iconOnly && <span className="tool-label">{words}</span>}
    </button>
  );
}

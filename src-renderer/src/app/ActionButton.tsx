/**
 * The actions' way into React: the context App provides (how to read the stores now and run an
 * action) and the toolbar's buttons, which take their text, tooltip (with the shortcut) and
 * disabled state from the action table and its performers.
 */
import { createContext, useContext, type ReactNode } from 'react';
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

/** A toolbar button for an action; `children` replaces the table's button text (Train's changes with the state). */
export function ActionButton({
  id,
  children,
  className,
  testId,
  ariaLabel,
}: {
  id: ActionId;
  children?: ReactNode;
  className?: string;
  testId?: string;
  ariaLabel?: string;
}) {
  const { context, run, platform } = useActions();
  const ctx = context();
  const performer = PERFORMERS[id];
  const checked = performer.checked?.(ctx);
  const classes = [className, checked ? 'active' : null].filter(Boolean).join(' ');
  const descriptor = action(id);
  return (
    <button
      type="button"
      data-testid={testId}
      className={classes || undefined}
      disabled={!performer.enabled(ctx)}
      title={tooltipOf(id, ctx, platform)}
      aria-label={ariaLabel}
      aria-pressed={checked}
      onClick={() => run(id)}
    >
      {children ?? descriptor.button ?? descriptor.label}
    </button>
  );
}

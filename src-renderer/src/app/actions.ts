/**
 * How the app performs each action of the shared table (src-shared/actions.ts), and when it can.
 * `PERFORMERS` is a record over every ActionId, so a new action cannot be added without saying
 * how it is done; the menus, the keyboard, the toolbar and the command palette all run actions
 * through `runAction` here.
 */
import type { CompileResult } from '../../../engine/src/index';
import { action, isActionId, type ActionId } from '../../../src-shared/actions';
import type { BackpropState } from '../backprop/store';
import type { CanvasApi } from '../canvas/Canvas';
import { copyFragment, paste, remove } from '../document/commands';
import { redoLabel, undoLabel } from '../document/history';
import { layoutCommand } from '../document/layout';
import { addInputsFromData, addOutputsForTargets } from '../document/build-from-data';
import { useNewNetworkDialog } from '../dialogs/new-network-state';
import { useShortcutSheet } from '../dialogs/shortcut-sheet';
import { useLearnPanel } from '../lessons/learn-panel-state';
import type { StudioState } from '../state/store';

/** What an action may reach: the stores as they are now, the canvas, and the window's dialogs. */
export interface ActionContext {
  studio: StudioState;
  backprop: BackpropState;
  /** The canvas, when a project is shown (read when needed: it changes with the document). */
  canvas(): CanvasApi | null;
  /** The live compiler's verdict on the graph (null while there is none yet). */
  compiled: CompileResult | null;
  /** The window's own dialogs, which live in App's state. */
  ui: { openExport(): void; openNotation(): void; openPalette(): void };
  /** The text field that has focus, if one has (Select All selects its text). */
  textField(): HTMLInputElement | HTMLTextAreaElement | null;
  /** Shows why an action was refused, briefly, where refusals show. */
  refuse(message: string): void;
  /** Copies a link to the project, or shows why there is none (state/share.ts). */
  copyLink(): void;
}

/** How one action is done. */
export interface Performer {
  enabled(ctx: ActionContext): boolean;
  perform(ctx: ActionContext): void;
  /** Why it cannot be done now, where that is worth saying even when it is asked for anyway (by a key, the desktop menu). */
  why?(ctx: ActionContext): string | null;
  /** What the palette and the menu bar say of it while it is disabled, when `why` has nothing to say; quietly. */
  disabledText?: string;
  /** Its label as it stands now (Undo names the edit it would undo). */
  label?(ctx: ActionContext): string;
  /** Whether it is on now (a speed, the inspector). */
  checked?(ctx: ActionContext): boolean;
}

const hasProject = (ctx: ActionContext) => ctx.studio.project !== null;

/**
 * Why this window cannot make a link: the desktop app's page (app://) and a page opened from a
 * file have no web address another browser could open. Null where it can.
 */
function noLinkAddress(ctx: ActionContext): string | null {
  if (ctx.studio.info?.host === 'electron')
    return 'The desktop app has no web address to link to: save the project as a file (File › Save As…) and send that instead.';
  const protocol = typeof location === 'undefined' ? 'http:' : location.protocol;
  if (protocol !== 'http:' && protocol !== 'https:')
    return 'This page has no web address to link to: save the project as a file (File › Save As…) and send that instead.';
  return null;
}
const running = (ctx: ActionContext) => ctx.studio.training.state === 'running';

const inspectorStop = (perform: (bp: BackpropState) => void): Performer => ({
  enabled: (ctx) => ctx.backprop.open,
  perform: (ctx) => perform(ctx.backprop),
  why: (ctx) => (ctx.backprop.open ? null : 'Open the backprop inspector first (Train › Inspect Backprop).'),
});

const stepBy = (unit: 'sample' | 'batch' | 'epoch'): Performer => ({
  enabled: (ctx) => hasProject(ctx) && !running(ctx),
  perform: (ctx) => void ctx.studio.step(unit),
  why: (ctx) => (running(ctx) ? 'Pause the training first: a step runs on its own.' : null),
});

const speed = (stepsPerSecond: number | null): Performer => ({
  enabled: () => true,
  perform: (ctx) => void ctx.studio.setSpeed(stepsPerSecond),
  checked: (ctx) => ctx.studio.speed === stepsPerSecond,
});

/** Every action's performer. */
export const PERFORMERS: Record<ActionId, Performer> = {
  'file.new': { enabled: () => true, perform: (ctx) => void ctx.studio.newBlank() },
  'file.open': {
    enabled: () => true,
    // The browser host cannot show the system's dialog for its workspace's files: it has its own
    // picker. The desktop and the web edition ask the system (project:open without a path).
    perform: (ctx) => (ctx.studio.info?.host === 'browser' ? ctx.studio.setPicker('open') : void ctx.studio.openPath()),
  },
  'file.save': { enabled: hasProject, perform: (ctx) => void ctx.studio.save() },
  'file.saveAs': { enabled: hasProject, perform: (ctx) => void ctx.studio.save(true) },
  'file.revert': {
    enabled: (ctx) => hasProject(ctx) && ctx.studio.path !== null && ctx.studio.dirty,
    perform: (ctx) => void ctx.studio.revert(),
    why: (ctx) =>
      !hasProject(ctx)
        ? null
        : ctx.studio.path === null
          ? 'The project has no file to go back to yet.'
          : !ctx.studio.dirty
            ? 'There are no unsaved changes to drop.'
            : null,
  },
  'file.export': { enabled: hasProject, perform: (ctx) => ctx.ui.openExport() },
  'file.copyLink': {
    enabled: (ctx) => hasProject(ctx) && noLinkAddress(ctx) === null,
    why: (ctx) => (hasProject(ctx) ? noLinkAddress(ctx) : null),
    perform: (ctx) => ctx.copyLink(),
  },
  'edit.undo': {
    enabled: (ctx) => (ctx.studio.history?.past.length ?? 0) > 0,
    perform: (ctx) => ctx.studio.undo(),
    disabledText: 'Nothing to undo.',
    label: (ctx) => {
      const what = ctx.studio.history && undoLabel(ctx.studio.history);
      return what ? `Undo ${what}` : 'Undo';
    },
  },
  'edit.redo': {
    enabled: (ctx) => (ctx.studio.history?.future.length ?? 0) > 0,
    perform: (ctx) => ctx.studio.redo(),
    disabledText: 'Nothing to redo.',
    label: (ctx) => {
      const what = ctx.studio.history && redoLabel(ctx.studio.history);
      return what ? `Redo ${what}` : 'Redo';
    },
  },
  'edit.delete': {
    enabled: (ctx) => ctx.studio.selection.size > 0,
    perform: (ctx) => void ctx.studio.edit(remove([...ctx.studio.selection])),
    disabledText: 'Nothing is selected.',
  },
  'edit.duplicate': {
    enabled: (ctx) => hasProject(ctx) && ctx.studio.selection.size > 0,
    disabledText: 'Nothing is selected.',
    perform: (ctx) => {
      const fragment = ctx.studio.project && copyFragment(ctx.studio.project.graph, ctx.studio.selection);
      if (fragment) ctx.studio.edit(paste(fragment, { x: 40, y: 40 }, 'Duplicate'));
    },
  },
  'edit.selectAll': {
    enabled: (ctx) => hasProject(ctx) || ctx.textField() !== null,
    perform: (ctx) => {
      const field = ctx.textField();
      if (field) return field.select();
      const graph = ctx.studio.project?.graph;
      if (graph) ctx.studio.select([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)]);
    },
  },
  'edit.layout': {
    enabled: (ctx) => (ctx.studio.project?.graph.nodes.length ?? 0) > 0,
    disabledText: 'There are no units to lay out.',
    perform: (ctx) => {
      const graph = ctx.studio.project?.graph;
      // The layout is one undoable edit; the view follows it once the canvas has the new positions.
      if (graph) void layoutCommand(graph).then((command) => ctx.studio.edit(command) && setTimeout(() => ctx.canvas()?.fit(), 50));
    },
  },
  'build.inputsFromData': {
    enabled: hasProject,
    perform: (ctx) => ctx.studio.edit(addInputsFromData) && setTimeout(() => ctx.canvas()?.fit(), 50),
  },
  'build.outputsForTargets': {
    enabled: hasProject,
    perform: (ctx) => ctx.studio.edit(addOutputsForTargets) && setTimeout(() => ctx.canvas()?.fit(), 50),
  },
  'build.newNetwork': {
    enabled: (ctx) => hasProject(ctx) && !running(ctx),
    why: (ctx) => (running(ctx) ? 'Pause the training first: a new network starts a new run.' : null),
    perform: () => useNewNetworkDialog.getState().show(),
  },
  'view.zoomIn': { enabled: hasProject, perform: (ctx) => ctx.canvas()?.zoom('in') },
  'view.zoomOut': { enabled: hasProject, perform: (ctx) => ctx.canvas()?.zoom('out') },
  'view.fit': { enabled: hasProject, perform: (ctx) => ctx.canvas()?.fit() },
  'view.togglePanels': {
    enabled: hasProject,
    // A view setting saved with the project, not an edit.
    perform: (ctx) => {
      const project = ctx.studio.project;
      if (project) ctx.studio.setView({ panels: { ...project.view.panels, hidden: project.view.panels?.hidden !== true } });
    },
    checked: (ctx) => ctx.studio.project?.view.panels?.hidden !== true,
  },
  'view.commandPalette': { enabled: () => true, perform: (ctx) => ctx.ui.openPalette() },
  'train.startPause': {
    // A running session can always be paused; a new one needs a network that compiles.
    enabled: (ctx) => hasProject(ctx) && (running(ctx) || ctx.compiled === null || ctx.compiled.ok),
    perform: (ctx) => void ctx.studio.startOrPause(),
    why: (ctx) => (ctx.compiled && !ctx.compiled.ok ? `Cannot train: ${ctx.compiled.errors[0].message}` : null),
    label: (ctx) => (running(ctx) ? 'Pause' : ctx.studio.training.state === 'paused' ? 'Resume' : 'Start / Pause'),
  },
  'train.stepSample': stepBy('sample'),
  'train.stepBatch': stepBy('batch'),
  'train.stepEpoch': stepBy('epoch'),
  'train.speed.full': speed(null),
  'train.speed.100': speed(100),
  'train.speed.10': speed(10),
  'train.speed.2': speed(2),
  'inspect.toggle': {
    enabled: hasProject,
    perform: (ctx) => (ctx.backprop.open ? ctx.backprop.close() : void ctx.backprop.openAt()),
    checked: (ctx) => ctx.backprop.open,
  },
  'inspect.next': inspectorStop((bp) => bp.next()),
  'inspect.previous': inspectorStop((bp) => bp.previous()),
  'inspect.first': inspectorStop((bp) => bp.go(0)),
  'inspect.last': inspectorStop((bp) => bp.toEnd()),
  'inspect.apply': inspectorStop((bp) => bp.applyAndContinue()),
  'train.reset': { enabled: hasProject, perform: (ctx) => void ctx.studio.reset() },
  'help.lecture': { enabled: () => true, perform: (ctx) => ctx.ui.openNotation() },
  'help.learn': {
    enabled: () => true,
    perform: () => useLearnPanel.getState().toggle(),
    checked: () => useLearnPanel.getState().open,
  },
  'help.shortcuts': { enabled: () => true, perform: () => useShortcutSheet.getState().show() },
  'help.about': { enabled: () => true, perform: (ctx) => ctx.studio.showAbout() },
};

/** An action's label as it stands now. */
export function labelOf(id: ActionId, ctx: ActionContext): string {
  return PERFORMERS[id].label?.(ctx) ?? action(id).label;
}

/** Why an action is disabled now: its own reason, or that it needs a project; null when enabled. */
export function whyDisabled(id: ActionId, ctx: ActionContext): string | null {
  const performer = PERFORMERS[id];
  if (performer.enabled(ctx)) return null;
  return performer.why?.(ctx) ?? (ctx.studio.project ? (performer.disabledText ?? 'Not available now.') : 'Open or start a project first.');
}

/**
 * Performs an action if it can be done now; true if it was. Asked for when it cannot be (a
 * shortcut, the desktop menu, whose items are always enabled), it says why where it has a reason
 * worth saying (the network does not compile), and otherwise does nothing.
 */
export function runAction(id: ActionId, ctx: ActionContext): boolean {
  const performer = PERFORMERS[id];
  if (!performer.enabled(ctx)) {
    const why = performer.why?.(ctx);
    if (why) ctx.refuse(why);
    return false;
  }
  performer.perform(ctx);
  return true;
}

/**
 * The desktop menu's command: an action's id, or `file.openRecent:<path>`. The menu is built from
 * the same table, so nothing else arrives; anything else is ignored.
 */
export function runMenuCommand(command: string, ctx: ActionContext): void {
  const recent = 'file.openRecent:';
  if (command.startsWith(recent)) void ctx.studio.openPath(command.slice(recent.length));
  else if (isActionId(command)) runAction(command, ctx);
}

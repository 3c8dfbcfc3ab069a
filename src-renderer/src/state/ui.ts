/**
 * The UI slice: what the window shows around the document — the selection, the weight being
 * edited in place, refusals, errors, notices and dialogs, the host's info and the examples — and
 * `init`, which starts the window's conversation with the main process once per page.
 */
import type { Project } from '../../../engine/src/index';
import type { ResponseOf } from '../../../src-shared/contract';
import { api } from './api';
import { offerBackup } from './file';
import { failure, type SliceOf } from './shared';
import { listenToTraining } from './training';

export interface UiSlice {
  info: ResponseOf<'app:info'> | null;
  examples: ResponseOf<'examples:list'>;
  /** Ids of the selected nodes and edges. */
  selection: ReadonlySet<string>;
  /** The edge whose weight is being edited in place on the canvas (survives re-renders of the edge). */
  editingWeight: string | null;
  /** The reason the last edit was refused, and where to show it (page coordinates). */
  refusal: { message: string; x: number; y: number } | null;
  error: string | null;
  /** A neutral message (About, confirmations), dismissed like errors. */
  notice: string | null;
  /** A problem worth a dialog (a file that cannot be opened); the current project is untouched. */
  dialog: { title: string; message: string } | null;

  init(): Promise<void>;
  showAbout(): void;
  dismissError(): void;
  select(ids: Iterable<string>): void;
}

/** The window's title: the project's name (its file's), marked while it has unsaved changes. */
export function windowTitle(project: Project | null, dirty: boolean): string {
  return project ? `${project.name}${dirty ? ' •' : ''} — NN Studio` : 'NN Studio';
}

let initialised = false;

let backupChecked: () => void = () => undefined;
/**
 * Settles once the launch's check for unsaved work is done: the offer to restore it, if there is
 * one, is then the prompt showing. A link opened at start-up waits for it (state/share.ts).
 */
export const backupCheckDone = new Promise<void>((resolve) => (backupChecked = resolve));

export const createUiSlice: SliceOf<UiSlice> = (set, get) => ({
  info: null,
  examples: [],
  selection: new Set(),
  editingWeight: null,
  refusal: null,
  error: null,
  notice: null,
  dialog: null,

  async init() {
    // Once per page, even where React runs effects twice (StrictMode in development).
    if (initialised) return;
    initialised = true;
    listenToTraining(set, get);
    api.on('project:open-request', (event) => void get().openPath(event.path));
    api.on('app:close-requested', () => void get().requestClose());
    // The host keeps its training speed between pages (a reload, another tab): this page shows
    // full speed, so that is what the host must do until the user chooses otherwise.
    void api.invoke('training:speed', { stepsPerSecond: get().speed }).catch(() => undefined);
    void get().loadRecent();
    void offerBackup(set).finally(() => backupChecked());
    try {
      const [info, examples] = await Promise.all([api.invoke('app:info', {}), api.invoke('examples:list', {})]);
      set({ info, examples });
    } catch (error) {
      set(failure(error));
    }
  },

  showAbout() {
    const info = get().info;
    set({
      notice: `NN Studio ${info?.version ?? ''} — build neural networks by drawing them (${info?.host === 'electron' ? 'desktop app' : info?.host === 'web' ? 'web edition' : 'in the browser'}).`,
    });
  },

  dismissError() {
    set({ error: null, notice: null, dialog: null });
  },

  select(ids) {
    set({ selection: new Set(ids) });
  },
});

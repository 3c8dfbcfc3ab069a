/**
 * The app's state in one zustand store, assembled from its slices (zustand's slice pattern): the
 * document with its undo history and commands (`document.ts`), the file and its backup
 * (`file.ts`), the training session (`training.ts`) and what the window shows around them
 * (`ui.ts`). Every edit of the document goes through `edit(command)`; `project` and `dirty` are
 * derived from the history. Actions talk to the main process through the API. Import the store
 * and its types from here.
 */
import { create } from 'zustand';
import { createDocumentSlice, type DocumentSlice } from './document';
import { backUpWhileDirty, createFileSlice, type FileSlice } from './file';
import { createTrainingSlice, type TrainingSlice } from './training';
import { createUiSlice, type UiSlice } from './ui';

export type { DocumentSlice } from './document';
export type { FileSlice } from './file';
export type { TrainingSlice, TrainingState } from './training';
export type { UiSlice } from './ui';
export { BACKUP_INTERVAL_MS } from './file';
export { modelOf } from './shared';
export { windowTitle } from './ui';

/** The whole store: each slice reads and sets all of it. */
export type StudioState = DocumentSlice & FileSlice & TrainingSlice & UiSlice;

export const useStudio = create<StudioState>()((...a) => ({
  ...createDocumentSlice(...a),
  ...createFileSlice(...a),
  ...createTrainingSlice(...a),
  ...createUiSlice(...a),
}));

backUpWhileDirty(useStudio);

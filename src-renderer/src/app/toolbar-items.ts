/**
 * The toolbar's items as data: each action with its icon, group and ranks (when it gives up its
 * label, when it moves into More), and the More menu's entries for the items that moved there.
 */
import type { ActionId } from '../../../src-shared/actions';
import {
  ExportIcon,
  FitIcon,
  InspectIcon,
  LayoutIcon,
  NotationIcon,
  OpenIcon,
  RedoIcon,
  ResetIcon,
  RevertIcon,
  SaveIcon,
  StepBatchIcon,
  StepEpochIcon,
  StepSampleIcon,
  UndoIcon,
  type LucideIcon,
} from '../ui/icons';
import type { MoreEntry } from './MoreMenu';
import type { ItemMode } from './toolbar-fit';

/** An item of the row that can give up its label or move into More. */
export type Entry = {
  key: string;
  group: 'file' | 'edit' | 'train' | 'help';
  /** Lower ranks lose their label first, and move into More first; undefined: never. */
  iconRank?: number;
  moreRank?: number;
} & ({ kind: 'action'; id: ActionId; icon: LucideIcon; testId?: string; ariaLabel?: string } | { kind: 'speed' });

/**
 * The row's items in order, with their ranks: the least used give way first. Undo and the
 * inspector never leave the row; New…, Train and the readouts are not entries (they always stay).
 */
export const TOOLBAR_ENTRIES: readonly Entry[] = [
  { key: 'file.open', kind: 'action', id: 'file.open', icon: OpenIcon, group: 'file', iconRank: 10, moreRank: 29 },
  { key: 'file.save', kind: 'action', id: 'file.save', icon: SaveIcon, group: 'file', iconRank: 11, moreRank: 30 },
  { key: 'file.revert', kind: 'action', id: 'file.revert', icon: RevertIcon, group: 'file', testId: 'revert', iconRank: 2, moreRank: 20 },
  { key: 'file.export', kind: 'action', id: 'file.export', icon: ExportIcon, group: 'file', testId: 'export', iconRank: 3, moreRank: 23 },
  { key: 'edit.undo', kind: 'action', id: 'edit.undo', icon: UndoIcon, group: 'edit', testId: 'undo', iconRank: 12 },
  { key: 'edit.redo', kind: 'action', id: 'edit.redo', icon: RedoIcon, group: 'edit', testId: 'redo', iconRank: 12, moreRank: 31 },
  { key: 'view.fit', kind: 'action', id: 'view.fit', icon: FitIcon, group: 'edit', iconRank: 4, moreRank: 22 },
  { key: 'edit.layout', kind: 'action', id: 'edit.layout', icon: LayoutIcon, group: 'edit', testId: 'layout', iconRank: 5, moreRank: 26 },
  { key: 'speed', kind: 'speed', group: 'train', moreRank: 27 },
  { key: 'train.stepSample', kind: 'action', id: 'train.stepSample', icon: StepSampleIcon, group: 'train', iconRank: 7, moreRank: 24 },
  { key: 'train.stepBatch', kind: 'action', id: 'train.stepBatch', icon: StepBatchIcon, group: 'train', iconRank: 9, moreRank: 32 },
  { key: 'train.stepEpoch', kind: 'action', id: 'train.stepEpoch', icon: StepEpochIcon, group: 'train', iconRank: 8, moreRank: 28 },
  { key: 'train.reset', kind: 'action', id: 'train.reset', icon: ResetIcon, group: 'train', iconRank: 6, moreRank: 25 },
  { key: 'inspect.toggle', kind: 'action', id: 'inspect.toggle', icon: InspectIcon, group: 'train', testId: 'inspect', iconRank: 14 },
  {
    key: 'help.lecture',
    kind: 'action',
    id: 'help.lecture',
    icon: NotationIcon,
    group: 'help',
    testId: 'notation-button',
    ariaLabel: 'The lecture’s notation',
    iconRank: 1,
    moreRank: 21,
  },
];

/** The dividers between the groups (file, edit, train and help). */
export const DIVIDERS = 3;

/** The speeds, as the select offers them and as the More menu lists them (the Train menu's actions). */
export const SPEEDS: readonly { value: string; label: string; id: ActionId }[] = [
  { value: 'full', label: 'full speed', id: 'train.speed.full' },
  { value: '100', label: '100 steps/s', id: 'train.speed.100' },
  { value: '10', label: '10 steps/s', id: 'train.speed.10' },
  { value: '2', label: '2 steps/s', id: 'train.speed.2' },
];

/** The More menu's entries for the items that moved there, with a separator between groups. */
export function moreEntries(entries: readonly Entry[], modes: ReadonlyMap<string, ItemMode>): MoreEntry[] {
  const out: MoreEntry[] = [];
  let group: Entry['group'] | null = null;
  for (const entry of entries) {
    if (modes.get(entry.key) !== 'more') continue;
    if (group !== null && entry.group !== group) out.push({ kind: 'separator', key: `after-${group}` });
    group = entry.group;
    if (entry.kind === 'speed') for (const speed of SPEEDS) out.push({ kind: 'action', id: speed.id });
    else out.push({ kind: 'action', id: entry.id, icon: entry.icon });
  }
  return out;
}

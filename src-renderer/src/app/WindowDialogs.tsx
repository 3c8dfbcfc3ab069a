/**
 * What shows in front of the window: the file picker, the notation, the command palette, Export…,
 * the questions (unsaved changes, restore) and the toast of a refused edit.
 */
import { ExportDialog } from '../dialogs/ExportDialog';
import { FilePicker } from '../dialogs/FilePicker';
import { NewNetworkDialog } from '../dialogs/NewNetworkDialog';
import { NotationDialog } from '../dialogs/NotationDialog';
import { Prompts } from '../dialogs/Prompts';
import { ShareLinkDialog } from '../dialogs/ShareLinkDialog';
import { ShortcutSheet } from '../dialogs/ShortcutSheet';
import { useStudio } from '../state/store';
import { CommandPalette } from './CommandPalette';
import type { WindowDialogs as Dialogs } from './use-window-actions';

export function WindowDialogs({ dialogs }: { dialogs: Dialogs }) {
  const project = useStudio((s) => s.project);
  const pickerOpen = useStudio((s) => s.pickerOpen);
  const refusal = useStudio((s) => s.refusal);
  return (
    <>
      {pickerOpen && <FilePicker mode={pickerOpen} />}
      {dialogs.notationOpen && <NotationDialog onClose={dialogs.closeNotation} />}
      {dialogs.paletteOpen && <CommandPalette onClose={dialogs.closePalette} />}
      {dialogs.exporting && project && <ExportDialog project={project} onClose={dialogs.closeExport} />}
      <NewNetworkDialog />
      <ShortcutSheet />
      <ShareLinkDialog />
      <Prompts />
      {refusal && (
        <div className="refusal" role="alert" data-testid="refusal" style={{ left: refusal.x + 12, top: refusal.y + 12 }}>
          {refusal.message}
        </div>
      )}
    </>
  );
}

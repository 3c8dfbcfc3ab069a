/**
 * Opening a project by dropping its file on the window.
 */
import { useEffect } from 'react';
import { LIMITS } from '../../../engine/src/index';
import { useStudio } from '../state/store';

/** A .nnproj dropped anywhere on the window opens (after the unsaved-changes question). */
export function useFileDrop(): void {
  useEffect(() => {
    const hasFiles = (event: DragEvent) => [...(event.dataTransfer?.types ?? [])].includes('Files');
    const onDragOver = (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      const file = [...(event.dataTransfer?.files ?? [])][0];
      if (!file) return;
      if (!file.name.toLowerCase().endsWith('.nnproj')) {
        useStudio.setState({
          dialog: {
            title: `Could not open ${file.name}`,
            message: 'Only NN Studio projects (.nnproj files) can be opened by dropping them here; import data with Import CSV….',
          },
        });
        return;
      }
      // The same bound as a file opened from disk, checked before reading it into memory.
      const tooLarge = () =>
        useStudio.setState({
          dialog: {
            title: `Could not open ${file.name}`,
            message: `${file.name}: the file is too large to be a project (${file.size} bytes).`,
          },
        });
      if (file.size > LIMITS.fileBytes) return tooLarge();
      void file.text().then((text) => (text.length > LIMITS.fileChars ? tooLarge() : useStudio.getState().openContent(file.name, text)));
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}

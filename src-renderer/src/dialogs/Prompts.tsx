/**
 * The questions and dialogs about the document: Save / Don't Save / Cancel before unsaved changes
 * are lost, the offer to restore unsaved work after a crash, and a file that cannot be opened.
 */
import { useEffect, useRef } from 'react';
import { useStudio } from '../state/store';

export function Prompts() {
  const prompt = useStudio((s) => s.prompt);
  const dialog = useStudio((s) => s.dialog);
  const name = useStudio((s) => s.project?.name ?? 'the project');
  const answer = useStudio((s) => s.answerPrompt);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), [prompt, dialog]);

  if (prompt?.kind === 'unsaved') {
    return (
      <div className="modal" role="alertdialog" aria-label="Unsaved changes" onKeyDown={(e) => e.key === 'Escape' && answer('cancel')}>
        <div className="modal-body">
          <h2>Save the changes to {name}?</h2>
          <p>You are about to {prompt.action}. Changes you have not saved will be lost.</p>
          <div className="modal-actions">
            <button onClick={() => answer('discard')} data-testid="prompt-discard">
              Don’t Save
            </button>
            <button onClick={() => answer('cancel')} data-testid="prompt-cancel">
              Cancel
            </button>
            <button ref={first} className="primary" onClick={() => answer('save')} data-testid="prompt-save">
              Save
            </button>
          </div>
        </div>
      </div>
    );
  }
  if (prompt?.kind === 'restore') {
    return (
      <div className="modal" role="alertdialog" aria-label="Restore unsaved work">
        <div className="modal-body">
          <h2>Restore unsaved work?</h2>
          <p>
            NN Studio closed with unsaved changes to <b>{prompt.name}</b> ({prompt.path ?? 'never saved'}), backed up at{' '}
            {new Date(prompt.savedAt).toLocaleString()}.
          </p>
          <div className="modal-actions">
            <button onClick={() => answer('discard')} data-testid="restore-discard">
              Discard
            </button>
            <button ref={first} className="primary" onClick={() => answer('restore')} data-testid="restore-accept">
              Restore
            </button>
          </div>
        </div>
      </div>
    );
  }
  if (dialog) {
    return (
      <div
        className="modal"
        role="alertdialog"
        aria-label={dialog.title}
        onKeyDown={(e) => e.key === 'Escape' && useStudio.setState({ dialog: null })}
      >
        <div className="modal-body">
          <h2>{dialog.title}</h2>
          <p className="error-text" data-testid="dialog-message">
            {dialog.message}
          </p>
          <div className="modal-actions">
            <button ref={first} className="primary" onClick={() => useStudio.setState({ dialog: null })} data-testid="dialog-ok">
              OK
            </button>
          </div>
        </div>
      </div>
    );
  }
  return null;
}

/**
 * What Copy Link shows when the notice is not enough: the link in a read-only field to copy by
 * hand when the browser would not let the app write to the clipboard, or, for a project too large
 * for a link, why, with Save As… to send it as a file instead. Escape or Close dismisses it and
 * gives focus back.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useShareDialog, writeClipboard } from '../state/share';
import { useStudio } from '../state/store';
import './share-link.css';

/** The dialog, while Copy Link has one to show. */
export function ShareLinkDialog() {
  const dialog = useShareDialog((s) => s.dialog);
  if (!dialog) return null;
  return dialog.kind === 'link' ? <CopyByHand link={dialog.link} notice={dialog.notice} /> : <TooLong message={dialog.message} />;
}

/** Focus goes to `first` while the dialog is open, and back where it was when it closes. */
function useDialogFocus(first: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const back = document.activeElement;
    first.current?.focus();
    return () => {
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    };
  }, [first]);
}

function CopyByHand({ link, notice }: { link: string; notice: string }) {
  const close = useShareDialog((s) => s.close);
  const field = useRef<HTMLInputElement>(null);
  const [refused, setRefused] = useState(false);
  useDialogFocus(field);
  const copy = async () => {
    let copied = await writeClipboard(link);
    if (!copied && field.current) {
      // The older way, which some browsers still allow from a click when the clipboard API is refused.
      field.current.select();
      copied = document.execCommand('copy');
    }
    if (!copied) return setRefused(true);
    close();
    useStudio.setState({ notice, error: null });
  };
  return (
    <div
      className="modal"
      role="dialog"
      aria-modal="true"
      aria-labelledby="share-link-title"
      onKeyDown={(e) => e.key === 'Escape' && close()}
      onMouseDown={(e) => e.target === e.currentTarget && close()}
    >
      <div className="modal-body share-link" data-testid="share-link-dialog">
        <h2 id="share-link-title">Copy this link</h2>
        <p>The browser did not let NN Studio put the link on the clipboard: select it and copy it yourself.</p>
        <input
          ref={field}
          className="share-link-field"
          readOnly
          value={link}
          aria-label="Link to the project"
          data-testid="share-link-field"
          onFocus={(e) => e.currentTarget.select()}
        />
        <p className="hint">
          {link.length.toLocaleString('en')} characters. The project travels in the link itself, after the #, which a browser never sends to
          a server: nothing is uploaded.
        </p>
        {refused && (
          <p className="error-text" role="alert">
            The browser refused again: select the link and press Ctrl+C (⌘C on a Mac).
          </p>
        )}
        <div className="modal-actions">
          <button onClick={close} data-testid="share-link-close">
            Close
          </button>
          <button className="primary" onClick={() => void copy()} data-testid="share-link-copy">
            Copy
          </button>
        </div>
      </div>
    </div>
  );
}

function TooLong({ message }: { message: string }) {
  const close = useShareDialog((s) => s.close);
  const saveAs = useRef<HTMLButtonElement>(null);
  useDialogFocus(saveAs);
  return (
    <div
      className="modal"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="share-too-long-title"
      aria-describedby="share-too-long-message"
      onKeyDown={(e) => e.key === 'Escape' && close()}
      onMouseDown={(e) => e.target === e.currentTarget && close()}
    >
      <div className="modal-body share-link" data-testid="share-too-long">
        <h2 id="share-too-long-title">Too large for a link</h2>
        <p id="share-too-long-message" data-testid="share-too-long-message">
          {message}
        </p>
        <p className="hint">A link carries the whole project in its address; the network’s weights and its data make this one long.</p>
        <div className="modal-actions">
          <button onClick={close} data-testid="share-too-long-close">
            Close
          </button>
          <button
            ref={saveAs}
            className="primary"
            data-testid="share-too-long-save"
            onClick={() => {
              close();
              void useStudio.getState().save(true);
            }}
          >
            Save As…
          </button>
        </div>
      </div>
    </div>
  );
}

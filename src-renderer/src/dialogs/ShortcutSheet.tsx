/**
 * Help › Keyboard Shortcuts (`?` outside a text field): every key of the app, read from the action
 * table, grouped by menu. Escape or Close dismisses it and gives focus back.
 */
import { useEffect, useRef } from 'react';
import { shortcutOf } from '../../../src-shared/actions';
import { useStudio } from '../state/store';
import { shortcutGroups, useShortcutSheet } from './shortcut-sheet';
import './shortcut-sheet.css';

/** The sheet, while it is open. */
export function ShortcutSheet() {
  const open = useShortcutSheet((s) => s.open);
  return open ? <Sheet /> : null;
}

function Sheet() {
  const platform = useStudio((s) => s.info?.platform ?? 'linux');
  const hide = useShortcutSheet((s) => s.hide);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Focus goes back where it was (the canvas, a button) when the sheet closes.
    const back = document.activeElement;
    close.current?.focus();
    return () => {
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    };
  }, []);
  const palette = shortcutOf('view.commandPalette', platform);
  return (
    <div
      className="modal"
      role="dialog"
      aria-modal="true"
      aria-labelledby="shortcut-sheet-title"
      onKeyDown={(e) => e.key === 'Escape' && hide()}
      onMouseDown={(e) => e.target === e.currentTarget && hide()}
    >
      <div className="modal-body shortcut-sheet" data-testid="shortcut-sheet">
        <h2 id="shortcut-sheet-title">Keyboard shortcuts</h2>
        <div className="shortcut-groups">
          {shortcutGroups(platform).map((group) => (
            <section key={group.heading} aria-labelledby={`shortcuts-${group.heading}`}>
              <h3 id={`shortcuts-${group.heading}`}>{group.heading}</h3>
              <table>
                <tbody>
                  {group.rows.map((row) => (
                    <tr key={row.id} data-testid={`shortcut-${row.id}`}>
                      <th scope="row">{row.label}</th>
                      <td>
                        {row.keys.map((key, k) => (
                          <span key={key}>
                            {k > 0 && <span className="or"> or </span>}
                            <kbd>{key}</kbd>
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
        <p className="hint">
          Every other action is in the menus and in the command palette{palette ? ` (${palette})` : ''}. Keys without Ctrl work outside text
          fields.
        </p>
        <div className="modal-actions">
          <button ref={close} className="primary" onClick={hide}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

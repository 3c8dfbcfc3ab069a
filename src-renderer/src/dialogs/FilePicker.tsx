/**
 * The browser host's file picker: lists .nnproj files and folders of the workspace (the host
 * refuses anything outside it), to open one or to name one to save.
 */
import { useEffect, useState } from 'react';
import { suggestedFileName } from '../../../engine/src/index';
import type { ResponseOf } from '../../../src-shared/contract';
import { api } from '../state/api';
import { FolderIcon, ProjectIcon } from '../ui/icons';
import { useStudio } from '../state/store';

export function FilePicker({ mode }: { mode: 'open' | 'save' }) {
  const { setPicker, openPath, savePath, project, recent } = useStudio();
  const [listing, setListing] = useState<ResponseOf<'workspace:list'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The project's name as it is (saving names the project after its file, so accepting this
  // keeps the name), as the desktop's save dialog suggests it.
  const [name, setName] = useState(suggestedFileName(project?.name ?? ''));
  // Saving over an existing project asks first, as a native save dialog does.
  const [replacing, setReplacing] = useState<string | null>(null);
  const fileName = name.endsWith('.nnproj') ? name : `${name}.nnproj`;
  const saveHere = () => {
    if (!listing) return;
    if (replacing !== fileName && listing.entries.some((e) => e.kind === 'project' && e.name === fileName)) return setReplacing(fileName);
    void savePath(`${listing.dir}/${fileName}`);
  };

  const list = (dir?: string) =>
    api
      .invoke('workspace:list', dir ? { dir } : {})
      .then(setListing)
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    void list();
  }, []);

  return (
    <div className="modal" role="dialog" aria-label={mode === 'open' ? 'Open a project' : 'Save the project'}>
      <div className="modal-body">
        <h2>{mode === 'open' ? 'Open a project' : 'Save as'}</h2>
        {mode === 'open' && recent.length > 0 && (
          <div className="recent" data-testid="picker-recent">
            <h3>Recent</h3>
            {recent.map((path) => (
              <button key={path} className="link" onClick={() => void openPath(path)} title={path}>
                {path.split(/[\\/]/).pop()}
              </button>
            ))}
          </div>
        )}
        <div className="picker-dir">{listing?.dir}</div>
        {error && <div className="error-text">{error}</div>}
        <ul className="picker-list">
          {listing && (
            <li>
              <button onClick={() => void list(`${listing.dir}/..`)}>⬑ ..</button>
            </li>
          )}
          {listing?.entries.map((entry) => (
            <li key={entry.path}>
              <button
                onClick={() => {
                  if (entry.kind === 'folder') void list(entry.path);
                  else if (mode === 'open') void openPath(entry.path);
                  else setName(entry.name);
                }}
              >
                {entry.kind === 'folder' ? <FolderIcon /> : <ProjectIcon />} {entry.name}
              </button>
            </li>
          ))}
        </ul>
        {mode === 'save' && (
          <label>
            File name{' '}
            <input
              aria-label="File name"
              value={name}
              onChange={(e) => (setName(e.target.value), setReplacing(null))}
              onKeyDown={(e) => e.key === 'Enter' && saveHere()}
            />
          </label>
        )}
        {replacing && (
          <p className="error-text" role="alert" data-testid="replace-warning">
            {replacing} already exists. Save again to replace it.
          </p>
        )}
        <div className="modal-actions">
          <button onClick={() => setPicker(null)}>Cancel</button>
          {mode === 'save' && listing && (
            <button className="primary" onClick={saveHere}>
              {replacing ? 'Replace' : 'Save'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

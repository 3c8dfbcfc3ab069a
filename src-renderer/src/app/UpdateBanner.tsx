/**
 * The web edition's update prompt: once a newer version has been downloaded (the host's
 * `app:update-available`), a banner says so with Reload, which deals with unsaved changes as New
 * does (Save / Don't Save / Cancel) and then switches to the new version (`app:update`: the page
 * reloads under it). Dismissed, it stays away until another version arrives. The desktop app and
 * the browser host never send the event.
 */
import { create } from 'zustand';
import { api } from '../state/api';
import { useStudio } from '../state/store';
import { leaveWithoutAsking } from './use-window-events';
import './update-banner.css';

interface UpdateState {
  /** A newer version is waiting. */
  available: boolean;
  dismissed: boolean;
  /** The switch is under way (the page is about to reload). */
  applying: boolean;
}

/** Exported for the tests. */
export const useUpdate = create<UpdateState>(() => ({ available: false, dismissed: false, applying: false }));

// Listened for as the module loads rather than when the banner mounts: the host may learn of a
// waiting version while the window is still starting, and an event nobody heard is gone.
api.on('app:update-available', () => useUpdate.setState({ available: true, dismissed: false }));

/**
 * Reload with the new version: unsaved changes first (Cancel keeps the page as it is; Don't Save
 * drops them, and their backup, as closing does), then the switch. A failure is shown in one
 * sentence and the page stays.
 */
export async function applyUpdate(): Promise<void> {
  const studio = useStudio.getState();
  if (!(await studio.confirmUnsaved('reload NN Studio with its new version'))) return;
  useUpdate.setState({ applying: true });
  try {
    if (useStudio.getState().dirty) await api.invoke('backup:clear', {}).catch(() => undefined);
    // The user has answered for the changes: the browser must not ask again as the page reloads.
    leaveWithoutAsking(true);
    await api.invoke('app:update', {});
  } catch (error) {
    leaveWithoutAsking(false);
    useUpdate.setState({ applying: false });
    useStudio.setState({
      error: `Switching to the new version failed: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

/** The banner, under the toolbar with the others. */
export function UpdateBanner() {
  const { available, dismissed, applying } = useUpdate();
  if (!available || dismissed) return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner">
      <span>A new version of NN Studio is ready.</span>
      <button className="update-reload" onClick={() => void applyUpdate()} disabled={applying} data-testid="update-reload">
        {applying ? 'Reloading…' : 'Reload'}
      </button>
      <button
        className="update-dismiss"
        onClick={() => useUpdate.setState({ dismissed: true })}
        aria-label="Dismiss"
        title="Not now: the new version loads the next time NN Studio opens"
      >
        ×
      </button>
    </div>
  );
}

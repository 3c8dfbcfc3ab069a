/**
 * The window's side of the store's life: starting it once, the window's title, the browser's own
 * question before a tab with unsaved changes closes, refusals that fade, and the backprop
 * inspector following the document that is open.
 */
import { useEffect } from 'react';
import { useBackprop } from '../backprop/store';
import { listenForShareLinks } from '../state/share';
import { useStudio, windowTitle } from '../state/store';

/** Set while the page reloads on purpose after the user has answered for the unsaved changes (an update). */
let leavingOnPurpose = false;

/** Whether the browser's leave question is skipped: true once the app has asked itself (UpdateBanner.tsx). */
export function leaveWithoutAsking(on: boolean): void {
  leavingOnPurpose = on;
}

/** Starts the store, and keeps the title, the leave question and the refusal toast in step with it. */
export function useWindowLifecycle(): void {
  const refusal = useStudio((s) => s.refusal);
  const project = useStudio((s) => s.project);
  const dirty = useStudio((s) => s.dirty);
  const info = useStudio((s) => s.info);

  // A refusal shows at the cursor for a few seconds.
  useEffect(() => {
    if (!refusal) return;
    const timer = setTimeout(() => useStudio.setState({ refusal: null }), 4000);
    return () => clearTimeout(timer);
  }, [refusal]);

  useEffect(() => {
    void useStudio.getState().init();
    // The lessons' progress loads with the lessons, when the Learn panel first opens (LazyLearnPanel.tsx).
  }, []);

  // A link to a project (#nnproj=…) opens at start-up, after the backup question, and whenever the fragment changes.
  useEffect(() => listenForShareLinks(), []);

  useEffect(() => {
    document.title = windowTitle(project, dirty);
  }, [project, dirty]);

  // In the browser, closing the tab with unsaved changes gets the browser's own question (the
  // desktop window asks through app:close-requested instead).
  useEffect(() => {
    if (!dirty || !info || info.host === 'electron') return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (leavingOnPurpose) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty, info]);
}

/** A project saved while inspecting reopens inspecting the same sample. */
export function useInspectorFollowsDocument(): void {
  const documentId = useStudio((s) => s.documentId);
  useEffect(() => {
    const view = useStudio.getState().project?.view;
    if (view?.panels?.inspector) void useBackprop.getState().openAt(view.inspectorSample ?? 0);
    else useBackprop.getState().close();
  }, [documentId]);
}

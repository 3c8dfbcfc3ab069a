/**
 * The window's side of the store's life: starting it once, the window's title, the browser's own
 * question before a tab with unsaved changes closes, refusals that fade, and the backprop
 * inspector following the document that is open.
 */
import { useEffect } from 'react';
import { useBackprop } from '../backprop/store';
import { useLessons } from '../lessons/lesson-store';
import { useStudio, windowTitle } from '../state/store';

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
    void useLessons.getState().loadProgress();
  }, []);

  useEffect(() => {
    document.title = windowTitle(project, dirty);
  }, [project, dirty]);

  // In the browser, closing the tab with unsaved changes gets the browser's own question (the
  // desktop window asks through app:close-requested instead).
  useEffect(() => {
    if (!dirty || info?.host !== 'browser') return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
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

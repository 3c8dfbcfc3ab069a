/**
 * The Learn panel as the window shows it: the lessons (the course's files, their checks, the
 * Markdown reader) are fetched the first time the panel opens, not with the app. Until they have
 * arrived the panel says so; should they not arrive (offline before they were ever stored), it
 * says that in a sentence with a way to try again.
 */
import { useEffect, useState } from 'react';
import { chunkOnce } from '../ui/load-chunk';
import { useLearnPanel } from './learn-panel-state';
import './learn-loading.css';

type LearnModule = typeof import('./LearnPanel');

/**
 * The panel's module, fetched once. The saved progress starts loading as it arrives (not
 * awaited: what the student does before it has loaded is joined with it, lesson-store.ts).
 */
const loadLearnPanel = chunkOnce('The lessons', async (): Promise<LearnModule> => {
  const [panel, store] = await Promise.all([import('./LearnPanel'), import('./lesson-store')]);
  void store.useLessons.getState().loadProgress();
  return panel;
});

/** Set once the module has arrived, so a panel opened again renders at once. */
let loaded: LearnModule | null = null;

/** The Learn panel, fetched on first use. */
export function LazyLearnPanel() {
  const [module, setModule] = useState<LearnModule | null>(loaded);
  const [problem, setProblem] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (module) return;
    let current = true;
    loadLearnPanel().then(
      (m) => {
        loaded = m;
        if (current) setModule(m);
      },
      (error: unknown) => current && setProblem(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      current = false;
    };
  }, [module, attempt]);

  if (module) return <module.LearnPanel />;
  return (
    <section className="learn-loading pane" aria-label="Learn" aria-busy={!problem} data-testid="learn-loading">
      {problem ? (
        <p role="alert" data-testid="learn-load-problem">
          {problem}{' '}
          <button
            onClick={() => {
              setProblem(null);
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>{' '}
          <button onClick={() => useLearnPanel.getState().setOpen(false)}>Close</button>
        </p>
      ) : (
        <p className="hint" role="status">
          Loading the lessons…
        </p>
      )}
    </section>
  );
}

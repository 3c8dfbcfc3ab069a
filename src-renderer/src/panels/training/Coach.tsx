/**
 * The coach: when a run stops or is paused, what went wrong and what to try, in the lecture's
 * terms and with the run's own numbers (engine/src/train/coach.ts). It measures nothing while
 * training runs — one forward pass over the training rows once the run is held still — and
 * clears when training starts again or the document is edited, since its findings are about the
 * run that just stopped.
 */
import { useEffect, useState } from 'react';
import { useCoachShown } from './coach-store';
import { diagnoseRun, projectData, type Diagnosis, type Project } from '../../../../engine/src/index';
import { useStudio } from '../../state/store';
import { useDataPreparation } from '../../ui/use-throttled';
import './coach.css';

/** How long after the run is held still the coach looks: the run's last progress (its final weights) arrives just after its stop. */
const SETTLE_MS = 150;

export function Coach() {
  const project = useStudio((s) => s.project);
  return project ? <CoachFor project={project} /> : null;
}

function CoachFor({ project }: { project: Project }) {
  const state = useStudio((s) => s.training.state);
  const stopReason = useStudio((s) => s.training.stopReason ?? null);
  const message = useStudio((s) => s.training.message);
  const history = useStudio((s) => s.training.history);
  const documentId = useStudio((s) => s.documentId);
  // What an edit, undo or redo changes, and a run's arriving weights or its recording do not.
  const undoCount = useStudio((s) => s.history?.past.length ?? 0);
  const redoCount = useStudio((s) => s.history?.future.length ?? 0);
  const { hyperparameters, dataset, split } = project;
  const data = useDataPreparation(project, (p) => projectData(p).train);
  const held = state === 'stopped' || state === 'paused';

  // The document as it was when the run was held still: an edit after that ends the coach's say.
  const mark = [documentId, undoCount, redoCount, hyperparameters, dataset, split] as const;
  const [heldAt, setHeldAt] = useState<typeof mark | null>(null);
  useEffect(() => {
    setHeldAt(held ? mark : null);
    // Only the moment the run is held still counts, not the edits after it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [held]);
  const sameDocument = heldAt !== null && heldAt.every((value, k) => value === mark[k]);

  const [diagnoses, setDiagnoses] = useState<Diagnosis[] | null>(null);
  useEffect(() => {
    useCoachShown.setState({ kinds: diagnoses?.map((d) => d.kind) ?? [] });
  }, [diagnoses]);
  // Unmounted (the panels hidden), it shows nothing.
  useEffect(() => () => useCoachShown.setState({ kinds: [] }), []);
  useEffect(() => {
    if (!held || !sameDocument || typeof data === 'string') {
      setDiagnoses(null);
      return;
    }
    const timer = setTimeout(() => {
      try {
        const stop = state === 'stopped' && stopReason ? { reason: stopReason, message: message ?? undefined } : null;
        setDiagnoses(diagnoseRun({ project, train: data, history, stop }));
      } catch {
        // A network the data no longer fits has nothing to coach: the compile status says why.
        setDiagnoses(null);
      }
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [held, sameDocument, project, data, history, state, stopReason, message]);

  return (
    <section className="coach" data-testid="coach" role="status" aria-label="Coach" data-diagnoses={diagnoses?.length ?? ''}>
      {diagnoses && diagnoses.length === 0 && history.length > 0 && (
        <p className="coach-none" data-testid="coach-none">
          Coach: nothing to report about this run.
        </p>
      )}
      {diagnoses?.map((d) => (
        <article key={d.kind} className={`coach-item coach-${d.severity}`} data-testid={`coach-${d.kind}`}>
          <h3 className="coach-title">{d.title}</h3>
          <p className="coach-explanation">{d.explanation}</p>
          <ul className="coach-advice" aria-label="What to try">
            {d.advice.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}

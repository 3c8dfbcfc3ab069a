/**
 * Runs the open lesson's checks for the step shown, against the window as it is: the document,
 * the training run, the inspector, the quiz (answers since the lesson began), the coach and the
 * kept runs. Results follow every change (at most a few times a second while training runs), and
 * a task whose check holds is ticked off for good.
 */
import { useEffect, useMemo } from 'react';
import { runCheck, type CheckContext, type CheckResult, type Lesson } from '../../../engine/src/index';
import { useBackprop } from '../backprop/store';
import { useQuiz } from '../backprop/quiz-store';
import { useCoachShown } from '../panels/training/coach-store';
import { useStudio } from '../state/store';
import { useThrottled } from '../ui/use-throttled';
import { progressOf, useLessons } from './lesson-store';

/** The quiz's score over the answers after the first `baseline` (those given before the lesson began); all of them when the record was cleared since. */
function scoreSince(baseline: number, all: readonly { quantity: string; right: boolean }[]): CheckContext['quiz'] {
  const records = baseline <= all.length ? all.slice(baseline) : all;
  const now = { asked: records.length, right: 0, byQuantity: {} as Record<string, { asked: number; right: number }> };
  for (const r of records) {
    const entry = (now.byQuantity[r.quantity] ??= { asked: 0, right: 0 });
    entry.asked++;
    if (r.right) {
      entry.right++;
      now.right++;
    }
  }
  return now;
}

/** The results of the shown step's tasks, by task id; null while the lesson has not been begun in this document. */
export function useLessonChecks(lesson: Lesson | null): Record<string, CheckResult> | null {
  const project = useStudio((s) => s.project);
  const documentId = useStudio((s) => s.documentId);
  const training = useStudio((s) => s.training);
  const runs = useStudio((s) => s.project?.runs);
  const inspectorOpen = useBackprop((s) => s.open);
  const phase = useBackprop((s) => (s.open && s.inspection ? (s.inspection.steps[s.cursor]?.phase ?? null) : null));
  const unit = useBackprop((s) => {
    const step = s.open && s.inspection ? s.inspection.steps[s.cursor] : undefined;
    return step && step.phase === 'update' ? step.nodeId : null;
  });
  const quizRecords = useQuiz((s) => s.records);
  const coach = useCoachShown((s) => s.kinds);
  const { start, documentId: lessonDocument, quizBaseline, phasesSeen, markDone, notePhase } = useLessons();
  const step = useLessons((s) => progressOf(s).step);
  const done = useLessons((s) => progressOf(s).done);

  useEffect(() => {
    if (phase && phase !== 'loss') notePhase(phase);
  }, [phase, notePhase]);

  // While training runs the document changes every few epochs: the checks follow at most 4 times a second.
  // The document travels with its id: a throttled value that still holds the previous document
  // (just after the lesson opened its own) must not be checked, or it could tick a task off.
  const current = useMemo(() => ({ project, documentId, training }), [project, documentId, training]);
  const throttled = useThrottled(current, 250);
  const throttledProject = throttled.project;
  const throttledTraining = throttled.training;
  const active =
    lesson !== null && start !== null && project !== null && lessonDocument === documentId && throttled.documentId === lessonDocument;
  const results = useMemo(() => {
    if (!active || !lesson || !start || !throttledProject) return null;
    const trainingView = { state: throttledTraining.state, message: throttledTraining.message, history: throttledTraining.history };
    const context: CheckContext = {
      project: throttledProject,
      start,
      training: trainingView,
      inspector: { open: inspectorOpen, phase: phase === 'loss' ? 'backward' : phase, unit, phasesSeen },
      quiz: scoreSince(quizBaseline, quizRecords),
      coach,
      runs: (runs ?? []).map((r) => ({ hyperparameters: r.hyperparameters, finalLoss: r.final.loss })),
    };
    const out: Record<string, CheckResult> = {};
    for (const task of lesson.steps[step]?.tasks ?? []) out[task.id] = runCheck(task.check, context);
    return out;
  }, [
    active,
    lesson,
    start,
    throttledProject,
    throttledTraining,
    inspectorOpen,
    phase,
    unit,
    phasesSeen,
    quizBaseline,
    step,
    runs,
    quizRecords,
    coach,
  ]);

  useEffect(() => {
    if (!results) return;
    const newlyDone = Object.entries(results)
      .filter(([id, result]) => result.done && !done.includes(id))
      .map(([id]) => id);
    if (newlyDone.length) markDone(newlyDone);
  }, [results, done, markDone]);

  return results;
}

/**
 * The Learn panel, beside the canvas: the course's lessons with the student's progress, and the
 * open lesson — its text with formulas typeset, the step's tasks ticked off as the app sees them
 * done (with where the student stands on the others), hints one at a time on request, and the
 * solution on request. A teacher's lesson opens from a file here too.
 */
import { useMemo, useRef } from 'react';
import { lessonText, type Lesson } from '../../../engine/src/index';
import { useStudio } from '../state/store';
import { markdownToHtml } from '../ui/markdown';
import { useLearnPanel } from './learn-panel-state';
import { COURSE, progressOf, useLessons } from './lesson-store';
import { useLessonChecks } from './use-lesson-checks';
import './learn.css';

/** Markdown with formulas, as a block (or inline). */
function Rich({ text, inline = false, className }: { text: string | readonly string[]; inline?: boolean; className?: string }) {
  const html = useMemo(() => markdownToHtml(lessonText(text), inline), [text, inline]);
  // markdown-it writes no raw HTML, links or images here, and KaTeX escapes what it typesets.
  const Tag = inline ? 'span' : 'div';
  return <Tag className={className ? `rich ${className}` : 'rich'} dangerouslySetInnerHTML={{ __html: html }} />;
}

const taskIds = (lesson: Lesson) => lesson.steps.flatMap((s) => s.tasks.map((t) => t.id));

/** The list of lessons, each with how far the student got. */
function Course() {
  const progress = useLessons((s) => s.progress);
  const show = useLessons((s) => s.show);
  return (
    <ol className="course" data-testid="course">
      {COURSE.map((lesson) => {
        const ids = taskIds(lesson);
        const done = ids.filter((id) => progress[lesson.id]?.done.includes(id)).length;
        return (
          <li key={lesson.id}>
            <button className="course-lesson" onClick={() => show(lesson, { kind: 'course' })} data-testid={`lesson-${lesson.id}`}>
              <span className="course-title">{lesson.title}</span>
              <span className="course-summary">{lesson.summary}</span>
              <span className={done === ids.length && ids.length ? 'course-progress complete' : 'course-progress'}>
                {done === ids.length && ids.length ? '✓ complete' : done ? `${done} of ${ids.length} tasks done` : `${ids.length} tasks`}
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

/** The open lesson at its step. */
function LessonView({ lesson }: { lesson: Lesson }) {
  const state = useLessons();
  const progress = progressOf(state);
  const documentId = useStudio((s) => s.documentId);
  const hasProject = useStudio((s) => s.project !== null);
  const results = useLessonChecks(lesson);
  const begun = state.start !== null && state.documentId === documentId && hasProject;
  const step = lesson.steps[Math.min(progress.step, lesson.steps.length - 1)];
  const index = lesson.steps.indexOf(step);
  const hintsShown = progress.hints[index] ?? 0;
  const stepDone = step.tasks.every((t) => progress.done.includes(t.id));
  const solutionShown = progress.solutions.includes(index);
  const last = index === lesson.steps.length - 1;

  return (
    <article className="lesson" data-testid="lesson" data-lesson={lesson.id} aria-labelledby="lesson-title">
      <h3 id="lesson-title">{lesson.title}</h3>
      {state.source.kind === 'file' && <p className="lesson-source">From the file {state.source.name}</p>}
      {!begun ? (
        <div className="lesson-intro">
          <p>{lesson.summary}</p>
          {lesson.lecture && <p className="lesson-lecture">In the lecture: {lesson.lecture}</p>}
          <button className="primary" onClick={() => void state.begin()} data-testid="lesson-begin">
            {progress.done.length ? 'Continue the lesson' : 'Start the lesson'}
          </button>
          <p className="hint">Opens the lesson’s network as a new, unsaved project.</p>
        </div>
      ) : (
        <>
          <nav className="lesson-steps" aria-label="Steps">
            <button onClick={() => state.goToStep(index - 1)} disabled={index === 0} aria-label="Previous step" data-testid="lesson-prev">
              ‹
            </button>
            <span data-testid="lesson-step">
              Step {index + 1} of {lesson.steps.length}: {step.title}
            </span>
            <button onClick={() => state.goToStep(index + 1)} disabled={last} aria-label="Next step" data-testid="lesson-next-arrow">
              ›
            </button>
          </nav>
          <Rich text={step.text} className="lesson-text" />
          {step.tasks.length > 0 && (
            <ul className="tasks" aria-label="Tasks" data-testid="tasks">
              {step.tasks.map((task) => {
                const done = progress.done.includes(task.id);
                const result = results?.[task.id];
                return (
                  <li key={task.id} className={done ? 'task done' : 'task'} data-testid={`task-${task.id}`} data-done={done}>
                    <span className="task-mark" aria-hidden>
                      {done ? '✓' : '○'}
                    </span>
                    <span className="task-body">
                      <Rich text={task.text} inline />
                      <span className="visually-hidden">{done ? ' (done)' : ' (not done yet)'}</span>
                      {!done && result && (
                        <small className="task-detail" data-testid={`task-${task.id}-detail`}>
                          {result.detail}
                        </small>
                      )}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
          {hintsShown > 0 && (
            <ol className="hints" aria-label="Hints" data-testid="hints">
              {step.hints.slice(0, hintsShown).map((hint, i) => (
                <li key={i}>
                  <Rich text={hint} />
                </li>
              ))}
            </ol>
          )}
          {solutionShown && step.solution && (
            <div className="solution" data-testid="solution">
              <strong>Solution.</strong> <Rich text={step.solution.text} inline />
            </div>
          )}
          <div className="lesson-actions">
            {hintsShown < step.hints.length && (
              <button onClick={state.showHint} data-testid="lesson-hint">
                Hint{step.hints.length > 1 ? ` (${step.hints.length - hintsShown} left)` : ''}
              </button>
            )}
            {step.solution && !solutionShown && (
              <button onClick={() => void state.showSolution()} data-testid="lesson-solution">
                Show solution
              </button>
            )}
            {!last && (
              <button className={stepDone ? 'primary' : undefined} onClick={() => state.goToStep(index + 1)} data-testid="lesson-next">
                {stepDone ? 'Next step' : 'Skip to next step'}
              </button>
            )}
          </div>
          {last && stepDone && (
            <p className="lesson-complete" role="status" data-testid="lesson-complete">
              Lesson complete. <button onClick={state.showCourse}>Back to the course</button>
            </p>
          )}
        </>
      )}
    </article>
  );
}

/** The panel. */
export function LearnPanel() {
  const lesson = useLessons((s) => s.lesson);
  const problem = useLessons((s) => s.problem);
  const { showCourse, openFile, dismissProblem } = useLessons.getState();
  const setPanelOpen = useLearnPanel((s) => s.setOpen);
  const file = useRef<HTMLInputElement>(null);
  return (
    <section className="learn pane" aria-label="Learn" data-testid="learn">
      <header className="learn-header">
        <h2>Learn</h2>
        {lesson && (
          <button onClick={showCourse} data-testid="learn-course">
            All lessons
          </button>
        )}
        <button onClick={() => file.current?.click()} data-testid="learn-open-file">
          Open lesson file…
        </button>
        <input
          ref={file}
          type="file"
          accept=".nnlesson,.json,application/json"
          hidden
          aria-label="Lesson file"
          onChange={async (event) => {
            const chosen = event.currentTarget.files?.[0];
            event.currentTarget.value = '';
            if (chosen) openFile(chosen.name, await chosen.text());
          }}
        />
        <button className="learn-close" onClick={() => setPanelOpen(false)} aria-label="Close the Learn panel" data-testid="learn-close">
          ×
        </button>
      </header>
      {problem && (
        <p className="learn-problem" role="alert" data-testid="learn-problem">
          {problem} <button onClick={dismissProblem}>Dismiss</button>
        </p>
      )}
      {lesson ? <LessonView lesson={lesson} /> : <Course />}
    </section>
  );
}

/**
 * The backprop quiz in the inspector: the Quiz toggle, the running score with the CSV export, and at
 * each stop the question in place of the number it asks for — the formula typeset, the numbers that
 * go into it, an answer field (Enter checks), right or wrong with the term that differs boxed in the
 * formula and named beside it, and "Show answer". Once a stop's questions are answered (or shown),
 * its usual detail appears below them and the student steps on.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  QUIZ_QUANTITIES,
  QUIZ_TOLERANCE_TEXT,
  quizFormulaLatex,
  quizParameters,
  type QuizCheck,
  type QuizQuestion,
} from '../../../engine/src/index';
import { Tex } from '../ui/Tex';
import { Num } from './Num';
import type { Inspection, InspectorStep } from './inspection';
import { questionsAt, quizCsv, quizScore, useQuiz } from './quiz-store';
import { useBackprop } from './store';
import './quiz.css';

/** Each inspection's number, so a new trace's questions start with empty fields. */
const ids = new WeakMap<Inspection, number>();
let lastId = 0;
function idOf(inspection: Inspection): number {
  let id = ids.get(inspection);
  if (id === undefined) ids.set(inspection, (id = ++lastId));
  return id;
}

/**
 * Whether the student is going through the quiz by the keyboard: set when an answer is checked,
 * shown or the quiz's Next pressed, so that what comes next (the following question's field, the
 * Next button) takes the focus — the element that had it is gone from the page by then.
 */
let keyboardInQuiz = false;
const takeFocus = (element: HTMLElement | null) => {
  const take = keyboardInQuiz;
  keyboardInQuiz = false;
  if (take && element) element.focus();
};

/** The toggle in the inspector's controls. */
export function QuizToggle() {
  const on = useQuiz((s) => s.on);
  return (
    <button
      aria-pressed={on}
      className={on ? 'quiz-toggle on' : 'quiz-toggle'}
      onClick={() => useQuiz.getState().setOn(!on)}
      title="Quiz: the inspector asks for each s, z, δ, ∂J/∂w and Δw instead of showing it, and checks your answer"
      data-testid="quiz-toggle"
    >
      Quiz
    </button>
  );
}

/** Saves the record as a CSV download: the browser keeps it in its downloads, the desktop app asks where. */
function exportCsv(): void {
  const csv = quizCsv(useQuiz.getState().records);
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  link.download = `backprop-quiz-${stamp}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The score, by quantity on hover, and the export. */
function Score() {
  useQuiz((s) => s.records);
  const score = quizScore();
  const detail = Object.entries(score.byQuantity)
    .map(([q, s]) => `${QUIZ_QUANTITIES[q as keyof typeof QUIZ_QUANTITIES].symbol}: ${s.right}/${s.asked}`)
    .join(', ');
  return (
    <div className="quiz-score">
      <span title={detail || 'No answers yet'} data-testid="quiz-score" data-right={score.right} data-asked={score.asked}>
        Score <b>{score.right}</b> / {score.asked}
      </span>
      <button onClick={exportCsv} disabled={score.asked === 0} data-testid="quiz-export" title="Save every answer as CSV (for a teacher)">
        Export CSV…
      </button>
    </div>
  );
}

/**
 * The stop's detail, with the quiz's questions first when the quiz is on: while one is open, the
 * detail (which would show the answer) waits.
 */
export function QuizStop({ inspection, step, detail }: { inspection: Inspection; step: InspectorStep; detail: ReactNode }) {
  const on = useQuiz((s) => s.on);
  const progress = useQuiz((s) => s.progress);
  const parameters = useQuiz((s) => s.parameters);
  const current = useQuiz((s) => s.inspection);
  if (!on) return <>{detail}</>;
  // The progress follows the inspection a render late at most: until then nothing counts as answered.
  const stateOf = (q: QuizQuestion) => (current === inspection ? progress[q.key]?.status : undefined) ?? 'open';
  const questions = questionsAt(inspection, step, parameters);
  const open = questions.findIndex((q) => stateOf(q) === 'open');
  const shown = open < 0 ? questions : questions.slice(0, open + 1);
  return (
    <div className="quiz-stop bp-detail" data-testid="quiz">
      <Score />
      {step.phase === 'update' && <ParameterChoice inspection={inspection} step={step} chosen={questions[0]?.param ?? null} />}
      {questions.length === 0 && (
        <p className="hint" data-testid="quiz-nothing">
          Nothing to compute at this stop: read it, then step on.
        </p>
      )}
      {shown.map((q) => (
        <Question key={`${idOf(inspection)}:${q.key}`} question={q} status={stateOf(q)} />
      ))}
      {open < 0 && questions.length > 0 && <Done />}
      {open < 0 && detail}
    </div>
  );
}

/** Which weight (or the bias) of unit j the update stop asks about. */
function ParameterChoice({
  inspection,
  step,
  chosen,
}: {
  inspection: Inspection;
  step: Extract<InspectorStep, { phase: 'update' }>;
  chosen: number | null;
}) {
  const options = quizParameters(inspection.trace, step);
  if (options.length < 2) return null;
  return (
    <label className="quiz-parameter">
      Ask about{' '}
      <select
        value={chosen ?? ''}
        onChange={(e) => useQuiz.getState().chooseParameter(step, Number(e.target.value))}
        data-testid="quiz-parameter"
      >
        {options.map((u) => (
          <option key={u.param} value={u.param}>
            {u.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** All done here: on to the next stop (focused, so Enter goes on). */
function Done() {
  const ref = useRef<HTMLButtonElement>(null);
  const last = useBackprop((s) => (s.inspection ? s.cursor >= s.inspection.steps.length - 1 : true));
  useEffect(() => takeFocus(ref.current), []);
  return (
    <p className="quiz-done">
      {last ? (
        'Every question of this step is answered: apply it to go on to the next sample.'
      ) : (
        <>
          Done here.{' '}
          <button
            ref={ref}
            onClick={() => {
              keyboardInQuiz = true;
              useBackprop.getState().next();
            }}
            data-testid="quiz-next"
          >
            Next stop ▶
          </button>
        </>
      )}
    </p>
  );
}

function Question({ question, status }: { question: QuizQuestion; status: 'open' | 'right' | 'shown' }) {
  const last = useQuiz((s) => s.progress[question.key]?.last ?? null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const info = QUIZ_QUANTITIES[question.quantity];
  useEffect(() => {
    if (status === 'open') takeFocus(field.current);
  }, [status]);
  const check = () => {
    keyboardInQuiz = true;
    const result = useQuiz.getState().answer(question, text);
    // A wrong answer keeps the field (and the focus) for another try.
    if ('problem' in result || !result.right) keyboardInQuiz = false;
    if ('problem' in result) return setProblem(result.problem);
    setProblem(null);
  };
  const wrong = status === 'open' && last && !last.right ? last : null;
  const highlight = wrong?.mistake?.term ?? null;
  return (
    <section
      className={`quiz-question ${status}`}
      data-testid={`quiz-${question.quantity}`}
      data-status={status}
      aria-label={`Compute ${question.symbol}`}
    >
      <h3>
        Compute <Tex tex={question.symbolLatex} />, {info.description}
      </h3>
      <p className="formula quiz-formula">
        <Tex tex={quizFormulaLatex(question, highlight)} testId="quiz-formula" />
      </p>
      <Givens question={question} />
      {status === 'open' ? (
        <div className="quiz-answer">
          <label>
            <Tex tex={`${question.symbolLatex} =`} />{' '}
            <input
              ref={field}
              aria-label={`Your answer: ${question.symbol}`}
              aria-invalid={problem || wrong ? true : undefined}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  check();
                }
              }}
              inputMode="decimal"
              autoComplete="off"
              data-testid="quiz-answer"
            />
          </label>
          <button onClick={check} data-testid="quiz-check">
            Check
          </button>
          <button
            className="link"
            onClick={() => {
              keyboardInQuiz = true;
              useQuiz.getState().reveal(question);
            }}
            data-testid="quiz-show"
          >
            Show answer
          </button>
          <span className="hint quiz-tolerance">Right {QUIZ_TOLERANCE_TEXT}.</span>
        </div>
      ) : (
        <p className="result quiz-result" data-testid="quiz-result">
          <Tex tex={`${question.symbolLatex} =`} /> <Num value={question.expected} testId="quiz-expected" />{' '}
          {status === 'right' ? <span className="quiz-right">✓ right</span> : <span className="hint">(shown: not counted as right)</span>}
        </p>
      )}
      {problem && (
        <p className="error-text" role="alert" data-testid="quiz-problem">
          {problem}
        </p>
      )}
      <Feedback check={status === 'open' ? wrong : null} question={question} />
      {status === 'shown' && <Terms question={question} />}
    </section>
  );
}

/** The numbers the formula needs, from the trace. */
function Givens({ question }: { question: QuizQuestion }) {
  return (
    <p className="quiz-givens" data-testid="quiz-givens">
      {question.givens.map((g, k) => (
        <span key={k} className="quiz-given">
          <Tex tex={`${g.latex} =`} /> <Num value={g.value} testId={`quiz-given-${k}`} />
        </span>
      ))}
    </p>
  );
}

/** After a wrong answer: the mistake named, or each term to compare. */
function Feedback({ check, question }: { check: QuizCheck | null; question: QuizQuestion }) {
  if (!check) return null;
  return (
    <div className="quiz-feedback" role="status" data-testid="quiz-feedback" data-mistake={check.mistake?.kind ?? ''}>
      <p>
        <span className="quiz-wrong">✗ wrong:</span> <span data-testid="quiz-message">{check.message}</span>
      </p>
      {!check.mistake && <Terms question={question} />}
    </div>
  );
}

/** Each term of the formula with its value. */
function Terms({ question }: { question: QuizQuestion }) {
  return (
    <table className="bp-table quiz-terms" data-testid="quiz-terms">
      <tbody>
        {question.terms.map((t, k) => (
          <tr key={k}>
            <td>
              <Tex tex={t.latex} />
            </td>
            <td>
              <Num value={t.value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

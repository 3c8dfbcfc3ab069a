/**
 * The backprop quiz's state: whether the inspector asks instead of showing, how far the student has
 * got with the questions of the traced step, and the record of every answer checked (what a teacher
 * exports as CSV, and what a lesson's task reads through {@link quizScore}).
 *
 * While the quiz is on, the canvas must not give the answer away either: the inspector's badges
 * (s, z, δ on the units, ∂J/∂w and Δw on the edges) of the stop's unanswered quantities are blanked
 * here, in the view the inspector's store hands the canvas.
 */
import { create } from 'zustand';
import {
  checkAnswer,
  parseQuizAnswer,
  quizQuestions,
  type QuizCheck,
  type QuizQuantity,
  type QuizQuestion,
} from '../../../engine/src/index';
import { useStudio } from '../state/store';
import { canvasView, type CanvasView, type Inspection, type InspectorStep } from './inspection';
import { useBackprop } from './store';

/** One checked answer (or an answer shown), as the CSV has it. */
export interface QuizRecord {
  /** When, as an ISO 8601 time. */
  time: string;
  project: string;
  /** The dataset rows of the step (one, or a mini-batch's). */
  rows: number[];
  /** The stop: its phase and unit ("forward y1", "update z1"). */
  stop: string;
  quantity: QuizQuantity;
  /** The quantity with its unit: `s_y1`, `δ_z1`, `Δw(z1←y1)`. */
  symbol: string;
  expected: number;
  /** What was typed (empty when the answer was shown without one). */
  typed: string;
  right: boolean;
  /** "Show answer" was used: counted as not answered right. */
  shown: boolean;
  /** The named mistake's sentence, the "no single slip" sentence, or empty. */
  mistake: string;
  tolerance: number;
}

/** Where one question of the current step stands. */
export interface QuestionProgress {
  status: 'open' | 'right' | 'shown';
  /** The last check of a typed answer. */
  last: QuizCheck | null;
}

export interface QuizState {
  on: boolean;
  /** Every answer checked since the app started (or the record was cleared). */
  records: QuizRecord[];
  /** The inspection the progress belongs to: a new trace (another row, a what-if edit, an applied step) asks afresh. */
  inspection: Inspection | null;
  /** By question key. */
  progress: Record<string, QuestionProgress>;
  /** The parameter each update stop asks about, by stop key, when the student chose one. */
  parameters: Record<string, number>;
  setOn(on: boolean): void;
  /**
   * Checks a typed answer to a question of the current step and records it; returns the check, or
   * the sentence saying why the text is not a number (nothing is recorded then).
   */
  answer(question: QuizQuestion, typed: string): QuizCheck | { problem: string };
  /** Shows the answer: recorded as not answered right. */
  reveal(question: QuizQuestion): void;
  chooseParameter(stop: InspectorStep, param: number): void;
  /** Forgets the record (the score starts again). */
  clearRecords(): void;
}

/** A stop's key among the stops of one step. */
export function stopKey(step: InspectorStep): string {
  return step.phase === 'update' ? `update:${step.nodeId}#${step.unit}` : `${step.phase}:${step.sample}:${'unit' in step ? step.unit : ''}`;
}

/** The stop as the record names it: its phase and its unit. */
export function stopLabel(inspection: Inspection, step: InspectorStep): string {
  const { samples } = inspection.trace;
  if (step.phase === 'update') {
    const unit = samples[0].forward.find((u) => u.nodeId === step.nodeId && u.unit === step.unit);
    return `update ${unit?.name ?? step.nodeId}`;
  }
  const prefix = samples.length > 1 ? `sample ${step.sample + 1} ` : '';
  if (step.phase === 'forward') return `${prefix}forward ${samples[step.sample].forward[step.unit].name}`;
  if (step.phase === 'backward') return `${prefix}backward ${samples[step.sample].backward[step.unit].name}`;
  return `${prefix}loss`;
}

/** The questions the quiz asks at a stop of the inspection (the update's about the chosen parameter). */
export function questionsAt(inspection: Inspection, step: InspectorStep, parameters: Record<string, number> = {}): QuizQuestion[] {
  return quizQuestions(inspection.trace, step, step.phase === 'update' ? parameters[stopKey(step)] : undefined);
}

/** The questions at `cursor` not yet answered right or shown. */
export function pendingAt(state: Pick<QuizState, 'progress' | 'parameters'>, inspection: Inspection, cursor: number): QuizQuestion[] {
  const step = inspection.steps[cursor];
  if (!step) return [];
  return questionsAt(inspection, step, state.parameters).filter((q) => (state.progress[q.key]?.status ?? 'open') === 'open');
}

export const useQuiz = create<QuizState>((set, get) => {
  const record = (question: QuizQuestion, entry: Pick<QuizRecord, 'typed' | 'right' | 'shown' | 'mistake'>) => {
    const { inspection, cursor } = useBackprop.getState();
    const step = inspection?.steps[cursor];
    const full: QuizRecord = {
      time: new Date().toISOString(),
      project: useStudio.getState().project?.name ?? '',
      rows: question.rows,
      stop: inspection && step ? stopLabel(inspection, step) : question.phase,
      quantity: question.quantity,
      symbol: question.symbol,
      expected: question.expected,
      tolerance: question.tolerance,
      ...entry,
    };
    set({ records: [...get().records, full] });
  };
  return {
    on: false,
    records: [],
    inspection: null,
    progress: {},
    parameters: {},

    setOn(on) {
      set({ on });
    },

    answer(question, typed) {
      const parsed = parseQuizAnswer(typed);
      if ('problem' in parsed) return parsed;
      const check = checkAnswer(question, parsed.value);
      record(question, { typed: typed.trim(), right: check.right, shown: false, mistake: check.right ? '' : check.message });
      set({ progress: { ...get().progress, [question.key]: { status: check.right ? 'right' : 'open', last: check } } });
      return check;
    },

    reveal(question) {
      const last = get().progress[question.key]?.last ?? null;
      record(question, { typed: '', right: false, shown: true, mistake: 'answer shown' });
      set({ progress: { ...get().progress, [question.key]: { status: 'shown', last } } });
    },

    chooseParameter(stop, param) {
      set({ parameters: { ...get().parameters, [stopKey(stop)]: param } });
    },

    clearRecords() {
      set({ records: [] });
    },
  };
});

/**
 * The quiz's score for a lesson's task ("answered 3 δ questions right"): every checked answer and
 * every answer shown is asked; right are the answers within tolerance. By quantity: `s`, `z`,
 * `delta`, `gradient`, `change`.
 */
export function quizScore(): { asked: number; right: number; byQuantity: Record<string, { asked: number; right: number }> } {
  const byQuantity: Record<string, { asked: number; right: number }> = {};
  let right = 0;
  const { records } = useQuiz.getState();
  for (const r of records) {
    const entry = (byQuantity[r.quantity] ??= { asked: 0, right: 0 });
    entry.asked++;
    if (r.right) {
      entry.right++;
      right++;
    }
  }
  return { asked: records.length, right, byQuantity };
}

/** The CSV's columns, in order. */
export const QUIZ_CSV_COLUMNS = [
  'time',
  'project',
  'rows',
  'stop',
  'quantity',
  'symbol',
  'expected',
  'typed',
  'right',
  'shown',
  'tolerance',
  'mistake',
] as const;

/**
 * A text field for a spreadsheet: quoted as RFC 4180 says when it holds a comma, quote or line
 * break, and with a leading apostrophe when it starts like a formula (=, +, −, @), so a project
 * named "=HYPERLINK(…)" stays text when a teacher opens the file.
 */
function textField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A number in full precision (what was typed keeps its own spelling; the expected value round-trips). */
const numberField = (value: number) => String(value);

/** The record as CSV: a header row of {@link QUIZ_CSV_COLUMNS}, one row per answer, CRLF line ends. */
export function quizCsv(records: readonly QuizRecord[]): string {
  const lines = [QUIZ_CSV_COLUMNS.join(',')];
  for (const r of records) {
    lines.push(
      [
        textField(r.time),
        textField(r.project),
        textField(r.rows.join(' ')),
        textField(r.stop),
        textField(r.quantity),
        textField(r.symbol),
        numberField(r.expected),
        // Typed text is a number parseQuizAnswer accepted; its typographic minus becomes ASCII.
        r.typed.replace(/−/g, '-'),
        r.right ? 'yes' : 'no',
        r.shown ? 'yes' : 'no',
        numberField(r.tolerance),
        textField(r.mistake),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The canvas's view at the inspector's cursor with the quiz's unanswered quantities blanked: the
 * focused unit's s and z (forward), its δ and the ∂J/∂w, Δw of the edges into it (backward, whose
 * −δ x gives δ away; update).
 */
export function quizView(inspection: Inspection, cursor: number, state: Pick<QuizState, 'on' | 'progress' | 'parameters'>): CanvasView {
  const view = canvasView(inspection, cursor);
  if (!state.on) return view;
  const pending = pendingAt(state, inspection, cursor);
  if (pending.length === 0) return view;
  const step = inspection.steps[cursor];
  const focus = view.focus;
  if (!focus) return view;
  const unit = view.units.get(focus.nodeId)?.[focus.unit];
  const asks = new Set(pending.map((q) => q.quantity));
  if (unit) {
    if (asks.has('s')) unit.s = null;
    if (asks.has('s') || asks.has('z')) unit.z = null;
    if (asks.has('delta')) unit.delta = null;
  }
  if (step.phase === 'backward' || step.phase === 'update') {
    for (const edge of inspection.model.graph.edges) if (edge.target === focus.nodeId) view.edges.delete(edge.id);
    let max = 0;
    for (const e of view.edges.values()) max = Math.max(max, e.magnitude);
    view.maxMagnitude = max;
  }
  return view;
}

/** The view this module last handed the inspector's store (so its own write is not taken for a new one). */
let produced: CanvasView | null = null;

function applyView(): void {
  const { open, inspection, cursor } = useBackprop.getState();
  if (!open || !inspection) return;
  produced = quizView(inspection, cursor, useQuiz.getState());
  useBackprop.setState({ view: produced });
}

useBackprop.subscribe((state, previous) => {
  // A new trace: its questions are asked afresh.
  if (state.inspection !== useQuiz.getState().inspection) useQuiz.setState({ inspection: state.inspection, progress: {} });
  if (state.view !== previous.view && state.view !== produced && useQuiz.getState().on) applyView();
});

useQuiz.subscribe((state, previous) => {
  if (state.on !== previous.on || state.progress !== previous.progress || state.parameters !== previous.parameters) applyView();
});

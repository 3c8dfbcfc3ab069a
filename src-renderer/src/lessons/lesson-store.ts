/**
 * The Learn panel's state: whether it is shown, the lesson open (built in or from a teacher's
 * file), the project it started from, and the student's progress in every lesson (kept by the
 * main process between launches). Starting a lesson opens its project as a new unsaved document;
 * the tasks' checks (use-lesson-checks.ts) read the window and tick tasks off here.
 */
import { create } from 'zustand';
import {
  applyProjectChanges,
  builtinCourse,
  findExample,
  freshProgress,
  parseLesson,
  startProjectOf,
  type Lesson,
  type LessonProgress,
  type ProgressByLesson,
  type Project,
} from '../../../engine/src/index';
import { api } from '../state/api';
import { useStudio } from '../state/store';
import { useQuiz } from '../backprop/quiz-store';
import { useLearnPanel } from './learn-panel-state';

export interface LessonState {
  /** The lesson open in the panel, or null for the course's list. */
  lesson: Lesson | null;
  /** Where the open lesson came from: the built-in course, or a file (its name). */
  source: { kind: 'course' } | { kind: 'file'; name: string };
  /** The project the open lesson started from, for checks that compare with it; null until it is begun. */
  start: Project | null;
  /** The document the lesson runs in (the studio's documentId when it was begun): another document pauses the lesson's checks. */
  documentId: number | null;
  /** How many quiz answers were on record when the lesson began: the lesson counts those after. */
  quizBaseline: number;
  /** The inspector phases shown since the lesson began. */
  phasesSeen: string[];
  /** Every lesson's progress, by id (loaded at start-up). */
  progress: ProgressByLesson;
  /** Why the last lesson file could not be opened, or why progress could not be saved. */
  problem: string | null;

  loadProgress(): Promise<void>;
  /** Shows a lesson's first page (or where the student left it), without starting it. */
  show(lesson: Lesson, source: LessonState['source']): void;
  /** Back to the list of lessons. */
  showCourse(): void;
  /** Opens the lesson's starting project as a new document; false when the user kept the current one. */
  begin(): Promise<boolean>;
  /** Reads a teacher's lesson file and shows it, or says in one sentence why it cannot. */
  openFile(name: string, text: string): void;
  goToStep(step: number): void;
  showHint(): void;
  /** Applies the step's solution to the document (one undoable edit) or opens its example. */
  showSolution(): Promise<void>;
  /** Ticks tasks off (they stay done). */
  markDone(taskIds: readonly string[]): void;
  notePhase(phase: string): void;
  dismissProblem(): void;
}

/** The progress of a lesson not begun: one object, so that a selector reading it returns the same value each time. */
const NOT_BEGUN: LessonProgress = Object.freeze(freshProgress());

/**
 * The saved progress with this launch's joined in (what was done before the saved progress had
 * loaded): the tasks, hints and solutions of both, and this launch's step.
 */
function joinProgress(saved: ProgressByLesson, now: ProgressByLesson): ProgressByLesson {
  const joined = { ...saved };
  for (const [id, mine] of Object.entries(now)) {
    const before = saved[id];
    if (!before) {
      joined[id] = mine;
      continue;
    }
    const hints = { ...before.hints };
    for (const [step, count] of Object.entries(mine.hints)) hints[step] = Math.max(hints[step] ?? 0, count);
    const union = <T>(a: readonly T[], b: readonly T[]) => [...new Set([...a, ...b])];
    joined[id] = { ...mine, done: union(before.done, mine.done), hints, solutions: union(before.solutions, mine.solutions) };
  }
  return joined;
}

/** The open lesson's progress, or that of a lesson not begun. */
export function progressOf(state: Pick<LessonState, 'lesson' | 'progress'>): LessonProgress {
  return (state.lesson && state.progress[state.lesson.id]) || NOT_BEGUN;
}

export const useLessons = create<LessonState>()((set, get) => {
  /** Changes the open lesson's progress and saves it (a failed save is shown, and the progress stays in memory). */
  const update = (change: (progress: LessonProgress) => LessonProgress) => {
    const { lesson } = get();
    if (!lesson) return;
    const next = { ...change(progressOf(get())), updatedAt: new Date().toISOString() };
    set((s) => ({ progress: { ...s.progress, [lesson.id]: next } }));
    api.invoke('lessons:save-progress', { lessonId: lesson.id, progress: next }).catch((error: unknown) => {
      set({ problem: `Your progress could not be saved: ${error instanceof Error ? error.message : String(error)}` });
    });
  };

  return {
    lesson: null,
    source: { kind: 'course' },
    start: null,
    documentId: null,
    quizBaseline: 0,
    phasesSeen: [],
    progress: {},
    problem: null,

    async loadProgress() {
      try {
        const { lessons } = await api.invoke('lessons:progress', {});
        // A student quick off the mark has progress from before the file arrived: both are kept,
        // and a lesson in both is saved joined (its save since held only this launch's part).
        const mine = get().progress;
        const joined = joinProgress(lessons, mine);
        set({ progress: joined });
        for (const id of Object.keys(mine))
          if (lessons[id])
            api.invoke('lessons:save-progress', { lessonId: id, progress: joined[id] }).catch((error: unknown) => {
              set({ problem: `Your progress could not be saved: ${error instanceof Error ? error.message : String(error)}` });
            });
      } catch (error) {
        set({ problem: `Your lesson progress could not be read: ${error instanceof Error ? error.message : String(error)}` });
      }
    },

    show(lesson, source) {
      set({ lesson, source, start: null, documentId: null, problem: null });
      useLearnPanel.getState().setOpen(true);
    },

    showCourse: () => set({ lesson: null, start: null, documentId: null }),

    async begin() {
      const { lesson } = get();
      if (!lesson) return false;
      const start = startProjectOf(lesson);
      if ('problem' in start) {
        set({ problem: start.problem });
        return false;
      }
      const opened = await useStudio.getState().newFromProject(start.project, `start the lesson “${lesson.title}”`);
      if (!opened) return false;
      set({
        start: start.project,
        documentId: useStudio.getState().documentId,
        quizBaseline: useQuiz.getState().records.length,
        phasesSeen: [],
      });
      return true;
    },

    openFile(name, text) {
      const loaded = parseLesson(text, name);
      if (!loaded.ok) {
        useLearnPanel.getState().setOpen(true);
        return set({ problem: loaded.message });
      }
      get().show(loaded.lesson, { kind: 'file', name });
    },

    goToStep(step) {
      const { lesson } = get();
      if (!lesson) return;
      update((p) => ({ ...p, step: Math.max(0, Math.min(lesson.steps.length - 1, step)) }));
    },

    showHint() {
      update((p) => ({ ...p, hints: { ...p.hints, [p.step]: (p.hints[p.step] ?? 0) + 1 } }));
    },

    async showSolution() {
      const { lesson } = get();
      if (!lesson) return;
      const step = progressOf(get()).step;
      const solution = lesson.steps[step]?.solution;
      if (!solution) return;
      update((p) => ({ ...p, solutions: p.solutions.includes(step) ? p.solutions : [...p.solutions, step] }));
      const studio = useStudio.getState();
      if (solution.example) {
        const example = findExample(solution.example);
        if (!example) return;
        // The solution replaces the network: the lesson goes on in it, its start kept.
        const documentId = get().documentId;
        const opened = await studio.newFromProject({ ...example.create(), name: lesson.title }, 'show the solution');
        if (opened && documentId !== null) set({ documentId: useStudio.getState().documentId });
        return;
      }
      if (solution.changes && studio.project) {
        const changes = solution.changes;
        studio.edit({
          label: 'Show solution',
          apply: (project) => {
            const changed = applyProjectChanges(project, changes);
            return 'problem' in changed ? { ok: false, reason: changed.problem } : { ok: true, project: changed.project };
          },
        });
      }
    },

    markDone(taskIds) {
      const current = progressOf(get());
      const fresh = taskIds.filter((id) => !current.done.includes(id));
      if (fresh.length) update((p) => ({ ...p, done: [...p.done, ...fresh] }));
    },

    notePhase(phase) {
      if (!get().phasesSeen.includes(phase)) set((s) => ({ phasesSeen: [...s.phasesSeen, phase] }));
    },

    dismissProblem: () => set({ problem: null }),
  };
});

/** The built-in course (parsed once). */
export const COURSE = builtinCourse();

/**
 * A student's progress through lessons, kept between launches (in the app's data folder, beside
 * the recent projects): per lesson, the step they are at, the tasks done, the hints and solutions
 * they asked for. The lesson's own file is never written to.
 */
import { z } from 'zod';

/** One lesson's progress. */
export const LessonProgressSchema = z
  .object({
    /** The step shown (0-based). */
    step: z.number().int().min(0).max(100),
    /** Ids of the tasks done (a task once done stays done, as a ticked exercise does). */
    done: z.array(z.string().max(80)).max(500),
    /** How many hints of each step were shown, by the step's index. */
    hints: z.record(z.string().regex(/^\d{1,3}$/), z.number().int().min(0).max(100)),
    /** Steps whose solution was shown. */
    solutions: z.array(z.number().int().min(0).max(100)).max(100),
    /** When it last changed (ISO 8601). */
    updatedAt: z.string().max(40),
  })
  .strict();
export type LessonProgress = z.infer<typeof LessonProgressSchema>;

/** Every lesson's progress, by lesson id. */
export const ProgressByLessonSchema = z.record(z.string().max(80), LessonProgressSchema);
export type ProgressByLesson = z.infer<typeof ProgressByLessonSchema>;

/** The progress of a lesson not yet begun. */
export function freshProgress(): LessonProgress {
  return { step: 0, done: [], hints: {}, solutions: [], updatedAt: new Date(0).toISOString() };
}

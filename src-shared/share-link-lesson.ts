/**
 * The lesson a link opens (its part read by share-link.ts): a lesson of the course found by its id,
 * or a teacher's lesson read by the lesson parser, as its file would be; with the step, and the
 * project the lesson starts from (its checks compare with that). Apart from share-link.ts so that
 * the lessons, which the renderer fetches on first use, load only for a link that has one.
 */
import { builtinCourse } from '../engine/src/lessons/course';
import { lessonFromValue, startProjectOf, type Lesson } from '../engine/src/lessons/lesson-format';
import type { Project } from '../engine/src/project/schema';
import { quoteForMessage } from '../engine/src/util/quote';
import { decodeShareFragment, LINK_LIMITS, type LinkLessonPart, type LinkLimits } from './share-link';

/** A link's lesson, ready to open. */
export interface LinkedLesson {
  lesson: Lesson;
  source: { kind: 'course' } | { kind: 'file'; name: string };
  /** The step to open at (0 is the first), within the lesson. */
  step: number;
  /** The project the lesson starts from. */
  start: Project;
}

/** The lesson a link's lesson part names, or the sentence saying why it cannot be opened. Never throws. */
export function resolveLinkLesson(part: LinkLessonPart): ({ ok: true } & LinkedLesson) | { ok: false; message: string } {
  let lesson: Lesson;
  let source: LinkedLesson['source'];
  if (part.kind === 'course') {
    const found = builtinCourse().find((l) => l.id === part.id);
    if (!found)
      return {
        ok: false,
        message: `This link opens the lesson “${quoteForMessage(part.id, 80)}”, which this version of NN Studio does not have.`,
      };
    lesson = found;
    source = { kind: 'course' };
  } else {
    const loaded = lessonFromValue(part.lesson, 'The lesson in this link');
    if (!loaded.ok) return { ok: false, message: loaded.message };
    lesson = loaded.lesson;
    source = { kind: 'file', name: part.name };
  }
  // The parser has checked that the lesson starts; a course lesson is held to that by its tests.
  const start = startProjectOf(lesson);
  if ('problem' in start) return { ok: false, message: `The lesson in this link: ${start.problem}` };
  // A later version's lesson may have fewer steps than the one the link was made in: its last, then.
  return { ok: true, lesson, source, step: Math.min(part.step, lesson.steps.length - 1), start: start.project };
}

/** {@link decodeShareFragment} with the lesson read too: everything a link holds, or one sentence. */
export async function decodeShareLink(
  hash: string,
  limits: Readonly<LinkLimits> = LINK_LIMITS,
): Promise<{ ok: true; project: Project; migratedFrom: number | null; lesson: LinkedLesson | null } | { ok: false; message: string }> {
  const decoded = await decodeShareFragment(hash, limits);
  if (!decoded.ok) return decoded;
  const { project, migratedFrom, lessonPart } = decoded;
  if (!lessonPart) return { ok: true, project, migratedFrom, lesson: null };
  const resolved = resolveLinkLesson(lessonPart);
  if (!resolved.ok) return resolved;
  const { ok: _ok, ...lesson } = resolved;
  return { ok: true, project, migratedFrom, lesson };
}

/**
 * Sharing by link, the window's side (the link itself is src-shared/share-link.ts): File › Copy
 * Link puts the project — and the lesson and step, if the student is in one — into a link and on
 * the clipboard (or shows it to copy by hand); at start-up and whenever the address's fragment
 * changes, a link's fragment is opened as an unsaved copy, in its lesson at its step. The fragment
 * never leaves the browser: nothing is uploaded either way.
 */
import { create } from 'zustand';
import type { Project } from '../../../engine/src/project/schema';
import { CHAT_SAFE_LINK_CHARS, decodeShareFragment, isShareFragment, makeShareLink, type LinkLesson } from '../../../src-shared/share-link';
import type { LinkedLesson } from '../../../src-shared/share-link-lesson';
import { useQuiz } from '../backprop/quiz-store';
import { loadChunk } from '../ui/load-chunk';
import { documentState } from './shared';
import { useStudio } from './store';
import { backupCheckDone } from './ui';

/**
 * The lessons' side: their store and the reader of a link's lesson part. Fetched on first use, as
 * the Learn panel fetches them.
 */
const lessonsModules = () =>
  loadChunk('The lessons', () => Promise.all([import('../lessons/lesson-store'), import('../../../src-shared/share-link-lesson')]));

/** The dialog Copy Link may need: the link to copy by hand (the clipboard refused), or why there is none. */
export type ShareDialog = { kind: 'link'; link: string; notice: string } | { kind: 'too-long'; message: string } | null;

export const useShareDialog = create<{ dialog: ShareDialog; close(): void }>()((set) => ({
  dialog: null,
  close: () => set({ dialog: null }),
}));

const fmt = (n: number) => n.toLocaleString('en');

/**
 * The lesson the document is being taken in, with the student's step and the lesson's title;
 * null outside a lesson (and when the lessons were never loaded, so none can be open).
 */
export async function lessonForLink(): Promise<{ part: LinkLesson; title: string } | null> {
  let store;
  try {
    [store] = await lessonsModules();
  } catch {
    return null;
  }
  const lessons = store.useLessons.getState();
  const { lesson, source, documentId } = lessons;
  if (!lesson || documentId === null || documentId !== useStudio.getState().documentId) return null;
  const step = store.progressOf(lessons).step;
  const part: LinkLesson =
    source.kind === 'course' ? { kind: 'course', id: lesson.id, step } : { kind: 'file', name: source.name, lesson, step };
  return { part, title: lesson.title };
}

/** File › Copy Link: the link on the clipboard and a notice saying so, or a dialog with the link or the reason there is none. */
export async function copyShareLink(): Promise<void> {
  const { project } = useStudio.getState();
  if (!project) return;
  const lesson = await lessonForLink();
  // The page's own address: the browser host's token (in the search) included, the fragment not.
  const made = await makeShareLink(`${location.origin}${location.pathname}${location.search}`, project, lesson?.part);
  if (!made.ok) {
    useShareDialog.setState({ dialog: { kind: 'too-long', message: made.message } });
    return;
  }
  const where = lesson ? ` at step ${lesson.part.step + 1} of the lesson “${lesson.title}”` : '';
  const longer =
    made.length > CHAT_SAFE_LINK_CHARS
      ? ` Some chat clients (Discord) take at most ${fmt(CHAT_SAFE_LINK_CHARS)} characters in a message.`
      : '';
  const notice = `Copied a link to “${project.name}”${where} (${fmt(made.length)} characters): it opens a copy with the network, its weights, the data and the settings, and nothing was uploaded.${longer}`;
  if (await writeClipboard(made.link)) useStudio.setState({ notice, error: null });
  else useShareDialog.setState({ dialog: { kind: 'link', link: made.link, notice } });
}

/** Writes text to the clipboard; false when the browser refuses (no permission, no focus, no secure context). */
export async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once no offer to restore unsaved work is waiting for an answer. */
function afterRestoreQuestion(): Promise<void> {
  return new Promise((resolve) => {
    if (useStudio.getState().prompt?.kind !== 'restore') return resolve();
    const stop = useStudio.subscribe((state) => {
      if (state.prompt?.kind === 'restore') return;
      stop();
      resolve();
    });
  });
}

/**
 * Opens the link in the address bar, if it is one of ours. The backup question of the launch
 * comes first (restoring unsaved work, or not, is then the current document, whose changes the
 * open asks about as any open does). The fragment is taken out of the address at once, so that a
 * reload does not open it again over later work (the backup keeps that work).
 */
export async function openLinkInAddress(): Promise<void> {
  await backupCheckDone;
  await afterRestoreQuestion();
  const hash = location.hash;
  if (!isShareFragment(hash)) return;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  const decoded = await decodeShareFragment(hash);
  if (!decoded.ok) {
    useStudio.setState({ error: decoded.message });
    return;
  }
  // The lesson is read before anything opens: a link whose lesson cannot open opens nothing.
  let lesson: LinkedLesson | null = null;
  if (decoded.lessonPart) {
    let modules;
    try {
      modules = await lessonsModules();
    } catch (error) {
      useStudio.setState({ error: error instanceof Error ? error.message : String(error) });
      return;
    }
    const resolved = modules[1].resolveLinkLesson(decoded.lessonPart);
    if (!resolved.ok) {
      useStudio.setState({ error: resolved.message });
      return;
    }
    lesson = resolved;
  }
  await openLinked(decoded.project, decoded.migratedFrom, lesson);
}

/**
 * Opens a link's project as an unsaved copy (after the current document's unsaved changes are
 * dealt with, as any open does), in its lesson at its step if it has one; false when the user
 * kept the current document.
 */
export async function openLinked(project: Project, migratedFrom: number | null, lesson: LinkedLesson | null): Promise<boolean> {
  if (!(await useStudio.getState().newFromProject(project, 'open the project from the link'))) return false;
  // An unsaved copy: no file, and unsaved, so that New, Open and closing ask before it is lost.
  const { history } = useStudio.getState();
  if (history) useStudio.setState(documentState({ ...history, saved: null }));
  if (lesson) {
    const [{ useLessons }] = await lessonsModules();
    useLessons.getState().show(lesson.lesson, lesson.source);
    // Begun in this document, from the lesson's own start (its checks compare with that), at the link's step.
    useLessons.setState({
      start: lesson.start,
      documentId: useStudio.getState().documentId,
      quizBaseline: useQuiz.getState().records.length,
      phasesSeen: [],
    });
    useLessons.getState().goToStep(lesson.step);
  }
  const where = lesson ? ` in the lesson “${lesson.lesson.title}”, at step ${lesson.step + 1}` : '';
  const older =
    migratedFrom !== null ? ` It was made by an older NN Studio (project format version ${migratedFrom}) and has been updated.` : '';
  useStudio.setState({ notice: `Opened “${project.name}” from a link${where}, as an unsaved copy: save it to keep it.${older}` });
  return true;
}

let openedAtLaunch = false;

/**
 * Opens a link's fragment at start-up and whenever the fragment changes (a link pasted into the
 * address bar of an open tab). Returns the listener's removal.
 */
export function listenForShareLinks(): () => void {
  const onHashChange = () => void openLinkInAddress();
  window.addEventListener('hashchange', onHashChange);
  // Once per page, even where React runs effects twice (StrictMode in development).
  if (!openedAtLaunch) {
    openedAtLaunch = true;
    void openLinkInAddress();
  }
  return () => window.removeEventListener('hashchange', onHashChange);
}

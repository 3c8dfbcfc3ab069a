/**
 * Sharing a project by link: the project (and, if the student is in one, the lesson and the step)
 * compressed into the address's fragment, `#nnproj=v1.<project>[.<lesson>]`, each part the
 * base64url of a zlib stream. A browser never sends the fragment to a server, so nothing leaves
 * the machine but the link itself.
 *
 * The project part is the project's own file text (the format's serialiser, whitespace dropped),
 * so a link is read by exactly the loader a file is: the same zod schemas, the same limits, the
 * same migrations for a link made by an older version. The zlib format ('deflate', not
 * 'deflate-raw') carries an Adler-32 checksum: eight characters more per part, and a link that a
 * chat client damaged in the middle is refused rather than opened with a changed weight.
 *
 * Pure: the engine, zod and the CompressionStream/DecompressionStream that Node 20 and every
 * current browser have. Nothing here throws: every refusal is one sentence.
 */
import { z } from 'zod';
import type { Lesson } from '../engine/src/lessons/lesson-format';
import { parseProject, serialiseProject } from '../engine/src/project/format';
import { LIMITS, type Project } from '../engine/src/project/schema';
import { quoteForMessage } from '../engine/src/util/quote';

/** What starts the fragment of a link to a project. */
export const LINK_PREFIX = '#nnproj=';
/** The layout of the fragment this build writes and reads (the project inside migrates by its own version). */
export const LINK_VERSION = 1;

/**
 * The longest link NN Studio makes, all of it (address and fragment). A link is pasted into a chat
 * message, and the message must take it: 4,000 characters fit a message of Telegram (4,096),
 * Rocket.Chat (5,000), Slack, Teams, Mattermost, Zulip, Matrix, WhatsApp and mail. Discord's 2,000
 * is the strictest common limit, so the lecture's examples are held well under
 * {@link CHAT_SAFE_LINK_CHARS} (share-link.test.ts checks each) and a longer link says so when it
 * is copied. Above this, the project is better sent as a file, and the app offers that instead.
 */
export const MAX_LINK_CHARS = 4_000;
/** The strictest common chat limit (Discord's message): a link up to this length goes anywhere. */
export const CHAT_SAFE_LINK_CHARS = 2_000;
/**
 * The longest fragment a link may have to be opened: several times what this build makes, so that
 * a link from a later version with a higher {@link MAX_LINK_CHARS} still opens, and small enough
 * that even the most compressed data it can hold inflates to a few tens of megabytes at most.
 */
export const MAX_FRAGMENT_CHARS = 32 * 1024;

/** The lesson a link opens, and the step the student was on. */
export type LinkLesson =
  | { kind: 'course'; id: string; step: number }
  /** A teacher's lesson travels whole: the receiver need not have its file. `name` is its file's, for display. */
  | { kind: 'file'; name: string; lesson: Lesson; step: number };

/**
 * A link's lesson part as it arrives, checked for its shape only: a teacher's lesson is still to be
 * read by the lesson parser, a course lesson's id to be found (share-link-lesson.ts does both, apart
 * from this module so that the lessons load only when a link has one).
 */
export type LinkLessonPart = { kind: 'course'; id: string; step: number } | { kind: 'file'; name: string; step: number; lesson: unknown };

/** What opening a link gives: the project, the version it was migrated from (if it was), and its lesson part. */
export interface OpenedLink {
  project: Project;
  migratedFrom: number | null;
  lessonPart: LinkLessonPart | null;
}

/** A link made, or why it was not (its length, for the message), */
export type MadeLink = { ok: true; link: string; length: number } | { ok: false; length: number | null; message: string };

/** Caps on what decoding accepts; the defaults are the real ones (tests pass smaller). */
export interface LinkLimits {
  fragmentChars: number;
  /** Bytes the project part may inflate to: a project file's limit. */
  projectBytes: number;
  /** Bytes the lesson part may inflate to: a lesson file's limit and room for its envelope. */
  lessonBytes: number;
}

export const LINK_LIMITS: Readonly<LinkLimits> = Object.freeze({
  fragmentChars: MAX_FRAGMENT_CHARS,
  // UTF-8 takes at least a byte a character, so text within this many bytes is within LIMITS.fileChars.
  projectBytes: LIMITS.fileChars,
  // A lesson file's LESSON_MAX_CHARS (4 MiB) and room for the envelope. Written out, not imported:
  // the lesson format's module is the lessons', which the renderer loads only when they are used.
  lessonBytes: 4 * 1024 * 1024 + 4096,
});

const stepSchema = z.number().int('must be a whole number').min(0, 'must be 0 or more').max(1000, 'must be at most 1000');
/** The lesson part of a link: which lesson, at which step (0 is the first). */
const LinkLessonSchema: z.ZodType<LinkLessonPart> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('course'), id: z.string().min(1).max(80), step: stepSchema }).strict(),
  z.object({ kind: z.literal('file'), name: z.string().min(1).max(200), step: stepSchema, lesson: z.unknown() }).strict(),
]);

/**
 * The project as a link holds it: the network with its weights, the data, the split and
 * normalisation, the hyperparameters and the view, but not the training history, the runs kept for
 * comparison, the optimiser's memory or the selection: they would lengthen the link several times
 * over and the receiver trains on afresh from the weights.
 */
export function projectForLink(project: Project): Project {
  const { runs: _runs, ...rest } = project;
  const { selection: _selection, ...view } = project.view;
  return {
    ...rest,
    training: { epoch: 0, history: [], optimiser: null, rng: null, position: null, earlyStopping: null },
    view,
  };
}

/**
 * JSON text without the whitespace between tokens (strings untouched): the serialiser's canonical
 * text, one line, so that numbers (−0 included) are written exactly as a file writes them.
 */
export function compactJson(text: string): string {
  const out: string[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      if (i > start) out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out.join('');
}

/** The fragment (`#nnproj=v1.…`) that opens `project`, in `lesson` at its step when given. */
export async function encodeShareFragment(project: Project, lesson?: LinkLesson | null): Promise<string> {
  const parts = [`v${LINK_VERSION}`, toBase64Url(await deflate(compactJson(serialiseProject(projectForLink(project)))))];
  if (lesson) parts.push(toBase64Url(await deflate(JSON.stringify(lesson))));
  return `${LINK_PREFIX}${parts.join('.')}`;
}

/**
 * The whole link to `project` from the page at `base` (its address without a fragment), or why
 * none can be made: the project does not serialise, or the link would be longer than
 * {@link MAX_LINK_CHARS}. Never throws.
 */
export async function makeShareLink(base: string, project: Project, lesson?: LinkLesson | null): Promise<MadeLink> {
  let fragment: string;
  try {
    fragment = await encodeShareFragment(project, lesson);
  } catch (error) {
    return {
      ok: false,
      length: null,
      message: `No link can be made: ${quoteForMessage(error instanceof Error ? error.message : String(error), 300)}`,
    };
  }
  const link = `${base.replace(/#.*$/s, '')}${fragment}`;
  if (link.length > MAX_LINK_CHARS) {
    return {
      ok: false,
      length: link.length,
      message: `The link would be ${fmt(link.length)} characters, more than the ${fmt(MAX_LINK_CHARS)} a chat message takes: save the project as a file and send that instead.`,
    };
  }
  return { ok: true, link, length: link.length };
}

/** Whether an address's fragment is one of ours to open (anything else is left alone). */
export function isShareFragment(hash: string): boolean {
  return hash.startsWith(LINK_PREFIX);
}

/**
 * Opens a link's fragment (`location.hash`): the project as the loader reads a file (migrated if
 * a former version made it) and the lesson part's envelope, or one sentence saying why not (the
 * lesson itself is read by share-link-lesson.ts). Never throws; never inflates more than the
 * limits allow.
 */
export async function decodeShareFragment(
  hash: string,
  limits: Readonly<LinkLimits> = LINK_LIMITS,
): Promise<({ ok: true } & OpenedLink) | { ok: false; message: string }> {
  const fail = (message: string) => ({ ok: false as const, message });
  try {
    if (typeof hash !== 'string' || !isShareFragment(hash)) return fail(NOT_OURS);
    if (hash.length > limits.fragmentChars)
      return fail(
        `This link is too long to open (${fmt(hash.length)} characters after the #; NN Studio’s links have at most ${fmt(limits.fragmentChars)}).`,
      );
    const parts = hash.slice(LINK_PREFIX.length).split('.');
    const version = /^v(\d{1,6})$/.exec(parts[0] ?? '');
    if (!version) return fail(NOT_OURS);
    if (Number(version[1]) > LINK_VERSION)
      return fail(
        `This link was made by a newer NN Studio (link version ${version[1]}; this version reads ${LINK_VERSION}): update NN Studio to open it.`,
      );
    if (Number(version[1]) < 1 || parts.length < 2 || parts.length > 3) return fail(NOT_OURS);

    const projectText = await readPart(parts[1], limits.projectBytes, 'project');
    if (!projectText.ok) return projectText;
    const loaded = parseProject(projectText.text);
    if (!loaded.ok) {
      const { path, reason } = loaded.error;
      // The loader speaks of a file; here the text came from the link.
      const said = path ? loaded.error.message : reason.replace(/^the file /, 'its text ');
      return fail(`This link’s project cannot be opened: ${said}`);
    }

    let lessonPart: LinkLessonPart | null = null;
    if (parts.length === 3) {
      const lessonText = await readPart(parts[2], limits.lessonBytes, 'lesson');
      if (!lessonText.ok) return lessonText;
      const read = readLessonPart(lessonText.text);
      if ('message' in read) return fail(read.message);
      lessonPart = read.part;
    }
    return { ok: true, project: loaded.project, migratedFrom: loaded.migratedFrom, lessonPart };
  } catch (error) {
    // A bug of ours still reaches the user as a sentence, not as a crash.
    return fail(`This link could not be read: ${quoteForMessage(error instanceof Error ? error.message : String(error), 300)}`);
  }
}

const NOT_OURS = 'This is not a link NN Studio made (its address should end in #nnproj=v1. and the project’s data).';
const DAMAGED = (part: string) =>
  `This link is damaged or cut short: its ${part} data does not decompress (copy the whole link, to its last character, and open it again).`;

/** One part's text: base64url, inflated within `maxBytes`, UTF-8. */
async function readPart(
  data: string,
  maxBytes: number,
  part: 'project' | 'lesson',
): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  const bytes = fromBase64Url(data);
  if (!bytes) return { ok: false, message: DAMAGED(part) };
  const inflated = await inflateWithin(bytes, maxBytes);
  if (!inflated.ok) {
    return {
      ok: false,
      message:
        inflated.problem === 'too-large'
          ? `This link’s ${part} would decompress to more than ${fmt(maxBytes)} bytes, more than a ${part} file may hold, so it was not opened.`
          : DAMAGED(part),
    };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes) };
  } catch {
    return { ok: false, message: DAMAGED(part) };
  }
}

/** The lesson part's envelope: which lesson, at which step. */
function readLessonPart(text: string): { part: LinkLessonPart } | { message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { message: 'This link’s lesson part is not valid JSON, so the link is damaged or was not made by NN Studio.' };
  }
  const parsed = LinkLessonSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.map(String).join('.');
    return { message: `This link’s lesson part is not valid (${where ? `${where}: ` : ''}${quoteForMessage(issue.message, 200)}).` };
  }
  return { part: parsed.data };
}

/** Compresses text to a zlib stream. */
async function deflate(text: string): Promise<Uint8Array> {
  const stream = new CompressionStream('deflate');
  const writer = stream.writable.getWriter();
  void writer.write(new TextEncoder().encode(text)).catch(() => undefined);
  void writer.close().catch(() => undefined);
  return collect(stream.readable.getReader(), Infinity).then((r) => {
    if (!r.ok) throw new Error('compression failed');
    return r.bytes;
  });
}

/**
 * Inflates a zlib stream, stopping as soon as it passes `maxBytes` (a small link can hold a
 * "bomb" that inflates a thousandfold: it is never inflated past the limit). `inflated` says how
 * far it got. A truncated or damaged stream (checksum included) is 'damaged'.
 */
export async function inflateWithin(
  bytes: Uint8Array<ArrayBuffer>,
  maxBytes: number,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; problem: 'too-large' | 'damaged'; inflated: number }> {
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  // Their outcome is the reader's: a damaged stream rejects these and the reads alike.
  void writer.write(bytes).catch(() => undefined);
  void writer.close().catch(() => undefined);
  return collect(stream.readable.getReader(), maxBytes);
}

async function collect(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; problem: 'too-large' | 'damaged'; inflated: number }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        void reader.cancel().catch(() => undefined);
        return { ok: false, problem: 'too-large', inflated: total };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, problem: 'damaged', inflated: total };
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, bytes: out };
}

/** Bytes as base64url without padding (the characters a URL carries as they are). */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) as bytes, or null when it is not base64url. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (text.length === 0 || text.length % 4 === 1 || !/^[A-Za-z0-9_-]+={0,2}$/.test(text)) return null;
  let binary: string;
  try {
    binary = atob(text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const fmt = (n: number) => n.toLocaleString('en');

/**
 * The user's files in the web edition. Where the browser has the File System Access API
 * (Chromium), Open and Save As use the system's own pickers and Save writes back to the very
 * file; elsewhere Open is an upload and Save a download. Paths are the contract's names for
 * files: `/local/<id>/<name>` for a file the page holds a handle to, `/download/<name>` for one
 * it can only hand to the browser's downloads.
 */
import { LIMITS } from '../engine/src/project/schema';
import { UserError } from '../src-shared/host/user-error';
import { WEB_DOWNLOAD_PREFIX, WEB_LOCAL_PREFIX } from '../src-shared/paths';

/** The parts of the File System Access API this uses (not yet in TypeScript's DOM library). */
export interface FileHandleLike {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<File>;
  createWritable(): Promise<{ write(data: string): Promise<void>; close(): Promise<void>; abort(): Promise<void> }>;
  /** Whether two handles name the same file (a file opened twice is one recent project). */
  isSameEntry?(other: FileHandleLike): Promise<boolean>;
  queryPermission?(options: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  requestPermission?(options: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
}

interface PickerWindow {
  showOpenFilePicker?(options: unknown): Promise<FileHandleLike[]>;
  showSaveFilePicker?(options: unknown): Promise<FileHandleLike>;
}

const PROJECT_TYPES = [{ description: 'NN Studio project', accept: { 'application/json': ['.nnproj'] } }];

/** A file the user chose to open. */
export interface OpenedFile {
  path: string;
  text: string;
  /** The handle to keep for Save and Open Recent, or null for an upload. */
  handle: FileHandleLike | null;
}

/** Where a save went. */
export interface SavedFile {
  path: string;
  handle: FileHandleLike | null;
}

/** The file access the web handlers use; tests give their own. */
export interface WebFiles {
  /** Asks which project to open; null when the user cancels. */
  chooseToOpen(): Promise<OpenedFile | null>;
  /**
   * Asks where to save (offering `suggestedName`) and writes what `textFor` makes for the file
   * name chosen (a project is named after its file); null when the user cancels.
   */
  saveAs(suggestedName: string, textFor: (fileName: string) => string): Promise<SavedFile | null>;
  /** Reads a file through its handle (asking for permission again where a new visit needs it). */
  read(handle: FileHandleLike, path: string): Promise<string>;
  /** Replaces a file's contents through its handle, completely or not at all, and reads it back. */
  write(handle: FileHandleLike, path: string, text: string): Promise<void>;
  /** Hands the text to the browser's downloads under that name. */
  download(name: string, text: string): void;
}

/** The file name a path ends in. */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A new path for a file the page holds a handle to. */
export function localPath(name: string): string {
  const id = crypto.getRandomValues(new Uint32Array(2)).reduce((text, n) => text + n.toString(36), '');
  return `${WEB_LOCAL_PREFIX}${id}/${name}`;
}

/** The path of a file only ever downloaded. */
export function downloadPath(name: string): string {
  return `${WEB_DOWNLOAD_PREFIX}${name}`;
}

export const isDownloadPath = (path: string): boolean => path.startsWith(WEB_DOWNLOAD_PREFIX);

/** A file that is no longer where its handle pointed (moved or deleted). */
export class MissingFileError extends UserError {}

/** One sentence for what the browser said went wrong with a file. */
function fileError(path: string, doing: string, error: unknown): UserError {
  const name = String((error as { name?: unknown } | null)?.name);
  const file = fileNameOf(path);
  switch (name) {
    case 'NotFoundError':
      return new MissingFileError(`${file}: the file is no longer there (moved or deleted), so it could not be ${doing}.`);
    case 'NotAllowedError':
    case 'SecurityError':
      return new UserError(`${file}: the browser did not allow NN Studio to use this file, so it could not be ${doing}.`);
    case 'QuotaExceededError':
      return new UserError(`${file}: the disk is full, so it could not be ${doing}; the file is as it was.`);
    case 'NoModificationAllowedError':
    case 'InvalidStateError':
      return new UserError(`${file}: the file is locked or was changed by another program, so it could not be ${doing}.`);
    default:
      return new UserError(`${file}: could not be ${doing}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * A file's text, refused before it is read when it is larger than any project can be (as on the
 * desktop): a huge file chosen by mistake must not be read whole into the page's memory.
 */
export async function projectText(file: Blob, name: string): Promise<string> {
  if (file.size > LIMITS.fileBytes)
    throw new UserError(
      `${name}: the file is too large to be a project (${file.size.toLocaleString('en')} bytes; NN Studio opens projects of up to ${LIMITS.fileBytes.toLocaleString('en')}).`,
    );
  return file.text();
}

/** Whether the user cancelled a picker (the API's AbortError). */
const cancelled = (error: unknown) => (error as { name?: string } | null)?.name === 'AbortError';

async function ensurePermission(handle: FileHandleLike, mode: 'read' | 'readwrite'): Promise<void> {
  if (!handle.queryPermission || (await handle.queryPermission({ mode })) === 'granted') return;
  if ((await handle.requestPermission?.({ mode })) !== 'granted') {
    const error = new Error('permission refused');
    error.name = 'NotAllowedError';
    throw error;
  }
}

/** Opens a file chooser (an upload) and reads the chosen file; null when the user cancels. */
function upload(): Promise<{ name: string; text: string } | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.nnproj,application/json';
    input.style.display = 'none';
    const done = () => input.remove();
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      done();
      if (!file) return resolve(null);
      projectText(file, file.name).then((text) => resolve({ name: file.name, text }), reject);
    });
    input.addEventListener('cancel', () => {
      done();
      resolve(null);
    });
    document.body.append(input);
    input.click();
  });
}

/** The browser's own file access: File System Access where it exists, else upload and download. */
export function browserFiles(target: PickerWindow = window as unknown as PickerWindow): WebFiles {
  const download = (name: string, text: string) => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.style.display = 'none';
    document.body.append(link);
    link.click();
    link.remove();
    // The download has taken its copy by the next task; a minute is ample for a slow one.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  const write = async (handle: FileHandleLike, path: string, text: string) => {
    let writable: Awaited<ReturnType<FileHandleLike['createWritable']>> | null = null;
    try {
      await ensurePermission(handle, 'readwrite');
      // The browser writes to a temporary file and moves it over the old one on close(): a
      // failure before then leaves the old file as it was.
      writable = await handle.createWritable();
      await writable.write(text);
      await writable.close();
      writable = null;
    } catch (error) {
      await writable?.abort().catch(() => undefined);
      throw fileError(path, 'saved', error);
    }
    // The file must now hold exactly what was saved.
    let back: string;
    try {
      back = await (await handle.getFile()).text();
    } catch (error) {
      throw fileError(path, 'read back after saving', error);
    }
    if (back !== text)
      throw new UserError(
        `${fileNameOf(path)}: what the disk holds after saving differs from what was written; save again or save as a new file.`,
      );
  };
  return {
    async chooseToOpen() {
      if (target.showOpenFilePicker) {
        let handles: FileHandleLike[];
        try {
          handles = await target.showOpenFilePicker({ types: PROJECT_TYPES, excludeAcceptAllOption: false, multiple: false });
        } catch (error) {
          if (cancelled(error)) return null;
          throw fileError('the file', 'opened', error);
        }
        const handle = handles[0];
        if (!handle) return null;
        const path = localPath(handle.name);
        let file: File;
        try {
          file = await handle.getFile();
        } catch (error) {
          throw fileError(path, 'read', error);
        }
        return { path, text: await projectText(file, handle.name), handle };
      }
      const chosen = await upload();
      return chosen && { path: downloadPath(chosen.name), text: chosen.text, handle: null };
    },
    async saveAs(suggestedName, textFor) {
      if (target.showSaveFilePicker) {
        let handle: FileHandleLike;
        try {
          handle = await target.showSaveFilePicker({ suggestedName, types: PROJECT_TYPES });
        } catch (error) {
          if (cancelled(error)) return null;
          throw fileError(suggestedName, 'saved', error);
        }
        const path = localPath(handle.name);
        await write(handle, path, textFor(handle.name));
        return { path, handle };
      }
      download(suggestedName, textFor(suggestedName));
      return { path: downloadPath(suggestedName), handle: null };
    },
    async read(handle, path) {
      let file: File;
      try {
        await ensurePermission(handle, 'read');
        file = await handle.getFile();
      } catch (error) {
        throw fileError(path, 'opened', error);
      }
      return projectText(file, fileNameOf(path));
    },
    write,
    download,
  };
}

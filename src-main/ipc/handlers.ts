/**
 * The main-process handlers behind every channel of the contract, free of Electron: the desktop
 * shell registers them with ipcMain, the browser host with its WebSocket, and tests call them
 * directly. One implementation, two transports.
 */
import { constants, existsSync, realpathSync, type Dirent } from 'node:fs';
import { lstat, open, readdir, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { serialiseProject } from '../../engine/src/index';
import type { AppData } from '../files/app-data';
import { writeFileDurably } from '../files/durable-write';
import { projectNameFromPath, suggestedFileName } from '../../engine/src/project/file-name';
import { UserError, describeFsError, readProjectHandle, writeUserFile } from '../files/project-file';
import type { TrainingController } from '../../src-shared/host/training-controller';
import type { Handlers } from '../../src-shared/host/dispatch';
import { named, sharedHandlers } from '../../src-shared/host/shared-handlers';

export { dispatch, type Handlers } from '../../src-shared/host/dispatch';

/** Native or in-app file choice. Returns null when the user cancels. */
export interface Dialogs {
  chooseProjectToOpen(): Promise<string | null>;
  chooseWhereToSave(suggestedName: string): Promise<string | null>;
}

/**
 * Which paths the renderer may name, and the file access through them. The browser host confines
 * them to its workspace folder; the desktop app to paths the user chose in a dialog or opened
 * from outside. Files are opened first and what was opened is checked, so that a path changed
 * between a check and its use (a file or folder swapped for a symbolic link) cannot lead out.
 */
export interface PathPolicy {
  /** The absolute path, or a UserError saying why it is refused. */
  check(path: string): string;
  /** Records a path the user chose, so later requests may name it. */
  grant(path: string): void;
  /** The folder the in-app picker lists (browser host only). */
  readonly workspace: string | null;
  /**
   * Opens a path {@link check} accepted for reading, and makes sure the file opened is one the
   * policy allows. The caller closes it. @throws UserError naming the path.
   */
  openForReading(full: string): Promise<FileHandle>;
  /** Writes a path {@link check} accepted, durably and only where the policy allows. @throws UserError naming the path. */
  writeFile(full: string, data: string | Uint8Array): Promise<void>;
  /** The entries of a folder {@link check} accepted, of the folder really listed. @throws UserError naming it. */
  listFolder(full: string): Promise<Dirent[]>;
}

// Absent on Windows (where the fallbacks below apply).
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0; // a pipe would otherwise block the open itself
const DIRECTORY = constants.O_DIRECTORY ?? 0;

/**
 * Linux names what a descriptor really is (`readlink /proc/self/fd/N`), and a path through
 * `/proc/self/fd/N/` resolves inside exactly the folder that N has open, as openat() does:
 * a check made on the descriptor then holds for what is done through it.
 */
const PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd') ? '/proc/self/fd' : null;

/**
 * Where an open file or folder really is, or null when that cannot be told. Linux: the kernel's
 * answer. Elsewhere: the realpath of the path it was opened by, provided that path leads to the
 * very same file (device and inode) as the descriptor, and still gives the same realpath after
 * that comparison. By path this narrows the race to a double swap within microseconds but cannot
 * close it; Linux closes it.
 */
async function whereIs(handle: FileHandle, openedAs: string): Promise<string | null> {
  if (PROC_FD) return readlink(join(PROC_FD, String(handle.fd))).catch(() => null);
  try {
    const real = await realpath(openedAs);
    const [opened, now] = [await handle.stat(), await stat(real)];
    if (opened.dev !== now.dev || opened.ino !== now.ino) return null;
    return (await realpath(openedAs)) === real ? real : null;
  } catch {
    return null;
  }
}

/** A policy confining every path to one folder and what is below it. */
export function workspacePolicy(folder: string): PathPolicy {
  const root = resolve(folder);
  const realRoot = realLocation(root);
  const outside = (path: string) =>
    new UserError(`${path}: outside the workspace folder (${root}); NN Studio in the browser only reads and writes there.`);

  /**
   * Where a checked path leads now, if that is inside with no symbolic link among the folders
   * from the workspace down to it. A link inside that stays inside is followed (check allows it);
   * what changes after this is caught on the descriptor.
   */
  const resolveInside = async (full: string, shown: string): Promise<string> => {
    const real = realLocation(full);
    if (!isInside(realRoot, real)) throw outside(shown);
    let current = realRoot;
    const folders = real === realRoot ? [] : relative(realRoot, dirname(real)).split(sep).filter(Boolean);
    for (const part of folders) {
      current = join(current, part);
      const info = await lstat(current).catch(() => null);
      if (info?.isSymbolicLink()) throw outside(shown); // missing: the open says so
    }
    return real;
  };
  /** Refuses a descriptor that is not really inside the workspace. */
  const confirmInside = async (handle: FileHandle, openedAs: string, shown: string): Promise<void> => {
    const where = await whereIs(handle, openedAs);
    if (where === null || !isInside(realRoot, where)) throw outside(shown);
  };
  /** Opens a folder inside the workspace, not through a link, and checks where it really is. */
  const openFolder = async (real: string, shown: string, failure: (error: unknown) => UserError): Promise<FileHandle> => {
    let handle: FileHandle;
    try {
      handle = await open(real, constants.O_RDONLY | DIRECTORY | NOFOLLOW);
    } catch (error) {
      // A link where the folder was (ELOOP, or ENOTDIR as O_DIRECTORY meets the link first).
      const code = (error as { code?: string }).code;
      if ((code === 'ELOOP' || code === 'ENOTDIR') && (await lstat(real).catch(() => null))?.isSymbolicLink()) throw outside(shown);
      throw failure(error);
    }
    try {
      await confirmInside(handle, real, shown);
      return handle;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  };

  return {
    workspace: root,
    check(path) {
      const full = resolve(root, path);
      // Both the path as written and where it really leads (through symbolic links) must be inside.
      if (!isInside(root, full) || !isInside(realRoot, realLocation(full))) throw outside(path);
      return full;
    },
    grant() {},
    async openForReading(full) {
      const real = await resolveInside(full, full);
      let handle: FileHandle;
      try {
        // Not through a link at the last step (one swapped in since the check), and then the
        // descriptor itself says where the file is: a folder swapped for a link is caught there.
        handle = await open(real, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
      } catch (error) {
        throw (error as { code?: string }).code === 'ELOOP' ? outside(full) : new UserError(`${full}: ${describeFsError(error)}`);
      }
      try {
        await confirmInside(handle, real, full);
        return handle;
      } catch (error) {
        await handle.close().catch(() => undefined);
        throw error;
      }
    },
    async writeFile(full, data) {
      const real = await resolveInside(full, full);
      const failure = (error: unknown) => new UserError(`${full}: could not save: ${describeFsError(error)}`);
      const folder = await openFolder(dirname(real), full, failure);
      try {
        // On Linux everything happens inside the folder held open (the temporary file, the
        // rename, the clean-up), whatever becomes of its path meanwhile. Elsewhere by path, with
        // the temporary file's real place checked before a byte goes into it.
        const base = PROC_FD ? join(PROC_FD, String(folder.fd)) : dirname(real);
        await writeFileDurably(join(base, basename(real)), data, { beforeWrite: (temp, tempPath) => confirmInside(temp, tempPath, full) });
      } catch (error) {
        throw error instanceof UserError ? error : failure(error);
      } finally {
        await folder.close().catch(() => undefined);
      }
    },
    async listFolder(full) {
      const real = await resolveInside(full, full);
      const cannot = () => new UserError(`${full}: cannot be listed.`);
      const folder = await openFolder(real, full, cannot);
      try {
        return await readdir(PROC_FD ? join(PROC_FD, String(folder.fd)) : real, { withFileTypes: true });
      } catch {
        throw cannot();
      } finally {
        await folder.close().catch(() => undefined);
      }
    },
  };
}

function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
}

/** Where a path really leads: its realpath, or its nearest existing parent's for a new file. */
function realLocation(path: string): string {
  const tail: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...tail.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      tail.push(basename(current));
      current = parent;
    }
  }
}

/** A policy allowing only paths granted by dialogs or open requests. */
export function grantedPathsPolicy(): PathPolicy {
  const granted = new Set<string>();
  return {
    workspace: null,
    check(path) {
      const full = resolve(path);
      if (!granted.has(full)) throw new UserError(`${path}: not a file you chose; open it with File › Open.`);
      return full;
    },
    grant(path) {
      granted.add(resolve(path));
    },
    // The user chose these paths, links and all: they are used as the user named them.
    async openForReading(full) {
      try {
        return await open(full, constants.O_RDONLY | NONBLOCK);
      } catch (error) {
        throw new UserError(`${full}: ${describeFsError(error)}`);
      }
    },
    writeFile: writeUserFile,
    async listFolder(full) {
      try {
        return await readdir(full, { withFileTypes: true });
      } catch {
        throw new UserError(`${full}: cannot be listed.`);
      }
    },
  };
}

/** Reads a project through the policy: from the very file it opened and checked. */
async function readProject(paths: PathPolicy, full: string) {
  const handle = await paths.openForReading(full);
  try {
    return await readProjectHandle(handle, full);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export interface HandlerDeps {
  host: 'electron' | 'browser';
  version: string;
  platform: string;
  dialogs: Dialogs;
  paths: PathPolicy;
  training: TrainingController;
  /** Recent projects and the backup of unsaved work. */
  data: AppData;
  /** Closes the window once the renderer has dealt with unsaved changes (desktop); absent in the browser. */
  closeWindow?: () => void;
}

/** Remembers a project in the recent list; a data folder that cannot be written must not fail the open or save. */
async function remember(deps: HandlerDeps, path: string): Promise<void> {
  await deps.data.addRecent(path).catch(() => undefined);
}

/** Every channel's handler. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    ...sharedHandlers(deps.training),
    'app:info': async () => ({ version: deps.version, host: deps.host, platform: deps.platform, workspace: deps.paths.workspace }),
    'project:open': async ({ path }) => {
      const chosen = path ?? (await deps.dialogs.chooseProjectToOpen());
      if (chosen === null) return null;
      if (path === undefined) deps.paths.grant(chosen);
      const full = deps.paths.check(chosen);
      const { project, migratedFrom } = await readProject(deps.paths, full);
      await remember(deps, full);
      // The project is named after its file (one renamed in the file manager too); the file
      // itself changes only when the project is saved.
      return { path: full, project: named(project, projectNameFromPath(full, project.name)), migratedFrom };
    },
    'recent:list': async () => {
      const { paths, removed } = await deps.data.recent();
      // Only what the workspace allows (browser), and each entry may be opened again (desktop).
      const allowed = paths.filter((p) => {
        try {
          deps.paths.grant(p);
          deps.paths.check(p);
          return true;
        } catch {
          return false;
        }
      });
      return { paths: allowed, removed };
    },
    'backup:write': async ({ project, path }) => {
      // The path is granted again when the backup is restored, so only one the renderer may
      // already name is kept: a backup must not become a way to reach other files.
      let allowed: string | null;
      try {
        allowed = path === null ? null : deps.paths.check(path);
      } catch {
        allowed = null;
      }
      await deps.data.writeBackup(project, allowed);
      return {};
    },
    'lessons:progress': async () => ({ lessons: await deps.data.lessonProgress() }),
    'lessons:save-progress': async ({ lessonId, progress }) => {
      await deps.data.saveLessonProgress(lessonId, progress);
      return {};
    },
    'backup:check': async () => {
      const { backup, problem } = await deps.data.readBackup();
      if (backup?.path) deps.paths.grant(backup.path);
      return { backup, problem };
    },
    'backup:clear': async () => {
      await deps.data.clearBackup();
      return {};
    },
    'app:update': async () => {
      throw new UserError('NN Studio updates itself only in the web edition; here a new version comes with a new install.');
    },
    'app:close': async () => {
      deps.closeWindow?.();
      return {};
    },
    'project:save': async ({ path, project }) => {
      let chosen = path ?? (await deps.dialogs.chooseWhereToSave(suggestedFileName(project.name)));
      if (chosen === null) return null;
      if (path === undefined) {
        if (!chosen.endsWith('.nnproj')) chosen = `${chosen}.nnproj`;
        deps.paths.grant(chosen);
      }
      const full = deps.paths.check(chosen);
      // The renderer names only project files: never package.json or anything else.
      if (!full.endsWith('.nnproj')) throw new UserError(`${path}: projects are saved as .nnproj files.`);
      // The file and the document agree: what is written carries the file's name, and the
      // renderer takes the name from the answer.
      const name = projectNameFromPath(full, project.name);
      await deps.paths.writeFile(full, serialiseProject(named(project, name)));
      await remember(deps, full);
      return { path: full, name };
    },
    'workspace:list': async ({ dir }) => {
      const root = deps.paths.workspace;
      if (!root) throw new UserError('The in-app file picker is only for NN Studio in the browser.');
      const folder = deps.paths.check(dir ?? root);
      const entries = await deps.paths.listFolder(folder);
      return {
        dir: folder,
        entries: entries
          .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.name.endsWith('.nnproj')))
          .map((e) => ({ name: e.name, path: join(folder, e.name), kind: e.isDirectory() ? ('folder' as const) : ('project' as const) }))
          .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1)),
      };
    },
  };
}

/**
 * Reading and writing .nnproj files (and every other file of the user's) on disk, and file-system
 * errors in words. Writes go through {@link writeFileDurably}: every byte to a temporary file in
 * the same folder, fsync, a size check, then a rename, so a failure — a full disk above all —
 * leaves the old file exactly as it was and says why in one sentence. Reads can start from a file
 * already opened, so that a caller may check what it opened before anything is read.
 */
import { constants } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { LIMITS, parseProject, serialiseProject, type Project } from '../../engine/src/index';
import { writeFileDurably } from './durable-write';
import { UserError } from '../../src-shared/host/user-error';

/** An error for the user: one line, no stack trace. */
export { UserError };

/** Reads and validates a project file. @throws UserError naming the file and the problem. */
export async function readProjectFile(path: string): Promise<{ project: Project; migratedFrom: number | null }> {
  let handle: FileHandle;
  try {
    // Before opening: a folder or a device is refused without opening it at all.
    const info = await stat(path);
    if (info.isDirectory()) throw new UserError(`${path}: is a folder, not a project file.`);
    if (!info.isFile()) throw new UserError(`${path}: is not a regular file.`);
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${path}: ${describeFsError(error)}`);
  }
  try {
    return await readProjectHandle(handle, path);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads and validates a project from a file already open (for reading), from its start; `path`
 * names it in messages. The caller closes the handle. @throws UserError naming the file and the problem.
 */
export async function readProjectHandle(handle: FileHandle, path: string): Promise<{ project: Project; migratedFrom: number | null }> {
  let text: string;
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new UserError(`${path}: is a folder, not a project file.`);
    // A pipe or a device would block the read forever.
    if (!info.isFile()) throw new UserError(`${path}: is not a regular file.`);
    // Bytes can only shrink into characters, so this bounds the text before it is read.
    if (info.size > LIMITS.fileBytes)
      throw new UserError(
        `${path}: the file is too large to be a project (${info.size.toLocaleString('en')} bytes; NN Studio opens projects of up to ${LIMITS.fileBytes.toLocaleString('en')}).`,
      );
    text = await handle.readFile('utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${path}: ${describeFsError(error)}`);
  }
  const result = parseProject(text);
  if (!result.ok) throw new UserError(`${path}: ${result.error.message}`);
  return { project: result.project, migratedFrom: result.migratedFrom };
}

/** Writes a project durably. @throws UserError naming the file and why it could not be written. */
export async function writeProjectFile(path: string, project: Project): Promise<void> {
  await writeUserFile(path, serialiseProject(project));
}

/**
 * Writes a user's file (a project, an export) durably, through a symbolic link to where it leads,
 * as the user's editors do. @throws UserError, one sentence: `<path>: could not save: the disk is full.`
 */
export async function writeUserFile(path: string, data: string | Uint8Array): Promise<void> {
  try {
    const target = await realpath(path).catch(() => path); // a new file has no realpath yet
    await writeFileDurably(target, data);
  } catch (error) {
    throw new UserError(`${path}: could not save: ${describeFsError(error)}`);
  }
}

/** A file-system error in words. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code ?? '';
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder.';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied.';
    case 'EROFS':
      return 'the file system is read-only.';
    case 'ENOSPC':
      return 'the disk is full.';
    case 'EDQUOT':
      return 'the disk is full (your quota on it is used up).';
    case 'EFBIG':
      return 'the file is too large for this disk.';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open; close some programs and try again.';
    case 'ELOOP':
      return 'a symbolic link is in the way, and it is not followed here.';
    case 'ENAMETOOLONG':
      return 'the name is too long.';
    case 'EIO':
      return 'the disk reported an input/output error.';
    case 'EBUSY':
    case 'ETXTBSY':
      return 'the file is in use by another program.';
    case 'EISDIR':
      return 'is a folder, not a file.';
    case 'ENOTDIR':
      return 'a part of the path is not a folder.';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

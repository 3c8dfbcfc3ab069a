/**
 * Reading and writing .nnproj files on disk. Writes are atomic (a temporary file in the same
 * folder, fsync, rename), so a failure leaves the old file as it was.
 */
import { readFile, stat } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { LIMITS, parseProject, serialiseProject, type Project } from '../../engine/src/index';

/** An error for the user: one line, no stack trace. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Reads and validates a project file. @throws UserError naming the file and the problem. */
export async function readProjectFile(path: string): Promise<{ project: Project; migratedFrom: number | null }> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UserError(`${path}: is a folder, not a project file.`);
    // A pipe or a device would block the read forever.
    if (!info.isFile()) throw new UserError(`${path}: is not a regular file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${path}: ${describeFsError(error)}`);
  }
  // Bytes can only shrink into characters, so this bounds the text before it is read.
  if (size > LIMITS.fileChars * 4) throw new UserError(`${path}: the file is too large to be a project (${size} bytes).`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`${path}: ${describeFsError(error)}`);
  }
  const result = parseProject(text);
  if (!result.ok) throw new UserError(`${path}: ${result.error.message}`);
  return { project: result.project, migratedFrom: result.migratedFrom };
}

/** Writes a project atomically. @throws UserError naming the file and why it could not be written. */
export async function writeProjectFile(path: string, project: Project): Promise<void> {
  const text = serialiseProject(project);
  try {
    await writeFileAtomic(path, text, { encoding: 'utf8', fsync: true });
  } catch (error) {
    throw new UserError(`${path}: could not save: ${describeFsError(error)}`);
  }
}

/** A file-system error in words. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
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
    case 'EISDIR':
      return 'is a folder, not a file.';
    case 'ENOTDIR':
      return 'a part of the path is not a folder.';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Writing a user's file so that nothing is lost: the new bytes go to a temporary file of our own
 * naming in the same folder, every byte of them (a short write goes on from where it stopped; a
 * write that makes no progress means the disk is full), fsynced and checked, and only then is the
 * temporary renamed over the target. Until that rename the old file is not touched, so a full
 * disk, a crash or a kill leaves it exactly as it was. (write-file-atomic, used before, ignored the
 * byte count of its one write and renamed a truncated file over the old one on a nearly full disk.)
 *
 * A temporary file a killed writer left behind is removed by a later write to the same folder —
 * only files of our own naming, and only stale ones: never another live writer's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** A temporary file of ours older than this is stale whoever made it: no write takes minutes. */
export const STALE_TEMP_MS = 5 * 60_000;

/** Which machine made a temporary file: a process number means something only on its own machine. */
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** `.<target>.nnstudio-<host>-<pid>-<random>.tmp`: hidden, and unmistakably ours. */
const TEMP_NAME = /^\..*\.nnstudio-([0-9a-f]{8})-(\d{1,10})-[0-9a-f]{12}\.tmp$/s;

// Absent on Windows, where links are rare and the flags do not exist.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** Errors of a folder fsync that mean only "this platform or file system cannot do that". */
const FOLDER_SYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR', 'EPERM', 'EACCES', 'EBADF']);

/** Options of {@link writeFileDurably}. */
export interface DurableWriteOptions {
  /**
   * Runs on the freshly created temporary file before a byte is written to it; throwing refuses
   * the write (the temporary file is removed). The workspace policy checks here where the file
   * really is.
   */
  beforeWrite?: (temp: FileHandle, tempPath: string) => Promise<void>;
}

/** A write whose bytes are safely on disk in a temporary file, not yet in place. */
export interface PreparedWrite {
  /** Where the bytes wait. */
  readonly tempPath: string;
  /** Renames the temporary file over the target (and fsyncs the folder). */
  commit(): Promise<void>;
  /** Removes the temporary file; the target stays as it was. */
  discard(): Promise<void>;
}

/**
 * Writes `data` (text as UTF-8) to `path` durably: every byte to a temporary file beside it,
 * fsync, a size check, then a rename over `path` and an fsync of the folder. On any failure the
 * temporary file is removed and the error thrown (a full disk as ENOSPC); the old file at `path`
 * is untouched. Writes exactly at `path`: a symbolic link there is replaced, not followed.
 * Also removes stale temporary files of ours from the folder first.
 */
export async function writeFileDurably(path: string, data: string | Uint8Array, options: DurableWriteOptions = {}): Promise<void> {
  const prepared = await prepareDurableWrite(path, data, options);
  await prepared.commit();
}

/**
 * The first half of {@link writeFileDurably}: the bytes are written, fsynced and checked in a
 * temporary file, but not yet renamed into place. For writes of several files that must all
 * happen or none (the backup and its note): prepare each, then commit each.
 */
export async function prepareDurableWrite(
  path: string,
  data: string | Uint8Array,
  options: DurableWriteOptions = {},
): Promise<PreparedWrite> {
  const folder = dirname(path);
  // First, so that on a disk filled by a killed writer's leftovers there is room again.
  await removeStaleTemps(folder).catch(() => undefined);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const previous = await lstat(path).catch(() => null);
  const tempPath = join(folder, temporaryName(path));
  // Exclusive and not through a link: the temporary file is ours alone, and where we named it.
  const temp = await open(tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o666);
  try {
    await options.beforeWrite?.(temp, tempPath);
    await writeAll(temp, bytes);
    if (previous?.isFile()) await keepOwnership(temp, previous);
    await temp.sync();
    const written = (await temp.stat()).size;
    if (written !== bytes.length) throw new Error(`the file came out ${written} bytes long instead of ${bytes.length}.`);
    await temp.close();
  } catch (error) {
    await temp.close().catch(() => undefined);
    await rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  }
  let settled = false;
  return {
    tempPath,
    async commit() {
      if (settled) return;
      settled = true;
      try {
        await rename(tempPath, path);
      } catch (error) {
        await rm(tempPath, { force: true }).catch(() => undefined);
        throw error;
      }
      await syncFolder(folder);
    },
    async discard() {
      if (settled) return;
      settled = true;
      await rm(tempPath, { force: true }).catch(() => undefined);
    },
  };
}

/** Writes every byte, going on from where each write stopped. */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, done);
    // A write that takes nothing and reports no error: the disk has no room (that is what a
    // nearly full disk answers before the ENOSPC that would follow).
    if (!(bytesWritten > 0)) throw Object.assign(new Error('the disk is full.'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/** The replaced file's permissions (and, for root, its owner) carry over to the new one. */
async function keepOwnership(temp: FileHandle, previous: import('node:fs').Stats): Promise<void> {
  await temp.chmod(previous.mode & 0o7777);
  if (process.getuid?.() === 0 && (previous.uid !== 0 || previous.gid !== 0))
    await temp.chown(previous.uid, previous.gid).catch(() => undefined);
}

/** Makes the rename itself durable where the platform can fsync a folder. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return; // a folder cannot be opened as a file there
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    if (!FOLDER_SYNC_UNSUPPORTED.has((error as { code?: string }).code ?? '')) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * A fresh temporary name for a write of `target`, in our own recognisable form: hidden (so the
 * in-app picker does not list it), naming the target, this machine, the writing process, and a
 * random part. `owner` is for tests that stand in for other writers.
 */
export function temporaryName(target: string, owner: { pid?: number; host?: string } = {}): string {
  // Short enough that the whole name stays under the usual 255-byte limit, whatever the script.
  const base = [...basename(target)].slice(0, 40).join('');
  return `.${base}.nnstudio-${owner.host ?? HOST_TAG}-${owner.pid ?? process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Removes the stale temporary files of ours in `folder`: those older than {@link STALE_TEMP_MS},
 * and those made on this machine by a process that no longer runs. Files of any other naming,
 * folders, and fresh files of a live writer (or of another machine) are left alone. Returns the
 * names removed. Never throws for a file it cannot remove.
 */
export async function removeStaleTemps(folder: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match) continue;
    const full = join(folder, name);
    const info = await lstat(full).catch(() => null);
    if (!info?.isFile()) continue;
    const old = now - info.mtimeMs > STALE_TEMP_MS;
    const orphaned = match[1] === HOST_TAG && !isRunning(Number(match[2]));
    if (!old && !orphaned) continue;
    try {
      await rm(full);
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove after all: either way nothing to do.
    }
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  // 0 and negative numbers would signal process groups, not a process.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'; // running, as another user
  }
}

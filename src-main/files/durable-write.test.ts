/**
 * Durable writes on a real full disk (a 64 KiB tmpfs): every writer of a user's file — the CLI's
 * train and export, the app's Save and Save As, the backup of unsaved work — either writes every
 * byte or fails with "the disk is full" and leaves the old file byte for byte. Plus short writes
 * from a mocked file system, and the clean-up of temporary files a killed writer left behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, statfsSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { findExample, parseProject, serialiseProject, type Project } from '../../engine/src/index';
import { runCliCaptured } from '../../test/support/run-cli';
import { createHandlers, dispatch, grantedPathsPolicy, workspacePolicy, type PathPolicy } from '../ipc/handlers';
import type { TrainingController } from '../../src-shared/host/training-controller';
import { AppData } from './app-data';
import { STALE_TEMP_MS, removeStaleTemps, temporaryName, writeFileDurably } from './durable-write';
import { UserError, writeUserFile } from './project-file';

/** What the mocked file system does to each write: nothing (0), or at most this many bytes. */
const shortWrites = vi.hoisted(() => ({ bytesPerWrite: 0, calls: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open = (async (...args: Parameters<typeof real.open>) => {
    const handle = await real.open(...args);
    if (shortWrites.bytesPerWrite === 0) return handle;
    // A file system that accepts fewer bytes than asked, as a nearly full disk or a signal does.
    return new Proxy(handle, {
      get(target, property) {
        if (property === 'write') {
          return (buffer: Uint8Array, offset: number, length: number, position: number) => {
            shortWrites.calls++;
            const limit = shortWrites.bytesPerWrite < 0 ? 0 : Math.min(length, shortWrites.bytesPerWrite);
            if (limit === 0) return Promise.resolve({ bytesWritten: 0, buffer });
            return target.write(buffer, offset, limit, position);
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }) as typeof real.open;
  return { ...real, open, default: { ...real, open } };
});

const spiral = () => findExample('spiral')!.create();
const xor = () => findExample('xor-sigmoid')!.create();

// ---------------------------------------------------------------------------------------------
// The real full disk.

const disk = mkdtempSync(join(tmpdir(), 'nnstudio-full-disk-'));
const elsewhere = mkdtempSync(join(tmpdir(), 'nnstudio-not-full-'));
let mounted = false;
let notMounted = '';

beforeAll(() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    notMounted = `mounting a 64 KiB tmpfs is not permitted here (${process.getuid?.() === 0 ? 'root, but' : 'not root:'} ${stderr || (error as Error).message}); the full-disk tests need it`;
  }
});
afterAll(() => {
  if (mounted) execFileSync('umount', [disk]);
  rmSync(disk, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});
beforeEach(() => {
  shortWrites.bytesPerWrite = 0;
  shortWrites.calls = 0;
  if (mounted) for (const name of readdirSync(disk)) rmSync(join(disk, name), { recursive: true, force: true });
});

/** Fills the tmpfs so that exactly `leave` bytes are free. */
function fillDisk(leave: number): void {
  const { bavail, bsize } = statfsSync(disk);
  const free = bavail * bsize;
  expect(free).toBeGreaterThanOrEqual(leave);
  if (free > leave) writeFileSync(join(disk, 'filler'), Buffer.alloc(free - leave, 7));
  expect(statfsSync(disk).bavail * bsize).toBe(leave); // the premise of the test, checked
}

function freeDisk(): void {
  rmSync(join(disk, 'filler'), { force: true });
}

/** Every file on the disk (but the filler), by its path below the disk, with its exact bytes. */
function snapshot(folder = disk): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    const full = join(entry.parentPath, entry.name);
    if (entry.isFile() && full !== join(disk, 'filler')) files[relative(folder, full)] = readFileSync(full).toString('base64');
  }
  return files;
}

const cli = (...argv: string[]) => runCliCaptured(disk, ...argv);

function handlersFor(policy: PathPolicy, dataFolder: string, chooseWhereToSave: () => Promise<string | null> = async () => null) {
  const handlers = createHandlers({
    host: 'browser',
    version: '0',
    platform: 'linux',
    dialogs: { chooseProjectToOpen: async () => null, chooseWhereToSave },
    paths: policy,
    training: {} as TrainingController,
    data: new AppData(dataFolder),
  });
  return (channel: string, payload: unknown) => dispatch(handlers, channel, payload, true);
}

/**
 * Runs a check twice: with nothing free at all (the first write fails), and with a little free,
 * less than the file needs (a short write, then ENOSPC). write-file-atomic 7.0.1 "succeeded" in
 * the second case and left a truncated file.
 */
async function onFullDisks(check: (fill: () => void) => Promise<void>): Promise<void> {
  for (const leave of [0, 8192]) {
    for (const name of readdirSync(disk)) rmSync(join(disk, name), { recursive: true, force: true });
    await check(() => fillDisk(leave));
  }
}

describe('a full disk: the old file survives byte for byte and the message says the disk is full', () => {
  it('nnstudio train --in-place', async (context) => {
    if (!mounted) return context.skip(notMounted);
    await onFullDisks(async (fill) => {
      writeFileSync(join(disk, 'x.nnproj'), serialiseProject(spiral()));
      const before = snapshot();
      fill();
      const result = await cli('train', 'x.nnproj', '--in-place', '--epochs', '1', '--quiet');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`nnstudio: ${join(disk, 'x.nnproj')}: could not save: the disk is full.\n`);
      expect(result.stdout).not.toMatch(/Wrote/);
      expect(snapshot()).toEqual(before); // the old file, and no temporary file left beside it
      // With room again the same command works: the disk was the only problem.
      freeDisk();
      expect((await cli('train', 'x.nnproj', '--in-place', '--epochs', '1', '--quiet')).code).toBe(0);
      const trained = parseProject(readFileSync(join(disk, 'x.nnproj'), 'utf8'));
      expect(trained.ok && trained.project.training.epoch).toBe(1);
    });
  });

  it('nnstudio train --out over an existing file', async (context) => {
    if (!mounted) return context.skip(notMounted);
    await onFullDisks(async (fill) => {
      writeFileSync(join(disk, 'x.nnproj'), serialiseProject(spiral()));
      writeFileSync(join(disk, 'y.nnproj'), serialiseProject(xor()));
      const before = snapshot();
      fill();
      const result = await cli('train', 'x.nnproj', '--out', 'y.nnproj', '--epochs', '1', '--quiet');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`nnstudio: ${join(disk, 'y.nnproj')}: could not save: the disk is full.\n`);
      expect(snapshot()).toEqual(before);
    });
  });

  it('nnstudio export over an existing export', async (context) => {
    if (!mounted) return context.skip(notMounted);
    await onFullDisks(async (fill) => {
      writeFileSync(join(disk, 'x.nnproj'), serialiseProject(spiral()));
      writeFileSync(join(disk, 'x.json'), '{"the": "previous export"}');
      const before = snapshot();
      fill();
      const result = await cli('export', 'x.nnproj', '--to', 'weights', '--out', 'x.json', '--force');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`nnstudio: ${join(disk, 'x.json')}: could not save: the disk is full.\n`);
      expect(result.stdout).toBe('');
      expect(snapshot()).toEqual(before);
    });
  });

  for (const [name, policy] of [
    ['browser: the workspace', () => workspacePolicy(disk)],
    ['desktop: granted paths', () => grantedPathsPolicy()],
  ] as const) {
    it(`project:save to the same path (${name})`, async (context) => {
      if (!mounted) return context.skip(notMounted);
      await onFullDisks(async (fill) => {
        const path = join(disk, 'x.nnproj');
        writeFileSync(path, serialiseProject(xor()));
        const paths = policy();
        paths.grant(path);
        const call = handlersFor(paths, join(elsewhere, 'data-save'));
        const before = snapshot();
        fill();
        const changed: Project = { ...spiral(), name: 'changed, not yet saved' };
        expect(await call('project:save', { path, project: changed })).toEqual({ error: `${path}: could not save: the disk is full.` });
        expect(snapshot()).toEqual(before);
        freeDisk();
        expect(await call('project:save', { path, project: changed })).toEqual({ ok: { path, name: 'x' } });
        expect(readFileSync(path, 'utf8')).toBe(serialiseProject({ ...changed, name: 'x' })); // named after its file
      });
    });

    it(`project:save as a new file (${name})`, async (context) => {
      if (!mounted) return context.skip(notMounted);
      await onFullDisks(async (fill) => {
        writeFileSync(join(disk, 'x.nnproj'), serialiseProject(xor()));
        const target = join(disk, 'copy.nnproj');
        const call = handlersFor(policy(), join(elsewhere, 'data-save-as'), async () => target);
        const before = snapshot();
        fill();
        expect(await call('project:save', { project: spiral() })).toEqual({ error: `${target}: could not save: the disk is full.` });
        expect(snapshot()).toEqual(before); // no copy.nnproj, whole or in part
      });
    });
  }

  it('backup:write: the previous good backup and its note survive', async (context) => {
    if (!mounted) return context.skip(notMounted);
    await onFullDisks(async (fill) => {
      const data = join(disk, 'data');
      const call = handlersFor(workspacePolicy(disk), data);
      const good = { ...xor(), name: 'the good backup' };
      expect(await call('backup:write', { project: good, path: join(disk, 'x.nnproj') })).toEqual({ ok: {} });
      const before = snapshot();
      expect(Object.keys(before).sort()).toEqual(['data/backup.json', 'data/backup.nnproj']);
      fill();
      const failure = (await call('backup:write', { project: spiral(), path: null })) as { error: string };
      expect(failure.error).toMatch(/^.*data\/backup\.(nnproj|json): could not write NN Studio's data: the disk is full\.$/);
      expect(snapshot()).toEqual(before);
      const { backup, problem } = await new AppData(data).readBackup();
      expect(problem).toBeNull();
      expect(backup).toMatchObject({ project: good, path: join(disk, 'x.nnproj') });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Short writes and writes that make no progress (a mocked file system).

describe('short writes', () => {
  it('a file system that takes 7 bytes per write still gets every byte, in order', async () => {
    const path = join(elsewhere, 'short.bin');
    // Every byte value, so a byte written twice or skipped shows.
    const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
    shortWrites.bytesPerWrite = 7;
    await writeFileDurably(path, data);
    shortWrites.bytesPerWrite = 0;
    expect(Buffer.compare(readFileSync(path), Buffer.from(data))).toBe(0);
    expect(shortWrites.calls).toBe(Math.ceil(10_000 / 7)); // each write went on from where the last stopped
  });

  it('text is written as UTF-8, every byte of it, through short writes', async () => {
    const path = join(elsewhere, 'short.txt');
    const text = 'Δw_ji = η·δ_j·x_ji — ∂J/∂w\n'.repeat(200);
    shortWrites.bytesPerWrite = 5; // splits multi-byte characters across writes
    await writeFileDurably(path, text);
    shortWrites.bytesPerWrite = 0;
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('a write that makes no progress is a full disk: the old file stays, no temporary file is left', async () => {
    const folder = join(elsewhere, 'no-progress');
    mkdirSync(folder);
    const path = join(folder, 'kept.nnproj');
    writeFileSync(path, 'the old file');
    shortWrites.bytesPerWrite = -1;
    const failure = await writeUserFile(path, 'a new version').catch((e: unknown) => e);
    shortWrites.bytesPerWrite = 0;
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as Error).message).toBe(`${path}: could not save: the disk is full.`);
    expect(readFileSync(path, 'utf8')).toBe('the old file');
    expect(readdirSync(folder)).toEqual(['kept.nnproj']);
  });
});

describe('writing', () => {
  it('replaces the file with exactly the new bytes, keeps its permissions, leaves no temporary file', async () => {
    const folder = join(elsewhere, 'plain');
    mkdirSync(folder);
    const path = join(folder, 'a.nnproj');
    writeFileSync(path, 'old', { mode: 0o600 });
    await writeFileDurably(path, 'new contents');
    expect(readFileSync(path, 'utf8')).toBe('new contents');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder)).toEqual(['a.nnproj']);
  });

  it('a folder that does not exist: one sentence naming the file', async () => {
    const path = join(elsewhere, 'no-such-folder', 'a.nnproj');
    await expect(writeUserFile(path, 'x')).rejects.toThrow(`${path}: could not save: no such file or folder.`);
  });
});

// ---------------------------------------------------------------------------------------------
// Temporary files left by a killed writer.

describe('stale temporary files', () => {
  // No process can have this number: Linux's pid_max is at most 2^22.
  const DEAD_PID = 4_194_305;
  const hourAgo = () => new Date(Date.now() - 60 * 60_000);

  it('the next save removes our own stale ones, and nothing else', async () => {
    const folder = join(elsewhere, 'stale');
    mkdirSync(folder);
    const target = join(folder, 'x.nnproj');
    const ours = {
      killedLongAgo: temporaryName(target, { pid: process.pid }), // a live pid, but old: no write takes an hour
      killedJustNow: temporaryName(target, { pid: DEAD_PID }), // fresh, but its writer is gone
      otherProject: temporaryName(join(folder, 'other.nnproj'), { pid: DEAD_PID }),
    };
    const keep = {
      liveWriter: temporaryName(target, { pid: process.pid }), // fresh and its writer runs: never touched
      otherMachine: temporaryName(target, { pid: DEAD_PID, host: '0badc0de' }), // its pid means nothing here
      writeFileAtomic: 'x.nnproj.3141592653', // another program's naming
      userFile: '.x.nnproj.nnstudio-notes.tmp',
      userNotes: 'notes.tmp',
    };
    for (const name of [...Object.values(ours), ...Object.values(keep)]) writeFileSync(join(folder, name), 'partial');
    utimesSync(join(folder, ours.killedLongAgo), hourAgo(), hourAgo());
    utimesSync(join(folder, keep.writeFileAtomic), hourAgo(), hourAgo());
    utimesSync(join(folder, keep.userNotes), hourAgo(), hourAgo());
    const folderNamedLikeOurs = temporaryName(join(folder, 'dir.nnproj'), { pid: DEAD_PID });
    mkdirSync(join(folder, folderNamedLikeOurs));
    utimesSync(join(folder, folderNamedLikeOurs), hourAgo(), hourAgo());

    await writeFileDurably(target, 'saved');
    expect(readdirSync(folder).sort()).toEqual([...Object.values(keep), folderNamedLikeOurs, 'x.nnproj'].sort());
    expect(readFileSync(target, 'utf8')).toBe('saved');
  });

  it('a temporary file is stale after STALE_TEMP_MS, not before', async () => {
    const folder = join(elsewhere, 'age');
    mkdirSync(folder);
    const name = temporaryName(join(folder, 'x.nnproj'), { pid: process.pid });
    writeFileSync(join(folder, name), 'partial');
    const now = statSync(join(folder, name)).mtimeMs;
    expect(await removeStaleTemps(folder, now + STALE_TEMP_MS - 1000)).toEqual([]);
    expect(await removeStaleTemps(folder, now + STALE_TEMP_MS + 1000)).toEqual([name]);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('our temporary names are hidden files in the target’s folder, never the same twice', () => {
    const a = temporaryName('/w/x.nnproj');
    const b = temporaryName('/w/x.nnproj');
    expect(a).not.toBe(b);
    expect(a.startsWith('.x.nnproj.')).toBe(true);
    // A long file name still gives a temporary name the file system accepts.
    expect(Buffer.byteLength(temporaryName(`/w/${'é'.repeat(120)}.nnproj`))).toBeLessThanOrEqual(255);
  });
});

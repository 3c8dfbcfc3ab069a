/**
 * The file service against a real temporary folder: atomic saves that leave the old file intact
 * when they fail, the recent list, and the backup of unsaved work.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findExample, serialiseProject } from '../../engine/src/index';
import { AppData, MAX_RECENT, defaultDataDir } from './app-data';
import { UserError, readProjectFile, writeProjectFile } from './project-file';

const root = mkdtempSync(join(tmpdir(), 'nnstudio-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const folder = () => {
  const dir = join(root, `case-${++count}`);
  mkdirSync(dir);
  return dir;
};

/**
 * Makes a folder refuse new files, as a read-only folder does: chmod for a normal user; for root
 * (whom permissions do not stop) the immutable attribute. Returns how to undo it, or null when
 * this machine can do neither.
 */
function lockFolder(dir: string): (() => void) | null {
  const probe = () => {
    try {
      writeFileSync(join(dir, '.probe'), 'x');
      rmSync(join(dir, '.probe'));
      return false;
    } catch {
      return true;
    }
  };
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o555);
    if (probe()) return () => chmodSync(dir, 0o755);
    chmodSync(dir, 0o755);
    return null;
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  if (probe()) return () => execFileSync('chattr', ['-i', dir]);
  execFileSync('chattr', ['-i', dir]);
  return null;
}

describe('saving a project', () => {
  it('writes atomically: the file reads back as the same project, and no temporary file is left', async () => {
    const dir = folder();
    const path = join(dir, 'xor.nnproj');
    const project = findExample('xor-sigmoid')!.create();
    await writeProjectFile(path, project);
    expect((await readProjectFile(path)).project).toEqual(project);
    expect(readdirSync(dir)).toEqual(['xor.nnproj']);
  });

  it('a save that fails (a read-only folder) says why and leaves the old file exactly as it was', async (context) => {
    const dir = folder();
    const path = join(dir, 'kept.nnproj');
    const old = findExample('xor-sigmoid')!.create();
    await writeProjectFile(path, old);
    const before = readFileSync(path, 'utf8');
    const unlock = lockFolder(dir);
    if (!unlock) return context.skip('this machine can make no folder read-only (neither chmod nor chattr work here)');
    try {
      const changed = { ...old, name: 'changed' };
      const failure = await writeProjectFile(path, changed).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(UserError);
      expect((failure as Error).message).toMatch(/^.*kept\.nnproj: could not save: (permission denied|the file system is read-only)/);
      expect(readFileSync(path, 'utf8')).toBe(before);
    } finally {
      unlock();
    }
    expect(readdirSync(dir)).toEqual(['kept.nnproj']); // no half-written temporary file either
  });
});

describe('recent projects', () => {
  it('newest first, each once, at most ten; kept across launches', async () => {
    const dir = folder();
    const files = Array.from({ length: 12 }, (_, i) => join(dir, `p${i}.nnproj`));
    for (const f of files) writeFileSync(f, serialiseProject(findExample('xor-sigmoid')!.create()));
    const data = new AppData(join(dir, 'data'));
    for (const f of files) await data.addRecent(f);
    await data.addRecent(files[5]); // again: moves to the top
    const later = new AppData(join(dir, 'data')); // the next launch
    const { paths, removed } = await later.recent();
    expect(paths).toHaveLength(MAX_RECENT);
    expect(paths[0]).toBe(files[5]);
    expect(paths.slice(1, 4)).toEqual([files[11], files[10], files[9]]);
    expect(new Set(paths).size).toBe(paths.length);
    expect(removed).toEqual([]);
  });

  it('an entry whose file is gone is dropped, and reported once for a notice', async () => {
    const dir = folder();
    const [a, b] = [join(dir, 'a.nnproj'), join(dir, 'b.nnproj')];
    writeFileSync(a, '{}');
    writeFileSync(b, '{}');
    const changes: string[][] = [];
    const data = new AppData(join(dir, 'data'), (paths) => changes.push(paths));
    await data.addRecent(a);
    await data.addRecent(b);
    rmSync(a);
    expect(await data.recent()).toEqual({ paths: [b], removed: [a] });
    expect(await data.recent()).toEqual({ paths: [b], removed: [] });
    expect(changes.at(-1)).toEqual([b]); // the desktop menu hears of it
  });

  it('a damaged list is an empty one, not a crash', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'recent.json'), '{"version": 1, "paths": [42');
    expect(await new AppData(join(dir, 'data')).recent()).toEqual({ paths: [], removed: [] });
  });

  it('quick successive opens are all remembered', async () => {
    const dir = folder();
    const files = Array.from({ length: 5 }, (_, i) => join(dir, `q${i}.nnproj`));
    for (const f of files) writeFileSync(f, '{}');
    const data = new AppData(join(dir, 'data'));
    await Promise.all(files.map((f) => data.addRecent(f)));
    expect((await data.recent()).paths.sort()).toEqual([...files].sort());
  });
});

describe('backup of unsaved work', () => {
  it('written, found by the next launch with where it came from, and cleared', async () => {
    const dir = folder();
    const data = new AppData(join(dir, 'data'));
    expect(await data.readBackup()).toEqual({ backup: null, problem: null });
    const project = findExample('iris')!.create();
    project.name = 'half done';
    await data.writeBackup(project, '/somewhere/iris.nnproj');
    const found = await new AppData(join(dir, 'data')).readBackup();
    expect(found.problem).toBeNull();
    expect(found.backup!.project).toEqual(project);
    expect(found.backup!.path).toBe('/somewhere/iris.nnproj');
    expect(Date.now() - Date.parse(found.backup!.savedAt)).toBeLessThan(60_000);
    await data.clearBackup();
    expect(await data.readBackup()).toEqual({ backup: null, problem: null });
  });

  it('a damaged backup is set aside with a message, not offered, not lost', async () => {
    const dir = folder();
    const data = new AppData(join(dir, 'data'));
    await data.writeBackup(findExample('xor-sigmoid')!.create(), null);
    writeFileSync(join(dir, 'data', 'backup.nnproj'), '{"format": "nnstudio-project", "version": 1, "na');
    const { backup, problem } = await data.readBackup();
    expect(backup).toBeNull();
    expect(problem).toMatch(/could not be read .*kept as .*backup\.damaged\.nnproj/);
    expect(existsSync(join(dir, 'data', 'backup.damaged.nnproj'))).toBe(true);
    expect(await data.readBackup()).toEqual({ backup: null, problem: null });
  });

  it('a data folder that cannot be written: a clear message naming it', async (context) => {
    const dir = folder();
    const unlock = lockFolder(dir);
    if (!unlock) return context.skip('this machine can make no folder read-only');
    try {
      const failure = await new AppData(join(dir, 'data')).writeBackup(findExample('xor-sigmoid')!.create(), null).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(UserError);
      expect((failure as Error).message).toMatch(/could not write NN Studio's data/);
    } finally {
      unlock();
    }
  });

  it('lesson progress: each lesson’s kept beside the others across launches; quick saves all land; a damaged file is set aside', async () => {
    const dir = folder();
    const progress = (step: number, done: string[]) => ({
      step,
      done,
      hints: { '0': 1 },
      solutions: [],
      updatedAt: '2026-12-02T04:00:00.000Z',
    });
    const data = new AppData(dir);
    expect(await data.lessonProgress()).toEqual({});
    await Promise.all([data.saveLessonProgress('a', progress(1, ['t1'])), data.saveLessonProgress('b', progress(0, []))]);
    await data.saveLessonProgress('a', progress(2, ['t1', 't2']));
    expect(await new AppData(dir).lessonProgress()).toEqual({ a: progress(2, ['t1', 't2']), b: progress(0, []) });
    writeFileSync(join(dir, 'lessons.json'), '{"version": 1, "lessons": {"a": {"step": -4}}}');
    expect(await new AppData(dir).lessonProgress()).toEqual({});
    expect(readFileSync(join(dir, 'lessons.damaged.json'), 'utf8')).toContain('"step": -4');
    expect(existsSync(join(dir, 'lessons.json'))).toBe(false);
  });

  it('the data folder follows each platform’s convention', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/nn-studio');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/NN Studio$/);
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/NN Studio$/);
  });
});

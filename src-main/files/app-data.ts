/**
 * What NN Studio keeps in its data folder between launches: the recent projects, and the backup
 * of unsaved work (written every few seconds while the document is dirty, offered back after a
 * crash, removed by a clean save or a discard). Plain files, written durably (every byte, fsync,
 * rename: a full disk leaves the previous version); a damaged one is set aside with a notice
 * rather than crashing the app.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseProject, serialiseProject, type Project } from '../../engine/src/index';
import { ProgressByLessonSchema, type LessonProgress, type ProgressByLesson } from '../../engine/src/lessons/progress';
import { prepareDurableWrite, writeFileDurably, type PreparedWrite } from './durable-write';
import { UserError, describeFsError } from './project-file';

/** How many recent projects File › Open Recent lists. */
export const MAX_RECENT = 10;

/** The data folder of the browser host when none is given: the platform's per-user app data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'NN Studio');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'NN Studio');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'nn-studio');
}

const RecentFile = z.object({ version: z.literal(1), paths: z.array(z.string().min(1).max(4096)).max(100) });
const ProgressFile = z.object({ version: z.literal(1), lessons: ProgressByLessonSchema });
const BackupMeta = z.object({ version: z.literal(1), path: z.string().max(4096).nullable(), savedAt: z.string() });

/** A backup found at launch. */
export interface Backup {
  project: Project;
  /** Where the document lived (null when it was never saved). */
  path: string | null;
  /** When the backup was written (ISO 8601). */
  savedAt: string;
}

export class AppData {
  private readonly recentFile: string;
  private readonly backupFile: string;
  private readonly backupMetaFile: string;
  private readonly progressFile: string;
  /** Serialises writes of lesson progress, as of the recent list. */
  private progressWrite: Promise<unknown> = Promise.resolve();
  /** Serialises writes of the recent list so that two quick opens cannot lose one another. */
  private recentWrite: Promise<unknown> = Promise.resolve();

  /** @param folder The data folder (created on first write). @param onRecentChange For the desktop menu. */
  constructor(
    readonly folder: string,
    private readonly onRecentChange: (paths: string[]) => void = () => {},
  ) {
    this.recentFile = join(folder, 'recent.json');
    this.backupFile = join(folder, 'backup.nnproj');
    this.backupMetaFile = join(folder, 'backup.json');
    this.progressFile = join(folder, 'lessons.json');
  }

  /**
   * The student's progress in every lesson, by lesson id. A missing file is no progress; a damaged
   * one is set aside (`lessons.damaged.json`) so the next save does not silently replace what a
   * repair could recover, and reading goes on from nothing.
   */
  async lessonProgress(): Promise<ProgressByLesson> {
    let text: string;
    try {
      text = await readFile(this.progressFile, 'utf8');
    } catch {
      return {};
    }
    try {
      return ProgressFile.parse(JSON.parse(text)).lessons;
    } catch {
      await rename(this.progressFile, join(this.folder, 'lessons.damaged.json')).catch(() => undefined);
      return {};
    }
  }

  /** Saves one lesson's progress, keeping every other lesson's. */
  async saveLessonProgress(lessonId: string, progress: LessonProgress): Promise<void> {
    const next = this.progressWrite.then(async () => {
      const lessons = { ...(await this.lessonProgress()), [lessonId]: progress };
      await this.write(this.progressFile, JSON.stringify({ version: 1, lessons }, null, 2));
    });
    this.progressWrite = next.catch(() => undefined);
    await next;
  }

  /**
   * The recent projects, newest first, and those that no longer exist (dropped from the list,
   * for a notice). A damaged list is treated as empty.
   */
  async recent(): Promise<{ paths: string[]; removed: string[] }> {
    const stored = await this.readRecent();
    const paths = stored.filter((p) => existsSync(p));
    const removed = stored.filter((p) => !paths.includes(p));
    if (removed.length > 0) await this.writeRecent(paths);
    return { paths, removed };
  }

  /** Puts a project at the top of the recent list. */
  async addRecent(path: string): Promise<void> {
    const full = resolve(path);
    const next = this.recentWrite.then(async () => {
      const paths = [full, ...(await this.readRecent()).filter((p) => p !== full)].slice(0, MAX_RECENT);
      await this.writeRecent(paths);
    });
    this.recentWrite = next.catch(() => undefined);
    await next;
  }

  private async readRecent(): Promise<string[]> {
    try {
      const parsed = RecentFile.safeParse(JSON.parse(await readFile(this.recentFile, 'utf8')));
      return parsed.success ? parsed.data.paths : [];
    } catch {
      return []; // missing or damaged: start a new list
    }
  }

  private async writeRecent(paths: string[]): Promise<void> {
    await this.write(this.recentFile, JSON.stringify({ version: 1, paths }, null, 2));
    this.onRecentChange(paths);
  }

  /**
   * Writes the backup of unsaved work and its note (where the document lived, when). Both are
   * written in full before either replaces its previous version, so a full disk or a crash
   * leaves the previous backup and its own note, never one without the other.
   */
  async writeBackup(project: Project, path: string | null): Promise<void> {
    const files: [string, string][] = [
      [this.backupFile, serialiseProject(project)],
      [this.backupMetaFile, JSON.stringify({ version: 1, path, savedAt: new Date().toISOString() })],
    ];
    const prepared: PreparedWrite[] = [];
    let current = this.backupFile;
    try {
      await mkdir(this.folder, { recursive: true });
      for (const [file, text] of files) {
        current = file;
        prepared.push(await prepareDurableWrite(file, text));
      }
      for (const [i, write] of prepared.entries()) {
        current = files[i][0];
        await write.commit();
      }
    } catch (error) {
      for (const write of prepared) await write.discard();
      throw dataError(current, error);
    }
  }

  /**
   * The backup left by a previous launch, or null. A backup that cannot be read is moved aside
   * (`backup.damaged.nnproj`) and reported as `problem`, so it is neither lost nor offered again.
   */
  async readBackup(): Promise<{ backup: Backup | null; problem: string | null }> {
    if (!existsSync(this.backupFile)) return { backup: null, problem: null };
    try {
      const result = parseProject(await readFile(this.backupFile, 'utf8'));
      if (!result.ok) throw new UserError(result.error.message);
      let meta: z.infer<typeof BackupMeta> = { version: 1, path: null, savedAt: (await stat(this.backupFile)).mtime.toISOString() };
      try {
        meta = BackupMeta.parse(JSON.parse(await readFile(this.backupMetaFile, 'utf8')));
      } catch {
        // The project is what matters; without its note, it is offered as never saved.
      }
      return { backup: { project: result.project, path: meta.path, savedAt: meta.savedAt }, problem: null };
    } catch (error) {
      const aside = join(this.folder, 'backup.damaged.nnproj');
      await rename(this.backupFile, aside).catch(() => undefined);
      await rm(this.backupMetaFile, { force: true }).catch(() => undefined);
      return {
        backup: null,
        problem: `The backup of unsaved work could not be read (${error instanceof Error ? error.message : String(error)}); it was kept as ${aside}.`,
      };
    }
  }

  /** Removes the backup (after a clean save, a discard, or a restore that was saved). */
  async clearBackup(): Promise<void> {
    await rm(this.backupFile, { force: true });
    await rm(this.backupMetaFile, { force: true });
  }

  private async write(file: string, text: string): Promise<void> {
    try {
      await mkdir(this.folder, { recursive: true });
      await writeFileDurably(file, text);
    } catch (error) {
      throw dataError(file, error);
    }
  }
}

function dataError(file: string, error: unknown): UserError {
  return new UserError(`${file}: could not write NN Studio's data: ${describeFsError(error)}`);
}

/**
 * What the web edition keeps between visits, in the browser's IndexedDB (the desktop keeps the
 * same in its data folder, src-main/files/app-data.ts): the recent projects (with the file
 * handles that reopen them), the backup of unsaved work, and lesson progress. Every record is
 * validated when read; a damaged one is set aside under its own key and reported, never offered
 * as if it were sound. A full quota is one sentence saying so.
 */
import { z } from 'zod';
import { parseProject, serialiseProject, type Project } from '../engine/src/index';
import { ProgressByLessonSchema, type LessonProgress, type ProgressByLesson } from '../engine/src/lessons/progress';
import { UserError } from '../src-shared/host/user-error';

/** How many recent projects File › Open Recent lists (as on the desktop). */
export const MAX_RECENT = 10;

const DATABASE = 'nnstudio';
const STORE = 'data';

const RecentRecord = z.object({ version: z.literal(1), paths: z.array(z.string().min(1).max(4096)).max(100) });
const ProgressRecord = z.object({ version: z.literal(1), lessons: ProgressByLessonSchema });
const BackupRecord = z.object({ version: z.literal(1), text: z.string(), path: z.string().max(4096).nullable(), savedAt: z.string() });

/** A backup found at start-up. */
export interface WebBackup {
  project: Project;
  path: string | null;
  savedAt: string;
}

/** A file the user chose, as the browser lets a page keep it: a handle (File System Access API). */
export interface StoredHandle {
  /** A FileSystemFileHandle; structured-cloneable, so IndexedDB keeps it across visits. */
  handle: unknown;
}

/** A key–value store: IndexedDB in the page, a Map in tests. */
export interface KeyValue {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every key that starts with `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

/**
 * The tabs of the web edition open now, each by the id of its backup. A tab holds a Web Lock
 * named after its id for as long as it lives; the browser releases it when the tab closes or
 * dies, so a backup whose lock is free belongs to no open tab: its work is what a crash left.
 */
export interface TabRegistry {
  /** This tab's id. */
  readonly id: string;
  /** The ids of the tabs open now (this one among them). */
  live(): Promise<Set<string>>;
}

const TAB_LOCK_PREFIX = 'nnstudio-tab:';

/** A tab that knows of no other: every backup but its own belongs to a tab that is gone. */
export function loneTab(): TabRegistry {
  const id = crypto.randomUUID();
  return { id, live: async () => new Set([id]) };
}

/** The page's tab, registered through the Web Locks API; without it, only this tab counts as open. */
export function browserTabs(): TabRegistry {
  const id = crypto.randomUUID();
  const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
  // Held until the page goes: the promise the callback returns never settles.
  void locks?.request(TAB_LOCK_PREFIX + id, () => new Promise<never>(() => undefined)).catch(() => undefined);
  return {
    id,
    async live() {
      const held = locks ? ((await locks.query().catch(() => ({ held: [] }))).held ?? []) : [];
      const ids = new Set(
        held
          .map((lock) => lock.name ?? '')
          .filter((name) => name.startsWith(TAB_LOCK_PREFIX))
          .map((name) => name.slice(TAB_LOCK_PREFIX.length)),
      );
      return ids.add(id);
    },
  };
}

/** One sentence for a failed write: the quota above all. */
function storageError(what: string, error: unknown): UserError {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'QuotaExceededError')
    return new UserError(
      `The browser's storage for NN Studio is full, so ${what} could not be kept: free space or clear this site's data.`,
    );
  return new UserError(`The browser refused to keep ${what}: ${error instanceof Error ? error.message : String(error)}`);
}

/** Waits for an IndexedDB request. */
function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** The page's IndexedDB as a {@link KeyValue}; each write waits for its transaction to be durable. */
export function indexedDbStore(factory: IDBFactory = indexedDB): KeyValue {
  let opened: Promise<IDBDatabase> | null = null;
  const database = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => {
        opened = null;
        reject(request.error ?? new Error('IndexedDB could not be opened'));
      };
      request.onblocked = () => reject(new Error('another tab holds an older NN Studio database open'));
    }));
  const write = async (change: (store: IDBObjectStore) => void) => {
    const transaction = (await database()).transaction(STORE, 'readwrite', { durability: 'strict' });
    change(transaction.objectStore(STORE));
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB write failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB write was aborted'));
    });
  };
  return {
    async get(key) {
      const transaction = (await database()).transaction(STORE, 'readonly');
      return settled(transaction.objectStore(STORE).get(key));
    },
    set: (key, value) => write((store) => store.put(value, key)),
    delete: (key) => write((store) => store.delete(key)),
    async keys(prefix) {
      const transaction = (await database()).transaction(STORE, 'readonly');
      const keys = await settled(transaction.objectStore(STORE).getAllKeys());
      return keys.map(String).filter((key) => key.startsWith(prefix));
    },
  };
}

/**
 * A {@link KeyValue} in memory, for the visit only (tests; and where the browser offers no
 * IndexedDB, as some private windows do not). Values are kept as given: a file handle stays the
 * very handle.
 */
export function memoryStore(): KeyValue {
  const map = new Map<string, unknown>();
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    delete: async (key) => void map.delete(key),
    keys: async (prefix) => [...map.keys()].filter((key) => key.startsWith(prefix)),
  };
}

/** Recent projects, backup, lesson progress and file handles, over a {@link KeyValue}. */
export class WebData {
  /** Serialises read–modify–write updates so that two quick saves cannot lose one another. */
  private queue: Promise<unknown> = Promise.resolve();

  /** This tab's backup: each tab keeps its own, so two tabs never overwrite each other's work. */
  private readonly backupKey: string;
  private askedToPersist = false;

  constructor(
    private readonly store: KeyValue,
    private readonly tabs: TabRegistry = loneTab(),
  ) {
    this.backupKey = `backup:${tabs.id}`;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async put(key: string, value: unknown, what: string): Promise<void> {
    try {
      await this.store.set(key, value);
    } catch (error) {
      throw storageError(what, error);
    }
  }

  /** The recent projects, newest first. A damaged list is treated as empty. */
  async recent(): Promise<string[]> {
    const parsed = RecentRecord.safeParse(await this.store.get('recent').catch(() => undefined));
    return parsed.success ? parsed.data.paths : [];
  }

  /** Puts a project at the top of the recent list. */
  addRecent(path: string): Promise<void> {
    return this.serial(async () => {
      const paths = [path, ...(await this.recent()).filter((p) => p !== path)].slice(0, MAX_RECENT);
      await this.put('recent', { version: 1, paths }, 'the recent projects');
    });
  }

  /** Drops a project from the recent list, with its handle (a file that is no longer there). */
  forget(path: string): Promise<void> {
    return this.serial(async () => {
      await this.put('recent', { version: 1, paths: (await this.recent()).filter((p) => p !== path) }, 'the recent projects');
      await this.store.delete(`file:${path}`).catch(() => undefined);
    });
  }

  /** The handle kept for a path, or null. */
  async handle(path: string): Promise<unknown> {
    const record = (await this.store.get(`file:${path}`).catch(() => undefined)) as StoredHandle | undefined;
    return record?.handle ?? null;
  }

  /**
   * The path already naming the same file as `handle` among the recent projects, or null: a file
   * chosen again keeps its path, so it is one entry in Open Recent, not two.
   */
  async knownPathOf(handle: { isSameEntry?(other: never): Promise<boolean> }): Promise<string | null> {
    if (!handle.isSameEntry) return null;
    for (const path of await this.recent()) {
      const known = await this.handle(path);
      if (known && (await handle.isSameEntry(known as never).catch(() => false))) return path;
    }
    return null;
  }

  /** Keeps the handle a path names, so Save writes back and Open Recent reopens it. */
  async keepHandle(path: string, handle: unknown): Promise<void> {
    await this.put(`file:${path}`, { handle } satisfies StoredHandle, 'the file you chose');
  }

  /** The backup of unsaved work: written whole in one transaction, so it is never half one and half another. */
  async writeBackup(project: Project, path: string | null): Promise<void> {
    // Unsaved work is what the browser must not evict under storage pressure: ask once that
    // this site's storage be kept (Chromium decides silently; Firefox may ask the user).
    if (!this.askedToPersist) {
      this.askedToPersist = true;
      void globalThis.navigator?.storage?.persist?.().catch(() => false);
    }
    await this.put(
      this.backupKey,
      { version: 1, text: serialiseProject(project), path, savedAt: new Date().toISOString() },
      'the backup of unsaved work',
    );
  }

  /**
   * The newest backup no open tab owns (a tab that crashed or was closed without saving), taken
   * over by this tab: offered, then kept or cleared as this tab's own. Backups of tabs still open
   * are theirs and left alone; older orphans wait for the next visit. One that cannot be read is
   * moved aside (`backup-damaged`) and reported, so it is neither lost nor offered again.
   */
  async readBackup(): Promise<{ backup: WebBackup | null; problem: string | null }> {
    const live = await this.tabs.live();
    const orphans: { key: string; value: unknown; savedAt: string }[] = [];
    for (const key of await this.store.keys('backup:').catch(() => [])) {
      if (live.has(key.slice('backup:'.length))) continue;
      const value = await this.store.get(key).catch(() => undefined);
      if (value === undefined) continue;
      orphans.push({ key, value, savedAt: String((value as { savedAt?: unknown }).savedAt ?? '') });
    }
    if (orphans.length === 0) return { backup: null, problem: null };
    const { key, value } = orphans.sort((a, b) => b.savedAt.localeCompare(a.savedAt))[0];
    const record = BackupRecord.safeParse(value);
    const result = record.success ? parseProject(record.data.text) : null;
    if (record.success && result?.ok) {
      // Taken over in one step each way: written as this tab's before the orphan goes. Storage
      // that refuses the copy leaves the orphan where it is (offered again next time), never lost.
      const taken = await this.store.set(this.backupKey, value).then(
        () => true,
        () => false,
      );
      if (taken) await this.store.delete(key).catch(() => undefined);
      return { backup: { project: result.project, path: record.data.path, savedAt: record.data.savedAt }, problem: null };
    }
    const why = result && !result.ok ? result.error.message : 'it is not a backup this version of NN Studio wrote';
    await this.store.set('backup-damaged', value).catch(() => undefined);
    await this.store.delete(key).catch(() => undefined);
    return {
      backup: null,
      problem: `The backup of unsaved work could not be read (${why}); it was kept aside in this browser's storage for NN Studio.`,
    };
  }

  async clearBackup(): Promise<void> {
    try {
      await this.store.delete(this.backupKey);
    } catch (error) {
      throw storageError('the removal of the backup', error);
    }
  }

  /** Lesson progress by lesson id; a damaged record is set aside (`lessons-damaged`) and reading goes on from nothing. */
  async lessonProgress(): Promise<ProgressByLesson> {
    const value = await this.store.get('lessons').catch(() => undefined);
    if (value === undefined) return {};
    const parsed = ProgressRecord.safeParse(value);
    if (parsed.success) return parsed.data.lessons;
    await this.store.set('lessons-damaged', value).catch(() => undefined);
    await this.store.delete('lessons').catch(() => undefined);
    return {};
  }

  /** One lesson's progress, keeping every other lesson's. */
  saveLessonProgress(lessonId: string, progress: LessonProgress): Promise<void> {
    return this.serial(async () => {
      const lessons = { ...(await this.lessonProgress()), [lessonId]: progress };
      await this.put('lessons', { version: 1, lessons }, 'your lesson progress');
    });
  }
}

/**
 * The web edition's in-page host through its public face (`invoke`/`on`), as the renderer uses
 * it: files through fake pickers and handles, storage in a real IndexedDB implementation
 * (fake-indexeddb), and training in the real worker loop run in this thread.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { findExample, parseProject, serialiseProject } from '../engine/src/index';
import type { EventOf } from '../src-shared/contract';
import type { WorkerLike } from '../src-shared/host/training-controller';
import type { FromWorker, ToWorker } from '../src-shared/host/training-protocol';
import { TrainingWorker } from '../src-shared/host/training-worker';
import { browserFiles, type FileHandleLike, type WebFiles } from './files';
import { createWebHost } from './host';
import { WebData, indexedDbStore, memoryStore, type KeyValue, type TabRegistry } from './storage';

/** The real training loop in this thread, behind the worker's face (messages cross as clones, as postMessage does). */
function inThreadWorker(): WorkerLike {
  const listeners: ((message: FromWorker) => void)[] = [];
  const loop = new TrainingWorker({
    post: (message) => setTimeout(() => listeners.forEach((l) => l(structuredClone(message)))),
    defer: (task) => void setTimeout(task, 0),
    later: (task, ms) => void setTimeout(task, ms),
    now: () => performance.now(),
  });
  const worker = {
    postMessage: (message: ToWorker) => setTimeout(() => loop.handle(structuredClone(message))),
    on(event: string, listener: (value: never) => void) {
      if (event === 'message') listeners.push(listener as (m: FromWorker) => void);
      return worker;
    },
    terminate: async () => {
      loop.handle({ type: 'stop' });
      return 0;
    },
  };
  return worker as WorkerLike;
}

/** A file the fake pickers hand out: text in memory, with the API's writable stream. */
function memoryHandle(name: string, initial: string, faults: { onClose?: Error; readBack?: string } = {}) {
  const file = { text: initial };
  const handle: FileHandleLike = {
    kind: 'file',
    name,
    isSameEntry: async (other) => other === handle,
    getFile: async () => new File([faults.readBack ?? file.text], name),
    createWritable: async () => {
      let pending = '';
      return {
        write: async (data: string) => void (pending += data),
        // Like the browser: the new contents replace the old only when close() succeeds.
        close: async () => {
          if (faults.onClose) throw faults.onClose;
          file.text = pending;
        },
        abort: async () => undefined,
      };
    },
  };
  return { handle, file };
}

function domError(name: string): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return error;
}

/** Pickers that answer from a queue: a handle, or null for a cancel. */
function fakePickers() {
  const toOpen: (FileHandleLike | null)[] = [];
  const toSave: (FileHandleLike | null)[] = [];
  const picker = (queue: (FileHandleLike | null)[]) => async () => {
    const next = queue.shift();
    if (!next) throw domError('AbortError');
    return next;
  };
  const files = browserFiles({
    showOpenFilePicker: async () => [await picker(toOpen)()],
    showSaveFilePicker: picker(toSave),
  });
  return { files, toOpen, toSave };
}

function host(options: { files?: WebFiles; store?: KeyValue; tabs?: TabRegistry } = {}) {
  const events: { event: string; payload: unknown }[] = [];
  const { api } = createWebHost({
    version: '9.9.9',
    store: options.store ?? memoryStore(),
    tabs: options.tabs,
    files: options.files ?? fakePickers().files,
    spawnWorker: inThreadWorker,
    applyUpdate: async () => undefined,
  });
  for (const event of ['training:progress', 'training:stopped', 'training:error'])
    api.on(event, (payload) => events.push({ event, payload }));
  return { api, events };
}

const xor = () => findExample('xor-sigmoid')!.create();

describe('the web edition’s host', () => {
  it('answers as the web host, and refuses a malformed request with one sentence', async () => {
    const { api } = host();
    expect(await api.invoke('app:info', {})).toMatchObject({ host: 'web', version: '9.9.9', workspace: null });
    await expect(api.invoke('project:save', { project: { nonsense: true } })).rejects.toThrow(/^Invalid request to project:save: /);
    await expect(api.invoke('no:such', {})).rejects.toThrow("Unknown request 'no:such'.");
    await expect(api.invoke('workspace:list', {})).rejects.toThrow(/only for NN Studio served by `npm run start:web`/);
  });

  it('opens a chosen file, saves back to the same file, and reopens it from the recent list', async () => {
    const pickers = fakePickers();
    const { api } = host({ files: pickers.files });
    const original = memoryHandle('homework.nnproj', serialiseProject(xor()));
    pickers.toOpen.push(original.handle);
    const opened = (await api.invoke('project:open', {})) as { path: string; project: { name: string } };
    expect(opened.project.name).toBe('homework');
    expect(opened.path).toMatch(/^\/local\/\w+\/homework\.nnproj$/);
    expect(await api.invoke('recent:list', {})).toEqual({ paths: [opened.path], removed: [] });

    const changed = { ...xor(), name: 'homework', hyperparameters: { ...xor().hyperparameters, learningRate: 0.25 } };
    expect(await api.invoke('project:save', { path: opened.path, project: changed })).toEqual({ path: opened.path, name: 'homework' });
    const onDisk = parseProject(original.file.text);
    expect(onDisk.ok && onDisk.project.hyperparameters.learningRate).toBe(0.25);

    const again = (await api.invoke('project:open', { path: opened.path })) as { project: { hyperparameters: { learningRate: number } } };
    expect(again.project.hyperparameters.learningRate).toBe(0.25);

    // The same file chosen again (Open, or Save As onto it) keeps its path: one recent entry.
    pickers.toOpen.push(original.handle);
    expect(((await api.invoke('project:open', {})) as { path: string }).path).toBe(opened.path);
    pickers.toSave.push(original.handle);
    expect(((await api.invoke('project:save', { project: changed })) as { path: string }).path).toBe(opened.path);
    const other = memoryHandle('other.nnproj', serialiseProject(xor()));
    pickers.toOpen.push(other.handle);
    const second = (await api.invoke('project:open', {})) as { path: string };
    expect(await api.invoke('recent:list', {})).toEqual({ paths: [second.path, opened.path], removed: [] });
  });

  it('a file larger than any project is refused before it is read', async () => {
    const pickers = fakePickers();
    const { api } = host({ files: pickers.files });
    const huge = memoryHandle('huge.nnproj', '');
    let read = false;
    huge.handle.getFile = async () => ({ size: 300 * 1024 * 1024, text: async () => ((read = true), '') }) as unknown as File;
    pickers.toOpen.push(huge.handle);
    await expect(api.invoke('project:open', {})).rejects.toThrow(
      /^huge\.nnproj: the file is too large to be a project \(314,572,800 bytes; NN Studio opens projects of up to 268,435,456\)\.$/,
    );
    expect(read).toBe(false);
  });

  it('a recent project whose file was deleted says so and leaves Open Recent', async () => {
    const pickers = fakePickers();
    const { api } = host({ files: pickers.files });
    const gone = memoryHandle('gone.nnproj', serialiseProject(xor()));
    pickers.toOpen.push(gone.handle);
    const { path } = (await api.invoke('project:open', {})) as { path: string };
    gone.handle.getFile = async () => Promise.reject(domError('NotFoundError'));
    await expect(api.invoke('project:open', { path })).rejects.toThrow(
      'gone.nnproj: the file is no longer there (moved or deleted), so it could not be opened.',
    );
    expect(await api.invoke('recent:list', {})).toEqual({ paths: [], removed: [] });
  });

  it('Save As names the project after the file chosen; a cancelled picker saves nothing', async () => {
    const pickers = fakePickers();
    const { api } = host({ files: pickers.files });
    expect(await api.invoke('project:save', { project: xor() })).toBeNull();
    const target = memoryHandle('my net.nnproj', '');
    pickers.toSave.push(target.handle);
    const saved = (await api.invoke('project:save', { project: xor() })) as { path: string; name: string };
    expect(saved.name).toBe('my net');
    const written = parseProject(target.file.text);
    expect(written.ok && written.project.name).toBe('my net');
  });

  it('a save the disk cannot take leaves the old file and says so; a file that reads back different is reported', async () => {
    const pickers = fakePickers();
    const { api } = host({ files: pickers.files });
    const full = memoryHandle('full.nnproj', 'the old contents', { onClose: domError('QuotaExceededError') });
    pickers.toSave.push(full.handle);
    await expect(api.invoke('project:save', { project: xor() })).rejects.toThrow(
      'full.nnproj: the disk is full, so it could not be saved; the file is as it was.',
    );
    expect(full.file.text).toBe('the old contents');

    const liar = memoryHandle('odd.nnproj', '', { readBack: '{}' });
    pickers.toSave.push(liar.handle);
    await expect(api.invoke('project:save', { project: xor() })).rejects.toThrow(/odd\.nnproj: what the disk holds after saving differs/);
  });

  it('a damaged file is one sentence naming it; a path the browser forgot says to open it again', async () => {
    const pickers = fakePickers();
    const { api } = host({ files: pickers.files });
    pickers.toOpen.push(memoryHandle('broken.nnproj', '{"format": "nnstudio-project", "version": 3, "graph": 7}').handle);
    await expect(api.invoke('project:open', {})).rejects.toThrow(/^broken\.nnproj: /);
    await expect(api.invoke('project:open', { path: '/local/zzz/gone.nnproj' })).rejects.toThrow(
      'gone.nnproj: NN Studio no longer has access to this file in this browser; open it again with Open….',
    );
  });

  it('without the File System Access API, Save As is a download and Open an upload', async () => {
    const downloads: { name: string; text: string }[] = [];
    const files: WebFiles = {
      chooseToOpen: async () => ({ path: '/download/up.nnproj', text: serialiseProject(xor()), handle: null }),
      saveAs: async (suggested, textFor) => {
        downloads.push({ name: suggested, text: textFor(suggested) });
        return { path: `/download/${suggested}`, handle: null };
      },
      read: async () => {
        throw new Error('no handles here');
      },
      write: async () => {
        throw new Error('no handles here');
      },
      download: (name, text) => void downloads.push({ name, text }),
    };
    const { api } = host({ files });
    const saved = (await api.invoke('project:save', { project: xor() })) as { path: string };
    expect(saved.path).toBe('/download/XOR 2-2-1.nnproj');
    await api.invoke('project:save', { path: saved.path, project: xor() });
    expect(downloads.map((d) => d.name)).toEqual(['XOR 2-2-1.nnproj', 'XOR 2-2-1.nnproj']);
    expect(parseProject(downloads[1].text).ok).toBe(true);
    // Nothing to reopen: downloads are not recent projects.
    await api.invoke('project:open', {});
    expect(await api.invoke('recent:list', {})).toEqual({ paths: [], removed: [] });
  });

  it('keeps the backup and lesson progress in IndexedDB across visits, and sets a damaged backup aside', async () => {
    const factory = new IDBFactory();
    const first = host({ store: indexedDbStore(factory) });
    await first.api.invoke('backup:write', { project: xor(), path: null });
    const progress = { step: 2, done: ['a'], hints: {}, solutions: [], updatedAt: '2026-12-02T00:00:00Z' };
    await first.api.invoke('lessons:save-progress', { lessonId: 'one', progress });
    await first.api.invoke('lessons:save-progress', { lessonId: 'two', progress: { ...progress, step: 0 } });

    const store = indexedDbStore(factory); // the next visit
    const second = host({ store });
    const found = (await second.api.invoke('backup:check', {})) as { backup: { project: { name: string } } | null };
    expect(found.backup?.project.name).toBe('XOR 2-2-1');
    expect(await second.api.invoke('lessons:progress', {})).toEqual({ lessons: { one: progress, two: { ...progress, step: 0 } } });

    await store.set('backup:a-crashed-tab', { version: 1, text: '{"not": "a project"}', path: null, savedAt: 'now' });
    const damaged = (await second.api.invoke('backup:check', {})) as { backup: unknown; problem: string };
    expect(damaged.backup).toBeNull();
    expect(damaged.problem).toMatch(/^The backup of unsaved work could not be read \(.+\); it was kept aside/);
    expect(await store.get('backup-damaged')).toMatchObject({ text: '{"not": "a project"}' });
    expect(await second.api.invoke('backup:check', {})).toEqual({ backup: null, problem: null });
  });

  it('each tab keeps its own backup: a tab still open keeps its work; one that died offers it to the next', async () => {
    const store = memoryStore();
    const open = new Set(['A', 'B']);
    const tab = (id: string): TabRegistry => (open.add(id), { id, live: async () => new Set(open) });
    const a = host({ store, tabs: tab('A') });
    const b = host({ store, tabs: tab('B') });
    await a.api.invoke('backup:write', { project: { ...xor(), name: 'work of A' }, path: null });
    await b.api.invoke('backup:write', { project: { ...xor(), name: 'work of B' }, path: null });
    // Neither overwrote the other, and neither is offered the other's while both are open.
    expect(await a.api.invoke('backup:check', {})).toEqual({ backup: null, problem: null });
    expect(await store.keys('backup:')).toEqual(['backup:A', 'backup:B']);

    open.delete('A'); // tab A is killed
    const c = host({ store, tabs: tab('C') });
    const offered = (await c.api.invoke('backup:check', {})) as { backup: { project: { name: string } } | null };
    expect(offered.backup?.project.name).toBe('work of A');
    // Taken over by C: offered once, B's untouched; C's Don't Save removes it.
    expect(await store.keys('backup:')).toEqual(['backup:B', 'backup:C']);
    expect(await host({ store, tabs: tab('D') }).api.invoke('backup:check', {})).toMatchObject({ backup: null });
    await c.api.invoke('backup:clear', {});
    expect(await store.keys('backup:')).toEqual(['backup:B']);
  });

  it('a full browser storage is one sentence, and the previous backup stays', async () => {
    const inner = memoryStore();
    const data = new WebData(inner);
    await data.writeBackup(xor(), null);
    const full: KeyValue = { ...inner, set: async () => Promise.reject(domError('QuotaExceededError')) };
    const { api } = host({ store: full });
    await expect(api.invoke('backup:write', { project: { ...xor(), name: 'newer' }, path: null })).rejects.toThrow(
      "The browser's storage for NN Studio is full, so the backup of unsaved work could not be kept: free space or clear this site's data.",
    );
    expect((await new WebData(inner).readBackup()).backup?.project.name).toBe('XOR 2-2-1');
  });

  it('trains through the contract: progress events fit it, the loss falls, stop stops', async () => {
    const { api, events } = host();
    const started = (await api.invoke('training:start', { project: xor(), session: 'web-1' })) as { parameters: number };
    expect(started.parameters).toBe(9);
    const progress = () => events.filter((e) => e.event === 'training:progress').map((e) => e.payload as EventOf<'training:progress'>);
    const end = Date.now() + 20_000;
    while (progress().flatMap((p) => p.newEpochs).length < 50 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    const epochs = progress().flatMap((p) => p.newEpochs);
    expect(epochs.length).toBeGreaterThanOrEqual(50);
    expect(epochs.at(-1)!.loss!).toBeLessThan(epochs[0].loss!);
    expect(progress().every((p) => p.session === 'web-1' && p.weights.length === 9)).toBe(true);
    await api.invoke('training:stop', {});
    while (!events.some((e) => e.event === 'training:stopped') && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(events.find((e) => e.event === 'training:stopped')?.payload).toMatchObject({ session: 'web-1' });
  });
});

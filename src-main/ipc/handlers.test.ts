/**
 * The handlers and the dispatcher: payload validation, the sender check, errors as messages,
 * and file access confined by the path policies.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { findExample, parseProject, serialiseProject } from '../../engine/src/index';
import { UserError } from '../files/project-file';
import type { TrainingController } from '../../src-shared/host/training-controller';
import { AppData } from '../files/app-data';
import { CHANNEL_NAMES } from '../../src-shared/contract';
import { createHandlers, dispatch, grantedPathsPolicy, workspacePolicy, type Dialogs } from './handlers';

const dir = mkdtempSync(join(tmpdir(), 'nnstudio-handlers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(options: { policy?: ReturnType<typeof workspacePolicy>; dialogs?: Partial<Dialogs> } = {}) {
  const training = {
    start: vi.fn(async () => ({ parameters: 9, epoch: 0, notices: [] as string[] })),
    pause: vi.fn(),
    resume: vi.fn(),
    stop: vi.fn(),
    step: vi.fn(async () => ({ notices: [] as string[] })),
    configure: vi.fn(() => true),
    snapshot: vi.fn(async (): Promise<unknown> => null),
  };
  const dialogs: Dialogs = { chooseProjectToOpen: async () => null, chooseWhereToSave: async () => null, ...options.dialogs };
  const handlers = createHandlers({
    host: 'browser',
    version: '1.2.3',
    platform: 'linux',
    dialogs,
    paths: options.policy ?? workspacePolicy(dir),
    training: training as unknown as TrainingController,
    data: new AppData(join(dir, '.data')),
  });
  const call = (channel: string, payload: unknown, sender = true) => dispatch(handlers, channel, payload, sender);
  return { call, training, handlers };
}

const xor = () => findExample('xor-sigmoid')!.create();

describe('dispatch', () => {
  it('the preload’s name lists are exactly the contract’s', async () => {
    const names = await import('../../src-shared/names');
    const contract = await import('../../src-shared/contract');
    expect([...names.CHANNEL_NAMES].sort()).toEqual(Object.keys(contract.CHANNELS).sort());
    expect([...names.EVENT_NAMES].sort()).toEqual(Object.keys(contract.EVENTS).sort());
  });

  it('has a handler for every channel of the contract, and no other', () => {
    const { handlers } = setup();
    expect(Object.keys(handlers).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('refuses a request from anywhere but the app window', async () => {
    const { call } = setup();
    expect(await call('app:info', {}, false)).toEqual({ error: 'Request refused: it did not come from the NN Studio window.' });
  });

  it('refuses unknown channels and malformed payloads with a message naming the problem', async () => {
    const { call, training } = setup();
    expect(await call('fs:readFile', { path: '/etc/passwd' })).toEqual({ error: "Unknown request 'fs:readFile'." });
    expect(await call('__proto__', {})).toMatchObject({ error: expect.stringMatching(/Unknown request/) });
    const bad = await call('training:step', { unit: 'decade' });
    expect(bad).toMatchObject({ error: expect.stringMatching(/^Invalid request to training:step: unit: /) });
    expect(training.step).not.toHaveBeenCalled();
    const extra = await call('app:info', { evil: true });
    expect(extra).toMatchObject({ error: expect.stringMatching(/Invalid request to app:info/) });
    const project = JSON.parse(serialiseProject(xor()));
    project.graph.edges[0].target = 42;
    expect(await call('training:start', { project, session: 's' })).toMatchObject({
      error: expect.stringMatching(/project\.graph\.edges\.0\.target/),
    });
  });

  it('answers with the handler’s result, validated', async () => {
    const { call } = setup();
    expect(await call('app:info', {})).toEqual({ ok: { version: '1.2.3', host: 'browser', platform: 'linux', workspace: dir } });
    const examples = (await call('examples:list', {})) as { ok: { name: string }[] };
    expect(examples.ok.map((e) => e.name)).toContain('spiral');
    const created = (await call('examples:create', { name: 'iris' })) as { ok: unknown };
    expect(parseProject(JSON.stringify(created.ok)).ok).toBe(true);
  });

  it('turns a user error into its message and anything else into a short one', async () => {
    const { call, training } = setup();
    training.start.mockRejectedValueOnce(new UserError("Perceptron 'h' uses the step function, which has no gradient"));
    expect(await call('training:start', { project: xor(), session: 's' })).toEqual({
      error: "Perceptron 'h' uses the step function, which has no gradient",
    });
    training.start.mockRejectedValueOnce(new TypeError('x is undefined'));
    expect(await call('training:start', { project: xor(), session: 's' })).toEqual({
      error: 'Something went wrong in training:start: x is undefined',
    });
    expect(await call('examples:create', { name: 'nope' })).toEqual({ error: "There is no example 'nope'." });
  });

  it('the training channels drive the controller with the run’s name', async () => {
    const { call, training } = setup();
    const project = xor();
    expect(await call('training:start', { project, session: 'run-1' })).toEqual({ ok: { parameters: 9, epoch: 0, notices: [] } });
    expect(training.start).toHaveBeenCalledWith(project, 'run-1');
    expect(await call('training:pause', {})).toEqual({ ok: { paused: true } });
    expect(await call('training:resume', {})).toEqual({ ok: { running: true } });
    expect(await call('training:step', { unit: 'epoch' })).toEqual({ ok: { ok: true, notices: [] } });
    expect(training.step).toHaveBeenLastCalledWith('epoch', undefined, undefined);
    expect(await call('training:step', { unit: 'sample', project, session: 'run-2' })).toEqual({ ok: { ok: true, notices: [] } });
    expect(training.step).toHaveBeenLastCalledWith('sample', project, 'run-2');
    expect(await call('training:stop', {})).toEqual({ ok: { stopped: true } });
    expect(await call('training:configure', { hyperparameters: { ...project.hyperparameters, learningRate: 0.1 } })).toEqual({
      ok: { sent: true },
    });
    expect(training.configure).toHaveBeenCalledWith({ ...project.hyperparameters, learningRate: 0.1 });
    expect(await call('training:configure', { hyperparameters: { ...project.hyperparameters, learningRate: -1 } })).toMatchObject({
      error: expect.stringMatching(/learningRate/),
    });
    expect([training.pause, training.resume, training.stop].map((f) => f.mock.calls.length)).toEqual([1, 1, 1]);
    expect(await call('training:start', { project })).toMatchObject({
      error: expect.stringMatching(/Invalid request to training:start: session/),
    });
  });

  it('reset gives fresh seeded weights and stops training', async () => {
    const { call, training } = setup();
    const result = (await call('training:reset', { project: xor() })) as { ok: { project: ReturnType<typeof xor> } };
    expect(training.stop).toHaveBeenCalled();
    const again = (await call('training:reset', { project: xor() })) as { ok: { project: ReturnType<typeof xor> } };
    expect(result.ok.project.graph).toEqual(again.ok.project.graph); // the seed makes it reproducible
  });
});

describe('files in the browser host: the workspace policy', () => {
  it('saves and opens inside the workspace, and lists its projects and folders', async () => {
    const { call } = setup();
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const saved = await call('project:save', { path: join(dir, 'a.nnproj'), project: xor() });
    expect(saved).toEqual({ ok: { path: join(dir, 'a.nnproj'), name: 'a' } });
    expect(readFileSync(join(dir, 'a.nnproj'), 'utf8')).toBe(serialiseProject({ ...xor(), name: 'a' }));
    const opened = (await call('project:open', { path: 'a.nnproj' })) as { ok: { path: string; migratedFrom: null } };
    expect(opened.ok.path).toBe(join(dir, 'a.nnproj'));
    writeFileSync(join(dir, 'notes.txt'), 'not a project');
    const listed = (await call('workspace:list', {})) as { ok: { entries: { name: string; kind: string }[] } };
    expect(listed.ok.entries).toEqual([
      { name: 'sub', path: join(dir, 'sub'), kind: 'folder' },
      { name: 'a.nnproj', path: join(dir, 'a.nnproj'), kind: 'project' },
    ]);
  });

  it('refuses every path outside the workspace', async () => {
    const { call } = setup();
    for (const path of ['/etc/passwd', '../outside.nnproj', join(dir, '..', 'x.nnproj'), `${dir}-sibling/x.nnproj`]) {
      expect(await call('project:open', { path })).toMatchObject({ error: expect.stringMatching(/outside the workspace folder/) });
      expect(await call('project:save', { path, project: xor() })).toMatchObject({
        error: expect.stringMatching(/outside the workspace folder/),
      });
    }
    expect(await call('workspace:list', { dir: '/' })).toMatchObject({ error: expect.stringMatching(/outside the workspace/) });
  });

  it('refuses a symbolic link that leads out of the workspace, for reading and for writing', async () => {
    const { call } = setup();
    const outside = mkdtempSync(join(tmpdir(), 'nnstudio-outside-'));
    try {
      writeFileSync(join(outside, 'secret.nnproj'), serialiseProject(xor()));
      symlinkSync(join(outside, 'secret.nnproj'), join(dir, 'link.nnproj'));
      symlinkSync(outside, join(dir, 'linkdir'));
      expect(await call('project:open', { path: 'link.nnproj' })).toMatchObject({
        error: expect.stringMatching(/outside the workspace folder/),
      });
      expect(await call('project:save', { path: 'linkdir/new.nnproj', project: xor() })).toMatchObject({
        error: expect.stringMatching(/outside the workspace folder/),
      });
      expect(await call('project:save', { path: 'link.nnproj', project: xor() })).toMatchObject({
        error: expect.stringMatching(/outside the workspace folder/),
      });
      expect(readFileSync(join(outside, 'secret.nnproj'), 'utf8')).toBe(serialiseProject(xor()));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('saves only .nnproj files, and reads only regular files', async () => {
    const { call } = setup();
    expect(await call('project:save', { path: 'package.json', project: xor() })).toEqual({
      error: 'package.json: projects are saved as .nnproj files.',
    });
    mkdirSync(join(dir, 'folder.nnproj'), { recursive: true });
    expect(await call('project:open', { path: 'folder.nnproj' })).toMatchObject({
      error: expect.stringMatching(/is a folder, not a project file/),
    });
  });

  it('a workspace at the file system root works (no doubled separator)', () => {
    expect(workspacePolicy('/').check('/tmp/x.nnproj')).toBe('/tmp/x.nnproj');
  });

  it('a corrupt file: the loader’s message with the file’s path, nothing else', async () => {
    const { call } = setup();
    writeFileSync(join(dir, 'bad.nnproj'), '{"format": "nnstudio-project", "version": 1');
    expect(await call('project:open', { path: 'bad.nnproj' })).toEqual({
      error: expect.stringMatching(/bad\.nnproj: the file is not valid JSON/),
    });
  });
});

describe('files in the desktop app: only what the user chose', () => {
  it('a dialog grants its path; any other path is refused', async () => {
    const chosen = join(dir, 'chosen.nnproj');
    writeFileSync(chosen, serialiseProject(xor()));
    const { call } = setup({
      policy: grantedPathsPolicy() as ReturnType<typeof workspacePolicy>,
      dialogs: { chooseProjectToOpen: async () => chosen },
    });
    expect(await call('project:open', { path: chosen })).toMatchObject({ error: expect.stringMatching(/not a file you chose/) });
    expect(await call('project:open', {})).toMatchObject({ ok: { path: chosen } });
    expect(await call('project:open', { path: chosen })).toMatchObject({ ok: { path: chosen } });
  });

  it('a cancelled dialog answers null', async () => {
    const { call } = setup({ policy: grantedPathsPolicy() as ReturnType<typeof workspacePolicy> });
    expect(await call('project:open', {})).toEqual({ ok: null });
    expect(await call('project:save', { project: xor() })).toEqual({ ok: null });
  });
});

describe('recent projects, backups and dropped files', () => {
  it('opening and saving put a project on the recent list; a dropped file’s text opens like a file', async () => {
    const { call } = setup();
    await call('project:save', { path: 'recent-a.nnproj', project: xor() });
    writeFileSync(join(dir, 'recent-b.nnproj'), serialiseProject(xor()));
    await call('project:open', { path: 'recent-b.nnproj' });
    // Newest first (the other tests of this file share the data folder, so only the top two are ours).
    const { ok } = (await call('recent:list', {})) as { ok: { paths: string[]; removed: string[] } };
    expect(ok.paths.slice(0, 2)).toEqual([join(dir, 'recent-b.nnproj'), join(dir, 'recent-a.nnproj')]);
    expect(await call('project:open-content', { name: 'dropped.nnproj', text: serialiseProject(xor()) })).toMatchObject({
      ok: { project: { name: 'dropped' }, migratedFrom: null },
    });
    expect(await call('project:open-content', { name: 'dropped.nnproj', text: '{"format": "something-else"}' })).toEqual({
      error: expect.stringMatching(/^dropped\.nnproj: /),
    });
  });

  it('a backup keeps its document’s path only where the renderer may already go (desktop: granted paths)', async () => {
    const chosen = join(dir, 'granted.nnproj');
    writeFileSync(chosen, serialiseProject(xor()));
    const { call } = setup({
      policy: grantedPathsPolicy() as ReturnType<typeof workspacePolicy>,
      dialogs: { chooseProjectToOpen: async () => chosen },
    });
    await call('project:open', {});
    await call('backup:write', { project: xor(), path: '/etc/passwd.nnproj' });
    expect(await call('backup:check', {})).toMatchObject({ ok: { backup: { path: null }, problem: null } });
    // …so restoring it cannot open a path the user never chose.
    expect(await call('project:save', { path: '/etc/passwd.nnproj', project: xor() })).toEqual({
      error: expect.stringMatching(/not a file you chose/),
    });
    await call('backup:write', { project: xor(), path: chosen });
    expect(await call('backup:check', {})).toMatchObject({ ok: { backup: { path: chosen } } });
    expect(await call('backup:clear', {})).toEqual({ ok: {} });
    expect(await call('backup:check', {})).toEqual({ ok: { backup: null, problem: null } });
  });
});

describe('a project’s name follows its file', () => {
  /** The desktop app with a save dialog that answers `chosen`, writing through a stand-in for the disk. */
  function desktop(chosen: string) {
    const written = new Map<string, string>();
    const paths = {
      ...grantedPathsPolicy(),
      writeFile: async (full: string, data: string | Uint8Array) => void written.set(full, String(data)),
    };
    const suggested: string[] = [];
    const chooseWhereToSave = async (name: string) => (suggested.push(name), chosen);
    return { ...setup({ policy: paths as ReturnType<typeof workspacePolicy>, dialogs: { chooseWhereToSave } }), written, suggested };
  }
  const untitled = () => ({ ...xor(), name: 'Untitled' });

  it('Save As writes the file’s name into the file and answers it', async () => {
    const { call, written, suggested } = desktop('/ws/My net.nnproj');
    expect(await call('project:save', { project: untitled() })).toEqual({ ok: { path: '/ws/My net.nnproj', name: 'My net' } });
    expect(suggested).toEqual(['Untitled.nnproj']);
    expect(written.get('/ws/My net.nnproj')).toBe(serialiseProject({ ...untitled(), name: 'My net' }));
    // Saving again to the same file: the name already agrees, the file is written as it is.
    expect(await call('project:save', { path: '/ws/My net.nnproj', project: { ...untitled(), name: 'My net' } })).toEqual({
      ok: { path: '/ws/My net.nnproj', name: 'My net' },
    });
  });

  it('the dialog suggests the name as it is, changing only what file names cannot hold', async () => {
    const { call, suggested } = desktop('/ws/x.nnproj');
    await call('project:save', { project: { ...xor(), name: 'xor homework: v2/3 — ünï' } });
    expect(suggested).toEqual(['xor homework- v2-3 — ünï.nnproj']);
  });

  it('a file name longer than a project name may be is cut to the limit; an empty one keeps the old name', async () => {
    const long = `${'é'.repeat(199)}😀${'x'.repeat(300)}`; // 500 characters; the emoji straddles the limit
    const { call, written } = desktop(`/ws/${long}.nnproj`);
    const answer = (await call('project:save', { project: untitled() })) as { ok: { name: string } };
    expect(answer.ok.name).toBe('é'.repeat(199)); // LIMITS.idLength is 200: half an emoji is not kept
    expect(parseProject(written.get(`/ws/${long}.nnproj`)!)).toMatchObject({ ok: true, project: { name: 'é'.repeat(199) } });

    const nameless = desktop('/ws/.nnproj');
    expect(await nameless.call('project:save', { project: untitled() })).toEqual({ ok: { path: '/ws/.nnproj', name: 'Untitled' } });
    const blank = desktop('/ws/   .nnproj');
    expect(await blank.call('project:save', { project: untitled() })).toEqual({ ok: { path: '/ws/   .nnproj', name: 'Untitled' } });
  });

  it('opening a file whose stored name differs: the project is named after the file', async () => {
    const { call } = setup();
    writeFileSync(join(dir, 'renamed by hand.nnproj'), serialiseProject(xor()));
    expect(await call('project:open', { path: 'renamed by hand.nnproj' })).toMatchObject({ ok: { project: { name: 'renamed by hand' } } });
    // The file itself is left as it was until the project is saved.
    expect(readFileSync(join(dir, 'renamed by hand.nnproj'), 'utf8')).toBe(serialiseProject(xor()));
  });
});

describe('the snapshot of a paused run', () => {
  it('plain arrays over the contract; none without a session or for a diverged one', async () => {
    const { call, training } = setup();
    expect(await call('training:snapshot', {})).toEqual({ ok: null });
    const resume = { optimiser: null, rng: [1, 2, 3, 4], position: null, earlyStopping: null };
    const snapshot = (velocity: number[], weights = [0.5, 1]) => ({
      session: 's',
      optimiser: { kind: 'sgd' as const, step: 5, slots: [Float64Array.from(velocity)] },
      nextRows: [3, 1],
      epoch: 2,
      samplesIntoEpoch: 3,
      weights: Float64Array.from(weights),
      resume,
      newEpochs: [],
    });
    training.snapshot.mockResolvedValueOnce(snapshot([0.5, -0.25]));
    expect(await call('training:snapshot', { since: 1 })).toEqual({
      ok: {
        session: 's',
        optimiser: { kind: 'sgd', step: 5, slots: [[0.5, -0.25]] },
        nextRows: [3, 1],
        epoch: 2,
        samplesIntoEpoch: 3,
        weights: [0.5, 1],
        resume,
        newEpochs: [],
      },
    });
    expect(training.snapshot).toHaveBeenLastCalledWith(1);
    training.snapshot.mockResolvedValueOnce(snapshot([NaN, 1]));
    expect(await call('training:snapshot', {})).toEqual({ ok: null });
    training.snapshot.mockResolvedValueOnce(snapshot([0, 1], [Infinity, 1]));
    expect(await call('training:snapshot', {})).toEqual({ ok: null });
  });
});

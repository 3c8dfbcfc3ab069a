/**
 * The document's safety net in the store, with the main process mocked: the unsaved-changes
 * question, the backup written while dirty and removed when clean, and the restore offer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  compileOrThrow,
  findExample,
  openSession,
  projectAfterStepByHand,
  projectFromSession,
  readParameters,
  resumeStateOf,
  traceStep,
  type Project,
} from '../../../engine/src/index';

type Invoke = (channel: string, payload: unknown) => Promise<unknown>;
const calls: { channel: string; payload: unknown }[] = [];
let answers: Record<string, (payload: unknown) => unknown> = {};
/** The store's event listeners, to send it events as the main process would. */
const listeners = new Map<string, (payload: unknown) => void>();

vi.mock('./api', () => ({
  api: {
    host: 'browser',
    invoke: (async (channel, payload) => {
      calls.push({ channel, payload });
      const answer = answers[channel];
      if (!answer) return {};
      return answer(payload);
    }) as Invoke,
    on: (event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => undefined;
    },
  },
}));

async function freshStore() {
  vi.resetModules();
  const { useStudio, BACKUP_INTERVAL_MS, windowTitle } = await import('./store');
  const { setBias } = await import('../document/commands');
  return { useStudio, BACKUP_INTERVAL_MS, windowTitle, setBias };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  calls.length = 0;
  answers = {
    'app:info': () => ({ version: '0', host: 'browser', platform: 'linux', workspace: '/w' }),
    'examples:list': () => [],
    'recent:list': () => ({ paths: [], removed: [] }),
    'backup:check': () => ({ backup: null, problem: null }),
    'examples:create': (p) => findExample((p as { name: string }).name)!.create(),
    // As the handler answers: the path, and the file's name the project was written under.
    'project:save': (p) => ({
      path: (p as { path: string }).path,
      name: (p as { path: string }).path
        .split('/')
        .pop()!
        .replace(/\.nnproj$/, ''),
    }),
  };
});
afterEach(() => vi.useRealTimers());

describe('unsaved changes', () => {
  it('a clean document goes on at once; a dirty one asks, and Cancel keeps it, Don’t Save replaces it', async () => {
    const { useStudio, setBias } = await freshStore();
    await useStudio.getState().init();
    await useStudio.getState().newFromExample('iris');
    expect(useStudio.getState().prompt).toBeNull();
    useStudio.getState().edit(setBias('hidden', 0.5, 0));
    expect(useStudio.getState().dirty).toBe(true);

    const cancelled = useStudio.getState().newFromExample('spiral');
    await flush();
    expect(useStudio.getState().prompt).toEqual({ kind: 'unsaved', action: 'start a new project' });
    useStudio.getState().answerPrompt('cancel');
    await cancelled;
    expect(useStudio.getState().project!.name).toBe('Iris');
    expect(useStudio.getState().dirty).toBe(true);

    const replaced = useStudio.getState().newFromExample('spiral');
    await flush();
    useStudio.getState().answerPrompt('discard');
    await replaced;
    expect(useStudio.getState().project!.name).toBe('Spiral');
    expect(useStudio.getState().dirty).toBe(false);
  });

  it('Save saves first and goes on only when the save succeeded', async () => {
    const { useStudio, setBias } = await freshStore();
    await useStudio.getState().init();
    await useStudio.getState().newFromExample('iris');
    useStudio.setState({ path: '/w/iris.nnproj' });
    useStudio.getState().edit(setBias('hidden', 0.5, 0));
    const going = useStudio.getState().newFromExample('spiral');
    await flush();
    useStudio.getState().answerPrompt('save');
    await going;
    const save = calls.find((c) => c.channel === 'project:save')!;
    expect((save.payload as { path: string; project: Project }).path).toBe('/w/iris.nnproj');
    expect((save.payload as { project: Project }).project.graph.nodes.find((n) => n.id === 'hidden')).toMatchObject({
      bias: [0.5, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(useStudio.getState().project!.name).toBe('Spiral');

    // A failed save: the question's action does not happen.
    answers['project:save'] = () => {
      throw new Error('/w/iris.nnproj: could not save: the disk is full.');
    };
    useStudio.setState({ path: '/w/spiral.nnproj' });
    useStudio.getState().edit(setBias('h1', 0.5, 0));
    const blocked = useStudio.getState().newFromExample('iris');
    await flush();
    useStudio.getState().answerPrompt('save');
    await blocked;
    expect(useStudio.getState().project!.name).toBe('Spiral');
    expect(useStudio.getState().error).toMatch(/disk is full/);
  });
});

describe('what the screen shows is what the host does', () => {
  it('a new page tells the host the training speed it shows (full speed), whatever an earlier page chose', async () => {
    const { useStudio } = await freshStore();
    await useStudio.getState().init();
    const speed = calls.filter((c) => c.channel === 'training:speed');
    expect(speed).toEqual([{ channel: 'training:speed', payload: { stepsPerSecond: null } }]);
    expect(useStudio.getState().speed).toBeNull();
  });
});

describe('Save in the unsaved-changes question, for a document without a file', () => {
  it('waits for the picker, saves, then carries on with the action asked for', async () => {
    const { useStudio, setBias } = await freshStore();
    await useStudio.getState().init();
    await useStudio.getState().newFromExample('iris');
    useStudio.getState().edit(setBias('hidden', 0.5, 0));
    expect(useStudio.getState().path).toBeNull();

    const going = useStudio.getState().newFromExample('spiral');
    await flush();
    useStudio.getState().answerPrompt('save');
    await flush();
    // Nothing has happened yet: the picker asks where.
    expect(useStudio.getState().pickerOpen).toBe('save');
    expect(useStudio.getState().project!.name).toBe('Iris');
    await useStudio.getState().savePath('/w/mine.nnproj');
    await going;
    expect(calls.filter((c) => c.channel === 'project:save')).toHaveLength(1);
    expect(useStudio.getState().pickerOpen).toBeNull();
    expect(useStudio.getState().project!.name).toBe('Spiral');
  });

  it('stops, saying why, when the picker is cancelled', async () => {
    const { useStudio, setBias } = await freshStore();
    await useStudio.getState().init();
    await useStudio.getState().newFromExample('iris');
    useStudio.getState().edit(setBias('hidden', 0.5, 0));
    const going = useStudio.getState().newFromExample('spiral');
    await flush();
    useStudio.getState().answerPrompt('save');
    await flush();
    useStudio.getState().setPicker(null);
    await going;
    expect(useStudio.getState().project!.name).toBe('Iris');
    expect(useStudio.getState().dirty).toBe(true);
    expect(useStudio.getState().notice).toBe('The project was not saved, so NN Studio did not start a new project.');
  });
});

describe('backup of unsaved work', () => {
  it('written a few seconds after the document turns dirty (the latest state), removed once it is clean', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { useStudio, BACKUP_INTERVAL_MS, setBias } = await freshStore();
    await useStudio.getState().init();
    await vi.advanceTimersByTimeAsync(0);
    await useStudio.getState().newFromExample('iris');
    useStudio.getState().edit(setBias('hidden', 0.25, 0));
    useStudio.getState().edit(setBias('hidden', 0.75, 0));
    expect(calls.some((c) => c.channel === 'backup:write')).toBe(false);
    await vi.advanceTimersByTimeAsync(BACKUP_INTERVAL_MS);
    const writes = calls.filter((c) => c.channel === 'backup:write');
    expect(writes).toHaveLength(1);
    expect((writes[0].payload as { project: Project }).project.graph.nodes.find((n) => n.id === 'hidden')).toMatchObject({
      bias: [0.75, 0, 0, 0, 0, 0, 0, 0],
    });

    await useStudio.getState().savePath('/w/iris.nnproj');
    expect(useStudio.getState().dirty).toBe(false);
    expect(calls.at(-1)!.channel).toBe('backup:clear');
  });

  it('at launch a backup is offered; Restore brings it back unsaved, with its path', async () => {
    const project = findExample('iris')!.create();
    project.name = 'half done';
    answers['backup:check'] = () => ({ backup: { project, path: '/w/half.nnproj', savedAt: '2026-11-26T10:00:00.000Z' }, problem: null });
    const { useStudio } = await freshStore();
    await useStudio.getState().init();
    await flush();
    expect(useStudio.getState().prompt).toEqual({
      kind: 'restore',
      name: 'half done',
      path: '/w/half.nnproj',
      savedAt: '2026-11-26T10:00:00.000Z',
    });
    useStudio.getState().answerPrompt('restore');
    expect(useStudio.getState().project!.name).toBe('half done');
    expect(useStudio.getState().path).toBe('/w/half.nnproj');
    expect(useStudio.getState().dirty).toBe(true);
  });

  it('Discard removes it', async () => {
    answers['backup:check'] = () => ({
      backup: { project: findExample('iris')!.create(), path: null, savedAt: '2026-11-26T10:00:00.000Z' },
      problem: null,
    });
    const { useStudio } = await freshStore();
    await useStudio.getState().init();
    await flush();
    useStudio.getState().answerPrompt('discard');
    await flush();
    expect(useStudio.getState().project).toBeNull();
    expect(calls.at(-1)!.channel).toBe('backup:clear');
  });
});

describe('revert', () => {
  it('asks first; Don’t Save reloads the file as last saved', async () => {
    const { useStudio, setBias } = await freshStore();
    await useStudio.getState().init();
    await useStudio.getState().newFromExample('iris');
    const onDisk = useStudio.getState().project!;
    answers['project:open'] = (p) => ({ path: (p as { path: string }).path, project: onDisk, migratedFrom: null });
    useStudio.setState({ path: '/w/iris.nnproj' });
    useStudio.getState().edit(setBias('hidden', 0.5, 0));
    const cancelled = useStudio.getState().revert();
    await flush();
    expect(useStudio.getState().prompt).toEqual({ kind: 'unsaved', action: 'go back to the file as last saved' });
    useStudio.getState().answerPrompt('cancel');
    await cancelled;
    expect(useStudio.getState().dirty).toBe(true);
    const reverted = useStudio.getState().revert();
    await flush();
    useStudio.getState().answerPrompt('discard');
    await reverted;
    expect(useStudio.getState().project).toEqual(onDisk);
    expect(useStudio.getState().dirty).toBe(false);
    expect(calls.filter((c) => c.channel === 'project:open').map((c) => c.payload)).toEqual([{ path: '/w/iris.nnproj' }]);
  });
});

describe('the name follows the file', () => {
  const hiddenBias = (project: Project) => (project.graph.nodes.find((n) => n.id === 'hidden') as { bias: number[] }).bias[0];

  it('after Save As the project has the file’s name and is clean; undo and redo keep the name', async () => {
    const { useStudio, windowTitle, setBias } = await freshStore();
    await useStudio.getState().init();
    await useStudio.getState().newFromExample('iris');
    useStudio.getState().edit(setBias('hidden', 0.5, 0));
    expect(await useStudio.getState().savePath('/w/mine.nnproj')).toBe(true);
    const state = useStudio.getState();
    expect(state.project!.name).toBe('mine');
    expect(state.path).toBe('/w/mine.nnproj');
    expect(state.dirty).toBe(false);
    expect(windowTitle(state.project, state.dirty)).toBe('mine — NN Studio');

    // Renaming is not an edit: undo takes back the bias, not the name.
    useStudio.getState().undo();
    expect(hiddenBias(useStudio.getState().project!)).toBe(0);
    expect(useStudio.getState().project!.name).toBe('mine');
    expect(useStudio.getState().dirty).toBe(true);
    expect(windowTitle(useStudio.getState().project, useStudio.getState().dirty)).toBe('mine • — NN Studio');
    useStudio.getState().redo();
    expect(hiddenBias(useStudio.getState().project!)).toBe(0.5);
    expect(useStudio.getState().project!.name).toBe('mine');
    expect(useStudio.getState().dirty).toBe(false); // back at what the file holds
  });

  it('an edit made while the save is under way stays unsaved, and undoing it is clean again', async () => {
    const { useStudio, setBias } = await freshStore();
    await useStudio.getState().init();
    await useStudio.getState().newFromExample('iris');
    useStudio.getState().edit(setBias('hidden', 0.5, 0));
    let answer: (value: unknown) => void = () => undefined;
    answers['project:save'] = () => new Promise((resolve) => (answer = resolve));
    const saving = useStudio.getState().savePath('/w/late.nnproj');
    await flush();
    useStudio.getState().edit(setBias('hidden', 0.75, 0));
    answer({ path: '/w/late.nnproj', name: 'late' });
    expect(await saving).toBe(true);
    expect(useStudio.getState().project!.name).toBe('late');
    expect(hiddenBias(useStudio.getState().project!)).toBe(0.75);
    expect(useStudio.getState().dirty).toBe(true);
    useStudio.getState().undo();
    expect(hiddenBias(useStudio.getState().project!)).toBe(0.5);
    expect(useStudio.getState().project!.name).toBe('late');
    expect(useStudio.getState().dirty).toBe(false);
  });
});

describe('a run saved where it is, and the counters of the document', () => {
  /** A run of `project` taken `steps` batches in, as the worker holds it. */
  function run(project: Project, steps: number) {
    const session = openSession(project, 'train');
    for (let k = 0; k < steps; k++) session.trainer.step('batch');
    return session;
  }
  const progressOf = (session: ReturnType<typeof run>, name: string, state: 'running' | 'paused') => ({
    session: name,
    state,
    epoch: session.trainer.epoch,
    samplesIntoEpoch: session.trainer.cursor,
    epochSize: session.train.size,
    runningLoss: null,
    newEpochs: session.trainer.history,
    weights: Array.from(session.trainer.params),
    resume: state === 'running' ? null : resumeStateOf(session.model, session.trainer),
  });
  const snapshotOf = (session: ReturnType<typeof run>, name: string, since: number) => ({
    session: name,
    optimiser: {
      kind: session.trainer.optimiserState.kind,
      step: session.trainer.optimiserState.step,
      slots: session.trainer.optimiserState.slots.map((slot) => Array.from(slot)),
    },
    nextRows: session.trainer.nextBatch('batch'),
    epoch: session.trainer.epoch,
    samplesIntoEpoch: session.trainer.cursor,
    weights: Array.from(session.trainer.params),
    resume: resumeStateOf(session.model, session.trainer),
    newEpochs: session.trainer.history.filter((r) => r.epoch > since),
  });

  it('paused: Save writes the run’s training state with its weights, and the document is then clean', async () => {
    answers['training:start'] = () => ({ parameters: 9, epoch: 0, notices: [] });
    const { useStudio } = await freshStore();
    await useStudio.getState().init();
    await useStudio.getState().newFromExample('xor-sigmoid');
    const start = useStudio.getState().project!;
    await useStudio.getState().startOrPause();
    const name = useStudio.getState().session!;
    const worker = run(start, 6); // an epoch and a half of XOR
    listeners.get('training:progress')!(progressOf(worker, name, 'paused'));
    expect(useStudio.getState().training).toMatchObject({ state: 'paused', epoch: 1, samplesIntoEpoch: 2, epochSize: 4 });
    // The paused run's state is in the document already: a new run, a backup or the inspector start from it.
    expect(useStudio.getState().project!.training.position).toMatchObject({ next: 2, samples: 4 });
    answers['training:snapshot'] = (p) => snapshotOf(worker, name, (p as { since: number }).since);
    expect(await useStudio.getState().savePath('/w/run.nnproj')).toBe(true);
    const saved = (calls.filter((c) => c.channel === 'project:save').at(-1)!.payload as { project: Project }).project;
    const expected = projectFromSession(start, worker);
    expect(saved.graph).toEqual(expected.graph);
    expect(saved.training).toEqual(expected.training);
    expect(useStudio.getState().dirty).toBe(false);
  });

  it('running: Save asks the worker for where the run is now, and the document stays unsaved as the run goes on', async () => {
    answers['training:start'] = () => ({
      parameters: 9,
      epoch: 0,
      notices: ['The saved training state does not fit this project (it is incomplete), so …'],
    });
    const { useStudio } = await freshStore();
    await useStudio.getState().init();
    await useStudio.getState().newFromExample('xor-sigmoid');
    const start = useStudio.getState().project!;
    await useStudio.getState().startOrPause();
    expect(useStudio.getState().notice).toMatch(/does not fit this project/);
    const name = useStudio.getState().session!;
    listeners.get('training:progress')!(progressOf(run(start, 5), name, 'running'));
    // Running: the document holds the weights shown, but no state (it would not go with them for long).
    expect(useStudio.getState().project!.training.optimiser ?? null).toBeNull();
    const later = run(start, 11); // the worker has gone on since the last progress
    answers['training:snapshot'] = (p) => snapshotOf(later, name, (p as { since: number }).since);
    expect(await useStudio.getState().savePath('/w/running.nnproj')).toBe(true);
    const saved = (calls.filter((c) => c.channel === 'project:save').at(-1)!.payload as { project: Project }).project;
    const expected = projectFromSession(start, later);
    expect(saved.graph).toEqual(expected.graph);
    expect(saved.training).toEqual(expected.training);
    expect(calls.find((c) => c.channel === 'training:snapshot')!.payload).toEqual({ since: 1 });
    expect(useStudio.getState().dirty).toBe(true);
  });

  it('a step applied by hand moves the counters as training would; undo moves them back; other data starts afresh', async () => {
    const { useStudio, setBias } = await freshStore();
    await useStudio.getState().init();
    await useStudio.getState().newFromExample('xor-sigmoid');
    const handStep = (project: Project) => {
      const session = openSession(project, 'train');
      const rows = session.trainer.nextBatch('batch');
      const trace = traceStep(
        session.model,
        readParameters(compileOrThrow(project.graph)),
        session.trainer.optimiserState,
        session.train,
        rows,
        project.hyperparameters,
      );
      return projectAfterStepByHand(project, { rows, params: trace.newParams, optimiser: trace.newOptimiserState });
    };
    const apply = () => useStudio.getState().edit({ label: 'Backprop step', apply: (p) => ({ ok: true, project: handStep(p) }) });
    apply();
    expect(useStudio.getState().training).toMatchObject({ epoch: 0, samplesIntoEpoch: 1, epochSize: 4 });
    for (let k = 0; k < 3; k++) apply();
    expect(useStudio.getState().training).toMatchObject({ epoch: 1, samplesIntoEpoch: 0, epochSize: 4 });
    expect(useStudio.getState().training.history.map((r) => r.epoch)).toEqual([1]);
    useStudio.getState().undo();
    expect(useStudio.getState().training).toMatchObject({ epoch: 0, samplesIntoEpoch: 3 });
    // A weight edited by hand keeps momentum's memory and the place (what if), as the inspector does.
    useStudio.getState().edit(setBias('h1', 0.5));
    expect(useStudio.getState().project!.training.position).toMatchObject({ next: 3 });
    // Other data: the state was made on rows that are not these; training starts afresh.
    const project = useStudio.getState().project!;
    useStudio
      .getState()
      .edit({ label: 'Split', apply: (p) => ({ ok: true, project: { ...p, split: { ...p.split, seed: p.split.seed + 1 } } }) });
    expect(useStudio.getState().project!.training).toMatchObject({ epoch: 0, optimiser: null, rng: null, position: null });
    expect(useStudio.getState().training).toMatchObject({ samplesIntoEpoch: 0, epochSize: 0 });
    useStudio.getState().undo();
    expect(useStudio.getState().project).toBe(project);
  });
});

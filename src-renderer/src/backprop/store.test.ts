/**
 * The inspector's store with the app's store: navigation, the what-if recompute on any edit, and
 * "next sample" applying the update as an undoable edit with momentum's memory carried on.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  findExample,
  readParameters,
  compileOrThrow,
  nextStepOf,
  openSession,
  parseProject,
  projectFromSession,
  serialiseProject,
  splitIndices,
  type Project,
} from '../../../engine/src/index';
import { startHistory } from '../document/history';
import { setWeight } from '../document/commands';
import { useStudio } from '../state/store';
import { useBackprop } from './store';

vi.mock('../state/api', () => ({ api: { host: 'browser', invoke: vi.fn(async () => ({})), on: vi.fn(() => () => undefined) } }));

function load(name: string, change?: (p: ReturnType<NonNullable<ReturnType<typeof findExample>>['create']>) => void) {
  const project = findExample(name)!.create();
  change?.(project);
  const history = startHistory(project, true);
  useStudio.setState({ history, project, dirty: false });
  useBackprop.getState().close();
  return project;
}

describe('backprop inspector store', () => {
  beforeEach(() => useBackprop.getState().close());

  it('opens on the remembered sample, steps forward and back, jumps to a phase and to the end', async () => {
    load('three-two-one');
    await useBackprop.getState().openAt();
    const bp = () => useBackprop.getState();
    expect(bp().open).toBe(true);
    expect(bp().error).toBeNull();
    expect(bp().cursor).toBe(0);
    bp().next();
    bp().next();
    expect(bp().inspection!.steps[bp().cursor]).toMatchObject({ phase: 'forward', unit: 2 });
    bp().previous();
    expect(bp().cursor).toBe(1);
    bp().toPhase('backward');
    expect(bp().inspection!.steps[bp().cursor].phase).toBe('backward');
    bp().toEnd();
    expect(bp().cursor).toBe(bp().inspection!.steps.length - 1);
    bp().next(); // past the end: stays
    expect(bp().cursor).toBe(bp().inspection!.steps.length - 1);
    bp().go(-5);
    expect(bp().cursor).toBe(0);
    // The sample is remembered in the document's view, without making it dirty.
    expect(useStudio.getState().project!.view.inspectorSample).toBe(0);
    expect(useStudio.getState().dirty).toBe(false);
  });

  it('an edit while inspecting recomputes the trace at once, keeping the place', async () => {
    const project = load('three-two-one');
    await useBackprop.getState().openAt();
    useBackprop.getState().toPhase('backward');
    const cursor = useBackprop.getState().cursor;
    const before = useBackprop.getState().inspection!.trace.samples[0].backward[0].delta;
    const edge = project.graph.edges.find((e) => e.source === 'y1' && e.target === 'z1')!;
    useStudio.getState().edit(setWeight(edge.id, 0));
    const after = useBackprop.getState().inspection!;
    expect(after.trace.samples[0].backward[0].delta).not.toBeCloseTo(before, 6);
    expect(after.trace.samples[0].forward[2].terms.find((t) => t.edgeId === edge.id)!.w).toBe(0);
    expect(useBackprop.getState().cursor).toBe(cursor);
  });

  it('next sample applies the update (undoable) and traces the next step with momentum’s memory', async () => {
    load('xor-sigmoid'); // stochastic, momentum 0.9
    await useBackprop.getState().openAt(3); // dataset row 3: XOR's split shuffles its four rows, so training position 1
    const first = useBackprop.getState().inspection!;
    expect(first.trace.samples[0].index).toBe(1);
    expect(first.trace.samples[0].row).toBe(3);
    expect(first.trace.updates.every((u) => u.momentumPart === 0)).toBe(true); // a first step has no memory
    useBackprop.getState().applyAndContinue();
    const studio = useStudio.getState();
    const model = compileOrThrow(studio.project!.graph);
    expect(Array.from(readParameters(model))).toEqual(Array.from(first.trace.newParams));
    const second = useBackprop.getState().inspection!;
    // The next training row in dataset order after row 3 is row 0 (wrapping round), not the shuffle's next.
    expect(second.trace.samples[0].row).toBe(0);
    // α Δw(r−1): momentum's part is 0.9 times the last change, parameter by parameter.
    for (const update of second.trace.updates)
      expect(update.momentumPart).toBeCloseTo(0.9 * first.trace.newOptimiserState.slots[0][update.param], 12);
    expect(useBackprop.getState().stepsTaken).toBe(1);

    studio.undo();
    expect(Array.from(readParameters(compileOrThrow(useStudio.getState().project!.graph)))).toEqual(Array.from(first.params));
  });

  it('"Apply, next sample" walks the training rows in dataset order, and names them by row', async () => {
    load('xor-sigmoid'); // split [0, 3, 2, 1]: dataset row r is at another training position
    await useBackprop.getState().openAt(0);
    const rows = [useBackprop.getState().inspection!.trace.samples[0].row];
    for (let k = 0; k < 4; k++) {
      useBackprop.getState().applyAndContinue();
      rows.push(useBackprop.getState().inspection!.trace.samples[0].row);
    }
    expect(rows).toEqual([0, 1, 2, 3, 0]);
    // Each undoable step is named by the row it trained on.
    expect(useStudio.getState().history!.past.map((entry) => entry.label)).toEqual(
      [0, 1, 2, 3].map((row) => `Backprop step on row ${row}`),
    );
    // The row traced is the truth table's: XOR's row 3 is x = (1, 1), t = 0.
    const last = useBackprop.getState().inspection!;
    expect(last.trace.samples[0].inputs.map((i) => i.value)).toEqual([0, 0]);
    useBackprop.getState().chooseSample(last.trainRows.indexOf(3));
    expect(useBackprop.getState().inspection!.trace.samples[0].inputs.map((i) => i.value)).toEqual([1, 1]);
  });

  it('a mini-batch starts at the chosen row and takes the next training rows in dataset order', async () => {
    load('iris'); // mini-batches of 8, shuffled 60/20/20 split
    await useBackprop.getState().openAt();
    const inspection = useBackprop.getState().inspection!;
    const sorted = [...inspection.trainRows].sort((a, b) => a - b);
    useBackprop.getState().chooseSample(inspection.trainRows.indexOf(sorted[10]));
    expect(useBackprop.getState().inspection!.trace.samples.map((s) => s.row)).toEqual(sorted.slice(10, 18));
    useBackprop.getState().applyAndContinue();
    expect(useStudio.getState().history!.past.at(-1)!.label).toBe(`Backprop step on 8 rows from row ${sorted[10]}`);
    expect(useBackprop.getState().inspection!.trace.samples.map((s) => s.row)).toEqual(sorted.slice(18, 26));
  });

  it('a network that cannot be traced: the reason, and no inspection', async () => {
    load('xor-perceptron-network');
    await useBackprop.getState().openAt();
    expect(useBackprop.getState().inspection).toBeNull();
    expect(useBackprop.getState().error).toMatch(/perceptron rule trains a single layer/);
  });
});

describe('backprop inspector store: the saved view names a dataset row', () => {
  it('reopening inspects the saved row of the file, whatever its training position; choosing a row saves the row', async () => {
    // XOR's split is [0, 3, 2, 1]: row 3 is training position 1, and row 1 is position 3.
    load('xor-sigmoid', (p) => (p.view = { ...p.view, inspectorSample: 3 }));
    await useBackprop.getState().openAt(useStudio.getState().project!.view.inspectorSample!); // as the app does on opening a file
    expect(useBackprop.getState().inspection!.trace.samples[0]).toMatchObject({ row: 3, index: 1 });
    expect(useBackprop.getState().inspection!.trace.samples[0].inputs.map((i) => i.value)).toEqual([1, 1]); // the truth table's row 3
    useBackprop.getState().chooseSample(useBackprop.getState().inspection!.trainRows.indexOf(1));
    expect(useBackprop.getState().inspection!.trace.samples[0]).toMatchObject({ row: 1, index: 3 });
    expect(useStudio.getState().project!.view.inspectorSample).toBe(1);
    expect(useStudio.getState().dirty).toBe(false);
  });

  it('a saved row that does not train (an older file’s position, another split) opens on the next training row of the file', async () => {
    const project = load('iris'); // 60/20/20
    const split = splitIndices(150, project.split);
    const validation = [...split.validation].sort((a, b) => a - b).find((row) => split.train.some((t) => t > row))!;
    const next = Math.min(...split.train.filter((t) => t > validation));
    await useBackprop.getState().openAt(validation);
    expect(useBackprop.getState().inspection!.trace.samples[0].row).toBe(next);
    expect(useStudio.getState().project!.view.inspectorSample).toBe(next);
    // Past the last row: round to the first training row of the file.
    useBackprop.getState().close();
    await useBackprop.getState().openAt(10_000);
    expect(useBackprop.getState().inspection!.trace.samples[0].row).toBe(Math.min(...split.train));
  });
});

describe('backprop inspector store: starting afresh', () => {
  it('reopening forgets what-if targets but keeps momentum’s memory, which is training’s (the document’s); new data forgets both', async () => {
    load('xor-sigmoid');
    await useBackprop.getState().openAt(0);
    useBackprop.getState().setTarget(0, [1]);
    const first = useBackprop.getState().inspection!;
    useBackprop.getState().applyAndContinue();
    expect(useBackprop.getState().request.optimiser).not.toBeNull();
    expect(useBackprop.getState().request.targets.size).toBe(1);
    useBackprop.getState().close();
    await useBackprop.getState().openAt(0);
    // The applied step is in the document's training state: training would go on with its memory.
    expect(Array.from(useBackprop.getState().request.optimiser!.slots[0])).toEqual(Array.from(first.trace.newOptimiserState.slots[0]));
    expect(useBackprop.getState().request.optimiser!.step).toBe(first.trace.newOptimiserState.step);
    expect(useBackprop.getState().request.targets.size).toBe(0);

    useBackprop.getState().setTarget(0, [1]);
    useBackprop.getState().applyAndContinue();
    const { setData } = await import('../document/commands');
    const project = useStudio.getState().project!;
    useStudio.getState().edit(setData({ split: { ...project.split, seed: project.split.seed + 1 } }));
    expect(useBackprop.getState().request.optimiser).toBeNull();
    expect(useBackprop.getState().request.targets.size).toBe(0);
    expect(useBackprop.getState().inspection).not.toBeNull();
  });
});

describe('backprop inspector store: on a paused run', () => {
  it('traces the run’s next step: its rows and its momentum memory; a chosen row keeps the memory', async () => {
    const { api } = await import('../state/api');
    const project = load('iris'); // mini-batches of 8, momentum 0.9
    const model = compileOrThrow(project.graph);
    const velocity = Array.from({ length: model.paramCount }, (_, p) => (p % 7) * 1e-3);
    const nextRows = [17, 3, 44, 8, 0, 61, 29, 5];
    vi.mocked(api.invoke).mockImplementation(
      async (channel: string) =>
        (channel === 'training:snapshot'
          ? { session: 'run-1', optimiser: { kind: 'sgd', step: 5, slots: [velocity] }, nextRows }
          : {}) as never,
    );
    useStudio.setState({ session: 'run-1', training: { ...useStudio.getState().training, state: 'paused' } });
    try {
      await useBackprop.getState().openAt();
      const { inspection, fromRun } = useBackprop.getState();
      expect(fromRun).toBe(true);
      expect(inspection!.trace.samples.map((s) => s.index)).toEqual(nextRows);
      for (const update of inspection!.trace.updates) expect(update.momentumPart).toBeCloseTo(0.9 * velocity[update.param], 15);
      // The view saves the dataset row of the run's next sample, not its training position.
      expect(inspection!.trainRows[17]).not.toBe(17);
      expect(useStudio.getState().project!.view.inspectorSample).toBe(inspection!.trainRows[17]);

      useBackprop.getState().chooseSample(50);
      expect(useBackprop.getState().fromRun).toBe(false);
      expect(useBackprop.getState().inspection!.trace.samples[0].index).toBe(50);
      expect(useBackprop.getState().inspection!.trace.updates.find((u) => velocity[u.param] !== 0)!.momentumPart).not.toBe(0);

      // Another window's run, or none: zero memory and the remembered row.
      useStudio.setState({ session: 'run-2' });
      useBackprop.getState().close();
      await useBackprop.getState().openAt();
      expect(useBackprop.getState().fromRun).toBe(false);
      expect(useBackprop.getState().inspection!.trace.samples[0].index).toBe(50);
      expect(useBackprop.getState().inspection!.trace.updates.every((u) => u.momentumPart === 0)).toBe(true);
    } finally {
      vi.mocked(api.invoke).mockImplementation(async () => ({}) as never);
      useStudio.setState({ session: null, training: { ...useStudio.getState().training, state: 'idle' } });
    }
  });
});

describe('backprop inspector store: on a reopened project', () => {
  /** The example trained `epochs` epochs and a few samples, saved and opened again (no run in this window). */
  function reopened(name: string, epochs: number, samples: number): Project {
    const start = findExample(name)!.create();
    const session = openSession(start, 'train');
    session.trainer.run({ epochs });
    for (let k = 0; k < samples; k++) session.trainer.step('batch');
    const loaded = parseProject(serialiseProject(projectFromSession(start, session)));
    if (!loaded.ok) throw loaded.error;
    useStudio.setState({
      history: startHistory(loaded.project, true),
      project: loaded.project,
      dirty: false,
      session: null,
      training: { ...useStudio.getState().training, state: 'idle' },
    });
    useBackprop.getState().close();
    return loaded.project;
  }

  it('traces exactly the step training takes next: its rows and its momentum memory, from the file', async () => {
    const project = reopened('iris', 3, 2); // mini-batches of 8, momentum 0.9, shuffled
    const next = openSession(project, 'train').trainer;
    await useBackprop.getState().openAt();
    const { inspection, fromRun } = useBackprop.getState();
    expect(fromRun).toBe(true);
    expect(inspection!.trace.samples.map((s) => s.index)).toEqual(next.nextBatch('batch'));
    expect(inspection!.trace.updates.some((u) => u.momentumPart !== 0)).toBe(true);
    for (const update of inspection!.trace.updates) expect(update.momentumPart).toBe(0.9 * next.optimiserState.slots[0][update.param]);
    // Training's step lands where the trace says.
    next.step('batch');
    for (let p = 0; p < next.model.paramCount; p++) expect(inspection!.trace.newParams[p]).toBeCloseTo(next.params[p], 12);
  });

  it('"Apply, next sample" on training’s step counts it in the counters and goes on with training’s next step', async () => {
    const project = reopened('xor-sigmoid', 2, 1); // four samples an epoch; one taken
    const reference = openSession(project, 'train').trainer;
    await useBackprop.getState().openAt();
    for (let k = 0; k < 3; k++) {
      expect(useBackprop.getState().fromRun).toBe(true);
      expect(useBackprop.getState().inspection!.trace.samples.map((s) => s.index)).toEqual(reference.nextBatch('batch'));
      useBackprop.getState().applyAndContinue();
      reference.step('batch');
      expect(useBackprop.getState().stepsTaken).toBe(k + 1);
    }
    // Three steps by hand finished epoch 3: the toolbar says so, as training would.
    expect(useStudio.getState().training).toMatchObject({ epoch: 3, samplesIntoEpoch: 0, epochSize: 4 });
    expect(useStudio.getState().project!.training.history.at(-1)!.epoch).toBe(3);
    // The inspector now shows the first step of epoch 4, in its new order, with the memory training has.
    const next = nextStepOf(useStudio.getState().project!)!;
    expect(next.rows).toEqual(reference.nextBatch('batch'));
    expect(useBackprop.getState().inspection!.trace.samples.map((s) => s.index)).toEqual(next.rows);
    for (let p = 0; p < reference.model.paramCount; p++)
      expect(next.optimiser.slots[0][p]).toBeCloseTo(reference.optimiserState.slots[0][p], 12);
  });
});

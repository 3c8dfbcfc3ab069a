/**
 * The inspector's store with the app's store: navigation, the what-if recompute on any edit, and
 * "next sample" applying the update as an undoable edit with momentum's memory carried on.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { findExample, readParameters, compileOrThrow } from '../../../engine/src/index';
import { startHistory } from '../document/history';
import { setWeight } from '../document/commands';
import { useStudio } from '../store';
import { useBackprop } from './store';

vi.mock('../api', () => ({ api: { host: 'browser', invoke: vi.fn(async () => ({})), on: vi.fn(() => () => undefined) } }));

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
    await useBackprop.getState().openAt(1);
    const first = useBackprop.getState().inspection!;
    expect(first.trace.samples[0].index).toBe(1);
    expect(first.trace.updates.every((u) => u.momentumPart === 0)).toBe(true); // a first step has no memory
    useBackprop.getState().applyAndContinue();
    const studio = useStudio.getState();
    const model = compileOrThrow(studio.project!.graph);
    expect(Array.from(readParameters(model))).toEqual(Array.from(first.trace.newParams));
    const second = useBackprop.getState().inspection!;
    expect(second.trace.samples[0].index).toBe(2);
    // α Δw(r−1): momentum's part is 0.9 times the last change, parameter by parameter.
    for (const update of second.trace.updates) expect(update.momentumPart).toBeCloseTo(0.9 * first.trace.newVelocity[update.param], 12);
    expect(useBackprop.getState().stepsTaken).toBe(1);

    studio.undo();
    expect(Array.from(readParameters(compileOrThrow(useStudio.getState().project!.graph)))).toEqual(Array.from(first.params));
  });

  it('a network that cannot be traced: the reason, and no inspection', async () => {
    load('xor-perceptron-network');
    await useBackprop.getState().openAt();
    expect(useBackprop.getState().inspection).toBeNull();
    expect(useBackprop.getState().error).toMatch(/perceptron rule trains a single layer/);
  });
});

describe('backprop inspector store: starting afresh', () => {
  it('reopening forgets momentum’s memory and what-if targets; new data forgets them too', async () => {
    load('xor-sigmoid');
    await useBackprop.getState().openAt(0);
    useBackprop.getState().setTarget(0, [1]);
    useBackprop.getState().applyAndContinue();
    expect(useBackprop.getState().request.velocity).not.toBeNull();
    expect(useBackprop.getState().request.targets.size).toBe(1);
    useBackprop.getState().close();
    await useBackprop.getState().openAt(0);
    expect(useBackprop.getState().request.velocity).toBeNull();
    expect(useBackprop.getState().request.targets.size).toBe(0);

    useBackprop.getState().setTarget(0, [1]);
    useBackprop.getState().applyAndContinue();
    const { setData } = await import('../document/commands');
    const project = useStudio.getState().project!;
    useStudio.getState().edit(setData({ split: { ...project.split, seed: project.split.seed + 1 } }));
    expect(useBackprop.getState().request.velocity).toBeNull();
    expect(useBackprop.getState().request.targets.size).toBe(0);
    expect(useBackprop.getState().inspection).not.toBeNull();
  });
});

describe('backprop inspector store: on a paused run', () => {
  it('traces the run’s next step: its rows and its momentum memory; a chosen row keeps the memory', async () => {
    const { api } = await import('../api');
    const project = load('iris'); // mini-batches of 8, momentum 0.9
    const model = compileOrThrow(project.graph);
    const velocity = Array.from({ length: model.paramCount }, (_, p) => (p % 7) * 1e-3);
    const nextRows = [17, 3, 44, 8, 0, 61, 29, 5];
    vi.mocked(api.invoke).mockImplementation(async (channel: string) => (channel === 'training:snapshot' ? { session: 'run-1', velocity, nextRows } : {}) as never);
    useStudio.setState({ session: 'run-1', training: { ...useStudio.getState().training, state: 'paused' } });
    try {
      await useBackprop.getState().openAt();
      const { inspection, fromRun } = useBackprop.getState();
      expect(fromRun).toBe(true);
      expect(inspection!.trace.samples.map((s) => s.index)).toEqual(nextRows);
      for (const update of inspection!.trace.updates) expect(update.momentumPart).toBeCloseTo(0.9 * velocity[update.param], 15);

      useBackprop.getState().chooseSample(50);
      expect(useBackprop.getState().fromRun).toBe(false);
      expect(useBackprop.getState().inspection!.trace.samples[0].index).toBe(50);
      expect(useBackprop.getState().inspection!.trace.updates.find((u) => velocity[u.param] !== 0)!.momentumPart).not.toBe(0);

      // Another window's run, or none: zero memory and the remembered row.
      useStudio.setState({ session: 'run-2' });
      useBackprop.getState().close();
      await useBackprop.getState().openAt();
      expect(useBackprop.getState().fromRun).toBe(false);
      expect(useBackprop.getState().inspection!.trace.updates.every((u) => u.momentumPart === 0)).toBe(true);
    } finally {
      vi.mocked(api.invoke).mockImplementation(async () => ({}) as never);
      useStudio.setState({ session: null, training: { ...useStudio.getState().training, state: 'idle' } });
    }
  });
});

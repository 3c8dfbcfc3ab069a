/**
 * The worker's state machine, driven directly with a fake clock and a manual task queue.
 */
import { describe, expect, it } from 'vitest';
import { findExample, type EpochRecord } from '../../engine/src/index';
import type { FromWorker } from './training-protocol';
import { TrainingWorker } from './training-worker';

function harness() {
  let now = 0;
  const posted: FromWorker[] = [];
  const queue: (() => void)[] = [];
  const timers: { task: () => void; ms: number }[] = [];
  const worker = new TrainingWorker({
    post: (message) => posted.push(message),
    defer: (task) => queue.push(task),
    later: (task, ms) => timers.push({ task, ms }),
    // Every read of the clock moves it 5 ms, so slices end and progress falls due.
    now: () => (now += 5),
  });
  const runTasks = (count: number) => {
    for (let i = 0; i < count && queue.length > 0; i++) queue.shift()!();
  };
  const runTimers = (count: number) => {
    for (let i = 0; i < count && timers.length > 0; i++) timers.shift()!.task();
  };
  return { worker, posted, runTasks, queue, timers, runTimers, time: () => now };
}

const of = <T extends FromWorker['type']>(posted: FromWorker[], type: T) =>
  posted.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);

describe('training worker', () => {
  it('starts, trains in slices, and reports progress at most 30 times a second', () => {
    const { worker, posted, runTasks, time } = harness();
    worker.handle({ type: 'start', project: findExample('spiral')!.create(), session: 's1' });
    expect(posted[0]).toEqual({ type: 'started', parameters: 337, epoch: 0, notices: [] });
    runTasks(20);
    const progress = of(posted, 'progress');
    expect(progress.length).toBeGreaterThan(2);
    // Rate: reports at least 1000/30 ms apart on the worker's clock.
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(time() / (1000 / 30)) + 1);
    expect(progress.at(-1)!.weights).toBeInstanceOf(Float64Array);
    expect(progress.at(-1)!.weights.length).toBe(337);
    expect(progress.some((p) => p.newEpochs.length > 0)).toBe(true);
    const epochs = progress.flatMap((p) => p.newEpochs.map((r) => r.epoch));
    expect(epochs).toEqual(epochs.map((_, i) => i + 1)); // every epoch reported once, in order
  });

  it('pauses between steps, steps while paused, and resumes', () => {
    const { worker, posted, runTasks, queue } = harness();
    worker.handle({ type: 'start', project: findExample('iris')!.create(), session: 's1' });
    runTasks(3);
    worker.handle({ type: 'pause' });
    const paused = of(posted, 'progress').at(-1)!;
    expect(paused.state).toBe('paused');
    runTasks(10);
    expect(queue).toHaveLength(0);
    const count = posted.length;
    runTasks(10);
    expect(posted.length).toBe(count); // nothing moves while paused

    const before = paused.samplesIntoEpoch + paused.epoch * paused.epochSize;
    worker.handle({ type: 'step', unit: 'batch' });
    const stepped = of(posted, 'progress').at(-1)!;
    expect(stepped.state).toBe('paused');
    expect(stepped.samplesIntoEpoch + stepped.epoch * stepped.epochSize - before).toBe(8); // Iris: mini-batches of 8
    expect(posted.at(-1)).toEqual({ type: 'stepped', notices: [] });

    worker.handle({ type: 'resume' });
    runTasks(2);
    expect(of(posted, 'progress').at(-1)!.state).toBe('running');
  });

  it('new hyperparameters apply from the next step; a change of algorithm is refused with the reason', () => {
    const { worker, posted } = harness();
    const project = findExample('iris')!.create();
    worker.handle({ type: 'step', unit: 'batch', project, session: 's1' });
    const weights = () => of(posted, 'progress').at(-1)!.weights;
    const before = Float64Array.from(weights());
    worker.handle({ type: 'configure', hyperparameters: { ...project.hyperparameters, learningRate: 1e-12, momentum: 0 } });
    worker.handle({ type: 'step', unit: 'batch' });
    const change = Math.max(...Array.from(weights(), (w, i) => Math.abs(w - before[i])));
    expect(change).toBeGreaterThan(0);
    expect(change).toBeLessThan(1e-9); // η = 1e-12 took effect at once
    worker.handle({ type: 'configure', hyperparameters: { ...project.hyperparameters, algorithm: 'perceptron' } });
    expect(of(posted, 'error').at(-1)).toMatchObject({ during: 'configure', message: expect.stringMatching(/compiled again/) });
  });

  it('a precision chosen while paused trains on at once, the samples rebound to the format it reads', () => {
    const { worker, posted } = harness();
    const base = findExample('digits')!.create();
    const project = { ...base, hyperparameters: { ...base.hyperparameters, precision: 'fast' as const } };
    worker.handle({ type: 'step', unit: 'batch', project, session: 's1' });
    for (const precision of ['exact', 'fast', 'auto'] as const) {
      worker.handle({ type: 'configure', hyperparameters: { ...project.hyperparameters, precision } });
      const before = Float64Array.from(of(posted, 'progress').at(-1)!.weights);
      worker.handle({ type: 'step', unit: 'batch' });
      const after = of(posted, 'progress').at(-1)!.weights;
      expect(Array.from(after)).not.toEqual(Array.from(before));
    }
    expect(of(posted, 'error')).toEqual([]);
    // Each report says what the steps before it computed in (no helper threads here: one thread).
    const computing = of(posted, 'progress').map((p) => p.computing);
    expect(computing[0]).toEqual({ precision: 'fast', threads: 1 });
    expect(computing.at(-1)).toEqual({ precision: 'exact', threads: 1 }); // auto: the digits network is lecture-sized
    expect(computing).toContainEqual({ precision: 'exact', threads: 1 });
  });

  it('reports the threads its products were split over, and keeps saying so while held still', () => {
    const { worker, posted } = harness();
    const project = findExample('digits')!.create();
    worker.handle({ type: 'step', unit: 'batch', project, session: 's1' });
    const kernel = (worker as unknown as { session: { trainer: { kernel: { takeWidestSplit?: () => number } } } }).session.trainer.kernel;
    // A kernel whose latest products ran on three threads, as a BatchedKernel with two helpers says.
    let widest = 3;
    kernel.takeWidestSplit = () => {
      const taken = widest;
      widest = 1;
      return taken;
    };
    worker.handle({ type: 'step', unit: 'batch' });
    expect(of(posted, 'progress').at(-1)!.computing).toEqual({ precision: 'exact', threads: 3 });
    // A report with no step since (a pause, a change of speed) keeps what the last steps used.
    worker.handle({ type: 'pause' });
    expect(of(posted, 'progress').at(-1)!.computing).toEqual({ precision: 'exact', threads: 3 });
    worker.handle({ type: 'step', unit: 'batch' });
    expect(of(posted, 'progress').at(-1)!.computing).toEqual({ precision: 'exact', threads: 1 });
  });

  it('another optimiser chosen while paused takes the next step with a fresh memory of its own, which the snapshot carries', () => {
    const { worker, posted } = harness();
    const project = findExample('iris')!.create();
    worker.handle({ type: 'step', unit: 'batch', project, session: 's1' });
    worker.handle({ type: 'configure', hyperparameters: { ...project.hyperparameters, optimiser: 'adam', learningRate: 0.01 } });
    const before = Float64Array.from(of(posted, 'progress').at(-1)!.weights);
    worker.handle({ type: 'step', unit: 'batch' });
    const after = of(posted, 'progress').at(-1)!.weights;
    // Adam's first step moves every weight it has a gradient for by about η (m̂/√v̂ = ±1 at t = 1).
    const moved = Array.from(after, (w, i) => Math.abs(w - before[i])).filter((d) => d > 0);
    expect(moved.length).toBeGreaterThan(0);
    for (const d of moved) expect(d).toBeCloseTo(0.01, 4);
    worker.handle({ type: 'snapshot' });
    const snapshot = of(posted, 'snapshot').at(-1)!.state!;
    expect(snapshot.optimiser.kind).toBe('adam');
    expect(snapshot.optimiser.step).toBe(1);
    expect(snapshot.resume.optimiser).toMatchObject({ kind: 'adam', step: 1 });
  });

  it('runs to a stopping criterion and says why it stopped', () => {
    const { worker, posted, runTasks } = harness();
    worker.handle({ type: 'start', project: findExample('xor-sigmoid')!.create(), session: 's1' });
    runTasks(10_000);
    const stopped = of(posted, 'stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0].reason).toBe('targetLoss');
    expect(stopped[0].message).toMatch(/reached the target 0\.005/);
  });

  it('a network that cannot train: an error message naming the unit, and the worker carries on', () => {
    const { worker, posted } = harness();
    worker.handle({ type: 'start', project: findExample('xor-perceptron-network')!.create(), session: 's1' });
    const error = of(posted, 'error')[0];
    expect(error.during).toBe('start');
    expect(error.message).toMatch(/perceptron rule trains a single layer/);
    worker.handle({ type: 'start', project: findExample('xor-sigmoid')!.create(), session: 's1' });
    expect(of(posted, 'started')).toHaveLength(1);
  });

  it('stepping with no session and no project is an error, not a crash', () => {
    const { worker, posted } = harness();
    worker.handle({ type: 'step', unit: 'sample' });
    expect(of(posted, 'error')[0].message).toMatch(/no training session yet/);
  });

  it('divergence stops training with the message naming the epoch', () => {
    const { worker, posted, runTasks } = harness();
    const project = findExample('three-two-one')!.create();
    project.hyperparameters.learningRate = 1e200;
    project.graph.nodes.find((n) => n.id === 'z1')!.kind = 'neuron';
    (project.graph.nodes.find((n) => n.id === 'z1') as { activation: string }).activation = 'linear';
    project.dataset = { kind: 'inline', features: ['x1', 'x2', 'x3'], targets: ['t'], rows: [[1e10, 1e10, 1e10, 1e10]] };
    worker.handle({ type: 'start', project, session: 's1' });
    runTasks(100);
    const stopped = of(posted, 'stopped')[0];
    expect(stopped.reason).toBe('diverged');
    expect(stopped.message).toMatch(/diverged in epoch \d+/);
  });

  it('at a set speed: one batch per timer tick, every step reported, and back to full speed on request', () => {
    const { worker, posted, queue, timers, runTimers, runTasks } = harness();
    const project = findExample('iris')!.create(); // mini-batches of 8
    worker.handle({ type: 'speed', stepsPerSecond: 4 });
    worker.handle({ type: 'start', project, session: 's1' });
    expect(queue).toHaveLength(0); // nothing runs flat out
    expect(timers).toHaveLength(1);
    expect(timers[0].ms).toBe(250);
    const seen = () => {
      const p = of(posted, 'progress').at(-1)!;
      return p.epoch * p.epochSize + p.samplesIntoEpoch;
    };
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      runTimers(1);
      counts.push(seen());
    }
    expect(counts).toEqual([8, 16, 24, 32, 40]);
    expect(timers).toHaveLength(1); // exactly one pending tick

    // Pausing leaves the pending tick harmless.
    worker.handle({ type: 'pause' });
    runTimers(1);
    expect(seen()).toBe(40);

    worker.handle({ type: 'resume' });
    worker.handle({ type: 'speed', stepsPerSecond: null });
    runTimers(5); // stale slow ticks do nothing
    expect(seen()).toBe(40);
    runTasks(3);
    expect(seen()).toBeGreaterThan(40 + 8 * 5);
  });

  it('at a set speed the stopping criteria still end training, with their reason', () => {
    const { worker, posted, runTimers } = harness();
    const project = findExample('iris')!.create();
    project.hyperparameters.maxEpochs = 1;
    worker.handle({ type: 'speed', stepsPerSecond: 1000 });
    worker.handle({ type: 'start', project, session: 's1' });
    runTimers(1000);
    const stopped = of(posted, 'stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ reason: 'maxEpochs', epoch: 1 });
    expect(of(posted, 'progress').at(-1)!.state).toBe('stopped');
  });

  it('a snapshot of a paused run lets the trace reproduce its next step exactly (momentum, shuffled rows)', async () => {
    const { compileOrThrow, openSession, readParameters, traceStep, writeParameters } = await import('../../engine/src/index');
    const { worker, posted, runTasks } = harness();
    const project = findExample('iris')!.create(); // mini-batches of 8, momentum 0.9, shuffled
    expect(project.hyperparameters.momentum).toBeGreaterThan(0);
    worker.handle({ type: 'snapshot' });
    expect(of(posted, 'snapshot')[0].state).toBeNull(); // no session yet
    worker.handle({ type: 'start', project, session: 's1' });
    runTasks(3);
    worker.handle({ type: 'pause' });
    worker.handle({ type: 'snapshot' });
    const state = of(posted, 'snapshot').at(-1)!.state!;
    expect(state.session).toBe('s1');
    expect(state.nextRows).toHaveLength(8);
    expect(state.optimiser.kind).toBe('sgd');
    expect(state.optimiser.slots[0].some((v) => v !== 0)).toBe(true);

    // The renderer's view of the paused run: its weights, as the last progress carried them.
    const paused = of(posted, 'progress').at(-1)!;
    const model = compileOrThrow(project.graph);
    const document = { ...project, graph: writeParameters(model, project.graph, paused.weights) };
    const session = openSession(document, 'train');
    const trace = traceStep(
      session.model,
      readParameters(session.model),
      state.optimiser,
      session.train,
      state.nextRows,
      project.hyperparameters,
    );

    worker.handle({ type: 'step', unit: 'batch' });
    const after = of(posted, 'progress').at(-1)!.weights;
    const difference = Math.max(...Array.from(after, (w, p) => Math.abs(w - trace.newParams[p])));
    expect(difference).toBeLessThan(1e-12);
  });

  it('held still, a run’s progress carries its training state; a new run from the document goes on exactly as the old one', async () => {
    const { compileOrThrow, writeParameters } = await import('../../engine/src/index');
    const { worker, posted, runTasks } = harness();
    const project = findExample('iris')!.create(); // mini-batches of 8, momentum 0.9, shuffled
    worker.handle({ type: 'start', project, session: 's1' });
    runTasks(3);
    expect(of(posted, 'progress').every((p) => p.state !== 'running' || p.resume === null)).toBe(true);
    worker.handle({ type: 'pause' });
    worker.handle({ type: 'step', unit: 'sample' }); // mid-batch, mid-epoch
    const paused = of(posted, 'progress').at(-1)!;
    expect(paused.state).toBe('paused');
    expect(paused.resume!.position!.next).toBe(paused.samplesIntoEpoch);

    // The document as the renderer keeps it: the weights, epoch and history of progress, and the state.
    const model = compileOrThrow(project.graph);
    // The worker posts the trainer's own records (finite losses; null only once over the contract).
    const history = of(posted, 'progress').flatMap((p) => p.newEpochs) as EpochRecord[];
    const document = {
      ...project,
      graph: writeParameters(model, project.graph, paused.weights),
      training: { epoch: paused.epoch, history, ...paused.resume! },
    };
    worker.handle({ type: 'snapshot', since: history.at(-1)?.epoch ?? 0 });
    const snapshot = of(posted, 'snapshot').at(-1)!.state!;
    expect(snapshot.resume).toEqual(paused.resume);
    expect(snapshot.newEpochs).toEqual([]);
    expect(Array.from(snapshot.weights)).toEqual(Array.from(paused.weights));

    const other = harness();
    other.worker.handle({ type: 'start', project: document, session: 's2' });
    expect(of(other.posted, 'started')[0]).toMatchObject({ epoch: paused.epoch, notices: [] });
    other.worker.handle({ type: 'pause' });
    for (let k = 0; k < 30; k++) {
      worker.handle({ type: 'step', unit: 'batch' });
      other.worker.handle({ type: 'step', unit: 'batch' });
    }
    const a = of(posted, 'progress').at(-1)!;
    const b = of(other.posted, 'progress').at(-1)!;
    expect(b.epoch).toBe(a.epoch);
    expect(b.samplesIntoEpoch).toBe(a.samplesIntoEpoch);
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
    expect(b.resume).toEqual(a.resume);
  });
});

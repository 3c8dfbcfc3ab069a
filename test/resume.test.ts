/**
 * What you see is what happens: a project saved mid-run and opened again trains on exactly as the
 * run would have — momentum's memory, the shuffled order and the place in it, the epoch's running
 * loss and early stopping's memory are all in the file — in the engine and from the CLI; `trace`
 * on a trained project traces the step training takes next; a stored state that does not fit the
 * network is dropped with a notice; steps taken by hand count as training's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findExample,
  nextStepOf,
  openSession,
  parseProject,
  projectAfterStepByHand,
  projectFromSession,
  readParameters,
  resolveDataset,
  serialiseProject,
  splitIndices,
  traceStep,
  type Hyperparameters,
  type Project,
} from '../engine/src/index';

/** Save and open again, as a file would. */
function reopen(project: Project): Project {
  const result = parseProject(serialiseProject(project));
  if (!result.ok) throw result.error;
  return result.project;
}

/** The project after `epochs` more epochs in one session (the stopping criteria off but the maximum). */
function trained(project: Project, epochs: number, hyper: Partial<Hyperparameters> = {}): Project {
  const session = openSession(project, 'train', { ...project.hyperparameters, targetLoss: null, maxEpochs: 1_000_000, ...hyper });
  expect(session.notices).toEqual([]);
  session.trainer.run({ epochs });
  return projectFromSession(project, session);
}

/** Some example projects, set up to exercise every part of the state. */
const cases: { name: string; project: () => Project }[] = [
  { name: 'xor-sigmoid: stochastic, momentum 0.9, shuffled', project: () => findExample('xor-sigmoid')!.create() },
  { name: 'iris: mini-batches of 8, momentum 0.9, shuffled, validation', project: () => findExample('iris')!.create() },
  {
    name: 'spiral: mini-batches, L2 and L1, early stopping that restores the best weights',
    project: () => {
      const p = findExample('spiral')!.create();
      return {
        ...p,
        hyperparameters: { ...p.hyperparameters, l1: 1e-4, l2: 1e-3, earlyStopping: { patience: 1000, minDelta: 0, restoreBest: true } },
      };
    },
  },
  {
    name: 'perceptron-learns-or: the perceptron rule, shuffled',
    project: () => {
      const p = findExample('perceptron-learns-or')!.create();
      return { ...p, hyperparameters: { ...p.hyperparameters, shuffle: true, learningRate: 0.01 } };
    },
  },
];

describe('train N, save, open, train M = train N + M, bit for bit', () => {
  for (const { name, project } of cases) {
    it(name, () => {
      const start = project();
      const straight = trained(start, 8);
      const resumed = trained(reopen(trained(start, 3)), 5);
      expect(serialiseProject(resumed)).toBe(serialiseProject(straight));
      expect(resumed.graph).toEqual(straight.graph);
    });
  }

  it('one weight of XOR after 10 + 10 epochs is its weight after 20 (resuming used to start momentum and the order afresh)', () => {
    const start = findExample('xor-sigmoid')!.create();
    const straight = trained(start, 20);
    const resumed = trained(reopen(trained(start, 10)), 10);
    const weight = (p: Project) => p.graph.edges[0].weight as number;
    expect(weight(resumed)).toBe(weight(straight));
    // Without the saved state (as version 1 files were), resuming takes other steps.
    const fresh = reopen(trained(start, 10));
    const forgotten = trained({ ...fresh, training: { epoch: fresh.training.epoch, history: fresh.training.history } }, 10);
    expect(weight(forgotten)).not.toBe(weight(straight));
  });

  it('saved mid-epoch (after single samples and batches), the rest of the epoch and the next are the same', () => {
    for (const { project } of cases) {
      const start = project();
      const straight = openSession(start, 'train');
      const paused = openSession(start, 'train');
      for (const s of [straight, paused]) {
        s.trainer.step('sample');
        s.trainer.step('batch');
        s.trainer.step('sample');
      }
      expect(paused.trainer.cursor).toBeGreaterThan(0);
      const saved = reopen(projectFromSession(start, paused));
      expect(saved.training.position!.next).toBe(paused.trainer.cursor);
      const resumed = openSession(saved, 'train');
      expect(resumed.notices).toEqual([]);
      expect(resumed.trainer.nextBatch('batch')).toEqual(straight.trainer.nextBatch('batch'));
      straight.trainer.run({ epochs: 2 });
      resumed.trainer.run({ epochs: 2 });
      expect(serialiseProject(projectFromSession(saved, resumed))).toBe(serialiseProject(projectFromSession(start, straight)));
    }
  });

  it('early stopping goes on counting from where it was, and restores the same best weights', () => {
    const p = findExample('logistic-regression')!.create();
    const start = {
      ...p,
      hyperparameters: {
        ...p.hyperparameters,
        learningRate: 2,
        maxEpochs: 400,
        earlyStopping: { patience: 3, minDelta: 0.01, restoreBest: true },
      },
    };
    const straight = openSession(start, 'train');
    const result = straight.trainer.run();
    expect(result.reason).toBe('earlyStopping');
    const at = result.epochs;
    const first = openSession(start, 'train');
    first.trainer.run({ epochs: at - 2 });
    const second = openSession(reopen(projectFromSession(start, first)), 'train');
    expect(second.trainer.run().epochs).toBe(at);
    expect(Array.from(second.trainer.params)).toEqual(Array.from(straight.trainer.params));
  });
});

describe('a stored state that does not fit is dropped with a notice, never mis-applied', () => {
  it('after an edit of the network, or for another training split', () => {
    const saved = reopen(trained(findExample('xor-sigmoid')!.create(), 3));
    expect(saved.training.optimiser).not.toBeNull();
    const fresh = openSession({ ...saved, training: { epoch: saved.training.epoch, history: saved.training.history } }, 'train').trainer;

    // A hidden unit removed: its edges and bias are gone from the network but not from the memory.
    const edited: Project = {
      ...saved,
      graph: {
        nodes: saved.graph.nodes.filter((n) => n.id !== 'h2'),
        edges: saved.graph.edges.filter((e) => e.source !== 'h2' && e.target !== 'h2'),
      },
    };
    const session = openSession(edited, 'train');
    expect(session.notices).toHaveLength(1);
    expect(session.notices[0]).toMatch(
      /^The saved training state does not fit this project \(the optimiser's [^:]+: the network has no edge '[^']+'\), so training goes on from the weights with the optimiser's memory fresh and the samples in a new order\.$/,
    );
    // The memory's part is named in words a reader can follow ("the optimiser's the previous change" is not).
    expect(session.notices[0]).not.toMatch(/the optimiser's the /);
    expect(session.trainer.optimiserState.kind).toBe('sgd');
    expect(session.trainer.optimiserState.step).toBe(0);
    expect(Array.from(session.trainer.optimiserState.slots[0]).every((v) => v === 0)).toBe(true);
    expect(session.trainer.cursor).toBe(0);

    // A matrix where the edge has one weight.
    const reshaped = structuredClone(saved);
    reshaped.training.optimiser!.slots.velocity.weights[saved.graph.edges[0].id] = [[1, 2]];
    expect(openSession(reshaped, 'train').notices[0]).toMatch(/the values for edge '[^']+' are not 1×1 like its weights/);

    // Another split of the data: the order was drawn for another number of samples.
    const resplit: Project = { ...saved, split: { train: 0.75, validation: 0.25, test: 0, seed: 1 } };
    expect(openSession(resplit, 'train').notices[0]).toMatch(/saved for a training split of 4 samples, and this one has 3/);

    // Half a state.
    const half: Project = { ...saved, training: { ...saved.training, rng: null } };
    const halfSession = openSession(half, 'train');
    expect(halfSession.notices[0]).toMatch(/\(it is incomplete\)/);
    expect(Array.from(halfSession.trainer.order)).toEqual(Array.from(fresh.order));
  });
});

describe('steps taken by hand count as training’s', () => {
  it('the next step’s rows and memory, and an epoch completed by hand, are training’s own', () => {
    const start = reopen(trained(findExample('xor-sigmoid')!.create(), 2));
    const reference = openSession(start, 'train').trainer;
    let project = start;
    for (let k = 0; k < 4; k++) {
      const next = nextStepOf(project)!;
      expect(next.rows).toEqual(reference.nextBatch('batch'));
      expect(next.optimiser.kind).toBe('sgd');
      expect(next.optimiser.step).toBe(reference.optimiserState.step);
      expect(Array.from(next.optimiser.slots[0])).toEqual(Array.from(reference.optimiserState.slots[0]));
      const session = openSession(project, 'train');
      const trace = traceStep(
        session.model,
        readParameters(session.model),
        next.optimiser,
        session.train,
        next.rows,
        project.hyperparameters,
      );
      project = projectAfterStepByHand(project, { rows: next.rows, params: trace.newParams, optimiser: trace.newOptimiserState });
      reference.step('batch');
      expect(project.training.position!.next).toBe(reference.cursor);
    }
    // Four samples of XOR: the fourth step completed epoch 3, recorded as training records it.
    expect(project.training.epoch).toBe(3);
    expect(project.training.history).toHaveLength(3);
    const record = project.training.history[2];
    expect(record.epoch).toBe(3);
    expect(record.loss).toBeCloseTo(reference.history[2].loss, 12);
    expect(record.accuracy).toBe(reference.history[2].accuracy);
    // The next epoch's order is training's too.
    expect(nextStepOf(project)!.rows).toEqual(reference.nextBatch('batch'));
  });
});

describe('from the command line', () => {
  const BIN = fileURLToPath(new URL('../bin/nnstudio.mjs', import.meta.url));
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nnstudio-resume-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const load = (name: string) => {
    const result = parseProject(read(name));
    if (!result.ok) throw result.error;
    return result.project;
  };

  it('train --epochs N twice is train --epochs 2N once, byte for byte (stochastic and mini-batch, momentum, shuffled)', () => {
    for (const example of ['xor-sigmoid', 'iris']) {
      expect(run('new', '--example', example, '--out', `${example}.nnproj`).code).toBe(0);
      expect(run('train', `${example}.nnproj`, '--epochs', '7', '--out', `${example}-a.nnproj`, '--quiet').code).toBe(0);
      expect(run('train', `${example}-a.nnproj`, '--epochs', '7', '--out', `${example}-b.nnproj`, '--quiet').code).toBe(0);
      expect(run('train', `${example}.nnproj`, '--epochs', '14', '--out', `${example}-once.nnproj`, '--quiet').code).toBe(0);
      expect(read(`${example}-b.nnproj`)).toBe(read(`${example}-once.nnproj`));
      const saved = load(`${example}-once.nnproj`);
      expect(saved.training.epoch).toBe(14);
      expect(
        Object.values(saved.training.optimiser!.slots.velocity.biases)
          .flat()
          .some((v) => v !== 0),
      ).toBe(true);
    }
  });

  it('a run interrupted with Ctrl-C, trained on, is the run not interrupted', async () => {
    expect(run('new', '--example', 'spiral', '--out', 'sig.nnproj').code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'train', 'sig.nnproj', '--epochs', '100000', '--json'], { cwd: dir });
    let stdout = '';
    let signalled = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (!signalled && /"type":"epoch".*\n/.test(stdout)) {
          signalled = true;
          child.kill('SIGINT');
        }
      });
      child.on('close', (status) => resolve(status));
    });
    expect(code).toBe(0);
    const done = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(done.reason).toBe('interrupted');
    expect(run('train', 'sig.trained.nnproj', '--epochs', '3', '--out', 'sig-more.nnproj', '--quiet').code).toBe(0);
    expect(run('train', 'sig.nnproj', '--epochs', String(done.epochs + 3), '--out', 'sig-straight.nnproj', '--quiet').code).toBe(0);
    expect(read('sig-more.nnproj')).toBe(read('sig-straight.nnproj'));
  }, 120_000);

  it('trace on a trained project uses its momentum memory: the step it shows is the one training takes next', () => {
    expect(run('new', '--example', 'xor-sigmoid', '--out', 'tr.nnproj').code).toBe(0);
    expect(run('train', 'tr.nnproj', '--epochs', '5', '--out', 'tr5.nnproj', '--quiet').code).toBe(0);
    const project = load('tr5.nnproj');
    const next = nextStepOf(project)!;
    // --sample names a row of the data; the trainer's rows are positions in the training split.
    const row = splitIndices(resolveDataset(project.dataset).size, project.split).train[next.rows[0]];
    const result = run('trace', 'tr5.nnproj', '--sample', String(row), '--json');
    expect(result.code, result.stderr).toBe(0);
    const trace = JSON.parse(result.stdout);
    const alpha = project.hyperparameters.momentum;
    expect(trace.updates.some((u: { momentumPart: number }) => u.momentumPart !== 0)).toBe(true);
    for (const update of trace.updates) expect(update.momentumPart).toBe(alpha * next.optimiser.slots[0][update.param]);
    // Training's next step lands where the trace says.
    const session = openSession(project, 'train');
    session.trainer.step('sample');
    for (let p = 0; p < session.model.paramCount; p++) expect(trace.newParams[p]).toBeCloseTo(session.trainer.params[p], 12);
  });

  it('a state that does not fit the network is dropped with a one-line notice, and training goes on', () => {
    expect(run('new', '--example', 'xor-sigmoid', '--out', 'edit.nnproj').code).toBe(0);
    expect(run('train', 'edit.nnproj', '--epochs', '2', '--out', 'edit2.nnproj', '--quiet').code).toBe(0);
    const project = load('edit2.nnproj');
    const renamed = {
      ...project,
      graph: { ...project.graph, edges: project.graph.edges.map((e, i) => (i === 0 ? { ...e, id: 'renamed' } : e)) },
    };
    writeFileSync(join(dir, 'edit3.nnproj'), serialiseProject(renamed));
    const result = run('train', 'edit3.nnproj', '--epochs', '1', '--quiet');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^Note: The saved training state does not fit this project \(the optimiser's [^:]+: the network has no edge '[^']+'\), so training goes on/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(load('edit3.trained.nnproj').training.epoch).toBe(3);
  });

  it('more epochs than the old history limit are no longer refused', () => {
    expect(run('new', '--example', 'xor-sigmoid', '--out', 'long.nnproj').code).toBe(0);
    // The example stops at its target loss long before.
    const result = run('train', 'long.nnproj', '--epochs', '1000001', '--quiet');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/reached the target/);
  });
});

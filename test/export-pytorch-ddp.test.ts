/**
 * The PyTorch script trained data-parallel: started by torchrun with two processes on this machine
 * (gloo on the CPU), it lands on the weights one process reaches, up to float64 rounding (the
 * all-reduce adds the two halves of each gradient in another order than one process adds its
 * samples). Each project is run once as `python3 SCRIPT --train` and once under
 * `torchrun --nproc_per_node=2`, each saving its weights; the test compares the two files, the
 * epoch records (the global loss and validation loss the stopping rules read) and where each run
 * stopped, and checks from the work the processes report that each took its share of every batch
 * (one process doing all the work would land on the same weights). The batches cover an even
 * split (XOR's 4 samples in batch mode), an odd one with a partial last batch (9 of 140, the last
 * 5), and a last batch of one sample, which leaves the second process with nothing (13 of 105).
 *
 * With --device cuda, the script's choices up to joining the others (each process on the GPU of
 * its local rank, nccl, a refusal past the GPUs there are) run in a PyTorch whose torch.cuda and
 * init_process_group are stand-ins: this machine has no GPU to compute on.
 *
 * Where /usr/bin/python3 cannot import torch (.ci/run installs Debian's python3-torch) the file is
 * skipped. Every torchrun start costs seconds (two interpreters importing torch on two cores), so
 * there are three such runs and the refusals are checked without a launcher (the script decides
 * them from the environment torchrun sets, before any process group exists).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, exportPytorch, openSession, prepareExport, scriptNodes, type Project } from '../engine/src/index';

const PYTHON = '/usr/bin/python3';
/** Whether Debian's Python imports torch, and whether it sees a CUDA device (one probe for both). */
const probe = spawnSync(
  PYTHON,
  ['-c', 'import torch, torch.distributed as d; print(int(d.is_available()), int(torch.cuda.is_available()))'],
  {
    encoding: 'utf8',
    timeout: 60_000,
  },
);
const TORCH = probe.status === 0 && probe.stdout.trim().startsWith('1');
const CUDA = TORCH && probe.stdout.trim().endsWith('1');

const dir = mkdtempSync(join(tmpdir(), 'nnstudio-export-ddp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function example(name: string): Project {
  return EXAMPLES.find((e) => e.name === name)!.create();
}

/** A port nothing listens on now, for torchrun's rendezvous (a fixed one could clash with another run). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, cwd: dir, env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Where torchrun lives: its module in the interpreter that imports torch, as `torchrun` runs it. */
function torchrun(port: number, script: string, args: string[]): Run {
  return run(PYTHON, [
    '-m',
    'torch.distributed.run',
    '--nnodes=1',
    '--nproc_per_node=2',
    '--master_addr=127.0.0.1',
    `--master_port=${port}`,
    // Debian 12's torchrun (torch 1.13 on Python 3.11) fails before starting any process when a
    // stream is neither redirected nor teed (Python 3.11's flags no longer iterate to 0); teeing
    // stderr avoids it and leaves the script's stdout as it prints it.
    '--redirects=2',
    '--tee=2',
    script,
    ...args,
  ]);
}

interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number | null;
  validation_loss?: number;
  validation_accuracy?: number;
}

function records(stdout: string): EpochRecord[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as EpochRecord);
}

/** Each saved state_dict's tensors, flattened, by file. */
function loadWeights(...files: string[]): Record<string, number[]>[] {
  const code =
    'import json, sys, torch\nprint(json.dumps([{k: v.flatten().tolist() for k, v in torch.load(f).items()} for f in sys.argv[1:]]))';
  const result = run(PYTHON, ['-c', code, ...files]);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, number[]>[];
}

/** The largest difference between two runs' weights, relative to the weight (or absolute below 1). */
function largestDifference(a: Record<string, number[]>, b: Record<string, number[]>): number {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  let worst = 0;
  for (const key of Object.keys(a)) {
    expect(b[key]).toHaveLength(a[key].length);
    a[key].forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[key][i]) / Math.max(1, Math.abs(v)))));
  }
  return worst;
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a));
}

/**
 * The samples each of `world` processes takes in an epoch of `n` in batches of `batch`: each batch
 * cut into `world` contiguous parts, the first `m mod world` one sample longer (torch.tensor_split).
 */
function shares(n: number, batch: number, world: number): number[] {
  const counts = new Array<number>(world).fill(0);
  for (let first = 0; first < n; first += batch) {
    const m = Math.min(batch, n - first);
    for (let r = 0; r < world; r++) counts[r] += Math.floor(m / world) + (r < m % world ? 1 : 0);
  }
  return counts;
}

/**
 * Trains `project` for `epochs` as one process and as two under torchrun; checks what every such
 * pair must show and returns both runs' records and weights for the case's own checks.
 */
async function trainBothWays(project: Project, name: string, epochs: number) {
  const script = join(dir, `${name}.py`);
  writeFileSync(script, exportPytorch(project));
  const args = (file: string) => ['--train', '--epochs', String(epochs), '--save', file];
  const single = run(PYTHON, [script, ...args(`${name}-1.pt`)]);
  expect(single.status, single.stderr).toBe(0);
  const parallel = torchrun(await freePort(), script, args(`${name}-2.pt`));
  expect(parallel.status, parallel.stderr).toBe(0);

  const one = records(single.stdout);
  const two = records(parallel.stdout);
  // Only the first process prints: one record per epoch, one "Wrote" line.
  expect(two.map((r) => r.epoch)).toEqual(one.map((r) => r.epoch));
  expect(parallel.stdout.match(/^Wrote /gm)).toHaveLength(1);
  one.forEach((record, k) => {
    expect(relative(record.loss, two[k].loss)).toBeLessThan(1e-12);
    expect(two[k].accuracy).toBe(record.accuracy);
    expect('validation_loss' in two[k]).toBe('validation_loss' in record);
    if (record.validation_loss !== undefined) {
      expect(relative(record.validation_loss, two[k].validation_loss!)).toBeLessThan(1e-12);
      expect(two[k].validation_accuracy).toBe(record.validation_accuracy);
    }
  });
  // Training moved the network: the agreement is of trajectories, not of untouched weights.
  expect(Math.abs(one[0].loss - one.at(-1)!.loss)).toBeGreaterThan(1e-6);

  // The work done: each process's samples in the first epoch, as the processes counted them.
  const split = /^Data-parallel over 2 processes \(gloo, cpu\): epoch \d+'s (\d+) samples split ([\d +]+)\.$/m.exec(parallel.stdout);
  expect(split, parallel.stdout).not.toBeNull();
  const counted = split![2].split(' + ').map(Number);
  expect(single.stdout).not.toMatch(/Data-parallel/);

  const [w1, w2] = loadWeights(`${name}-1.pt`, `${name}-2.pt`);
  return { single, parallel, one, two, w1, w2, difference: largestDifference(w1, w2), samples: Number(split![1]), counted };
}

describe.skipIf(!TORCH)(
  `torchrun with two processes trains as one process does${TORCH ? '' : ' (skipped: /usr/bin/python3 cannot import torch)'}`,
  () => {
    it('XOR 2-2-1 in batch mode with momentum: the same weights, and both stop at the target loss in the same epoch', async () => {
      const base = example('xor-sigmoid');
      const hyper = { ...base.hyperparameters, mode: 'batch' as const, momentum: 0.9, shuffle: true, targetLoss: null };
      // Momentum makes the loss rise and fall. The target goes between the engine's (an independent
      // computation of the same batch-mode trajectory) first loss from epoch 21 on that is below every
      // earlier one and the lowest before it: both runs must stop at that epoch, not before.
      const session = openSession({ ...base, hyperparameters: hyper });
      session.trainer.run({ epochs: 60 });
      const losses = session.trainer.history.map((r) => r.loss);
      let lowest = Infinity;
      let stop = 0;
      for (let k = 0; k < losses.length; k++) {
        if (k >= 20 && losses[k] < lowest - 1e-6) {
          stop = k + 1;
          break;
        }
        lowest = Math.min(lowest, losses[k]);
      }
      expect(stop).toBeGreaterThan(20);
      const project: Project = { ...base, hyperparameters: { ...hyper, targetLoss: (lowest + losses[stop - 1]) / 2 } };

      const r = await trainBothWays(project, 'xor', 60);
      expect(r.one).toHaveLength(stop);
      for (const run of [r.single, r.parallel])
        expect(run.stdout).toMatch(new RegExp(`^Stopped at epoch ${stop}: the training loss reached the target`, 'm'));
      expect(relative(r.one[stop - 1].loss, losses[stop - 1])).toBeLessThan(1e-12);
      expect(r.samples).toBe(4);
      expect(r.counted).toEqual(shares(4, 4, 2));
      expect(r.difference).toBeLessThan(1e-12);
    });

    it('Adam on logistic regression with L2 and a locked edge, in batches of 9 (odd, the last one 5): the same weights, the lock held', async () => {
      const base = example('logistic-regression');
      const project: Project = {
        ...base,
        graph: { ...base.graph, edges: base.graph.edges.map((e) => (e.id === 'x1->y' ? { ...e, weight: 0.3, locked: true } : e)) },
        hyperparameters: {
          ...base.hyperparameters,
          optimiser: 'adam',
          learningRate: 0.05,
          l2: 0.01,
          mode: 'minibatch',
          batchSize: 9,
          shuffle: true,
        },
      };
      const n = openSession(project).train.size;
      expect(n % 9).toBe(5);
      const lockedColumn = scriptNodes(prepareExport(project))[0].sources.findIndex((s) => s.edge === 'x1->y');
      expect(lockedColumn).toBeGreaterThanOrEqual(0);

      const r = await trainBothWays(project, 'logistic', 4);
      expect(r.one).toHaveLength(4);
      expect(r.one[0].validation_loss).toBeDefined();
      expect(r.samples).toBe(n);
      expect(r.counted).toEqual(shares(n, 9, 2));
      // Adam's memory would move a locked weight; the script puts it back on every process.
      expect(r.w1['nodes.0.weight'][lockedColumn]).toBe(0.3);
      expect(r.w2['nodes.0.weight'][lockedColumn]).toBe(0.3);
      expect(r.difference).toBeLessThan(1e-12);
    });

    it('Iris (softmax) with Nesterov and L1 in batches of 13, the last one a single sample: the same weights, the same early stop', async () => {
      const base = example('iris');
      const project: Project = {
        ...base,
        split: { ...base.split, train: 0.7, validation: 0.2, test: 0.1 },
        hyperparameters: {
          ...base.hyperparameters,
          optimiser: 'nesterov',
          momentum: 0.8,
          l1: 0.001,
          batchSize: 13,
          shuffle: true,
          // No epoch can improve on the best by 10: stopped after 3 epochs without improvement.
          earlyStopping: { patience: 3, minDelta: 10, restoreBest: false },
        },
      };
      const n = openSession(project).train.size;
      expect(n % 13).toBe(1);

      const r = await trainBothWays(project, 'iris', 10);
      expect(r.one).toHaveLength(4);
      for (const run of [r.single, r.parallel]) expect(run.stdout).toMatch(/^Stopped early at epoch 4: best validation loss/m);
      expect(r.samples).toBe(n);
      // The last batch's one sample goes to the first process; the second has an empty share then.
      expect(r.counted).toEqual(shares(n, 13, 2));
      expect(r.counted[0] - r.counted[1]).toBe(Math.ceil(n / 13));
      expect(r.difference).toBeLessThan(1e-12);
    });
  },
);

describe.skipIf(!TORCH)(`refusals, each one sentence${TORCH ? '' : ' (skipped: /usr/bin/python3 cannot import torch)'}`, () => {
  /** The environment torchrun gives its first process of two, without starting any. */
  const launched = {
    ...process.env,
    RANK: '0',
    LOCAL_RANK: '0',
    WORLD_SIZE: '2',
    LOCAL_WORLD_SIZE: '2',
    MASTER_ADDR: '127.0.0.1',
    MASTER_PORT: '1',
  };

  function expectRefusal(result: Run, message: RegExp) {
    expect(result.status, result.stdout).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stdout).toBe('');
  }

  it('stochastic mode across processes, --distributed without a launcher, and --device cuda without CUDA', () => {
    const xor = example('xor-sigmoid');
    expect(xor.hyperparameters.mode).toBe('stochastic');
    const script = join(dir, 'refuse.py');
    writeFileSync(script, exportPytorch(xor));
    expectRefusal(
      run(PYTHON, [script, '--train', '--epochs', '1'], launched),
      /^Stochastic mode trains on one sample at a time, so there is nothing to split across 2 processes: train it as one process \(python3 refuse\.py --train\), or choose mini-batch or batch mode\.$/,
    );
    // The second process says nothing: the first one speaks for both.
    const second = run(PYTHON, [script, '--train', '--epochs', '1'], { ...launched, RANK: '1', LOCAL_RANK: '1' });
    expect(second.status).toBe(2);
    expect(second.stderr).toBe('');

    const alone = { ...process.env };
    for (const key of ['RANK', 'LOCAL_RANK', 'WORLD_SIZE', 'LOCAL_WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT']) delete alone[key];
    expectRefusal(
      run(PYTHON, [script, '--train', '--distributed'], alone),
      /^--distributed needs the environment a launcher sets \(RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT; missing: RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT\): start the script with torchrun\.$/,
    );
    if (!CUDA)
      expectRefusal(
        run(PYTHON, [script, '--device', 'cuda'], alone),
        /^--device cuda: PyTorch sees no CUDA device here; use --device cpu\.$/,
      );
  });

  /**
   * The script as torchrun starts it with --device cuda, in a PyTorch told it has `devices` CUDA
   * devices (this machine has none): what it asks of torch.cuda and torch.distributed up to joining
   * the others, where the stand-in stops it. Nothing is computed on a device before that point.
   */
  function onFakeGpus(devices: number, env: NodeJS.ProcessEnv): Run & { calls: [string, unknown][] } {
    const script = join(dir, 'gpus.py');
    writeFileSync(script, exportPytorch(example('iris')));
    const harness = join(dir, 'fake-gpus.py');
    writeFileSync(
      harness,
      [
        'import json, runpy, sys, torch, torch.distributed',
        'calls = []',
        'torch.cuda.is_available = lambda: True',
        `torch.cuda.device_count = lambda: ${devices}`,
        'torch.cuda.set_device = lambda index: calls.append(["set_device", index])',
        'def joined(backend, *args, **kwargs):',
        '    calls.append(["init_process_group", backend])',
        '    print(json.dumps(calls))',
        '    sys.exit(0)',
        'torch.distributed.init_process_group = joined',
        'sys.argv = [sys.argv[1], "--train", "--device", "cuda", "--epochs", "1"]',
        'runpy.run_path(sys.argv[0], run_name="__main__")',
      ].join('\n'),
    );
    const result = run(PYTHON, [harness, script], env);
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    return { ...result, calls: result.status === 0 ? (JSON.parse(line) as [string, unknown][]) : [] };
  }

  it('--device cuda under torchrun: each process takes the GPU of its local rank and joins with nccl, or is refused past the GPUs there are', () => {
    const second = onFakeGpus(2, { ...launched, RANK: '1', LOCAL_RANK: '1' });
    expect(second.status, second.stderr).toBe(0);
    expect(second.calls).toEqual([
      ['set_device', 1],
      ['init_process_group', 'nccl'],
    ]);
    const first = onFakeGpus(2, launched);
    expect(first.calls).toEqual([
      ['set_device', 0],
      ['init_process_group', 'nccl'],
    ]);
    // Two processes on a machine with one GPU: the first one, which speaks for all, names the fix.
    expectRefusal(
      onFakeGpus(1, { ...launched, LOCAL_RANK: '1' }),
      /^Local rank 1 needs a CUDA device of its own and this machine has 1: start at most that many processes on it \(--nproc_per_node\)\.$/,
    );
  });
});

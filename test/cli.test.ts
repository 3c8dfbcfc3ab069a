/**
 * The `nnstudio` command, run as the real binary in a temporary folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLES,
  LIMITS,
  findExample,
  openSession,
  parseProject,
  projectFromSession,
  resolveDataset,
  serialiseProject,
  splitIndices,
  traceStep,
  traceToJson,
  type TraceJson,
} from '../engine/src/index';

const BIN = fileURLToPath(new URL('../bin/nnstudio.mjs', import.meta.url));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nnstudio-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A user-facing failure: a non-zero exit and a short message, never a stack trace. */
function expectCleanFailure(result: ReturnType<typeof run>, code: number, pattern: RegExp) {
  expect(result.code).toBe(code);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
}

function readProject(path: string) {
  const result = parseProject(readFileSync(path, 'utf8'));
  if (!result.ok) throw result.error;
  return result.project;
}

describe('examples and new', () => {
  it('lists every example, as text and as JSON', () => {
    const text = run('examples');
    expect(text.code).toBe(0);
    for (const example of EXAMPLES) expect(text.stdout).toContain(example.name);
    const json = JSON.parse(run('examples', '--json').stdout);
    expect(json.map((e: { name: string }) => e.name)).toEqual(EXAMPLES.map((e) => e.name));
  });

  it('writes an example, refuses to overwrite it without --force', () => {
    const first = run('new', '--example', 'xor-sigmoid');
    expect(first.code).toBe(0);
    const path = join(dir, 'xor-sigmoid.nnproj');
    expect(readProject(path).name).toBe('XOR 2-2-1');
    writeFileSync(path, 'changed by the user');
    expectCleanFailure(run('new', '--example', 'xor-sigmoid'), 1, /already exists; use --force/);
    expect(readFileSync(path, 'utf8')).toBe('changed by the user');
    expect(run('new', '--example', 'xor-sigmoid', '--force').code).toBe(0);
    expect(readProject(path).name).toBe('XOR 2-2-1');
    expect(run('new', '--example', 'iris', '--out', 'flowers.nnproj').code).toBe(0);
    expect(readProject(join(dir, 'flowers.nnproj')).name).toBe('Iris');
  });

  it('bad arguments: one line and exit 2', () => {
    expectCleanFailure(run('new'), 2, /new needs --example NAME/);
    expectCleanFailure(run('new', '--example', 'nope'), 2, /no example 'nope'. Examples: or-perceptron/);
    expectCleanFailure(run('new', '--example'), 2, /--example/);
    expectCleanFailure(run('frobnicate'), 2, /unknown command 'frobnicate'/);
    expectCleanFailure(run('examples', '--colour'), 2, /Unknown option '--colour'/);
    const none = run();
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/Usage: nnstudio/);
  });
});

describe('every example reaches what it promises, from the CLI', () => {
  const expectations: Record<string, (evaluation: any) => void> = {
    'or-perceptron': (e) => expect(e.train.accuracy).toBe(1),
    'and-perceptron': (e) => expect(e.train.accuracy).toBe(1),
    'xor-perceptron-network': (e) => expect(e.train.accuracy).toBe(1),
    'perceptron-learns-or': (e) => expect(e.train.accuracy).toBe(1),
    'xor-sigmoid': (e) => expect(e.train.accuracy).toBe(1),
    'three-two-one': (e) => expect(e.train.loss).toBeLessThan(0.001),
    'logistic-regression': (e) => expect(e.test.accuracy).toBeGreaterThanOrEqual(0.95),
    spiral: (e) => expect(e.test.accuracy).toBeGreaterThanOrEqual(0.95),
    iris: (e) => expect(e.test.accuracy).toBeGreaterThanOrEqual(0.95),
    digits: (e) => expect(e.test.accuracy).toBeGreaterThanOrEqual(0.95),
  };

  it('has an expectation for each example', () => {
    expect(Object.keys(expectations).sort()).toEqual(EXAMPLES.map((e) => e.name).sort());
  });

  for (const example of EXAMPLES) {
    it(`${example.name}: ${example.expected}`, () => {
      const file = `${example.name}-run.nnproj`;
      expect(run('new', '--example', example.name, '--out', file).code).toBe(0);
      let evaluated = file;
      if (example.name === 'xor-perceptron-network') {
        // Hand-set weights, and nothing can train a multilayer perceptron network: the CLI says so.
        expectCleanFailure(run('train', file), 1, /perceptron rule trains a single layer/);
      } else if (example.name === 'or-perceptron' || example.name === 'and-perceptron') {
        const before = readFileSync(join(dir, file), 'utf8');
        // Already right: the perceptron rule makes no change and stops after one epoch.
        const trained = run('train', file, '--json');
        expect(trained.code).toBe(0);
        const done = JSON.parse(trained.stdout.trim().split('\n').at(-1)!);
        expect(done.reason).toBe('converged');
        expect(done.epochs).toBe(1);
        expect(readProject(done.out).graph).toEqual(parseProject(before).ok && readProject(join(dir, file)).graph);
        evaluated = done.out;
      } else {
        const trained = run('train', file, '--json');
        expect(trained.code, trained.stderr).toBe(0);
        const done = JSON.parse(trained.stdout.trim().split('\n').at(-1)!);
        expect(done.type).toBe('done');
        evaluated = done.out;
      }
      const evaluation = run('eval', evaluated, '--json');
      expect(evaluation.code, evaluation.stderr).toBe(0);
      expectations[example.name](JSON.parse(evaluation.stdout));
    });
  }
});

describe('train', () => {
  it('streams JSON lines, writes next to the input, and leaves the input alone', () => {
    run('new', '--example', 'logistic-regression', '--out', 'lr.nnproj');
    const input = readFileSync(join(dir, 'lr.nnproj'), 'utf8');
    const result = run('train', 'lr.nnproj', '--epochs', '5', '--json');
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.slice(0, -1).map((l) => l.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(lines.slice(0, -1).every((l) => l.type === 'epoch' && typeof l.loss === 'number' && l.validationLoss !== null)).toBe(true);
    const done = lines.at(-1);
    expect(done).toMatchObject({ type: 'done', reason: 'maxEpochs', epochs: 5, out: join(dir, 'lr.trained.nnproj') });
    expect(readFileSync(join(dir, 'lr.nnproj'), 'utf8')).toBe(input);
    const trained = readProject(done.out);
    expect(trained.training.epoch).toBe(5);
    expect(trained.training.history.map((r) => r.loss)).toEqual(lines.slice(0, -1).map((l) => l.loss));
    expect(trained.normalisation.fitted).not.toBeNull();
    // The saved hyperparameters are the project's, not the --epochs override.
    expect(trained.hyperparameters.maxEpochs).toBe(readProject(join(dir, 'lr.nnproj')).hyperparameters.maxEpochs);

    // Continuing: 3 more epochs on the trained file, in place.
    const more = run('train', 'lr.trained.nnproj', '--epochs', '3', '--in-place', '--quiet');
    expect(more.code).toBe(0);
    expect(readProject(done.out).training.epoch).toBe(8);
  });

  it('prints a readable summary without --json', () => {
    run('new', '--example', 'xor-sigmoid', '--out', 'x.nnproj', '--force');
    const result = run('train', 'x.nnproj', '--out', 'x-done.nnproj');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/reached the target 0\.005/);
    expect(result.stdout).toMatch(/accuracy 100\.0%/);
    expect(result.stdout).toContain(`Wrote ${join(dir, 'x-done.nnproj')}`);
  });

  it('refuses to overwrite its input unless asked, and bad --epochs', () => {
    run('new', '--example', 'xor-sigmoid', '--out', 'y.nnproj', '--force');
    expectCleanFailure(run('train', 'y.nnproj', '--out', 'y.nnproj'), 2, /--out names the input file; add --in-place/);
    expectCleanFailure(run('train', 'y.nnproj', '--epochs', 'ten'), 2, /--epochs needs a whole number of at least 1, got 'ten'/);
    expectCleanFailure(run('train', 'y.nnproj', '--epochs', '0'), 2, /at least 1/);
    expectCleanFailure(run('train', 'y.nnproj', '--out', 'a', '--in-place'), 2, /either --out or --in-place/);
    expectCleanFailure(run('train'), 2, /train needs a project file/);
  });

  it('a project already at its epoch limit says how to go on', () => {
    run('new', '--example', 'iris', '--out', 'i.nnproj', '--force');
    run('train', 'i.nnproj', '--in-place', '--quiet');
    expectCleanFailure(run('train', 'i.nnproj'), 1, /already been trained for 300 epochs, its maximum; use --epochs N/);
  });

  it('a bad file: one line naming the file and the problem, and nothing written', () => {
    writeFileSync(join(dir, 'broken.nnproj'), '{"format": "nnstudio-project", "version": 1, ');
    expectCleanFailure(run('train', 'broken.nnproj'), 1, /broken\.nnproj: the file is not valid JSON/);
    expect(existsSync(join(dir, 'broken.trained.nnproj'))).toBe(false);
    writeFileSync(join(dir, 'newer.nnproj'), JSON.stringify({ format: 'nnstudio-project', version: 9 }));
    expectCleanFailure(run('eval', 'newer.nnproj'), 1, /version: the project was saved by a newer NN Studio/);
    expectCleanFailure(run('eval', 'missing.nnproj'), 1, /missing\.nnproj: no such file or folder/);
    expectCleanFailure(run('eval', '.'), 1, /is a folder, not a project file/);
  });

  it('data that cannot be split is a problem with the file (exit 1), not an internal error', () => {
    run('new', '--example', 'iris', '--out', 'to-split.nnproj', '--force');
    const project = readProject(join(dir, 'to-split.nnproj'));
    project.split = { train: 0.5, validation: 0.6, test: 0, seed: 1 };
    writeFileSync(join(dir, 'oversplit.nnproj'), JSON.stringify(project));
    for (const args of [['eval'], ['train', '--json'], ['trace', '--sample', '0'], ['export', '--to', 'onnx']]) {
      const [command, ...rest] = args;
      expectCleanFailure(
        run(command, 'oversplit.nnproj', ...rest),
        1,
        /^nnstudio: The split fractions must each be between 0 and 1 and add up to 1/,
      );
    }
  });

  it('a network that cannot be trained names the unit', () => {
    const project = readProject(join(dir, 'xor-sigmoid.nnproj'));
    (project.graph.nodes[2] as { kind: string; activation: string }).kind = 'perceptron';
    (project.graph.nodes[2] as { activation: string }).activation = 'step';
    writeFileSync(join(dir, 'stepped.nnproj'), JSON.stringify(project));
    expectCleanFailure(run('train', 'stepped.nnproj'), 1, /Perceptron 'h1' uses the step function, which has no gradient/);
  });

  it('a folder that does not exist for the output: a clear message, before any training', () => {
    const result = run('train', 'xor-sigmoid.nnproj', '--out', 'no/such/dir/out.nnproj', '--json');
    expectCleanFailure(result, 1, /out\.nnproj: cannot save there: the folder .*no\/such\/dir does not exist/);
    // Not one epoch was trained (and then thrown away): --json prints a line per epoch.
    expect(result.stdout).toBe('');
  });

  it('an output that is a folder, or inside a file, is refused before training', () => {
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    const folder = run('train', 'xor-sigmoid.nnproj', '--out', 'a-folder', '--json');
    expectCleanFailure(folder, 1, /a-folder: is a folder; name a file for the trained project/);
    expect(folder.stdout).toBe('');
    const inFile = run('train', 'xor-sigmoid.nnproj', '--out', 'xor-sigmoid.nnproj/out.nnproj', '--json');
    expectCleanFailure(inFile, 1, /xor-sigmoid\.nnproj\/out\.nnproj: cannot save there: a part of the path is not a folder/);
    expect(inFile.stdout).toBe('');
  });

  it('a read-only folder for the output is refused before training, and the probe leaves nothing', (context) => {
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly, { recursive: true });
    // A read-only mount refuses even root, whom no permission bit stops.
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', readOnly]);
    if (mounted.status !== 0) context.skip('mounting a read-only tmpfs needs root');
    try {
      const result = run('train', 'xor-sigmoid.nnproj', '--out', 'read-only/out.nnproj', '--json');
      expectCleanFailure(result, 1, /out\.nnproj: cannot save there: the file system is read-only/);
      expect(result.stdout).toBe('');
    } finally {
      spawnSync('umount', [readOnly]);
    }
    // Where saving works, the check creates and removes a probe: the folder holds only the result.
    mkdirSync(join(dir, 'clean'), { recursive: true });
    expect(run('train', 'xor-sigmoid.nnproj', '--out', 'clean/out.nnproj', '--epochs', '2', '--quiet').code).toBe(0);
    expect(readdirSync(join(dir, 'clean'))).toEqual(['out.nnproj']);
  });

  it('a run longer than a history holds is not refused: the history is thinned, however long it runs', () => {
    run('new', '--example', 'xor-sigmoid', '--out', 'long.nnproj', '--force');
    const project = readProject(join(dir, 'long.nnproj'));
    project.hyperparameters.maxEpochs = LIMITS.historyEpochs * 2;
    writeFileSync(join(dir, 'long.nnproj'), serialiseProject(project));
    // Its target loss stops it long before; what matters is that it starts.
    const result = run('train', 'long.nnproj', '--json', '--epochs', String(LIMITS.historyEpochs + 1));
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'done', reason: 'targetLoss' });
  });
});

describe('Ctrl-C during train', () => {
  it('a real SIGINT stops after the current epoch and saves exactly what k epochs give', async () => {
    run('new', '--example', 'spiral', '--out', 'sig.nnproj', '--force');
    const child = spawn(process.execPath, [BIN, 'train', 'sig.nnproj', '--epochs', '100000', '--json'], { cwd: dir });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        // Once training has visibly started (a whole epoch line), press Ctrl-C.
        if (!signalled && /"type":"epoch".*\n/.test(stdout)) {
          signalled = true;
          child.kill('SIGINT');
        }
      });
      child.on('close', (status) => resolve(status));
    });
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/Stopping after this epoch/);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const done = lines.at(-1);
    const epochs = lines.filter((l) => l.type === 'epoch');
    expect(done).toMatchObject({ type: 'done', reason: 'interrupted', out: join(dir, 'sig.trained.nnproj') });
    expect(done.epochs).toBeLessThan(100_000);
    expect(done.message).toBe(`Interrupted after epoch ${done.epochs}; the weights so far are saved.`);
    expect(epochs.at(-1).epoch).toBe(done.epochs);
    const saved = readProject(done.out);
    expect(saved.training.epoch).toBe(done.epochs);

    // The same as an uninterrupted run of that many epochs, bit for bit: the engine in one go...
    const start = readProject(join(dir, 'sig.nnproj'));
    const session = openSession(start, 'train');
    session.trainer.run({ epochs: done.epochs });
    const reference = JSON.parse(JSON.stringify(projectFromSession(start, session)));
    expect(saved.graph).toEqual(reference.graph);
    expect(saved.training).toEqual(reference.training);
    // ...and the CLI told to train that many.
    expect(run('train', 'sig.nnproj', '--epochs', String(done.epochs), '--out', 'sig-ref.nnproj', '--quiet').code).toBe(0);
    expect(readFileSync(join(dir, 'sig-ref.nnproj'), 'utf8')).toBe(readFileSync(done.out, 'utf8'));
  }, 120_000);
});

describe('output that goes nowhere', () => {
  it('a reader that goes away (| head) ends the output, not the training: it still saves, exit 0', async () => {
    run('new', '--example', 'spiral', '--out', 'pipe.nnproj', '--force');
    // 1,000 lines of JSON are more than a pipe's buffer holds: some writes must meet the closed pipe.
    const child = spawn(process.execPath, [BIN, 'train', 'pipe.nnproj', '--epochs', '1000', '--json'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // Read the first chunk, then close the pipe, as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readProject(join(dir, 'pipe.trained.nnproj')).training.epoch).toBe(1000);
  });

  it('standard output on a full disk: one line, exit 1', (context) => {
    if (!existsSync('/dev/full')) context.skip('no /dev/full on this system');
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [BIN, 'examples'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe('nnstudio: could not write to standard output: the disk is full.\n');
    } finally {
      closeSync(full);
    }
  });
});

describe('--help', () => {
  for (const command of ['examples', 'new', 'train', 'eval', 'trace', 'export']) {
    it(`${command} --help and -h print its usage and exit 0`, () => {
      for (const flag of ['--help', '-h']) {
        const result = run(command, flag);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toMatch(new RegExp(`^Usage: nnstudio ${command}( |$)`, 'm'));
        expect(result.stderr).toBe('');
      }
    });
  }

  it('help with the rest of a command line still answers help, and names the per-command help', () => {
    const result = run('train', 'whatever.nnproj', 'extra', '--epochs', '3', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: nnstudio train FILE/);
    expect(run('help').stdout).toMatch(/nnstudio COMMAND --help/);
  });
});

describe('user data in messages', () => {
  /** One line, and no raw control character in it (ESC, BEL, NUL, CR, a second newline...). */
  function expectOneSafeLine(stderr: string) {
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  }

  it('control characters in the file name and in the bad JSON are escaped: one line on stderr', () => {
    const name = 'ctl\u001b]0;owned\u0007\u001b[2J\nnext.nnproj';
    writeFileSync(
      join(dir, name),
      Buffer.from('{"format": "nnstudio-project", "version": 1, "name": "\u001b]0;owned\u0007\n\u0000\nbad', 'utf8'),
    );
    const result = run('eval', name);
    expect(result.code).toBe(1);
    expectOneSafeLine(result.stderr);
    expect(result.stderr).toContain('ctl\\u001b]0;owned\\u0007\\u001b[2J\\nnext.nnproj: the file is not valid JSON');
    const trained = run('train', name, '--json');
    expect(trained.code).toBe(1);
    expectOneSafeLine(trained.stderr);
  });

  it('control characters in an argument are escaped too', () => {
    const result = run('new', '--example', 'x\u001b[2J\u0007\ny');
    expect(result.code).toBe(2);
    const [first, ...rest] = result.stderr.split('\n');
    expect(first).toContain("there is no example 'x\\u001b[2J\\u0007\\ny'");
    expect(first).not.toMatch(/[\u0000-\u001f]/);
    expect(rest).toEqual(["Run 'nnstudio help' for usage.", '']);
  });
});

describe('eval and trace', () => {
  it('eval prints loss, accuracy and the confusion matrix of each split', () => {
    run('new', '--example', 'iris', '--out', 'e.nnproj', '--force');
    const result = run('eval', 'e.nnproj');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/train \(90 samples\): loss [\d.]+, accuracy/);
    expect(result.stdout).toMatch(/test \(30 samples\)/);
    expect(result.stdout).toMatch(/true \\ predicted\s+setosa\s+versicolor\s+virginica/);
    const json = JSON.parse(run('eval', 'e.nnproj', '--json').stdout);
    const matrix: number[][] = json.test.confusion.matrix;
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(30);
  });

  it('trace shows the formulas with the engine’s numbers', () => {
    run('new', '--example', 'three-two-one', '--out', 't.nnproj', '--force');
    const text = run('trace', 't.nnproj', '--sample', '0');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('s_y1 = 0.1·1 + (−0.2)·0 + 0.3·1 + 0.1 = 0.5;  z_y1 = sigmoid(0.5) = 0.6225');
    expect(text.stdout).toContain("δ_k = (t_k − z_k) φ'(s_k),  φ'(s) = z(1 − z)");
    expect(text.stdout).toContain('δ_z1 = (1 − 0.582)·0.2433 = 0.1017');
    expect(text.stdout).toContain('w(z1←y1): ∂J/∂w = −0.06329,  Δw = 0.03164,  0.5 → 0.5316');

    // --json is the documented trace format, the same text the inspector's JSON export writes.
    const json = run('trace', 't.nnproj', '--sample', '0', '--json').stdout;
    const session = openSession(readProject(join(dir, 't.nnproj')));
    const expected = traceStep(
      session.model,
      session.trainer.params,
      session.trainer.optimiserState,
      session.train,
      [0],
      session.trainer.hyperparameters,
    );
    expect(json).toBe(traceToJson(expected));
    const parsed = JSON.parse(json) as TraceJson;
    expect([parsed.format, parsed.version]).toEqual(['nnstudio-trace', 2]);
    expect(parsed.newParams).toEqual(Array.from(expected.newParams));
  });

  /** Iris without normalisation, with a split seed that shuffles row 0 into the training split but not to its front. */
  function shuffledIris(name: string) {
    const project = findExample('iris')!.create();
    project.normalisation = { method: 'none', fitted: null };
    project.hyperparameters = { ...project.hyperparameters, momentum: 0.9, l1: 0.002, l2: 0.03 };
    let seed = 1;
    while (splitIndices(150, { ...project.split, seed }).train.indexOf(0) < 1) seed++;
    project.split = { ...project.split, seed };
    writeFileSync(join(dir, name), serialiseProject(project));
    return { project, indices: splitIndices(150, project.split), full: resolveDataset(project.dataset) };
  }

  it('--sample is a row of the data as the file has it, whatever position the shuffle gave it', () => {
    const { indices, full } = shuffledIris('rows.nnproj');
    const position = indices.train.indexOf(0);
    expect(position).toBeGreaterThan(0);
    const fileRow0 = Array.from(full.x.subarray(0, 4));
    // The row at the training split's front is another row of the file: tracing it would be wrong.
    expect(Array.from(full.x.subarray(indices.train[0] * 4, indices.train[0] * 4 + 4))).not.toEqual(fileRow0);

    const json = JSON.parse(run('trace', 'rows.nnproj', '--sample', '0', '--json').stdout) as TraceJson;
    expect(json.samples[0].inputs.map((i) => i.value)).toEqual(fileRow0);
    expect(json.samples.map((s) => [s.row, s.split, s.label, s.position])).toEqual([[0, 'train', 'row 0 (training split)', position]]);
    const text = run('trace', 'rows.nnproj', '--sample', '0');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^One training step \(gradient descent\) on row 0 \(training split\);/);
    expect(text.stdout).toContain(`Inputs: ${full.features[0]} = ${Number(fileRow0[0].toPrecision(4))}, `);

    // A mini-batch of rows: each named by its row.
    const rows = [indices.train[3], 0, indices.train[1]];
    const batch = JSON.parse(run('trace', 'rows.nnproj', '--sample', rows.join(','), '--json').stdout) as TraceJson;
    expect(batch.samples.map((s) => s.row)).toEqual(rows);
    for (const s of batch.samples) expect(s.inputs.map((i) => i.value)).toEqual(Array.from(full.x.subarray(s.row * 4, s.row * 4 + 4)));
    const batchText = run('trace', 'rows.nnproj', '--sample', rows.join(',')).stdout;
    expect(batchText).toContain(`on a mini-batch of 3 samples: rows ${rows.join(', ')} (training split);`);
    for (const row of rows) expect(batchText).toContain(`── row ${row} (training split) ──`);
  });

  it('a row of the validation or test split is refused with the split it is in and training rows to choose', () => {
    const { indices } = shuffledIris('refuse.nnproj');
    const firstTraining = [...indices.train]
      .sort((a, b) => a - b)
      .slice(0, 10)
      .join(', ');
    const test = indices.test[0];
    expectCleanFailure(
      run('trace', 'refuse.nnproj', '--sample', String(test)),
      1,
      new RegExp(
        `^nnstudio: row ${test} is in the test split; the trace is of a training step, so choose a row of the training split: ${firstTraining}, …\\.\n$`,
      ),
    );
    const validation = indices.validation[0];
    expectCleanFailure(
      run('trace', 'refuse.nnproj', '--sample', `0,${validation}`),
      1,
      new RegExp(`row ${validation} is in the validation split`),
    );
    expectCleanFailure(run('trace', 'refuse.nnproj', '--sample', '150'), 1, /there is no row 150; the data has 150 rows \(0 to 149\)\./);
  });

  it('trace --json: δ per sample and its mean per unit; Δw as gradient, momentum, L1 and L2 parts', () => {
    const { indices } = shuffledIris('parts.nnproj');
    const rows = indices.train.slice(0, 3);
    const json = JSON.parse(run('trace', 'parts.nnproj', '--sample', rows.join(','), '--json').stdout) as TraceJson;
    expect([json.format, json.version, json.l1, json.l2, json.learningRate]).toEqual(['nnstudio-trace', 2, 0.002, 0.03, 0.05]);
    expect(json.units.length).toBe(json.samples[0].forward.length);
    for (const unit of json.units) {
      const deltas = json.samples.map((s) => s.backward.find((b) => b.nodeId === unit.nodeId && b.unit === unit.unit)!.delta);
      expect(unit.delta).toEqual(deltas);
      expect(unit.deltaMean).toBeCloseTo((deltas[0] + deltas[1] + deltas[2]) / 3, 15);
    }
    // Momentum's memory is zero in a fresh project; L1 and L2 by hand: −η λ₁ sign w and −η λ₂ w on weights from units.
    let regularised = 0;
    for (const u of json.updates) {
      expect(u.gradientPart + u.momentumPart + u.l1Part + u.l2Part).toBeCloseTo(u.change, 15);
      expect(u.old + u.change).toBe(u.new);
      if (u.kind === 'weight') {
        regularised++;
        expect(u.l1Part).toBeCloseTo(-0.05 * 0.002 * Math.sign(u.old), 17);
        expect(u.l2Part).toBeCloseTo(-0.05 * 0.03 * u.old, 17);
      } else expect([u.l1Part, u.l2Part]).toEqual([0, 0]);
    }
    expect(regularised).toBeGreaterThan(0);
  });

  it('trace of a project trained in fast precision shows the samples in float64, as exact precision does', () => {
    run('new', '--example', 'iris', '--out', 'exact-trace.nnproj', '--force');
    const project = readProject(join(dir, 'exact-trace.nnproj'));
    writeFileSync(
      join(dir, 'fast-trace.nnproj'),
      serialiseProject({ ...project, hyperparameters: { ...project.hyperparameters, precision: 'fast' } }),
    );
    const rows = splitIndices(150, project.split).train.slice(0, 2).join(',');
    const exact = JSON.parse(run('trace', 'exact-trace.nnproj', '--sample', rows, '--json').stdout) as TraceJson;
    const fast = JSON.parse(run('trace', 'fast-trace.nnproj', '--sample', rows, '--json').stdout) as TraceJson;
    // Iris's normalised features are not float32 numbers: bound in float32 they would differ here.
    expect(fast.samples).toEqual(exact.samples);
    expect(fast.updates).toEqual(exact.updates);
  });

  it('trace of a mini-batch, and bad sample numbers', () => {
    run('new', '--example', 'iris', '--out', 'tb.nnproj', '--force');
    const training = splitIndices(150, readProject(join(dir, 'tb.nnproj')).split).train;
    const batch = run('trace', 'tb.nnproj', '--sample', training.slice(0, 3).join(','));
    expect(batch.code).toBe(0);
    expect(batch.stdout).toMatch(/a mini-batch of 3 samples/);
    expect(batch.stdout).toMatch(/Mean loss over the batch/);
    expectCleanFailure(run('trace', 'tb.nnproj', '--sample', '150'), 1, /there is no row 150; the data has 150 rows \(0 to 149\)/);
    expectCleanFailure(run('trace', 'tb.nnproj', '--sample', '-1'), 2, /--sample/);
    expectCleanFailure(run('trace', 'tb.nnproj'), 2, /trace needs --sample N/);
  });
});

describe('export', () => {
  it('writes every format next to the project, atomically, and the ONNX file runs', async () => {
    run('new', '--example', 'iris', '--out', 'ex.nnproj', '--force');
    expect(run('train', 'ex.nnproj', '--epochs', '2', '--in-place', '--quiet').code).toBe(0);
    const expected: Record<string, string> = {
      onnx: 'ex.onnx',
      pytorch: 'ex.pytorch.py',
      keras: 'ex.keras.py',
      weights: 'ex.json',
      history: 'ex.csv',
      svg: 'ex.svg',
    };
    for (const [format, file] of Object.entries(expected)) {
      const result = run('export', 'ex.nnproj', '--to', format);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Wrote ${join(dir, file)}`);
    }
    expect(readFileSync(join(dir, 'ex.csv'), 'utf8').trim().split('\n')).toHaveLength(3); // header and 2 epochs
    expect(readFileSync(join(dir, 'ex.svg'), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(JSON.parse(readFileSync(join(dir, 'ex.json'), 'utf8')).format).toBe('nnstudio-weights');
    expect(readFileSync(join(dir, 'ex.pytorch.py'), 'utf8')).toContain('class Network(nn.Module)');
    // The bytes on disk are a model ONNX Runtime loads, and it agrees with the engine.
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(readFileSync(join(dir, 'ex.onnx')));
    const output = await session.run({ input: new ort.Tensor('float32', Float32Array.from([5.1, 3.5, 1.4, 0.2]), [1, 4]) });
    const probabilities = Array.from(output.output.data as Float32Array);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const project = readProject(join(dir, 'ex.nnproj'));
    const engine = openSession(project, 'evaluate');
    const stats = engine.data.normalisation.features;
    const x = [5.1, 3.5, 1.4, 0.2].map((v, f) => (v - stats[f].shift) / stats[f].scale);
    const { predict } = await import('../engine/src/index');
    predict(engine.model, engine.trainer.params, x).forEach((p, k) => expect(probabilities[k]).toBeCloseTo(p, 5));
  });

  it('--out, --precision, and refusing to overwrite without --force', () => {
    run('new', '--example', 'xor-sigmoid', '--out', 'ex2.nnproj', '--force');
    expect(run('export', 'ex2.nnproj', '--to', 'onnx', '--out', 'model.onnx', '--precision', 'float64').code).toBe(0);
    const first = readFileSync(join(dir, 'model.onnx'));
    writeFileSync(join(dir, 'model.onnx'), 'mine');
    expectCleanFailure(
      run('export', 'ex2.nnproj', '--to', 'onnx', '--out', 'model.onnx'),
      1,
      /model\.onnx already exists; use --force to replace it/,
    );
    expect(readFileSync(join(dir, 'model.onnx'), 'utf8')).toBe('mine');
    expect(run('export', 'ex2.nnproj', '--to', 'onnx', '--out', 'model.onnx', '--force', '--precision', 'float64').code).toBe(0);
    expect(readFileSync(join(dir, 'model.onnx'))).toEqual(first);
    // float32 weights take half the bytes of float64.
    expect(run('export', 'ex2.nnproj', '--to', 'onnx', '--out', 'model32.onnx').code).toBe(0);
    expect(readFileSync(join(dir, 'model32.onnx')).length).toBeLessThan(first.length);
  });

  it('bad usage: one line and exit 2; a bad file or network: one line and exit 1', () => {
    run('new', '--example', 'xor-sigmoid', '--out', 'ex3.nnproj', '--force');
    expectCleanFailure(run('export', 'ex3.nnproj'), 2, /export needs --to FORMAT \(one of onnx, pytorch, keras, weights, history, svg\)/);
    expectCleanFailure(run('export', 'ex3.nnproj', '--to', 'png'), 2, /no export format 'png'/);
    expectCleanFailure(run('export', '--to', 'onnx'), 2, /export needs a project file/);
    expectCleanFailure(run('export', 'ex3.nnproj', '--to', 'svg', '--precision', 'float64'), 2, /--precision applies to --to onnx only/);
    expectCleanFailure(
      run('export', 'ex3.nnproj', '--to', 'onnx', '--precision', 'half'),
      2,
      /--precision is float32 or float64, got 'half'/,
    );
    expectCleanFailure(
      run('export', 'ex3.nnproj', '--to', 'onnx', '--out', 'ex3.nnproj', '--force'),
      2,
      /--out names the project file itself/,
    );
    expectCleanFailure(run('export', 'missing.nnproj', '--to', 'onnx'), 1, /missing\.nnproj: no such file or folder/);
    expectCleanFailure(
      run('export', 'ex3.nnproj', '--to', 'weights', '--out', 'no/such/dir/w.json'),
      1,
      /could not save: no such file or folder/,
    );
    const project = readProject(join(dir, 'ex3.nnproj'));
    project.graph.edges = project.graph.edges.filter((e) => e.target !== 'y');
    writeFileSync(join(dir, 'unfed.nnproj'), JSON.stringify(project));
    expectCleanFailure(run('export', 'unfed.nnproj', '--to', 'onnx'), 1, /does not compile.*'y' has no incoming edge/);
    expect(existsSync(join(dir, 'unfed.onnx'))).toBe(false);
  });
});

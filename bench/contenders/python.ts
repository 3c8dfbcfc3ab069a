/**
 * The contenders written in Python (pytorch.py, scikit_learn.py), run by /usr/bin/python3 — Debian's
 * interpreter, the one python3-torch and python3-sklearn install into (the `python3` on PATH may
 * be another). The workload's data and initial weights go to the script as float64 files, and its
 * predictions come back the same way, so the final loss is the same `meanLoss` as everyone's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { meanLoss, type Workload, type WorkloadData } from '../workloads';

export const PYTHON = '/usr/bin/python3';

/** Each Python contender: its script and arguments, and the threads its maths libraries may use. */
export const PYTHON_CONTENDERS = {
  'pytorch-f32-1t': { script: 'pytorch.py', args: ['--dtype', 'float32', '--threads', '1'], threads: 1 },
  'pytorch-f32-2t': { script: 'pytorch.py', args: ['--dtype', 'float32', '--threads', '2'], threads: 2 },
  'pytorch-f64-1t': { script: 'pytorch.py', args: ['--dtype', 'float64', '--threads', '1'], threads: 1 },
  sklearn: { script: 'scikit_learn.py', args: [], threads: 1 },
} as const;
export type PythonContender = keyof typeof PYTHON_CONTENDERS;

/** The exit status with which a script says its module is missing (pybench.py). */
const SKIPPED = 3;

function bytes(array: Float64Array): Buffer {
  // Float64Array is in the machine's order; every machine this runs on is little-endian, as numpy's '<f8'.
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * Runs a Python contender on the workload; returns its result line (with the final loss added),
 * or `{ skipped }` with one sentence when Python or its module is missing.
 */
export function runPython(
  id: PythonContender,
  workload: Workload,
  data: WorkloadData,
  initial: { w: Float64Array; b: Float64Array }[],
  runs: number,
): Record<string, unknown> {
  if (!existsSync(PYTHON))
    return { skipped: `skipped: ${PYTHON} is missing (Debian's python3 with python3-torch and python3-sklearn runs these contenders).` };
  const { script, args, threads } = PYTHON_CONTENDERS[id];
  const directory = mkdtempSync(join(tmpdir(), 'nnstudio-bench-'));
  try {
    const spec = { ...workload, samples: data.samples, inputs: data.inputs, outputs: data.outputs };
    writeFileSync(join(directory, 'spec.json'), JSON.stringify(spec));
    writeFileSync(join(directory, 'x.bin'), bytes(data.x));
    writeFileSync(join(directory, 'y.bin'), bytes(data.y));
    initial.forEach(({ w, b }, l) => {
      writeFileSync(join(directory, `w${l}.bin`), bytes(w));
      writeFileSync(join(directory, `b${l}.bin`), bytes(b));
    });
    const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
    // The BLAS and OpenMP pools get the contender's threads, so "1 thread" means one core.
    const env = {
      ...process.env,
      OMP_NUM_THREADS: String(threads),
      OPENBLAS_NUM_THREADS: String(threads),
      MKL_NUM_THREADS: String(threads),
    };
    const result = spawnSync(PYTHON, [path, directory, String(runs), ...args], { encoding: 'utf8', env, maxBuffer: 16 * 1024 * 1024 });
    const lastError = result.stderr.trim().split('\n').at(-1) ?? '';
    if (result.status === SKIPPED) return { skipped: lastError };
    const line = result.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .at(-1);
    if (result.status !== 0 || !line) throw new Error(`${id}: ${lastError || `exit ${result.status}`}`);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const raw = readFileSync(join(directory, 'predictions.bin'));
    // A copy, so the doubles start on an 8-byte boundary whatever Buffer's pool did.
    const predictions = new Float64Array(Uint8Array.from(raw).buffer);
    return { ...parsed, finalLoss: meanLoss(workload, predictions, data) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The optimisers' WebAssembly SIMD steps (engine/wasm/optimiser-steps.ts, `step_<name>`, in both
 * the float64 and the float32 products' modules) against the registry's own steps
 * (engine/src/train/optimisers.ts), bit for bit: every optimiser, with and without momentum, L1
 * and L2, odd lengths (the scalar tail), and the trainer that uses them in either precision.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWasmArena, createWasmArena32 } from '../engine/src/fast/wasm-gemm';
import type { VectorSteps } from '../engine/src/fast/gradient-kernel';
import {
  OPTIMISERS,
  OPTIMISER_NAMES,
  freshOptimiserState,
  vectorStep,
  type FastStepInput,
  type OptimiserHyperparameters,
  type OptimiserName,
  type OptimiserState,
} from '../engine/src/train/optimisers';
import { DEFAULT_HYPERPARAMETERS, Trainer, createRng, type Hyperparameters } from '../engine/src/index';
import { BatchedKernel } from '../engine/src/fast/batched';
import { wideProblem } from './support/wide-network';

afterEach(() => vi.restoreAllMocks());

const HYPER: OptimiserHyperparameters = {
  learningRate: 0.05,
  l1: 0,
  l2: 0,
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  rho: 0.9,
  epsilon: 1e-8,
};

/** What the tests need of an arena: float64 vectors inside it, and its steps. */
interface StepArena {
  allocate64(length: number): Float64Array;
  vectorSteps: VectorSteps;
}

/** The two modules that carry the steps, each with an arena of 64k numbers. */
const ARENAS: Record<'float64' | 'float32', () => StepArena> = {
  float64() {
    const made = createWasmArena(1 << 16);
    if (!made) throw new Error('This runtime has no WebAssembly SIMD: the kernels cannot run here.');
    return { allocate64: (length) => made.allocate(length), vectorSteps: made.vectorSteps };
  },
  float32() {
    const made = createWasmArena32(1 << 16, { relaxed: false });
    if (!made) throw new Error('This runtime has no WebAssembly SIMD: the fast precision cannot run here.');
    return made;
  },
};

const arena = ARENAS.float32;

/** Two identical copies of a problem: one the registry steps, one the SIMD steps (its vectors in `where`). */
function twins(kind: OptimiserName, n: number, seed: number, where: StepArena) {
  const rng = createRng(seed);
  const params = Float64Array.from({ length: n }, (_, p) => (p % 17 === 0 ? 0 : rng.next() * 2 - 1));
  const regularised = Uint8Array.from({ length: n }, (_, p) => (p % 5 === 0 ? 0 : 1));
  const make = (allocate: (length: number) => Float64Array) => {
    const input: FastStepInput = {
      params: allocate(n),
      grad: allocate(n),
      locked: new Uint8Array(n),
      regularised,
      anyLocked: false,
      hyper: HYPER,
    };
    input.params.set(params);
    return { input, state: freshOptimiserState(kind, n, allocate) };
  };
  return { reference: make((length) => new Float64Array(length)), simd: make((length) => where.allocate64(length)), rng };
}

function expectSameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  const a = new BigUint64Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new BigUint64Array(expected.buffer, expected.byteOffset, expected.length);
  for (let p = 0; p < e.length; p++) if (a[p] !== e[p]) expect(`${what}[${p}] = ${actual[p]}`).toBe(`${what}[${p}] = ${expected[p]}`);
}

function expectSameState(
  simd: { input: FastStepInput; state: OptimiserState },
  reference: { input: FastStepInput; state: OptimiserState },
  what: string,
) {
  expectSameBits(simd.input.params, reference.input.params, `${what} w`);
  simd.state.slots.forEach((slot, k) => expectSameBits(slot, reference.state.slots[k], `${what} slot ${k}`));
  expect(simd.state.step).toBe(reference.state.step);
}

describe('the SIMD steps equal the registry steps bit for bit', () => {
  const settings: { name: string; hyper: Partial<OptimiserHyperparameters> }[] = [
    { name: 'defaults', hyper: {} },
    { name: 'no momentum', hyper: { momentum: 0 } },
    { name: 'L1 and L2', hyper: { l1: 1e-3, l2: 1e-2 } },
    { name: 'L2 without momentum', hyper: { momentum: 0, l2: 1e-2 } },
  ];
  // An optimiser without a SIMD step (`vector` in its entry) trains through its own step alone.
  for (const kind of OPTIMISER_NAMES.filter((name) => 'vector' in OPTIMISERS[name])) {
    for (const { name, hyper } of settings) {
      it.each(['float64', 'float32'] as const)(`${kind}, ${name}, 12 steps over 1,001 parameters, the %s module`, (module) => {
        const where = ARENAS[module]();
        const { reference, simd, rng } = twins(kind, 1001, 7, where);
        reference.input.hyper = simd.input.hyper = { ...HYPER, ...hyper };
        for (let step = 0; step < 12; step++) {
          for (let p = 0; p < 1001; p++) {
            // Zeros and tiny gradients as well as ordinary ones, so signs of zero and sqrt(0) are covered.
            const g = p % 13 === 0 ? 0 : (rng.next() - 0.5) * (p % 7 === 0 ? 1e-9 : 1);
            reference.input.grad[p] = g;
            simd.input.grad[p] = g;
          }
          OPTIMISERS[kind].step(reference.input, reference.state);
          expect(vectorStep(simd.input, simd.state, where.vectorSteps)).toBe(true);
          expectSameState(simd, reference, `${kind} step ${step + 1}`);
        }
      });
    }
  }
});

describe('where the SIMD step cannot run, it changes nothing and says so', () => {
  it('a locked parameter leaves the step to the registry', () => {
    const where = arena();
    const { simd } = twins('adam', 64, 3, where);
    simd.input.anyLocked = true;
    simd.input.grad.fill(0.5);
    const before = Float64Array.from(simd.input.params);
    expect(vectorStep(simd.input, simd.state, where.vectorSteps)).toBe(false);
    expectSameBits(simd.input.params, before, 'w');
    expect(simd.state.step).toBe(0);
  });

  it('a vector outside the arena leaves the gradient as it was, L2 not added', () => {
    const where = arena();
    const { simd } = twins('sgd', 64, 3, where);
    simd.input.hyper = { ...HYPER, l2: 0.1 };
    simd.state.slots[0] = new Float64Array(64);
    simd.input.grad.fill(0.25);
    expect(vectorStep(simd.input, simd.state, where.vectorSteps)).toBe(false);
    expect(Array.from(simd.input.grad).every((g) => g === 0.25)).toBe(true);
    expect(where.vectorSteps.reaches('sgd', simd.input.params, simd.input.grad, simd.state.slots)).toBe(false);
    expect(() => where.vectorSteps.run('sgd', simd.input.params, simd.input.grad, simd.state.slots, new Float64Array(6))).toThrow(
      /cannot reach/,
    );
  });

  it('vectors of different lengths, or a step the module lacks, are refused', () => {
    const where = arena();
    const params = where.allocate64(10);
    const grad = where.allocate64(9);
    expect(where.vectorSteps.reaches('sgd', params, grad, [where.allocate64(10)])).toBe(false);
    expect(where.vectorSteps.reaches('lion', params, where.allocate64(10), [where.allocate64(10)])).toBe(false);
    expect(
      vectorStep(
        { params, grad, locked: new Uint8Array(10), regularised: new Uint8Array(10), anyLocked: false, hyper: HYPER },
        freshOptimiserState('sgd', 10),
        null,
      ),
    ).toBe(false);
  });
});

describe('the trainer', () => {
  function setup(optimiser: OptimiserName, precision: 'exact' | 'fast' = 'fast') {
    const { model, params, data } = wideProblem({ features: 120, hidden: 48, classes: 6, rows: 192, dataSeed: 21, initSeed: 4 });
    const hyper: Hyperparameters = {
      ...DEFAULT_HYPERPARAMETERS,
      loss: 'crossEntropy',
      mode: 'minibatch',
      batchSize: 32,
      learningRate: 0.02,
      momentum: 0.9,
      l2: 1e-3,
      optimiser,
      precision,
    };
    return { model, params, train: data, hyper };
  }

  for (const [optimiser, precision] of [
    ['sgd', 'fast'],
    ['adam', 'fast'],
    ['adam', 'exact'],
  ] as const) {
    it(`takes ${optimiser}'s steps in SIMD in ${precision} precision, with the numbers the registry's step gives`, () => {
      const simd = new Trainer(setup(optimiser, precision));
      const reference = new Trainer(setup(optimiser, precision));
      expect(simd.precision).toBe(precision);
      expect(simd.kernel).toBeInstanceOf(BatchedKernel);
      expect(simd.kernel.vectorSteps).not.toBeNull();
      // The reference trainer's kernel offers no SIMD steps, so the registry's step runs there.
      Object.defineProperty(reference.kernel, 'vectorSteps', { value: null });
      const registryStep = vi.spyOn(OPTIMISERS[optimiser], 'step');
      simd.run({ epochs: 3 });
      expect(registryStep).not.toHaveBeenCalled();
      reference.run({ epochs: 3 });
      expect(registryStep).toHaveBeenCalled();
      expectSameBits(simd.params, reference.params, 'w');
      simd.optimiserState.slots.forEach((slot, k) => expectSameBits(slot, reference.optimiserState.slots[k], `slot ${k}`));
    });
  }

  it('keeps the SIMD steps after switching optimiser back and forth (the memory stays in the arena)', () => {
    const { hyper, ...rest } = setup('sgd');
    const trainer = new Trainer({ ...rest, hyper });
    trainer.run({ epochs: 1 });
    trainer.setHyperparameters({ ...hyper, optimiser: 'adam' });
    trainer.setHyperparameters({ ...hyper, optimiser: 'rmsprop' });
    trainer.setHyperparameters({ ...hyper, optimiser: 'adam' });
    expect(trainer.optimiserState.step).toBe(0);
    expect(trainer.optimiserState.slots.every((slot) => slot.every((v) => v === 0))).toBe(true);
    const registryStep = vi.spyOn(OPTIMISERS.adam, 'step');
    trainer.run({ epochs: 1 });
    expect(registryStep).not.toHaveBeenCalled();
    expect(trainer.optimiserState.step).toBe(6);
  });

  it('a memory given back by setState is copied into the arena, so the SIMD steps go on', () => {
    const trainer = new Trainer(setup('adam'));
    trainer.run({ epochs: 1 });
    const saved = trainer.state();
    trainer.run({ epochs: 1 });
    trainer.setState(saved);
    const registryStep = vi.spyOn(OPTIMISERS.adam, 'step');
    trainer.run({ epochs: 1 });
    expect(registryStep).not.toHaveBeenCalled();
  });
});

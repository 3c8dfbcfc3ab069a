/**
 * The optimiser registry held to its oracle and to the lecture's arithmetic: for every optimiser
 * and every gradient kernel, the readable per-parameter step of the trace equals the trainer's fast
 * step to 1e-12 (weights and memory, over several steps from a memory that is not zero); Δw's
 * parts add up to it; one Adam step worked by hand; the memory survives save and reopen bit for
 * bit; the settings are refused outside their ranges. torch.optim's trajectories are in
 * test/export-python.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  OPTIMISERS,
  OPTIMISER_NAMES,
  OPTIMISER_SETTINGS,
  OPTIMISER_SETTING_NAMES,
  Trainer,
  TrainingSetupError,
  checkHyperparameters,
  copyOptimiserState,
  createRng,
  findExample,
  freshOptimiserState,
  openSession,
  parseProject,
  projectFromSession,
  serialiseProject,
  traceStep,
  traceToCsv,
  traceToLatex,
  traceToMarkdown,
  traceToText,
  type Hyperparameters,
  type OptimiserName,
  type OptimiserState,
} from '../engine/src/index';
import { randomProblem } from './support/random-dag';

const TOLERANCE = 1e-12;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= TOLERANCE * scale))
      throw new Error(`${what}[${i}]: trace ${actual[i]}, trainer ${expected[i]}`);
  }
}

/** Settings in each optimiser's usual range, drawn from `rng`. */
function randomHyper(optimiser: OptimiserName, rng: ReturnType<typeof createRng>, seed: number): Hyperparameters {
  return {
    ...DEFAULT_HYPERPARAMETERS,
    optimiser,
    mode: 'minibatch',
    batchSize: 3,
    learningRate: rng.uniform(0.001, 0.3),
    momentum: rng.uniform(0, 0.95),
    beta1: rng.uniform(0.5, 0.95),
    beta2: rng.uniform(0.9, 0.9999),
    rho: rng.uniform(0.5, 0.99),
    epsilon: 10 ** -rng.uniform(4, 10),
    l1: rng.uniform(0, 0.05),
    l2: rng.uniform(0, 0.05),
    shuffleSeed: seed,
  };
}

/** A memory that is not a fresh one: some steps taken, every slot non-zero (second moments positive). */
function usedMemory(optimiser: OptimiserName, paramCount: number, rng: ReturnType<typeof createRng>): OptimiserState {
  const state = freshOptimiserState(optimiser, paramCount);
  state.step = 1 + Math.floor(rng.uniform(0, 5));
  OPTIMISERS[optimiser].slots.forEach((slot, k) => {
    const squares = slot.key === 'meanSquare' || slot.key === 'sumOfSquares';
    for (let p = 0; p < paramCount; p++) state.slots[k][p] = squares ? rng.uniform(0, 0.05) : rng.normal() * 0.1;
  });
  return state;
}

describe('every optimiser: the trace = the trainer, on every kernel', () => {
  for (const optimiser of OPTIMISER_NAMES) {
    for (const kernel of ['interpreted', 'generated', 'batched'] as const) {
      it(`${OPTIMISERS[optimiser].label}, ${kernel} kernel: four steps from a used memory, weights and memory to 1e-12`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom<'sample' | 'batch'>('sample', 'batch'), (seed, unit) => {
            const loss = seed % 2 === 0 ? 'crossEntropy' : 'squaredError';
            const { model, params, data } = randomProblem(seed, loss, 7);
            const rng = createRng(seed);
            const hyper = { ...randomHyper(optimiser, rng, seed), loss } as Hyperparameters;
            const trainer = new Trainer({ model, params, train: data, hyper, kernel });
            expect(trainer.kernel.kind).toBe(kernel);
            const start = usedMemory(optimiser, model.paramCount, rng);
            trainer.optimiserState = copyOptimiserState(start);

            let traced = Float64Array.from(trainer.params);
            let memory = start;
            for (let step = 0; step < 4; step++) {
              const indices = trainer.nextBatch(unit);
              const trace = traceStep(model, traced, memory, data, indices, hyper);
              trainer.step(unit);
              expectClose(trace.newParams, trainer.params, `step ${step + 1} params`);
              expect(trace.newOptimiserState.step).toBe(trainer.optimiserState.step);
              trace.newOptimiserState.slots.forEach((slot, k) =>
                expectClose(slot, trainer.optimiserState.slots[k], `step ${step + 1} slot ${k}`),
              );
              // The parts of every Δw add up to it.
              for (const u of trace.updates) {
                if (u.locked) continue;
                const sum = u.gradientPart + u.momentumPart + u.l1Part + u.l2Part;
                expect(Math.abs(sum - u.change)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(u.change)));
              }
              traced = Float64Array.from(trace.newParams);
              memory = trace.newOptimiserState;
            }
            expect(trainer.optimiserState.step).toBe(start.step + 4);
          }),
          { numRuns: 25, seed: 11 },
        );
      });
    }
  }
});

describe('the optimisers by hand', () => {
  it('one Adam step of one weight, worked from the formulas with its numbers', () => {
    // g = 0.4 (∂J/∂w = 0.3 plus λ₂ w = 0.5 · 0.2), t = 3, m(r−1) = 0.1, v(r−1) = 0.02.
    const hyper = { ...DEFAULT_HYPERPARAMETERS, learningRate: 0.01, l1: 0, l2: 0.5, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    const step = OPTIMISERS.adam.explain({ dJdw: 0.3, w: 0.2, regularised: true, memory: [0.1, 0.02], t: 3, hyper });
    const m = 0.9 * 0.1 + 0.1 * 0.4; // 0.13
    const v = 0.999 * 0.02 + 0.001 * 0.16; // 0.02014
    const mHat = 0.13 / (1 - 0.9 ** 3); // 0.13 / 0.271
    const vHat = 0.02014 / (1 - 0.999 ** 3);
    expect(step.g).toBeCloseTo(0.4, 15);
    expect(step.memory[0]).toBeCloseTo(m, 15);
    expect(step.memory[1]).toBeCloseTo(v, 15);
    expect(step.quantities.map((q) => q.symbol)).toEqual(['m', 'v', 'm̂', 'v̂']);
    expect(step.quantities[2].value).toBeCloseTo(mHat, 14);
    expect(step.quantities[3].value).toBeCloseTo(vHat, 12);
    expect(step.change).toBeCloseTo((-0.01 * mHat) / (Math.sqrt(vHat) + 1e-8), 15);
    // The parts: this step's ∂J/∂w, L2's λ₂ w, and the memory m(r−1), each through the same factor.
    const factor = -0.01 / ((1 - 0.9 ** 3) * (Math.sqrt(vHat) + 1e-8));
    expect(step.parts.gradient).toBeCloseTo(factor * 0.1 * 0.3, 15);
    expect(step.parts.l2).toBeCloseTo(factor * 0.1 * 0.1, 15);
    expect(step.parts.memory).toBeCloseTo(factor * 0.9 * 0.1, 15);
  });

  it("Nesterov's step is the momentum step taken from where momentum is about to go", () => {
    const hyper = { ...DEFAULT_HYPERPARAMETERS, learningRate: 0.1, momentum: 0.9, l1: 0, l2: 0 };
    const step = OPTIMISERS.nesterov.explain({ dJdw: 2, w: 1, regularised: true, memory: [-0.5], t: 1, hyper });
    // v(r) = 0.9 · (−0.5) − 0.1 · 2 = −0.65; Δw = −0.1 · 2 + 0.9 · (−0.65) = −0.785.
    expect(step.memory[0]).toBeCloseTo(-0.65, 15);
    expect(step.change).toBeCloseTo(-0.785, 15);
    const sgd = OPTIMISERS.sgd.explain({ dJdw: 2, w: 1, regularised: true, memory: [-0.5], t: 1, hyper });
    expect(sgd.change).toBeCloseTo(-0.65, 15);
  });

  it('AdaGrad and RMSprop divide by the root of their memory of g²', () => {
    const hyper = { ...DEFAULT_HYPERPARAMETERS, learningRate: 0.1, rho: 0.9, epsilon: 1e-8, l1: 0, l2: 0 };
    const adagrad = OPTIMISERS.adagrad.explain({ dJdw: 3, w: 0, regularised: false, memory: [16], t: 2, hyper });
    expect(adagrad.memory[0]).toBe(25);
    expect(adagrad.change).toBeCloseTo((-0.1 * 3) / (5 + 1e-8), 15);
    const rmsprop = OPTIMISERS.rmsprop.explain({ dJdw: 3, w: 0, regularised: false, memory: [1], t: 2, hyper });
    expect(rmsprop.memory[0]).toBeCloseTo(0.9 + 0.1 * 9, 15);
    expect(rmsprop.change).toBeCloseTo((-0.1 * 3) / (Math.sqrt(1.8) + 1e-8), 15);
  });
});

describe('the optimiser in a project', () => {
  it('Adam trained 3 epochs, saved, reopened and trained 4 more = 7 epochs in one run, bit for bit', () => {
    const base = findExample('iris')!.create();
    const project = { ...base, hyperparameters: { ...base.hyperparameters, optimiser: 'adam' as const, learningRate: 0.01 } };
    const whole = openSession(project, 'train');
    whole.trainer.run({ epochs: 7 });

    const first = openSession(project, 'train');
    first.trainer.run({ epochs: 3 });
    const saved = parseProject(serialiseProject(projectFromSession(project, first)));
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.project.training.optimiser?.kind).toBe('adam');
    expect(Object.keys(saved.project.training.optimiser!.slots)).toEqual(['mean', 'meanSquare']);
    expect(saved.project.training.optimiser!.step).toBe(first.trainer.optimiserState.step);
    const second = openSession(saved.project, 'train');
    expect(second.notices).toEqual([]);
    second.trainer.run({ epochs: 4 });
    expect(Array.from(second.trainer.params)).toEqual(Array.from(whole.trainer.params));
    expect(second.trainer.optimiserState.step).toBe(whole.trainer.optimiserState.step);
    second.trainer.optimiserState.slots.forEach((slot, k) =>
      expect(Array.from(slot)).toEqual(Array.from(whole.trainer.optimiserState.slots[k])),
    );
  });

  it("another optimiser than the saved memory's starts fresh, keeps the rest of the state, and says so", () => {
    const base = findExample('iris')!.create();
    const first = openSession(base, 'train');
    first.trainer.run({ epochs: 2 });
    const saved = projectFromSession(base, first);
    const switched = { ...saved, hyperparameters: { ...saved.hyperparameters, optimiser: 'rmsprop' as const } };
    const session = openSession(switched, 'train');
    expect(session.notices).toHaveLength(1);
    expect(session.notices[0]).toMatch(/Gradient descent's; RMSprop starts with its own memory fresh/);
    expect(session.trainer.optimiserState.kind).toBe('rmsprop');
    expect(session.trainer.optimiserState.step).toBe(0);
    expect(session.trainer.epoch).toBe(2);
    expect(session.trainer.nextBatch('batch')).toEqual(first.trainer.nextBatch('batch'));
  });

  it('changing the optimiser between steps gives the new one a fresh memory; a wrong memory is refused', () => {
    const session = openSession(findExample('iris')!.create(), 'train');
    session.trainer.step('batch');
    expect(session.trainer.optimiserState.kind).toBe('sgd');
    session.trainer.setHyperparameters({ ...session.trainer.hyperparameters, optimiser: 'adam' });
    expect(session.trainer.optimiserState.kind).toBe('adam');
    expect(session.trainer.optimiserState.slots.every((slot) => slot.every((v) => v === 0))).toBe(true);
    const wrong = freshOptimiserState('sgd', session.model.paramCount);
    expect(() => session.trainer.countStepByHand([0], session.trainer.params, wrong)).toThrow(
      "A step by hand's optimiser memory does not fit: it is Gradient descent's memory, and training uses Adam.",
    );
    expect(() => traceStep(session.model, session.trainer.params, wrong, session.train, [0], session.trainer.hyperparameters)).toThrow(
      /optimiser's memory does not fit the step/,
    );
  });
});

describe('the optimiser settings', () => {
  it('each setting is refused outside its range with one sentence naming it, and the schema agrees', () => {
    for (const name of OPTIMISER_SETTING_NAMES) {
      const bad = OPTIMISER_SETTINGS[name].range === 'fraction' ? [1, -0.1, Number.NaN] : [0, -1e-9, Number.POSITIVE_INFINITY];
      for (const value of bad) {
        const issues = checkHyperparameters({ ...DEFAULT_HYPERPARAMETERS, [name]: value });
        expect(issues).toHaveLength(1);
        expect(issues[0].field).toBe(name);
        expect(issues[0].message).toMatch(new RegExp(`^${OPTIMISER_SETTINGS[name].noun.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} must be `));
      }
      expect(checkHyperparameters({ ...DEFAULT_HYPERPARAMETERS, [name]: OPTIMISER_SETTINGS[name].default })).toEqual([]);
    }
    const unknown = checkHyperparameters({ ...DEFAULT_HYPERPARAMETERS, optimiser: 'lbfgs' as OptimiserName });
    expect(unknown.map((i) => i.message)).toEqual(["Unknown optimiser 'lbfgs'; use sgd, nesterov, adagrad, rmsprop, adam."]);
  });

  it('a trainer refuses settings out of range before any step', () => {
    const { model, params, data } = randomProblem(5, 'squaredError', 4);
    expect(() => new Trainer({ model, params, train: data, hyper: { ...DEFAULT_HYPERPARAMETERS, optimiser: 'adam', beta2: 1 } })).toThrow(
      TrainingSetupError,
    );
  });
});

describe("every optimiser in the trace's text and exports", () => {
  for (const optimiser of OPTIMISER_NAMES) {
    it(`${OPTIMISERS[optimiser].label}: the text, Markdown, LaTeX and CSV name it, give its settings and its numbers`, () => {
      const { model, params, data } = randomProblem(3, 'squaredError', 4);
      const hyper: Hyperparameters = { ...DEFAULT_HYPERPARAMETERS, optimiser, l2: 0.01, momentum: 0.5 };
      const trace = traceStep(model, params, usedMemory(optimiser, model.paramCount, createRng(3)), data, [0, 1], hyper);
      const text = traceToText(trace);
      const markdown = traceToMarkdown(trace);
      const latex = traceToLatex(trace);
      const csv = traceToCsv(trace);
      for (const out of [text, markdown, latex, csv]) expect(out).not.toMatch(/undefined|NaN|\[object/);
      expect(text).toContain(OPTIMISERS[optimiser].formula);
      // Gradient descent keeps the lecture's own form of the rule; the others show theirs.
      expect(markdown).toContain(optimiser === 'sgd' ? 'Δw_ji = −η ∂J/∂w_ji + α Δw_ji(r−1)' : OPTIMISERS[optimiser].formula.split(',')[0]);
      for (const name of OPTIMISERS[optimiser].settings) {
        expect(text).toContain(`${OPTIMISER_SETTINGS[name].symbol} = ${hyper[name]}`);
        expect(latex).toContain(OPTIMISER_SETTINGS[name].latex);
      }
      // Each optimiser's own numbers appear with the value the trace computed, in the text and the CSV.
      const first = trace.updates.find((u) => !u.locked)!;
      for (const quantity of first.quantities) {
        expect(csv).toContain(`${quantity.symbol},${quantity.label},${quantity.value}`);
      }
      expect(csv).toContain(`,${first.change}\r\n`);
    });
  }
});

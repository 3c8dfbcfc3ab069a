/**
 * Every entry of the loss registry held to computations of its own: J against the textbook formula
 * at moderate values and against a log-domain reference where the outputs saturate, ∂J/∂s against
 * central differences of J for every pairing the registry allows, the cancel flag against the
 * identity it promises, the generated kernel's code against the functions, and the pairings
 * against the lecture's rule and the compiler.
 */
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../compile/compile';
import { HyperparametersSchema } from '../project/schema';
import { assertNever } from '../util/never';
import { DEFAULT_HYPERPARAMETERS, checkHyperparameters } from '../train/train';
import { ACTIVATIONS, ACTIVATION_NAMES, ELEMENTWISE, isElementwise, softmaxBackward, softmaxForward, type Activation } from './activations';
import type { Graph } from './graph';
import {
  LOSSES,
  LOSS_NAMES,
  activationsForLoss,
  cancelledTargetSum,
  cancelsDerivative,
  formActivations,
  lossForm,
  outputLoss,
  type LossForm,
  type LossName,
} from './losses';

/** Every (loss, activation) pair the registry allows, with its form. */
const PAIRINGS = LOSS_NAMES.flatMap((loss) =>
  activationsForLoss(loss).map((activation) => ({ loss, activation, form: lossForm(loss, activation)! })),
);

/** z = φ(s) for a layer of `activation`. */
function activate(activation: Activation, s: readonly number[]): number[] {
  if (!isElementwise(activation)) {
    const z = new Array<number>(s.length);
    softmaxForward(s, z, 0, s.length);
    return z;
  }
  return s.map((v) => ELEMENTWISE[activation].forward(v));
}

/** ln(1 + x) for x ≥ 0 without log1p: its series where 1 + x would round, Math.log elsewhere. */
function lnOnePlus(x: number): number {
  if (x >= 0.01) return Math.log(1 + x);
  let sum = 0;
  let power = x;
  for (let n = 1; n <= 10; n++) {
    sum += (n % 2 === 1 ? power : -power) / n;
    power *= x;
  }
  return sum;
}

/** ln(1 + e^x) in the log domain, for any x. */
const lnOnePlusExp = (x: number) => (x > 0 ? x + lnOnePlus(Math.exp(-x)) : lnOnePlus(Math.exp(x)));

/** Each unit's term of J for a layer's s, z and targets t. */
type Terms = (s: readonly number[], z: readonly number[], t: readonly number[]) => number[];

/**
 * The textbook terms of each form, straight from the lecture's formulas in the outputs z the
 * activation gave (the forms compute from s, as the sigmoid's or softmax's z: an activation paired
 * with a form whose z is not that fails here). A form added to the registry needs its own here.
 */
const NAIVE: Record<string, Terms> = {
  'squared error': (_s, z, t) => t.map((tk, k) => 0.5 * Math.pow(tk - z[k], 2)),
  'categorical cross-entropy': (_s, z, t) => t.map((tk, k) => -tk * Math.log(z[k])),
  'binary cross-entropy': (_s, z, t) => t.map((tk, k) => -(tk * Math.log(z[k]) + (1 - tk) * Math.log(1 - z[k]))),
};

/** The same terms in the log domain, finite and precise however far the outputs saturate. */
const LOG_DOMAIN: Record<string, Terms> = {
  'squared error': (_s, z, t) => t.map((tk, k) => 0.5 * (tk - z[k]) * (tk - z[k])),
  'categorical cross-entropy': (s, _z, t) => {
    // −ln z_k = ln Σ_m e^(s_m) − s_k, with the sum taken relative to the largest s.
    let top = 0;
    for (let m = 1; m < s.length; m++) if (s[m] > s[top]) top = m;
    let rest = 0;
    for (let m = 0; m < s.length; m++) if (m !== top) rest += Math.exp(s[m] - s[top]);
    return t.map((tk, k) => tk * (s[top] - s[k] + lnOnePlus(rest)));
  },
  // −ln σ(s) = ln(1 + e^−s), −ln(1 − σ(s)) = ln(1 + e^s).
  'binary cross-entropy': (s, _z, t) => t.map((tk, k) => tk * lnOnePlusExp(-s[k]) + (1 - tk) * lnOnePlusExp(s[k])),
};

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Targets of the kind a form expects, for three units. */
function targetsFor(form: LossForm): number[][] {
  switch (form.targets) {
    case 'real':
      return [
        [0.3, -1.2, 2],
        [0, 1, 0],
      ];
    case 'probability':
      return [
        [0.9, 0.1, 0.4],
        [1, 0, 1],
        [0, 1, 0],
      ];
    case 'distribution':
      // One-hot, soft, and soft labels that do not sum to 1 (Σt = 0.7: the cancelled gradient is z·Σt − t).
      return [
        [1, 0, 0],
        [0, 1, 0],
        [0.2, 0.5, 0.3],
        [0.5, 0.2, 0],
      ];
    default:
      return assertNever(form.targets, 'kind of targets');
  }
}

const J = (form: LossForm, activation: Activation, s: readonly number[], t: readonly number[]) =>
  form.forward(s, activate(activation, s), t, 0, s.length, 0);

/** ∂J/∂s_k by central differences of the form's own J. */
function numericGradient(form: LossForm, activation: Activation, s: readonly number[], t: readonly number[], h = 1e-6): number[] {
  return s.map((_, k) => {
    const at = (d: number) =>
      J(
        form,
        activation,
        s.map((v, m) => (m === k ? v + d : v)),
        t,
      );
    return (at(h) - at(-h)) / (2 * h);
  });
}

/** ∂J/∂s as the kernels compute it from the registry: z·m − t where φ' cancels, else φ' applied to ∂J/∂z. */
function registryGradient(form: LossForm, activation: Activation, s: readonly number[], t: readonly number[]): number[] {
  const z = activate(activation, s);
  if (form.cancels) {
    const m = cancelledTargetSum(activation, t, 0, t.length);
    return z.map((zk, k) => zk * m - t[k]);
  }
  const gz = z.map((zk, k) => form.gradient(zk, t[k]));
  if (!isElementwise(activation)) {
    const gs = new Array<number>(s.length);
    softmaxBackward(z, gz, gs, 0, s.length);
    return gs;
  }
  return s.map((sk, k) => ELEMENTWISE[activation].derivative(sk, z[k]) * gz[k]);
}

/** |a − b| relative to their size, absolute below 1. */
const relativeError = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));

// Away from every activation's kinks and jumps (ReLU's, step's 0), moderate enough for the naive formulas.
const MODERATE = [
  [0.7, -1.3, 0.2],
  [-2.1, 0.4, 1.6],
  [3, -0.6, -2.5],
];

describe('the stored names', () => {
  it('are the two saved project files hold, in the schema and the hyperparameter check', () => {
    expect(LOSS_NAMES).toEqual(['squaredError', 'crossEntropy']);
    expect(HyperparametersSchema.shape.loss.options).toEqual(LOSS_NAMES);
    for (const loss of LOSS_NAMES) expect(checkHyperparameters({ ...DEFAULT_HYPERPARAMETERS, loss })).toEqual([]);
    const issues = checkHyperparameters({ ...DEFAULT_HYPERPARAMETERS, loss: 'huber' as LossName });
    expect(issues).toEqual([{ field: 'loss', message: "Unknown loss 'huber'; use squaredError or crossEntropy." }]);
  });
});

describe('pairings', () => {
  it('are the lecture’s: squared error on any output, cross-entropy on sigmoid units (binary) and softmax layers (categorical)', () => {
    expect(activationsForLoss('squaredError')).toEqual(ACTIVATION_NAMES);
    expect(activationsForLoss('crossEntropy')).toEqual(['sigmoid', 'softmax']);
    expect(lossForm('crossEntropy', 'sigmoid')?.label).toBe('binary cross-entropy');
    expect(lossForm('crossEntropy', 'softmax')?.label).toBe('categorical cross-entropy');
    expect(lossForm('crossEntropy', 'tanh')).toBeNull();
    // Every form applies to some activation, and each to the ones the pairing lookup gives it.
    for (const loss of LOSS_NAMES) {
      for (const form of LOSSES[loss].forms) {
        expect(formActivations(form).length).toBeGreaterThan(0);
        for (const activation of formActivations(form)) expect(lossForm(loss, activation)).toBe(form);
      }
    }
  });

  it('the compiler refuses exactly the pairs the registry does not allow, saying what the loss needs', () => {
    for (const loss of LOSS_NAMES) {
      for (const activation of ACTIVATION_NAMES) {
        const graph: Graph = {
          nodes: [
            { id: 'x', kind: 'input', feature: 'f' },
            { id: 'y', kind: 'dense', units: 2, activation, bias: [0, 0], output: { targets: ['a', 'b'] } },
          ],
          edges: [{ id: 'e', source: 'x', target: 'y', weight: [[1], [-1]] }],
        };
        const result = compileGraph(graph, { training: { algorithm: 'gradientDescent', loss } });
        const mismatch = result.ok ? [] : result.errors.filter((e) => e.code === 'loss-output-mismatch');
        expect(mismatch.length, `${loss} on ${activation}`).toBe(lossForm(loss, activation) ? 0 : 1);
        if (mismatch.length === 1) {
          expect(mismatch[0].nodeId).toBe('y');
          expect(mismatch[0].message).toBe(
            `Cross-entropy needs outputs that are probabilities (sigmoid or a softmax layer), but output 'y' uses ${activation}. Use squared error, or change its activation.`,
          );
        }
      }
    }
  });
});

describe('J of every form', () => {
  for (const { loss, activation, form } of PAIRINGS) {
    it(`${loss} on ${activation}: the textbook formula at moderate values`, () => {
      const naive = NAIVE[form.label];
      expect(naive, `an independent formula for ${form.label}`).toBeDefined();
      for (const s of MODERATE) {
        for (const t of targetsFor(form)) {
          const z = activate(activation, s);
          const terms: number[] = [];
          const value = form.forward(s, z, t, 0, 3, 0, terms);
          const expected = naive(s, z, t);
          expect(relativeError(value, sum(expected))).toBeLessThan(1e-13);
          for (let k = 0; k < 3; k++) expect(relativeError(terms[k], expected[k])).toBeLessThan(1e-13);
          // J is the sum of the units' terms in unit order, and outputLoss gives the same J.
          expect(value).toBe(0 + terms[0] + terms[1] + terms[2]);
          expect(outputLoss(loss, activation, s, z, t, 0, 3, 0)).toBe(value);
        }
      }
    });
  }

  for (const { loss, activation, form } of PAIRINGS) {
    it(`${loss} on ${activation}: finite and precise where the outputs saturate`, () => {
      const reference = LOG_DOMAIN[form.label];
      expect(reference, `a log-domain formula for ${form.label}`).toBeDefined();
      const saturated = [
        [40, 0, -2],
        [-40, 45, 38],
        [800, 0, -5],
        [1000, 999, -1000],
        [-745, 750, 0.5],
      ];
      for (const s of saturated) {
        for (const t of targetsFor(form)) {
          const z = activate(activation, s);
          const terms: number[] = [];
          const value = form.forward(s, z, t, 0, 3, 0, terms);
          const expected = reference(s, z, t);
          expect(Number.isFinite(value), `J(${s.join(', ')}; ${t.join(', ')})`).toBe(true);
          expect(Math.abs(value - sum(expected))).toBeLessThanOrEqual(1e-13 * Math.abs(sum(expected)));
          // Each unit's term relative to itself, small as it gets: a well-classified unit's e^−40 keeps its digits.
          for (let k = 0; k < 3; k++)
            expect(Math.abs(terms[k] - expected[k]), `unit ${k}`).toBeLessThanOrEqual(1e-13 * Math.abs(expected[k]));
        }
      }
    });
  }

  it('the log-domain references are not the textbook formula: there the naive J overflows or loses the small loss', () => {
    const softmax = (s: number[]) => activate('softmax', s);
    expect(Number.isFinite(NAIVE['binary cross-entropy']([40], [ELEMENTWISE.sigmoid.forward(40)], [0])[0])).toBe(false);
    expect(Number.isFinite(sum(NAIVE['categorical cross-entropy']([], softmax([1000, 999, -1000]), [0, 0, 1])))).toBe(false);
    expect(Math.abs(sum(NAIVE['categorical cross-entropy']([], softmax([40, 0, -2]), [1, 0, 0])))).toBe(0);
    expect(sum(LOG_DOMAIN['categorical cross-entropy']([40, 0, -2], [], [1, 0, 0]))).toBeGreaterThan(4e-18);
    expect(LOG_DOMAIN['binary cross-entropy']([40], [1], [1])[0]).toBeGreaterThan(4e-18);
  });
});

describe('∂J/∂s of every pairing', () => {
  for (const { loss, activation, form } of PAIRINGS) {
    it(`${loss} on ${activation}: against central differences of J`, () => {
      for (const s of MODERATE) {
        for (const t of targetsFor(form)) {
          const analytic = registryGradient(form, activation, s, t);
          const numeric = numericGradient(form, activation, s, t);
          for (let k = 0; k < 3; k++) expect(relativeError(analytic[k], numeric[k]), `unit ${k} at s = ${s.join(', ')}`).toBeLessThan(1e-7);
        }
      }
    });
  }

  it('the cancel flag is set exactly where ∂J/∂s = z·Σt − t holds (and φ′ is not simply 1)', () => {
    for (const { loss, activation, form } of PAIRINGS) {
      let holds = true;
      let phiPrimeIsOne = isElementwise(activation);
      for (const s of MODERATE) {
        for (const t of targetsFor(form)) {
          const z = activate(activation, s);
          const m = cancelledTargetSum(activation, t, 0, 3);
          const numeric = numericGradient(form, activation, s, t);
          if (numeric.some((g, k) => relativeError(g, z[k] * m - t[k]) > 1e-7)) holds = false;
          if (isElementwise(activation) && s.some((v, k) => ELEMENTWISE[activation].derivative(v, z[k]) !== 1)) phiPrimeIsOne = false;
        }
      }
      // A linear output under squared error meets the identity with nothing to cancel: φ′ = 1.
      expect(form.cancels, `${loss} on ${activation}`).toBe(holds && !phiPrimeIsOne);
      expect(cancelsDerivative(loss, activation)).toBe(form.cancels);
    }
  });
});

describe('the generated kernel’s code', () => {
  /** The form's emitted statements as a function of s, z and t (three units each). */
  function compiled(form: LossForm): (s: readonly number[], z: readonly number[], t: readonly number[]) => number {
    const names = (p: string) => [0, 1, 2].map((k) => `${p}[${k}]`);
    const body = form.emit.forward(names('s'), names('z'), names('t')).join('\n');
    return new Function('s', 'z', 't', `let lossSum = 0;\n${body}\nreturn lossSum;`) as (
      s: readonly number[],
      z: readonly number[],
      t: readonly number[],
    ) => number;
  }

  for (const { loss, activation, form } of PAIRINGS) {
    it(`${loss} on ${activation}: computes J and ∂J/∂z exactly as the functions do`, () => {
      const emitted = compiled(form);
      for (const s of [...MODERATE, [40, 0, -2], [1000, 999, -1000]]) {
        for (const t of targetsFor(form)) {
          const z = activate(activation, s);
          expect(emitted(s, z, t)).toBe(form.forward(s, z, t, 0, 3, 0));
          if (!form.cancels) {
            const gradient = new Function('z', 't', `return ${form.emit.gradient('z', 't')};`) as (z: number, t: number) => number;
            for (let k = 0; k < 3; k++) expect(gradient(z[k], t[k])).toBe(form.gradient(z[k], t[k]));
          }
        }
      }
    });
  }
});

describe('an output the loss may not be paired with', () => {
  it('has no made-up loss: NaN, for the model compiled only to evaluate', () => {
    expect(lossForm('crossEntropy', 'linear')).toBeNull();
    const terms: number[] = [];
    expect(outputLoss('crossEntropy', 'linear', [0.3, 2], [0.3, 2], [0, 1], 0, 2, 0, terms)).toBeNaN();
    expect(terms).toEqual([NaN, NaN]);
    expect(ACTIVATIONS.linear.output).toBe('regression');
  });
});

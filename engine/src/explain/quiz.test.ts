/**
 * The backprop quiz on the lecture's 3-2-1 example: the expected values against a hand calculation
 * from backprop-notes.md (not against the trace), right answers exact and rounded to 4 significant
 * digits, the tolerance on both sides of its boundary, and each recognised mistake named.
 */
import { describe, expect, it } from 'vitest';
import { findExample } from '../project/examples';
import { openSession } from '../project/session';
import type { Project } from '../project/schema';
import { freshOptimiserState, type OptimiserState } from '../train/optimisers';
import { traceStep, type StepTrace } from './trace';
import {
  QUIZ_RELATIVE_TOLERANCE,
  checkAnswer,
  defaultQuizParameter,
  parseQuizAnswer,
  quizFormulaLatex,
  quizParameters,
  quizQuestions,
  type QuizQuestion,
  type QuizStop,
} from './quiz';

function traceOf(project: Project, rows: number[] = [0], memory?: (state: OptimiserState) => void): StepTrace {
  const session = openSession(project, 'train');
  const optimiser = freshOptimiserState(project.hyperparameters.optimiser, session.model.paramCount);
  memory?.(optimiser);
  return traceStep(session.model, session.trainer.params, optimiser, session.train, rows, project.hyperparameters);
}

const example = (name: string) => findExample(name)!.create();

// The 3-2-1 example by hand (backprop-notes.md): x = (1, 0, 1), t = 1, η = 0.5, sigmoid units,
// squared error; hidden weights (0.1, −0.2, 0.3) and (0.4, 0.1, −0.5), biases 0.1 and −0.1,
// output weights 0.5 and −0.4, output bias 0.2.
const σ = (s: number) => 1 / (1 + Math.exp(-s));
const hand = (() => {
  const sY1 = 0.1 * 1 + -0.2 * 0 + 0.3 * 1 + 0.1; // 0.5
  const sY2 = 0.4 * 1 + 0.1 * 0 + -0.5 * 1 - 0.1; // −0.2
  const zY1 = σ(sY1);
  const zY2 = σ(sY2);
  const sZ1 = 0.5 * zY1 - 0.4 * zY2 + 0.2;
  const zZ1 = σ(sZ1);
  const dZ1 = (1 - zZ1) * zZ1 * (1 - zZ1); // (t − z) φ'(s), φ' = z(1 − z)
  const dY1 = zY1 * (1 - zY1) * (0.5 * dZ1);
  const dY2 = zY2 * (1 - zY2) * (-0.4 * dZ1);
  return { sY1, sY2, zY1, zY2, sZ1, zZ1, dZ1, dY1, dY2 };
})();

/** Every stop of the trace the inspector walks, with its questions (every parameter of an update). */
function everyQuestion(trace: StepTrace): QuizQuestion[] {
  const questions: QuizQuestion[] = [];
  trace.samples.forEach((sample, s) => {
    sample.forward.forEach((_, unit) => questions.push(...quizQuestions(trace, { phase: 'forward', sample: s, unit })));
    sample.backward.forEach((_, unit) => questions.push(...quizQuestions(trace, { phase: 'backward', sample: s, unit })));
  });
  const units = new Set(trace.updates.map((u) => `${u.nodeId}#${u.unit}`));
  for (const key of units) {
    const [nodeId, unit] = key.split('#');
    const stop = { phase: 'update' as const, nodeId, unit: Number(unit) };
    for (const u of quizParameters(trace, stop)) questions.push(...quizQuestions(trace, stop, u.param));
  }
  return questions;
}

function stopOf(trace: StepTrace, phase: 'forward' | 'backward', name: string): QuizStop {
  const list = phase === 'forward' ? trace.samples[0].forward : trace.samples[0].backward;
  const unit = list.findIndex((u) => u.name === name);
  expect(unit, `${name} is a unit`).toBeGreaterThanOrEqual(0);
  return { phase, sample: 0, unit };
}

const question = (trace: StepTrace, stop: QuizStop, quantity: string, param?: number) =>
  quizQuestions(trace, stop, param).find((q) => q.quantity === quantity)!;

const paramOf = (trace: StepTrace, name: string) => trace.updates.find((u) => u.name === name)!.param;

describe('the backprop quiz on the 3-2-1 example', () => {
  const trace = traceOf(example('three-two-one'));

  it('asks s_j and z_j at a forward stop, with the values of the hand calculation', () => {
    const [s, z] = quizQuestions(trace, stopOf(trace, 'forward', 'y1'));
    expect(s.quantity).toBe('s');
    expect(s.symbol).toBe('s_y1');
    expect(s.expected).toBeCloseTo(hand.sY1, 12);
    expect(z.quantity).toBe('z');
    expect(z.expected).toBeCloseTo(hand.zY1, 12);
    const sY2 = question(trace, stopOf(trace, 'forward', 'y2'), 's');
    expect(sY2.expected).toBeCloseTo(hand.sY2, 12);
    // The terms the student compares with: each w·x and the bias.
    expect(s.terms.map((t) => t.value)).toEqual([0.1, -0, 0.3, 0.1]);
    expect(question(trace, stopOf(trace, 'forward', 'z1'), 'z').expected).toBeCloseTo(hand.zZ1, 12);
  });

  it('asks δ_j at a backward stop, output and hidden, with the hand values', () => {
    expect(question(trace, stopOf(trace, 'backward', 'z1'), 'delta').expected).toBeCloseTo(hand.dZ1, 12);
    expect(question(trace, stopOf(trace, 'backward', 'y1'), 'delta').expected).toBeCloseTo(hand.dY1, 12);
    expect(question(trace, stopOf(trace, 'backward', 'y2'), 'delta').expected).toBeCloseTo(hand.dY2, 12);
  });

  it('asks ∂J/∂w_ji and Δw_ji at an update stop: −δ_j x_ji and η δ_j x_ji', () => {
    const stop = { phase: 'update' as const, nodeId: 'z1', unit: 0 };
    const param = paramOf(trace, 'w(z1←y1)');
    const [gradient, change] = quizQuestions(trace, stop, param);
    expect(gradient.quantity).toBe('gradient');
    expect(gradient.expected).toBeCloseTo(-hand.dZ1 * hand.zY1, 12);
    expect(change.quantity).toBe('change');
    expect(change.expected).toBeCloseTo(0.5 * hand.dZ1 * hand.zY1, 12);
    // The default parameter is the first weight with an input that is not 0.
    expect(defaultQuizParameter(trace, { phase: 'update', nodeId: 'y1', unit: 0 })).toBe(paramOf(trace, 'w(y1←x1)'));
    const hidden = quizQuestions(trace, { phase: 'update', nodeId: 'y1', unit: 0 });
    expect(hidden[0].expected).toBeCloseTo(-hand.dY1 * 1, 12);
    expect(hidden[1].expected).toBeCloseTo(0.5 * hand.dY1 * 1, 12);
    // The loss stop asks nothing.
    expect(quizQuestions(trace, { phase: 'loss', sample: 0 })).toEqual([]);
  });

  it('passes every right answer, exact and rounded to 4 significant digits, at every stop', () => {
    const questions = everyQuestion(trace);
    // 3 units × (s, z), 3 δ, 11 parameters × (∂J/∂w, Δw).
    expect(questions).toHaveLength(6 + 3 + 22);
    for (const q of questions) {
      expect(checkAnswer(q, q.expected).right, q.key).toBe(true);
      const rounded = Number(q.expected.toPrecision(4));
      expect(checkAnswer(q, String(rounded).replace('-', '−')).right, `${q.key}: ${rounded}`).toBe(true);
      expect(checkAnswer(q, rounded).message).toBe(
        `Right: ${q.symbol} = ${Number(q.expected.toPrecision(4)).toString().replace('-', '−')}.`,
      );
    }
  });

  it('fails every recognised mistake and names it, at every stop', () => {
    for (const q of everyQuestion(trace)) {
      for (const m of q.mistakes) {
        const check = checkAnswer(q, m.value);
        expect(check.right, `${q.key} ${m.kind}`).toBe(false);
        expect(check.mistake?.kind, `${q.key} ${m.kind}`).toBe(m.kind);
        // Rounded to 4 digits, as a student would type it, it is still that mistake.
        expect(checkAnswer(q, Number(m.value.toPrecision(4))).mistake?.kind, `${q.key} ${m.kind} rounded`).toBe(m.kind);
      }
    }
  });

  it('holds the tolerance at 0.5% of the value or of the largest term, on both sides of the boundary', () => {
    const s = question(trace, stopOf(trace, 'forward', 'y1'), 's');
    // s = 0.5 with terms 0.1, 0, 0.3, 0.1: 0.5% of 0.5.
    expect(s.tolerance).toBeCloseTo(0.0025, 15);
    expect(checkAnswer(s, 0.5 + 0.0024).right).toBe(true);
    expect(checkAnswer(s, 0.5 - 0.0024).right).toBe(true);
    expect(checkAnswer(s, 0.5 + 0.0026).right).toBe(false);
    expect(checkAnswer(s, 0.5 - 0.0026).right).toBe(false);
    // A hidden δ (a product, nothing cancels): 0.5% of δ itself.
    const d = question(trace, stopOf(trace, 'backward', 'y1'), 'delta');
    expect(d.tolerance).toBeCloseTo(QUIZ_RELATIVE_TOLERANCE * hand.dY1, 15);
    expect(checkAnswer(d, hand.dY1 * 1.0049).right).toBe(true);
    expect(checkAnswer(d, hand.dY1 * 0.9951).right).toBe(true);
    expect(checkAnswer(d, hand.dY1 * 1.0051).right).toBe(false);
    expect(checkAnswer(d, hand.dY1 * 0.9949).right).toBe(false);
    // s_z1 = 0.5·0.6225 − 0.4·0.4502 + 0.2: its largest term 0.3112 is below s, so still 0.5% of s.
    const sz = question(trace, stopOf(trace, 'forward', 'z1'), 's');
    expect(sz.tolerance).toBeCloseTo(0.005 * hand.sZ1, 15);
  });

  it('judges a sum that cancels against its largest term, not against the tiny result', () => {
    const project = example('three-two-one');
    // y1's terms: 0.1·1 + (−0.2)·0 + 0.3·1 and bias −0.4: s = 0.
    (project.graph.nodes.find((n) => n.id === 'y1') as { bias: number }).bias = -0.4 + 1e-6;
    const s = question(traceOf(project), { phase: 'forward', sample: 0, unit: 0 }, 's');
    expect(s.expected).toBeCloseTo(1e-6, 12);
    expect(s.tolerance).toBeCloseTo(0.005 * 0.4, 8);
    expect(checkAnswer(s, 0).right).toBe(true);
    expect(checkAnswer(s, 0.0021).right).toBe(false);
  });

  it('names the mistakes of s_j: bias left out, a product left out, a sign, z given for s', () => {
    const s = question(trace, stopOf(trace, 'forward', 'y1'), 's');
    const bias = checkAnswer(s, 0.4);
    expect(bias.mistake).toMatchObject({ kind: 'bias-left-out', term: 'bias' });
    expect(bias.message).toBe('You left out the bias: s_j = Σ_i w_ji x_ji + b_j, and b_y1 = 0.1.');
    expect(checkAnswer(s, 0.2).mistake).toMatchObject({ kind: 'product-left-out', term: 'sum' });
    expect(checkAnswer(s, 0.2).message).toContain('from x3');
    expect(checkAnswer(s, -0.1).mistake?.kind).toBe('product-sign');
    expect(checkAnswer(s, 0.3).mistake?.kind).toBe('bias-sign');
    expect(checkAnswer(s, 0.6225).mistake?.kind).toBe('gave-z');
    // s_y2 = 0.4·1 + 0.1·0 + (−0.5)·1 − 0.1: the bias left out gives −0.1, the x3 term's minus lost 0.8.
    const sY2 = question(trace, stopOf(trace, 'forward', 'y2'), 's');
    expect(checkAnswer(sY2, -0.1).mistake?.kind).toBe('bias-left-out');
    expect(checkAnswer(sY2, 0.8).mistake?.kind).toBe('product-sign');
  });

  it('names the mistakes of z_j: φ not applied, φ(−s), another activation', () => {
    const z = question(trace, stopOf(trace, 'forward', 'y1'), 'z');
    expect(checkAnswer(z, 0.5).mistake?.kind).toBe('gave-s');
    expect(checkAnswer(z, 1 - hand.zY1).mistake?.kind).toBe('minus-s');
    const tanh = checkAnswer(z, Math.tanh(0.5));
    expect(tanh.mistake?.kind).toBe('other-activation');
    expect(tanh.message).toBe("That is tanh(s); this unit's activation is sigmoid: φ(s) = 1 / (1 + e^−s).");
  });

  it('names the mistakes of an output δ: the sign, φ′ left out, φ′ at the wrong place', () => {
    const d = question(trace, stopOf(trace, 'backward', 'z1'), 'delta');
    const sign = checkAnswer(d, -hand.dZ1);
    expect(sign.mistake).toMatchObject({ kind: 'sign', term: 'error' });
    expect(sign.message).toBe(
      "Your δ_z1 is the right size but the wrong sign: δ_k = (t_k − z_k) φ'(s_k) for squared error, φ'(s) = z(1 − z) — t − z, not z − t, since δ = −∂J/∂s.",
    );
    expect(checkAnswer(d, 1 - hand.zZ1).mistake).toMatchObject({ kind: 'phi-left-out', term: 'phiPrime' });
    expect(checkAnswer(d, hand.zZ1 - 1).mistake?.kind).toBe('phi-left-out+sign'); // z − t
    expect(checkAnswer(d, (1 - hand.zZ1) * hand.sZ1 * (1 - hand.sZ1)).mistake?.kind).toBe('phi-of-s-formula');
    expect(checkAnswer(d, (1 - hand.zZ1) * σ(hand.zZ1) * (1 - σ(hand.zZ1))).mistake?.kind).toBe('phi-at-z');
  });

  it('names the mistakes of a hidden δ: the sign, φ′ left out', () => {
    const d = question(trace, stopOf(trace, 'backward', 'y1'), 'delta');
    expect(checkAnswer(d, -hand.dY1).mistake).toMatchObject({ kind: 'sign', term: 'sum' });
    expect(checkAnswer(d, 0.5 * hand.dZ1).mistake).toMatchObject({ kind: 'phi-left-out', term: 'phiPrime' });
    expect(d.terms.find((t) => t.term === 'phiPrime')!.value).toBeCloseTo(hand.zY1 * (1 - hand.zY1), 12);
  });

  it('names the mistakes of ∂J/∂w_ji: the sign, x left out, the wrong input, the unit’s own output', () => {
    const g = question(trace, { phase: 'update', nodeId: 'z1', unit: 0 }, 'gradient', paramOf(trace, 'w(z1←y1)'));
    expect(checkAnswer(g, hand.dZ1 * hand.zY1).mistake).toMatchObject({ kind: 'sign', term: 'sign' });
    expect(checkAnswer(g, -hand.dZ1).mistake).toMatchObject({ kind: 'x-left-out', term: 'x' });
    const wrong = checkAnswer(g, -hand.dZ1 * hand.zY2);
    expect(wrong.mistake?.kind).toBe('wrong-input');
    expect(wrong.message).toContain('from y2');
    expect(checkAnswer(g, -hand.dZ1 * hand.zZ1).mistake?.kind).toBe('own-output');
    // x2 = 0 in place of x1 = 1 for the weight from x1.
    const g1 = question(trace, { phase: 'update', nodeId: 'y1', unit: 0 }, 'gradient', paramOf(trace, 'w(y1←x1)'));
    expect(checkAnswer(g1, 0).mistake?.kind).toBe('wrong-input');
  });

  it('names the mistakes of Δw_ji: η left out, up the gradient, the new weight given', () => {
    const c = question(trace, { phase: 'update', nodeId: 'z1', unit: 0 }, 'change', paramOf(trace, 'w(z1←y1)'));
    const expected = 0.5 * hand.dZ1 * hand.zY1;
    expect(checkAnswer(c, 2 * expected).mistake).toMatchObject({ kind: 'eta-left-out', term: 'eta' });
    expect(checkAnswer(c, 2 * expected).message).toBe('You left out η: the step is −η ∂J/∂w with η = 0.5.');
    expect(checkAnswer(c, -expected).mistake?.kind).toBe('gradient-sign');
    expect(checkAnswer(c, 0.5 + expected).mistake?.kind).toBe('new-weight');
  });

  it('names momentum left out of Δw when α Δw(r−1) is part of it', () => {
    const project = example('three-two-one');
    project.hyperparameters.momentum = 0.9;
    const withMemory = traceOf(project, [0], (state) => state.slots[0].fill(0.02));
    const param = paramOf(withMemory, 'w(z1←y1)');
    const c = question(withMemory, { phase: 'update', nodeId: 'z1', unit: 0 }, 'change', param);
    expect(c.expected).toBeCloseTo(0.5 * hand.dZ1 * hand.zY1 + 0.9 * 0.02, 12);
    const left = checkAnswer(c, 0.5 * hand.dZ1 * hand.zY1);
    expect(left.mistake).toMatchObject({ kind: 'momentum-left-out', term: 'momentum' });
    expect(left.message).toBe("You left out momentum's α Δw(r−1) = 0.9·0.02 = 0.018.");
    expect(quizFormulaLatex(c, 'momentum')).toContain('\\boxed{\\alpha\\, \\Delta w_{ji}(r-1)}');
  });

  it('gives every term when no single mistake explains a wrong answer', () => {
    const s = question(trace, stopOf(trace, 'forward', 'y1'), 's');
    const check = checkAnswer(s, 0.77);
    expect(check.right).toBe(false);
    expect(check.mistake).toBeNull();
    expect(check.message).toBe('Not 0.77, and no single slip explains it: compare each term of s_y1 with yours.');
    expect(s.terms.length).toBe(4);
  });

  it('reads what a person types, and refuses what is not a number in a sentence', () => {
    const s = question(trace, stopOf(trace, 'forward', 'y2'), 's');
    expect(checkAnswer(s, ' −0.2 ').right).toBe(true);
    expect(parseQuizAnswer('0,5')).toEqual({ problem: '“0,5” is not a number (write decimals with a point: 0.25).' });
    expect(parseQuizAnswer('  ')).toEqual({ problem: 'Type a number first.' });
    expect(() => checkAnswer(s, 'abc')).toThrow('“abc” is not a number');
  });

  it('highlights the differing term in the typeset formula', () => {
    const s = question(trace, stopOf(trace, 'forward', 'y1'), 's');
    expect(quizFormulaLatex(s)).toBe('s_{\\text{y1}} = \\sum_i w_{ji}\\, x_{ji} + b_j');
    expect(quizFormulaLatex(s, 'bias')).toBe('s_{\\text{y1}} = \\sum_i w_{ji}\\, x_{ji} + \\boxed{b_j}');
  });
});

describe('the quiz under other losses, rules and batches', () => {
  it('with cross-entropy φ′ cancels: δ = t − z, and multiplying by φ′ is named', () => {
    const project = example('logistic-regression');
    const trace = traceOf(project);
    const d = quizQuestions(trace, { phase: 'backward', sample: 0, unit: 0 })[0];
    const { t, z } = trace.samples[0].backward[0].error!;
    expect(d.expected).toBeCloseTo(t - z, 15);
    expect(checkAnswer(d, z - t).message).toContain('δ_k = t_k − z_k for cross-entropy');
    expect(checkAnswer(d, (t - z) * z * (1 - z)).mistake?.kind).toBe('phi-not-cancelled');
  });

  it('under the perceptron rule asks Δw = η (t − y) x only', () => {
    const project = example('perceptron-learns-or');
    const trace = traceOf(project, [1]);
    const stop = { phase: 'update' as const, nodeId: trace.updates[0].nodeId, unit: 0 };
    const questions = quizQuestions(trace, stop, trace.updates[0].param);
    expect(questions.map((q) => q.quantity)).toEqual(['change']);
    const q = questions[0];
    const c = trace.updates[0].contributions[0];
    expect(q.expected).toBeCloseTo(project.hyperparameters.learningRate * c.delta * c.x, 15);
    if (q.expected !== 0) expect(checkAnswer(q, -q.expected).mistake?.kind).toBe('sign');
  });

  it('over a mini-batch ∂J/∂w is the mean, and the sum is named', () => {
    const project = example('xor-sigmoid');
    const trace = traceOf(project, [0, 1, 2, 3]);
    // The output's weight from h1: its four samples' −δ x do not cancel (those of the first layer nearly do).
    const out = trace.updates.find((u) => u.name === 'w(y←h1)')!;
    const stop = { phase: 'update' as const, nodeId: out.nodeId, unit: out.unit };
    const g = quizQuestions(trace, stop, out.param)[0];
    let sum = 0;
    for (const c of out.contributions) sum += -c.delta * c.x;
    expect(g.expected).toBeCloseTo(sum / 4, 15);
    expect(checkAnswer(g, sum).mistake?.kind).toBe('batch-sum');
  });
});

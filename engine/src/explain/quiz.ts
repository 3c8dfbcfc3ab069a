/**
 * The backprop quiz: instead of showing the next number of a traced step, ask for it, check the
 * typed answer, and after a wrong one say which term of the formula differs.
 *
 * A question is built from one stop of the step trace (the inspector's forward, backward and
 * update stops): the quantity asked for (s_j, z_j, δ_j, ∂J/∂w_ji or Δw_ji), the value the trace
 * computed, the formula split into its terms with their values, and the common mistakes — each the
 * same quantity recomputed with one term changed (the sign of δ flipped, φ' left out or taken at
 * the wrong place, a product of a sum left out, the bias or η or momentum left out, the wrong input
 * used…). A wrong answer that lands on one of them is named in a sentence; one that lands on none
 * gets every term with its value to compare.
 *
 * Tolerance ({@link QUIZ_RELATIVE_TOLERANCE}): an answer is right when it is within 0.5% of the
 * value, or — where the formula adds terms that cancel — within 0.5% of its largest term. A student
 * computing by hand with 4 significant digits rounds each number by at most 0.05%, so a carefully
 * rounded answer passes with room to spare, while every mistake above (off by a factor, a sign, a
 * term) is far outside it unless that term is itself negligible. An absolute floor such as 0.0005
 * would pass 0 for every gradient of a trained network (they are all smaller), so there is none.
 */
import { ACTIVATIONS, ELEMENTWISE, isElementwise, type Activation } from '../model/activations';
import { LOSSES, cancelsDerivative } from '../model/losses';
import { OPTIMISERS } from '../train/optimisers';
import { formatNumber } from '../util/format';
import type { ParameterUpdate, SampleTrace, StepTrace, UnitBackward, UnitForward } from './trace';
import { traceFormulasLatex } from './trace-export';

/** The quantities the quiz asks for, with the lecture's symbol and name. */
export const QUIZ_QUANTITIES = {
  s: { symbol: 's_j', latex: 's_j', name: 'weighted sum', description: 'the unit’s weighted sum of its inputs plus its bias, before φ' },
  z: { symbol: 'z_j', latex: 'z_j', name: 'output', description: 'the unit’s output φ(s_j)' },
  delta: { symbol: 'δ_j', latex: '\\delta_j', name: 'delta', description: 'the unit’s error signal δ_j = −∂J/∂s_j' },
  gradient: {
    symbol: '∂J/∂w_ji',
    latex: '\\partial J / \\partial w_{ji}',
    name: 'gradient',
    description: 'the slope of the loss J in the weight',
  },
  change: { symbol: 'Δw_ji', latex: '\\Delta w_{ji}', name: 'weight change', description: 'the change the update makes to the weight' },
} as const;

/** Which quantity a question asks for. */
export type QuizQuantity = keyof typeof QUIZ_QUANTITIES;

/** The quantities in the order a step computes them. */
export const QUIZ_QUANTITY_NAMES = Object.keys(QUIZ_QUANTITIES) as QuizQuantity[];

/** An answer is right within this share of the value (or of the formula's largest term). */
export const QUIZ_RELATIVE_TOLERANCE = 0.005;

/** The tolerance in words, as the quiz states it beside the answer field. */
export const QUIZ_TOLERANCE_TEXT = 'within 0.5% (of the value, or of the formula’s largest term where terms cancel)';

/** A stop of the inspector's walk (the renderer's `InspectorStep` has this shape). */
export type QuizStop =
  | { phase: 'forward'; sample: number; unit: number }
  | { phase: 'loss'; sample: number }
  | { phase: 'backward'; sample: number; unit: number }
  | { phase: 'update'; nodeId: string; unit: number };

/** A piece of a question's formula in LaTeX; `term` names the term it is (for highlighting). */
export interface FormulaPart {
  latex: string;
  term?: string;
}

/** A number the student needs (w_ji, x_ji, t_k, η…), shown with the question. */
export interface QuizGiven {
  latex: string;
  text: string;
  value: number;
}

/** One term of the formula with its value: what the student compares a wrong answer with. */
export interface QuizTerm {
  /** The formula part it belongs to. */
  term: string;
  latex: string;
  text: string;
  value: number;
}

/** A common mistake: the quantity recomputed with one term changed, and a sentence naming it. */
export interface QuizMistake {
  /** A stable name for the kind of mistake (`sign`, `bias-left-out`, `product-left-out`…). */
  kind: string;
  /** The formula part that differs, when one does. */
  term: string | null;
  value: number;
  sentence: string;
}

/** One question: what to compute, from what, and what it should come to. */
export interface QuizQuestion {
  quantity: QuizQuantity;
  /** Unique among the questions of one trace. */
  key: string;
  /** The inspector's phase it is asked in. */
  phase: 'forward' | 'backward' | 'update';
  /** The sample's position in the batch (null for an update, which is over the whole batch). */
  sample: number | null;
  /** The dataset rows it is about. */
  rows: number[];
  /** The unit j (its name), and for ∂J/∂w and Δw the parameter (`w(y1←x1)`, `b(y1)`) and its index. */
  unit: string;
  parameter: string | null;
  param: number | null;
  /** The quantity's symbol with the unit's name: `s_y1`, `δ_z1`, `Δw(y1←x1)`. */
  symbol: string;
  symbolLatex: string;
  /** The formula, in parts. */
  formula: FormulaPart[];
  givens: QuizGiven[];
  terms: QuizTerm[];
  expected: number;
  /** How far from `expected` an answer may be and still be right (absolute). */
  tolerance: number;
  mistakes: QuizMistake[];
}

/** What checking an answer says. */
export interface QuizCheck {
  right: boolean;
  typed: number;
  expected: number;
  tolerance: number;
  /** The mistake a wrong answer matches (null when right, or when no single mistake explains it). */
  mistake: QuizMistake | null;
  /** One sentence for the student. */
  message: string;
}

/** The formula as one LaTeX string; `highlight` names a term to box (a mistake's; the stylesheet colours the box). */
export function quizFormulaLatex(question: Pick<QuizQuestion, 'formula'>, highlight?: string | null): string {
  return question.formula.map((part) => (highlight && part.term === highlight ? `\\boxed{${part.latex}}` : part.latex)).join('');
}

const num = (value: number) => formatNumber(value);
const paren = (value: number) => formatNumber(value, { parenthesise: true });
const texName = (name: string) => traceFormulasLatex.name(name);
const texNum = (value: number) => {
  const text = formatNumber(value, { minus: '-' });
  const exponent = /^(-?[\d.]+)e([+-]\d+)$/.exec(text);
  return exponent ? `${exponent[1]} \\times 10^{${Number(exponent[2])}}` : text;
};

/** Tolerance for a value whose formula's largest term is `scale`. */
function toleranceFor(value: number, scale: number): number {
  return QUIZ_RELATIVE_TOLERANCE * Math.max(Math.abs(value), Math.abs(scale));
}

/** The largest magnitude, by a loop. */
function largest(values: Iterable<number>): number {
  let max = 0;
  for (const v of values) if (Math.abs(v) > max) max = Math.abs(v);
  return max;
}

/**
 * Keeps the mistakes that an answer could tell from the right one (a bias of 0 left out changes
 * nothing) and from each other (the first of two that agree, which the list orders as likelier).
 */
function distinct(mistakes: QuizMistake[], expected: number, tolerance: number): QuizMistake[] {
  const kept: QuizMistake[] = [];
  for (const m of mistakes) {
    if (!Number.isFinite(m.value) || Math.abs(m.value - expected) <= tolerance) continue;
    if (kept.some((k) => Math.abs(k.value - m.value) <= tolerance)) continue;
    kept.push(m);
  }
  return kept;
}

/** Each mistake again with the sign flipped as well, for quantities where the lecture's sign convention trips people. */
function withSignFlipped(mistakes: QuizMistake[], also: string): QuizMistake[] {
  return mistakes.map((m) => ({ kind: `${m.kind}+sign`, term: m.term, value: -m.value, sentence: `${m.sentence} ${also}` }));
}

/** The inspector's stop for `unit` of the sample: the forward record, and the sample. */
function forwardOf(sample: SampleTrace, nodeId: string, unit: number): UnitForward {
  return sample.forward.find((f) => f.nodeId === nodeId && f.unit === unit)!;
}

function sQuestion(trace: StepTrace, s: number, u: UnitForward): QuizQuestion {
  const sample = trace.samples[s];
  const name = texName(u.name);
  const products = u.terms.map((t) => t.product);
  const tolerance = toleranceFor(u.s, largest([...products, u.bias]));
  const mistakes: QuizMistake[] = [
    {
      kind: 'gave-z',
      term: null,
      value: u.z,
      sentence: `That is z_${u.name} = φ(s_${u.name}); s_${u.name} is the sum before the activation: Σ_i w_ji x_ji + b_j.`,
    },
    {
      kind: 'bias-left-out',
      term: 'bias',
      value: u.s - u.bias,
      sentence: `You left out the bias: s_j = Σ_i w_ji x_ji + b_j, and b_${u.name} = ${num(u.bias)}.`,
    },
    {
      kind: 'bias-sign',
      term: 'bias',
      value: u.s - 2 * u.bias,
      sentence: `The bias went in with the wrong sign: s_j = Σ_i w_ji x_ji + b_j with b_${u.name} = ${num(u.bias)}.`,
    },
    ...u.terms.map((t) => ({
      kind: 'product-left-out',
      term: 'sum',
      value: u.s - t.product,
      sentence: `You left out the term from ${t.source} of the sum: w·x = ${paren(t.w)}·${paren(t.x)} = ${num(t.product)}.`,
    })),
    ...u.terms.map((t) => ({
      kind: 'product-sign',
      term: 'sum',
      value: u.s - 2 * t.product,
      sentence: `The term from ${t.source}, w·x = ${paren(t.w)}·${paren(t.x)} = ${num(t.product)}, went into the sum with the wrong sign.`,
    })),
  ];
  return {
    quantity: 's',
    key: `s:${s}:${u.nodeId}#${u.unit}`,
    phase: 'forward',
    sample: s,
    rows: [sample.row],
    unit: u.name,
    parameter: null,
    param: null,
    symbol: `s_${u.name}`,
    symbolLatex: `s_{${name}}`,
    formula: [
      { latex: `s_{${name}} = ` },
      { latex: '\\sum_i w_{ji}\\, x_{ji}', term: 'sum' },
      { latex: ' + ' },
      { latex: 'b_j', term: 'bias' },
    ],
    givens: [
      ...u.terms.flatMap((t) => [
        { latex: `w(${name} \\leftarrow ${texName(t.source)})`, text: `w(${u.name}←${t.source})`, value: t.w },
        { latex: `x_{${texName(t.source)}}`, text: `x_${t.source}`, value: t.x },
      ]),
      { latex: `b_{${name}}`, text: `b_${u.name}`, value: u.bias },
    ],
    terms: [
      ...u.terms.map((t) => ({
        term: 'sum',
        latex: `w(${name} \\leftarrow ${texName(t.source)})\\, x_{${texName(t.source)}} = ${texNum(t.w)} \\cdot ${texNum(t.x)}`,
        text: `w·x from ${t.source} = ${paren(t.w)}·${paren(t.x)}`,
        value: t.product,
      })),
      { term: 'bias', latex: `b_{${name}}`, text: `b_${u.name}`, value: u.bias },
    ],
    expected: u.s,
    tolerance,
    mistakes: distinct(mistakes, u.s, tolerance),
  };
}

function zQuestion(trace: StepTrace, s: number, u: UnitForward): QuizQuestion {
  const sample = trace.samples[s];
  const name = texName(u.name);
  const activation = u.activation;
  const spec = ACTIVATIONS[activation];
  const tolerance = toleranceFor(u.z, u.z);
  const mistakes: QuizMistake[] = [];
  const terms: QuizTerm[] = [{ term: 'phi', latex: `s_{${name}}`, text: `s_${u.name}`, value: u.s }];
  if (isElementwise(activation)) {
    mistakes.push(
      {
        kind: 'gave-s',
        term: 'phi',
        value: u.s,
        sentence: `That is s_${u.name} itself: z_j = φ(s_j), with ${spec.formula}.`,
      },
      {
        kind: 'minus-s',
        term: 'phi',
        value: ELEMENTWISE[activation].forward(-u.s),
        sentence: `That is φ(−s): put s_${u.name} = ${num(u.s)} itself into ${spec.formula}.`,
      },
    );
    for (const [other, otherSpec] of Object.entries(ELEMENTWISE)) {
      if (other === activation || !otherSpec.differentiable) continue;
      mistakes.push({
        kind: 'other-activation',
        term: 'phi',
        value: otherSpec.forward(u.s),
        sentence: `That is ${otherSpec.label}(s); this unit's activation is ${spec.label}: ${spec.formula}.`,
      });
    }
  } else {
    // Softmax: z_k = e^{s_k} / Σ_m e^{s_m} over the layer.
    const layer = sample.forward.filter((f) => f.nodeId === u.nodeId);
    let total = 0;
    for (const f of layer) total += Math.exp(f.s);
    terms.push({ term: 'phi', latex: '\\sum_m e^{s_m}', text: 'Σ_m e^(s_m)', value: total });
    mistakes.push(
      { kind: 'gave-s', term: 'phi', value: u.s, sentence: `That is s_${u.name} itself: z_k = e^(s_k) / Σ_m e^(s_m).` },
      {
        kind: 'not-normalised',
        term: 'phi',
        value: Math.exp(u.s),
        sentence: `That is e^(s_k) alone: softmax divides by the layer's Σ_m e^(s_m) = ${num(total)}.`,
      },
    );
  }
  return {
    quantity: 'z',
    key: `z:${s}:${u.nodeId}#${u.unit}`,
    phase: 'forward',
    sample: s,
    rows: [sample.row],
    unit: u.name,
    parameter: null,
    param: null,
    symbol: `z_${u.name}`,
    symbolLatex: `z_{${name}}`,
    formula: [
      { latex: `z_{${name}} = ` },
      { latex: `\\varphi(s_{${name}})`, term: 'phi' },
      { latex: `, \\quad ${spec.formulaLatex}${activation === 'softmax' ? '' : ` \\text{ (${spec.label})}`}` },
    ],
    givens: [{ latex: `s_{${name}}`, text: `s_${u.name}`, value: u.s }],
    terms,
    expected: u.z,
    tolerance,
    mistakes: distinct(mistakes, u.z, tolerance),
  };
}

/** The δ rule in words (plain Unicode), as the sentences quote it. */
function deltaRuleText(trace: StepTrace, b: UnitBackward, activation: Activation): string {
  if (b.role === 'output') {
    if (cancelsDerivative(trace.loss, activation)) return `δ_k = t_k − z_k for ${LOSSES[trace.loss].label} (φ' cancels)`;
    if (activation === 'softmax') return 'δ_k = z_k [(t_k − z_k) − Σ_m (t_m − z_m) z_m] (softmax)';
    return `δ_k = (t_k − z_k) φ'(s_k) for ${LOSSES[trace.loss].label}, ${ACTIVATIONS[activation].derivativeFormula}`;
  }
  if (activation === 'softmax') return 'δ_j = z_j [Σ_k w_kj δ_k − Σ_m z_m Σ_k w_km δ_k] (softmax)';
  return `δ_j = φ'(s_j) Σ_k w_kj δ_k, ${ACTIVATIONS[activation].derivativeFormula}`;
}

function deltaQuestion(trace: StepTrace, s: number, b: UnitBackward): QuizQuestion {
  const sample = trace.samples[s];
  const f = forwardOf(sample, b.nodeId, b.unit);
  const activation = f.activation;
  const name = texName(b.name);
  const rule = deltaRuleText(trace, b, activation);
  const signSentence = `Your δ_${b.name} is the right size but the wrong sign: ${rule}${
    b.role === 'output' ? ' — t − z, not z − t, since δ = −∂J/∂s' : ', each δ_k with its own sign (δ = −∂J/∂s)'
  }.`;
  const alsoSign = b.role === 'output' ? 'And the sign is the wrong way round: t − z, not z − t.' : 'And the sign is the wrong way round.';
  const sign: QuizMistake = { kind: 'sign', term: b.role === 'output' ? 'error' : 'sum', value: -b.delta, sentence: signSentence };
  const givens: QuizGiven[] = [];
  const terms: QuizTerm[] = [];
  let formula: FormulaPart[];
  let others: QuizMistake[] = [];
  let scale = b.delta;
  const phiPrimeLatex = `\\varphi'(s_{${b.role === 'output' ? 'k' : 'j'}})`;
  const derivative = isElementwise(activation) ? ELEMENTWISE[activation] : null;

  /** φ' misplaced: its z-formula fed s, or φ' evaluated at z instead of s. */
  const phiMistakes = (rest: number): QuizMistake[] => {
    if (!derivative || !b.phiPrime) return [];
    const formulaText = ACTIVATIONS[activation].derivativeFormula;
    return [
      {
        kind: 'phi-left-out',
        term: 'phiPrime',
        value: rest,
        sentence: `You left out φ'(s): ${rule}, and here φ'(s_${b.name}) = ${num(b.phiPrime.value)}.`,
      },
      {
        kind: 'phi-of-s-formula',
        term: 'phiPrime',
        value: rest * derivative.derivative(f.s, f.s),
        sentence: `${formulaText} is written in the unit's output: put in z_${b.name} = ${num(f.z)}, not s_${b.name} = ${num(f.s)}.`,
      },
      {
        kind: 'phi-at-z',
        term: 'phiPrime',
        value: rest * derivative.derivative(f.z, derivative.forward(f.z)),
        sentence: `You took φ' at z_${b.name} = ${num(f.z)} instead of at s_${b.name} = ${num(f.s)}: ${formulaText} with z = φ(s), i.e. φ'(s_${b.name}) = ${num(b.phiPrime.value)}.`,
      },
    ];
  };

  if (b.role === 'output') {
    const { t, z } = b.error!;
    givens.push(
      { latex: `t_{${name}}`, text: `t_${b.name}`, value: t },
      { latex: `z_{${name}}`, text: `z_${b.name}`, value: z },
      { latex: `s_{${name}}`, text: `s_${b.name}`, value: f.s },
    );
    terms.push({ term: 'error', latex: `t_k - z_k`, text: 't_k − z_k', value: t - z });
    if (cancelsDerivative(trace.loss, activation)) {
      scale = Math.max(Math.abs(t), Math.abs(z));
      if (b.targetSum === undefined) {
        formula = [{ latex: `\\delta_{${name}} = ` }, { latex: 't_k - z_k', term: 'error' }, { latex: " \\text{ ($\\varphi'$ cancels)}" }];
        if (derivative)
          others = [
            {
              kind: 'phi-not-cancelled',
              term: 'error',
              value: (t - z) * derivative.derivative(f.s, z),
              sentence: `With ${LOSSES[trace.loss].label} φ' cancels: δ_k = t_k − z_k, without the factor ${ACTIVATIONS[activation].derivativeFormula.replace("φ'(s) = ", '')}.`,
            },
          ];
      } else {
        formula = [{ latex: `\\delta_{${name}} = ` }, { latex: 't_k - z_k \\sum_m t_m', term: 'error' }];
        givens.push({ latex: '\\sum_m t_m', text: 'Σ_m t_m', value: b.targetSum });
        others = [
          {
            kind: 'target-sum-ignored',
            term: 'error',
            value: t - z,
            sentence: `The layer's targets sum to Σt = ${num(b.targetSum)}, not 1: δ_k = t_k − z_k·Σt.`,
          },
        ];
      }
    } else if (derivative && b.phiPrime) {
      const phi = b.phiPrime.value;
      scale = Math.max(Math.abs(t), Math.abs(z)) * Math.abs(phi);
      formula = [
        { latex: `\\delta_{${name}} = ` },
        { latex: '(t_k - z_k)', term: 'error' },
        { latex: '\\, ' },
        { latex: phiPrimeLatex, term: 'phiPrime' },
        { latex: `, \\quad ${ACTIVATIONS[activation].derivativeLatex}` },
      ];
      terms.push({ term: 'phiPrime', latex: `\\varphi'(s_{${name}})`, text: `φ'(s_${b.name})`, value: phi });
      others = phiMistakes(t - z);
    } else {
      formula = [
        { latex: `\\delta_{${name}} = ` },
        { latex: 'z_k \\bigl[(t_k - z_k) - \\textstyle\\sum_m (t_m - z_m) z_m\\bigr]', term: 'error' },
      ];
    }
  } else {
    givens.push({ latex: `s_{${name}}`, text: `s_${b.name}`, value: f.s }, { latex: `z_{${name}}`, text: `z_${b.name}`, value: f.z });
    for (const d of b.downstream) {
      const k = texName(d.name);
      givens.push(
        { latex: `w(${k} \\leftarrow ${name})`, text: `w(${d.name}←${b.name})`, value: d.w },
        { latex: `\\delta_{${k}}`, text: `δ_${d.name}`, value: d.delta },
      );
      terms.push({
        term: 'sum',
        latex: `w(${k} \\leftarrow ${name})\\, \\delta_{${k}} = ${texNum(d.w)} \\cdot ${texNum(d.delta)}`,
        text: `w·δ from ${d.name} = ${paren(d.w)}·${paren(d.delta)}`,
        value: d.product,
      });
    }
    if (derivative && b.phiPrime) {
      const phi = b.phiPrime.value;
      const sum = b.sum ?? 0;
      scale = Math.abs(phi) * largest([sum, ...b.downstream.map((d) => d.product)]);
      formula = [
        { latex: `\\delta_{${name}} = ` },
        { latex: phiPrimeLatex, term: 'phiPrime' },
        { latex: ' ' },
        { latex: '\\sum_k w_{kj}\\, \\delta_k', term: 'sum' },
        { latex: `, \\quad ${ACTIVATIONS[activation].derivativeLatex}` },
      ];
      terms.unshift({ term: 'phiPrime', latex: `\\varphi'(s_{${name}})`, text: `φ'(s_${b.name})`, value: phi });
      terms.push({ term: 'sum', latex: '\\sum_k w_{kj}\\, \\delta_k', text: 'Σ_k w_kj δ_k', value: sum });
      others = [
        ...phiMistakes(sum),
        ...(b.downstream.length > 1
          ? b.downstream.map((d) => ({
              kind: 'product-left-out',
              term: 'sum',
              value: phi * (sum - d.product),
              sentence: `You left out the term from ${d.name} of Σ_k w_kj δ_k: w·δ = ${paren(d.w)}·${paren(d.delta)} = ${num(d.product)}.`,
            }))
          : []),
      ];
    } else {
      formula = [
        { latex: `\\delta_{${name}} = ` },
        { latex: 'z_j \\bigl[\\textstyle\\sum_k w_{kj} \\delta_k - \\sum_m z_m \\sum_k w_{km} \\delta_k\\bigr]', term: 'sum' },
      ];
    }
  }
  const tolerance = toleranceFor(b.delta, scale);
  return {
    quantity: 'delta',
    key: `delta:${s}:${b.nodeId}#${b.unit}`,
    phase: 'backward',
    sample: s,
    rows: [sample.row],
    unit: b.name,
    parameter: null,
    param: null,
    symbol: `δ_${b.name}`,
    symbolLatex: `\\delta_{${name}}`,
    formula,
    givens,
    terms,
    expected: b.delta,
    tolerance,
    mistakes: distinct([sign, ...others, ...withSignFlipped(others, alsoSign)], b.delta, tolerance),
  };
}

/** The parameter's name as the quiz writes it: `w(y1←x1)` and in LaTeX `w(\text{y1} \leftarrow \text{x1})`. */
function parameterNames(trace: StepTrace, u: ParameterUpdate): { unit: string; source: string | null; text: string; latex: string } {
  const sample = trace.samples[0];
  const unit = forwardOf(sample, u.nodeId, u.unit);
  if (u.kind === 'bias') return { unit: unit.name, source: null, text: `b(${unit.name})`, latex: `b(${texName(unit.name)})` };
  const term = unit.terms.find((t) => t.param === u.param);
  const source = term?.source ?? '?';
  return { unit: unit.name, source, text: `w(${unit.name}←${source})`, latex: `w(${texName(unit.name)} \\leftarrow ${texName(source)})` };
}

/** The mean over the batch, by a loop. */
function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function gradientQuestion(trace: StepTrace, u: ParameterUpdate): QuizQuestion {
  const names = parameterNames(trace, u);
  const n = u.contributions.length;
  const batch = n > 1;
  const xOf = (c: { x: number }) => c.x;
  const tolerance = toleranceFor(u.gradient, largest(u.contributions.map((c) => c.gradient)));
  const givens: QuizGiven[] = [];
  u.contributions.forEach((c, m) => {
    const tag = batch ? `^{(${m + 1})}` : '';
    const tagText = batch ? ` (sample ${m + 1})` : '';
    givens.push(
      { latex: `\\delta_{${texName(names.unit)}}${tag}`, text: `δ_${names.unit}${tagText}`, value: c.delta },
      { latex: `x_{ji}${tag}`, text: `x_ji${tagText}`, value: c.x },
    );
  });
  const unitForward = trace.samples.map((sample) => forwardOf(sample, u.nodeId, u.unit));
  const mistakes: QuizMistake[] = [
    {
      kind: 'sign',
      term: 'sign',
      value: -u.gradient,
      sentence: `Your ∂J/∂w is the right size but the wrong sign: ∂J/∂w_ji = −δ_j x_ji, since δ_j = −∂J/∂s_j.`,
    },
  ];
  const others: QuizMistake[] = [];
  if (u.kind === 'weight') {
    others.push({
      kind: 'x-left-out',
      term: 'x',
      value: mean(u.contributions.map((c) => -c.delta)),
      sentence: `You left out x_ji: ∂J/∂w_ji = −δ_j x_ji, and this weight carries x = ${u.contributions.map((c) => num(xOf(c))).join(', ')} from ${names.source}.`,
    });
    // Another input of the same unit in place of this weight's.
    for (const term of unitForward[0].terms) {
      if (term.param === u.param) continue;
      const xs = unitForward.map((f) => f.terms.find((t) => t.param === term.param)!.x);
      others.push({
        kind: 'wrong-input',
        term: 'x',
        value: mean(u.contributions.map((c, m) => -c.delta * xs[m])),
        sentence: `You used the input from ${term.source} (x = ${num(xs[0])}); this weight carries the one from ${names.source} (x = ${num(u.contributions[0].x)}).`,
      });
    }
  } else {
    for (const term of unitForward[0].terms) {
      const xs = unitForward.map((f) => f.terms.find((t) => t.param === term.param)!.x);
      others.push({
        kind: 'wrong-input',
        term: 'x',
        value: mean(u.contributions.map((c, m) => -c.delta * xs[m])),
        sentence: `A bias's input is the constant 1: ∂J/∂b_j = −δ_j; you multiplied by x from ${term.source} (${num(xs[0])}).`,
      });
    }
  }
  others.push({
    kind: 'own-output',
    term: 'x',
    value: mean(u.contributions.map((c, m) => -c.delta * unitForward[m].z)),
    sentence: `You used the unit's own output z_${names.unit}; x_ji is what comes in along the weight${names.source ? `, from ${names.source}` : ' (1 for a bias)'}.`,
  });
  if (batch)
    others.push({
      kind: 'batch-sum',
      term: 'mean',
      value: u.gradient * n,
      sentence: `That is the sum over the ${n} samples; J is the batch's mean, so ∂J/∂w is the mean of the samples' −δ_j x_ji.`,
    });
  const unitLatex = texName(names.unit);
  const formula: FormulaPart[] = [
    { latex: `\\frac{\\partial J}{\\partial ${names.latex}} = ` },
    ...(batch ? [{ latex: `\\frac{1}{${n}} \\sum_n `, term: 'mean' }, { latex: '\\bigl(' }] : []),
    { latex: '-', term: 'sign' },
    { latex: `\\delta_{${unitLatex}}`, term: 'delta' },
    { latex: '\\, ' },
    { latex: u.kind === 'bias' ? '\\cdot 1' : 'x_{ji}', term: 'x' },
    ...(batch ? [{ latex: '\\bigr)' }] : []),
  ];
  return {
    quantity: 'gradient',
    key: `gradient:${u.param}`,
    phase: 'update',
    sample: null,
    rows: trace.samples.map((s) => s.row),
    unit: names.unit,
    parameter: names.text,
    param: u.param,
    symbol: `∂J/∂${names.text}`,
    symbolLatex: `\\partial J / \\partial ${names.latex}`,
    formula,
    givens,
    terms: u.contributions.map((c, m) => ({
      term: batch ? 'mean' : 'x',
      latex: `-\\delta_j x_{ji}${batch ? `^{(${m + 1})}` : ''} = -${texNum(c.delta)} \\cdot ${texNum(c.x)}`,
      text: `−δ_j x_ji${batch ? ` (sample ${m + 1})` : ''} = −${paren(c.delta)}·${paren(c.x)}`,
      value: c.gradient,
    })),
    expected: u.gradient,
    tolerance,
    mistakes: distinct(
      [...mistakes, ...others, ...withSignFlipped(others, 'And the sign is the wrong way round: ∂J/∂w_ji = −δ_j x_ji.')],
      u.gradient,
      tolerance,
    ),
  };
}

function changeQuestion(trace: StepTrace, u: ParameterUpdate): QuizQuestion {
  const names = parameterNames(trace, u);
  const eta = trace.learningRate;
  const optimiser = trace.optimiser;
  const sgd = optimiser?.name === 'sgd';
  const parts = [u.gradientPart, u.momentumPart, u.l1Part, u.l2Part];
  const tolerance = toleranceFor(u.change, largest(parts));
  const givens: QuizGiven[] = [{ latex: '\\eta', text: 'η', value: eta }];
  const terms: QuizTerm[] = [];
  const mistakes: QuizMistake[] = [];
  let formula: FormulaPart[];
  const head = { latex: `\\Delta ${names.latex} = ` };
  const newWeight: QuizMistake = {
    kind: 'new-weight',
    term: null,
    value: u.new,
    sentence: `That is the new value w + Δw = ${num(u.old)} + ${paren(u.change)}; the question asks for the change Δw itself.`,
  };
  if (!optimiser) {
    // The perceptron rule: Δw = η (t − y) x, averaged over the batch.
    const n = u.contributions.length;
    for (const c of u.contributions)
      givens.push({ latex: 't - y', text: 't − y', value: c.delta }, { latex: 'x_{ji}', text: 'x_ji', value: c.x });
    formula = [
      head,
      { latex: '\\eta', term: 'eta' },
      { latex: '\\, ' },
      { latex: '(t_j - y_j)', term: 'error' },
      { latex: '\\, ' },
      { latex: 'x_{ji}', term: 'x' },
    ];
    terms.push({ term: 'eta', latex: '\\eta', text: 'η', value: eta });
    u.contributions.forEach((c) => terms.push({ term: 'error', latex: '(t_j - y_j)\\, x_{ji}', text: '(t − y)·x', value: c.delta * c.x }));
    mistakes.push(
      {
        kind: 'sign',
        term: 'error',
        value: -u.change,
        sentence: 'Your Δw has the wrong sign: the perceptron rule is Δw = η (t − y) x, target minus output.',
      },
      {
        kind: 'eta-left-out',
        term: 'eta',
        value: eta !== 0 ? u.change / eta : NaN,
        sentence: `You left out η: Δw = η (t − y) x with η = ${num(eta)}.`,
      },
      newWeight,
    );
    if (n > 1)
      mistakes.push({
        kind: 'batch-sum',
        term: 'eta',
        value: u.change * n,
        sentence: `That is the sum over the ${n} samples; the step averages them.`,
      });
  } else {
    givens.push({ latex: `\\partial J / \\partial ${names.latex}`, text: `∂J/∂${names.text}`, value: u.gradient });
    terms.push({ term: 'gradient', latex: `-\\eta\\, \\partial J / \\partial w`, text: '−η ∂J/∂w', value: u.gradientPart });
    if (sgd) {
      const alpha = trace.momentum;
      formula = [
        head,
        { latex: '-\\eta', term: 'eta' },
        { latex: '\\, ' },
        { latex: '\\frac{\\partial J}{\\partial w_{ji}}', term: 'gradient' },
      ];
      if (alpha !== 0) {
        formula.push({ latex: ' + ' }, { latex: '\\alpha\\, \\Delta w_{ji}(r-1)', term: 'momentum' });
        givens.push(
          { latex: '\\alpha', text: 'α', value: alpha },
          { latex: '\\Delta w_{ji}(r-1)', text: 'Δw(r−1)', value: u.momentumPart / alpha },
        );
        terms.push({ term: 'momentum', latex: '\\alpha\\, \\Delta w_{ji}(r-1)', text: 'α Δw(r−1)', value: u.momentumPart });
      }
      if (u.l1Part !== 0 || u.l2Part !== 0) {
        formula.push(
          { latex: ' - ' },
          { latex: '\\eta\\, (\\lambda_2 w_{ji} + \\lambda_1 \\operatorname{sign} w_{ji})', term: 'regularisation' },
        );
        givens.push({ latex: 'w_{ji}', text: 'w_ji', value: u.old });
        if (trace.l2 !== 0) givens.push({ latex: '\\lambda_2', text: 'λ₂', value: trace.l2 });
        if (trace.l1 !== 0) givens.push({ latex: '\\lambda_1', text: 'λ₁', value: trace.l1 });
        terms.push({ term: 'regularisation', latex: '-\\eta \\lambda_2 w_{ji}', text: '−η λ₂ w', value: u.l2Part });
        terms.push({
          term: 'regularisation',
          latex: '-\\eta \\lambda_1 \\operatorname{sign} w_{ji}',
          text: '−η λ₁ sign w',
          value: u.l1Part,
        });
      }
      mistakes.push(
        {
          kind: 'gradient-sign',
          term: 'eta',
          value: u.change - 2 * u.gradientPart,
          sentence: `Your step goes up the gradient: Δw = −η ∂J/∂w moves against it, here −${num(eta)}·${paren(u.gradient)} = ${num(u.gradientPart)}.`,
        },
        {
          kind: 'eta-left-out',
          term: 'eta',
          value: eta !== 0 ? u.change - u.gradientPart + u.gradientPart / eta : NaN,
          sentence: `You left out η: the step is −η ∂J/∂w with η = ${num(eta)}.`,
        },
        {
          kind: 'momentum-left-out',
          term: 'momentum',
          value: u.change - u.momentumPart,
          sentence: `You left out momentum's α Δw(r−1) = ${num(alpha)}·${paren(alpha !== 0 ? u.momentumPart / alpha : 0)} = ${num(u.momentumPart)}.`,
        },
        {
          kind: 'l2-left-out',
          term: 'regularisation',
          value: u.change - u.l2Part,
          sentence: `You left out L2's −η λ₂ w = ${num(u.l2Part)}.`,
        },
        {
          kind: 'l1-left-out',
          term: 'regularisation',
          value: u.change - u.l1Part,
          sentence: `You left out L1's −η λ₁ sign w = ${num(u.l1Part)}.`,
        },
        {
          kind: 'sign',
          term: 'eta',
          value: -u.change,
          sentence: 'Your Δw is the right size but the wrong sign: Δw = −η ∂J/∂w (+ α Δw(r−1)) goes against the gradient.',
        },
        newWeight,
      );
    } else {
      const definition = OPTIMISERS[optimiser.name];
      formula = [head, { latex: definition.latex.formula, term: 'gradient' }];
      for (const q of u.quantities) givens.push({ latex: traceFormulasLatex.symbol(q.symbol), text: q.symbol, value: q.value });
      for (const setting of optimiser.settings) givens.push({ latex: setting.symbol, text: setting.symbol, value: setting.value });
      if (u.momentumPart !== 0)
        terms.push({
          term: 'gradient',
          latex: definition.latex.memoryPart ?? 'memory',
          text: definition.partSymbols.memory ?? 'memory',
          value: u.momentumPart,
        });
      mistakes.push(
        {
          kind: 'momentum-left-out',
          term: 'gradient',
          value: u.change - u.momentumPart,
          sentence: `You left out the part from ${definition.partSymbols.memoryName ?? 'its memory'}, ${definition.partSymbols.memory ?? ''} = ${num(u.momentumPart)}.`,
        },
        {
          kind: 'sign',
          term: 'gradient',
          value: -u.change,
          sentence: `Your Δw is the right size but the wrong sign: ${definition.formula} moves against the gradient.`,
        },
        newWeight,
      );
    }
  }
  return {
    quantity: 'change',
    key: `change:${u.param}`,
    phase: 'update',
    sample: null,
    rows: trace.samples.map((s) => s.row),
    unit: names.unit,
    parameter: names.text,
    param: u.param,
    symbol: `Δ${names.text}`,
    symbolLatex: `\\Delta ${names.latex}`,
    formula,
    givens,
    terms,
    expected: u.change,
    tolerance,
    mistakes: distinct(mistakes, u.change, tolerance),
  };
}

/**
 * The parameters of an update stop the quiz can ask about: unit j's incoming weights and its bias,
 * those not locked (a locked one does not change).
 */
export function quizParameters(trace: StepTrace, stop: Extract<QuizStop, { phase: 'update' }>): ParameterUpdate[] {
  return trace.updates.filter((u) => u.nodeId === stop.nodeId && u.unit === stop.unit && !u.locked);
}

/**
 * The parameter an update stop asks about unless the student picks another: the first weight whose
 * input is not 0 in every sample (its ∂J/∂w is then not trivially 0), else the first parameter.
 */
export function defaultQuizParameter(trace: StepTrace, stop: Extract<QuizStop, { phase: 'update' }>): number | null {
  const candidates = quizParameters(trace, stop);
  const telling = candidates.find((u) => u.kind === 'weight' && u.contributions.some((c) => c.x !== 0));
  return (telling ?? candidates[0])?.param ?? null;
}

/**
 * The questions of one stop, in the order they are asked: s_j then z_j at a forward stop, δ_j at a
 * backward one, ∂J/∂w_ji then Δw_ji of parameter `param` (default {@link defaultQuizParameter}) at an
 * update (Δw alone under the perceptron rule, which has no gradient); none at the loss.
 */
export function quizQuestions(trace: StepTrace, stop: QuizStop, param?: number | null): QuizQuestion[] {
  if (stop.phase === 'forward') {
    const u = trace.samples[stop.sample].forward[stop.unit];
    return [sQuestion(trace, stop.sample, u), zQuestion(trace, stop.sample, u)];
  }
  if (stop.phase === 'backward') return [deltaQuestion(trace, stop.sample, trace.samples[stop.sample].backward[stop.unit])];
  if (stop.phase === 'loss') return [];
  const chosen = param ?? defaultQuizParameter(trace, stop);
  const update = quizParameters(trace, stop).find((u) => u.param === chosen);
  if (!update) return [];
  return trace.optimiser ? [gradientQuestion(trace, update), changeQuestion(trace, update)] : [changeQuestion(trace, update)];
}

/** Reads a typed answer: a typographic minus counts; empty or not a number is refused with a sentence. */
export function parseQuizAnswer(text: string): { value: number } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: 'Type a number first.' };
  const value = Number(trimmed.replace(/−/g, '-'));
  const shown = trimmed.length > 24 ? `${trimmed.slice(0, 24)}…` : trimmed;
  if (Number.isNaN(value)) return { problem: `“${shown}” is not a number (write decimals with a point: 0.25).` };
  if (!Number.isFinite(value)) return { problem: `${shown} is out of range.` };
  return { value };
}

/**
 * Checks a typed answer against a question: right within its tolerance; a wrong answer is matched to
 * the first of the question's mistakes it lands on (within the same share of that mistake's value),
 * or told to compare the terms when none explains it. Throws RangeError for text that is not a number
 * (use {@link parseQuizAnswer} to say so first).
 */
export function checkAnswer(question: QuizQuestion, typed: number | string): QuizCheck {
  let value: number;
  if (typeof typed === 'string') {
    const parsed = parseQuizAnswer(typed);
    if ('problem' in parsed) throw new RangeError(parsed.problem);
    value = parsed.value;
  } else value = typed;
  const { expected, tolerance, symbol } = question;
  const base = { typed: value, expected, tolerance };
  if (Math.abs(value - expected) <= tolerance)
    return { ...base, right: true, mistake: null, message: `Right: ${symbol} = ${num(expected)}.` };
  const mistake =
    question.mistakes.find((m) => Math.abs(value - m.value) <= Math.max(tolerance, QUIZ_RELATIVE_TOLERANCE * Math.abs(m.value))) ?? null;
  if (mistake) return { ...base, right: false, mistake, message: mistake.sentence };
  return {
    ...base,
    right: false,
    mistake: null,
    message: `Not ${num(value)}, and no single slip explains it: compare each term of ${symbol} with yours.`,
  };
}

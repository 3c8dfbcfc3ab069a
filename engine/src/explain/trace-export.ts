/**
 * A step trace for exercise sheets and spreadsheets: CSV, JSON, Markdown and LaTeX.
 *
 * The Markdown and LaTeX tables write every formula with its numbers in the lecture's symbols
 * (s_j, z_j, δ_j, η, φ′, Δw_ji), in the inspector's four phases: forward, loss, backward, update.
 * They are built from the trace's structured fields rather than from its `text` strings, so each
 * format can escape user-chosen unit names in its own way and LaTeX gets real math (\delta, \cdot)
 * instead of Unicode that pdflatex cannot typeset. Numbers are rounded as in the inspector
 * ({@link formatTraceNumber}); CSV and JSON carry full precision.
 */
import { ACTIVATIONS, ACTIVATION_NAMES, ELEMENTWISE, isElementwise, type ElementwiseActivation } from '../model/activations';
import type { Activation } from '../model/graph';
import { LOSSES, cancelsDerivative, formActivations, lossForm, type LossForm } from '../model/losses';
import { OPTIMISERS, OPTIMISER_SETTINGS } from '../train/optimisers';
import { formatNumber } from '../util/format';
import {
  formatTraceNumber,
  type Contribution,
  type LossTerm,
  type ParameterUpdate,
  type SampleTrace,
  type StepTrace,
  type UnitBackward,
  type UnitForward,
} from './trace';

/**
 * How to name a sample by its dataset row ({@link SampleTrace.row}: its row in the file or the
 * generated set, not its place in the shuffled training split), e.g. "row 7 (training split)".
 */
export type SampleLabel = (row: number) => string;

/** A step trains on training rows only, so every traced sample is one. */
export const defaultSampleLabel: SampleLabel = (row) => `row ${row} (training split)`;

const defaultLabel = defaultSampleLabel;

// ─── Dialects: the same formulas in plain Unicode, Markdown and LaTeX ─────────────────────────

/** What differs between the formats when writing a formula. */
interface Dialect {
  /** A user-chosen name (unit, feature, target, sample), escaped for the format. */
  name(text: string): string;
  /** A number as the inspector rounds it; negatives in parentheses where they stand in a product. */
  num(value: number, parenthesise?: boolean): string;
  /** `base` with a subscript (already rendered). */
  sub(base: string, index: string): string;
  times: string;
  /** "becomes", between a parameter's old and new value. */
  arrow: string;
  minus: string;
  delta: string;
  eta: string;
  alpha: string;
  /** The symbolic formulas, as the dialect writes them. */
  formulas: {
    forwardHead: string;
    zHead: string;
    deltaCancels: string;
    /** δ_k of a softmax under cross-entropy whose targets do not sum to 1. */
    deltaCancelsTargetSum: string;
    deltaOutput: string;
    deltaSoftmaxOutput: string;
    deltaHidden: string;
    deltaSoftmaxHidden: string;
    update: string;
    perceptronUpdate: string;
    phiPrime: Record<ElementwiseActivation, string>;
    softmax: string;
  };
}

/** Every elementwise activation's φ′ in one of the registry's spellings. */
function phiPrimeFormulas(field: 'derivativeFormula' | 'derivativeLatex'): Record<ElementwiseActivation, string> {
  const out = {} as Record<ElementwiseActivation, string>;
  for (const name of ACTIVATION_NAMES) {
    if (!isElementwise(name)) continue;
    const text = ELEMENTWISE[name][field];
    // The export prints a typographic prime, and φ′ = 0 needs no gloss beside the worked numbers.
    out[name] = field === 'derivativeLatex' ? text : text.replace("φ'", 'φ′').replace(' (no gradient)', '');
  }
  return out;
}

const PLAIN_FORMULAS: Dialect['formulas'] = {
  forwardHead: 's_j = Σ_i w_ji x_ji + b_j',
  zHead: 'z_j = φ(s_j)',
  deltaCancels: 'δ_k = t_k − z_k (φ′ cancels with cross-entropy)',
  deltaCancelsTargetSum: 'δ_k = t_k − z_k·Σt (φ′ cancels with cross-entropy; the targets do not sum to 1)',
  deltaOutput: 'δ_k = (t_k − z_k) φ′(s_k)',
  deltaSoftmaxOutput: 'δ_k = z_k [(t_k − z_k) − Σ_m (t_m − z_m) z_m] (softmax)',
  deltaHidden: 'δ_j = φ′(s_j) Σ_k w_kj δ_k',
  deltaSoftmaxHidden: 'δ_j = z_j [Σ_k w_kj δ_k − Σ_m z_m Σ_k w_km δ_k] (softmax)',
  update: 'Δw_ji = −η ∂J/∂w_ji + α Δw_ji(r−1) − η(λ₂ w_ji + λ₁ sign w_ji),  ∂J/∂w_ji = −δ_j x_ji',
  perceptronUpdate: 'Δw_ji = η (t_j − y_j) x_ji (perceptron rule)',
  phiPrime: phiPrimeFormulas('derivativeFormula'),
  softmax: 'z_k = e^(s_k) / Σ_m e^(s_m)',
};

const plainSymbols = {
  num: (value: number, parenthesise = true) => formatTraceNumber(value, parenthesise),
  sub: (base: string, index: string) => `${base}_${index}`,
  times: '·',
  arrow: ' → ',
  minus: '−',
  delta: 'δ',
  eta: 'η',
  alpha: 'α',
  formulas: PLAIN_FORMULAS,
};

/** Plain Unicode: CSV's formula column. */
const PLAIN: Dialect = { ...plainSymbols, name: (text) => text };

/**
 * Markdown (GitHub tables): names escaped so that a `|` cannot split a cell, `*`, `_` or a
 * backtick cannot start emphasis or code, and `$` cannot start GitHub's math; line breaks would
 * end the table row.
 */
const MARKDOWN: Dialect = {
  ...plainSymbols,
  name: (text) => text.replace(/[\\`*_[\]<>|#~$]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, ' '),
};

/** Escapes text for LaTeX's text mode (inside \text{…} or a plain table cell). */
export function escapeLatex(text: string): string {
  return text.replace(/[\\{}$&#%_^~]|\r\n|\r|\n/g, (c) => {
    switch (c) {
      case '\\':
        return '\\textbackslash{}';
      case '^':
        return '\\textasciicircum{}';
      case '~':
        return '\\textasciitilde{}';
      case '\r\n':
      case '\r':
      case '\n':
        return ' ';
      default:
        return `\\${c}`;
    }
  });
}

/** A number for LaTeX math: ASCII minus, scientific notation as ×10^n, non-finite spelled out. */
function latexNumber(value: number, parenthesise = true): string {
  if (Number.isNaN(value)) return '\\text{NaN}';
  if (!Number.isFinite(value)) return value > 0 ? '\\infty' : '-\\infty';
  let text = formatNumber(value, { minus: '-' });
  const exponent = /^(-?[\d.]+)e([+-]\d+)$/.exec(text);
  if (exponent) text = `${exponent[1]} \\times 10^{${Number(exponent[2])}}`;
  return value < 0 && parenthesise ? `(${text})` : text;
}

const LATEX: Dialect = {
  name: (text) => `\\text{${escapeLatex(text)}}`,
  num: latexNumber,
  sub: (base, index) => `${base}_{${index}}`,
  times: ' \\cdot ',
  arrow: ' \\to ',
  minus: '-',
  delta: '\\delta',
  eta: '\\eta',
  alpha: '\\alpha',
  formulas: {
    forwardHead: 's_j = \\sum_i w_{ji} x_{ji} + b_j',
    zHead: 'z_j = \\varphi(s_j)',
    deltaCancels: "\\delta_k = t_k - z_k \\text{ ($\\varphi'$ cancels with cross-entropy)}",
    deltaCancelsTargetSum:
      "\\delta_k = t_k - z_k \\sum_m t_m \\text{ ($\\varphi'$ cancels with cross-entropy; the targets do not sum to 1)}",
    deltaOutput: "\\delta_k = (t_k - z_k)\\, \\varphi'(s_k)",
    deltaSoftmaxOutput: '\\delta_k = z_k \\bigl[(t_k - z_k) - \\sum_m (t_m - z_m) z_m\\bigr] \\text{ (softmax)}',
    deltaHidden: "\\delta_j = \\varphi'(s_j) \\sum_k w_{kj} \\delta_k",
    deltaSoftmaxHidden: '\\delta_j = z_j \\bigl[\\sum_k w_{kj} \\delta_k - \\sum_m z_m \\sum_k w_{km} \\delta_k\\bigr] \\text{ (softmax)}',
    update:
      '\\Delta w_{ji} = -\\eta \\frac{\\partial J}{\\partial w_{ji}} + \\alpha\\, \\Delta w_{ji}(r-1) - \\eta (\\lambda_2 w_{ji} + \\lambda_1 \\operatorname{sign} w_{ji}), \\quad \\frac{\\partial J}{\\partial w_{ji}} = -\\delta_j x_{ji}',
    perceptronUpdate: '\\Delta w_{ji} = \\eta\\, (t_j - y_j)\\, x_{ji} \\text{ (perceptron rule)}',
    phiPrime: phiPrimeFormulas('derivativeLatex'),
    softmax: 'z_k = e^{s_k} / \\sum_m e^{s_m}',
  },
};

// ─── Formulas with numbers, shared by every format ─────────────────────────────────────────────

/** Looks up a unit's forward record (for its activation and its terms) by node and unit index. */
function forwardIndex(sample: SampleTrace): Map<string, UnitForward> {
  return new Map(sample.forward.map((f) => [`${f.nodeId}#${f.unit}`, f]));
}

/** `s_j = w·x + … + b = s` with the numbers. */
function sumWithNumbers(unit: UnitForward, d: Dialect): string {
  const terms = unit.terms.map((t) => `${d.num(t.w)}${d.times}${d.num(t.x)}`);
  return `${d.sub('s', d.name(unit.name))} = ${[...terms, d.num(unit.bias)].join(' + ')} = ${d.num(unit.s, false)}`;
}

/** `z_j = φ(s) = z` with the numbers. */
function activationWithNumbers(unit: UnitForward, d: Dialect): string {
  const fn = d === LATEX ? `\\mathrm{${unit.activation}}` : unit.activation;
  return `${d.sub('z', d.name(unit.name))} = ${fn}(${d.num(unit.s, false)}) = ${d.num(unit.z, false)}`;
}

/** The symbolic δ rule that applied to a unit. */
function deltaRule(record: UnitBackward, activation: Activation, trace: StepTrace, d: Dialect): string {
  const f = d.formulas;
  if (record.role === 'output') {
    if (cancelsDerivative(trace.loss, activation)) return record.targetSum === undefined ? f.deltaCancels : f.deltaCancelsTargetSum;
    if (activation === 'softmax') return f.deltaSoftmaxOutput;
    return `${f.deltaOutput}, ${f.phiPrime[activation]}`;
  }
  if (activation === 'softmax') return f.deltaSoftmaxHidden;
  return `${f.deltaHidden}, ${f.phiPrime[activation]}`;
}

/** δ_j with the numbers plugged into the rule that applied. */
function deltaWithNumbers(record: UnitBackward, activation: Activation, sample: SampleTrace, trace: StepTrace, d: Dialect): string {
  const lhs = `${d.sub(d.delta, d.name(record.name))} = `;
  const result = ` = ${d.num(record.delta, false)}`;
  const layer = sample.backward.filter((b) => b.nodeId === record.nodeId);
  const layerZ = (b: UnitBackward) => sample.forward.find((f) => f.nodeId === b.nodeId && f.unit === b.unit)!.z;
  if (record.role === 'output') {
    const { t, z } = record.error!;
    const tz = `(${d.num(t)} ${d.minus} ${d.num(z)})`;
    if (cancelsDerivative(trace.loss, activation)) {
      return record.targetSum === undefined
        ? `${lhs}${tz}${result}`
        : `${lhs}${d.num(t)} ${d.minus} ${d.num(z)}${d.times}${d.num(record.targetSum)}${result}`;
    }
    if (activation === 'softmax') {
      // Σ_m (t_m − z_m) z_m over the layer: not stored in the record, but all its parts are.
      const weighted = layer.reduce((sum, b) => sum + (b.error!.t - b.error!.z) * b.error!.z, 0);
      return `${lhs}${d.num(z)}${d.times}[${tz} ${d.minus} ${d.num(weighted)}]${result}`;
    }
    return `${lhs}${tz}${d.times}${d.num(record.phiPrime!.value)}${result}`;
  }
  const terms = record.downstream.length ? record.downstream.map((t) => `${d.num(t.w)}${d.times}${d.num(t.delta)}`).join(' + ') : '0';
  if (activation === 'softmax') {
    const weighted = layer.reduce((sum, b) => sum + (b.sum ?? 0) * layerZ(b), 0);
    return `${lhs}${d.num(layerZ(record))}${d.times}[(${terms}) ${d.minus} ${d.num(weighted)}]${result}`;
  }
  return `${lhs}${d.num(record.phiPrime!.value)}${d.times}(${terms})${result}`;
}

/** The parameter's name as the inspector shows it, e.g. `w(h←x1)`, `b(h)`; LaTeX in math. */
function parameterName(update: ParameterUpdate, units: ParameterUnits, d: Dialect): string {
  if (d !== LATEX) return d.name(update.name);
  const unit = units.byUnit.get(`${update.nodeId}#${update.unit}`);
  const target = unit ? unit.name : update.nodeId;
  if (update.kind === 'bias') return `b(${d.name(target)})`;
  const source = units.sourceOf.get(update.param) ?? '?';
  return `w(${d.name(target)} \\leftarrow ${d.name(source)})`;
}

/** The first sample's units by node and index, and each weight's source unit by parameter. */
interface ParameterUnits {
  byUnit: Map<string, UnitForward>;
  sourceOf: Map<number, string>;
}

/** Built once per trace: looking each parameter up by a search would be quadratic in the network. */
function parameterUnits(trace: StepTrace): ParameterUnits {
  const sample = trace.samples[0];
  const byUnit = new Map<string, UnitForward>();
  const sourceOf = new Map<number, string>();
  for (const unit of sample?.forward ?? []) {
    const key = `${unit.nodeId}#${unit.unit}`;
    if (!byUnit.has(key)) byUnit.set(key, unit);
    for (const term of unit.terms) if (!sourceOf.has(term.param)) sourceOf.set(term.param, term.source);
  }
  return { byUnit, sourceOf };
}

/** ∂J/∂w with the per-sample contributions when the batch has more than one sample. */
function gradientWithNumbers(update: ParameterUpdate, d: Dialect): string {
  const mean = d.num(update.gradient, false);
  if (update.contributions.length < 2) return mean;
  const parts = update.contributions.map((c) => d.num(c.gradient)).join(' + ');
  return d === LATEX
    ? `\\frac{${parts}}{${update.contributions.length}} = ${mean}`
    : `(${parts}) / ${update.contributions.length} = ${mean}`;
}

/**
 * The update's formula as the dialect writes it: the lecture's for gradient descent, else the
 * optimiser's (with g = ∂J/∂w + λ₂ w + λ₁ sign w, the gradient every optimiser is given).
 */
function updateFormula(trace: StepTrace, d: Dialect): string {
  const optimiser = trace.optimiser;
  if (!optimiser) return d.formulas.perceptronUpdate;
  if (optimiser.name === 'sgd') return d.formulas.update;
  const definition = OPTIMISERS[optimiser.name];
  return d === LATEX
    ? `g = \\frac{\\partial J}{\\partial w_{ji}} + \\lambda_2 w_{ji} + \\lambda_1 \\operatorname{sign} w_{ji}, \\quad ${definition.latex.formula}`
    : `g = ∂J/∂w_ji + λ₂ w_ji + λ₁ sign w_ji,  ${definition.formula}`;
}

/** The update table's columns between ∂J/∂w_ji and the L1/L2 parts: the optimiser's numbers, then Δw's gradient and memory parts. */
function updateHeader(trace: StepTrace, d: Dialect): string[] {
  const optimiser = trace.optimiser;
  const latex = d === LATEX;
  const sgd = !optimiser || optimiser.name === 'sgd';
  const definition = OPTIMISERS[optimiser?.name ?? 'sgd'];
  const quantities = (trace.updates[0]?.quantities ?? []).map((q) => (latex ? `$${latexSymbol(q.symbol)}$` : q.symbol));
  // g differs from ∂J/∂w only under L1 or L2; gradient descent's table shows those parts instead.
  const header = [
    ...(showsG(trace) ? ['g'] : []),
    ...quantities,
    latex ? `$${definition.latex.gradientPart}$` : sgd ? '−η ∂J/∂w_ji' : definition.partSymbols.gradient,
  ];
  const memory = latex
    ? definition.latex.memoryPart && `$${definition.latex.memoryPart}$`
    : sgd
      ? 'α Δw_ji(r−1)'
      : definition.partSymbols.memory;
  if (memory) header.push(memory);
  const regularisation = regularisationColumns(trace);
  if (regularisation.l1)
    header.push(sgd ? (latex ? 'L1: $-\\eta \\lambda_1 \\operatorname{sign} w_{ji}$' : 'L1: −η λ₁ sign w_ji') : 'L1 part');
  if (regularisation.l2) header.push(sgd ? (latex ? 'L2: $-\\eta \\lambda_2 w_{ji}$' : 'L2: −η λ₂ w_ji') : 'L2 part');
  return header;
}

/** Whether the update tables show g = ∂J/∂w + λ₂ w + λ₁ sign w: for an optimiser other than gradient descent, under L1 or L2. */
function showsG(trace: StepTrace): boolean {
  return !!trace.optimiser && trace.optimiser.name !== 'sgd' && (trace.l1 !== 0 || trace.l2 !== 0);
}

/** An optimiser quantity's symbol in LaTeX (m̂ → \hat m). */
function latexSymbol(symbol: string): string {
  return symbol.replace(/(\w)\u0302/g, '\\hat $1');
}

/** Δw as its parts and their sum; a part that is 0 (no momentum, no L1 or L2) is left out. */
function changeWithNumbers(update: ParameterUpdate, d: Dialect): string {
  const parts = [d.num(update.gradientPart, false)];
  if (update.momentumPart !== 0) parts.push(d.num(update.momentumPart));
  if (update.l1Part !== 0) parts.push(d.num(update.l1Part));
  if (update.l2Part !== 0) parts.push(d.num(update.l2Part));
  const change = d.num(update.change, false);
  if (update.locked) return d === LATEX ? `0 \\text{ (locked)}` : '0 (locked)';
  return parts.length > 1 ? `${parts.join(' + ')} = ${change}` : change;
}

/**
 * Which regularisation columns the update tables carry: L1 and L2 each only when its λ is set
 * (gradient descent only), so that a table without regularisation is not two columns of zeros.
 */
function regularisationColumns(trace: StepTrace): { l1: boolean; l2: boolean } {
  const gd = trace.algorithm === 'gradientDescent';
  return { l1: gd && trace.l1 !== 0, l2: gd && trace.l2 !== 0 };
}

function settingsLine(trace: StepTrace, d: Dialect): string {
  const eq = (symbol: string, value: number) => `${symbol} = ${d === LATEX ? latexNumber(value, false) : String(value)}`;
  const optimiser = trace.optimiser;
  if (!optimiser) return eq(d.eta, trace.learningRate);
  return [
    ...(optimiser.name === 'sgd' ? [] : [d === LATEX ? `\\text{${optimiser.label}}` : optimiser.label]),
    eq(d.eta, trace.learningRate),
    ...OPTIMISERS[optimiser.name].settings.map((name, k) =>
      eq(d === LATEX ? OPTIMISER_SETTINGS[name].latex : OPTIMISER_SETTINGS[name].symbol, optimiser.settings[k].value),
    ),
    eq(d === LATEX ? '\\lambda_1' : 'λ₁', trace.l1),
    eq(d === LATEX ? '\\lambda_2' : 'λ₂', trace.l2),
  ].join(', ');
}

// ─── CSV ──────────────────────────────────────────────────────────────────────────────────────

/** The CSV's columns, in order. */
export const TRACE_CSV_COLUMNS = ['phase', 'sample', 'unit', 'term', 'quantity', 'formula', 'value'] as const;

/** One field quoted as RFC 4180 says: in double quotes, with quotes doubled, when it needs them. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The trace as CSV (RFC 4180: CRLF line ends, a header row, fields quoted when they contain a
 * comma, quote or line break): one row per quantity, columns {@link TRACE_CSV_COLUMNS}:
 *
 * - `phase`: `settings`, `input`, `forward`, `loss`, `backward` or `update`;
 * - `sample`: the sample's label (empty for settings, the batch's mean loss and whole-batch update rows);
 * - `unit`: the unit j (or output k) the row is about; for update rows, the unit the parameter feeds;
 * - `term`: what the row's term refers to: the source unit i of a w_ji·x_ji term, the unit k of a
 *   w_kj·δ_k term, the target column of a loss term, or the parameter's name in update rows;
 * - `quantity`: the symbol (`x_i`, `w_ji`, `x_ji`, `w_ji·x_ji`, `b_j`, `s_j`, `z_j`, `t_k`, `z_k`, `J_k`, `J`,
 *   `J (batch mean)`, `t_k − z_k`, `φ′(s_j)`, `w_kj`, `δ_k`, `w_kj·δ_k`, `Σ_k w_kj δ_k`, `δ_j`,
 *   `∂J/∂w (sample)`, `∂J/∂w`, `−η ∂J/∂w`, `α Δw(r−1)`, `−η λ₁ sign w` (the L1 part),
 *   `−η λ₂ w` (the L2 part), `Δw`, `w old`, `w new`, and in settings `algorithm`, `loss`, `η`, `α`,
 *   `λ₁`, `λ₂`); every update has both regularisation rows, 0 where the penalty is off;
 * - `formula`: the formula with its numbers where there is one (as the inspector prints it);
 * - `value`: the number at full precision (shortest round-trip form; −0 is written 0), the
 *   algorithm's and the loss's names in the settings rows.
 */
export function traceToCsv(trace: StepTrace, sampleLabel: SampleLabel = defaultLabel): string {
  const rows: string[][] = [[...TRACE_CSV_COLUMNS]];
  const row = (phase: string, sample: string, unit: string, term: string, quantity: string, formula: string, value: number | string) =>
    rows.push([phase, sample, unit, term, quantity, formula, typeof value === 'number' ? String(value) : value]);
  const gd = trace.algorithm === 'gradientDescent';

  row('settings', '', '', '', 'algorithm', gd ? 'gradient descent' : 'perceptron rule', trace.algorithm);
  row('settings', '', '', '', 'loss', trace.lossFormula, trace.loss);
  row('settings', '', '', '', 'η', '', trace.learningRate);
  if (trace.optimiser) {
    row('settings', '', '', '', 'optimiser', trace.optimiser.formula, trace.optimiser.name);
    for (const setting of trace.optimiser.settings) row('settings', '', '', '', setting.symbol, '', setting.value);
    if (trace.optimiser.name === 'adam') row('settings', '', '', '', 't', '', trace.optimiser.t);
    row('settings', '', '', '', 'λ₁', '', trace.l1);
    row('settings', '', '', '', 'λ₂', '', trace.l2);
  }

  for (const sample of trace.samples) {
    const label = sampleLabel(sample.row);
    const units = forwardIndex(sample);
    for (const input of sample.inputs) row('input', label, input.feature, '', 'x_i', '', input.value);
    for (const unit of sample.forward) {
      for (const t of unit.terms) {
        row('forward', label, unit.name, t.source, 'w_ji', '', t.w);
        row('forward', label, unit.name, t.source, 'x_ji', '', t.x);
        row('forward', label, unit.name, t.source, 'w_ji·x_ji', `${formatTraceNumber(t.w)}·${formatTraceNumber(t.x)}`, t.product);
      }
      row('forward', label, unit.name, '', 'b_j', '', unit.bias);
      row('forward', label, unit.name, '', 's_j', sumWithNumbers(unit, PLAIN), unit.s);
      row(
        'forward',
        label,
        unit.name,
        '',
        'z_j',
        `${unit.activation === 'softmax' ? PLAIN_FORMULAS.softmax : `z = ${unit.activation}(s)`}: ${activationWithNumbers(unit, PLAIN)}`,
        unit.z,
      );
    }
    for (const term of sample.lossTerms) {
      row('loss', label, term.name, term.target, 't_k', '', term.t);
      row('loss', label, term.name, term.target, 'z_k', '', term.z);
      row('loss', label, term.name, term.target, 'J_k', '', term.value);
    }
    row('loss', label, '', '', 'J', trace.lossFormula, sample.loss);
    for (const record of sample.backward) {
      const activation = units.get(`${record.nodeId}#${record.unit}`)!.activation;
      if (record.error)
        row(
          'backward',
          label,
          record.name,
          '',
          't_k − z_k',
          `${formatTraceNumber(record.error.t)} − ${formatTraceNumber(record.error.z)}`,
          record.error.t - record.error.z,
        );
      if (record.phiPrime)
        row(
          'backward',
          label,
          record.name,
          '',
          'φ′(s_j)',
          PLAIN_FORMULAS.phiPrime[activation as ElementwiseActivation],
          record.phiPrime.value,
        );
      for (const t of record.downstream) {
        row('backward', label, record.name, t.name, 'w_kj', '', t.w);
        row('backward', label, record.name, t.name, 'δ_k', '', t.delta);
        row('backward', label, record.name, t.name, 'w_kj·δ_k', `${formatTraceNumber(t.w)}·${formatTraceNumber(t.delta)}`, t.product);
      }
      if (record.sum !== null) row('backward', label, record.name, '', 'Σ_k w_kj δ_k', '', record.sum);
      row(
        'backward',
        label,
        record.name,
        '',
        'δ_j',
        `${deltaRule(record, activation, trace, PLAIN)}: ${deltaWithNumbers(record, activation, sample, trace, PLAIN)}`,
        record.delta,
      );
    }
  }
  if (trace.samples.length > 1) row('loss', '', '', '', 'J (batch mean)', '', trace.meanLoss);

  const labels = new Map(trace.samples.map((s) => [s.index, sampleLabel(s.row)]));
  for (const update of trace.updates) {
    const unit = unitNameOf(update, trace);
    const u = (quantity: string, formula: string, value: number, sample = '') =>
      row('update', sample, unit, update.name, quantity, formula, value);
    if (update.contributions.length > 1) {
      for (const c of update.contributions)
        u('∂J/∂w (sample)', `−${formatTraceNumber(c.delta)}·${formatTraceNumber(c.x)}`, c.gradient, labels.get(c.sample)!);
    }
    u('∂J/∂w', gradientWithNumbers(update, PLAIN), update.gradient);
    const sgd = !trace.optimiser || trace.optimiser.name === 'sgd';
    if (!sgd) {
      u('g', '∂J/∂w + λ₂ w + λ₁ sign w', update.g);
      for (const quantity of update.quantities) u(quantity.symbol, quantity.label, quantity.value);
    }
    const symbols = OPTIMISERS[trace.optimiser?.name ?? 'sgd'].partSymbols;
    u(sgd ? '−η ∂J/∂w' : symbols.gradient, '', update.gradientPart);
    if (sgd || symbols.memory) u(sgd ? 'α Δw(r−1)' : symbols.memory!, '', update.momentumPart);
    u(sgd ? '−η λ₁ sign w' : 'L1 part', '', update.l1Part);
    u(sgd ? '−η λ₂ w' : 'L2 part', '', update.l2Part);
    u('Δw', changeWithNumbers(update, PLAIN), update.change);
    u('w old', '', update.old);
    u('w new', update.locked ? 'locked: not changed' : '', update.new);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The name of the unit j a parameter feeds, from the first sample's forward records. */
function unitNameOf(update: ParameterUpdate, trace: StepTrace): string {
  return trace.samples[0]?.forward.find((f) => f.nodeId === update.nodeId && f.unit === update.unit)?.name ?? update.nodeId;
}

// ─── JSON ─────────────────────────────────────────────────────────────────────────────────────

/** The format tag and version every exported trace starts with (docs/trace-format.md). */
export const TRACE_JSON_FORMAT = 'nnstudio-trace';
export const TRACE_JSON_VERSION = 2;

/** One traced sample in {@link TraceJson}: named by its dataset row. */
export interface TraceJsonSample {
  /** The dataset's row number (its row in the file or the generated set). */
  row: number;
  /** The split the row is in: a step always trains on training rows. */
  split: 'train';
  /** The row as the app names it, e.g. `row 7 (training split)`. */
  label: string;
  /** Its place in the shuffled training split (the trainer's sample number). */
  position: number;
  inputs: SampleTrace['inputs'];
  forward: UnitForward[];
  lossTerms: LossTerm[];
  loss: number;
  backward: UnitBackward[];
}

/** δ_j of one unit over the batch. */
export interface TraceJsonUnit {
  nodeId: string;
  /** 0-based unit index within its node (as `bias[unit]` in the .nnproj); `name` is its label. */
  unit: number;
  /** The label the app shows: the node's label, and for a dense layer `[unit + 1]` (`h[1]` is unit 0). */
  name: string;
  /** δ_j of each sample, in the order of `samples`. */
  delta: number[];
  /** The mean of `delta` over the batch. */
  deltaMean: number;
}

/** One parameter's update in {@link TraceJson}: Δw split into its four parts. */
export interface TraceJsonUpdate {
  param: number;
  name: string;
  kind: ParameterUpdate['kind'];
  nodeId: string;
  /** 0-based target unit j within `nodeId`, labelled `unitName`. */
  unit: number;
  unitName: string;
  edgeId: string | null;
  /** 0-based source unit i within the edge's source node, labelled `sourceName` (null for biases). */
  sourceUnit: number | null;
  sourceName: string | null;
  /** Per sample: δ_j, x_ji and −δ_j x_ji, named by the sample's dataset row. */
  contributions: { row: number; delta: number; x: number; gradient: number }[];
  /** ∂J/∂w_ji: the mean of the contributions. */
  gradient: number;
  /** The gradient the optimiser used, g = ∂J/∂w_ji + λ₂ w + λ₁ sign w (regularised weights only). */
  g: number;
  /** Δw's part from this step's ∂J/∂w_ji (−η ∂J/∂w_ji for gradient descent). */
  gradientPart: number;
  /** Δw's part from the optimiser's memory (α Δw(r−1) for gradient descent; 0 where it has none). */
  momentumPart: number;
  /** L1's part of Δw (−η λ₁ sign w for gradient descent; 0 for biases and bias-node edges). */
  l1Part: number;
  /** L2's part of Δw (−η λ₂ w for gradient descent; 0 for biases and bias-node edges). */
  l2Part: number;
  /** The optimiser's numbers for this parameter (Adam's m, v, m̂, v̂). */
  quantities: { symbol: string; label: string; value: number }[];
  /** Δw_ji as the optimiser computes it; the four parts add up to it up to rounding (0 when locked). */
  change: number;
  old: number;
  new: number;
  locked: boolean;
}

/**
 * The JSON shape of an exported trace, `format` {@link TRACE_JSON_FORMAT}, `version`
 * {@link TRACE_JSON_VERSION}, keys in this order; `nnstudio trace --json` writes the same.
 * Samples are named by dataset row; every unit index is 0-based, beside the label the app shows.
 * Numbers are exact (JSON's shortest round-trip form), except that −0 becomes 0 and a non-finite
 * number (a diverged step) becomes `null`, as JSON has neither. Documented in docs/trace-format.md.
 */
export interface TraceJson {
  format: typeof TRACE_JSON_FORMAT;
  version: typeof TRACE_JSON_VERSION;
  algorithm: StepTrace['algorithm'];
  loss: StepTrace['loss'];
  lossFormula: string;
  learningRate: number;
  momentum: number;
  l1: number;
  l2: number;
  /** The optimiser, its formula, its settings and this step's number t; null for the perceptron rule. */
  optimiser: StepTrace['optimiser'];
  meanLoss: number;
  samples: TraceJsonSample[];
  /** Per computing unit in topological order, δ per sample and its mean; empty for the perceptron rule. */
  units: TraceJsonUnit[];
  updates: TraceJsonUpdate[];
  newParams: number[];
  /** The optimiser's memory after the step, each slot (by its key) in the compiled model's parameter order. */
  newOptimiserState: { kind: string; step: number; slots: Record<string, number[]> };
}

/** The trace as a {@link TraceJson} object. */
export function traceJson(trace: StepTrace, sampleLabel: SampleLabel = defaultLabel): TraceJson {
  const rowOf = new Map(trace.samples.map((s) => [s.index, s.row]));
  const names = parameterUnits(trace);
  const units: TraceJsonUnit[] = [];
  if (trace.algorithm === 'gradientDescent' && trace.samples.length > 0) {
    // δ by unit, per sample: one map per sample, not a search per unit (a wide layer would be quadratic).
    const deltas = trace.samples.map((sample) => new Map(sample.backward.map((b) => [`${b.nodeId}#${b.unit}`, b.delta])));
    for (const f of trace.samples[0].forward) {
      const key = `${f.nodeId}#${f.unit}`;
      const delta = deltas.map((byUnit) => byUnit.get(key)!);
      let sum = 0;
      for (const value of delta) sum += value;
      units.push({ nodeId: f.nodeId, unit: f.unit, name: f.name, delta, deltaMean: sum / delta.length });
    }
  }
  const contribution = (c: Contribution) => ({ row: rowOf.get(c.sample)!, delta: c.delta, x: c.x, gradient: c.gradient });
  return {
    format: TRACE_JSON_FORMAT,
    version: TRACE_JSON_VERSION,
    algorithm: trace.algorithm,
    loss: trace.loss,
    lossFormula: trace.lossFormula,
    learningRate: trace.learningRate,
    momentum: trace.momentum,
    l1: trace.l1,
    l2: trace.l2,
    optimiser: trace.optimiser,
    meanLoss: trace.meanLoss,
    samples: trace.samples.map((sample) => ({
      row: sample.row,
      split: 'train',
      label: sampleLabel(sample.row),
      position: sample.index,
      inputs: sample.inputs,
      forward: sample.forward,
      lossTerms: sample.lossTerms,
      loss: sample.loss,
      backward: sample.backward,
    })),
    units,
    updates: trace.updates.map((u) => ({
      param: u.param,
      name: u.name,
      kind: u.kind,
      nodeId: u.nodeId,
      unit: u.unit,
      unitName: names.byUnit.get(`${u.nodeId}#${u.unit}`)?.name ?? u.nodeId,
      edgeId: u.edgeId,
      sourceUnit: u.sourceUnit,
      sourceName: u.kind === 'weight' ? (names.sourceOf.get(u.param) ?? null) : null,
      contributions: u.contributions.map(contribution),
      gradient: u.gradient,
      g: u.g,
      gradientPart: u.gradientPart,
      momentumPart: u.momentumPart,
      l1Part: u.l1Part,
      l2Part: u.l2Part,
      quantities: u.quantities,
      change: u.change,
      old: u.old,
      new: u.new,
      locked: u.locked,
    })),
    newParams: Array.from(trace.newParams),
    newOptimiserState: {
      kind: trace.newOptimiserState.kind,
      step: trace.newOptimiserState.step,
      slots: Object.fromEntries(
        OPTIMISERS[trace.newOptimiserState.kind].slots.map((slot, k) => [slot.key, Array.from(trace.newOptimiserState.slots[k])]),
      ),
    },
  };
}

/** The trace as a JSON string of shape {@link TraceJson}, indented by two spaces. */
export function traceToJson(trace: StepTrace, sampleLabel: SampleLabel = defaultLabel): string {
  return `${JSON.stringify(traceJson(trace, sampleLabel), null, 2)}\n`;
}

/**
 * Appends a table's lines (and then `after`) one by one: a spread into push would overflow the
 * stack on the update table of a large network.
 */
function append(lines: string[], table: readonly string[], ...after: string[]): void {
  for (const line of table) lines.push(line);
  for (const line of after) lines.push(line);
}

// ─── Markdown ─────────────────────────────────────────────────────────────────────────────────

/** A GitHub-flavoured Markdown table (cells already escaped). */
function markdownTable(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/**
 * The trace as Markdown for an exercise sheet: per sample a heading, the inputs, and a table for
 * each phase (forward: s_j and z_j with their numbers; loss: t_k, z_k and each term; backward: the
 * δ rule that applied and its numbers), then one update table over all parameters
 * (∂J/∂w_ji, Δw_ji with its parts: gradient, momentum, and L1 and L2 each in its own column when
 * its λ is set; old → new). Headings are `##` per sample and `###` per phase.
 */
export function traceToMarkdown(trace: StepTrace, sampleLabel: SampleLabel = defaultLabel): string {
  const d = MARKDOWN;
  const gd = trace.algorithm === 'gradientDescent';
  const lines: string[] = [];
  const which = trace.samples.length === 1 ? d.name(sampleLabel(trace.samples[0].row)) : `a mini-batch of ${trace.samples.length} samples`;
  lines.push(`# One training step (${gd ? 'gradient descent' : 'perceptron rule'}) on ${which}`, '', `${settingsLine(trace, d)}`, '');

  for (const sample of trace.samples) {
    const units = forwardIndex(sample);
    lines.push(`## ${d.name(sampleLabel(sample.row))}`, '');
    lines.push(`Inputs: ${sample.inputs.map((i) => `${d.name(i.feature)} = ${d.num(i.value, false)}`).join(', ')}`, '');
    lines.push(`### 1. Forward: ${d.formulas.forwardHead}, ${d.formulas.zHead}`, '');
    append(
      lines,
      markdownTable(
        ['unit j', d.formulas.forwardHead, d.formulas.zHead],
        sample.forward.map((u) => [d.name(u.name), sumWithNumbers(u, d), activationWithNumbers(u, d)]),
      ),
      '',
    );
    lines.push(`### 2. Loss: ${trace.lossFormula}`, '');
    append(
      lines,
      markdownTable(
        ['output k', 'target', 't_k', 'z_k', 'term'],
        sample.lossTerms.map((t) => [d.name(t.name), d.name(t.target), d.num(t.t, false), d.num(t.z, false), d.num(t.value, false)]),
      ),
      '',
    );
    lines.push(`J = ${d.num(sample.loss, false)}`, '');
    if (gd) {
      lines.push(`### 3. Backward: δ_j = −∂J/∂s_j, in reverse order`, '');
      const rows = sample.backward.map((b) => {
        const activation = units.get(`${b.nodeId}#${b.unit}`)!.activation;
        return [d.name(b.name), b.role, deltaRule(b, activation, trace, d), deltaWithNumbers(b, activation, sample, trace, d)];
      });
      append(lines, markdownTable(['unit j', 'role', 'rule', 'δ_j with numbers'], rows), '');
    }
  }

  if (trace.samples.length > 1) lines.push(`Mean loss over the batch: J = ${d.num(trace.meanLoss, false)}`, '');
  lines.push(`## ${gd ? '4. Update' : 'Update'}: ${updateFormula(trace, d)}`, '');
  const rows = updateRows(trace, d);
  const header = ['parameter', '∂J/∂w_ji', ...updateHeader(trace, d), 'Δw_ji', 'old → new'];
  append(lines, markdownTable(header, rows));
  return `${lines.join('\n')}\n`;
}

/** The update table's rows, one per parameter, as a dialect writes them ({@link regularisationColumns}). */
function updateRows(trace: StepTrace, d: Dialect): string[][] {
  const units = d === LATEX ? parameterUnits(trace) : { byUnit: new Map(), sourceOf: new Map() };
  const regularisation = regularisationColumns(trace);
  return trace.updates.map((u) => {
    const hasMemory = !trace.optimiser || OPTIMISERS[trace.optimiser.name].partSymbols.memory !== null;
    const row = [
      parameterName(u, units, d),
      gradientWithNumbers(u, d),
      ...(showsG(trace) ? [d.num(u.g, false)] : []),
      ...u.quantities.map((q) => d.num(q.value, false)),
      d.num(u.gradientPart, false),
    ];
    if (hasMemory) row.push(d.num(u.momentumPart, false));
    if (regularisation.l1) row.push(d.num(u.l1Part, false));
    if (regularisation.l2) row.push(d.num(u.l2Part, false));
    row.push(changeWithNumbers(u, d), `${d.num(u.old, false)}${d.arrow}${d.num(u.new, false)}`);
    return row;
  });
}

// ─── LaTeX ────────────────────────────────────────────────────────────────────────────────────

/** A tabular of math cells (each cell already LaTeX math). */
function latexTable(header: string[], rows: string[][]): string[] {
  return [
    `\\begin{tabular}{${header.map(() => 'l').join('')}}`,
    '\\hline',
    `${header.join(' & ')} \\\\`,
    '\\hline',
    ...rows.map((r) => `${r.map((cell) => `$${cell}$`).join(' & ')} \\\\`),
    '\\hline',
    '\\end{tabular}',
  ];
}

/**
 * The trace as a LaTeX fragment for an exercise sheet: the same tables as
 * {@link traceToMarkdown}, as `tabular` environments with math cells, the loss and the update
 * rule in `align*`. It needs `\usepackage{amsmath}` (for `align*` and `\text`) and nothing else;
 * user-chosen names are escaped (`_ % & # $ { } ~ ^ \`), minus signs are ASCII `-`.
 */
export function traceToLatex(trace: StepTrace, sampleLabel: SampleLabel = defaultLabel): string {
  const d = LATEX;
  const gd = trace.algorithm === 'gradientDescent';
  const text = (s: string) => escapeLatex(s);
  const lines: string[] = ['% NN Studio step trace. Needs \\usepackage{amsmath}.'];
  const which = trace.samples.length === 1 ? text(sampleLabel(trace.samples[0].row)) : `a mini-batch of ${trace.samples.length} samples`;
  lines.push(
    `\\noindent\\textbf{One training step (${gd ? 'gradient descent' : 'perceptron rule'}) on ${which}:} $${settingsLine(trace, d)}$.\\par`,
    '',
  );

  for (const sample of trace.samples) {
    const units = forwardIndex(sample);
    lines.push(
      `\\medskip\\noindent\\textbf{${text(sampleLabel(sample.row))}.} Inputs: $${sample.inputs.map((i) => `${d.name(i.feature)} = ${d.num(i.value, false)}`).join(',\\ ')}$.\\par`,
      '',
    );
    lines.push(`\\noindent 1. Forward, in topological order:\\par`, '');
    append(
      lines,
      latexTable(
        ['unit $j$', `$${d.formulas.forwardHead}$`, `$${d.formulas.zHead}$`],
        sample.forward.map((u) => [d.name(u.name), sumWithNumbers(u, d), activationWithNumbers(u, d)]),
      ),
      '',
    );
    lines.push(`\\noindent 2. Loss:\\par`, '');
    append(
      lines,
      latexTable(
        ['output $k$', 'target', '$t_k$', '$z_k$', 'term'],
        sample.lossTerms.map((t) => [d.name(t.name), d.name(t.target), d.num(t.t, false), d.num(t.z, false), d.num(t.value, false)]),
      ),
      '',
    );
    lines.push('\\begin{align*}', `J &= ${lossFormulaLatex(trace)} = ${d.num(sample.loss, false)}`, '\\end{align*}', '');
    if (gd) {
      lines.push(`\\noindent 3. Backward, in reverse order: $\\delta_j = -\\partial J / \\partial s_j$\\par`, '');
      const rows = sample.backward.map((b) => {
        const activation = units.get(`${b.nodeId}#${b.unit}`)!.activation;
        return [d.name(b.name), `\\text{${b.role}}`, deltaRule(b, activation, trace, d), deltaWithNumbers(b, activation, sample, trace, d)];
      });
      append(lines, latexTable(['unit $j$', 'role', 'rule', '$\\delta_j$ with numbers'], rows), '');
    }
  }

  if (trace.samples.length > 1)
    lines.push('\\begin{align*}', `\\bar J &= ${d.num(trace.meanLoss, false)} \\quad \\text{(mean over the batch)}`, '\\end{align*}', '');
  lines.push(`\\noindent ${gd ? '4. ' : ''}Update:\\par`, '\\begin{align*}', `& ${updateFormula(trace, d)}`, '\\end{align*}', '');
  const rows = updateRows(trace, d);
  const header = ['parameter', '$\\partial J / \\partial w_{ji}$', ...updateHeader(trace, d), '$\\Delta w_{ji}$', 'old $\\to$ new'];
  append(lines, latexTable(header, rows));
  return `${lines.join('\n')}\n`;
}

/** The loss in the lecture's form, for the trace's loss and output kind. */
function lossFormulaLatex(trace: StepTrace): string {
  const sample = trace.samples[0];
  const outputNames = new Set(sample.lossTerms.map((t) => t.name));
  const present = new Set<LossForm | null>();
  for (const f of sample.forward) if (outputNames.has(f.name)) present.add(lossForm(trace.loss, f.activation));
  const forms: readonly LossForm[] = LOSSES[trace.loss].forms;
  const used = forms.filter((form) => present.has(form));
  // An output the loss may not be paired with has no form: the last one stands in, as in the exports.
  if (used.length === 0) return forms[forms.length - 1].latex;
  if (used.length === 1) return used[0].latex;
  // Outputs of several kinds (sigmoid units beside a softmax layer): each form, named by its activations.
  const labels = (form: LossForm) => formActivations(form).map((a) => ACTIVATIONS[a].label);
  const named = (form: LossForm) => `${form.latex} \\text{ (${labels(form).join(', ')})}`;
  return used.map(named).join(',\\; ');
}

// ─── The inspector's typeset formulas ─────────────────────────────────────────────────────────

/**
 * The step's symbolic formulas in LaTeX, as {@link traceToLatex} writes them, for the backprop
 * inspector to typeset: the panel and the exported sheet cannot disagree.
 */
export const traceFormulasLatex = {
  /** s_j = Σ_i w_ji x_ji + b_j and z_j = φ(s_j). */
  forward: `${LATEX.formulas.forwardHead}, \\quad ${LATEX.formulas.zHead}`,
  /** J in the form (or forms) the step's outputs use. */
  loss: (trace: StepTrace): string => `J = ${lossFormulaLatex(trace)}`,
  /** The δ rule that applied to a unit, with its φ′, given the unit's activation. */
  deltaRule: (trace: StepTrace, record: UnitBackward, activation: Activation): string => deltaRule(record, activation, trace, LATEX),
  /** δ_j with the numbers plugged into that rule (rounded as the exports round them). */
  deltaWithNumbers: (trace: StepTrace, sample: SampleTrace, record: UnitBackward, activation: Activation): string =>
    deltaWithNumbers(record, activation, sample, trace, LATEX),
  /** The update rule: the lecture's, the perceptron rule, or the optimiser's (given g). */
  update: (trace: StepTrace): string => updateFormula(trace, LATEX),
  /** An optimiser quantity's symbol (m̂ → \hat m). */
  symbol: latexSymbol,
  /** A user-chosen name (a unit's, a feature's) for math: in \text, escaped. */
  name: (text: string): string => LATEX.name(text),
} as const;

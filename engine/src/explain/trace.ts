/**
 * The step trace: one training step recorded in the lecture's notation, unit by unit.
 *
 * This is the readable path. It recomputes everything with plain objects, one unit and one term
 * at a time, in the order the lecture explains it, instead of calling the fast kernels; tests hold
 * its result to the fast path's to 1e-12. Sign convention (backprop-notes.md):
 *
 *     s_j = Σ_i w_ji x_ji + b_j,   z_j = φ(s_j)
 *     δ_j := −∂J/∂s_j
 *     output:  δ_k = (t_k − z_k) φ'(s_k)          (squared error; φ' cancels with cross-entropy:
 *              δ_k = t_k − z_k, and t_k − z_k·Σt for a softmax whose targets do not sum to 1)
 *     hidden:  δ_j = φ'(s_j) Σ_k w_kj δ_k
 *     ∂J/∂w_ji = −δ_j x_ji,  g = ∂J/∂w_ji + λ₂ w + λ₁ sign w,  Δw_ji from g by the optimiser
 *     (gradient descent: Δw = −η g + α Δw(r−1); the others in train/optimisers.ts, whose readable
 *     per-parameter step the trace calls)
 */
import { ELEMENTWISE, SOFTMAX_DERIVATIVE_FORMULA, SOFTMAX_FORMULA } from '../model/activations';
import { weightIndex, type CompiledModel, type CompiledNode } from '../compile/compile';
import { datasetRow, type BoundData } from '../datasets/data';
import type { Activation } from '../model/graph';
import { LOSSES, cancelledTargetSum, cancelsDerivative, outputLoss, targetsSumToOne } from '../model/losses';
import type { Hyperparameters } from '../train/train';
import { formatNumber } from '../util/format';
import {
  OPTIMISERS,
  OPTIMISER_SETTINGS,
  copyOptimiserState,
  optimiserStateProblem,
  type OptimiserName,
  type OptimiserSettingName,
  type OptimiserState,
  type ParameterStep,
  type StepQuantity,
} from '../train/optimisers';

/** The hyperparameters a step reads. */
export type StepHyperparameters = Pick<
  Hyperparameters,
  'algorithm' | 'loss' | 'learningRate' | 'optimiser' | 'l1' | 'l2' | OptimiserSettingName
>;

/** One term w_ji · x_ji of a unit's weighted sum. */
export interface ForwardTerm {
  /** Name of the source unit i (e.g. `x1`, `1` for a bias node, `h[2]`). */
  source: string;
  edgeId: string;
  /** Index of w_ji in the parameter vector. */
  param: number;
  w: number;
  x: number;
  product: number;
}

/** The forward computation of one unit j. */
export interface UnitForward {
  nodeId: string;
  /** Unit index within its node (0 for single units). */
  unit: number;
  name: string;
  activation: Activation;
  terms: ForwardTerm[];
  /** b_j and its parameter index. */
  bias: number;
  biasParam: number;
  s: number;
  z: number;
  /** φ as printed. */
  formula: string;
  /** The computation with its numbers, e.g. `s = 1·0.5 + 0·(−0.2) + 0.1 = 0.6`. */
  text: string;
}

/** One output's part of the loss. */
export interface LossTerm {
  name: string;
  target: string;
  t: number;
  z: number;
  /** The contribution to this sample's J. */
  value: number;
}

/** One unit k that unit j feeds: a term w_kj δ_k of the hidden sum. */
export interface DownstreamTerm {
  name: string;
  nodeId: string;
  unit: number;
  edgeId: string;
  w: number;
  delta: number;
  product: number;
}

/** δ_j of one unit, with the formula applied and the numbers that went into it. */
export interface UnitBackward {
  nodeId: string;
  unit: number;
  name: string;
  role: 'output' | 'hidden';
  /** Which formula applied, symbolically. */
  rule: string;
  /** φ'(s_j) when the formula uses it (null where it cancels or for softmax's Jacobian). */
  phiPrime: { formula: string; value: number } | null;
  /** For outputs: t_k − z_k. */
  error: { t: number; z: number } | null;
  /**
   * For a softmax output under cross-entropy whose targets do not sum to 1: Σt, the factor of
   * z_k in δ_k = t_k − z_k·Σt (absent where δ_k = t_k − z_k says it).
   */
  targetSum?: number;
  /** For hidden units: the w_kj δ_k it sums over, and the sum. */
  downstream: DownstreamTerm[];
  sum: number | null;
  delta: number;
  /** The computation with its numbers. */
  text: string;
}

/** Forward, loss and backward of one sample. */
export interface SampleTrace {
  /** Position in the data the step was traced on (the trainer's sample number in the training split). */
  index: number;
  /** The dataset's row number of this sample (its row in the file or the generated set), which the app and the CLI show. */
  row: number;
  inputs: { feature: string; value: number }[];
  forward: UnitForward[];
  lossTerms: LossTerm[];
  loss: number;
  /** Units in reverse topological order. Empty for the perceptron rule. */
  backward: UnitBackward[];
}

/** One sample's contribution to a parameter's gradient. */
export interface Contribution {
  sample: number;
  /** δ_j for gradient descent; (t − y) for the perceptron rule. */
  delta: number;
  x: number;
  /** ∂J/∂w_ji for this sample (−δ_j x_ji); the perceptron rule records −(t − y) x likewise. */
  gradient: number;
}

/** The update of one weight or bias. */
export interface ParameterUpdate {
  param: number;
  name: string;
  kind: 'weight' | 'bias';
  nodeId: string;
  /** Target unit j. */
  unit: number;
  /** For weights: the edge and the source unit i. */
  edgeId: string | null;
  sourceUnit: number | null;
  contributions: Contribution[];
  /** ∂J/∂w_ji: the mean of the contributions (regularisation not included). */
  gradient: number;
  /** The gradient the optimiser used: ∂J/∂w_ji + λ₂ w + λ₁ sign w (∂J/∂w_ji where L1 and L2 do not apply). */
  g: number;
  /** Δw's part from this step's ∂J/∂w_ji: −η ∂J/∂w_ji for gradient descent, i.e. η δ_j x_ji (averaged over the batch). */
  gradientPart: number;
  /** Δw's part from the optimiser's memory of earlier steps: α Δw(r−1) for gradient descent; 0 where it has none. */
  momentumPart: number;
  /** {@link l1Part} + {@link l2Part}. */
  regularisationPart: number;
  /** L1's part of Δw, −η λ₁ sign w for gradient descent (0 for biases, bias-node edges and the perceptron rule). */
  l1Part: number;
  /** L2's part of Δw, −η λ₂ w for gradient descent (0 where L1's is). */
  l2Part: number;
  /** The optimiser's numbers for this parameter in this step (Adam's m, v, m̂, v̂); empty for the perceptron rule. */
  quantities: StepQuantity[];
  /** Δw_ji as the optimiser computes it; its parts add up to it up to rounding (0 when locked). */
  change: number;
  old: number;
  new: number;
  locked: boolean;
}

/** A complete record of one training step. */
export interface StepTrace {
  algorithm: Hyperparameters['algorithm'];
  loss: Hyperparameters['loss'];
  lossFormula: string;
  learningRate: number;
  momentum: number;
  l1: number;
  l2: number;
  /** The optimiser and its settings; null for the perceptron rule, which has none. */
  optimiser: {
    name: OptimiserName;
    label: string;
    formula: string;
    /** How Δw's parts are written (its memory's part: null when it has none). */
    partSymbols: { gradient: string; memory: string | null; memoryName: string | null };
    /** The settings it reads, with their values. */
    settings: { symbol: string; value: number }[];
    /** This step's number t (from 1). */
    t: number;
  } | null;
  samples: SampleTrace[];
  /** Mean loss of the batch before the update. */
  meanLoss: number;
  updates: ParameterUpdate[];
  /** The parameter vector after the step. */
  newParams: Float64Array;
  /** The optimiser's memory after the step (the next step's); the one given, for the perceptron rule. */
  newOptimiserState: OptimiserState;
}

/**
 * Formats a number for trace text: 4 significant digits, a true minus sign, and negative numbers
 * in parentheses where they stand in a product (`parenthesise`, the default).
 */
export function formatTraceNumber(value: number, parenthesise = true): string {
  return formatNumber(value, { parenthesise });
}

/**
 * Records one training step on the training samples at `indices`, without changing anything.
 *
 * @param params The parameters before the step.
 * @param optimiser The optimiser's memory before the step ({@link freshOptimiserState} at the
 *   start of training), of the optimiser `hyper` names.
 */
export function traceStep(
  model: CompiledModel,
  params: ArrayLike<number>,
  optimiser: OptimiserState,
  data: BoundData,
  indices: readonly number[],
  hyper: StepHyperparameters,
): StepTrace {
  if (indices.length === 0) throw new RangeError('A step needs at least one sample.');
  const memoryProblem = optimiserStateProblem(optimiser, hyper.optimiser, model.paramCount);
  if (memoryProblem) throw new RangeError(`The optimiser's memory does not fit the step: ${memoryProblem}.`);
  for (const n of indices) {
    if (!Number.isInteger(n) || n < 0 || n >= data.size)
      throw new RangeError(`Sample ${n} does not exist; the data has ${data.size} samples (0 to ${data.size - 1}).`);
  }
  const samples = indices.map((n) => traceSample(model, params, data, n, hyper));
  const gd = hyper.algorithm === 'gradientDescent';
  const newOptimiserState = copyOptimiserState(optimiser);
  if (gd) newOptimiserState.step++;
  const updates = traceUpdates(model, params, optimiser, newOptimiserState, samples, hyper);
  const newParams = Float64Array.from(params);
  for (const u of updates) newParams[u.param] = u.new;
  const definition = OPTIMISERS[hyper.optimiser];
  return {
    algorithm: hyper.algorithm,
    loss: hyper.loss,
    lossFormula: LOSSES[hyper.loss].formula,
    learningRate: hyper.learningRate,
    momentum: hyper.momentum,
    l1: hyper.l1,
    l2: hyper.l2,
    optimiser: gd
      ? {
          name: hyper.optimiser,
          label: definition.label,
          formula: definition.formula,
          partSymbols: definition.partSymbols,
          settings: definition.settings.map((name) => ({ symbol: OPTIMISER_SETTINGS[name].symbol, value: hyper[name] })),
          t: newOptimiserState.step,
        }
      : null,
    samples,
    meanLoss: samples.reduce((sum, s) => sum + s.loss, 0) / samples.length,
    updates,
    newParams,
    newOptimiserState,
  };
}

interface UnitValues {
  s: number;
  z: number;
}

function traceSample(
  model: CompiledModel,
  params: ArrayLike<number>,
  data: BoundData,
  index: number,
  hyper: Pick<Hyperparameters, 'algorithm' | 'loss'>,
): SampleTrace {
  const nf = model.features.length;
  const nt = model.targets.length;
  // Values by slot; inputs and bias nodes have only z.
  const values = new Map<number, UnitValues>();
  const inputs = model.inputs.map((input, f) => {
    const value = data.x[index * nf + f];
    values.set(input.slot, { s: NaN, z: value });
    return { feature: input.feature, value };
  });
  for (const slot of model.biasSlots) values.set(slot, { s: NaN, z: 1 });

  // Forward, one unit at a time in topological order.
  const forwardRecords: UnitForward[] = [];
  for (const node of model.computing) {
    const unitsOfNode: UnitForward[] = [];
    for (let j = 0; j < node.units; j++) {
      const terms: ForwardTerm[] = [];
      for (const edge of node.incoming) {
        for (let i = 0; i < edge.sourceUnits; i++) {
          const param = weightIndex(edge, j, i);
          const w = params[param];
          const x = values.get(edge.sourceStart + i)!.z;
          terms.push({ source: edge.fromBias ? '1' : model.slotNames[edge.sourceStart + i], edgeId: edge.id, param, w, x, product: w * x });
        }
      }
      const bias = params[node.biasOffset + j];
      let s = 0;
      for (const term of terms) s += term.product;
      s += bias;
      unitsOfNode.push({
        nodeId: node.id,
        unit: j,
        name: model.slotNames[node.start + j],
        activation: node.activation,
        terms,
        bias,
        biasParam: node.biasOffset + j,
        s,
        z: NaN,
        formula: node.activation === 'softmax' ? SOFTMAX_FORMULA : ELEMENTWISE[node.activation].formula,
        text: '',
      });
    }
    // z_j = φ(s_j); softmax needs the whole layer's s first.
    const zs = activate(
      node.activation,
      unitsOfNode.map((u) => u.s),
    );
    unitsOfNode.forEach((u, j) => {
      u.z = zs[j];
      values.set(node.start + j, { s: u.s, z: u.z });
      const sum = u.terms.map((t) => `${formatTraceNumber(t.w)}·${formatTraceNumber(t.x)}`).join(' + ');
      const phi =
        node.activation === 'softmax'
          ? `e^(${formatTraceNumber(u.s, false)}) / Σ_m e^(s_m)`
          : `${node.activation}(${formatTraceNumber(u.s, false)})`;
      u.text = `s_${u.name} = ${sum} + ${formatTraceNumber(u.bias)} = ${formatTraceNumber(u.s, false)};  z_${u.name} = ${phi} = ${formatTraceNumber(u.z, false)}`;
    });
    for (const record of unitsOfNode) forwardRecords.push(record);
  }

  // The loss.
  const lossTerms: LossTerm[] = [];
  let loss = 0;
  for (const node of model.outputs) {
    const layer = Array.from({ length: node.units }, (_, k) => values.get(node.start + k)!);
    // The registry's terms, once per layer (a softmax's log-sum-exp is shared by its units).
    const terms: number[] = [];
    const targetStart = index * nt + node.output!.targetStart;
    const [layerS, layerZ] = [layer.map((v) => v.s), layer.map((v) => v.z)];
    outputLoss(hyper.loss, node.activation, layerS, layerZ, data.t, 0, node.units, targetStart, terms);
    for (let k = 0; k < node.units; k++) {
      const t = data.t[targetStart + k];
      const { z } = layer[k];
      const value = terms[k];
      lossTerms.push({ name: model.slotNames[node.start + k], target: node.output!.targets[k], t, z, value });
      loss += value;
    }
  }

  const backwardRecords = hyper.algorithm === 'gradientDescent' ? traceBackward(model, params, values, data, index, hyper.loss) : [];
  return { index, row: datasetRow(data, index), inputs, forward: forwardRecords, lossTerms, loss, backward: backwardRecords };
}

function activate(activation: Activation, s: number[]): number[] {
  if (activation !== 'softmax') return s.map((v) => ELEMENTWISE[activation].forward(v));
  const max = maximum(s);
  const exps = s.map((v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** The largest value, by a loop (spreading a long array into Math.max overflows the stack). */
function maximum(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

function traceBackward(
  model: CompiledModel,
  params: ArrayLike<number>,
  values: Map<number, UnitValues>,
  data: BoundData,
  index: number,
  loss: Hyperparameters['loss'],
): UnitBackward[] {
  const nt = model.targets.length;
  const deltas = new Map<number, number>();
  const records: UnitBackward[] = [];
  const nodeById = new Map(model.computing.map((n) => [n.id, n]));

  for (let n = model.computing.length - 1; n >= 0; n--) {
    const node = model.computing[n];
    const layer = Array.from({ length: node.units }, (_, k) => values.get(node.start + k)!);
    const layerRecords: UnitBackward[] = [];
    if (node.output) {
      const targets = layer.map((_, k) => data.t[index * nt + node.output!.targetStart + k]);
      const errors = layer.map((v, k) => targets[k] - v.z);
      // Σ_m (t_m − z_m) z_m once per layer: per unit it would be quadratic in the layer's width.
      const weightedError = node.activation === 'softmax' ? errors.reduce((sum, e, m) => sum + e * layer[m].z, 0) : 0;
      const targetSum = cancelledTargetSum(node.activation, targets, 0, node.units);
      for (let k = 0; k < node.units; k++) {
        const { s, z } = layer[k];
        const name = model.slotNames[node.start + k];
        const base = { nodeId: node.id, unit: k, name, role: 'output' as const, error: { t: targets[k], z }, downstream: [], sum: null };
        const tz = `(${formatTraceNumber(targets[k])} − ${formatTraceNumber(z)})`;
        if (cancelsDerivative(loss, node.activation)) {
          // δ_k = t_k − z_k·Σt (softmax; Σt = 1 for a sigmoid): −ln z_k's log-sum-exp is weighted by every t_m.
          const delta = targets[k] - z * targetSum;
          if (targetsSumToOne(targetSum)) {
            layerRecords.push({
              ...base,
              rule: `δ_k = t_k − z_k  (φ' cancels with cross-entropy)`,
              phiPrime: null,
              delta,
              text: `δ_${name} = ${tz} = ${formatTraceNumber(delta, false)}`,
            });
          } else {
            layerRecords.push({
              ...base,
              targetSum,
              rule: `δ_k = t_k − z_k·Σt  (φ' cancels with cross-entropy; the targets sum to Σt = ${formatTraceNumber(targetSum, false)}, not 1)`,
              phiPrime: null,
              delta,
              text: `δ_${name} = ${formatTraceNumber(targets[k])} − ${formatTraceNumber(z)}·${formatTraceNumber(targetSum)} = ${formatTraceNumber(delta, false)}`,
            });
          }
        } else if (node.activation === 'softmax') {
          // δ_k = Σ_m (t_m − z_m) ∂z_m/∂s_k = z_k [(t_k − z_k) − Σ_m (t_m − z_m) z_m]
          const weighted = weightedError;
          const delta = z * (errors[k] - weighted);
          layerRecords.push({
            ...base,
            rule: `δ_k = z_k [(t_k − z_k) − Σ_m (t_m − z_m) z_m]  (softmax: ${SOFTMAX_DERIVATIVE_FORMULA})`,
            phiPrime: null,
            delta,
            text: `δ_${name} = ${formatTraceNumber(z)}·[${tz} − ${formatTraceNumber(weighted)}] = ${formatTraceNumber(delta, false)}`,
          });
        } else {
          const activation = ELEMENTWISE[node.activation];
          const phiPrime = activation.derivative(s, z);
          const delta = errors[k] * phiPrime;
          layerRecords.push({
            ...base,
            rule: `δ_k = (t_k − z_k) φ'(s_k),  ${activation.derivativeFormula}`,
            phiPrime: { formula: activation.derivativeFormula, value: phiPrime },
            delta,
            text: `δ_${name} = ${tz}·${formatTraceNumber(phiPrime)} = ${formatTraceNumber(delta, false)}`,
          });
        }
      }
    } else {
      // Hidden: gather Σ_k w_kj δ_k over every unit k that unit j feeds.
      const sums: { terms: DownstreamTerm[]; sum: number }[] = layer.map(() => ({ terms: [], sum: 0 }));
      for (const edge of node.outgoing) {
        const target = nodeById.get(edge.target)!;
        for (let k = 0; k < edge.targetUnits; k++) {
          const delta = deltas.get(edge.targetStart + k)!;
          for (let j = 0; j < node.units; j++) {
            const w = params[weightIndex(edge, k, j)];
            sums[j].terms.push({
              name: model.slotNames[edge.targetStart + k],
              nodeId: target.id,
              unit: k,
              edgeId: edge.id,
              w,
              delta,
              product: w * delta,
            });
            sums[j].sum += w * delta;
          }
        }
      }
      const weightedSum = node.activation === 'softmax' ? sums.reduce((acc, entry, m) => acc + entry.sum * layer[m].z, 0) : 0;
      for (let j = 0; j < node.units; j++) {
        const { s, z } = layer[j];
        const name = model.slotNames[node.start + j];
        const { terms, sum } = sums[j];
        const sumText = terms.length ? terms.map((t) => `${formatTraceNumber(t.w)}·${formatTraceNumber(t.delta)}`).join(' + ') : '0';
        const base = { nodeId: node.id, unit: j, name, role: 'hidden' as const, error: null, downstream: terms, sum };
        if (node.activation === 'softmax') {
          const weighted = weightedSum;
          const delta = z * (sum - weighted);
          layerRecords.push({
            ...base,
            rule: `δ_j = z_j [Σ_k w_kj δ_k − Σ_m z_m Σ_k w_km δ_k]  (softmax: ${SOFTMAX_DERIVATIVE_FORMULA})`,
            phiPrime: null,
            delta,
            text: `δ_${name} = ${formatTraceNumber(z)}·[(${sumText}) − ${formatTraceNumber(weighted)}] = ${formatTraceNumber(delta, false)}`,
          });
        } else {
          const activation = ELEMENTWISE[node.activation];
          const phiPrime = activation.derivative(s, z);
          const delta = phiPrime * sum;
          layerRecords.push({
            ...base,
            rule: `δ_j = φ'(s_j) Σ_k w_kj δ_k,  ${activation.derivativeFormula}`,
            phiPrime: { formula: activation.derivativeFormula, value: phiPrime },
            delta,
            text: `δ_${name} = ${formatTraceNumber(phiPrime)}·(${sumText}) = ${formatTraceNumber(delta, false)}`,
          });
        }
      }
    }
    layerRecords.forEach((r, j) => deltas.set(node.start + j, r.delta));
    for (const record of layerRecords) records.push(record);
  }
  return records;
}

/**
 * Every parameter's update; writes the optimiser's memory after the step into `after` (a copy of
 * `before` with its step count already advanced).
 */
function traceUpdates(
  model: CompiledModel,
  params: ArrayLike<number>,
  before: OptimiserState,
  after: OptimiserState,
  samples: SampleTrace[],
  hyper: StepHyperparameters,
): ParameterUpdate[] {
  const optimiser = OPTIMISERS[hyper.optimiser];
  const perceptron = hyper.algorithm === 'perceptron';
  // Per sample: the error signal of every unit (δ_j, or t − y for the perceptron rule) and every slot's value.
  const signals = samples.map((sample) => {
    const signal = new Map<string, number>();
    if (perceptron) {
      const byName = new Map<string, UnitForward>();
      for (const f of sample.forward) if (!byName.has(f.name)) byName.set(f.name, f);
      for (const term of sample.lossTerms) {
        const unit = byName.get(term.name)!;
        signal.set(`${unit.nodeId}#${unit.unit}`, term.t - term.z);
      }
    } else {
      for (const b of sample.backward) signal.set(`${b.nodeId}#${b.unit}`, b.delta);
    }
    return signal;
  });
  const forwardOf = samples.map((sample) => new Map(sample.forward.map((f) => [`${f.nodeId}#${f.unit}`, f])));

  const inputOfSlot = new Map(model.inputs.map((input, f) => [input.slot, f]));

  const updates: ParameterUpdate[] = [];
  const push = (
    node: CompiledNode,
    unit: number,
    param: number,
    kind: 'weight' | 'bias',
    edgeId: string | null,
    sourceUnit: number | null,
    xOf: (sample: number) => number,
  ) => {
    const contributions: Contribution[] = samples.map((sample, n) => {
      const delta = signals[n].get(`${node.id}#${unit}`) ?? 0;
      const x = xOf(n);
      return { sample: sample.index, delta, x, gradient: -delta * x };
    });
    const gradient = contributions.reduce((sum, c) => sum + c.gradient, 0) / contributions.length;
    const old = params[param];
    const locked = model.locked[param] === 1;
    const regularised = !perceptron && model.regularised[param] === 1;
    let step: ParameterStep;
    if (perceptron) {
      // The rule's Δw = η (t − y) x is −η times the recorded "gradient" −(t − y) x.
      const change = -hyper.learningRate * gradient;
      step = { g: gradient, change, memory: [], parts: { gradient: change, l1: 0, l2: 0, memory: 0 }, quantities: [] };
    } else {
      const memory = before.slots.map((slot) => slot[param]);
      step = optimiser.explain({ dJdw: gradient, w: old, regularised, memory, t: after.step, hyper });
      if (!locked) step.memory.forEach((value: number, k: number) => (after.slots[k][param] = value));
    }
    const { gradient: gradientPart, memory: momentumPart, l1: l1Part, l2: l2Part } = step.parts;
    const change = locked ? 0 : step.change;
    updates.push({
      param,
      name: model.paramNames[param],
      kind,
      nodeId: node.id,
      unit,
      edgeId,
      sourceUnit,
      contributions,
      gradient,
      g: step.g,
      gradientPart,
      momentumPart,
      regularisationPart: l1Part + l2Part,
      l1Part,
      l2Part,
      quantities: step.quantities,
      change,
      old,
      new: old + change,
      locked,
    });
  };

  for (const node of model.computing) {
    if (perceptron && !node.output) continue;
    for (const edge of node.incoming) {
      for (let j = 0; j < edge.targetUnits; j++) {
        for (let i = 0; i < edge.sourceUnits; i++) {
          const param = weightIndex(edge, j, i);
          const sourceNode = model.slotNodes[edge.sourceStart + i];
          push(node, j, param, 'weight', edge.id, i, (n) => {
            const source = forwardOf[n].get(`${sourceNode}#${model.slotUnits[edge.sourceStart + i]}`);
            if (source) return source.z;
            return edge.fromBias ? 1 : samples[n].inputs[inputOfSlot.get(edge.sourceStart + i)!].value;
          });
        }
      }
    }
    for (let j = 0; j < node.units; j++) push(node, j, node.biasOffset + j, 'bias', null, null, () => 1);
  }
  return updates;
}

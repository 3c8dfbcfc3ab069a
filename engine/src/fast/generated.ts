/**
 * The generated kernel: forward and backward of one small network written out as straight-line
 * JavaScript, with every parameter index a constant, and compiled with `new Function`.
 *
 * It performs the same operations in the same order as the interpreted kernel (kernels.ts), so
 * their results agree to rounding; the tests hold both to the trace.
 */
import type { CompiledModel, CompiledNode } from '../compile/compile';
import type { BoundData, SampleValues } from '../datasets/data';
import { lossForm, type LossName } from '../model/losses';
import { isClassifier } from './metrics';
import { ELEMENTWISE, decisionThreshold, isElementwise } from '../model/activations';
import type { BatchTotals, GradientKernel } from './gradient-kernel';

/** Above this many parameters the generated function gets too large to be worth compiling. */
export const MAX_GENERATED_PARAMETERS = 1024;

/** Compiled kernels by source, oldest first; a few networks' worth is plenty for one session. */
const COMPILED = new Map<string, Compiled>();
const MAX_CACHED = 16;

type Compiled = (
  p: Float64Array,
  g: Float64Array,
  // Float64 in practice: float32 samples meet only fast precision, which never runs this kernel.
  x: SampleValues,
  t: SampleValues,
  order: Uint32Array,
  first: number,
  count: number,
  scale: number,
  totals: BatchTotals,
  v?: Float64Array,
  eta?: number,
) => void;

const PARAMETER_NAMES = ['p', 'g', 'x', 't', 'order', 'first', 'count', 'scale', 'totals', 'v', 'eta'];

/**
 * Compiles a kernel body, reusing the function (and with it the machine code the JIT has
 * optimised) when the same network comes back, after "reset weights" or the next run.
 * Null where compiling code is forbidden.
 */
function compile(source: string): Compiled | null {
  let compiled = COMPILED.get(source);
  if (!compiled) {
    try {
      compiled = new Function(...PARAMETER_NAMES, source) as Compiled;
    } catch {
      return null;
    }
    if (COMPILED.size >= MAX_CACHED) COMPILED.delete(COMPILED.keys().next().value!);
    COMPILED.set(source, compiled);
  }
  return compiled;
}

/** A kernel specialised to one network. */
export class GeneratedKernel implements GradientKernel {
  readonly kind = 'generated';
  readonly precision = 'exact';
  private constructor(
    private readonly run: Compiled,
    private readonly fused: Compiled | null,
  ) {}

  /**
   * Generates and compiles the kernel, or returns null when the network is too large or the
   * environment forbids compiling code (a page whose Content-Security-Policy has no 'unsafe-eval').
   */
  static create(model: CompiledModel, loss: LossName): GeneratedKernel | null {
    if (model.paramCount > MAX_GENERATED_PARAMETERS) return null;
    const run = compile(generateSource(model, loss));
    if (!run) return null;
    return new GeneratedKernel(run, compile(generateSource(model, loss, true)));
  }

  accumulate(
    params: Float64Array,
    grad: Float64Array,
    data: BoundData,
    order: Uint32Array,
    first: number,
    count: number,
    scale: number,
    totals: BatchTotals,
  ): void {
    this.run(params, grad, data.x, data.t, order, first, count, scale, totals);
  }

  /** Whether {@link GeneratedKernel.stochasticSteps} is available. */
  get canFuse(): boolean {
    return this.fused !== null;
  }

  /**
   * Stochastic gradient descent fused into the kernel: for each of the `count` samples, forward,
   * backward and Δw = −η ∂J/∂w at once (recorded in `velocity`), with no call per sample. The
   * trainer uses it for plain SGD with nothing locked; the numbers are those of one-sample steps.
   */
  stochasticSteps(
    params: Float64Array,
    grad: Float64Array,
    velocity: Float64Array,
    data: BoundData,
    order: Uint32Array,
    first: number,
    count: number,
    eta: number,
    totals: BatchTotals,
  ): void {
    this.fused!(params, grad, data.x, data.t, order, first, count, 1, totals, velocity, eta);
  }
}

/** The body of the kernel function, for a model and a loss. Exported for tests and curiosity. */
export function generateSource(model: CompiledModel, loss: LossName, fusedUpdate = false): string {
  const nf = model.features.length;
  const nt = model.targets.length;
  const lines: string[] = [];
  const emit = (line: string) => lines.push(line);
  const z = (slot: number) => (model.biasSlots.includes(slot) ? '1' : `z${slot}`);

  emit('"use strict";');
  emit('let lossSum = 0, correct = 0;');
  emit('const end = first + count;');
  emit('for (let k = first; k < end; k++) {');
  emit(`const n = order[k], xo = n * ${nf}, to = n * ${nt};`);
  // Fused stochastic descent: each sample's gradient starts from zero and is applied at once.
  if (fusedUpdate) for (let q = 0; q < model.paramCount; q++) emit(`g[${q}] = 0;`);
  model.inputs.forEach((input, i) => emit(`const z${input.slot} = x[xo + ${i}];`));

  // Forward.
  for (const node of model.computing) {
    for (let j = 0; j < node.units; j++) {
      const row = node.weightOffset + j * node.fanIn;
      const terms = [`p[${node.biasOffset + j}]`];
      for (let c = 0; c < node.fanIn; c++) terms.push(`p[${row + c}] * ${z(node.inputSlots[c])}`);
      // Left to right, as the interpreted kernel sums.
      emit(`const s${node.start + j} = ${terms.join(' + ')};`);
    }
    emitActivation(node, emit);
  }

  // Loss and accuracy.
  for (const node of model.outputs) emitLoss(node, loss, emit);
  if (isClassifier(model)) {
    const checks = model.outputs.map((node) => correctness(node));
    emit(`if (${checks.join(' && ')}) correct++;`);
  }

  // Backward: ∂J/∂s per unit, then ∂J/∂z of the units feeding it, in reverse topological order.
  for (const node of model.computing) {
    if (node.output) continue;
    for (let j = 0; j < node.units; j++) emit(`let gz${node.start + j} = 0;`);
  }
  for (let n = model.computing.length - 1; n >= 0; n--) {
    const node = model.computing[n];
    emitGradS(node, loss, emit);
    for (let j = 0; j < node.units; j++) {
      const gs = `gs${node.start + j}`;
      emit(`if (${gs} !== 0) {`);
      emit(`const sg = scale * ${gs};`);
      emit(`g[${node.biasOffset + j}] += sg;`);
      const row = node.weightOffset + j * node.fanIn;
      for (let c = 0; c < node.fanIn; c++) {
        const slot = node.inputSlots[c];
        emit(`g[${row + c}] += sg * ${z(slot)};`);
        if (slot >= model.inputs.length + model.biasSlots.length) emit(`gz${slot} += p[${row + c}] * ${gs};`);
      }
      emit('}');
    }
  }
  if (fusedUpdate) {
    // Δw = −η ∂J/∂w, the trainer's plain update, parameter by parameter.
    for (let q = 0; q < model.paramCount; q++) emit(`{ const c = -eta * g[${q}]; v[${q}] = c; p[${q}] += c; }`);
  }
  emit('}');
  emit('totals.lossSum = lossSum;');
  emit('totals.correct = correct;');
  return lines.join('\n');
}

function emitActivation(node: CompiledNode, emit: (line: string) => void): void {
  const { start, units } = node;
  if (!isElementwise(node.activation)) {
    const s = Array.from({ length: units }, (_, k) => `s${start + k}`);
    emit(`const m${start} = Math.max(${s.join(', ')});`);
    for (let k = 0; k < units; k++) emit(`const e${start + k} = Math.exp(s${start + k} - m${start});`);
    // Summed left to right from 0, as softmaxForward does.
    emit(`const d${start} = ${['0', ...Array.from({ length: units }, (_, k) => `e${start + k}`)].join(' + ')};`);
    for (let k = 0; k < units; k++) emit(`const z${start + k} = e${start + k} / d${start};`);
    return;
  }
  // The registry's own snippet: a new activation cannot fall through to a default here.
  const phi = ELEMENTWISE[node.activation].emit.forward;
  for (let u = start; u < start + units; u++) emit(`const z${u} = ${phi(`s${u}`)};`);
}

function emitLoss(node: CompiledNode, loss: LossName, emit: (line: string) => void): void {
  const { start, units } = node;
  const names = (prefix: string) => Array.from({ length: units }, (_, k) => `${prefix}${start + k}`);
  const t = Array.from({ length: units }, (_, k) => `t[to + ${node.output!.targetStart + k}]`);
  const form = lossForm(loss, node.activation);
  // An output the loss may not be paired with (an evaluation-only model) has no loss.
  const lines = form ? form.emit.forward(names('s'), names('z'), t) : ['lossSum += NaN;'];
  for (const line of lines) emit(line);
}

function correctness(node: CompiledNode): string {
  const { start, units } = node;
  const t = (k: number) => `t[to + ${node.output!.targetStart + k}]`;
  if (node.activation === 'softmax') {
    // Arg-max of z against arg-max of t, first index winning ties, as outputCorrect does.
    const argmax = (value: (k: number) => string) => {
      let expr = '0';
      let best = value(0);
      for (let k = 1; k < units; k++) {
        expr = `(${value(k)} > ${best} ? ${k} : ${expr})`;
        best = `Math.max(${best}, ${value(k)})`;
      }
      return expr;
    };
    return `(${argmax((k) => `z${start + k}`)} === ${argmax(t)})`;
  }
  // Only classifiers are scored; a regression output never reaches here.
  const threshold = String(decisionThreshold(node.activation) ?? 0.5);
  return Array.from({ length: units }, (_, k) => `((z${start + k} > ${threshold}) === (${t(k)} > ${threshold}))`).join(' && ');
}

function emitGradS(node: CompiledNode, loss: LossName, emit: (line: string) => void): void {
  const { start, units } = node;
  if (node.output) {
    const t = (k: number) => `t[to + ${node.output!.targetStart + k}]`;
    const form = lossForm(loss, node.activation);
    if (form?.cancels) {
      if (!isElementwise(node.activation)) {
        // ∂J/∂s_k = z_k·Σt − t_k, Σt summed from 0 left to right as losses.ts's cancelledTargetSum does.
        emit(`const ts${start} = ${['0', ...Array.from({ length: units }, (_, k) => t(k))].join(' + ')};`);
        for (let k = 0; k < units; k++) emit(`const gs${start + k} = z${start + k} * ts${start} - ${t(k)};`);
      } else {
        for (let k = 0; k < units; k++) emit(`const gs${start + k} = z${start + k} - ${t(k)};`);
      }
      return;
    }
    for (let k = 0; k < units; k++) emit(`const gz${start + k} = ${form ? form.emit.gradient(`z${start + k}`, t(k)) : 'NaN'};`);
  }
  if (!isElementwise(node.activation)) {
    const dot = ['0', ...Array.from({ length: units }, (_, m) => `gz${start + m} * z${start + m}`)].join(' + ');
    emit(`const q${start} = ${dot};`);
    for (let k = 0; k < units; k++) emit(`const gs${start + k} = z${start + k} * (gz${start + k} - q${start});`);
    return;
  }
  const gradient = ELEMENTWISE[node.activation].emit.gradient;
  for (let u = start; u < start + units; u++) emit(`const gs${u} = ${gradient(`s${u}`, `z${u}`, `gz${u}`)};`);
}

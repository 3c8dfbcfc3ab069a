/**
 * The fast path: forward and backward passes over typed arrays, with no allocation per sample.
 *
 * Internally the kernels carry g = ∂J/∂s (the gradient); the lecture's δ_j is −∂J/∂s_j. The
 * readable step trace (trace.ts) computes the same numbers in the lecture's terms, and the tests
 * hold the two to 1e-12.
 */
import { ELEMENTWISE, softmaxBackward, softmaxForward } from './activations';
import type { CompiledModel } from './compile';
import { cancelsDerivative, lossGradientWrtOutput, outputLoss, type LossName } from './losses';

/** Scratch buffers for one sample, reused across samples and steps. */
export interface Workspace {
  /** Pre-activations s, per slot. */
  s: Float64Array;
  /** Outputs z (inputs and bias nodes included), per slot. */
  z: Float64Array;
  /** ∂J/∂s per slot. */
  gradS: Float64Array;
  /** ∂J/∂z per slot, accumulated from the units each slot feeds. */
  gradZ: Float64Array;
}

/** Allocates the buffers a model's passes need. */
export function createWorkspace(model: CompiledModel): Workspace {
  const n = model.slotCount;
  return { s: new Float64Array(n), z: new Float64Array(n), gradS: new Float64Array(n), gradZ: new Float64Array(n) };
}

/**
 * Forward pass for one sample: fills `ws.s` and `ws.z`.
 * @param x Row-major inputs in `model.features` order; the sample starts at `xOffset`.
 */
export function forward(model: CompiledModel, params: ArrayLike<number>, x: ArrayLike<number>, xOffset: number, ws: Workspace): void {
  const { s, z } = ws;
  const inputs = model.inputs;
  for (let i = 0; i < inputs.length; i++) z[inputs[i].slot] = x[xOffset + i];
  const biasSlots = model.biasSlots;
  for (let i = 0; i < biasSlots.length; i++) z[biasSlots[i]] = 1;

  const nodes = model.computing;
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n];
    const start = node.start;
    for (let u = 0; u < node.units; u++) s[start + u] = params[node.biasOffset + u];
    const incoming = node.incoming;
    for (let e = 0; e < incoming.length; e++) {
      const edge = incoming[e];
      const cols = edge.sourceUnits;
      const src = edge.sourceStart;
      for (let j = 0; j < node.units; j++) {
        let sum = 0;
        const row = edge.weightOffset + j * cols;
        for (let i = 0; i < cols; i++) sum += params[row + i] * z[src + i];
        s[start + j] += sum;
      }
    }
    if (node.activation === 'softmax') softmaxForward(s, z, start, node.units);
    else {
      const phi = ELEMENTWISE[node.activation].forward;
      for (let u = 0; u < node.units; u++) z[start + u] = phi(s[start + u]);
    }
  }
}

/** The loss of the sample last passed forward through `ws`, against targets `t` from `tOffset`. */
export function sampleLoss(model: CompiledModel, loss: LossName, ws: Workspace, t: ArrayLike<number>, tOffset: number): number {
  let total = 0;
  for (const node of model.outputs) {
    total += outputLoss(loss, node.activation, ws.s, ws.z, t, node.start, node.units, tOffset + node.output!.targetStart);
  }
  return total;
}

/**
 * Backward pass for the sample last passed forward through `ws`: adds `scale × ∂J/∂θ` to `grad`
 * for every parameter θ. With scale = 1/N over a batch of N samples this yields the mean gradient.
 */
export function backward(
  model: CompiledModel,
  params: ArrayLike<number>,
  loss: LossName,
  ws: Workspace,
  t: ArrayLike<number>,
  tOffset: number,
  grad: Float64Array,
  scale: number,
): void {
  const { s, z, gradS, gradZ } = ws;
  gradZ.fill(0);
  const nodes = model.computing;
  for (let n = nodes.length - 1; n >= 0; n--) {
    const node = nodes[n];
    const start = node.start;
    const units = node.units;
    if (node.output) {
      const targetStart = tOffset + node.output.targetStart;
      if (cancelsDerivative(loss, node.activation)) {
        for (let k = 0; k < units; k++) gradS[start + k] = z[start + k] - t[targetStart + k];
      } else {
        for (let k = 0; k < units; k++) gradZ[start + k] = lossGradientWrtOutput(z[start + k], t[targetStart + k]);
        applyActivationDerivative(node.activation, s, z, gradZ, gradS, start, units);
      }
    } else {
      applyActivationDerivative(node.activation, s, z, gradZ, gradS, start, units);
    }

    for (let u = 0; u < units; u++) grad[node.biasOffset + u] += scale * gradS[start + u];
    const incoming = node.incoming;
    for (let e = 0; e < incoming.length; e++) {
      const edge = incoming[e];
      const cols = edge.sourceUnits;
      const src = edge.sourceStart;
      for (let j = 0; j < units; j++) {
        const g = gradS[start + j];
        if (g === 0) continue;
        const row = edge.weightOffset + j * cols;
        const scaled = scale * g;
        for (let i = 0; i < cols; i++) {
          grad[row + i] += scaled * z[src + i];
          gradZ[src + i] += params[row + i] * g;
        }
      }
    }
  }
}

function applyActivationDerivative(
  activation: CompiledModel['computing'][number]['activation'],
  s: Float64Array,
  z: Float64Array,
  gradZ: Float64Array,
  gradS: Float64Array,
  start: number,
  units: number,
): void {
  if (activation === 'softmax') {
    softmaxBackward(z, gradZ, gradS, start, units);
    return;
  }
  const derivative = ELEMENTWISE[activation].derivative;
  for (let u = 0; u < units; u++) gradS[start + u] = derivative(s[start + u], z[start + u]) * gradZ[start + u];
}

/**
 * The fast path: forward and backward passes over typed arrays, with no allocation per sample.
 *
 * Internally the kernels carry g = ∂J/∂s (the gradient); the lecture's δ_j is −∂J/∂s_j. The
 * readable step trace (trace.ts) computes the same numbers in the lecture's terms, and the tests
 * hold the two to 1e-12.
 */
import { ELEMENTWISE, isElementwise, softmaxBackward, softmaxForward } from '../model/activations';
import type { CompiledModel } from '../compile/compile';
import type { Activation } from '../model/graph';
import { cancelledTargetSum, lossForm, outputLoss, type LossName } from '../model/losses';

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
    const { start, units, fanIn, inputSlots, weightOffset, biasOffset } = node;
    for (let j = 0; j < units; j++) {
      let sum = params[biasOffset + j];
      const row = weightOffset + j * fanIn;
      for (let c = 0; c < fanIn; c++) sum += params[row + c] * z[inputSlots[c]];
      s[start + j] = sum;
    }
    activate(node.activation, s, z, start, units);
  }
}

/** z = φ(s) over `[start, start + units)`. */
export function activate(
  activation: Activation,
  s: Float64Array | Float32Array,
  z: Float64Array | Float32Array,
  start: number,
  units: number,
): void {
  const end = start + units;
  if (!isElementwise(activation)) {
    softmaxForward(s, z, start, units);
    return;
  }
  const phi = ELEMENTWISE[activation].forward;
  for (let u = start; u < end; u++) z[u] = phi(s[u]);
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
    const { start, units, fanIn, inputSlots, weightOffset, biasOffset } = node;
    if (node.output) {
      const targetStart = tOffset + node.output.targetStart;
      const form = lossForm(loss, node.activation);
      if (form?.cancels) {
        const mass = cancelledTargetSum(node.activation, t, targetStart, units);
        for (let k = 0; k < units; k++) gradS[start + k] = z[start + k] * mass - t[targetStart + k];
      } else {
        // An output the loss may not be paired with (an evaluation-only model) has no gradient.
        for (let k = 0; k < units; k++) gradZ[start + k] = form ? form.gradient(z[start + k], t[targetStart + k]) : NaN;
        activationBackward(node.activation, s, z, gradZ, gradS, start, units);
      }
    } else {
      activationBackward(node.activation, s, z, gradZ, gradS, start, units);
    }
    for (let j = 0; j < units; j++) {
      const g = gradS[start + j];
      if (g === 0) continue;
      grad[biasOffset + j] += scale * g;
      const row = weightOffset + j * fanIn;
      const scaled = scale * g;
      for (let c = 0; c < fanIn; c++) {
        const slot = inputSlots[c];
        grad[row + c] += scaled * z[slot];
        gradZ[slot] += params[row + c] * g;
      }
    }
  }
}

/** ∂J/∂s = φ'(s) ⊙ ∂J/∂z (or softmax's Jacobian applied) over `[start, start + units)`. */
export function activationBackward(
  activation: Activation,
  s: Float64Array | Float32Array,
  z: Float64Array | Float32Array,
  gradZ: Float64Array | Float32Array,
  gradS: Float64Array | Float32Array,
  start: number,
  units: number,
): void {
  const end = start + units;
  if (!isElementwise(activation)) {
    softmaxBackward(z, gradZ, gradS, start, units);
    return;
  }
  const derivative = ELEMENTWISE[activation].derivative;
  for (let u = start; u < end; u++) gradS[u] = derivative(s[u], z[u]) * gradZ[u];
}

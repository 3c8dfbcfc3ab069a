/**
 * Loss and accuracy over a dataset.
 */
import type { CompiledModel, CompiledNode } from '../compile/compile';
import type { BoundData } from '../datasets/data';
import { createWorkspace, forward, sampleLoss, type Workspace } from './kernels';
import type { LossName } from '../model/losses';
import { decisionThreshold, isElementwise } from '../model/activations';

/** Loss and accuracy of a model on some data. */
export interface Evaluation {
  /** Mean loss per sample (data loss only, without regularisation). */
  loss: number;
  /** Fraction of samples whose every output is right; null when an output is a regression (its activation's output class is regression). */
  accuracy: number | null;
}

/** Whether every output node predicts classes, so that accuracy means something. */
export function isClassifier(model: CompiledModel): boolean {
  return model.outputs.every((node) => decisionThreshold(node.activation) !== null);
}

/**
 * Whether the output node's prediction for the sample in `ws` matches its targets.
 * Softmax: the arg-max unit; sigmoid and step: z > ½ against t > ½; tanh and sign: z > 0 against t > 0.
 */
export function outputCorrect(node: CompiledNode, z: ArrayLike<number>, t: ArrayLike<number>, tOffset: number): boolean {
  const targetStart = tOffset + node.output!.targetStart;
  if (!isElementwise(node.activation)) {
    let best = 0;
    let bestTarget = 0;
    for (let k = 1; k < node.units; k++) {
      if (z[node.start + k] > z[node.start + best]) best = k;
      if (t[targetStart + k] > t[targetStart + bestTarget]) bestTarget = k;
    }
    return best === bestTarget;
  }
  const threshold = decisionThreshold(node.activation) ?? 0.5;
  for (let k = 0; k < node.units; k++) {
    if (z[node.start + k] > threshold !== t[targetStart + k] > threshold) return false;
  }
  return true;
}

/** Mean loss and accuracy of `params` on `data`. */
export function evaluate(
  model: CompiledModel,
  params: ArrayLike<number>,
  data: BoundData,
  loss: LossName,
  ws: Workspace = createWorkspace(model),
): Evaluation {
  const nf = model.features.length;
  const nt = model.targets.length;
  const classifier = isClassifier(model);
  let total = 0;
  let correct = 0;
  for (let n = 0; n < data.size; n++) {
    forward(model, params, data.x, n * nf, ws);
    total += sampleLoss(model, loss, ws, data.t, n * nt);
    if (classifier && model.outputs.every((node) => outputCorrect(node, ws.z, data.t, n * nt))) correct++;
  }
  return {
    loss: data.size > 0 ? total / data.size : 0,
    accuracy: classifier && data.size > 0 ? correct / data.size : null,
  };
}

/**
 * The network's outputs for one input vector (in `model.features` order), in `model.targets` order.
 */
export function predict(
  model: CompiledModel,
  params: ArrayLike<number>,
  x: ArrayLike<number>,
  ws: Workspace = createWorkspace(model),
): number[] {
  forward(model, params, x, 0, ws);
  return model.outputs.flatMap((node) => Array.from(ws.z.subarray(node.start, node.start + node.units)));
}

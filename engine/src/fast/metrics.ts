/**
 * Loss and accuracy over a dataset.
 */
import type { CompiledModel, CompiledNode } from '../compile/compile';
import type { BoundData } from '../datasets/data';
import type { Workspace } from './kernels';
import type { ResolvedPrecision } from './gradient-kernel';
import { outputLoss, type LossName } from '../model/losses';
import { forwardBatch, forwardPlan, type ForwardChunk } from './batch-forward';
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

/**
 * Mean loss and accuracy of `params` on `data`, passing the rows forward in batches
 * ({@link forwardPlan}): no per-sample loop, and memory bounded whatever the data's size.
 * @param _ws No longer used (the batched pass has its own buffers); kept so existing callers compile.
 * @param precision 'exact' (the default) passes the rows in float64; 'fast' in float32, on the
 *   products fast training uses (each loss still summed in float64), for a run that trains so.
 * @param visit Called with each chunk after its losses are counted, so that another measure of
 *   the same outputs (a confusion matrix) needs no second pass.
 */
export function evaluate(
  model: CompiledModel,
  params: ArrayLike<number>,
  data: BoundData,
  loss: LossName,
  _ws?: Workspace,
  precision: ResolvedPrecision = 'exact',
  visit?: (chunk: ForwardChunk) => void,
): Evaluation {
  const nt = model.targets.length;
  const classifier = isClassifier(model);
  const outputs = model.outputs.map((node) => ({ node, index: model.computing.indexOf(node) }));
  // outputCorrect reads z at the node's slots: each row's outputs are copied into place here.
  const zRow = new Float64Array(model.slotCount);
  let total = 0;
  let correct = 0;
  forwardPlan(model, precision).run(params, data.x, data.size, (chunk) => {
    for (let r = 0; r < chunk.rows; r++) {
      const tOffset = (chunk.first + r) * nt;
      let sample = 0;
      let right = classifier;
      for (const { node, index } of outputs) {
        const units = node.units;
        const z = chunk.z[index];
        sample += outputLoss(loss, node.activation, chunk.s[index], z, data.t, r * units, units, tOffset + node.output!.targetStart);
        if (!right) continue;
        for (let k = 0; k < units; k++) zRow[node.start + k] = z[r * units + k];
        right = outputCorrect(node, zRow, data.t, tOffset);
      }
      total += sample;
      if (right) correct++;
    }
    visit?.(chunk);
  });
  return {
    loss: data.size > 0 ? total / data.size : 0,
    accuracy: classifier && data.size > 0 ? correct / data.size : null,
  };
}

/**
 * The network's outputs for one input vector (in `model.features` order), in `model.targets` order.
 * For many rows, {@link forwardBatch} passes them all at once.
 * @param _ws No longer used; kept so existing callers compile.
 */
export function predict(model: CompiledModel, params: ArrayLike<number>, x: ArrayLike<number>, _ws?: Workspace): number[] {
  const out = new Float64Array(model.targets.length);
  forwardBatch(model, params, x, 1, out);
  return Array.from(out);
}

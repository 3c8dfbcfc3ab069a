/** The Precision field's Automatic option, in words that say what this network gets; and what a run computes in. */
import { resolvePrecision, type Project, type ResolvedPrecision } from '../../../../engine/src/index';
import { modelOf } from '../../state/shared';

/**
 * What automatic precision resolves to for this project now, as its option says it ("Auto
 * (float32)"); batch mode counts as a large batch (the trainer decides on the real row count).
 */
export function automaticPrecisionText(project: Project): string {
  const h = project.hyperparameters;
  const model = modelOf(project);
  if (!model) return 'Auto';
  const samples = h.mode === 'stochastic' ? 1 : h.mode === 'minibatch' ? h.batchSize : Number.MAX_SAFE_INTEGER;
  // Short, so the field keeps its one line: "Auto (float32)"; the option's tooltip says the rule.
  return `Auto (${resolvePrecision('auto', model.paramCount, samples) === 'fast' ? 'float32' : 'float64'})`;
}

/**
 * How a run computes, in the words under the Precision field: "This run: float32, products on
 * 2 threads" (threads only when its products were split across helper threads).
 */
export function runComputingText(computing: { precision: ResolvedPrecision; threads: number }): string {
  const format = computing.precision === 'fast' ? 'float32' : 'float64';
  return computing.threads > 1 ? `This run: ${format}, products on ${computing.threads} threads` : `This run: ${format}, one thread`;
}

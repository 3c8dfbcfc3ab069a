/** The Precision field's Automatic option, in words that say what this network gets. */
import { resolvePrecision, type Project } from '../../../../engine/src/index';
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

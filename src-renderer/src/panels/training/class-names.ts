/**
 * The names the confusion matrix gives its classes. The engine names a single output's classes
 * by value (0 and 1); when that output predicts a binary target whose values were labels, the
 * import kept which label is 0 and which is 1 with the data, and the matrix says both.
 */
import { isComputing, type Project } from '../../../../engine/src/index';

/**
 * The matrix's class names for `project`: `classes` as the engine gives them, or for a single
 * output on a binary target imported from labels, each label with its value ("B (0)", "M (1)").
 */
export function confusionClassNames(project: Project, classes: readonly string[]): string[] {
  const names = [...classes];
  const { dataset } = project;
  if (dataset.kind !== 'inline' || !dataset.classes || classes.length !== 2 || classes[0] !== '0' || classes[1] !== '1') return names;
  const outputs = project.graph.nodes.filter((n) => isComputing(n) && n.output);
  const targets = outputs.length === 1 && isComputing(outputs[0]) ? (outputs[0].output?.targets ?? []) : [];
  if (targets.length !== 1 || !Object.hasOwn(dataset.classes, targets[0])) return names;
  const labels = dataset.classes[targets[0]];
  if (labels.length !== 2 || (labels[0] === '0' && labels[1] === '1')) return names;
  return [`${labels[0]} (0)`, `${labels[1]} (1)`];
}

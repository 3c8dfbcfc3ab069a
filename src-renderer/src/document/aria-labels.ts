/**
 * What a screen reader says of each unit and edge on the canvas: React Flow puts these names on
 * the focusable element of each node and edge, so Tab through the network reads "sigmoid neuron
 * y1, bias 0.1, output for t" and "weight from x1 to y1: 0.1" rather than an unnamed group.
 */
import { ACTIVATIONS, formatNumber, type GraphEdge, type GraphIssue, type GraphNode } from '../../../engine/src/index';

const KIND_NAMES = { perceptron: 'perceptron', neuron: 'neuron', dense: 'dense layer' } as const;

/** How many problems, in words, for the end of a label (nothing when there are none). */
function problems(issues: readonly GraphIssue[]): string {
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const parts: string[] = [];
  if (errors) parts.push(`${errors} problem${errors === 1 ? '' : 's'}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.length ? `; ${parts.join(' and ')}` : '';
}

/** A unit's accessible name: its kind and activation, its name, what it reads or predicts, its bias. */
export function unitAriaLabel(node: GraphNode, issues: readonly GraphIssue[]): string {
  const name = node.label ?? node.id;
  switch (node.kind) {
    case 'input':
      return `input ${name}, reads feature ${node.feature}${problems(issues)}`;
    case 'inputLayer':
      return `input layer ${name}, ${node.features.length} feature${node.features.length === 1 ? '' : 's'}${problems(issues)}`;
    case 'bias':
      return `bias node ${name}, constant 1${problems(issues)}`;
    case 'perceptron':
    case 'neuron':
    case 'dense': {
      const activation = ACTIVATIONS[node.activation].label;
      const what =
        node.kind === 'dense'
          ? `dense layer ${name} of ${node.units} ${activation} units`
          : `${activation} ${KIND_NAMES[node.kind]} ${name}`;
      const bias = node.kind === 'dense' ? '' : `, bias ${formatNumber(node.bias)}`;
      const output = node.output ? `, output for ${node.output.targets.join(', ')}` : '';
      return `${what}${bias}${output}${problems(issues)}`;
    }
  }
}

/** An edge's accessible name: which units it joins and its weight (or how many weights, and their mean). */
export function edgeAriaLabel(edge: GraphEdge, names: ReadonlyMap<string, string>, issues: readonly GraphIssue[]): string {
  const from = names.get(edge.source) ?? edge.source;
  const to = names.get(edge.target) ?? edge.target;
  let value: string;
  if (typeof edge.weight === 'number') value = `weight from ${from} to ${to}: ${formatNumber(edge.weight)}`;
  else {
    let count = 0;
    let sum = 0;
    for (const row of edge.weight)
      for (const w of row) {
        count++;
        sum += w;
      }
    value = `${count} weights from ${from} to ${to}, mean ${formatNumber(count ? sum / count : 0)}`;
  }
  return `${value}${edge.locked ? ', locked' : ''}${problems(issues)}`;
}

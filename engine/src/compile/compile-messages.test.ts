/**
 * The compiler's messages about data bindings stay one short line however wide the data: at most
 * three names and "… N more", with how many columns the data has. A student who drags eight
 * inputs before choosing their features against a 30-column table reads eight short sentences,
 * not eight lists of the table's columns.
 */
import { describe, expect, it } from 'vitest';
import { compileGraph, type Graph, type GraphNode } from '../index';

const FEATURES = Array.from({ length: 30 }, (_, i) => `f${i + 1}`);

/** Eight inputs reading x1 … x8 into one sigmoid neuron predicting `target`. */
function eightInputs(target = 't'): Graph {
  const nodes: GraphNode[] = Array.from({ length: 8 }, (_, i) => ({ id: `x${i + 1}`, kind: 'input', feature: `x${i + 1}` }));
  nodes.push({ id: 'y', kind: 'neuron', activation: 'sigmoid', bias: 0, output: { targets: [target] } });
  return { nodes, edges: nodes.slice(0, 8).map((n) => ({ id: `${n.id}->y`, source: n.id, target: 'y', weight: 0.1 })) };
}

const quotedNames = (message: string) => message.match(/'[^']*'/g) ?? [];

describe('binding messages', () => {
  it('an input reading a feature the data lacks: the feature, the count of the data’s features and three of them', () => {
    const result = compileGraph(eightInputs(), { data: { features: FEATURES, targets: ['t'] } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.code)).toEqual(Array(8).fill('unknown-feature'));
    expect(result.errors[0].message).toBe(
      "Input 'x1' reads feature 'x1', which the dataset does not have (it has 30 features: 'f1', 'f2', 'f3' … 27 more).",
    );
    for (const error of result.errors) {
      // The input, its feature and three of the data's: never the whole table.
      expect(quotedNames(error.message)).toHaveLength(5);
      expect(error.message.length).toBeLessThan(120);
    }
  });

  it('a small table is named whole; an output predicting a target the data lacks says how many it has', () => {
    const few = compileGraph(eightInputs(), { data: { features: ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'a'], targets: ['t'] } });
    expect(!few.ok && few.errors[0].message).toBe(
      "Input 'x8' reads feature 'x8', which the dataset does not have (it has 8 features: 'x1', 'x2', 'x3' … 5 more).",
    );
    const three = compileGraph(eightInputs('malignant'), {
      data: { features: ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8'], targets: ['malignant=0', 'malignant=1'] },
    });
    expect(!three.ok && three.errors.map((e) => e.message)).toEqual([
      "Output 'y' predicts 'malignant', which is not a target of the dataset (it has 2 targets: 'malignant=0', 'malignant=1').",
      "The dataset's target 'malignant=0' is predicted by no output node.",
      "The dataset's target 'malignant=1' is predicted by no output node.",
    ]);
  });

  it('10,000 features: still three names', () => {
    const wide = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
    const result = compileGraph(eightInputs(), { data: { features: wide, targets: ['t'] } });
    expect(!result.ok && result.errors[0].message).toBe(
      "Input 'x1' reads feature 'x1', which the dataset does not have (it has 10,000 features: 'c0', 'c1', 'c2' … 9,997 more).",
    );
  });
});

/**
 * The Precision field's Automatic option says what training will compute in for this network:
 * the same rule as the trainer (`resolvePrecision`), with the trainer's own choice checked beside it.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES, openSession, type Project } from '../../../../engine/src/index';
import { setUnits } from '../../document/commands';
import { automaticPrecisionText, runComputingText } from './precision-option';

function digits(hidden: number, mode: Project['hyperparameters']['mode'] = 'minibatch'): Project {
  const base = EXAMPLES.find((e) => e.name === 'digits')!.create();
  const resized = setUnits('hidden', hidden).apply(base);
  if (!resized.ok) throw new Error(resized.reason);
  return { ...resized.project, hyperparameters: { ...resized.project.hyperparameters, mode } };
}

describe('the automatic precision option', () => {
  it('says float64 for the digits example and float32 once the network is image-sized, as the trainer decides', () => {
    for (const [project, expected] of [
      [digits(32), 'float64'],
      [digits(200), 'float32'],
      [digits(200, 'stochastic'), 'float64'],
    ] as const) {
      expect(automaticPrecisionText(project)).toBe(`Auto (${expected})`);
      expect(openSession(project, 'train').trainer.precision).toBe(expected === 'float32' ? 'fast' : 'exact');
    }
  });

  it('says only "Auto" while the network does not compile', () => {
    const base = digits(32);
    const broken: Project = { ...base, graph: { ...base.graph, edges: [] } };
    expect(automaticPrecisionText(broken)).toBe('Auto');
  });
});

describe('what a run computes in', () => {
  it('names the number format, and the threads only when its products were split', () => {
    expect(runComputingText({ precision: 'fast', threads: 3 })).toBe('This run: float32, products on 3 threads');
    expect(runComputingText({ precision: 'fast', threads: 1 })).toBe('This run: float32, one thread');
    expect(runComputingText({ precision: 'exact', threads: 1 })).toBe('This run: float64, one thread');
  });
});

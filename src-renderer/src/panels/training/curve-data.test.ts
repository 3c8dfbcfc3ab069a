import { describe, expect, it } from 'vitest';
import { curveData } from './curve-data';

describe('curve data', () => {
  it('gives epochs, losses and accuracies in percent, with gaps for what is missing', () => {
    const data = curveData([
      { epoch: 1, loss: 0.5, accuracy: 0.25, validationLoss: 0.6, validationAccuracy: 0.5 },
      { epoch: 2, loss: Number.NaN, accuracy: null, validationLoss: null, validationAccuracy: null },
    ]);
    expect(data).toEqual([
      [1, 2],
      [0.5, null],
      [0.6, null],
      [25, null],
      [50, null],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { curveData, decadeLabel, logLossAxis, lossDecades } from './curve-data';

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

describe('the loss axis', () => {
  const record = (epoch: number, loss: number, validationLoss: number | null = null) => ({
    epoch,
    loss,
    accuracy: null,
    validationLoss,
    validationAccuracy: null,
  });

  it('counts the decades between the smallest and largest finite positive loss, training and validation', () => {
    // 0.5 down to 5e-4 is three decades; the validation loss of 50 makes it five. 0, NaN and Infinity do not count.
    expect(lossDecades([record(1, 0.5), record(2, 5e-4)])).toBeCloseTo(3, 12);
    expect(lossDecades([record(1, 0.5, 50), record(2, 5e-4, 0), record(3, Number.NaN, Infinity)])).toBeCloseTo(5, 12);
    expect(lossDecades([])).toBe(0);
    expect(lossDecades([record(1, 0)])).toBe(0);
  });

  it('turns logarithmic by itself past three decades (a loss that explodes to 1e292), unless the user chose', () => {
    const calm = [record(1, 0.7), record(2, 0.3), record(3, 0.01)]; // 1.85 decades
    const exploding = [record(1, 0.7), record(2, 3e5), record(3, 1e292)];
    const justThree = [record(1, 1), record(2, 1e-3)];
    expect(logLossAxis(calm, null)).toBe(false);
    expect(logLossAxis(exploding, null)).toBe(true);
    expect(logLossAxis(justThree, null)).toBe(false); // "more than" three
    expect(logLossAxis(exploding, false)).toBe(false);
    expect(logLossAxis(calm, true)).toBe(true);
  });

  it('on a log axis the losses are their log10 (1e292 is 292), and a loss of 0 is a gap; on a linear one it is drawn', () => {
    const history = [record(1, 0.01, 0), record(2, 0, 1000), record(3, 1e292, 1)];
    const [, loss, validation] = curveData(history, true);
    expect(loss).toEqual([-2, null, 292]);
    expect(validation).toEqual([null, 3, 0]);
    expect(curveData(history).slice(1, 3)).toEqual([
      [0.01, 0, 1e292],
      [0, 1000, 1],
    ]);
  });
});

describe('the log axis labels', () => {
  it('writes far decades as powers of ten and near ones as numbers', () => {
    expect(decadeLabel(292)).toBe('1e292');
    expect(decadeLabel(-6)).toBe('1e−6');
    expect(decadeLabel(-2)).toBe('0.01');
    expect(decadeLabel(0)).toBe('1');
    expect(decadeLabel(3)).toBe('1000');
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_HYPERPARAMETERS } from './train';
import { adviseHyperparameter, hyperparameterWarnings } from './hyperparameter-advice';

describe('advice on implausible hyperparameters', () => {
  it('warns about a learning rate above 10 or a vanishing one, not about the usual range', () => {
    expect(adviseHyperparameter('learningRate', 1e9)).toMatch(/very large/);
    expect(adviseHyperparameter('learningRate', 50)).toMatch(/very large/);
    expect(adviseHyperparameter('learningRate', 1e-7)).toMatch(/very small/);
    for (const ordinary of [0.001, 0.1, 0.5, 1, 10]) expect(adviseHyperparameter('learningRate', ordinary)).toBeNull();
  });

  it('warns about momentum close to 1 and very strong regularisation', () => {
    expect(adviseHyperparameter('momentum', 0.995)).toMatch(/oscillate/);
    expect(adviseHyperparameter('momentum', 0.9)).toBeNull();
    expect(adviseHyperparameter('l2', 5)).toMatch(/λ₂/);
    expect(adviseHyperparameter('l1', 2)).toMatch(/λ₁/);
    expect(adviseHyperparameter('l2', 1e-3)).toBeNull();
  });

  it('lists every warning of a set of hyperparameters, and none for the defaults', () => {
    expect(hyperparameterWarnings(DEFAULT_HYPERPARAMETERS)).toEqual([]);
    const odd = { ...DEFAULT_HYPERPARAMETERS, learningRate: 100, l2: 3, mode: 'stochastic' as const, batchSize: 100_000 };
    const warnings = hyperparameterWarnings(odd);
    expect(warnings).toHaveLength(2);
    expect(warnings.join(' ')).toMatch(/η = 100/);
  });

  it('judges the learning rate by the optimiser: 0.5 is ordinary for gradient descent and large for Adam', () => {
    expect(adviseHyperparameter('learningRate', 0.5, 'sgd')).toBeNull();
    expect(adviseHyperparameter('learningRate', 0.5, 'nesterov')).toBeNull();
    expect(adviseHyperparameter('learningRate', 0.5, 'adam')).toMatch(
      /^η = 0\.5 is large for Adam, which moves every weight by about η each step; about 0\.01 is usual\.$/,
    );
    expect(adviseHyperparameter('learningRate', 0.01, 'adam')).toBeNull();
    expect(hyperparameterWarnings({ ...DEFAULT_HYPERPARAMETERS, optimiser: 'rmsprop' })).toHaveLength(1);
  });
});

/**
 * Evaluation, the app's evaluation of a project, the CLI's `eval` (evaluateSession) and
 * prediction pass their rows in batches: with the per-sample forward pass made to refuse, they
 * still give their answers (and those answers are the per-sample ones, held in batch-forward.test.ts).
 */
import { describe, expect, it, vi } from 'vitest';

const guard = vi.hoisted(() => ({ refuse: false, calls: 0 }));

vi.mock('../engine/src/fast/kernels', async (original) => {
  const actual = await original<typeof import('../engine/src/fast/kernels')>();
  return {
    ...actual,
    forward: (...args: Parameters<typeof actual.forward>) => {
      guard.calls++;
      if (guard.refuse) throw new Error('a per-sample forward pass ran');
      return actual.forward(...args);
    },
  };
});

const engine = await import('../engine/src/index');

describe('no per-sample forward pass', () => {
  it('evaluate, evaluateProject, evaluateSession and predict never call the per-sample forward', () => {
    // The mock is in place: a per-sample pass is seen (and counted) when it is allowed.
    const ws = engine.createWorkspace(engine.compileOrThrow(engine.lecture.xorSigmoidNetwork()));
    engine.forward(engine.compileOrThrow(engine.lecture.xorSigmoidNetwork()), [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 1], 0, ws);
    expect(guard.calls).toBe(1);

    const project = engine.findExample('spiral')!.create();
    const session = engine.openSession(project, 'evaluate');
    guard.refuse = true;
    try {
      const splits = engine.evaluateSession(session);
      expect(splits.train.size).toBeGreaterThan(0);
      expect(splits.train.confusion).not.toBeNull();
      const shown = engine.evaluateProject(project);
      expect(shown.splits.train.accuracy).toBe(splits.train.accuracy);
      const direct = engine.evaluate(session.model, session.trainer.params, session.train, project.hyperparameters.loss);
      expect(direct.loss).toBe(splits.train.loss);
      const outputs = engine.predict(session.model, session.trainer.params, Array.from(session.train.x.subarray(0, 2)));
      expect(outputs).toHaveLength(session.model.targets.length);
    } finally {
      guard.refuse = false;
    }
    expect(guard.calls).toBe(1);
  });
});

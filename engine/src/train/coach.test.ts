import { describe, expect, it } from 'vitest';
import { compileGraph, readParameters } from '../compile/compile';
import { bindData } from '../datasets/data';
import { defaultSpec, type BuiltinName } from '../datasets/builtin';
import { createWorkspace, forward } from '../fast/kernels';
import { orPerceptron, xorSigmoidNetwork } from '../explain/lecture';
import type { Graph } from '../model/graph';
import { EXAMPLES, initialiseProjectWeights, newProject } from '../project/examples';
import type { Project } from '../project/schema';
import { openSession, projectFromSession } from '../project/session';
import { COACH_THRESHOLDS, diagnoseRun, separableInPlane, type Diagnosis } from './coach';
import type { Hyperparameters } from './train';

/** Trains the project with the engine's own trainer to its stopping criterion, then asks the coach. */
function trainAndDiagnose(project: Project): { diagnoses: Diagnosis[]; trained: Project; message: string; accuracy: number | null } {
  const session = openSession(project);
  const result = session.trainer.run();
  const trained = projectFromSession(project, session);
  const diagnoses = diagnoseRun({
    project: trained,
    train: session.data.train,
    history: session.trainer.history,
    stop: session.trainer.stop,
  });
  return { diagnoses, trained, message: result.message, accuracy: session.trainer.evaluate().accuracy };
}

const builtin = (name: BuiltinName, overrides: Partial<ReturnType<typeof defaultSpec>> = {}) => ({
  kind: 'builtin' as const,
  ...defaultSpec(name),
  ...overrides,
});

function project(graph: Graph, data: BuiltinName, hyperparameters: Partial<Hyperparameters>, initialise = true): Project {
  const p = newProject({ name: 'coach test', graph, dataset: builtin(data), hyperparameters });
  return initialise ? initialiseProjectWeights(p) : p;
}

const kinds = (diagnoses: Diagnosis[]) => diagnoses.map((d) => d.kind);

/** Every computing unit's s on every training sample, one sample at a time: an oracle independent of the batched pass the coach uses. */
function preActivations(p: Project): { names: string[]; s: number[][] } {
  const session = openSession(p, 'evaluate');
  const compiled = compileGraph(p.graph, { data: { features: session.data.train.features, targets: session.data.train.targets } });
  if (!compiled.ok) throw new Error('does not compile');
  const model = compiled.model;
  const params = readParameters(model);
  const bound = bindData(model, session.data.train);
  const ws = createWorkspace(model);
  const slots = model.computing.flatMap((node) => Array.from({ length: node.units }, (_, u) => node.start + u));
  const s: number[][] = [];
  for (let n = 0; n < bound.size; n++) {
    forward(model, params, bound.x, n * model.features.length, ws);
    s.push(slots.map((slot) => ws.s[slot]));
  }
  return { names: slots.map((slot) => model.slotNames[slot]), s };
}

/** A 2-H-1 network of `hidden` units of one activation and a sigmoid output, on the built-in x1, x2 → y data. */
function twoLayer(hidden: number, activation: 'relu' | 'sigmoid', hiddenBias: number): Graph {
  const nodes: Graph['nodes'] = [
    { id: 'x1', kind: 'input', label: 'x1', feature: 'x1', position: { x: 0, y: 0 } },
    { id: 'x2', kind: 'input', label: 'x2', feature: 'x2', position: { x: 0, y: 100 } },
    {
      id: 'h',
      kind: 'dense',
      label: 'h',
      units: hidden,
      activation,
      bias: new Array(hidden).fill(hiddenBias),
      position: { x: 200, y: 50 },
    },
    { id: 'y', kind: 'neuron', label: 'y', activation: 'sigmoid', bias: 0, output: { targets: ['y'] }, position: { x: 400, y: 50 } },
  ];
  const weights = (rows: number, cols: number, seed: number) =>
    Array.from({ length: rows }, (_, j) => Array.from({ length: cols }, (_, i) => 0.5 * Math.sin(seed + 3 * j + 7 * i)));
  return {
    nodes,
    edges: [
      { id: 'x1->h', source: 'x1', target: 'h', weight: weights(hidden, 1, 1) },
      { id: 'x2->h', source: 'x2', target: 'h', weight: weights(hidden, 1, 2) },
      { id: 'h->y', source: 'h', target: 'y', weight: weights(1, hidden, 3) },
    ],
  };
}

describe('separableInPlane', () => {
  const or = {
    positive: [
      [0, 1],
      [1, 0],
      [1, 1],
    ] as [number, number][],
    negative: [[0, 0]] as [number, number][],
  };
  it('knows the lecture’s truth tables: OR and AND are linearly separable, XOR is not', () => {
    expect(separableInPlane(or.positive, or.negative)).toBe(true);
    expect(
      separableInPlane(
        [[1, 1]],
        [
          [0, 0],
          [0, 1],
          [1, 0],
        ],
      ),
    ).toBe(true);
    expect(
      separableInPlane(
        [
          [0, 1],
          [1, 0],
        ],
        [
          [0, 0],
          [1, 1],
        ],
      ),
    ).toBe(false);
  });

  it('handles points on a line, duplicates and conflicting labels', () => {
    expect(
      separableInPlane(
        [
          [0, 0],
          [1, 0],
        ],
        [
          [2, 0],
          [3, 0],
        ],
      ),
    ).toBe(true);
    expect(
      separableInPlane(
        [
          [0, 0],
          [2, 0],
        ],
        [[1, 0]],
      ),
    ).toBe(false); // a negative between two positives on one line
    expect(separableInPlane([[1, 1]], [[1, 1]])).toBe(false); // the same point with both labels
    expect(
      separableInPlane(
        [
          [1, 1],
          [1, 1],
        ],
        [],
      ),
    ).toBe(true);
  });

  it('agrees with constructions: labels drawn by a line are separable, crossing pairs are not', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    for (let trial = 0; trial < 200; trial++) {
      const [a, b, c] = [random(), random(), random() * 0.5];
      const positive: [number, number][] = [];
      const negative: [number, number][] = [];
      for (let k = 0; k < 12; k++) {
        const p: [number, number] = [random(), random()];
        const side = a * p[0] + b * p[1] + c;
        if (Math.abs(side) < 1e-6) continue;
        (side > 0 ? positive : negative).push(p);
      }
      expect(separableInPlane(positive, negative)).toBe(true);
      // Two positives and two negatives whose segments cross: the hulls meet, so no line separates.
      const centre: [number, number] = [random(), random()];
      const d1: [number, number] = [random(), random()];
      const d2: [number, number] = [-d1[1] + 0.1 * random(), d1[0]];
      const crossedPositive: [number, number][] = [
        [centre[0] + d1[0], centre[1] + d1[1]],
        [centre[0] - d1[0], centre[1] - d1[1]],
      ];
      const crossedNegative: [number, number][] = [
        [centre[0] + d2[0], centre[1] + d2[1]],
        [centre[0] - d2[0], centre[1] - d2[1]],
      ];
      expect(separableInPlane([...crossedPositive, ...positive.slice(0, 2)], crossedNegative)).toBe(false);
    }
  });
});

describe('the coach', () => {
  it('says a single perceptron on XOR faces data that is not linearly separable, and the trainer says so too', () => {
    const run = trainAndDiagnose(project(orPerceptron(), 'xor', { algorithm: 'perceptron', learningRate: 0.1, maxEpochs: 200 }, false));
    expect(kinds(run.diagnoses)).toEqual(['notSeparable']);
    const d = run.diagnoses[0];
    expect(d.title).toMatch(/not linearly separable/);
    expect(d.explanation).toMatch(/perceptron convergence theorem/);
    expect(d.explanation).toMatch(/cycles/);
    expect(d.advice.join(' ')).toMatch(/hidden layer/);
    expect(d.evidence).toMatchObject({ epochs: 200, separability: 'none', samples: 4 });
    expect(run.message).toMatch(/linearly separable/);
  });

  it('says nothing of separability when the perceptron rule learns OR', () => {
    const learnsOr = EXAMPLES.find((e) => e.name === 'perceptron-learns-or')!.create();
    const run = trainAndDiagnose(learnsOr);
    expect(run.accuracy).toBe(1);
    expect(run.diagnoses).toEqual([]);
    // And it does not claim non-separability for OR data even when the rule is stopped short (checked exactly).
    const short = trainAndDiagnose({
      ...learnsOr,
      hyperparameters: { ...learnsOr.hyperparameters, learningRate: 1e-4, maxEpochs: COACH_THRESHOLDS.perceptronMinEpochs + 5 },
    });
    expect(short.accuracy).toBeLessThan(1);
    expect(kinds(short.diagnoses)).not.toContain('notSeparable');
  });

  it('finds the plateau of a 2-2-1 sigmoid XOR under plain SGD (η 0.5, no momentum), with the run’s own numbers', () => {
    const stuck = project(xorSigmoidNetwork(), 'xor', {
      learningRate: 0.5,
      maxEpochs: 1000,
      init: { method: 'uniform', seed: 1, range: 0.5 },
    });
    const run = trainAndDiagnose(stuck);
    expect(run.accuracy).toBeLessThan(1);
    expect(kinds(run.diagnoses)).toEqual(['plateau']);
    const d = run.diagnoses[0];
    const flat = d.evidence.flatEpochs as number;
    expect(flat).toBeGreaterThanOrEqual(COACH_THRESHOLDS.plateauMinEpochs);
    expect(d.title).toContain(`for the last ${flat} epochs`);
    expect(d.advice[0]).toMatch(/momentum: α ≈ 0\.9/);
    // Independently: the history's last `flat` epochs really are within 1% of each other.
    const history = run.trained.training.history.filter((r) => r.epoch >= 1000 - flat);
    const losses = history.map((r) => r.loss);
    const min = losses.reduce((a, b) => Math.min(a, b));
    const max = losses.reduce((a, b) => Math.max(a, b));
    expect(max - min).toBeLessThanOrEqual(0.01 * max);
    expect(Math.abs((d.evidence.level as number) - (min + max) / 2)).toBeLessThan(1e-12);
    // The same network with momentum 0.9 learns, and the coach is quiet.
    const moving = trainAndDiagnose({ ...stuck, hyperparameters: { ...stuck.hyperparameters, momentum: 0.9, maxEpochs: 3000 } });
    expect(moving.accuracy).toBe(1);
    expect(moving.diagnoses).toEqual([]);
  });

  it('finds saturated hidden units at η = 1000 and checks them against a per-sample forward pass', () => {
    const p = project(xorSigmoidNetwork(), 'xor', { learningRate: 1000, maxEpochs: 300, init: { method: 'uniform', seed: 1, range: 0.5 } });
    const run = trainAndDiagnose(p);
    expect(kinds(run.diagnoses)).toEqual(['saturation']); // the plateau it causes is left to it
    const d = run.diagnoses[0];
    expect(d.advice[0]).toMatch(/Lower the learning rate η \(now 1000\)/);
    const { names, s } = preActivations(run.trained);
    const hidden = names.map((name, k) => ({ name, k })).filter(({ name }) => name !== 'y');
    // sigmoid: φ'(s)/φ'(0) < 1% exactly when |s| > 2 acosh(10) ≈ 5.99
    const limit = 2 * Math.acosh(10);
    const saturated = hidden.filter(({ k }) => s.every((row) => Math.abs(row[k]) > limit));
    expect(saturated.length).toBe(d.evidence.saturatedUnits);
    expect(saturated.length).toBeGreaterThanOrEqual(1);
  });

  it('finds dead ReLUs pushed below zero by a big negative bias, and not live ones', () => {
    const dead = trainAndDiagnose(project(twoLayer(3, 'relu', -10), 'xor', { learningRate: 0.5, maxEpochs: 300 }, false));
    expect(kinds(dead.diagnoses)).toEqual(['deadRelu']);
    expect(dead.diagnoses[0].evidence).toMatchObject({ deadUnits: 3, reluUnits: 3 });
    expect(dead.diagnoses[0].severity).toBe('problem');
    const { names, s } = preActivations(dead.trained);
    const deadByOracle = names.filter((name, k) => name !== 'y' && s.every((row) => row[k] <= 0));
    expect(deadByOracle.length).toBe(3);
    const alive = trainAndDiagnose(project(twoLayer(3, 'relu', 0.1), 'xor', { learningRate: 0.5, momentum: 0.9, maxEpochs: 2000 }, false));
    expect(kinds(alive.diagnoses)).not.toContain('deadRelu');
  });

  it('says squared error on a confidently wrong sigmoid output learns slowly, and cross-entropy from the same start does not', () => {
    // One sigmoid neuron on OR, started confidently wrong: σ(4) ≈ 0.98 for (0, 0), σ(−4) ≈ 0.02 for the others.
    const graph = orPerceptron();
    const neuron = graph.nodes[2] as { kind: string; activation: string; bias: number };
    neuron.kind = 'neuron';
    neuron.activation = 'sigmoid';
    neuron.bias = 4;
    graph.edges[0].weight = -8;
    graph.edges[1].weight = -8;
    const hyper = { learningRate: 0.5, maxEpochs: 200, shuffle: false };
    const slow = trainAndDiagnose(project(graph, 'or', hyper, false));
    expect(slow.accuracy).toBeLessThan(1);
    expect(kinds(slow.diagnoses)).toEqual(['slowPairing']);
    const d = slow.diagnoses[0];
    expect(d.advice[0]).toMatch(/cross-entropy/);
    const z = d.evidence.z as number;
    expect(d.evidence.derivative).toBeCloseTo(z * (1 - z), 15);
    const quick = trainAndDiagnose(project(graph, 'or', { ...hyper, loss: 'crossEntropy' }, false));
    expect(quick.accuracy).toBe(1);
    expect(quick.diagnoses).toEqual([]);
  });

  it('explains the trainer’s own divergence, and a too-strong L2', () => {
    const linear: Graph = {
      nodes: [
        { id: 'x', kind: 'input', label: 'x', feature: 'x', position: { x: 0, y: 0 } },
        { id: 'y', kind: 'neuron', label: 'y', activation: 'linear', bias: 0, output: { targets: ['y'] }, position: { x: 200, y: 0 } },
      ],
      edges: [{ id: 'x->y', source: 'x', target: 'y', weight: 0.1 }],
    };
    const blown = trainAndDiagnose(project(linear, 'curve', { learningRate: 50, maxEpochs: 100 }, false));
    expect(blown.message).toMatch(/diverged/);
    expect(kinds(blown.diagnoses)).toEqual(['divergence']);
    expect(blown.diagnoses[0].advice[0]).toMatch(/Lower the learning rate η \(now 50\), say to 1 or below/);
    const l2 = trainAndDiagnose(project(linear, 'curve', { learningRate: 0.5, l2: 10, mode: 'batch', maxEpochs: 500 }, false));
    expect(l2.message).toMatch(/diverged/);
    expect(kinds(l2.diagnoses)).toEqual(['divergence']);
    expect(l2.diagnoses[0].advice[0]).toMatch(/Lower λ₂ \(now 10\)/);
  });

  it('finds a growing loss that has not yet overflowed', () => {
    const p = project(xorSigmoidNetwork(), 'xor', {
      learningRate: 0.5,
      momentum: 0.9,
      maxEpochs: 2000,
      init: { method: 'uniform', seed: 1, range: 0.5 },
    });
    const session = openSession(p);
    session.trainer.run();
    const trained = projectFromSession(p, session);
    // A history whose last loss is well above its lowest (as after η was raised mid-run).
    const history = session.trainer.history.map((r) => ({ ...r }));
    const lowest = history.reduce((a, r) => Math.min(a, r.loss), Infinity);
    history.push({ ...history.at(-1)!, epoch: history.at(-1)!.epoch + 1, loss: Math.max(history[0].loss, lowest) * 3 });
    const d = diagnoseRun({ project: trained, train: session.data.train, history, stop: null });
    expect(kinds(d)).toContain('divergence');
    expect(kinds(diagnoseRun({ project: trained, train: session.data.train, history: session.trainer.history, stop: null }))).toEqual([]);
  });

  it.each(EXAMPLES.map((e) => e.name))('draws no diagnosis on the healthy example %s trained to its stop', (name) => {
    const example = EXAMPLES.find((e) => e.name === name)!.create();
    let run;
    try {
      run = trainAndDiagnose(example);
    } catch {
      // A hand-set perceptron network has no learning rule: the coach looks at its weights as they are.
      const session = openSession(example, 'evaluate');
      run = { diagnoses: diagnoseRun({ project: example, train: session.data.train, history: [], stop: null }) };
    }
    expect(run.diagnoses).toEqual([]);
  });
});

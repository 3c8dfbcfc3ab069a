/**
 * The pad's arithmetic: for a trained digits network, its outputs are the engine's for the same
 * pixels normalised as training normalised them, its hidden activations are tanh of the first
 * layer's weighted sums written out here, and a network it cannot serve is one sentence.
 */
import { describe, expect, it } from 'vitest';
import { findExample, openSession, predict, projectFromSession, type Project } from '../../../../engine/src/index';
import { isDigitsProject, padNetwork } from './digits-pad';

const base = findExample('digits')!.create();
const session = openSession(base, 'train');
session.trainer.run();
const trained = projectFromSession(base, session);
const normalisation = session.data.normalisation;

describe('padNetwork', () => {
  it('serves the digits projects only', () => {
    expect(isDigitsProject(trained)).toBe(true);
    expect(isDigitsProject(findExample('iris')!.create())).toBe(false);
  });

  it('answers as the engine does, with the hidden layer’s tanh activations', () => {
    const network = padNetwork(trained, normalisation);
    if (typeof network === 'string') throw new Error(network);
    // A stroke down the middle, as a user might draw a 1.
    const cells = Array.from({ length: 64 }, (_, p) => (p % 8 === 3 || p % 8 === 4 ? 16 : 0));
    const answer = network.answer(cells);
    const stats = (name: string) => normalisation.features.find((f) => f.name === name)!;
    const x = session.model.features.map((f) => (cells[Number(f.slice(1))] - stats(f).shift) / stats(f).scale);
    const engine = predict(session.model, session.trainer.params, x);
    session.model.targets.forEach((t, k) => expect(answer.outputs[Number(t.slice(6))]).toBeCloseTo(engine[k], 12));
    expect(answer.outputs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const p of answer.outputs) expect(answer.outputs[answer.predicted]).toBeGreaterThanOrEqual(p);
    const w = trained.graph.edges.find((e) => e.id === 'pixels->hidden')!.weight as number[][];
    const b = (trained.graph.nodes.find((n) => n.id === 'hidden') as { bias: number[] }).bias;
    const xs = cells.map((v, p) => (v - stats(`p${p}`).shift) / stats(`p${p}`).scale);
    expect(answer.hidden).toHaveLength(32);
    answer.hidden.forEach((h, j) => expect(h).toBeCloseTo(Math.tanh(b[j] + w[j].reduce((s, v, p) => s + v * xs[p], 0)), 12));
    expect(network.unitWeights[5]).toEqual(w[5]);
  });

  it('names what it cannot serve: a graph that does not compile, outputs that are not the ten digits', () => {
    const broken: Project = { ...trained, graph: { ...trained.graph, edges: [] } };
    expect(padNetwork(broken, normalisation)).toMatch(/does not compile/);
    const nine: Project = structuredClone(trained);
    const out = nine.graph.nodes.find((n) => n.id === 'digit')!;
    if (out.kind === 'dense' && out.output) out.output.targets = out.output.targets.map((t) => (t === 'digit=9' ? 'digit=8' : t));
    expect(padNetwork(nine, normalisation)).toMatch(/does not compile|ten digits/);
  });
});

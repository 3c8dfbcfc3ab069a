/**
 * The inspector's model: the walk's order, the canvas's view at each step, and the what-if
 * recompute, checked against the 3-2-1 worked example computed by hand here.
 */
import { describe, expect, it } from 'vitest';
import { findExample, projectData, splitIndices, type Project } from '../../../engine/src/index';
import { setActivation, setWeight } from '../document/commands';
import { batchFrom, canvasView, firstOfPhase, inspect, inspectorSteps, nextInDatasetOrder, positionOfRow, rowOfData } from './inspection';

const sigmoid = (s: number) => 1 / (1 + Math.exp(-s));
const request = (samples = [0]) => ({ samples, optimiser: null, targets: new Map<number, number[]>() });

/** The 3-2-1 example's step by hand (backprop-notes.md), for x = (1, 0, 1), t = 1, η = ½. */
function byHand(w: { h: number[][]; hb: number[]; o: number[]; ob: number }, x = [1, 0, 1], t = 1, eta = 0.5) {
  const s = w.h.map((row, j) => row.reduce((sum, wji, i) => sum + wji * x[i], 0) + w.hb[j]);
  const y = s.map(sigmoid);
  const sOut = w.o[0] * y[0] + w.o[1] * y[1] + w.ob;
  const z = sigmoid(sOut);
  const deltaOut = (t - z) * z * (1 - z);
  const deltaHidden = y.map((yj, j) => yj * (1 - yj) * w.o[j] * deltaOut);
  return {
    s,
    y,
    sOut,
    z,
    loss: 0.5 * (t - z) ** 2,
    deltaOut,
    deltaHidden,
    dwOut: y.map((yj) => eta * deltaOut * yj),
    dwHidden: deltaHidden.map((d) => x.map((xi) => eta * d * xi)),
  };
}
const lecture = {
  h: [
    [0.1, -0.2, 0.3],
    [0.4, 0.1, -0.5],
  ],
  hb: [0.1, -0.1],
  o: [0.5, -0.4],
  ob: 0.2,
};

function apply(project: Project, command: { apply(p: Project): { ok: boolean; project?: Project } }): Project {
  const result = command.apply(project);
  if (!result.ok || !result.project) throw new Error('refused');
  return result.project;
}

describe('backprop inspector model', () => {
  it('walks forward in topological order, the loss, backward in reverse, then the update unit by unit', () => {
    const project = findExample('three-two-one')!.create();
    const { steps, trace } = inspect(project, request());
    const names = steps.map((s) =>
      s.phase === 'loss'
        ? 'loss'
        : s.phase === 'update'
          ? `update ${s.nodeId}`
          : `${s.phase} ${trace.samples[s.sample][s.phase][s.unit].nodeId}`,
    );
    expect(names).toEqual([
      'forward y1',
      'forward y2',
      'forward z1',
      'loss',
      'backward z1',
      'backward y2',
      'backward y1',
      'update y1',
      'update y2',
      'update z1',
    ]);
    // Each unit's update holds its three (or two) weights and its bias.
    const updates = steps.filter((s) => s.phase === 'update').map((s) => (s.phase === 'update' ? s.updates.length : 0));
    expect(updates).toEqual([4, 4, 3]);
    expect(firstOfPhase(steps, 'backward')).toBe(4);
    expect(firstOfPhase(steps, 'update')).toBe(7);
  });

  it('the numbers equal the 3-2-1 example by hand, and the canvas reveals them step by step', () => {
    const project = findExample('three-two-one')!.create();
    const inspection = inspect(project, request());
    const hand = byHand(lecture);
    const sample = inspection.trace.samples[0];
    expect(sample.forward.map((u) => u.s)).toEqual([hand.s[0], hand.s[1], hand.sOut].map((v) => expect.closeTo(v, 12)));
    expect(sample.loss).toBeCloseTo(hand.loss, 12);
    expect(sample.backward.map((b) => b.delta)).toEqual(
      [hand.deltaOut, hand.deltaHidden[1], hand.deltaHidden[0]].map((v) => expect.closeTo(v, 12)),
    );

    // After the first forward step only y1 has values; nothing has a δ; y1's incoming edges are lit.
    const first = canvasView(inspection, 0);
    expect(first.units.get('y1')![0]).toEqual({ s: expect.closeTo(hand.s[0], 12), z: expect.closeTo(hand.y[0], 12), delta: null });
    expect(first.units.get('z1')![0]).toEqual({ s: null, z: null, delta: null });
    expect([1, 2, 3].map((i) => first.units.get(`x${i}`)![0].z)).toEqual([1, 0, 1]); // the inputs' x from the start
    expect(first.focus).toEqual({ nodeId: 'y1', unit: 0 });
    expect([...first.litNodes].sort()).toEqual(['x1', 'x2', 'x3']);
    expect(first.edges.size).toBe(0);

    // At the output's δ: its incoming edges carry ∂J/∂w = −δ_k y_j; hidden ones nothing yet.
    const atOutput = canvasView(inspection, firstOfPhase(inspection.steps, 'backward'));
    expect(atOutput.units.get('z1')![0].delta).toBeCloseTo(hand.deltaOut, 12);
    expect(atOutput.units.get('y1')![0].delta).toBeNull();
    const outEdges = project.graph.edges.filter((e) => e.target === 'z1');
    outEdges.forEach((e, j) => expect(atOutput.edges.get(e.id)!.gradient).toBeCloseTo(-hand.deltaOut * hand.y[j], 12));
    // One sample: the Δw each edge is about to receive is known with its gradient.
    outEdges.forEach((e, j) => expect(atOutput.edges.get(e.id)!.change).toBeCloseTo(hand.dwOut[j], 12));
    expect(atOutput.edges.get(project.graph.edges.find((e) => e.target === 'y1')!.id)).toBeUndefined();
    // y2's δ sums over z1: the edge y2 → z1 is lit.
    const atY2 = canvasView(inspection, firstOfPhase(inspection.steps, 'backward') + 1);
    expect([...atY2.litEdges]).toEqual([project.graph.edges.find((e) => e.source === 'y2' && e.target === 'z1')!.id]);

    // At the end, every edge knows its Δw: η δ_j x_ji.
    const end = canvasView(inspection, inspection.steps.length - 1);
    outEdges.forEach((e, j) => expect(end.edges.get(e.id)!.change).toBeCloseTo(hand.dwOut[j], 12));
    const x1y1 = project.graph.edges.find((e) => e.source === 'x1' && e.target === 'y1')!;
    expect(end.edges.get(x1y1.id)!.change).toBeCloseTo(hand.dwHidden[0][0], 12);
  });

  it('what if: a weight set to 0, or another activation, changes every number downstream', () => {
    const base = findExample('three-two-one')!.create();
    const x1y1 = base.graph.edges.find((e) => e.source === 'x1' && e.target === 'y1')!;
    const edited = apply(base, setWeight(x1y1.id, 0));
    const after = inspect(edited, request());
    const hand = byHand({ ...lecture, h: [[0, -0.2, 0.3], lecture.h[1]] });
    const sample = after.trace.samples[0];
    expect(sample.forward[0].s).toBeCloseTo(hand.s[0], 12);
    expect(sample.forward[2].z).toBeCloseTo(hand.z, 12);
    expect(sample.backward[0].delta).toBeCloseTo(hand.deltaOut, 12);
    expect(sample.backward[2].delta).toBeCloseTo(hand.deltaHidden[0], 12);
    // …and y2, which x1 → y1 does not feed, keeps its forward values.
    expect(sample.forward[1].s).toBeCloseTo(inspect(base, request()).trace.samples[0].forward[1].s, 15);

    // tanh at y1: z = tanh(s) and φ′ = 1 − z² in its δ.
    const tanh = inspect(apply(base, setActivation('y1', 'tanh')), request()).trace.samples[0];
    const z = Math.tanh(tanh.forward[0].s);
    expect(tanh.forward[0].z).toBeCloseTo(z, 12);
    const deltaOut = tanh.backward[0].delta;
    expect(tanh.backward[2].delta).toBeCloseTo((1 - z * z) * 0.5 * deltaOut, 12);
  });

  it('what if the target were 0: the loss and every δ change sign', () => {
    const project = findExample('three-two-one')!.create();
    const hand = byHand(lecture, [1, 0, 1], 0);
    const inspection = inspect(project, { ...request(), targets: new Map([[0, [0]]]) });
    expect(inspection.trace.samples[0].loss).toBeCloseTo(hand.loss, 12);
    expect(inspection.trace.samples[0].backward[0].delta).toBeCloseTo(hand.deltaOut, 12);
    expect(hand.deltaOut).toBeLessThan(0);
  });

  it('a mini-batch: one walk per sample, then an update whose gradient is the mean of the contributions', () => {
    const project = findExample('iris')!.create();
    const { trainOrder: order, trainRows } = inspect(project, request());
    const rows = batchFrom(project, order[5], order);
    // Iris trains in mini-batches of 8: from the chosen row, the next training rows in dataset order.
    expect(rows).toEqual(order.slice(5, 13));
    const shown = rows.map((position) => trainRows[position]);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    const inspection = inspect(project, request(rows));
    expect(inspection.trace.samples.map((s) => s.index)).toEqual(rows);
    expect(inspection.trace.samples.map((s) => s.row)).toEqual(shown);
    expect(inspection.steps.filter((s) => s.phase === 'loss')).toHaveLength(8);
    for (const update of inspection.trace.updates) {
      expect(update.contributions).toHaveLength(8);
      const mean = update.contributions.reduce((sum, c) => sum + c.gradient, 0) / 8;
      expect(update.gradient).toBeCloseTo(mean, 12);
    }
    // Wraps round, past the last training row to the first.
    expect(batchFrom(project, order[88], order)).toEqual([order[88], order[89], ...order.slice(0, 6)]);
  });

  it('rows are the dataset’s: numbered as the file has them, each in its split; next sample follows dataset order', () => {
    const project = findExample('iris')!.create(); // 60/20/20, shuffled
    const inspection = inspect(project, request());
    const split = splitIndices(150, project.split);
    expect(inspection.trainRows).toEqual(split.train);
    // Row 0 of the file is a training row somewhere else in the shuffled split.
    const place = positionOfRow(inspection, 0);
    if (!('position' in place)) throw new Error(`row 0 should be a training row: ${place.refusal}`);
    expect(place.position).toBe(split.train.indexOf(0));
    expect(place.position).not.toBe(0);
    const traced = inspect(project, request([place.position])).trace.samples[0];
    expect(traced.row).toBe(0);
    const prepared = projectData(project);
    const { full, normalisation } = prepared;
    traced.inputs.forEach((input) => {
      const column = full.features.indexOf(input.feature);
      const { shift, scale } = normalisation.features.find((n) => n.name === input.feature)!;
      expect(input.value).toBeCloseTo((full.x[column] - shift) / scale, 12);
    });

    // A test row is refused with its split named and training rows offered, in dataset order.
    const test = split.test[0];
    const refused = positionOfRow(inspection, test);
    const firstTraining = [...split.train]
      .sort((a, b) => a - b)
      .slice(0, 10)
      .join(', ');
    expect(refused).toEqual({
      refusal: `Row ${test} is in the test split; the trace is of a training step, so choose a row of the training split: ${firstTraining}, ….`,
    });
    expect(positionOfRow(inspection, 150)).toEqual({ refusal: 'There is no row 150; the data has 150 rows (0 to 149).' });

    // The row table: every dataset row with its split and its (normalised) numbers.
    for (const [name, rows] of Object.entries(split) as ['train' | 'validation' | 'test', number[]][]) {
      const row = rows[3];
      const shown = rowOfData(inspection, row);
      expect(shown.split).toBe(name);
      expect(shown.position).toBe(3);
      expect(Array.from(shown.x)).toEqual(Array.from(prepared[name].x.subarray(3 * 4, 3 * 4 + 4)));
    }

    // Next sample: the training row after this one in dataset order, not the next in the shuffle.
    const sorted = [...split.train].sort((a, b) => a - b);
    const after = (row: number) => inspection.trainRows[nextInDatasetOrder(inspection, [split.train.indexOf(row)])];
    expect(after(sorted[0])).toBe(sorted[1]);
    expect(after(sorted[41])).toBe(sorted[42]);
    expect(after(sorted[89])).toBe(sorted[0]); // wraps round
  });

  it('says why when the network cannot be traced: step units have no gradient', () => {
    const project = findExample('xor-perceptron-network')!.create();
    expect(() => inspect(project, request())).toThrow(/perceptron rule trains a single layer|no gradient/);
    const sequence = inspectorSteps(inspect(findExample('perceptron-learns-or')!.create(), request()).trace);
    expect(sequence.some((s) => s.phase === 'backward')).toBe(false); // the perceptron rule has no backward pass
  });
});

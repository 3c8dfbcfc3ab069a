/**
 * The coach: after a run stops (or is paused), says why it stalled or failed, in the lecture's
 * terms (s_j, z_j, φ'(s_j), δ_j, η, α, linear separability, the perceptron rule) and with the
 * run's own numbers, and what to try next.
 *
 * Every diagnosis comes from measurements of the run itself: its epoch history, its stop, and one
 * forward pass of the current weights over the training rows (batched inference), which gives
 * every unit's s and z on every sample. Each detector has explicit thresholds
 * ({@link COACH_THRESHOLDS}, each documented) so that a healthy run gets no diagnosis at all: a
 * coach that cries wolf teaches students to ignore it.
 *
 * The detectors and their wording live side by side in one registry, {@link DIAGNOSES}.
 */
import { compileGraph, readParameters, type CompiledModel, type CompiledNode } from '../compile/compile';
import { bindData, type BoundData, type Dataset } from '../datasets/data';
import { forwardPlan } from '../fast/batch-forward';
import { evaluate, isClassifier } from '../fast/metrics';
import { decisionThreshold, type Activation } from '../model/activations';
import type { Graph } from '../model/graph';
import { LOSSES } from '../model/losses';
import { formatNumber } from '../util/format';
import { OPTIMISERS } from './optimisers';
import type { EpochRecord, Hyperparameters, StopReason } from './train';

/** How serious a diagnosis is: `problem` when the run cannot succeed as it stands, `warning` when it is held back. */
export type DiagnosisSeverity = 'problem' | 'warning';

/** One finding of the coach. */
export interface Diagnosis {
  kind: DiagnosisKind;
  severity: DiagnosisSeverity;
  /** One line, with the run's own numbers. */
  title: string;
  /** Why, in the lecture's terms. */
  explanation: string;
  /** What to try, most promising first. */
  advice: string[];
  /** The measurements the diagnosis rests on, by name (for tests, exports and the curious). */
  evidence: Record<string, number | string>;
}

/** What the coach looks at. */
export interface CoachInput {
  /** The network with its current weights, and the hyperparameters it was trained with (a project fits). */
  project: { graph: Graph; hyperparameters: Hyperparameters };
  /** The prepared training data (the training split, normalised as the run saw it). */
  train: Dataset;
  /** The run's epoch history (thinned histories are fine: records carry their epoch numbers). */
  history: readonly EpochRecord[];
  /** Why the run stopped; null or absent for a paused run. */
  stop?: { reason: StopReason | string; message?: string } | null;
}

/**
 * The coach's thresholds. Each is chosen so that the lecture's examples, trained to their
 * stopping criteria, draw no diagnosis (`coach.test.ts` holds them to that), while the failing
 * runs of the tests each draw theirs.
 */
export const COACH_THRESHOLDS = {
  /**
   * A plateau is a flat tail of the loss curve at least this many epochs long (and at least
   * {@link COACH_THRESHOLDS.plateauShare} of the epochs run): shorter flat stretches are ordinary pauses.
   */
  plateauMinEpochs: 100,
  /** … and at least this share of all the epochs run. */
  plateauShare: 0.2,
  /** Flat: the tail's loss stays within this fraction of its largest value ((max − min) ≤ 1% of max). */
  plateauSpread: 0.01,
  /**
   * A sigmoid or tanh unit is saturated on a sample when φ'(s) is below this fraction of its
   * largest value (sigmoid: z(1 − z) < 0.0025, |s| > 6.0; tanh: 1 − z² < 0.01, |s| > 3.0).
   */
  saturatedDerivative: 0.01,
  /** A unit counts as saturated when it is saturated on at least this share of the training samples. */
  saturatedSamples: 0.9,
  /**
   * Saturation is diagnosed when at least this share of the sigmoid/tanh units that matter is
   * saturated (or every unit of a layer is): one saturated unit among many is a unit that chose a side.
   */
  saturatedUnits: 0.5,
  /** Divergence by growth: the last loss is more than this many times the lowest loss of the run (and above the first epoch's). */
  divergenceGrowth: 2,
  /** … measured over at least this many epochs. */
  divergenceMinEpochs: 10,
  /** The perceptron rule must have run at least this many epochs with errors in each before the coach speaks of separability. */
  perceptronMinEpochs: 20,
  /**
   * Slow pairing: a misclassified sample whose output has φ'(s_k) below this fraction of its
   * largest value (sigmoid z(1 − z) < 0.025, tanh 1 − z² < 0.1): δ_k = (t_k − z_k) φ'(s_k) is then at
   * most a tenth of what cross-entropy's δ_k = t_k − z_k would be.
   */
  slowDerivative: 0.1,
  /** … diagnosed when at least this share of the misclassified samples are like that. */
  slowShare: 0.25,
} as const;

const T = COACH_THRESHOLDS;

/** What one unit did over the training samples. */
interface UnitStats {
  name: string;
  nodeId: string;
  activation: Activation;
  output: boolean;
  /** Share of samples on which the unit is saturated (sigmoid/tanh), else 0. */
  saturatedShare: number;
  /** Share of samples with s ≤ 0. */
  nonPositiveShare: number;
  /** Mean |s| over the samples. */
  meanAbsS: number;
  /** Mean of φ'(s) over its largest value, over the samples (sigmoid/tanh), else 1. */
  meanDerivativeRatio: number;
}

/** Everything the detectors read, measured once. */
interface Run {
  hyper: Hyperparameters;
  model: CompiledModel;
  params: Float64Array;
  train: BoundData;
  history: readonly EpochRecord[];
  stop: { reason: StopReason | string; message?: string } | null;
  classifier: boolean;
  /** Training accuracy of the current weights (null for a regression). */
  accuracy: number | null;
  loss: number;
  units: UnitStats[];
  /** Misclassified training samples, and those among them whose output unit is saturated (φ' < slowDerivative of its largest value). */
  misclassified: number;
  misclassifiedSaturated: number;
  /** The most saturated wrong output seen: its z, t and φ'(s). */
  worstWrong: { z: number; t: number; derivative: number; unit: string } | null;
  /** Largest |x| over the training features. */
  maxAbsInput: number;
  /** Largest |z − ½| of the sigmoid outputs over the samples (null without a sigmoid output): near 0, the network answers ½ to everything. */
  outputSpreadFromHalf: number | null;
}

/** φ'(s) over its largest value, for the activations whose derivative vanishes for large |s|. */
function derivativeRatio(activation: Activation, z: number): number | null {
  if (activation === 'sigmoid') return 4 * z * (1 - z);
  if (activation === 'tanh') return 1 - z * z;
  return null;
}

/** φ'(s) itself, from z, for sigmoid and tanh. */
function derivativeOf(activation: Activation, z: number): number {
  return activation === 'sigmoid' ? z * (1 - z) : 1 - z * z;
}

const fmt = (value: number, digits = 3) => formatNumber(value, { digits });
const pct = (share: number) => `${formatNumber(share * 100, { digits: 2 })}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const list = (items: readonly string[], max = 4) =>
  items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;

function measure(input: CoachInput): Run | null {
  const { graph, hyperparameters: hyper } = input.project;
  const compiled = compileGraph(graph, { data: { features: input.train.features, targets: input.train.targets } });
  if (!compiled.ok) return null;
  const model = compiled.model;
  const params = readParameters(model);
  const train = bindData(model, input.train);
  const classifier = isClassifier(model);
  const evaluation = train.size > 0 ? evaluate(model, params, train, hyper.loss) : { loss: Number.NaN, accuracy: null };
  const units: UnitStats[] = [];
  const sums = model.computing.map((node) =>
    Array.from({ length: node.units }, () => ({ saturated: 0, nonPositive: 0, absS: 0, ratio: 0 })),
  );
  let misclassified = 0;
  let misclassifiedSaturated = 0;
  let outputSpreadFromHalf: number | null = null;
  let worstWrong: Run['worstWrong'] = null;
  const nt = model.targets.length;
  const outputIndex = model.outputs.map((node) => model.computing.indexOf(node));
  if (train.size > 0) {
    forwardPlan(model).run(params, train.x, train.size, (chunk) => {
      model.computing.forEach((node, n) => {
        const s = chunk.s[n];
        const z = chunk.z[n];
        for (let r = 0; r < chunk.rows; r++) {
          for (let u = 0; u < node.units; u++) {
            const at = r * node.units + u;
            const stats = sums[n][u];
            const ratio = derivativeRatio(node.activation, z[at]);
            if (ratio !== null && ratio < T.saturatedDerivative) stats.saturated++;
            if (s[at] <= 0) stats.nonPositive++;
            stats.absS += Math.abs(s[at]);
            stats.ratio += ratio ?? 1;
          }
        }
      });
      if (!classifier) return;
      for (let r = 0; r < chunk.rows; r++) {
        const row = chunk.first + r;
        let wrong = false;
        let saturatedWrong = false;
        model.outputs.forEach((node, o) => {
          const z = chunk.z[outputIndex[o]];
          const threshold = decisionThreshold(node.activation) ?? 0.5;
          for (let u = 0; u < node.units; u++) {
            const zk = z[r * node.units + u];
            const tk = train.t[row * nt + node.output!.targetStart + u];
            if (node.activation === 'sigmoid') outputSpreadFromHalf = Math.max(outputSpreadFromHalf ?? 0, Math.abs(zk - 0.5));
            if (node.units > 1 && node.activation === 'softmax') continue; // arg-max: judged below
            if (zk > threshold === tk > threshold) continue;
            wrong = true;
            const ratio = derivativeRatio(node.activation, zk);
            if (ratio !== null && ratio < T.slowDerivative) {
              saturatedWrong = true;
              const derivative = derivativeOf(node.activation, zk);
              if (!worstWrong || derivative < worstWrong.derivative)
                worstWrong = { z: zk, t: tk, derivative, unit: model.slotNames[node.start + u] };
            }
          }
          if (node.activation === 'softmax' && node.units > 1) {
            let best = 0;
            let bestTarget = 0;
            for (let u = 1; u < node.units; u++) {
              if (z[r * node.units + u] > z[r * node.units + best]) best = u;
              if (train.t[row * nt + node.output!.targetStart + u] > train.t[row * nt + node.output!.targetStart + bestTarget])
                bestTarget = u;
            }
            if (best !== bestTarget) wrong = true;
          }
        });
        if (wrong) misclassified++;
        if (saturatedWrong) misclassifiedSaturated++;
      }
    });
  }
  model.computing.forEach((node, n) => {
    for (let u = 0; u < node.units; u++) {
      const stats = sums[n][u];
      const size = Math.max(1, train.size);
      units.push({
        name: model.slotNames[node.start + u],
        nodeId: node.id,
        activation: node.activation,
        output: node.output !== null,
        saturatedShare: stats.saturated / size,
        nonPositiveShare: stats.nonPositive / size,
        meanAbsS: stats.absS / size,
        meanDerivativeRatio: stats.ratio / size,
      });
    }
  });
  let maxAbsInput = 0;
  for (let i = 0; i < train.x.length; i++) maxAbsInput = Math.max(maxAbsInput, Math.abs(train.x[i]));
  return {
    hyper,
    model,
    params,
    train,
    history: input.history,
    stop: input.stop ?? null,
    classifier,
    accuracy: evaluation.accuracy,
    loss: evaluation.loss,
    units,
    misclassified,
    misclassifiedSaturated,
    worstWrong,
    maxAbsInput,
    outputSpreadFromHalf,
  };
}

/** Whether the run has not yet got where it should: a classifier short of 100% on its training data, a regression not stopped by its own criteria. */
function unfinished(run: Run): boolean {
  if (run.accuracy !== null) return run.accuracy < 1;
  return run.stop?.reason !== 'targetLoss' && run.stop?.reason !== 'earlyStopping';
}

/** Epochs the history spans (its last record's epoch number). */
function epochsRun(run: Run): number {
  return run.history.at(-1)?.epoch ?? 0;
}

/** A smaller learning rate to suggest: a tenth, or the top of the usual range (0.01 to 1) for a rate far outside it. */
function smallerRate(eta: number): string {
  return eta > 10 ? '1 or below (0.01 to 1 is the usual range)' : formatNumber(eta / 10, { digits: 2 });
}

/** The longest flat tail of the loss curve: its length in epochs, its middle and its half-spread as a share of the middle. */
function flatTail(history: readonly EpochRecord[]): { epochs: number; level: number; within: number } | null {
  const last = history.at(-1);
  if (!last || !Number.isFinite(last.loss)) return null;
  let min = last.loss;
  let max = last.loss;
  let from = last.epoch;
  for (let k = history.length - 2; k >= 0; k--) {
    const loss = history[k].loss;
    if (!Number.isFinite(loss)) break;
    const lo = Math.min(min, loss);
    const hi = Math.max(max, loss);
    if (hi - lo > T.plateauSpread * hi) break;
    min = lo;
    max = hi;
    from = history[k].epoch;
  }
  const level = (min + max) / 2;
  return { epochs: last.epoch - from, level, within: level > 0 ? (max - min) / 2 / level : 0 };
}

/** Perceptron output units' separability on their own inputs: exactly checked for up to two features. */
interface SeparabilityCheck {
  unit: string;
  features: string[];
  /** True: some line (point, for one feature) separates; false: none does; null: not checked (three or more features). */
  separable: boolean | null;
}

function separability(run: Run): SeparabilityCheck[] {
  const { model, train } = run;
  const nf = model.features.length;
  const nt = model.targets.length;
  const featureOfSlot = new Map(model.inputs.map((input, f) => [input.slot, f]));
  const checks: SeparabilityCheck[] = [];
  for (const node of model.outputs) {
    const columns: number[] = [];
    for (const slot of node.inputSlots) {
      const f = featureOfSlot.get(slot);
      if (f !== undefined && !columns.includes(f)) columns.push(f);
    }
    const threshold = decisionThreshold(node.activation) ?? 0.5;
    for (let u = 0; u < node.units; u++) {
      const positive: [number, number][] = [];
      const negative: [number, number][] = [];
      for (let n = 0; n < train.size; n++) {
        const point: [number, number] = [
          columns[0] === undefined ? 0 : train.x[n * nf + columns[0]],
          columns[1] === undefined ? 0 : train.x[n * nf + columns[1]],
        ];
        (train.t[n * nt + node.output!.targetStart + u] > threshold ? positive : negative).push(point);
      }
      checks.push({
        unit: model.slotNames[node.start + u],
        features: columns.map((f) => model.features[f]),
        separable: columns.length <= 2 ? separableInPlane(positive, negative) : null,
      });
    }
  }
  return checks;
}

/** The convex hull's vertices (Andrew's monotone chain), without collinear points; one or two points for degenerate sets. */
function hull(points: readonly [number, number][]): [number, number][] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const unique: [number, number][] = [];
  for (const p of sorted) if (!unique.length || unique.at(-1)![0] !== p[0] || unique.at(-1)![1] !== p[1]) unique.push(p);
  if (unique.length <= 2) return unique;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (pts: [number, number][]) => {
    const chain: [number, number][] = [];
    for (const p of pts) {
      while (chain.length >= 2 && cross(chain[chain.length - 2], chain[chain.length - 1], p) <= 0) chain.pop();
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  const lower = half(unique);
  const upper = half([...unique].reverse());
  return [...lower, ...upper];
}

/**
 * Whether some line strictly separates two finite point sets of the plane: exactly when their
 * convex hulls are disjoint. Two disjoint convex polygons are separated along the line joining
 * their closest points, which is the normal of an edge of one of them or the difference of two
 * vertices; so those directions are all that need trying.
 */
export function separableInPlane(positive: readonly [number, number][], negative: readonly [number, number][]): boolean {
  if (positive.length === 0 || negative.length === 0) return true;
  const p = hull(positive);
  const n = hull(negative);
  const axes: [number, number][] = [];
  for (const poly of [p, n]) {
    for (let i = 0; i < poly.length && poly.length > 1; i++) {
      const a = poly[i];
      const b = poly[(i + 1) % poly.length];
      axes.push([a[1] - b[1], b[0] - a[0]]);
    }
  }
  for (const a of p) for (const b of n) axes.push([a[0] - b[0], a[1] - b[1]]);
  for (const [ax, ay] of axes) {
    if (ax === 0 && ay === 0) continue;
    let pMin = Infinity;
    let pMax = -Infinity;
    let nMin = Infinity;
    let nMax = -Infinity;
    for (const [x, y] of p) {
      const v = ax * x + ay * y;
      pMin = Math.min(pMin, v);
      pMax = Math.max(pMax, v);
    }
    for (const [x, y] of n) {
      const v = ax * x + ay * y;
      nMin = Math.min(nMin, v);
      nMax = Math.max(nMax, v);
    }
    const scale = 1e-12 * Math.max(1, Math.abs(pMin), Math.abs(pMax), Math.abs(nMin), Math.abs(nMax));
    if (pMax < nMin - scale || nMax < pMin - scale) return true;
  }
  return false;
}

/** A detector with its wording: null when the run does not show it. */
type Detector = (run: Run) => Omit<Diagnosis, 'kind'> | null;

/** A registry entry: its name, its detector, and the diagnoses that, when found, already explain it. */
interface DiagnosisSpec {
  readonly label: string;
  readonly detect: Detector;
  readonly explainedBy?: readonly string[];
}

/**
 * Every diagnosis the coach can make, by kind, each with its detector beside its wording. The
 * order is the order they are shown in: causes before symptoms.
 */
export const DIAGNOSES = {
  divergence: {
    label: 'divergence',
    /**
     * The trainer's own 'diverged' stop (a NaN or infinite loss or weight), a non-finite loss in
     * the history, or a loss that grew to more than `divergenceGrowth` times the run's lowest and
     * above its first epoch's, over at least `divergenceMinEpochs` epochs.
     */
    detect: ((run) => {
      const { hyper, history } = run;
      const eta = hyper.learningRate;
      const stopped = run.stop?.reason === 'diverged';
      const nonFinite = history.find((r) => !Number.isFinite(r.loss));
      let grew: { first: number; lowest: number; lowestAt: number; last: number } | null = null;
      if (history.length >= 2 && epochsRun(run) >= T.divergenceMinEpochs) {
        let lowest = Infinity;
        let lowestAt = 0;
        for (const r of history)
          if (r.loss < lowest) {
            lowest = r.loss;
            lowestAt = r.epoch;
          }
        const first = history[0].loss;
        const last = history.at(-1)!.loss;
        if (Number.isFinite(last) && last > T.divergenceGrowth * lowest && last > first) grew = { first, lowest, lowestAt, last };
      }
      if (!stopped && !nonFinite && !grew) return null;
      const decay = eta * hyper.l2;
      const l2TooStrong =
        hyper.algorithm === 'gradientDescent' && hyper.optimiser === 'sgd' && hyper.l2 > 0 && decay > 2 * (1 + hyper.momentum);
      const advice: string[] = [];
      if (l2TooStrong)
        advice.push(
          `Lower λ₂ (now ${hyper.l2}): η·λ₂ = ${fmt(decay)} is above 2(1 + α) = ${fmt(2 * (1 + hyper.momentum))}, so the L2 part of every step, −η λ₂ w, throws each weight past zero by more than its size.`,
        );
      advice.push(`Lower the learning rate η (now ${eta}), say to ${smallerRate(eta)}, and train again from fresh weights (Reset).`);
      if (hyper.momentum >= 0.5 && hyper.optimiser === 'sgd')
        advice.push(
          `Or keep η and lower the momentum α (now ${hyper.momentum}): α Δw(r−1) adds the last step to this one, which makes a step too large larger still.`,
        );
      if (hyper.optimiser !== 'sgd' && eta > OPTIMISERS[hyper.optimiser].typicalLearningRate)
        advice.push(`${OPTIMISERS[hyper.optimiser].label} usually works with η about ${OPTIMISERS[hyper.optimiser].typicalLearningRate}.`);
      const what = stopped
        ? (run.stop?.message ?? 'The loss became NaN or infinite.')
        : nonFinite
          ? `The loss of epoch ${nonFinite.epoch} is not a finite number.`
          : `The loss grew from its lowest, ${fmt(grew!.lowest)} at epoch ${grew!.lowestAt}, to ${fmt(grew!.last)} at epoch ${epochsRun(run)} (it began at ${fmt(grew!.first)}).`;
      return {
        severity: 'problem',
        title:
          stopped || nonFinite
            ? 'Training diverged: the loss became NaN or infinite'
            : `The loss is growing: ${fmt(grew!.last)}, up from ${fmt(grew!.lowest)}`,
        explanation:
          `${what} Each step is Δw = −η ∇J(w) + α Δw(r−1): when η is too large a step jumps past the minimum to a point where the loss is higher, ` +
          `the gradient there is steeper, and the next step jumps further still, until the weights overflow.`,
        advice,
        evidence: {
          learningRate: eta,
          momentum: hyper.momentum,
          l2: hyper.l2,
          ...(grew ? { lowestLoss: grew.lowest, lastLoss: grew.last } : {}),
          stop: run.stop?.reason ?? 'none',
        },
      };
    }) satisfies Detector,
  },
  notSeparable: {
    label: 'not linearly separable',
    /**
     * The perceptron rule has run at least `perceptronMinEpochs` epochs with misclassified samples
     * in every one (it was not stopped by convergence) and some are still misclassified; the
     * data of each output unit are then checked for a separating line exactly when the unit
     * reads one or two features. Data shown separable draw no diagnosis (the rule will converge).
     */
    detect: ((run) => {
      if (run.hyper.algorithm !== 'perceptron' || run.stop?.reason === 'converged') return null;
      const epochs = epochsRun(run);
      if (epochs < T.perceptronMinEpochs || run.accuracy === null || run.accuracy >= 1) return null;
      const checks = separability(run);
      const notSeparable = checks.filter((c) => c.separable === false);
      const unknown = checks.filter((c) => c.separable === null);
      if (notSeparable.length === 0 && unknown.length === 0) return null;
      let wrongLeast = Infinity;
      let wrongMost = 0;
      const size = run.train.size;
      const tail = run.history.slice(-50);
      for (const r of tail) {
        if (r.accuracy === null) continue;
        const wrong = Math.round((1 - r.accuracy) * size);
        wrongLeast = Math.min(wrongLeast, wrong);
        wrongMost = Math.max(wrongMost, wrong);
      }
      const cycling =
        wrongMost > 0 && Number.isFinite(wrongLeast)
          ? wrongLeast === wrongMost
            ? `in each of its last ${tail.length} epochs it got ${plural(wrongMost, 'sample')} wrong`
            : `in its last ${tail.length} epochs it got between ${wrongLeast} and ${wrongMost} samples wrong each epoch`
          : `it still gets ${plural(run.misclassified, 'sample')} wrong`;
      const proven = notSeparable.length > 0;
      const features = (notSeparable[0] ?? unknown[0]).features;
      const where =
        features.length === 2
          ? `no line w1·${features[0]} + w2·${features[1]} + b = 0 has all the 1s on one side and all the 0s on the other`
          : features.length === 1
            ? `no threshold on ${features[0]} puts all the 1s on one side and all the 0s on the other`
            : 'the unit reads no feature, so it gives every sample the same answer';
      const title = proven
        ? 'The data is not linearly separable: one perceptron cannot learn it'
        : `No weights found in ${plural(epochs, 'epoch')}: the data is probably not linearly separable`;
      const explanation = proven
        ? `The perceptron rule w ← w + η (t − y) x ran ${plural(epochs, 'epoch')} and never classified every training sample: ${cycling}. ` +
          `The perceptron convergence theorem promises that the rule stops after finitely many updates when the data is linearly separable — and here it is not: ` +
          `${where} (XOR is the lecture's example). So the rule never stops: every correction that fixes one sample breaks another, and it cycles for ever.`
        : `The perceptron rule w ← w + η (t − y) x ran ${plural(epochs, 'epoch')} without classifying every training sample (${cycling}). ` +
          `The rule converges after finitely many updates when the data is linearly separable; with ${unknown[0].features.length} features the coach does not check ` +
          `separability exactly, but a rule still cycling after this long usually means no hyperplane separates the classes.`;
      return {
        severity: proven ? 'problem' : 'warning',
        title,
        explanation,
        advice: [
          'Add a hidden layer: two sigmoid neurons between the inputs and a sigmoid output, trained with gradient descent (backpropagation), learn XOR — the 2-2-1 network.',
          "Or build the lecture's two-layer perceptron network by hand: y1 = OR, y2 = AND, output φ(y1 − y2 − ½); a network of perceptrons has no learning rule, so set its weights yourself.",
          ...(proven
            ? []
            : [
                'If the data should be separable, give the rule more epochs: the number of updates it needs grows as the margin between the classes shrinks.',
              ]),
        ],
        evidence: {
          epochs,
          misclassified: run.misclassified,
          samples: size,
          separability: proven ? 'none' : 'not checked',
          units: list((proven ? notSeparable : unknown).map((c) => c.unit)),
        },
      };
    }) satisfies Detector,
  },
  saturation: {
    label: 'saturated units',
    /**
     * Hidden sigmoid or tanh units whose φ'(s) is below `saturatedDerivative` (1%) of its largest
     * value on at least `saturatedSamples` (90%) of the training samples, while the run is
     * unfinished. Output units do not count: saturated on the right side they are simply sure; on
     * the wrong side under squared error that is `slowPairing`; with cross-entropy φ' cancels and
     * δ_k = t_k − z_k does not vanish. Diagnosed when at least `saturatedUnits` (half) of the
     * hidden units, or all of one layer's, are saturated.
     */
    detect: ((run) => {
      if (run.hyper.algorithm !== 'gradientDescent' || !unfinished(run)) return null;
      const counted = run.units.filter((u) => (u.activation === 'sigmoid' || u.activation === 'tanh') && !u.output);
      if (counted.length === 0) return null;
      const saturated = counted.filter((u) => u.saturatedShare >= T.saturatedSamples);
      if (saturated.length === 0) return null;
      const wholeLayer = run.model.computing.some(
        (node: CompiledNode) => node.units > 1 && saturated.filter((u) => u.nodeId === node.id).length === node.units,
      );
      if (saturated.length < T.saturatedUnits * counted.length && !wholeLayer) return null;
      const { hyper } = run;
      const worst = saturated.reduce((a, b) => (b.meanAbsS > a.meanAbsS ? b : a));
      const leastShare = saturated.reduce((least, u) => Math.min(least, u.saturatedShare), 1);
      const advice = [
        `Lower the learning rate η (now ${hyper.learningRate}), say to ${smallerRate(hyper.learningRate)}, and press Reset: large steps push s far from 0 in one update.`,
      ];
      if (run.maxAbsInput > 3)
        advice.push(
          `Normalise the inputs (Data → normalisation: standardise): features as large as ${fmt(run.maxAbsInput)} make s = Σ w_ji x_ji large even with small weights.`,
        );
      advice.push(
        `Start from smaller weights: a smaller initialisation range${hyper.init.method === 'uniform' ? ` (now ±${hyper.init.range ?? 0.5})` : ''} or Xavier initialisation keeps s near 0, where φ' is largest, then press Reset.`,
      );
      return {
        severity: 'problem',
        title: `${plural(saturated.length, 'hidden unit')} of ${counted.length} ${saturated.length === 1 ? 'is' : 'are'} saturated: φ'(s) ≈ 0 on most samples`,
        explanation:
          `${list(saturated.map((u) => u.name))} ${saturated.length === 1 ? 'has' : 'have'} |s_j| so large on ${leastShare >= 1 ? 'every one' : `${pct(leastShare)} or more`} of the training samples ` +
          `(${worst.name}: mean |s| = ${fmt(worst.meanAbsS)}) that z_j is pinned at its limit and φ'(s_j) ≈ 0. ` +
          `Backpropagation multiplies by φ'(s_j): δ_j = φ'(s_j) Σ_k w_kj δ_k, and Δw_ji = η δ_j x_ji, so these units' weights — and everything behind them — hardly move.`,
        advice,
        evidence: {
          saturatedUnits: saturated.length,
          countedUnits: counted.length,
          worstUnit: worst.name,
          worstMeanAbsS: worst.meanAbsS,
          learningRate: hyper.learningRate,
        },
      };
    }) satisfies Detector,
  },
  deadRelu: {
    label: 'dead ReLUs',
    /**
     * ReLU units with s ≤ 0 on every training sample: z = 0 and φ'(s) = 0 on all of them, so no
     * gradient ever reaches their weights again. Any such unit is diagnosed (it is dead for good);
     * a problem when every ReLU of a node is dead or the run is unfinished, else a warning.
     */
    detect: ((run) => {
      const relus = run.units.filter((u) => u.activation === 'relu');
      const dead = relus.filter((u) => u.nonPositiveShare >= 1);
      if (dead.length === 0 || run.train.size === 0) return null;
      const wholeNode = run.model.computing.some(
        (node) => node.activation === 'relu' && dead.filter((u) => u.nodeId === node.id).length === node.units,
      );
      const { hyper } = run;
      return {
        severity: wholeNode || unfinished(run) ? 'problem' : 'warning',
        title: `${plural(dead.length, 'ReLU unit')} of ${relus.length} ${dead.length === 1 ? 'is' : 'are'} dead: s ≤ 0 on every training sample`,
        explanation:
          `${list(dead.map((u) => u.name))} ${dead.length === 1 ? 'has' : 'have'} s_j ≤ 0 on all ${run.train.size} training samples, so z_j = 0 and φ'(s_j) = 0 on every one: ` +
          `δ_j = φ'(s_j) Σ_k w_kj δ_k = 0, and Δw_ji = η δ_j x_ji = 0 for every weight into ${dead.length === 1 ? 'it' : 'them'}. A dead ReLU never comes back by itself.`,
        advice: [
          `Lower the learning rate η (now ${hyper.learningRate}) and press Reset: one large step can push a unit's bias so negative that s_j stays below 0.`,
          "Use leaky ReLU: its φ'(s) = 0.01 for s ≤ 0, so a unit that went below 0 still gets a gradient.",
          `Start from other weights: another initialisation seed (now ${hyper.init.seed}) or He initialisation, then Reset.`,
        ],
        evidence: { deadUnits: dead.length, reluUnits: relus.length, units: list(dead.map((u) => u.name)) },
      };
    }) satisfies Detector,
  },
  slowPairing: {
    label: 'slow output/loss pairing',
    /** Saturated hidden units slow everything behind the output too: fix them first. */
    explainedBy: ['saturation'],
    /**
     * Squared error on a sigmoid or tanh output of a classifier, short of 100% training accuracy,
     * where at least `slowShare` (a quarter) of the misclassified samples have the output
     * saturated on the wrong side (φ'(s_k) below `slowDerivative`, a tenth, of its largest value).
     */
    detect: ((run) => {
      const { hyper } = run;
      if (hyper.algorithm !== 'gradientDescent' || hyper.loss !== 'squaredError' || run.accuracy === null || run.accuracy >= 1) return null;
      if (!run.model.outputs.some((node) => node.activation === 'sigmoid' || node.activation === 'tanh')) return null;
      if (run.misclassified === 0 || run.misclassifiedSaturated < Math.max(1, T.slowShare * run.misclassified) || !run.worstWrong)
        return null;
      const w = run.worstWrong;
      const tanh = run.model.outputs.some((node) => node.activation === 'tanh');
      return {
        severity: 'warning',
        title: `Squared error on a ${tanh ? 'tanh' : 'sigmoid'} output learns slowly here: ${run.misclassifiedSaturated} of ${run.misclassified} wrong answers are confidently wrong`,
        explanation:
          `With squared error the output's δ_k = (t_k − z_k) φ'(s_k). On ${plural(run.misclassifiedSaturated, 'misclassified sample')} the output is pinned at the wrong end — ` +
          `${w.unit} gives z = ${fmt(w.z)} where t = ${fmt(w.t)}, so φ'(s_k) = ${fmt(w.derivative)} — and δ_k is tiny exactly where the error is largest: ` +
          `the φ' factor slows learning near 0 and 1. ${LOSSES.crossEntropy.label[0].toUpperCase()}${LOSSES.crossEntropy.label.slice(1)} cancels it: with a sigmoid output δ_k = t_k − z_k.`,
        advice: [
          tanh
            ? "Use a sigmoid output with 0/1 targets and cross-entropy as the loss: φ' cancels and δ_k = t_k − z_k."
            : "Use cross-entropy as the loss (Hyperparameters → loss): φ' cancels and δ_k = t_k − z_k, so a confidently wrong output gets the largest correction, not the smallest.",
          'Then press Reset and train again.',
        ],
        evidence: {
          misclassified: run.misclassified,
          saturatedWrong: run.misclassifiedSaturated,
          z: w.z,
          t: w.t,
          derivative: w.derivative,
        },
      };
    }) satisfies Detector,
  },
  plateau: {
    label: 'plateau',
    /** A flat loss is the symptom of these; their advice, not the plateau's, is the one to follow. */
    explainedBy: ['divergence', 'saturation', 'deadRelu', 'slowPairing'],
    /**
     * A classifier trained by gradient descent, short of 100% training accuracy, whose loss has
     * stayed within `plateauSpread` (1%) for its last `plateauMinEpochs` (100) epochs and at least
     * `plateauShare` (a fifth) of the epochs run.
     */
    detect: ((run) => {
      if (run.hyper.algorithm !== 'gradientDescent' || run.accuracy === null || run.accuracy >= 1) return null;
      if (run.stop?.reason === 'diverged') return null;
      const tail = flatTail(run.history);
      const epochs = epochsRun(run);
      if (!tail || tail.epochs < T.plateauMinEpochs || tail.epochs < T.plateauShare * epochs) return null;
      const { hyper } = run;
      const hidden = run.units.filter((u) => !u.output).length;
      const advice: string[] = [];
      if (hyper.optimiser === 'sgd' && hyper.momentum < 0.5)
        advice.push(
          `Add momentum: α ≈ 0.9 (now ${hyper.momentum}). With Δw(r) = −η ∇J + α Δw(r−1) small steps in a steady direction add up, so training rolls across flat regions that plain gradient descent crawls over.`,
        );
      advice.push(
        `Start from other weights: change the initialisation seed (now ${hyper.init.seed}) and press Reset. Where a run ends depends on where it starts; a flat stretch around the start is often the symmetric point where hidden units compute the same thing.`,
      );
      advice.push(
        hidden === 0
          ? 'Add hidden units: a network without a hidden layer draws a single line (a hyperplane), and no line may fit these data.'
          : `Add hidden units (now ${hidden}): more units give gradient descent more ways down.`,
      );
      if (hyper.mode === 'stochastic')
        advice.push('Or train in batch mode: the mean gradient of all samples points the same way each step, so η can be larger.');
      return {
        severity: 'warning',
        title: `The loss stayed within ${pct(tail.within)} of ${fmt(tail.level, 4)} for the last ${tail.epochs} epochs`,
        explanation:
          `Training has stalled at ${pct(run.accuracy)} training accuracy: the loss J has hardly changed for ${tail.epochs} of the ${epochs} epochs. ` +
          `The gradient ∇J is close to zero here, so Δw = −η ∇J is tiny: gradient descent may converge to a local minimum (the lecture warns of this) or crawl across a flat region` +
          (run.outputSpreadFromHalf !== null && run.outputSpreadFromHalf < 0.05
            ? `. Here the output is within ${fmt(run.outputSpreadFromHalf, 2)} of ½ on every sample: the network answers ½ whatever the input` +
              (hyper.loss === 'squaredError' ? ', and for 0/1 targets J = ½(t − z)² = ½(½)² = 0.125.' : '.')
            : '.'),
        advice,
        evidence: { flatEpochs: tail.epochs, level: tail.level, within: tail.within, accuracy: run.accuracy, epochs },
      };
    }) satisfies Detector,
  },
} as const;

/** The kinds of diagnosis, in the order they are shown. */
export type DiagnosisKind = keyof typeof DIAGNOSES;

/** Every kind of diagnosis, in the registry's order. */
export const DIAGNOSIS_KINDS = Object.keys(DIAGNOSES) as DiagnosisKind[];

/**
 * What the coach says about a run: every diagnosis whose detector fires, in the registry's order;
 * none for a healthy run, a network that does not compile on the data, or no data.
 */
export function diagnoseRun(input: CoachInput): Diagnosis[] {
  const run = measure(input);
  if (!run || run.train.size === 0) return [];
  const found: Diagnosis[] = [];
  for (const kind of DIAGNOSIS_KINDS) {
    const result = (DIAGNOSES[kind] as DiagnosisSpec).detect(run);
    if (result) found.push({ kind, ...result });
  }
  const kinds = new Set(found.map((d) => d.kind as string));
  return found.filter((d) => !(DIAGNOSES[d.kind] as DiagnosisSpec).explainedBy?.some((other) => kinds.has(other)));
}

/** Each diagnosis's name as a sentence says it (for headings and lists). */
export const DIAGNOSIS_LABELS: Readonly<Record<DiagnosisKind, string>> = Object.fromEntries(
  DIAGNOSIS_KINDS.map((kind) => [kind, DIAGNOSES[kind].label]),
) as Record<DiagnosisKind, string>;

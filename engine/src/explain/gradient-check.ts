/**
 * The gradient check: every ∂J/∂w the inspector shows, compared with a central finite difference.
 *
 * The analytic side is exactly what the inspector displays, the step trace's `update.gradient`;
 * the numeric side never touches the trace. It nudges one parameter at a time in a copy of the
 * parameter vector and re-evaluates the batch's mean data loss with the fast kernels' `forward`
 * and `sampleLoss`, so a mistake in the trace's backward pass cannot hide behind the same mistake
 * in the check.
 *
 * Why a fourth-order difference by default: the plain central difference (J(w+h) − J(w−h)) / 2h
 * has truncation error ≈ h²|J‴|/6 and round-off error ≈ ε_mach|J|/h (ε_mach ≈ 2.2e-16: J is
 * evaluated in floating point and the two values nearly cancel). At its best step, h ≈ 1e-6, the
 * round-off alone is ≈ 2e-10·|J|, so a correct gradient of 1e-4 already shows a relative error of
 * a few 1e-6 (measured: the spiral example after five epochs shows 3e-6). The fourth-order
 * formula [8(J(w+h) − J(w−h)) − (J(w+2h) − J(w−2h))] / 12h has truncation ≈ h⁴|J⁽⁵⁾|/30, so it
 * can take a step hundreds of times larger (ε = 3e-4 instead of 1e-6), which divides the
 * round-off as much: errors of about 1e-12·|J|. `order: 2` gives the plain formula the lecture's students know, with ε = 1e-6.
 */
import { ACTIVATIONS, isDifferentiable } from '../model/activations';
import type { CompiledModel } from '../compile/compile';
import type { BoundData } from '../datasets/data';
import { createWorkspace, forward, sampleLoss, type Workspace } from '../fast/kernels';
import { LOSSES, lossAccepts, lossRequirement, type LossName } from '../model/losses';
import { traceStep } from './trace';
import { DEFAULT_HYPERPARAMETERS } from '../train/train';
import { freshOptimiserState } from '../train/optimisers';

/** One parameter's analytic gradient next to its finite-difference estimate. */
export interface GradientCheckRow {
  /** Index in the parameter vector. */
  param: number;
  /** The trace's name for the parameter (the trace's `ParameterUpdate.name`, e.g. `w(h←x1)`, `b(h)`). */
  name: string;
  kind: 'weight' | 'bias';
  /** The node of the unit j the parameter feeds. */
  nodeId: string;
  /** For weights, the edge that carries w_ji; null for biases. */
  edgeId: string | null;
  /** ∂J/∂w from backprop: the step trace's value, as the inspector shows it. */
  analytic: number;
  /** The finite-difference estimate of ∂J/∂w (see {@link GradientCheckOptions.order}). */
  numeric: number;
  /** |analytic − numeric|. */
  absoluteError: number;
  /**
   * How far the numeric estimate can be off from floating-point round-off alone: a few units in
   * the last place of J, divided by the step (≈ 4 ε_mach max|J| Σ|c_i| / (denominator), with c_i
   * the difference formula's coefficients). A disagreement smaller than this is not measurable.
   */
  resolution: number;
  /** See {@link gradientRelativeError}; 0 when `absoluteError` is within `resolution`. */
  relativeError: number;
  /**
   * True when a nudge of this parameter moved some ReLU (or other kinked) unit's s across its kink for some
   * sample of the batch. The numeric estimate then mixes the two slopes while backprop uses one,
   * so a large relative error here is not a backprop error.
   */
  kink: boolean;
}

/** The outcome of {@link gradientCheck}. */
export interface GradientCheckResult {
  /** One row per parameter, in the trace's update order (nodes topologically, weights then biases). */
  rows: GradientCheckRow[];
  /**
   * The largest relative error over the rows without a {@link GradientCheckRow.kink} (0 when there
   * are none); NaN when any such row's check could not be made (a loss that is not finite).
   */
  maxRelativeError: number;
}

/** Options of {@link gradientCheck}. */
export interface GradientCheckOptions {
  /**
   * The relative step ε: parameter w is moved by h = ε·max(1, |w|), so that a large weight's nudge
   * does not drown in the weight's own rounding. Default: {@link DEFAULT_GRADIENT_CHECK_EPSILON}
   * for the order used.
   */
  epsilon?: number;
  /**
   * 2: the central difference (J(w+h) − J(w−h)) / 2h. 4 (the default): the fourth-order central
   * difference [8(J(w+h) − J(w−h)) − (J(w+2h) − J(w−2h))] / 12h, about a hundred times more
   * accurate (see the module's comment).
   */
  order?: 2 | 4;
}

/**
 * The default ε for each order: near the step where truncation and round-off errors balance
 * (∛ε_mach ≈ 6e-6 for order 2; for order 4 the balance lies near 1e-3, and 3e-4 keeps the nudge
 * small enough that a ReLU unit with |s| above about 1e-3 is not pushed across its kink).
 */
export const DEFAULT_GRADIENT_CHECK_EPSILON: Readonly<Record<2 | 4, number>> = Object.freeze({ 2: 1e-6, 4: 3e-4 });

/**
 * Gradients smaller than this count as zero when both the analytic and the numeric value are:
 * their relative error is reported as 0. A ratio of two such numbers says nothing about backprop
 * (the finite difference's round-off is of this order for losses of a few units), and a parameter
 * that does not influence the loss at all (into a dead ReLU, or a unit no output depends on) has
 * both exactly 0, where the ratio would be 0/0.
 */
export const GRADIENT_CHECK_ZERO = 1e-9;

/** Units in the last place of J that each evaluation of J may be off by (sums of rounded terms). */
const ROUND_OFF_ULPS = 4;

/**
 * Relative error of an analytic gradient against a numeric one: |a − n| / max(|a|, |n|).
 * It is 0 when both are below {@link GRADIENT_CHECK_ZERO}, or when |a − n| is within `resolution`
 * (the numeric estimate's own round-off, see {@link GradientCheckRow.resolution}): a correct
 * gradient of 1e-8 would otherwise show a "relative error" of 1e-4 that is pure floating-point
 * noise, and a user would take it for a backprop bug. NaN when either is not finite, so a check
 * that could not be made never looks like a pass.
 */
export function gradientRelativeError(analytic: number, numeric: number, resolution = 0): number {
  if (!Number.isFinite(analytic) || !Number.isFinite(numeric)) return NaN;
  const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
  const difference = Math.abs(analytic - numeric);
  if (scale < GRADIENT_CHECK_ZERO || difference <= resolution) return 0;
  return difference / Math.max(scale, 1e-12);
}

/**
 * The mean data loss J = (1/N) Σ_n J_n over the samples at `indices`, computed with the fast
 * kernels (regularisation excluded, as in the trace's ∂J/∂w).
 * @param ws Scratch buffers to reuse across calls.
 */
export function meanBatchLoss(
  model: CompiledModel,
  params: ArrayLike<number>,
  data: BoundData,
  indices: readonly number[],
  loss: LossName,
  ws: Workspace = createWorkspace(model),
): number {
  return evaluateBatch(model, params, data, indices, loss, ws, null);
}

/**
 * {@link meanBatchLoss}, also noting whether any kinked unit's s (ReLU, leaky ReLU) lies on another
 * side of a kink than in `kinks.reference` (sample-major: per sample and kinked slot, how many of
 * its kinks s lies above). With `kinks.record` set it fills the reference instead.
 */
function evaluateBatch(
  model: CompiledModel,
  params: ArrayLike<number>,
  data: BoundData,
  indices: readonly number[],
  loss: LossName,
  ws: Workspace,
  kinks: {
    slots: readonly number[];
    kinkAt: readonly (readonly number[])[];
    reference: Uint8Array;
    record: boolean;
    crossed: boolean;
  } | null,
): number {
  const nf = model.features.length;
  const nt = model.targets.length;
  let total = 0;
  indices.forEach((n, position) => {
    forward(model, params, data.x, n * nf, ws);
    total += sampleLoss(model, loss, ws, data.t, n * nt);
    if (!kinks) return;
    const offset = position * kinks.slots.length;
    kinks.slots.forEach((slot, r) => {
      // Which of the kinks s lies above, by the same test (s > kink) as the activations' derivatives.
      let side = 0;
      for (const kink of kinks.kinkAt[r]) if (ws.s[slot] > kink) side++;
      if (kinks.record) kinks.reference[offset + r] = side;
      else if (kinks.reference[offset + r] !== side) kinks.crossed = true;
    });
  });
  return total / indices.length;
}

/**
 * Compares every analytic ∂J/∂w of one training step with a central finite difference.
 *
 * J is the mean over the samples at `indices` of the per-sample data loss (as the trace defines it,
 * without L1/L2), so the check covers exactly the gradient the inspector's update table shows.
 * Locked parameters are checked too: their gradient is shown even though they do not move.
 *
 * Central differences assume J is smooth around w. A ReLU unit whose s_j lies within about h·|x|
 * of its kink (s = 0) is crossed by the nudge, and its numeric gradient then averages the two
 * slopes while backprop takes one (the subgradient 0 at the kink itself). Such rows are marked
 * `kink` and left out of `maxRelativeError`: they may differ without backprop being wrong.
 *
 * @param params The parameters at which to check (not modified).
 * @param indices Training samples of the step (one for stochastic, several for a mini-batch).
 * @throws RangeError when `indices` is empty or names a sample the data does not have, when the
 *   parameter vector has the wrong length, or when ε is not a positive finite number.
 * @throws Error when the model has step or sign units (no gradient to check), or when the loss may
 *   not be paired with an output's activation (cross-entropy on an output that is not sigmoid or softmax).
 */
export function gradientCheck(
  model: CompiledModel,
  params: ArrayLike<number>,
  data: BoundData,
  indices: readonly number[],
  loss: LossName,
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const order = options.order ?? 4;
  if (order !== 2 && order !== 4) throw new RangeError(`The gradient check's order must be 2 or 4, got ${String(order)}.`);
  const epsilon = options.epsilon ?? DEFAULT_GRADIENT_CHECK_EPSILON[order];
  if (!(epsilon > 0) || !Number.isFinite(epsilon))
    throw new RangeError(`The gradient check's ε must be a positive number, got ${epsilon}.`);
  if (params.length !== model.paramCount) throw new RangeError(`Expected ${model.paramCount} parameters, got ${params.length}.`);
  const stepUnits = model.computing.filter((node) => !isDifferentiable(node.activation));
  if (stepUnits.length > 0) {
    const names = stepUnits.map((node) => `${node.id} (${node.activation})`).join(', ');
    throw new Error(
      `No gradient to check: ${names} ${stepUnits.length === 1 ? 'uses a step or sign function' : 'use step or sign functions'}, whose φ' is 0 almost everywhere. ` +
        'Backprop does not apply; such units learn by the perceptron rule.',
    );
  }
  // The compiler refuses such a pairing for training; checked here too because a model compiled only
  // to evaluate could reach the inspector, and the loss of such an output is not defined (NaN).
  const bad = model.outputs.find((node) => !lossAccepts(loss, node.activation));
  if (bad) {
    const label = LOSSES[loss].label;
    throw new Error(
      `${label.charAt(0).toUpperCase()}${label.slice(1)} needs ${lossRequirement(loss)}, but output ${bad.id} uses ${bad.activation}: there is no gradient of that loss to check.`,
    );
  }

  // The analytic side, exactly as the inspector gets it. traceStep validates the indices (RangeError).
  const trace = traceStep(model, params, freshOptimiserState('sgd', model.paramCount), data, indices, {
    ...DEFAULT_HYPERPARAMETERS,
    algorithm: 'gradientDescent',
    loss,
    learningRate: 1,
    optimiser: 'sgd',
    momentum: 0,
    l1: 0,
    l2: 0,
  });

  // The numeric side, independent of the trace.
  const nudged = Float64Array.from(params);
  const ws = createWorkspace(model);
  // Every unit whose activation's φ' jumps somewhere (the registry's kinks: ReLU's and leaky ReLU's 0).
  const kinkSlots: number[] = [];
  const kinkAt: (readonly number[])[] = [];
  for (const node of model.computing) {
    const at = ACTIVATIONS[node.activation].kinks;
    if (at.length === 0) continue;
    for (let u = 0; u < node.units; u++) {
      kinkSlots.push(node.start + u);
      kinkAt.push(at);
    }
  }
  const kinks =
    kinkSlots.length > 0
      ? { slots: kinkSlots, kinkAt, reference: new Uint8Array(indices.length * kinkSlots.length), record: true, crossed: false }
      : null;
  evaluateBatch(model, nudged, data, indices, loss, ws, kinks);
  if (kinks) kinks.record = false;

  let largestJ = 0; // max |J| over this parameter's evaluations, for its round-off bound
  const at = (param: number, value: number): number => {
    nudged[param] = value;
    const j = evaluateBatch(model, nudged, data, indices, loss, ws, kinks);
    largestJ = Math.max(largestJ, Math.abs(j));
    return j;
  };
  const rows: GradientCheckRow[] = trace.updates.map((update) => {
    const w = params[update.param];
    const h = epsilon * Math.max(1, Math.abs(w));
    if (kinks) kinks.crossed = false;
    largestJ = 0;
    // Divide by the steps actually taken: (w + h) − (w − h) is not exactly 2h in floating point.
    const near = (at(update.param, w + h) - at(update.param, w - h)) / (w + h - (w - h));
    let numeric = near;
    // Σ|c_i| / denominator: 2 / 2h for order 2, (8 + 8 + 1 + 1) / 12h for order 4.
    let gain = 1 / h;
    if (order === 4) {
      const far = (at(update.param, w + 2 * h) - at(update.param, w - 2 * h)) / (w + 2 * h - (w - 2 * h));
      // Richardson: D(h) = J' + c h² + O(h⁴) and D(2h) = J' + 4c h² + O(h⁴), so (4D(h) − D(2h)) / 3
      // cancels the h² term; it is the five-point formula [8(J₊₁ − J₋₁) − (J₊₂ − J₋₂)] / 12h.
      numeric = (4 * near - far) / 3;
      gain = 1.5 / h;
    }
    const resolution = ROUND_OFF_ULPS * Number.EPSILON * largestJ * gain;
    nudged[update.param] = w;
    const analytic = update.gradient;
    return {
      param: update.param,
      name: update.name,
      kind: update.kind,
      nodeId: update.nodeId,
      edgeId: update.edgeId,
      analytic,
      numeric,
      absoluteError: Math.abs(analytic - numeric),
      resolution,
      relativeError: gradientRelativeError(analytic, numeric, resolution),
      kink: kinks?.crossed ?? false,
    };
  });

  // A NaN (a loss that is not finite) must surface as the maximum: comparisons would skip it.
  let maxRelativeError = 0;
  for (const row of rows) {
    if (row.kink) continue;
    if (Number.isNaN(row.relativeError)) return { rows, maxRelativeError: NaN };
    maxRelativeError = Math.max(maxRelativeError, row.relativeError);
  }
  return { rows, maxRelativeError };
}

/**
 * The loss registry: one `as const` table holding everything the engine, the exporters, the UI
 * and the tests know about each loss J. Types, the project schema's enum, the hyperparameter check,
 * the compiler's pairing checks, the kernels, the trace, the exports and the UI's list are derived
 * from it, so that a loss is added in one place (see CONTRIBUTING.md, "Add a loss").
 *
 * A loss has one or more forms, each for a kind of output activation: cross-entropy is categorical
 * on a softmax layer and binary on sigmoid units. A form is computed per output node, from s where
 * that keeps it finite: ln z is −∞ in floating point once a sigmoid or softmax saturates (z rounds
 * to exactly 0 or 1). Over a batch the loss is the mean of the per-sample losses
 * (backprop-notes.md, "Losses").
 *
 * Where a form `cancels`, φ' cancels against J's own derivative and the output gradient is
 * ∂J/∂s_k = z_k·m − t_k (m from {@link cancelledTargetSum}), which every kernel computes directly;
 * otherwise the form gives ∂J/∂z_k and the kernels apply φ' (or softmax's Jacobian) to it.
 */
import { ACTIVATIONS, ACTIVATION_NAMES, isElementwise, type Activation, type OutputClass } from './activations';

/** Which targets a form expects: any number, a probability in [0, 1], or a distribution over a layer (t ≥ 0, usually Σt = 1). */
export type LossTargets = 'real' | 'probability' | 'distribution';

/** Whether a form applies to activations taken unit by unit, to a whole layer (softmax), or to either. */
export type LossShape = 'elementwise' | 'layer' | 'any';

/** What every form of a loss carries. */
interface LossFormCommon {
  /** Its name, as a sentence says it ("binary cross-entropy"). */
  readonly label: string;
  /** The output classes (activations.ts's `output`) it may be paired with. */
  readonly outputs: readonly OutputClass[];
  /** Unit by unit, a layer, or either: with `outputs` this picks the activations it applies to. */
  readonly shape: LossShape;
  /** The targets it expects (the random networks of the property tests draw them so). */
  readonly targets: LossTargets;
  /** J for one sample as the inspector prints it (plain Unicode). */
  readonly formula: string;
  /** The right-hand side of J = … in LaTeX, for the trace export. */
  readonly latex: string;
  /**
   * J of one output node's units `[start, start + n)` for one sample, where `t[targetStart + k]` is
   * unit `start + k`'s target. With `terms` given, unit k's term is also written to `terms[k]`
   * (the trace's loss terms); J is their sum, from 0 in unit order.
   */
  forward(
    s: ArrayLike<number>,
    z: ArrayLike<number>,
    t: ArrayLike<number>,
    start: number,
    n: number,
    targetStart: number,
    terms?: number[],
  ): number;
  /** Code for the generated kernel. */
  readonly emit: {
    /**
     * Statements adding the node's J to `lossSum`, given the JavaScript names of each unit's s, z and
     * t (any name they declare is inside a block of their own).
     */
    forward(s: readonly string[], z: readonly string[], t: readonly string[]): string[];
  };
  /**
   * The PyTorch export's lines adding this form's J per sample to `total` (a tensor of shape
   * [batch]), in the names `s[i]` and `z[i]` (the node's s and z, [batch, units]) and `target`.
   */
  readonly pytorch: readonly string[];
  /** The Keras export's `def loss(t, z):` (per sample) for an output layer of `units` units. */
  keras(units: number): string;
}

/** A form where φ' cancels: ∂J/∂s_k = z_k·m − t_k (see {@link cancelledTargetSum}). */
export interface CancellingLossForm extends LossFormCommon {
  readonly cancels: true;
}

/** A form where φ' does not cancel: the kernels apply φ' to ∂J/∂z. It must depend on z alone. */
export interface PlainLossForm extends LossFormCommon {
  readonly cancels: false;
  /** ∂J/∂z_k for one output unit. */
  gradient(z: number, t: number): number;
  readonly emit: LossFormCommon['emit'] & {
    /** ∂J/∂z_k as a JavaScript expression in the names of z_k and t_k. */
    gradient(z: string, t: string): string;
  };
}

/** One form of a loss. */
export type LossForm = CancellingLossForm | PlainLossForm;

/** What every loss carries. */
export interface LossSpec {
  /** The name the UI shows, as a sentence says it ("cross-entropy"). */
  readonly label: string;
  /** One sentence for the UI's tooltip. */
  readonly description: string;
  /** J as the inspector prints it, all forms in one line. */
  readonly formula: string;
  /** The outputs it needs, for messages ("outputs that are probabilities"). */
  readonly needs: string;
  /** Its forms; an output activation is paired with the first form that applies to it. */
  readonly forms: readonly [LossForm, ...LossForm[]];
}

/** ln(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
const softplusCode = (v: string) => `(${v} > 0 ? ${v} + Math.log1p(Math.exp(-${v})) : Math.log1p(Math.exp(${v})))`;

/** Every loss by name. The names are stored in project files: never rename one. */
export const LOSSES = {
  squaredError: {
    label: 'squared error',
    description:
      'J = ½ Σ (t − z)², the squared difference of each output from its target: for any output, and the usual loss of a regression.',
    formula: 'J = ½ Σ_k (t_k − z_k)²',
    needs: 'outputs of any kind',
    forms: [
      {
        label: 'squared error',
        outputs: ['probability', 'binary', 'signed', 'regression'],
        shape: 'any',
        targets: 'real',
        formula: 'J = ½ Σ_k (t_k − z_k)²',
        latex: '\\tfrac{1}{2} \\sum_k (t_k - z_k)^2',
        cancels: false,
        forward: (_s, z, t, start, n, targetStart, terms) => {
          let total = 0;
          for (let k = 0; k < n; k++) {
            const e = t[targetStart + k] - z[start + k];
            const term = 0.5 * e * e;
            if (terms) terms[k] = term;
            total += term;
          }
          return total;
        },
        gradient: (z, t) => z - t,
        emit: {
          forward: (_s, z, t) => t.map((tk, k) => `{ const e = ${tk} - ${z[k]}; lossSum += 0.5 * e * e; }`),
          gradient: (z, t) => `${z} - ${t}`,
        },
        pytorch: ['# J = 1/2 sum_k (t_k - z_k)^2', 'total = total + 0.5 * ((target - z[i]) ** 2).sum(dim=1)'],
        keras: () => `def loss(t, z):
    # J = 1/2 sum_k (t_k - z_k)^2 per sample (Keras's MeanSquaredError would average over units, without the 1/2).
    return 0.5 * ops.sum(ops.square(t - z), axis=-1)`,
      },
    ],
  },
  crossEntropy: {
    label: 'cross-entropy',
    description:
      'J = −Σ t ln z for a softmax layer (categorical), −[t ln z + (1 − t) ln(1 − z)] for sigmoid outputs (binary): for outputs that are probabilities; φ′ cancels, so δ = t − z.',
    formula: 'J = −Σ_k [t_k ln z_k + (1 − t_k) ln(1 − z_k)] (sigmoid), −Σ_k t_k ln z_k (softmax)',
    needs: 'outputs that are probabilities',
    forms: [
      {
        label: 'categorical cross-entropy',
        outputs: ['probability'],
        shape: 'layer',
        targets: 'distribution',
        formula: 'J = −Σ_k t_k ln z_k',
        latex: '-\\sum_k t_k \\ln z_k',
        cancels: true,
        forward: (s, _z, t, start, n, targetStart, terms) => {
          // −ln z_k = ln Σ_m e^(s_m) − s_k = ln(1 + Σ_{m≠top} e^(s_m − s_top)) − (s_k − s_top), with
          // log1p: a well-classified sample's small loss keeps its relative precision (s_k − ln Σ
          // would cancel to a few ulps of s, which a finite-difference check of tiny gradients sees).
          let total = 0;
          let top = 0;
          for (let m = 1; m < n; m++) if (s[start + m] > s[start + top]) top = m;
          const max = s[start + top];
          let rest = 0;
          for (let m = 0; m < n; m++) if (m !== top) rest += Math.exp(s[start + m] - max);
          const logSumOverMax = Math.log1p(rest);
          for (let k = 0; k < n; k++) {
            const term = t[targetStart + k] * (logSumOverMax - (s[start + k] - max));
            if (terms) terms[k] = term;
            total += term;
          }
          return total;
        },
        emit: {
          // As forward: the first largest s, then −ln z_k = ln(1 + Σ_{m≠top} e^(s_m − max)) − (s_k − max).
          forward: (s, _z, t) => [
            `{ let mx = ${s[0]}; let top = 0; ${s
              .slice(1)
              .map((v, k) => `if (${v} > mx) { mx = ${v}; top = ${k + 1}; }`)
              .join(' ')}`,
            `let rest = 0; ${s.map((v, k) => `if (top !== ${k}) rest += Math.exp(${v} - mx);`).join(' ')}`,
            'const lr = Math.log1p(rest);',
            ...t.map((tk, k) => `lossSum += ${tk} * (lr - (${s[k]} - mx));`),
            '}',
          ],
        },
        pytorch: [
          '# Categorical cross-entropy, from s so that it stays finite when the softmax saturates.',
          'total = total - (target * F.log_softmax(s[i], dim=1)).sum(dim=1)',
        ],
        keras: () => `def loss(t, z):
    # Categorical cross-entropy: -sum_k t_k ln z_k.
    return keras.losses.categorical_crossentropy(t, z)`,
      },
      {
        label: 'binary cross-entropy',
        outputs: ['probability'],
        shape: 'elementwise',
        targets: 'probability',
        formula: 'J = −Σ_k [t_k ln z_k + (1 − t_k) ln(1 − z_k)]',
        latex: '-\\sum_k \\bigl[t_k \\ln z_k + (1 - t_k) \\ln(1 - z_k)\\bigr]',
        cancels: true,
        forward: (s, _z, t, start, n, targetStart, terms) => {
          // With z = σ(s): ln z = −softplus(−s), ln(1 − z) = −softplus(s).
          let total = 0;
          for (let k = 0; k < n; k++) {
            const sk = s[start + k];
            const tk = t[targetStart + k];
            const term = tk * softplus(-sk) + (1 - tk) * softplus(sk);
            if (terms) terms[k] = term;
            total += term;
          }
          return total;
        },
        emit: {
          forward: (s, _z, t) =>
            t.map((tk, k) => `lossSum += ${tk} * ${softplusCode(`(-${s[k]})`)} + (1 - ${tk}) * ${softplusCode(s[k])};`),
        },
        pytorch: [
          '# Binary cross-entropy of sigmoid units, likewise from s.',
          'total = total + F.binary_cross_entropy_with_logits(s[i], target, reduction="none").sum(dim=1)',
        ],
        keras: (units) => `def loss(t, z):
    # Binary cross-entropy summed over the output units (Keras's own averages over them).
    return ${units} * keras.losses.binary_crossentropy(t, z)`,
      },
    ],
  },
} as const satisfies Record<string, LossSpec>;

/** Every loss the engine knows. */
export type LossName = keyof typeof LOSSES;

/** Every loss's name, in the table's order (the order the UI lists them in). */
export const LOSS_NAMES = Object.keys(LOSSES) as [LossName, ...LossName[]];

/** Whether `name` is a loss the engine knows (for unchecked input). */
export function isLossName(name: string): name is LossName {
  return Object.prototype.hasOwnProperty.call(LOSSES, name);
}

/** Whether `form` applies to outputs of `activation`. */
function formApplies(form: LossForm, activation: Activation): boolean {
  const shapeFits = form.shape === 'any' || (form.shape === 'layer') !== isElementwise(activation);
  return shapeFits && form.outputs.includes(ACTIVATIONS[activation].output);
}

// Resolved once: the kernels ask per output node and sample, so the answer is two property reads.
const FORM_OF = Object.fromEntries(
  LOSS_NAMES.map((loss) => {
    const forms: readonly LossForm[] = LOSSES[loss].forms;
    return [loss, Object.fromEntries(ACTIVATION_NAMES.map((a) => [a, forms.find((form) => formApplies(form, a)) ?? null]))];
  }),
) as Record<LossName, Record<Activation, LossForm | null>>;

/** The form of `loss` for outputs of `activation`, or null where the two may not be paired. */
export function lossForm(loss: LossName, activation: Activation): LossForm | null {
  return FORM_OF[loss][activation];
}

/** Whether outputs of `activation` may be trained with `loss`. */
export function lossAccepts(loss: LossName, activation: Activation): boolean {
  return lossForm(loss, activation) !== null;
}

/** The activations `form` applies to, in the activation table's order. */
export function formActivations(form: LossForm): Activation[] {
  return ACTIVATION_NAMES.filter((a) => formApplies(form, a));
}

/** The output activations `loss` accepts, in the activation table's order. */
export function activationsForLoss(loss: LossName): Activation[] {
  return ACTIVATION_NAMES.filter((a) => lossAccepts(loss, a));
}

/** The losses outputs of `activation` may be trained with, in the table's order. */
export function lossesFor(activation: Activation): LossName[] {
  return LOSS_NAMES.filter((loss) => lossAccepts(loss, activation));
}

/** "a", "a or b", "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The loss names for a message: "squaredError or crossEntropy". */
export function listLossNames(): string {
  return orList(LOSS_NAMES);
}

/** What `loss` needs of the outputs, for messages: "outputs that are probabilities (sigmoid or a softmax layer)". */
export function lossRequirement(loss: LossName): string {
  const names = activationsForLoss(loss).map((a) => (isElementwise(a) ? ACTIVATIONS[a].label : `a ${ACTIVATIONS[a].label} layer`));
  return `${LOSSES[loss].needs} (${orList(names)})`;
}

/**
 * The loss contributed by one output node's units `[start, start+n)` for one sample.
 * `t[k]` is the target of unit `start+k`. NaN where the loss and the activation may not be paired
 * (the compiler refuses that for training; a model compiled only to evaluate gets no made-up number).
 * @param terms Receives each unit's term, when given.
 */
export function outputLoss(
  loss: LossName,
  activation: Activation,
  s: ArrayLike<number>,
  z: ArrayLike<number>,
  t: ArrayLike<number>,
  start: number,
  n: number,
  targetStart: number,
  terms?: number[],
): number {
  const form = lossForm(loss, activation);
  if (form) return form.forward(s, z, t, start, n, targetStart, terms);
  if (terms) for (let k = 0; k < n; k++) terms[k] = NaN;
  return NaN;
}

/**
 * Whether the loss and the output activation combine so that φ' cancels: sigmoid with
 * cross-entropy (∂J/∂s_k = z_k − t_k, δ_k = t_k − z_k, for any t_k), and softmax with
 * cross-entropy (∂J/∂s_k = z_k·Σt − t_k, δ_k = t_k − z_k·Σt; see {@link cancelledTargetSum}).
 */
export function cancelsDerivative(loss: LossName, activation: Activation): boolean {
  return lossForm(loss, activation)?.cancels === true;
}

/**
 * The factor of z_k in a cancelled output gradient ∂J/∂s_k = z_k·m − t_k: for a softmax layer
 * m = Σ_m t_m over its targets, for a sigmoid 1. Softmax cross-entropy is J = Σ_m t_m ln Σ_j e^(s_j)
 * − Σ_m t_m s_m, so ∂J/∂s_k = Σt·z_k − t_k: the textbook z_k − t_k holds only when the targets
 * sum to 1 (one-hot labels), not for soft targets such as (0.5, 0). Summed from 0 left to right,
 * as every kernel and the trace sum it, so that one-hot targets give exactly 1.
 * @param t The targets; the node's start at `targetStart`.
 * @param units The node's units.
 */
export function cancelledTargetSum(activation: Activation, t: ArrayLike<number>, targetStart: number, units: number): number {
  if (isElementwise(activation)) return 1;
  let sum = 0;
  for (let k = 0; k < units; k++) sum += t[targetStart + k];
  return sum;
}

/**
 * Whether a softmax layer's Σt is 1 as far as the trace's wording goes: soft labels such as
 * 0.7 + 0.2 + 0.1 add up to 0.9999999999999999 in floating point, and "δ_k = t_k − z_k·Σt, Σt = 1"
 * would say nothing that δ_k = t_k − z_k does not. The number is always computed with Σt itself.
 */
export function targetsSumToOne(sum: number): boolean {
  return Math.abs(sum - 1) <= 1e-12;
}

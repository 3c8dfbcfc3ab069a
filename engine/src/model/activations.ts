/**
 * The activation registry: one `as const` table holding everything the engine, the exporters, the
 * UI and the tests know about each activation φ. Types, schema enums, the compiler's checks, the
 * kernels, the exports and the UI's lists are all derived from it, so that an activation is added
 * in one place (see CONTRIBUTING.md, "Add an activation").
 *
 * The derivative takes both s and z = φ(s) because the lecture writes the sigmoid's and tanh's
 * derivatives in terms of the output (z(1 − z), 1 − z²); that is also the cheap way to compute them.
 */

import { assertNever } from '../util/never';

/** The node kinds an activation may be used on. */
export type ActivationNodeKind = 'perceptron' | 'neuron' | 'dense';

/**
 * What an output of this activation predicts: `probability` (in (0, 1), cross-entropy allowed,
 * decided at ½ or by arg-max for softmax), `binary` (0/1, decided at ½), `signed` (decided at 0),
 * `regression` (a number: no accuracy).
 */
export type OutputClass = 'probability' | 'binary' | 'signed' | 'regression';

/** The part of the ONNX graph builder an activation's export uses. */
export interface OnnxEmitter {
  /** Appends a node and returns its output's name. */
  node(op: string, inputs: string[], output: string, about: string, attributes?: Record<string, number>): string;
  /** The name of a scalar constant in the model's precision. */
  scalar(value: number): string;
  /** The ONNX data type code of the model's precision (for Cast). */
  readonly dataType: number;
  readonly precision: 'float32' | 'float64';
}

/** What every activation carries. */
interface ActivationCommon {
  /** The name the UI shows. */
  readonly label: string;
  /** Node kinds that may use it. */
  readonly kinds: readonly ActivationNodeKind[];
  /** The glyph drawn on the node: an SVG path in an 18 × 16 box. */
  readonly glyph: string;
  /** φ as the inspector prints it. */
  readonly formula: string;
  /** φ in LaTeX, for the inspector's typeset formulas. */
  readonly formulaLatex: string;
  /** φ' as the inspector prints it, in the lecture's terms. */
  readonly derivativeFormula: string;
  /** φ' in LaTeX, for the trace export. */
  readonly derivativeLatex: string;
  /** False for step and sign: φ' = 0 almost everywhere, so backprop cannot train through them. */
  readonly differentiable: boolean;
  readonly output: OutputClass;
  /** Values of s where φ' jumps: the gradient check flags a finite difference that straddles one. */
  readonly kinks: readonly number[];
  /** Appends z = φ(s) to an ONNX graph and returns the name of z. */
  onnx(b: OnnxEmitter, s: string, z: string, about: string): string;
  /** A Python callable of s (a torch tensor of shape [batch, units]) in the PyTorch export. */
  readonly pytorch: string;
  /** A Python value for keras.layers.Dense(activation=…) in the Keras export. */
  readonly keras: string;
}

/** An activation applied to each unit on its own. */
export interface ElementwiseSpec extends ActivationCommon {
  readonly elementwise: true;
  /** φ(s). */
  forward(s: number): number;
  /** φ'(s), given s and z = φ(s). */
  derivative(s: number, z: number): number;
  /** Code for the generated kernel: JavaScript expressions in the names of s, z and ∂J/∂z. */
  readonly emit: {
    forward(s: string): string;
    gradient(s: string, z: string, gz: string): string;
  };
}

/** Softmax: per layer, not per unit; its kernels are softmaxForward and softmaxBackward below. */
export interface LayerSpec extends ActivationCommon {
  readonly elementwise: false;
}

const sigmoidOf = (s: number): number => {
  // Split on the sign so that e^(−s) never overflows for very negative s.
  if (s >= 0) return 1 / (1 + Math.exp(-s));
  const e = Math.exp(s);
  return e / (1 + e);
};
const sigmoidCode = (s: string) => `(${s} >= 0 ? 1 / (1 + Math.exp(-${s})) : Math.exp(${s}) / (1 + Math.exp(${s})))`;

/** Leaky ReLU's slope for s ≤ 0, as PyTorch's LeakyReLU(0.01) and ONNX's LeakyRelu(alpha = 0.01). */
export const LEAKY_RELU_SLOPE = 0.01;

const simple =
  (op: string, attributes?: Record<string, number>) =>
  (b: OnnxEmitter, s: string, z: string, about: string): string =>
    b.node(op, [s], z, about, attributes);

/**
 * ONNX's `op` in float32; in float64 the same φ from elementary operators, because ONNX Runtime has
 * no double kernels for LeakyRelu, Elu and Softplus and their float attributes (alpha) are float32.
 */
const nativeIn32 =
  (op: string, attributes: Record<string, number> | undefined, compose: (b: OnnxEmitter, s: string, z: string, about: string) => string) =>
  (b: OnnxEmitter, s: string, z: string, about: string): string =>
    b.precision === 'float32' ? b.node(op, [s], z, about, attributes) : compose(b, s, z, about);

/** z = s where s > 0, else `negative` (the name of a tensor computed from s). */
const whereElse = (b: OnnxEmitter, s: string, negative: string, z: string, about: string): string => {
  b.node('Greater', [s, b.scalar(0)], `${s}.positive`, `${about}: s > 0`);
  return b.node('Where', [`${s}.positive`, s, negative], z, about);
};

/** Every activation by name. */
export const ACTIVATIONS = {
  step: {
    label: 'step',
    kinds: ['perceptron', 'dense'],
    glyph: 'M1 13 H9 V3 H17',
    elementwise: true,
    forward: (s) => (s > 0 ? 1 : 0),
    derivative: () => 0,
    emit: { forward: (s) => `(${s} > 0 ? 1 : 0)`, gradient: (_s, _z, gz) => `0 * ${gz}` }, // φ' = 0 almost everywhere
    formula: 'φ(s) = 1 if s > 0, else 0',
    formulaLatex: '\\varphi(s) = 1 \\text{ if } s > 0 \\text{, else } 0',
    derivativeFormula: "φ'(s) = 0 (no gradient)",
    derivativeLatex: "\\varphi'(s) = 0",
    differentiable: false,
    output: 'binary',
    kinks: [],
    onnx: (b, s, z, about) => {
      b.node('Greater', [s, b.scalar(0)], `${s}.positive`, `${about}: s > 0`);
      return b.node('Cast', [`${s}.positive`], z, `${about}: step, 1 if s > 0 else 0`, { to: b.dataType });
    },
    pytorch: '_step',
    keras: 'step',
  },
  sign: {
    label: 'sign',
    kinds: ['perceptron', 'dense'],
    glyph: 'M1 14 H9 V2 H17',
    elementwise: true,
    forward: (s) => (s > 0 ? 1 : -1),
    derivative: () => 0,
    emit: { forward: (s) => `(${s} > 0 ? 1 : -1)`, gradient: (_s, _z, gz) => `0 * ${gz}` },
    formula: 'φ(s) = +1 if s > 0, else −1',
    formulaLatex: '\\varphi(s) = +1 \\text{ if } s > 0 \\text{, else } -1',
    derivativeFormula: "φ'(s) = 0 (no gradient)",
    derivativeLatex: "\\varphi'(s) = 0",
    differentiable: false,
    output: 'signed',
    kinks: [],
    onnx: (b, s, z, about) => {
      b.node('Greater', [s, b.scalar(0)], `${s}.positive`, `${about}: s > 0`);
      return b.node('Where', [`${s}.positive`, b.scalar(1), b.scalar(-1)], z, `${about}: sign, +1 if s > 0 else −1`);
    },
    pytorch: '_sign',
    keras: 'sign',
  },
  sigmoid: {
    label: 'sigmoid',
    kinds: ['neuron', 'dense'],
    glyph: 'M1 13 C7 13 7 3 9 3 M9 3 C11 3 11 3 17 3',
    elementwise: true,
    forward: sigmoidOf,
    derivative: (_s, z) => z * (1 - z),
    emit: { forward: sigmoidCode, gradient: (_s, z, gz) => `${z} * (1 - ${z}) * ${gz}` },
    formula: 'φ(s) = 1 / (1 + e^−s)',
    formulaLatex: '\\varphi(s) = \\frac{1}{1 + e^{-s}}',
    derivativeFormula: "φ'(s) = z(1 − z)",
    derivativeLatex: "\\varphi'(s) = z(1 - z)",
    differentiable: true,
    output: 'probability',
    kinks: [],
    onnx: simple('Sigmoid'),
    pytorch: 'torch.sigmoid',
    keras: '"sigmoid"',
  },
  tanh: {
    label: 'tanh',
    kinds: ['neuron', 'dense'],
    glyph: 'M1 14 C6 14 7 2 9 2 C11 2 12 2 17 2',
    elementwise: true,
    forward: Math.tanh,
    derivative: (_s, z) => 1 - z * z,
    emit: { forward: (s) => `Math.tanh(${s})`, gradient: (_s, z, gz) => `(1 - ${z} * ${z}) * ${gz}` },
    formula: 'φ(s) = tanh(s)',
    formulaLatex: '\\varphi(s) = \\tanh(s)',
    derivativeFormula: "φ'(s) = 1 − z²",
    derivativeLatex: "\\varphi'(s) = 1 - z^2",
    differentiable: true,
    output: 'signed',
    kinks: [],
    onnx: simple('Tanh'),
    pytorch: 'torch.tanh',
    keras: '"tanh"',
  },
  relu: {
    label: 'ReLU',
    kinds: ['neuron', 'dense'],
    glyph: 'M1 12 H9 L17 2',
    elementwise: true,
    forward: (s) => (s > 0 ? s : 0),
    // The kink at 0 takes the subgradient 0, as PyTorch and TensorFlow do.
    derivative: (s) => (s > 0 ? 1 : 0),
    emit: { forward: (s) => `(${s} > 0 ? ${s} : 0)`, gradient: (s, _z, gz) => `(${s} > 0 ? ${gz} : 0)` },
    formula: 'φ(s) = max(0, s)',
    formulaLatex: '\\varphi(s) = \\max(0, s)',
    derivativeFormula: "φ'(s) = 1 if s > 0, else 0",
    derivativeLatex: "\\varphi'(s) = 1 \\text{ if } s > 0 \\text{, else } 0",
    differentiable: true,
    output: 'regression',
    kinks: [0],
    onnx: simple('Relu'),
    pytorch: 'torch.relu',
    keras: '"relu"',
  },
  leakyRelu: {
    label: 'leaky ReLU',
    kinds: ['neuron', 'dense'],
    glyph: 'M1 11 L9 10 L17 2',
    elementwise: true,
    forward: (s) => (s > 0 ? s : LEAKY_RELU_SLOPE * s),
    // At the kink s = 0 the slope for s ≤ 0, as PyTorch's LeakyReLU does.
    derivative: (s) => (s > 0 ? 1 : LEAKY_RELU_SLOPE),
    emit: {
      forward: (s) => `(${s} > 0 ? ${s} : ${LEAKY_RELU_SLOPE} * ${s})`,
      gradient: (s, _z, gz) => `(${s} > 0 ? ${gz} : ${LEAKY_RELU_SLOPE} * ${gz})`,
    },
    formula: `φ(s) = s if s > 0, else ${LEAKY_RELU_SLOPE}s`,
    formulaLatex: `\\varphi(s) = s \\text{ if } s > 0 \\text{, else } ${LEAKY_RELU_SLOPE}\\, s`,
    derivativeFormula: `φ'(s) = 1 if s > 0, else ${LEAKY_RELU_SLOPE}`,
    derivativeLatex: `\\varphi'(s) = 1 \\text{ if } s > 0 \\text{, else } ${LEAKY_RELU_SLOPE}`,
    differentiable: true,
    output: 'regression',
    kinks: [0],
    onnx: nativeIn32('LeakyRelu', { alpha: LEAKY_RELU_SLOPE }, (b, s, z, about) =>
      whereElse(b, s, b.node('Mul', [s, b.scalar(LEAKY_RELU_SLOPE)], `${s}.leak`, `${about}: ${LEAKY_RELU_SLOPE}s`), z, about),
    ),
    pytorch: `nn.LeakyReLU(negative_slope=${LEAKY_RELU_SLOPE})`,
    keras: `lambda s: keras.activations.leaky_relu(s, negative_slope=${LEAKY_RELU_SLOPE})`,
  },
  elu: {
    label: 'ELU',
    kinds: ['neuron', 'dense'],
    glyph: 'M1 13 C5 13 7 12 9 10 L17 2',
    elementwise: true,
    // α = 1: e^s − 1 for s ≤ 0, by expm1 so that it stays precise near 0. φ' is continuous at 0.
    forward: (s) => (s > 0 ? s : Math.expm1(s)),
    derivative: (s) => (s > 0 ? 1 : Math.exp(s)),
    emit: {
      forward: (s) => `(${s} > 0 ? ${s} : Math.expm1(${s}))`,
      gradient: (s, _z, gz) => `(${s} > 0 ? ${gz} : Math.exp(${s}) * ${gz})`,
    },
    formula: 'φ(s) = s if s > 0, else e^s − 1',
    formulaLatex: '\\varphi(s) = s \\text{ if } s > 0 \\text{, else } e^s - 1',
    derivativeFormula: "φ'(s) = 1 if s > 0, else e^s",
    derivativeLatex: "\\varphi'(s) = 1 \\text{ if } s > 0 \\text{, else } e^s",
    differentiable: true,
    output: 'regression',
    kinks: [],
    onnx: nativeIn32('Elu', { alpha: 1 }, (b, s, z, about) => {
      const e = b.node('Exp', [s], `${s}.exp`, `${about}: e^s`);
      return whereElse(b, s, b.node('Sub', [e, b.scalar(1)], `${s}.expm1`, `${about}: e^s − 1`), z, about);
    }),
    pytorch: 'nn.ELU(alpha=1.0)',
    keras: '"elu"',
  },
  softplus: {
    label: 'softplus',
    kinds: ['neuron', 'dense'],
    glyph: 'M1 13 C6 13 8 11 10 8 L17 2',
    elementwise: true,
    // max(s, 0) + ln(1 + e^(−|s|)): e^ never overflows, and log1p keeps the tail precise.
    forward: (s) => Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s))),
    // φ' is the sigmoid of s (from s: 1 − e^(−z) would lose precision for small z).
    derivative: (s) => sigmoidOf(s),
    emit: {
      forward: (s) => `(Math.max(${s}, 0) + Math.log1p(Math.exp(-Math.abs(${s}))))`,
      gradient: (s, _z, gz) => `${sigmoidCode(s)} * ${gz}`,
    },
    formula: 'φ(s) = ln(1 + e^s)',
    formulaLatex: '\\varphi(s) = \\ln(1 + e^s)',
    derivativeFormula: "φ'(s) = 1 / (1 + e^−s)",
    derivativeLatex: "\\varphi'(s) = 1 / (1 + e^{-s})",
    differentiable: true,
    output: 'regression',
    kinks: [],
    onnx: nativeIn32('Softplus', undefined, (b, s, z, about) => {
      // max(s, 0) + ln(1 + e^(−|s|)), as forward computes it (ONNX has no Log1p).
      const abs = b.node('Abs', [s], `${s}.abs`, `${about}: |s|`);
      const neg = b.node('Neg', [abs], `${s}.negabs`, `${about}: −|s|`);
      const exp = b.node('Exp', [neg], `${s}.expnegabs`, `${about}: e^(−|s|)`);
      const sum = b.node('Add', [exp, b.scalar(1)], `${s}.onepexp`, `${about}: 1 + e^(−|s|)`);
      const log = b.node('Log', [sum], `${s}.log`, `${about}: ln(1 + e^(−|s|))`);
      const relu = b.node('Relu', [s], `${s}.relu`, `${about}: max(s, 0)`);
      return b.node('Add', [relu, log], z, about);
    }),
    // PyTorch's Softplus returns s itself above its threshold (default 20, an error of e^−20 ≈ 2e-9);
    // at 40 the error e^−40 is below double rounding, and e^40 does not overflow.
    pytorch: 'nn.Softplus(threshold=40)',
    keras: '"softplus"',
  },
  linear: {
    label: 'linear',
    kinds: ['neuron', 'dense'],
    glyph: 'M1 14 L17 2',
    elementwise: true,
    forward: (s) => s,
    derivative: () => 1,
    emit: { forward: (s) => s, gradient: (_s, _z, gz) => gz },
    formula: 'φ(s) = s',
    formulaLatex: '\\varphi(s) = s',
    derivativeFormula: "φ'(s) = 1",
    derivativeLatex: "\\varphi'(s) = 1",
    differentiable: true,
    output: 'regression',
    kinks: [],
    onnx: simple('Identity'),
    pytorch: '(lambda s: s)',
    keras: '"linear"',
  },
  softmax: {
    label: 'softmax',
    kinds: ['dense'],
    glyph: 'M1 13 L5 9 L9 11 L13 4 L17 8',
    elementwise: false,
    formula: 'z_k = e^(s_k) / Σ_m e^(s_m)',
    formulaLatex: 'z_k = \\frac{e^{s_k}}{\\sum_m e^{s_m}}',
    derivativeFormula: '∂z_m/∂s_k = z_m(1[m=k] − z_k)',
    derivativeLatex: '\\partial z_m / \\partial s_k = z_m (1[m=k] - z_k)',
    differentiable: true,
    output: 'probability',
    kinks: [],
    onnx: simple('Softmax', { axis: 1 }),
    pytorch: '(lambda s: torch.softmax(s, dim=1))',
    keras: '"softmax"',
  },
} as const satisfies Record<string, ElementwiseSpec | LayerSpec>;

/** Every activation the engine knows. Softmax is only meaningful for a layer of two or more units. */
export type Activation = keyof typeof ACTIVATIONS;
/** The activations usable on a node of `Kind`. */
export type ActivationFor<Kind extends ActivationNodeKind> = {
  [A in Activation]: Kind extends (typeof ACTIVATIONS)[A]['kinds'][number] ? A : never;
}[Activation];
/** Activations a single perceptron may use: the lecture's step and sign (signal) functions. */
export type PerceptronActivation = ActivationFor<'perceptron'>;
/** Activations a single neuron may use. */
export type NeuronActivation = ActivationFor<'neuron'>;
/** Activations a dense layer may use (all of them). */
export type DenseActivation = ActivationFor<'dense'>;
/** The activations applied to each unit on its own. */
export type ElementwiseActivation = {
  [A in Activation]: (typeof ACTIVATIONS)[A]['elementwise'] extends true ? A : never;
}[Activation];

/** Every activation's name, in the table's order (the order the UI lists them in). */
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as Activation[];

/** The activations a node of `kind` may use, in the table's order. */
export function activationsFor<Kind extends ActivationNodeKind>(kind: Kind): [ActivationFor<Kind>, ...ActivationFor<Kind>[]] {
  const names = ACTIVATION_NAMES.filter((name) => (ACTIVATIONS[name].kinds as readonly ActivationNodeKind[]).includes(kind));
  return names as [ActivationFor<Kind>, ...ActivationFor<Kind>[]];
}

/** Whether `name` is an activation the engine knows (for unchecked input). */
export function isActivation(name: string): name is Activation {
  return Object.prototype.hasOwnProperty.call(ACTIVATIONS, name);
}

/** Whether `activation` may be used on a node of `kind`. */
export function allowedOn(kind: ActivationNodeKind, activation: string): boolean {
  return isActivation(activation) && (ACTIVATIONS[activation].kinds as readonly ActivationNodeKind[]).includes(kind);
}

/** The names of the activations of a kind, for messages: "sigmoid, tanh, ReLU or linear". */
export function listLabels(kind: ActivationNodeKind): string {
  const labels = activationsFor(kind).map((name) => ACTIVATIONS[name].label);
  return labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

/** The elementwise entries by name (softmax excluded). */
export const ELEMENTWISE = Object.fromEntries(
  ACTIVATION_NAMES.filter(isElementwise).map((name): [string, ElementwiseSpec] => [name, ACTIVATIONS[name]]),
) as {
  readonly [A in ElementwiseActivation]: ElementwiseSpec;
};

/** Whether `activation` applies to each unit on its own (false for softmax, which is per layer). */
export function isElementwise(activation: Activation): activation is ElementwiseActivation {
  return ACTIVATIONS[activation].elementwise;
}

/** The value an output of `activation` is decided at (null for a regression). */
export function decisionThreshold(activation: Activation): number | null {
  const output: OutputClass = ACTIVATIONS[activation].output;
  switch (output) {
    case 'probability':
    case 'binary':
      return 0.5;
    case 'signed':
      return 0;
    case 'regression':
      return null;
    default:
      return assertNever(output, 'output class');
  }
}

/** The activations whose outputs are of class `output`, in the table's order. */
export function activationsWithOutput(output: OutputClass): Activation[] {
  return ACTIVATION_NAMES.filter((name) => ACTIVATIONS[name].output === output);
}

/** Softmax as the inspector prints it. */
export const SOFTMAX_FORMULA = ACTIVATIONS.softmax.formula;
/** Softmax's derivative as the inspector prints it (a Jacobian, not one number per unit). */
export const SOFTMAX_DERIVATIVE_FORMULA = ACTIVATIONS.softmax.derivativeFormula;

/**
 * Softmax of `s[start .. start+n)` written to `z[start .. start+n)`.
 * Subtracting the maximum first keeps e^s finite for any input.
 */
export function softmaxForward(s: ArrayLike<number>, z: { [i: number]: number }, start: number, n: number): void {
  let max = -Infinity;
  for (let k = 0; k < n; k++) if (s[start + k] > max) max = s[start + k];
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(s[start + k] - max);
    z[start + k] = e;
    sum += e;
  }
  for (let k = 0; k < n; k++) z[start + k] /= sum;
}

/**
 * Softmax's derivative applied to an upstream gradient: given g_m = ∂J/∂z_m, writes
 * ∂J/∂s_k = Σ_m g_m ∂z_m/∂s_k = z_k (g_k − Σ_m g_m z_m) into `out`.
 */
export function softmaxBackward(z: ArrayLike<number>, g: ArrayLike<number>, out: { [i: number]: number }, start: number, n: number): void {
  let dot = 0;
  for (let m = 0; m < n; m++) dot += g[start + m] * z[start + m];
  for (let k = 0; k < n; k++) out[start + k] = z[start + k] * (g[start + k] - dot);
}

/** Whether backprop can pass through this activation. */
export function isDifferentiable(activation: Activation): boolean {
  return ACTIVATIONS[activation].differentiable;
}

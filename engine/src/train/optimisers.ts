/**
 * The optimiser registry: one `as const` table holding, for each way of turning a gradient into a
 * weight change, everything the engine, the trace, the exports and the UI know about it — its
 * settings, its memory per parameter, its formula, a fast step over the whole parameter vector and,
 * beside it, a readable step of one parameter that the trace shows and every fast path is held to.
 * Types, schema enums, the hyperparameter checks and the UI's lists are derived from it, so that an
 * optimiser is added in one place (see CONTRIBUTING.md, "Add an optimiser").
 *
 * Every optimiser sees the same gradient g = ∂J/∂w + λ₂ w + λ₁ sign w (the regularisation only on
 * weights, not biases or bias-node edges; biases have g = ∂J/∂w) and follows `torch.optim` exactly
 * (a test holds 20 steps of each to PyTorch's in float64). Locked parameters neither move nor
 * change their memory. The perceptron rule is not an optimiser: it has no gradient.
 */
import { assertNever } from '../util/never';
import type { VectorSteps } from '../fast/gradient-kernel';

/** A setting an optimiser may read, with how the hyperparameter panel and the checks treat it. */
export interface OptimiserSettingDefinition {
  /** The symbol the formulas use, and in LaTeX. */
  readonly symbol: string;
  readonly latex: string;
  /** The panel's label. */
  readonly label: string;
  /** The start of a sentence naming it in a message ("Momentum must be …"). */
  readonly noun: string;
  /** What it does, for the panel's tooltip, and the formula it stands in (LaTeX) that the tooltip typesets. */
  readonly tooltip: string;
  readonly tooltipLatex: string;
  readonly default: number;
  /** `fraction`: at least 0 and below 1; `positive`: above 0. */
  readonly range: 'fraction' | 'positive';
}

/** Every optimiser setting, by the hyperparameter that holds it. */
export const OPTIMISER_SETTINGS = {
  momentum: {
    symbol: 'α',
    latex: '\\alpha',
    label: 'Momentum α',
    noun: 'Momentum',
    tooltip: 'α in Δw(r) = −η g + α Δw(r−1): how much of the previous change carries into the next. 0 turns momentum off; 0.9 is usual.',
    tooltipLatex: '\\Delta w(r) = -\\eta\\, g + \\alpha\\, \\Delta w(r-1)',
    default: 0,
    range: 'fraction',
  },
  beta1: {
    symbol: 'β₁',
    latex: '\\beta_1',
    label: 'β₁ (mean)',
    noun: "Adam's β₁",
    tooltip: 'How slowly Adam’s running mean m of the gradient forgets: m ← β₁ m + (1 − β₁) g. Usually 0.9.',
    tooltipLatex: 'm \\leftarrow \\beta_1 m + (1 - \\beta_1)\\, g',
    default: 0.9,
    range: 'fraction',
  },
  beta2: {
    symbol: 'β₂',
    latex: '\\beta_2',
    label: 'β₂ (square)',
    noun: "Adam's β₂",
    tooltip: 'How slowly Adam’s running mean v of the squared gradient forgets: v ← β₂ v + (1 − β₂) g². Usually 0.999.',
    tooltipLatex: 'v \\leftarrow \\beta_2 v + (1 - \\beta_2)\\, g^2',
    default: 0.999,
    range: 'fraction',
  },
  rho: {
    symbol: 'ρ',
    latex: '\\rho',
    label: 'Decay ρ',
    noun: "RMSprop's decay ρ",
    tooltip:
      'How slowly RMSprop’s running mean v of the squared gradient forgets: v ← ρ v + (1 − ρ) g². Usually 0.9 (PyTorch’s default is 0.99).',
    tooltipLatex: 'v \\leftarrow \\rho\\, v + (1 - \\rho)\\, g^2',
    default: 0.9,
    range: 'fraction',
  },
  epsilon: {
    symbol: 'ε',
    latex: '\\varepsilon',
    label: 'ε',
    noun: 'ε',
    tooltip:
      'Added to the square root in the denominator so that a parameter whose gradients were all 0 is not divided by 0. Usually 1e-8.',
    tooltipLatex: '\\Delta w = -\\frac{\\eta\\, g}{\\sqrt{v} + \\varepsilon}',
    default: 1e-8,
    range: 'positive',
  },
} as const satisfies Record<string, OptimiserSettingDefinition>;

/** The name of an optimiser setting (each is a hyperparameter of the same name). */
export type OptimiserSettingName = keyof typeof OPTIMISER_SETTINGS;
/** The setting names, in the panel's order. */
export const OPTIMISER_SETTING_NAMES = Object.keys(OPTIMISER_SETTINGS) as OptimiserSettingName[];

/** Whether `value` is in the setting's range. */
export function settingInRange(name: OptimiserSettingName, value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const range = OPTIMISER_SETTINGS[name].range;
  switch (range) {
    case 'fraction':
      return value >= 0 && value < 1;
    case 'positive':
      return value > 0;
    default:
      return assertNever(range, 'setting range');
  }
}

/** The range in words, for messages and the schema ("must be …"). */
export function settingRangeText(name: OptimiserSettingName): string {
  const range = OPTIMISER_SETTINGS[name].range;
  switch (range) {
    case 'fraction':
      return 'at least 0 and below 1';
    case 'positive':
      return 'above 0';
    default:
      return assertNever(range, 'setting range');
  }
}

/** What a step reads besides the gradients: the learning rate, the regularisation and the settings. */
export type OptimiserHyperparameters = { learningRate: number; l1: number; l2: number } & Record<OptimiserSettingName, number>;

/**
 * An optimiser's memory: the steps taken with it (t) and its per-parameter slots, in the order its
 * definition lists them, each one number per parameter in the model's order.
 */
export interface OptimiserState {
  kind: OptimiserName;
  /** Updates applied so far with this memory. */
  step: number;
  slots: Float64Array[];
}

/** One parameter's part of a step, as the readable step takes it. */
export interface ParameterStepInput {
  /** ∂J/∂w of the data loss (the batch's mean). */
  dJdw: number;
  /** The parameter before the step. */
  w: number;
  /** Whether L1 and L2 apply to it (weights, not biases or bias-node edges). */
  regularised: boolean;
  /** The parameter's memory before the step, one number per slot. */
  memory: readonly number[];
  /** This step's number t, from 1. */
  t: number;
  hyper: OptimiserHyperparameters;
}

/** A named number of the step, shown per parameter (Adam's m, v, m̂, v̂). */
export interface StepQuantity {
  symbol: string;
  label: string;
  value: number;
}

/** One parameter's step, with Δw split into its parts (they add up to it, up to rounding). */
export interface ParameterStep {
  /** The gradient the optimiser used: ∂J/∂w plus the regularisation's gradient. */
  g: number;
  /** Δw. */
  change: number;
  /** The memory after the step, one number per slot. */
  memory: number[];
  /** Δw's part from this step's ∂J/∂w, from L1, from L2, and from the memory of earlier steps. */
  parts: { gradient: number; l1: number; l2: number; memory: number };
  /** The step's intermediate numbers, in the order the formula computes them. */
  quantities: StepQuantity[];
}

/** Everything the fast step is given: the parameters (updated in place) and this step's gradient. */
export interface FastStepInput {
  params: Float64Array;
  /** ∂J/∂w of the data loss, mean over the batch; may be overwritten. */
  grad: Float64Array;
  locked: Uint8Array;
  regularised: Uint8Array;
  /** Whether any parameter is locked (lets the common case skip the check). */
  anyLocked: boolean;
  hyper: OptimiserHyperparameters;
}

/** What every optimiser carries. */
interface OptimiserDefinition {
  /** The name the UI shows. */
  readonly label: string;
  /** One sentence for the tooltip. */
  readonly description: string;
  /** The settings it reads, in the panel's order. */
  readonly settings: readonly OptimiserSettingName[];
  /** Its memory per parameter: a key (the file's field), the formula's symbol and a label. */
  readonly slots: readonly { readonly key: string; readonly symbol: string; readonly label: string }[];
  /** The update as the trace and the inspector print it (g already holds L1 and L2), and in LaTeX with its parts' headings. */
  readonly formula: string;
  readonly latex: { readonly formula: string; readonly gradientPart: string; readonly memoryPart: string | null };
  /** How the parts of Δw are written: this step's gradient's part, the memory's (null: it has none), and the memory's part in words. */
  readonly partSymbols: { readonly gradient: string; readonly memory: string | null; readonly memoryName: string | null };
  /** A learning rate that usually works for it, for the hyperparameter advice. */
  readonly typicalLearningRate: number;
  /** The readable step of one parameter: the trace shows it, and every fast step is held to it. */
  explain(input: ParameterStepInput): ParameterStep;
  /** The fast step of every parameter; advances `state` by one step. Allocates nothing. */
  step(input: FastStepInput, state: OptimiserState): void;
  /**
   * Where the products' WebAssembly has this step (engine/wasm/optimiser-steps.ts, `step_<name>`,
   * written op for op after {@link step}): writes the numbers it takes after the arrays for step
   * `t` into `out`. Without it, the step above runs everywhere.
   */
  vector?(hyper: OptimiserHyperparameters, t: number, out: Float64Array): void;
  /**
   * The torch.optim constructor over `params` (Python source); `h` gives each setting's Python
   * expression (a literal, or a read of the script's hyperparameters).
   */
  torch(h: PythonValue, params: string): string;
  /** The keras.optimizers constructor (Python source), its settings from `h`. */
  keras(h: PythonValue): string;
  /** Where Keras's rule differs from the app's, or null. */
  readonly kerasDifference: string | null;
}

/** The Python expression of a hyperparameter's value, for the exports. */
export type PythonValue = (name: 'learningRate' | OptimiserSettingName) => string;

/** g = ∂J/∂w + λ₂ w + λ₁ sign w for a regularised parameter, else ∂J/∂w: as every step computes it. */
function regularisedGradient(dJdw: number, w: number, regularised: boolean, l1: number, l2: number): number {
  return regularised ? dJdw + l2 * w + l1 * Math.sign(w) : dJdw;
}

/** Δw's parts when Δw = factor · g + memory: this step's gradient, L1's and L2's shares. */
function linearParts(factor: number, input: ParameterStepInput, memory: number): ParameterStep['parts'] {
  const { dJdw, w, regularised, hyper } = input;
  return {
    gradient: factor * dJdw,
    l1: regularised ? factor * hyper.l1 * Math.sign(w) : 0,
    l2: regularised ? factor * hyper.l2 * w : 0,
    memory,
  };
}

/**
 * The optimisers. The first is the lecture's gradient descent with momentum; the others are the
 * adaptive methods students meet next. Their fast steps compute exactly what `explain` computes,
 * in the same order, so the trace and training agree to the last bit or two.
 */
export const OPTIMISERS = {
  sgd: {
    label: 'Gradient descent',
    description: 'The lecture’s rule: Δw = −η g, plus α times the previous Δw when momentum α is above 0.',
    settings: ['momentum'],
    slots: [{ key: 'velocity', symbol: 'Δw(r−1)', label: 'previous change' }],
    formula: 'Δw(r) = −η g + α Δw(r−1)',
    latex: {
      formula: '\\Delta w(r) = -\\eta\\, g + \\alpha\\, \\Delta w(r-1)',
      gradientPart: '-\\eta\\, \\partial J / \\partial w_{ji}',
      memoryPart: '\\alpha\\, \\Delta w_{ji}(r-1)',
    },
    partSymbols: { gradient: '−η ∂J/∂w', memory: 'α Δw(r−1)', memoryName: 'momentum' },
    typicalLearningRate: 0.5,
    explain(input) {
      const { learningRate: eta, momentum, l1, l2 } = input.hyper;
      const g = regularisedGradient(input.dJdw, input.w, input.regularised, l1, l2);
      const memoryPart = momentum * input.memory[0];
      const change = -eta * g + memoryPart;
      return { g, change, memory: [change], parts: linearParts(-eta, input, memoryPart), quantities: [] };
    },
    step({ params, grad, locked, regularised, anyLocked, hyper }, state) {
      state.step++;
      const { learningRate: eta, momentum, l1, l2 } = hyper;
      const velocity = state.slots[0];
      if (momentum === 0 && l1 === 0 && l2 === 0 && !anyLocked) {
        plainGradientStep(params, grad, velocity, eta);
        return;
      }
      for (let p = 0; p < params.length; p++) {
        if (locked[p]) continue;
        const w = params[p];
        const g = regularised[p] ? grad[p] + l2 * w + l1 * Math.sign(w) : grad[p];
        const change = -eta * g + momentum * velocity[p];
        velocity[p] = change;
        params[p] = w + change;
      }
    },
    vector({ learningRate, momentum, l1, l2 }, _t, out) {
      out[0] = learningRate;
      out[1] = momentum;
      // The plain path drops α Δ(r−1) (a ±0 that can flip a zero's sign): the SIMD step takes it where step() does.
      out[2] = momentum === 0 && l1 === 0 && l2 === 0 ? 1 : 0;
    },
    torch: (h, params) => `torch.optim.SGD(${params}, lr=${h('learningRate')}, momentum=${h('momentum')})`,
    keras: (h) => `keras.optimizers.SGD(learning_rate=${h('learningRate')}, momentum=${h('momentum')})`,
    kerasDifference: null,
  },
  nesterov: {
    label: 'Nesterov momentum',
    description: 'Momentum that looks ahead: the step uses the velocity after this gradient, v(r) = α v(r−1) − η g, so Δw = −η g + α v(r).',
    settings: ['momentum'],
    slots: [{ key: 'velocity', symbol: 'v(r−1)', label: 'velocity' }],
    formula: 'v(r) = α v(r−1) − η g,  Δw(r) = −η g + α v(r)',
    latex: {
      formula: 'v(r) = \\alpha\\, v(r-1) - \\eta\\, g, \\quad \\Delta w(r) = -\\eta\\, g + \\alpha\\, v(r)',
      gradientPart: '-\\eta (1 + \\alpha)\\, \\partial J / \\partial w_{ji}',
      memoryPart: '\\alpha^2 v_{ji}(r-1)',
    },
    partSymbols: { gradient: '−η(1 + α) ∂J/∂w', memory: 'α² v(r−1)', memoryName: 'momentum' },
    typicalLearningRate: 0.1,
    explain(input) {
      const { learningRate: eta, momentum, l1, l2 } = input.hyper;
      const g = regularisedGradient(input.dJdw, input.w, input.regularised, l1, l2);
      const velocity = momentum * input.memory[0] - eta * g;
      const change = -eta * g + momentum * velocity;
      return {
        g,
        change,
        memory: [velocity],
        parts: linearParts(-eta * (1 + momentum), input, momentum * momentum * input.memory[0]),
        quantities: [{ symbol: 'v(r)', label: 'velocity', value: velocity }],
      };
    },
    step({ params, grad, locked, regularised, hyper }, state) {
      state.step++;
      const { learningRate: eta, momentum, l1, l2 } = hyper;
      const velocity = state.slots[0];
      for (let p = 0; p < params.length; p++) {
        if (locked[p]) continue;
        const w = params[p];
        const g = regularised[p] ? grad[p] + l2 * w + l1 * Math.sign(w) : grad[p];
        const v = momentum * velocity[p] - eta * g;
        velocity[p] = v;
        params[p] = w + (-eta * g + momentum * v);
      }
    },
    vector({ learningRate, momentum }, _t, out) {
      out[0] = learningRate;
      out[1] = momentum;
    },
    torch: (h, params) => `torch.optim.SGD(${params}, lr=${h('learningRate')}, momentum=${h('momentum')}, nesterov=True)`,
    keras: (h) => `keras.optimizers.SGD(learning_rate=${h('learningRate')}, momentum=${h('momentum')}, nesterov=True)`,
    kerasDifference: null,
  },
  adagrad: {
    label: 'AdaGrad',
    description: 'Divides each step by the root of the sum of all its squared gradients so far: parameters that moved a lot slow down.',
    settings: ['epsilon'],
    slots: [{ key: 'sumOfSquares', symbol: 'G', label: 'sum of squared gradients' }],
    formula: 'G ← G + g²,  Δw = −η g / (√G + ε)',
    latex: {
      formula: 'G \\leftarrow G + g^2, \\quad \\Delta w = -\\frac{\\eta\\, g}{\\sqrt{G} + \\varepsilon}',
      gradientPart: '-\\eta\\, \\frac{\\partial J / \\partial w_{ji}}{\\sqrt{G} + \\varepsilon}',
      memoryPart: null,
    },
    partSymbols: { gradient: '−η ∂J/∂w / (√G + ε)', memory: null, memoryName: null },
    typicalLearningRate: 0.1,
    explain(input) {
      const { learningRate: eta, epsilon, l1, l2 } = input.hyper;
      const g = regularisedGradient(input.dJdw, input.w, input.regularised, l1, l2);
      const sum = input.memory[0] + g * g;
      const denominator = Math.sqrt(sum) + epsilon;
      const change = (-eta * g) / denominator;
      return {
        g,
        change,
        memory: [sum],
        parts: linearParts(-eta / denominator, input, 0),
        quantities: [{ symbol: 'G', label: 'sum of squared gradients', value: sum }],
      };
    },
    step({ params, grad, locked, regularised, hyper }, state) {
      state.step++;
      const { learningRate: eta, epsilon, l1, l2 } = hyper;
      const sums = state.slots[0];
      for (let p = 0; p < params.length; p++) {
        if (locked[p]) continue;
        const w = params[p];
        const g = regularised[p] ? grad[p] + l2 * w + l1 * Math.sign(w) : grad[p];
        const sum = sums[p] + g * g;
        sums[p] = sum;
        params[p] = w + (-eta * g) / (Math.sqrt(sum) + epsilon);
      }
    },
    vector({ learningRate, epsilon }, _t, out) {
      out[0] = learningRate;
      out[1] = epsilon;
    },
    torch: (h, params) => `torch.optim.Adagrad(${params}, lr=${h('learningRate')}, eps=${h('epsilon')})`,
    keras: (h) => `keras.optimizers.Adagrad(learning_rate=${h('learningRate')}, initial_accumulator_value=0.0, epsilon=${h('epsilon')})`,
    kerasDifference: 'Keras adds ε inside the square root (√(G + ε)), the app and PyTorch outside it (√G + ε)',
  },
  rmsprop: {
    label: 'RMSprop',
    description: 'Divides each step by the root of a running mean of its squared gradients, which forgets old gradients at the rate ρ.',
    settings: ['rho', 'epsilon'],
    slots: [{ key: 'meanSquare', symbol: 'v', label: 'running mean of g²' }],
    formula: 'v ← ρ v + (1 − ρ) g²,  Δw = −η g / (√v + ε)',
    latex: {
      formula: 'v \\leftarrow \\rho\\, v + (1 - \\rho)\\, g^2, \\quad \\Delta w = -\\frac{\\eta\\, g}{\\sqrt{v} + \\varepsilon}',
      gradientPart: '-\\eta\\, \\frac{\\partial J / \\partial w_{ji}}{\\sqrt{v} + \\varepsilon}',
      memoryPart: null,
    },
    partSymbols: { gradient: '−η ∂J/∂w / (√v + ε)', memory: null, memoryName: null },
    typicalLearningRate: 0.01,
    explain(input) {
      const { learningRate: eta, rho, epsilon, l1, l2 } = input.hyper;
      const g = regularisedGradient(input.dJdw, input.w, input.regularised, l1, l2);
      const mean = rho * input.memory[0] + (1 - rho) * g * g;
      const denominator = Math.sqrt(mean) + epsilon;
      const change = (-eta * g) / denominator;
      return {
        g,
        change,
        memory: [mean],
        parts: linearParts(-eta / denominator, input, 0),
        quantities: [{ symbol: 'v', label: 'running mean of g²', value: mean }],
      };
    },
    step({ params, grad, locked, regularised, hyper }, state) {
      state.step++;
      const { learningRate: eta, rho, epsilon, l1, l2 } = hyper;
      const means = state.slots[0];
      for (let p = 0; p < params.length; p++) {
        if (locked[p]) continue;
        const w = params[p];
        const g = regularised[p] ? grad[p] + l2 * w + l1 * Math.sign(w) : grad[p];
        const mean = rho * means[p] + (1 - rho) * g * g;
        means[p] = mean;
        params[p] = w + (-eta * g) / (Math.sqrt(mean) + epsilon);
      }
    },
    vector({ learningRate, rho, epsilon }, _t, out) {
      out[0] = learningRate;
      out[1] = rho;
      out[2] = epsilon;
    },
    torch: (h, params) => `torch.optim.RMSprop(${params}, lr=${h('learningRate')}, alpha=${h('rho')}, eps=${h('epsilon')})`,
    keras: (h) => `keras.optimizers.RMSprop(learning_rate=${h('learningRate')}, rho=${h('rho')}, epsilon=${h('epsilon')})`,
    kerasDifference: 'Keras adds ε inside the square root (√(v + ε)), the app and PyTorch outside it (√v + ε)',
  },
  adam: {
    label: 'Adam',
    description:
      'Running means of the gradient (m) and of its square (v), corrected for starting at 0 (m̂, v̂): a step of about η in the direction the gradients agree on.',
    settings: ['beta1', 'beta2', 'epsilon'],
    slots: [
      { key: 'mean', symbol: 'm', label: 'running mean of g' },
      { key: 'meanSquare', symbol: 'v', label: 'running mean of g²' },
    ],
    formula: 'm ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ),  Δw = −η m̂ / (√v̂ + ε)',
    latex: {
      formula:
        'm \\leftarrow \\beta_1 m + (1 - \\beta_1) g, \\quad v \\leftarrow \\beta_2 v + (1 - \\beta_2) g^2, \\quad \\hat m = \\frac{m}{1 - \\beta_1^t}, \\quad \\hat v = \\frac{v}{1 - \\beta_2^t}, \\quad \\Delta w = -\\frac{\\eta\\, \\hat m}{\\sqrt{\\hat v} + \\varepsilon}',
      gradientPart: '-\\frac{\\eta (1 - \\beta_1)\\, \\partial J / \\partial w_{ji}}{(1 - \\beta_1^t)(\\sqrt{\\hat v} + \\varepsilon)}',
      memoryPart: '-\\frac{\\eta \\beta_1 m_{ji}(r-1)}{(1 - \\beta_1^t)(\\sqrt{\\hat v} + \\varepsilon)}',
    },
    partSymbols: {
      gradient: '−η (1 − β₁) ∂J/∂w / ((1 − β₁ᵗ)(√v̂ + ε))',
      memory: '−η β₁ m(r−1) / ((1 − β₁ᵗ)(√v̂ + ε))',
      memoryName: 'earlier gradients',
    },
    typicalLearningRate: 0.01,
    explain(input) {
      const { learningRate: eta, beta1, beta2, epsilon, l1, l2 } = input.hyper;
      const g = regularisedGradient(input.dJdw, input.w, input.regularised, l1, l2);
      const m = beta1 * input.memory[0] + (1 - beta1) * g;
      const v = beta2 * input.memory[1] + (1 - beta2) * g * g;
      const correction1 = 1 - Math.pow(beta1, input.t);
      const mHat = m / correction1;
      const vHat = v / (1 - Math.pow(beta2, input.t));
      const denominator = Math.sqrt(vHat) + epsilon;
      const change = (-eta * mHat) / denominator;
      const factor = -eta / (correction1 * denominator);
      return {
        g,
        change,
        memory: [m, v],
        parts: linearParts(factor * (1 - beta1), input, factor * beta1 * input.memory[0]),
        quantities: [
          { symbol: 'm', label: 'running mean of g', value: m },
          { symbol: 'v', label: 'running mean of g²', value: v },
          { symbol: 'm̂', label: 'm corrected for its start at 0', value: mHat },
          { symbol: 'v̂', label: 'v corrected for its start at 0', value: vHat },
        ],
      };
    },
    step({ params, grad, locked, regularised, hyper }, state) {
      const t = ++state.step;
      const { learningRate: eta, beta1, beta2, epsilon, l1, l2 } = hyper;
      const [means, meanSquares] = state.slots;
      const correction1 = 1 - Math.pow(beta1, t);
      const correction2 = 1 - Math.pow(beta2, t);
      for (let p = 0; p < params.length; p++) {
        if (locked[p]) continue;
        const w = params[p];
        const g = regularised[p] ? grad[p] + l2 * w + l1 * Math.sign(w) : grad[p];
        const m = beta1 * means[p] + (1 - beta1) * g;
        const v = beta2 * meanSquares[p] + (1 - beta2) * g * g;
        means[p] = m;
        meanSquares[p] = v;
        params[p] = w + (-eta * (m / correction1)) / (Math.sqrt(v / correction2) + epsilon);
      }
    },
    vector({ learningRate, beta1, beta2, epsilon }, t, out) {
      out[0] = learningRate;
      out[1] = beta1;
      out[2] = beta2;
      out[3] = 1 - Math.pow(beta1, t);
      out[4] = 1 - Math.pow(beta2, t);
      out[5] = epsilon;
    },
    torch: (h, params) => `torch.optim.Adam(${params}, lr=${h('learningRate')}, betas=(${h('beta1')}, ${h('beta2')}), eps=${h('epsilon')})`,
    keras: (h) =>
      `keras.optimizers.Adam(learning_rate=${h('learningRate')}, beta_1=${h('beta1')}, beta_2=${h('beta2')}, epsilon=${h('epsilon')})`,
    kerasDifference: 'Keras scales ε by √(1 − β₂ᵗ) (its "epsilon hat"), so its steps differ from the app’s and PyTorch’s by about ε/√v̂',
  },
} as const satisfies Record<string, OptimiserDefinition>;

/** The name of an optimiser, as projects store it. */
export type OptimiserName = keyof typeof OPTIMISERS;
/** The optimiser names, in the UI's order. */
export const OPTIMISER_NAMES = Object.keys(OPTIMISERS) as [OptimiserName, ...OptimiserName[]];

/** The definition of an optimiser, typed as the interface (not the literal table entry). */
export function optimiserOf(name: OptimiserName): OptimiserDefinition {
  return OPTIMISERS[name];
}

/**
 * A fresh memory for `kind`: t = 0 and every slot zero, as torch.optim starts.
 * @param allocate where the slots live (a kernel's arena, where its SIMD steps reach them).
 */
export function freshOptimiserState(
  kind: OptimiserName,
  paramCount: number,
  allocate: (length: number) => Float64Array = (length) => new Float64Array(length),
): OptimiserState {
  return { kind, step: 0, slots: OPTIMISERS[kind].slots.map(() => allocate(paramCount)) };
}

const vectorNumbers = new Float64Array(6);

/**
 * One step of `state`'s optimiser through the kernel's SIMD steps ({@link VectorSteps}), where
 * they can take it: the registry's entry has one, no parameter is locked, and every vector lives
 * where the steps reach it. The result equals {@link OptimiserDefinition.step}'s bit for bit (L1
 * and L2 are added to the gradient first, by the same expression the step uses).
 * @returns false, having changed nothing, when the registry's own step must run instead.
 */
export function vectorStep(input: FastStepInput, state: OptimiserState, steps: VectorSteps | null | undefined): boolean {
  const definition: OptimiserDefinition = OPTIMISERS[state.kind];
  const { params, grad, regularised, hyper } = input;
  if (!steps || !definition.vector || input.anyLocked || !steps.reaches(state.kind, params, grad, state.slots)) return false;
  const { l1, l2 } = hyper;
  if (l1 !== 0 || l2 !== 0) {
    for (let p = 0; p < params.length; p++) if (regularised[p]) grad[p] = regularisedGradient(grad[p], params[p], true, l1, l2);
  }
  definition.vector(hyper, state.step + 1, vectorNumbers);
  steps.run(state.kind, params, grad, state.slots, vectorNumbers);
  state.step++;
  return true;
}

/** A deep copy of an optimiser's memory. */
export function copyOptimiserState(state: OptimiserState): OptimiserState {
  return { kind: state.kind, step: state.step, slots: state.slots.map((slot) => Float64Array.from(slot)) };
}

/**
 * Copies `source` into `target` in place when they are the same optimiser's memory of the same
 * size (no allocation: the trainer does it every epoch), else returns a fresh copy of `source`.
 * @returns the state that now holds `source`'s numbers.
 */
export function copyOptimiserStateInto(target: OptimiserState, source: OptimiserState): OptimiserState {
  const sameShape =
    target.kind === source.kind &&
    target.slots.length === source.slots.length &&
    target.slots.every((slot, k) => slot.length === source.slots[k].length);
  if (!sameShape) return copyOptimiserState(source);
  target.step = source.step;
  for (let k = 0; k < source.slots.length; k++) target.slots[k].set(source.slots[k]);
  return target;
}

/**
 * Why `state` cannot be the memory of `kind` for `paramCount` parameters, or null when it can.
 * The sentence names the first mismatch.
 */
export function optimiserStateProblem(state: OptimiserState, kind: OptimiserName, paramCount: number): string | null {
  if (state.kind !== kind)
    return `it is ${OPTIMISERS[state.kind]?.label ?? 'another optimiser'}'s memory, and training uses ${OPTIMISERS[kind].label}`;
  const slots = OPTIMISERS[kind].slots;
  if (state.slots.length !== slots.length)
    return `${OPTIMISERS[kind].label} keeps ${slots.length} values per parameter, not ${state.slots.length}`;
  for (let k = 0; k < slots.length; k++) {
    if (state.slots[k].length !== paramCount)
      return `its ${slots[k].label} has ${state.slots[k].length} values for ${paramCount} parameters`;
  }
  if (!Number.isInteger(state.step) || state.step < 0) return `its step count ${state.step} is not a count of steps`;
  return null;
}

/**
 * Plain gradient descent, the common case: Δw = −η ∂J/∂w, the same arithmetic as the general
 * update without its branches. A small function of its own so the JIT optimises it alone.
 */
function plainGradientStep(params: Float64Array, grad: Float64Array, velocity: Float64Array, eta: number): void {
  for (let p = 0; p < params.length; p++) {
    const change = -eta * grad[p];
    velocity[p] = change;
    params[p] += change;
  }
}

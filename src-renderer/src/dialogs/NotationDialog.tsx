/**
 * Help › The Lecture's Notation: the symbols the inspector, the trace and the tooltips use, in the
 * lecture's sign convention (δ_j = −∂J/∂s_j), so a student can read every number the app shows.
 * Each symbol is typeset (KaTeX) and also spelt as the CSV and Markdown exports write it.
 */
import { useEffect, useRef } from 'react';
import {
  ACTIVATIONS,
  LOSSES,
  LOSS_NAMES,
  OPTIMISERS,
  OPTIMISER_NAMES,
  OPTIMISER_SETTINGS,
  formActivations,
  type LossForm,
  type OptimiserSettingName,
} from '../../../engine/src/index';
import { Tex } from '../ui/Tex';
import './notation.css';

/** One row of the notation table: the symbol typeset, as the app's plain-text exports print it, and what it means. */
export interface NotationEntry {
  /** The symbol or formula in TeX, as the inspector typesets it. */
  tex: string;
  /** The same in plain Unicode, as the CSV and Markdown exports write it. */
  symbol: string;
  meaning: string;
}

/** What a loss form is for, in a phrase: which outputs, and whether φ′ cancels. */
function lossFormMeaning(form: LossForm): string {
  if (form.shape === 'any') return `${form.label}, for any output (the lecture’s backprop derivation)`;
  const outputs = formActivations(form)
    .map((a) => ACTIVATIONS[a].label)
    .join(', ');
  const where = form.shape === 'layer' ? `a ${outputs} layer of outputs` : `${outputs} output units`;
  return `${form.label}, for ${where}${form.cancels ? ': φ′ cancels, so δ_k = t_k − z_k' : ''}`;
}

/** The optimisers' settings, each once, in the table's order. */
const SETTING_NAMES = Object.keys(OPTIMISER_SETTINGS) as OptimiserSettingName[];

/** The notation, grouped as the lecture introduces it; losses, optimisers and their settings from the engine's registries. */
export const NOTATION: readonly { heading: string; entries: readonly NotationEntry[] }[] = [
  {
    heading: 'A unit j',
    entries: [
      {
        tex: 'x_{ji}',
        symbol: 'x_ji',
        meaning: 'the i-th input of unit j (an input feature, or the output z_i of a unit that feeds j)',
      },
      { tex: 'w_{ji}', symbol: 'w_ji', meaning: 'the weight from unit i to unit j; b_j is j’s bias (w_j0, with x_0 = 1)' },
      { tex: 's_j = \\sum_i w_{ji} x_{ji} + b_j', symbol: 's_j = Σ_i w_ji·x_ji + b_j', meaning: 'the weighted sum (pre-activation)' },
      {
        tex: 'z_j = \\varphi(s_j)',
        symbol: 'z_j = φ(s_j)',
        meaning: 'the unit’s output, through its activation φ (step, sign, sigmoid, tanh, ReLU, linear, softmax)',
      },
      { tex: "\\varphi'(s_j)", symbol: 'φ′(s_j)', meaning: 'the activation’s derivative: z(1 − z) for sigmoid, 1 − z² for tanh' },
    ],
  },
  {
    heading: 'The loss',
    entries: [
      { tex: 't_k', symbol: 't_k', meaning: 'the target of output unit k' },
      ...LOSS_NAMES.flatMap((name) =>
        LOSSES[name].forms.map((form: LossForm) => ({ tex: `J = ${form.latex}`, symbol: form.formula, meaning: lossFormMeaning(form) })),
      ),
      { tex: 'N', symbol: 'N', meaning: 'the samples in a batch: the loss and the gradients are their mean' },
    ],
  },
  {
    heading: 'Backpropagation',
    entries: [
      {
        tex: '\\delta_j = -\\frac{\\partial J}{\\partial s_j}',
        symbol: 'δ_j = −∂J/∂s_j',
        meaning: 'the unit’s error signal (the lecture’s sign: positive when s_j should grow)',
      },
      {
        tex: "\\delta_k = (t_k - z_k)\\, \\varphi'(s_k)",
        symbol: 'δ_k = (t_k − z_k)·φ′(s_k)',
        meaning:
          'an output unit under squared error; with sigmoid + cross-entropy or softmax + categorical cross-entropy φ′ cancels: δ_k = t_k − z_k (t_k − z_k·Σt for a softmax whose targets do not sum to 1)',
      },
      {
        tex: "\\delta_j = \\varphi'(s_j) \\sum_k w_{kj} \\delta_k",
        symbol: 'δ_j = φ′(s_j)·Σ_k w_kj·δ_k',
        meaning: 'a hidden unit: the δ of the units it feeds, back through their weights',
      },
      {
        tex: '\\frac{\\partial J}{\\partial w_{ji}} = -\\delta_j x_{ji}',
        symbol: '∂J/∂w_ji = −δ_j·x_ji',
        meaning: 'the gradient of one weight (averaged over the batch)',
      },
    ],
  },
  {
    heading: 'The update',
    entries: [
      { tex: '\\eta', symbol: 'η', meaning: 'the learning rate' },
      {
        tex: '\\Delta w_{ji} = \\eta\\, \\delta_j x_{ji}',
        symbol: 'Δw_ji = η·δ_j·x_ji',
        meaning: 'the gradient-descent step (Δw = −η∇J), plus α·Δw(r−1) with momentum α and the L1/L2 terms when set',
      },
      { tex: 'w(r+1) = w(r) + \\Delta w(r)', symbol: 'w(r+1) = w(r) + Δw(r)', meaning: 'r counts the updates' },
      {
        tex: 'g = \\frac{\\partial J}{\\partial w} + \\lambda_2 w + \\lambda_1 \\operatorname{sign} w',
        symbol: 'g = ∂J/∂w + λ₂w + λ₁ sign w',
        meaning: 'the gradient every optimiser is given (L1 and L2 on weights only)',
      },
      ...OPTIMISER_NAMES.filter((name) => name !== 'sgd').map((name) => ({
        tex: OPTIMISERS[name].latex.formula,
        symbol: OPTIMISERS[name].formula,
        meaning: `${OPTIMISERS[name].label}: ${OPTIMISERS[name].description}`,
      })),
      ...SETTING_NAMES.map((name) => ({
        tex: OPTIMISER_SETTINGS[name].latex,
        symbol: OPTIMISER_SETTINGS[name].symbol,
        meaning: `${OPTIMISER_SETTINGS[name].label}: ${OPTIMISER_SETTINGS[name].tooltip}`,
      })),
      {
        tex: 'w \\leftarrow w + \\eta\\, (t - y)\\, x',
        symbol: 'w ← w + η(t − y)·x',
        meaning: 'the perceptron rule, for a single layer of step or sign units (they have no useful gradient)',
      },
    ],
  },
];

/** The notation as a dialog; Escape or Close dismisses it. */
export function NotationDialog({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div
      className="modal"
      role="dialog"
      aria-modal="true"
      aria-labelledby="notation-title"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="modal-body notation" data-testid="notation">
        <h2 id="notation-title">The lecture’s notation</h2>
        {NOTATION.map((group) => (
          <section key={group.heading}>
            <h3>{group.heading}</h3>
            <dl>
              {group.entries.map((entry) => (
                <div key={entry.symbol}>
                  <dt>
                    <Tex tex={entry.tex} />
                    <span className="notation-plain" title="As the CSV and Markdown exports write it">
                      {entry.symbol}
                    </span>
                  </dt>
                  <dd>{entry.meaning}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <div className="modal-actions">
          <button ref={close} className="primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

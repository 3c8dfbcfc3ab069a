/**
 * Help › The Lecture's Notation: the symbols the inspector, the trace and the tooltips use, in the
 * lecture's sign convention (δ_j = −∂J/∂s_j), so a student can read every number the app shows.
 */
import { useEffect, useRef } from 'react';
import { OPTIMISERS, OPTIMISER_NAMES } from '../../../engine/src/index';

/** One row of the notation table: the symbol as the app prints it, and what it means. */
export interface NotationEntry {
  symbol: string;
  meaning: string;
}

/** The notation, grouped as the lecture introduces it. */
export const NOTATION: readonly { heading: string; entries: readonly NotationEntry[] }[] = [
  {
    heading: 'A unit j',
    entries: [
      { symbol: 'x_ji', meaning: 'the i-th input of unit j (an input feature, or the output z_i of a unit that feeds j)' },
      { symbol: 'w_ji', meaning: 'the weight from unit i to unit j; b_j is j’s bias (w_j0, with x_0 = 1)' },
      { symbol: 's_j = Σ_i w_ji·x_ji + b_j', meaning: 'the weighted sum (pre-activation)' },
      { symbol: 'z_j = φ(s_j)', meaning: 'the unit’s output, through its activation φ (step, sign, sigmoid, tanh, ReLU, linear, softmax)' },
      { symbol: 'φ′(s_j)', meaning: 'the activation’s derivative: z(1 − z) for sigmoid, 1 − z² for tanh' },
    ],
  },
  {
    heading: 'The loss',
    entries: [
      { symbol: 't_k', meaning: 'the target of output unit k' },
      {
        symbol: 'J = ½ Σ_k (t_k − z_k)²',
        meaning: 'squared error; cross-entropy is −Σ_k t_k ln z_k (and its two-class form for one sigmoid)',
      },
      { symbol: 'N', meaning: 'the samples in a batch: the loss and the gradients are their mean' },
    ],
  },
  {
    heading: 'Backpropagation',
    entries: [
      { symbol: 'δ_j = −∂J/∂s_j', meaning: 'the unit’s error signal (the lecture’s sign: positive when s_j should grow)' },
      {
        symbol: 'δ_k = (t_k − z_k)·φ′(s_k)',
        meaning:
          'an output unit under squared error; with sigmoid + cross-entropy or softmax + categorical cross-entropy φ′ cancels: δ_k = t_k − z_k (t_k − z_k·Σt for a softmax whose targets do not sum to 1)',
      },
      { symbol: 'δ_j = φ′(s_j)·Σ_k w_kj·δ_k', meaning: 'a hidden unit: the δ of the units it feeds, back through their weights' },
      { symbol: '∂J/∂w_ji = −δ_j·x_ji', meaning: 'the gradient of one weight (averaged over the batch)' },
    ],
  },
  {
    heading: 'The update',
    entries: [
      { symbol: 'η', meaning: 'the learning rate' },
      {
        symbol: 'Δw_ji = η·δ_j·x_ji',
        meaning: 'the gradient-descent step (Δw = −η∇J), plus α·Δw(r−1) with momentum α and the L1/L2 terms when set',
      },
      { symbol: 'w(r+1) = w(r) + Δw(r)', meaning: 'r counts the updates' },
      { symbol: 'g = ∂J/∂w + λ₂w + λ₁ sign w', meaning: 'the gradient every optimiser is given (L1 and L2 on weights only)' },
      ...OPTIMISER_NAMES.filter((name) => name !== 'sgd').map((name) => ({
        symbol: OPTIMISERS[name].formula,
        meaning: `${OPTIMISERS[name].label}: ${OPTIMISERS[name].description}`,
      })),
      {
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
    <div className="modal" role="dialog" aria-label="The lecture’s notation" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="modal-body notation" data-testid="notation">
        <h2>The lecture’s notation</h2>
        {NOTATION.map((group) => (
          <section key={group.heading}>
            <h3>{group.heading}</h3>
            <dl>
              {group.entries.map((entry) => (
                <div key={entry.symbol}>
                  <dt>{entry.symbol}</dt>
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

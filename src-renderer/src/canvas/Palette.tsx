/**
 * The palette: drag a unit onto the canvas (or click to add it at the centre).
 */
import type { NodeTemplate } from '../document/commands';

export const PALETTE: { name: string; template: NodeTemplate; hint: string }[] = [
  { name: 'Input', template: { kind: 'input' }, hint: 'one feature x_i of the data' },
  { name: 'Bias 1', template: { kind: 'bias' }, hint: 'the constant 1 (x₀); its edge weights act as biases' },
  { name: 'Perceptron (step)', template: { kind: 'perceptron', activation: 'step' }, hint: 'φ(s) = 1 if s > 0, else 0' },
  { name: 'Perceptron (sign)', template: { kind: 'perceptron', activation: 'sign' }, hint: 'φ(s) = +1 if s > 0, else −1' },
  { name: 'Neuron (sigmoid)', template: { kind: 'neuron', activation: 'sigmoid' }, hint: 'φ(s) = 1 / (1 + e^−s)' },
  { name: 'Neuron (tanh)', template: { kind: 'neuron', activation: 'tanh' }, hint: 'φ(s) = tanh(s)' },
  { name: 'Neuron (ReLU)', template: { kind: 'neuron', activation: 'relu' }, hint: 'φ(s) = max(0, s)' },
  { name: 'Neuron (linear)', template: { kind: 'neuron', activation: 'linear' }, hint: 'φ(s) = s' },
  {
    name: 'Dense layer',
    template: { kind: 'dense', units: 4, activation: 'tanh' },
    hint: 'N units sharing one activation (softmax allowed)',
  },
];

export const PALETTE_MIME = 'application/x-nnstudio-unit';

export function Palette({ onAdd, onMarkOutput }: { onAdd: (template: NodeTemplate) => void; onMarkOutput: () => void }) {
  return (
    <nav className="palette" aria-label="Palette">
      <h2>Palette</h2>
      {PALETTE.map((entry) => (
        <button
          key={entry.name}
          className="palette-item"
          draggable
          title={entry.hint}
          data-testid={`palette-${entry.name}`}
          onDragStart={(event) => {
            event.dataTransfer.setData(PALETTE_MIME, JSON.stringify(entry.template));
            event.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => onAdd(entry.template)}
        >
          {entry.name}
        </button>
      ))}
      <button
        className="palette-item output-marker"
        data-testid="palette-Output"
        title="Mark the selected unit(s) as the network’s output, predicting the dataset’s target(s)"
        onClick={onMarkOutput}
      >
        Output marker
      </button>
    </nav>
  );
}

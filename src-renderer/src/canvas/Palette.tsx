/**
 * The palette: drag a unit onto the canvas (or click to add it at the centre).
 */
import { ACTIVATIONS, activationsFor } from '../../../engine/src/index';
import type { NodeTemplate } from '../document/commands';

export const PALETTE: { name: string; template: NodeTemplate; hint: string }[] = [
  { name: 'Input', template: { kind: 'input' }, hint: 'one feature x_i of the data (the next one no input reads yet)' },
  {
    name: 'Input layer',
    template: { kind: 'inputLayer' },
    hint: 'N features of the data in one node (the columns of a table, the pixels of an image); starts with every feature no input reads yet',
  },
  { name: 'Bias 1', template: { kind: 'bias' }, hint: 'the constant 1 (x₀); its edge weights act as biases' },
  // One entry per activation a perceptron or a neuron may use, from the activation registry.
  ...activationsFor('perceptron').map((activation) => ({
    name: `Perceptron (${ACTIVATIONS[activation].label})`,
    template: { kind: 'perceptron' as const, activation },
    hint: ACTIVATIONS[activation].formula,
  })),
  ...activationsFor('neuron').map((activation) => ({
    name: `Neuron (${ACTIVATIONS[activation].label})`,
    template: { kind: 'neuron' as const, activation },
    hint: ACTIVATIONS[activation].formula,
  })),
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

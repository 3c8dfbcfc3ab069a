/**
 * The palette: drag a unit onto the canvas (or click to add it at the centre). The unit under the
 * pointer or the keyboard's focus is explained below the list, its activation typeset.
 */
import { useState } from 'react';
import { ACTIVATIONS, activationsFor } from '../../../engine/src/index';
import type { NodeTemplate } from '../document/commands';
import { Tex } from '../ui/Tex';
import './palette.css';

/** One unit of the palette: its name, what it adds, its explanation and (for an activation) its formula in TeX. */
export interface PaletteEntry {
  name: string;
  template: NodeTemplate;
  hint: string;
  latex?: string;
}

export const PALETTE: PaletteEntry[] = [
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
    latex: ACTIVATIONS[activation].formulaLatex,
  })),
  ...activationsFor('neuron').map((activation) => ({
    name: `Neuron (${ACTIVATIONS[activation].label})`,
    template: { kind: 'neuron' as const, activation },
    hint: ACTIVATIONS[activation].formula,
    latex: ACTIVATIONS[activation].formulaLatex,
  })),
  {
    name: 'Dense layer',
    template: { kind: 'dense', units: 4, activation: 'tanh' },
    hint: 'N units sharing one activation (softmax allowed)',
  },
];

export const PALETTE_MIME = 'application/x-nnstudio-unit';

export function Palette({ onAdd, onMarkOutput }: { onAdd: (template: NodeTemplate) => void; onMarkOutput: () => void }) {
  // The explanation floats beside its entry, over the canvas: the palette's own column is narrow and scrolls.
  const [explained, setExplained] = useState<{ entry: PaletteEntry; left: number; top: number } | null>(null);
  const show = (entry: PaletteEntry) => (event: React.SyntheticEvent<HTMLElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    setExplained({ entry, left: box.right + 8, top: box.top });
  };
  const hide = () => setExplained(null);
  return (
    <nav className="palette" aria-label="Palette">
      <h2>Palette</h2>
      {PALETTE.map((entry) => (
        <button
          key={entry.name}
          className="palette-item"
          draggable
          aria-describedby={explained?.entry === entry ? 'palette-hint' : undefined}
          onPointerEnter={show(entry)}
          onPointerLeave={hide}
          onFocus={show(entry)}
          onBlur={hide}
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
      {explained && (
        <div
          className="palette-hint"
          id="palette-hint"
          role="tooltip"
          data-testid="palette-hint"
          style={{ left: explained.left, top: Math.min(explained.top, window.innerHeight - 90) }}
        >
          <strong>{explained.entry.name}</strong>
          {explained.entry.latex ? <Tex tex={explained.entry.latex} display /> : <span>{explained.entry.hint}</span>}
        </div>
      )}
    </nav>
  );
}

/**
 * The editor of an open project: the palette and the Build commands beside the canvas, in a
 * column of their own with a splitter (its width saved in the view), and under the canvas the
 * slot for the network's problems. Which layer "Add layer" adds is the window's choice (kept by
 * Workspace across documents), not the document's.
 */
import type { Dispatch, ReactNode, RefObject, SetStateAction } from 'react';
import {
  ACTIVATIONS,
  activationsFor,
  isComputing,
  unitCount,
  type CompileResult,
  type NeuronActivation,
  type Project,
} from '../../../engine/src/index';
import { Canvas, type CanvasApi } from '../canvas/Canvas';
import { Palette } from '../canvas/Palette';
import { addNeuronLayer, addNode, batch, connectColumns, setOutput } from '../document/commands';
import { datasetTargets } from '../panels/inspector/Inspector';
import { useStudio } from '../state/store';
import { CANVAS_MINIMUM } from './panel-layout';
import { FreePanel, PanelGroup, SizedPanel, Splitter, useSizeTracker } from './window-panels';

/** What "Add layer" adds next. */
export interface LayerChoice {
  size: number;
  activation: NeuronActivation;
}

export function Editor({
  project,
  canvas,
  compiled,
  layer,
  setLayer,
  problems,
}: {
  project: Project;
  canvas: RefObject<CanvasApi | null>;
  compiled: CompileResult | null;
  layer: LayerChoice;
  setLayer: Dispatch<SetStateAction<LayerChoice>>;
  problems: ReactNode;
}) {
  const columns = useSizeTracker('horizontal');
  const selection = useStudio((s) => s.selection);
  const documentId = useStudio((s) => s.documentId);
  const edit = useStudio((s) => s.edit);

  const markOutput = () => {
    const chosen = project.graph.nodes.filter((n) => selection.has(n.id) && isComputing(n));
    if (chosen.length === 0) {
      useStudio.setState({
        refusal: {
          message: 'Select the unit (or units) that make the prediction, then mark them as the output.',
          x: 24,
          y: 96,
        },
      });
      return;
    }
    const targets = datasetTargets(project);
    let next = 0;
    edit(
      batch(
        'Mark as output',
        chosen.map((n) => {
          const names = Array.from({ length: unitCount(n) }, () => targets[next++] ?? `${n.id}_${next}`);
          return setOutput(n.id, names);
        }),
      ),
    );
  };

  return (
    <PanelGroup tracker={columns} className="editor">
      <SizedPanel name="palette" className="side" label="Palette">
        <Palette
          onMarkOutput={markOutput}
          onAdd={(template) => {
            const centre = canvas.current?.centre() ?? { x: 0, y: 0 };
            edit(addNode(template, { x: Math.round(centre.x / 20) * 20, y: Math.round(centre.y / 20) * 20 }));
          }}
        />
        <div className="commands">
          <h2>Build</h2>
          <label>
            Add a layer of
            <input
              type="number"
              min={1}
              max={64}
              value={layer.size}
              onChange={(e) => {
                const size = Number(e.target.value);
                setLayer((l) => ({ ...l, size }));
              }}
              aria-label="Neurons in the new layer"
            />
            <select
              value={layer.activation}
              onChange={(e) => {
                const activation = e.target.value as NeuronActivation;
                setLayer((l) => ({ ...l, activation }));
              }}
              aria-label="Activation of the new layer"
            >
              {activationsFor('neuron').map((a) => (
                <option key={a} value={a}>
                  {ACTIVATIONS[a].label}
                </option>
              ))}
            </select>
            neurons
          </label>
          <button
            data-testid="add-layer"
            onClick={() => {
              const right = project.graph.nodes.reduce((most, n) => Math.max(most, n.position?.x ?? 0), -200);
              edit(addNeuronLayer(layer.size, layer.activation, { x: right + 200, y: 0 }));
            }}
          >
            Add layer
          </button>
          <button
            data-testid="connect-all"
            disabled={selection.size < 2}
            title="Connect every selected unit in one column to every selected unit in the next column to its right"
            onClick={() => edit(connectColumns(project.graph, selection))}
          >
            Connect columns
          </button>
        </div>
      </SizedPanel>
      <Splitter label="Resize the palette" />
      <FreePanel id="canvas" min={CANVAS_MINIMUM.width} className="canvas-column">
        <section className="canvas">
          <Canvas key={documentId} compiled={compiled} onReady={(api) => (canvas.current = api)} />
        </section>
        {problems && (
          <section className="problems-slot" aria-label="Problems">
            {problems}
          </section>
        )}
      </FreePanel>
    </PanelGroup>
  );
}

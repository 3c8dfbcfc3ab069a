/**
 * The inspector for the selection: a node's label, activation, bias, units, the feature it reads
 * or the targets it predicts; an edge's weight and lock. Every change is a command (undoable).
 */
import { builtinColumns, isComputing, unitCount, type Activation, type GraphEdge, type GraphNode } from '../../../../engine/src/index';
import { ACTIVATIONS, activationsFor } from '../../../../engine/src/index';
import { batch, setActivation, setBias, setLabel, setLocked, setOutput, setUnits, setWeight } from '../../document/commands';
import { FeatureField, FeatureListEditor } from './FeatureEditors';
import { NumberInput } from '../../ui/NumberInput';
import { useStudio } from '../../state/store';

const CHOICES: Record<string, readonly Activation[]> = {
  perceptron: activationsFor('perceptron'),
  neuron: activationsFor('neuron'),
  dense: activationsFor('dense'),
};

export function Inspector() {
  const project = useStudio((s) => s.project);
  const selection = useStudio((s) => s.selection);
  const edit = useStudio((s) => s.edit);
  if (!project) return null;
  const nodes = project.graph.nodes.filter((n) => selection.has(n.id));
  const edges = project.graph.edges.filter((e) => selection.has(e.id));
  if (nodes.length + edges.length === 0)
    return (
      <p className="hint">
        Select a unit or an edge to edit it. Drag from the palette to add units; drag from a unit’s right handle to another’s left handle to
        connect them.
      </p>
    );
  if (nodes.length + edges.length > 1) return <MultiInspector nodes={nodes} edges={edges} edit={edit} />;
  return nodes.length === 1 ? (
    <NodeInspector node={nodes[0]} project={project} targets={datasetTargets(project)} edit={edit} />
  ) : (
    <EdgeInspector edge={edges[0]} edit={edit} />
  );
}

/** The target columns of the project's data, which outputs predict. */
export function datasetTargets(project: NonNullable<ReturnType<typeof useStudio.getState>['project']>): string[] {
  const d = project.dataset;
  return d.kind === 'inline' ? d.targets : builtinColumns(d.name).targets;
}

/** What the inspector's heading calls a node's kind. */
const KIND_TITLE: Record<GraphNode['kind'], string> = {
  input: 'Input',
  inputLayer: 'Input layer',
  bias: 'Bias',
  perceptron: 'Perceptron',
  neuron: 'Neuron',
  dense: 'Layer',
};

function NodeInspector({
  node,
  project,
  targets,
  edit,
}: {
  node: GraphNode;
  project: NonNullable<ReturnType<typeof useStudio.getState>['project']>;
  targets: string[];
  edit: ReturnType<typeof useStudio.getState>['edit'];
}) {
  return (
    <div className="inspector" data-testid="inspector">
      <h3>
        {KIND_TITLE[node.kind]} <code>{node.id}</code>
      </h3>
      <label>
        Label{' '}
        <input
          aria-label="Label"
          defaultValue={node.label ?? ''}
          key={node.id + (node.label ?? '')}
          onBlur={(e) => e.target.value !== (node.label ?? '') && edit(setLabel(node.id, e.target.value))}
        />
      </label>
      {node.kind === 'input' && <FeatureField key={node.id + node.feature} node={node} project={project} edit={edit} />}
      {node.kind === 'inputLayer' && <FeatureListEditor key={node.id} node={node} project={project} edit={edit} />}
      {isComputing(node) && (
        <>
          <label>
            Activation φ
            <select
              aria-label="Activation"
              value={node.activation}
              onChange={(e) => edit(setActivation(node.id, e.target.value as Activation))}
            >
              {CHOICES[node.kind].map((a) => (
                <option key={a} value={a}>
                  {ACTIVATIONS[a].label}
                </option>
              ))}
            </select>
          </label>
          {node.kind === 'dense' && (
            <label>
              Units{' '}
              <NumberInput
                label="Units"
                value={node.units}
                onCommit={(v) => (v === null ? null : useStudio.getState().editOrReason(setUnits(node.id, v)))}
              />
            </label>
          )}
          {(node.kind === 'dense' ? node.bias : [node.bias]).map((b, u) => (
            <label key={u}>
              b{node.kind === 'dense' ? `[${u + 1}]` : ''}{' '}
              <NumberInput
                label={`Bias ${u + 1}`}
                value={b}
                onCommit={(v) => (v === null ? null : useStudio.getState().editOrReason(setBias(node.id, v, u)))}
                testId={`bias-${u}`}
              />
            </label>
          ))}
          <label className="check">
            <input
              type="checkbox"
              data-testid="output-toggle"
              checked={!!node.output}
              onChange={(e) =>
                edit(
                  setOutput(
                    node.id,
                    e.target.checked
                      ? Array.from({ length: unitCount(node) }, (_, k) => targets[k] ?? `${targets[0] ?? 'y'}_${k + 1}`)
                      : null,
                  ),
                )
              }
            />
            Output, predicting {node.output ? node.output.targets.join(', ') : targets.slice(0, unitCount(node)).join(', ')}
          </label>
          {node.output &&
            node.output.targets.map((target, k) => (
              <label key={k}>
                {unitCount(node) > 1 ? `Unit ${k + 1} predicts` : 'Predicts'}
                <select
                  aria-label={`Target of unit ${k + 1}`}
                  value={target}
                  onChange={(e) =>
                    edit(
                      setOutput(
                        node.id,
                        node.output!.targets.map((t, m) => (m === k ? e.target.value : t)),
                      ),
                    )
                  }
                >
                  {[...new Set([target, ...targets])].map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </label>
            ))}
        </>
      )}
    </div>
  );
}

/** Several selected: what they share can be set for all at once (one undo step). */
function MultiInspector({
  nodes,
  edges,
  edit,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  edit: ReturnType<typeof useStudio.getState>['edit'];
}) {
  const units = nodes.filter(isComputing);
  const kinds = new Set(units.map((n) => n.kind));
  const choices = kinds.size === 1 ? CHOICES[[...kinds][0]] : CHOICES.neuron;
  const shared = new Set(units.map((n) => n.activation)).size === 1 ? units[0]?.activation : '';
  return (
    <div className="inspector" data-testid="inspector">
      <h3>
        {nodes.length} units, {edges.length} edges
      </h3>
      {units.length > 0 && (
        <label>
          Activation φ (all)
          <select
            aria-label="Activation of all selected"
            value={shared}
            onChange={(e) =>
              edit(
                batch(
                  'Set activation',
                  units.map((n) => setActivation(n.id, e.target.value as Activation)),
                ),
              )
            }
          >
            {shared === '' && <option value="">mixed</option>}
            {choices.map((a) => (
              <option key={a} value={a}>
                {ACTIVATIONS[a].label}
              </option>
            ))}
          </select>
        </label>
      )}
      {units.length > 0 && (
        <button
          onClick={() =>
            edit(
              batch(
                'Set biases',
                units.flatMap((n) => (n.kind === 'dense' ? n.bias.map((_, u) => setBias(n.id, 0, u)) : [setBias(n.id, 0)])),
              ),
            )
          }
        >
          Set biases to 0
        </button>
      )}
      {edges.length > 0 && (
        <label className="check">
          <input
            type="checkbox"
            checked={edges.every((e) => e.locked)}
            onChange={(e) =>
              edit(
                batch(
                  e.target.checked ? 'Lock weights' : 'Unlock weights',
                  edges.map((edge) => setLocked(edge.id, e.target.checked)),
                ),
              )
            }
          />{' '}
          Lock all selected weights
        </label>
      )}
      <p className="hint">Delete removes them; Ctrl+D duplicates; Connect columns wires selected columns left to right.</p>
    </div>
  );
}

function EdgeInspector({ edge, edit }: { edge: GraphEdge; edit: ReturnType<typeof useStudio.getState>['edit'] }) {
  return (
    <div className="inspector" data-testid="inspector">
      <h3>
        Edge{' '}
        <code>
          {edge.source} → {edge.target}
        </code>
      </h3>
      {typeof edge.weight === 'number' ? (
        <label>
          w{' '}
          <NumberInput
            label="Weight"
            value={edge.weight}
            onCommit={(v) => (v === null ? null : useStudio.getState().editOrReason(setWeight(edge.id, v)))}
            testId="weight"
          />
        </label>
      ) : (
        <table className="weight-grid">
          <tbody>
            {edge.weight.slice(0, 32).map((row, j) => (
              <tr key={j}>
                {row.slice(0, 16).map((w, i) => (
                  <td key={i}>
                    <NumberInput
                      label={`w[${j + 1}][${i + 1}]`}
                      value={w}
                      onCommit={(v) => (v === null ? null : useStudio.getState().editOrReason(setWeight(edge.id, v, j, i)))}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <label className="check">
        <input type="checkbox" checked={edge.locked === true} onChange={(e) => edit(setLocked(edge.id, e.target.checked))} /> Locked
        (training leaves it alone)
      </label>
    </div>
  );
}

/**
 * "New network for this data": how many hidden layers, their sizes and activation; then a fully
 * wired, laid-out network with the inputs the data's features need and the outputs its targets
 * need, as one undoable edit that replaces the canvas.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ACTIVATIONS, ACTIVATION_NAMES, resolveDataset, targetGroups, type Activation, type TargetGroup } from '../../../engine/src/index';
import { newNetworkForData } from '../document/build-from-data';
import { useStudio } from '../state/store';
import { useNewNetworkDialog } from './new-network-state';
import './new-network.css';

/** Activations a hidden layer may use: differentiable, for a dense layer, not softmax. */
const HIDDEN_ACTIVATIONS = ACTIVATION_NAMES.filter(
  (name) => name !== 'softmax' && ACTIVATIONS[name].differentiable && (ACTIVATIONS[name].kinds as readonly string[]).includes('dense'),
);

/** What the outputs will be, in words, for the dialog's summary. */
function describeOutputs(groups: readonly TargetGroup[]): string {
  return groups
    .map((group) => {
      switch (group.kind) {
        case 'classes':
          return `a softmax layer of ${group.targets.length} for ${group.column}`;
        case 'binary':
          return `one sigmoid for ${group.targets[0]} (0/1)`;
        case 'signed':
          return `one tanh for ${group.targets[0]} (−1/+1)`;
        case 'number':
          return `${group.targets.length} linear unit${group.targets.length === 1 ? '' : 's'} for ${group.targets.join(', ')}`;
        default: {
          const never: never = group;
          return never;
        }
      }
    })
    .join('; ');
}

export function NewNetworkDialog() {
  const open = useNewNetworkDialog((s) => s.open);
  return open ? <NewNetworkForm /> : null;
}

function NewNetworkForm() {
  const hide = useNewNetworkDialog((s) => s.hide);
  const project = useStudio((s) => s.project);
  const edit = useStudio((s) => s.edit);
  const [layers, setLayers] = useState(1);
  const [sizes, setSizes] = useState<string[]>(['8', '8', '8', '8']);
  const [activation, setActivation] = useState<Activation>('tanh');
  const [problem, setProblem] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const summary = useMemo(() => {
    if (!project) return null;
    try {
      const data = resolveDataset(project.dataset);
      return { features: data.features.length, outputs: describeOutputs(targetGroups(project, data)) };
    } catch {
      return null;
    }
  }, [project]);
  if (!project) return null;

  const build = () => {
    const units = sizes.slice(0, layers).map((text) => Number(text));
    const bad = units.findIndex((u) => !Number.isInteger(u) || u < 1 || u > 4096);
    if (bad >= 0) {
      setProblem(`Hidden layer ${bad + 1} needs a whole number of units from 1 to 4096, got '${sizes[bad]}'.`);
      return;
    }
    const done = edit(newNetworkForData({ hidden: units.map((u) => ({ units: u, activation })) }));
    if (done) hide();
    else setProblem(useStudio.getState().refusal?.message ?? 'The network could not be built.');
  };

  return (
    <div
      className="modal"
      role="dialog"
      aria-modal="true"
      aria-labelledby="new-network-title"
      data-testid="new-network-dialog"
      onMouseDown={(e) => e.target === e.currentTarget && hide()}
      onKeyDown={(e) => {
        if (e.key === 'Escape') hide();
        if (e.key === 'Enter' && (e.target as HTMLElement).tagName !== 'BUTTON') build();
      }}
    >
      <div className="modal-body new-network">
        <h2 id="new-network-title">New network for this data</h2>
        <p className="hint" data-testid="new-network-summary">
          {summary
            ? `Inputs: the data's ${summary.features} feature${summary.features === 1 ? '' : 's'}. Outputs: ${summary.outputs}. The canvas is replaced (Undo brings it back).`
            : 'The data cannot be read.'}
        </p>
        <label>
          <span>Hidden layers</span>
          <input
            ref={first}
            type="number"
            min={0}
            max={4}
            value={layers}
            aria-label="Hidden layers"
            data-testid="new-network-layers"
            onChange={(e) => setLayers(Math.max(0, Math.min(4, Math.round(Number(e.target.value) || 0))))}
          />
        </label>
        {Array.from({ length: layers }, (_, k) => (
          <label key={k}>
            <span>Units in layer {k + 1}</span>
            <input
              type="number"
              min={1}
              max={4096}
              value={sizes[k]}
              aria-label={`Units in hidden layer ${k + 1}`}
              data-testid={`new-network-units-${k}`}
              onChange={(e) => setSizes(sizes.map((s, i) => (i === k ? e.target.value : s)))}
            />
          </label>
        ))}
        {layers > 0 && (
          <label>
            <span>Activation</span>
            <select
              aria-label="Hidden activation"
              value={activation}
              data-testid="new-network-activation"
              onChange={(e) => setActivation(e.target.value as Activation)}
            >
              {HIDDEN_ACTIVATIONS.map((name) => (
                <option key={name} value={name}>
                  {ACTIVATIONS[name].label}
                </option>
              ))}
            </select>
          </label>
        )}
        {problem && (
          <div className="error-text" role="alert" data-testid="new-network-problem">
            {problem}
          </div>
        )}
        <div className="modal-actions">
          <button onClick={hide}>Cancel</button>
          <button className="primary" onClick={build} data-testid="new-network-build" disabled={!summary}>
            Build
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * The inspector's feature choices, from the data's own columns: a single input's feature (a field
 * that suggests the data's features as you type, each marked with the input that already reads it)
 * and an input layer's list of features (add one or every unused one, remove, move up or down,
 * and a filter for long lists). Every change is one command, so one undo step.
 */
import { useId, useState } from 'react';
import { ChevronDown, ChevronUp, Plus, X } from 'lucide-react';
import { featuresOf, isDataInput, type InputLayerNode, type InputNode, type Project } from '../../../../engine/src/index';
import { datasetFeatures, setFeature, setFeatures } from '../../document/commands';
import type { useStudio } from '../../state/store';
import './features.css';

type Edit = ReturnType<typeof useStudio.getState>['edit'];

/** Past this many features the list gets a filter box. */
const FILTER_FROM = 12;
/** At most this many rows are drawn at once; the filter finds the rest. */
const ROWS_SHOWN = 100;

/** Which node reads each feature (the first, where two do: the compiler names the clash). */
function readers(project: Project): Map<string, string> {
  const owner = new Map<string, string>();
  for (const node of project.graph.nodes) {
    if (!isDataInput(node)) continue;
    for (const feature of featuresOf(node)) if (!owner.has(feature)) owner.set(feature, node.label ?? node.id);
  }
  return owner;
}

/** The suggestions of a feature field: the data's features, each saying which input reads it already. */
function FeatureOptions({ id, features, owners, self }: { id: string; features: string[]; owners: Map<string, string>; self: string }) {
  return (
    <datalist id={id}>
      {features.map((f) => {
        const owner = owners.get(f);
        return <option key={f} value={f} label={owner && owner !== self ? `read by ${owner}` : undefined} />;
      })}
    </datalist>
  );
}

/** True for an input event that picked one of a datalist's suggestions (rather than a typed character). */
function pickedSuggestion(event: React.ChangeEvent<HTMLInputElement>): boolean {
  return (event.nativeEvent as InputEvent).inputType === 'insertReplacementText';
}

/**
 * A single input's feature, chosen from the data's features (any name may still be typed). Keyed by
 * the node and its feature by the caller, so an undo or another edit shows the document's value.
 */
export function FeatureField({ node, project, edit }: { node: InputNode; project: Project; edit: Edit }) {
  const listId = useId();
  const features = datasetFeatures(project);
  const [text, setText] = useState(node.feature);
  const commit = (value: string) => {
    if (value.trim() && value.trim() !== node.feature) edit(setFeature(node.id, value));
    else setText(node.feature);
  };
  return (
    <>
      <label>
        Feature{' '}
        <input
          aria-label="Feature"
          list={listId}
          value={text}
          placeholder="choose…"
          onChange={(e) => {
            setText(e.target.value);
            if (pickedSuggestion(e) && features.includes(e.target.value)) commit(e.target.value);
          }}
          onBlur={(e) => commit(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit(e.currentTarget.value);
            if (e.key === 'Escape') setText(node.feature);
          }}
        />
      </label>
      <FeatureOptions id={listId} features={features} owners={readers(project)} self={node.label ?? node.id} />
      {!features.includes(node.feature) && (
        <p className="hint feature-missing" data-testid="feature-missing">
          The data has no feature ‘{node.feature}’: choose one of its {features.length}.
        </p>
      )}
    </>
  );
}

/** An input layer's features: the list in unit order, with add, remove, move and a filter. */
export function FeatureListEditor({ node, project, edit }: { node: InputLayerNode; project: Project; edit: Edit }) {
  const listId = useId();
  const [adding, setAdding] = useState('');
  const [filter, setFilter] = useState('');
  const data = datasetFeatures(project);
  const owners = readers(project);
  const features = node.features;
  const unused = data.filter((f) => !owners.has(f));
  const missing = features.filter((f) => !data.includes(f));
  const change = (next: string[], label: string) => edit(setFeatures(node.id, next, label));
  const add = (value: string) => {
    const name = value.trim();
    if (!name) return;
    if (change([...features, name], 'Add feature')) setAdding('');
  };
  const move = (k: number, by: -1 | 1) => {
    const next = [...features];
    [next[k], next[k + by]] = [next[k + by], next[k]];
    change(next, 'Move feature');
  };
  const words = filter.toLowerCase().trim();
  const matching: number[] = [];
  for (let k = 0; k < features.length; k++) if (!words || features[k].toLowerCase().includes(words)) matching.push(k);
  const rows = matching.slice(0, ROWS_SHOWN);
  return (
    <div className="feature-list" data-testid="feature-list">
      <div className="feature-list-head">
        <span>
          Features{' '}
          <span className="hint">
            ({features.length} of the data’s {data.length})
          </span>
        </span>
        {features.length > FILTER_FROM && (
          <input
            type="search"
            aria-label="Filter features"
            placeholder="Filter…"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
      </div>
      <ol className="feature-rows" aria-label="Features of the layer">
        {rows.map((k) => (
          <li key={`${k}:${features[k]}`} data-testid={`feature-row-${k}`}>
            <span className="feature-index">x{k + 1}</span>
            <span className={`feature-name${data.includes(features[k]) ? '' : ' unknown'}`} title={features[k]}>
              {features[k]}
            </span>
            <button
              type="button"
              className="icon-button"
              aria-label={`Move ${features[k]} up`}
              disabled={k === 0}
              onClick={() => move(k, -1)}
            >
              <ChevronUp size={14} aria-hidden />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Move ${features[k]} down`}
              disabled={k === features.length - 1}
              onClick={() => move(k, 1)}
            >
              <ChevronDown size={14} aria-hidden />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove ${features[k]}`}
              disabled={features.length === 1}
              title={features.length === 1 ? 'An input layer reads at least one feature' : undefined}
              onClick={() =>
                change(
                  features.filter((_, m) => m !== k),
                  'Remove feature',
                )
              }
            >
              <X size={14} aria-hidden />
            </button>
          </li>
        ))}
      </ol>
      {matching.length > rows.length && (
        <p className="hint">… {(matching.length - rows.length).toLocaleString('en')} more: type in the filter to find one.</p>
      )}
      {words && matching.length === 0 && <p className="hint">No feature of the layer contains ‘{filter}’.</p>}
      {missing.length > 0 && (
        <p className="hint feature-missing" data-testid="feature-missing">
          {missing.length === 1 ? `‘${missing[0]}’ is` : `${missing.length} of these are`} not in the data: remove{' '}
          {missing.length === 1 ? 'it' : 'them'} or choose from its {data.length} features.
        </p>
      )}
      <div className="feature-add">
        <input
          aria-label="Add a feature"
          list={listId}
          placeholder={unused.length > 0 ? `Add a feature (${unused.length} unused)…` : 'Add a feature…'}
          value={adding}
          onChange={(e) => {
            setAdding(e.target.value);
            if (pickedSuggestion(e) && data.includes(e.target.value) && !features.includes(e.target.value)) add(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') add(e.currentTarget.value);
          }}
        />
        <FeatureOptions id={listId} features={data.filter((f) => !features.includes(f))} owners={owners} self={node.label ?? node.id} />
        <button type="button" className="icon-button" aria-label="Add feature" disabled={!adding.trim()} onClick={() => add(adding)}>
          <Plus size={14} aria-hidden />
        </button>
      </div>
      {unused.length > 0 && (
        <button type="button" onClick={() => change([...features, ...unused], unused.length === 1 ? 'Add feature' : 'Add features')}>
          Add {unused.length === 1 ? `‘${unused[0]}’` : `all ${unused.length} unused features`}
        </button>
      )}
    </div>
  );
}

/**
 * An input layer on the canvas: one node for N features of the data, listing the features it reads
 * in unit order (the first few, and "… N more" to open the whole list, which scrolls inside the
 * node), with one output handle for the whole layer, as a dense layer has. While the backprop
 * inspector shows a step, each listed feature carries the value x_i the network saw.
 */
import { useState } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { INPUT_LAYER_SHOWN, type CanvasNodeData } from '../document/derive';
import { useBackprop } from '../backprop/store';
import { Num } from '../backprop/Num';
import { UnitMapsView } from './UnitMaps';
import { useInspectorRole } from './UnitNode';
import './InputLayerNode.css';

export function InputLayerNode({ id, data, selected }: NodeProps & { data: CanvasNodeData }) {
  const errors = data.issues.filter((i) => i.severity === 'error');
  const role = useInspectorRole(id);
  const values = useBackprop((s) => s.view?.units.get(id));
  const [expanded, setExpanded] = useState(false);
  const features = data.features ?? [];
  const shown = expanded ? features : features.slice(0, INPUT_LAYER_SHOWN);
  const hidden = features.length - shown.length;
  return (
    <div
      className={`unit-node kind-inputLayer${selected ? ' selected' : ''}${errors.length ? ' invalid' : ''}${role ? ` bp-${role}` : ''}`}
      title={data.issues.map((i) => i.message).join('\n') || undefined}
      data-testid={`unit-${id}`}
    >
      <div className="unit-title">
        <span className="unit-label">{data.label}</span>
      </div>
      <div className="unit-detail">
        {features.length} feature{features.length === 1 ? '' : 's'}
      </div>
      {/* nowheel and nodrag: the open list scrolls and its text selects instead of panning the canvas or moving the node. */}
      <ol
        className={`input-layer-features${expanded ? ' expanded nowheel nodrag' : ''}`}
        aria-label={`Features of ${data.label}`}
        data-testid={`features-${id}`}
      >
        {shown.map((feature, i) => (
          <li key={i} title={feature}>
            <span className="input-layer-index">x{i + 1}</span>
            <span className="input-layer-name">{feature}</span>
            {values?.[i] && <Num value={values[i].z} digits={3} testId={`badge-x-${id}-${i}`} />}
          </li>
        ))}
      </ol>
      {features.length > INPUT_LAYER_SHOWN && (
        <button
          type="button"
          className="input-layer-more nodrag"
          data-testid={`features-more-${id}`}
          aria-expanded={expanded}
          onClick={(e) => {
            // The click opens the list; it does not select the node under it.
            e.stopPropagation();
            setExpanded(!expanded);
          }}
        >
          {expanded ? 'show fewer' : `… ${hidden.toLocaleString('en')} more`}
        </button>
      )}
      {!role && <UnitMapsView nodeId={id} />}
      <Handle type="source" position={Position.Right} className="handle out" data-testid={`out-${id}`} />
    </div>
  );
}

/**
 * A node on the canvas: distinct by kind, with its label, activation glyph, bias and, for a
 * layer, its unit count; an input handle on the left (not for inputs and bias nodes) and an
 * output handle on the right. Compiler problems mark it red, with the message on hover.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { formatValue } from '../ui/format';
import type { CanvasNodeData } from '../document/derive';
import { ActivationGlyph } from './glyphs';
import { UnitMapsView } from './UnitMaps';
import { useBackprop } from '../backprop/store';
import { Num } from '../backprop/Num';

/** Where a node stands in the inspector's current stop: in focus, read by the formula, or neither. */
export function useInspectorRole(id: string): 'focus' | 'lit' | 'idle' | null {
  return useBackprop((s) => (s.view ? (s.view.focus?.nodeId === id ? 'focus' : s.view.litNodes.has(id) ? 'lit' : 'idle') : null));
}

/** s, z and δ of the node's units as the inspector has revealed them (the first four of a layer). */
function BackpropBadges({ id, kind }: { id: string; kind: CanvasNodeData['kind'] }) {
  const units = useBackprop((s) => s.view?.units.get(id));
  const focusUnit = useBackprop((s) => (s.view?.focus?.nodeId === id ? s.view.focus.unit : null));
  if (!units) return null;
  if (kind === 'input') {
    return (
      <div className="bp-badges" data-testid={`badges-${id}`}>
        <span className="bp-badge z">
          x <Num value={units[0].z} digits={3} testId={`badge-x-${id}`} />
        </span>
      </div>
    );
  }
  // The first four units, and the one in focus wherever it is in the layer.
  const shown = units.map((u, j) => ({ u, j })).filter(({ j }) => j < 4 || j === focusUnit);
  return (
    <div className="bp-badges" data-testid={`badges-${id}`}>
      {shown.map(({ u, j }) => (
        <div key={j} className={`bp-badge-row${focusUnit === j ? ' focus' : ''}`}>
          {units.length > 1 && <span className="bp-unit">{j + 1}</span>}
          <span className="bp-badge s">
            s <Num value={u.s} digits={3} testId={`badge-s-${id}-${j}`} />
          </span>
          <span className="bp-badge z">
            z <Num value={u.z} digits={3} testId={`badge-z-${id}-${j}`} />
          </span>
          <span className="bp-badge d">
            δ <Num value={u.delta} digits={3} testId={`badge-delta-${id}-${j}`} />
          </span>
        </div>
      ))}
      {units.length > shown.length && <div className="hint">+{units.length - shown.length} more units</div>}
    </div>
  );
}

export function UnitNode({ id, data, selected }: NodeProps & { data: CanvasNodeData }) {
  const errors = data.issues.filter((i) => i.severity === 'error');
  const receives = data.kind !== 'input' && data.kind !== 'bias';
  const feeds = !data.isOutput;
  const role = useInspectorRole(id);
  return (
    <div
      className={`unit-node kind-${data.kind}${selected ? ' selected' : ''}${errors.length ? ' invalid' : ''}${data.isOutput ? ' output' : ''}${role ? ` bp-${role}` : ''}`}
      title={data.issues.map((i) => i.message).join('\n') || undefined}
      data-testid={`unit-${id}`}
    >
      {receives && <Handle type="target" position={Position.Left} className="handle in" data-testid={`in-${id}`} />}
      <div className="unit-title">
        {data.activation && <ActivationGlyph activation={data.activation} />}
        <span className="unit-label">{data.label}</span>
      </div>
      <div className="unit-detail">
        {data.kind === 'input' && <>x ← {data.binding}</>}
        {data.kind === 'bias' && <>constant 1</>}
        {data.kind === 'dense' && <>{data.units} units</>}
        {data.bias && data.kind !== 'dense' && <>b = {formatValue(data.bias[0], 3)}</>}
      </div>
      {role ? <BackpropBadges id={id} kind={data.kind} /> : data.kind !== 'bias' && <UnitMapsView nodeId={id} />}
      {data.isOutput && <div className="unit-output">→ {data.binding}</div>}
      {feeds && <Handle type="source" position={Position.Right} className="handle out" data-testid={`out-${id}`} />}
    </div>
  );
}

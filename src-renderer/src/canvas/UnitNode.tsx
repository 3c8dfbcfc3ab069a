/**
 * A node on the canvas: distinct by kind, with its label, activation glyph, bias and, for a
 * layer, its unit count; an input handle on the left (not for inputs and bias nodes) and an
 * output handle on the right. Compiler problems mark it red, with the message on hover.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { formatValue } from '../format';
import type { CanvasNodeData } from '../document/derive';
import { ActivationGlyph } from './glyphs';
import { UnitMapsView } from './UnitMaps';

export function UnitNode({ id, data, selected }: NodeProps & { data: CanvasNodeData }) {
  const errors = data.issues.filter((i) => i.severity === 'error');
  const receives = data.kind !== 'input' && data.kind !== 'bias';
  const feeds = !data.isOutput;
  return (
    <div
      className={`unit-node kind-${data.kind}${selected ? ' selected' : ''}${errors.length ? ' invalid' : ''}${data.isOutput ? ' output' : ''}`}
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
      {data.kind !== 'bias' && <UnitMapsView nodeId={id} />}
      {data.isOutput && <div className="unit-output">→ {data.binding}</div>}
      {feeds && <Handle type="source" position={Position.Right} className="handle out" data-testid={`out-${id}`} />}
    </div>
  );
}

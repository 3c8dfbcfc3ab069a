/**
 * An edge drawn by its weight, as TensorFlow Playground draws them: orange for positive, blue
 * for negative, thicker for larger magnitude; the value on hover.
 */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { formatValue } from '../format';
import { edgeWidth, type CanvasEdgeData } from '../document/derive';

export function WeightedEdge(props: EdgeProps & { data: CanvasEdgeData }) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const invalid = data.issues.some((i) => i.severity === 'error');
  const value = data.count === 1 ? formatValue(data.mean, 3) : `${data.count} weights, mean ${formatValue(data.mean, 3)}`;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={`weighted-edge ${data.mean >= 0 ? 'positive' : 'negative'}${selected ? ' selected' : ''}${invalid ? ' invalid' : ''}`}
        style={{ strokeWidth: edgeWidth(data.magnitude) }}
        interactionWidth={14}
      />
      <EdgeLabelRenderer>
        <div className="edge-label" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }} title={data.issues.map((i) => i.message).join('\n') || value}>
          {data.locked ? '🔒 ' : ''}
          {data.count === 1 ? formatValue(data.mean, 2) : `${data.count}w`}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

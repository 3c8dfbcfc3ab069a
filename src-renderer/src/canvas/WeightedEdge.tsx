/**
 * An edge drawn by its weight, as TensorFlow Playground draws them: orange for positive, blue
 * for negative, thicker for larger magnitude; the value on hover.
 */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { setWeight } from '../document/commands';
import { edgeWidth, type CanvasEdgeData } from '../document/derive';
import { formatValue, formatWeight } from '../ui/format';
import { LockIcon } from '../ui/icons';
import { useStudio } from '../state/store';
import { useBackprop } from '../backprop/store';
import { useEffect, useMemo } from 'react';
import { LABEL_HEIGHT, LABEL_PLACES, labelWidth, useEdgeLabels, type Point } from './edge-labels';
import './edge-labels.css';

export function WeightedEdge(props: EdgeProps & { data: CanvasEdgeData }) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const invalid = data.issues.some((i) => i.severity === 'error');
  const value = data.count === 1 ? formatValue(data.mean, 3) : `${data.count} weights, mean ${formatValue(data.mean, 3)}`;
  const editing = useStudio((s) => s.editingWeight === id);
  // While inspecting, colour and width follow the gradient (and the label shows Δw) instead of the weight.
  const inspecting = useBackprop((s) => s.view !== null);
  const gradient = useBackprop((s) => s.view?.edges.get(id));
  const maxMagnitude = useBackprop((s) => s.view?.maxMagnitude ?? 0);
  const lit = useBackprop((s) => s.view?.litEdges.has(id) ?? false);
  const setEditing = (on: boolean) => useStudio.setState({ editingWeight: on ? id : null });
  // Where labels would overlap, the later moves along its edge, or shrinks to a dot (edge-labels.ts).
  const text =
    inspecting && gradient
      ? `∂ ${formatValue(gradient.gradient, 2)}${gradient.change !== null ? ` · Δ ${formatValue(gradient.change, 2)}` : ''}`
      : data.count === 1
        ? formatWeight(data.mean)
        : `${data.count}w`;
  const pinned = selected === true || editing || lit;
  const places = useMemo(() => placesAlong(path, { x: labelX, y: labelY }), [path, labelX, labelY]);
  const place = useEdgeLabels((s) => s.placed.get(id));
  const collapsed = place === null && !pinned;
  const at = (pinned || place === undefined || place === null ? places[0] : places[place]) ?? places[0];
  useEffect(() => {
    useEdgeLabels.getState().report({ id, places, width: labelWidth(text) + (data.locked ? 12 : 0), height: LABEL_HEIGHT, pinned });
  }, [id, places, text, pinned, data.locked]);
  useEffect(() => () => useEdgeLabels.getState().forget(id), [id]);
  const commit = (text: string) => {
    setEditing(false);
    const v = Number(text.replace(/−/g, '-'));
    if (text.trim() !== '' && Number.isFinite(v) && v !== data.mean) useStudio.getState().edit(setWeight(id, v));
  };
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={
          inspecting
            ? `weighted-edge gradient ${gradient ? (gradient.gradient > 0 ? 'ascending' : 'descending') : 'unknown'}${lit ? ' lit' : ''}`
            : `weighted-edge ${data.mean >= 0 ? 'positive' : 'negative'}${selected ? ' selected' : ''}${invalid ? ' invalid' : ''}`
        }
        style={{
          strokeWidth: inspecting
            ? gradient && maxMagnitude > 0
              ? 1 + 6 * (gradient.magnitude / maxMagnitude)
              : 1
            : edgeWidth(data.magnitude),
        }}
        interactionWidth={14}
      />
      <EdgeLabelRenderer>
        <div
          className={`edge-label nodrag nopan${collapsed ? ' collapsed' : ''}`}
          data-testid={`weight-${id}`}
          // The edge itself is named with its weight for a screen reader; the floating number would only repeat it.
          aria-hidden={editing ? undefined : true}
          style={{ transform: `translate(-50%, -50%) translate(${at.x}px, ${at.y}px)` }}
          title={
            data.issues.map((i) => i.message).join('\n') ||
            `${data.count === 1 ? `w = ${data.mean}` : value}${data.count === 1 ? ' — double-click to edit' : ' — edit in the inspector'}`
          }
          onDoubleClick={(e) => {
            e.stopPropagation();
            if (data.count === 1) setEditing(true);
            else useStudio.getState().select([id]);
          }}
        >
          {inspecting && gradient ? (
            <span
              className="bp-edge"
              title={`∂J/∂w = ${gradient.gradient}${gradient.change !== null ? `\nΔw = ${gradient.change}` : ''}${gradient.count > 1 ? `\n(mean over ${gradient.count} weights)` : ''}`}
              data-testid={`gradient-${id}`}
              data-gradient={String(gradient.gradient)}
              data-change={gradient.change === null ? '' : String(gradient.change)}
            >
              ∂ {formatValue(gradient.gradient, 2)}
              {gradient.change !== null && <> · Δ {formatValue(gradient.change, 2)}</>}
            </span>
          ) : editing ? (
            <input
              autoFocus
              aria-label="Weight on the canvas"
              className="edge-input"
              defaultValue={String(data.mean)}
              onBlur={(e) => commit(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') commit((e.target as HTMLInputElement).value);
                if (e.key === 'Escape') setEditing(false);
              }}
            />
          ) : (
            <>
              {data.locked ? (
                <>
                  <LockIcon aria-label="locked" />{' '}
                </>
              ) : (
                ''
              )}
              {data.count === 1 ? formatWeight(data.mean) : `${data.count}w`}
            </>
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

/** An SVG path element to measure edges with (never attached to the page). */
let measurer: SVGPathElement | null = null;

/**
 * The places a label may take along an edge's path ({@link LABEL_PLACES}), measured on the path
 * itself so that a moved label still sits on its curve; just the middle where SVG cannot measure.
 */
function placesAlong(path: string, middle: Point): Point[] {
  if (typeof document === 'undefined') return [middle];
  measurer ??= document.createElementNS('http://www.w3.org/2000/svg', 'path');
  measurer.setAttribute('d', path);
  const length = typeof measurer.getTotalLength === 'function' ? measurer.getTotalLength() : 0;
  if (!(length > 0)) return [middle];
  return LABEL_PLACES.map((t, k) => {
    if (k === 0) return middle;
    const p = measurer!.getPointAtLength(t * length);
    return { x: p.x, y: p.y };
  });
}

/**
 * The small map inside each unit on the canvas: the unit's output over the input plane (for
 * two-feature data), so a user sees each first-layer unit's line and how later units combine the
 * regions. The maps live in their own store, outside the document, and are recomputed at most
 * 10 times a second while the weights change; a node redraws only its own canvas.
 */
import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import type { Project } from '../../../engine/src/index';
import { regionInputs, unitMaps, type UnitMap } from '../panels/training/decision-grid';
import { useDataPreparation, useThrottled } from '../ui/use-throttled';

const MAP_SIZE = 20;

/** The maps by node, and their grid's side (smaller for wide networks: see gridSize). */
export const useUnitMaps = create<{ maps: Map<string, UnitMap[]> | null; size: number }>(() => ({ maps: null, size: MAP_SIZE }));

/** Keeps {@link useUnitMaps} in step with the project's graph and data (at most 10 times a second). */
export function useUnitMapUpdates(project: Project): void {
  const shown = useThrottled(project, 100);
  const inputs = useDataPreparation(shown, regionInputs);
  const graph = shown.graph;
  useEffect(() => {
    const result = typeof inputs === 'string' ? null : unitMaps(graph, inputs.raw, inputs.normalisation, MAP_SIZE);
    useUnitMaps.setState({ maps: result?.maps ?? null, size: result?.size ?? MAP_SIZE });
  }, [graph, inputs]);
  useEffect(() => () => useUnitMaps.setState({ maps: null }), []);
}

/** Orange above the centre, blue below, white at it: the colours of the decision regions. */
function paint(map: UnitMap, image: ImageData): void {
  const { data } = image;
  for (let i = 0; i < map.values.length; i++) {
    const t = Math.max(-1, Math.min(1, (map.values[i] - map.centre) / map.span));
    const [r, g, b] = t >= 0 ? [224, 123, 36] : [47, 111, 222];
    const a = Math.abs(t);
    data[i * 4] = Math.round(255 + (r - 255) * a);
    data[i * 4 + 1] = Math.round(255 + (g - 255) * a);
    data[i * 4 + 2] = Math.round(255 + (b - 255) * a);
    data[i * 4 + 3] = 255;
  }
}

function MapCanvas({ map, size, label }: { map: UnitMap; size: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(size, size);
    paint(map, image);
    context.putImageData(image, 0, 0);
  }, [map, size]);
  return <canvas ref={canvas} width={size} height={size} className="unit-map" aria-label={label} />;
}

/** The maps of one node (one per unit, the first few of a layer), or nothing without two features. */
export function UnitMapsView({ nodeId }: { nodeId: string }) {
  const maps = useUnitMaps((s) => s.maps?.get(nodeId));
  const size = useUnitMaps((s) => s.size);
  if (!maps || maps.length === 0) return null;
  return (
    <div className="unit-maps" data-testid={`unit-map-${nodeId}`}>
      {maps.map((map, u) => (
        <MapCanvas
          key={u}
          map={map}
          size={size}
          label={`Output of ${nodeId}${maps.length > 1 ? ` unit ${u + 1}` : ''} over the input plane`}
        />
      ))}
    </div>
  );
}

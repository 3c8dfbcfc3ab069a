/**
 * The small map inside each unit on the canvas: the unit's output over the input plane (for
 * two-feature data), so a user sees each first-layer unit's line and how later units combine the
 * regions. The maps live in their own store, outside the document, and are recomputed at most
 * 10 times a second while the weights change; a node redraws only its own canvas.
 */
import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import type { Project } from '../../../engine/src/index';
import { regionInputs, unitMaps, type UnitMap } from '../decision-grid';
import { useDataPreparation, useThrottled } from '../use-throttled';

const MAP_SIZE = 20;

export const useUnitMaps = create<{ maps: Map<string, UnitMap[]> | null }>(() => ({ maps: null }));

/** Keeps {@link useUnitMaps} in step with the project's graph and data (at most 10 times a second). */
export function useUnitMapUpdates(project: Project): void {
  const shown = useThrottled(project, 100);
  const inputs = useDataPreparation(shown, regionInputs);
  const graph = shown.graph;
  useEffect(() => {
    useUnitMaps.setState({ maps: typeof inputs === 'string' ? null : unitMaps(graph, inputs.raw, inputs.normalisation, MAP_SIZE) });
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

function MapCanvas({ map, label }: { map: UnitMap; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(MAP_SIZE, MAP_SIZE);
    paint(map, image);
    context.putImageData(image, 0, 0);
  }, [map]);
  return <canvas ref={canvas} width={MAP_SIZE} height={MAP_SIZE} className="unit-map" aria-label={label} />;
}

/** The maps of one node (one per unit, the first few of a layer), or nothing without two features. */
export function UnitMapsView({ nodeId }: { nodeId: string }) {
  const maps = useUnitMaps((s) => s.maps?.get(nodeId));
  if (!maps || maps.length === 0) return null;
  return (
    <div className="unit-maps" data-testid={`unit-map-${nodeId}`}>
      {maps.map((map, u) => (
        <MapCanvas key={u} map={map} label={`Output of ${nodeId}${maps.length > 1 ? ` unit ${u + 1}` : ''} over the input plane`} />
      ))}
    </div>
  );
}

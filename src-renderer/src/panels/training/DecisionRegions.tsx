/**
 * Decision regions: the output over the input plane, orange where the network says the positive
 * class, blue the other, paler near the boundary; the data on top. Redrawn as the weights change
 * (at most 10 times a second).
 */
import { useEffect, useMemo, useRef } from 'react';
import type { Project } from '../../../../engine/src/index';
import { decisionGrid, regionInputs } from './decision-grid';
import { useDataPreparation, useThrottled } from '../../ui/use-throttled';

export function DecisionRegions({ project }: { project: Project }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  // At most 10 redraws a second, always with the latest weights (and data and weights from the same moment).
  const shown = useThrottled(project, 100);
  const inputs = useDataPreparation(shown, regionInputs);
  const prepared = typeof inputs === 'string' ? null : inputs;
  const graph = shown.graph;

  const grid = useMemo(() => (prepared ? decisionGrid(graph, prepared.raw, prepared.normalisation) : null), [graph, prepared]);

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context || !prepared || !grid) return;
    const { width, height } = context.canvas;
    context.clearRect(0, 0, width, height);
    const cell = width / grid.size;
    const span = grid.threshold === 0 ? 1 : 0.5;
    for (let r = 0; r < grid.size; r++) {
      for (let c = 0; c < grid.size; c++) {
        const v = grid.values[r * grid.size + c];
        const confidence = Math.min(1, Math.abs(v - grid.threshold) / span);
        context.fillStyle =
          v > grid.threshold ? `rgba(224, 123, 36, ${0.15 + 0.45 * confidence})` : `rgba(47, 111, 222, ${0.15 + 0.45 * confidence})`;
        context.fillRect(c * cell, (r * height) / grid.size, cell + 1, height / grid.size + 1);
      }
    }
    const data = prepared.raw;
    const nt = data.targets.length;
    for (let n = 0; n < data.size; n++) {
      const px = ((data.x[n * 2] - grid.x[0]) / (grid.x[1] - grid.x[0])) * width;
      const py = height - ((data.x[n * 2 + 1] - grid.y[0]) / (grid.y[1] - grid.y[0])) * height;
      context.fillStyle = data.y[n * nt] > 0.5 ? '#e07b24' : '#2f6fde';
      context.strokeStyle = 'white';
      context.beginPath();
      context.arc(px, py, 2.8, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
    }
  }, [grid, prepared]);

  if (!grid) {
    return (
      <p className="hint regions-none" data-testid="decision-regions">
        Decision regions show for a network that compiles and reads two features.
      </p>
    );
  }
  return <canvas ref={canvas} width={200} height={170} className="regions" aria-label="Decision regions" data-testid="decision-regions" />;
}

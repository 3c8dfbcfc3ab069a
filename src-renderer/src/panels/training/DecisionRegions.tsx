/**
 * Decision regions: the output over the input plane, orange where the network says the positive
 * class, blue the other, paler near the boundary; the data on top. The plot is the largest square
 * its panel holds, drawn at the screen's pixel density with points sized to it, and opens larger
 * in a dialog. Redrawn as the weights change (at most 10 times a second).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Dataset, Project } from '../../../../engine/src/index';
import { EnlargeIcon } from '../../ui/icons';
import { useDataPreparation, useThrottled } from '../../ui/use-throttled';
import { decisionGrid, regionInputs, type DecisionGrid } from './decision-grid';
import { useThemeColors, withAlpha, type ThemeColors } from '../../ui/theme-colors';
import './regions.css';

/** The grid's side in the enlarged plot (the panel's is 48): finer cells for a picture four times the size. */
const LARGE_GRID = 96;

/** Paints the regions and the data into a square canvas of `side` CSS px. */
function paint(canvas: HTMLCanvasElement, grid: DecisionGrid, data: Dataset, side: number, colors: ThemeColors): void {
  const ratio = window.devicePixelRatio || 1;
  const pixels = Math.max(1, Math.round(side * ratio));
  if (canvas.width !== pixels) canvas.width = pixels;
  if (canvas.height !== pixels) canvas.height = pixels;
  const context = canvas.getContext('2d');
  if (!context) return;
  // The cells in device pixels, edge to edge: translucent cells that overlapped would draw darker seams.
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, pixels, pixels);
  const edge = (i: number) => Math.round((i * pixels) / grid.size);
  const span = grid.threshold === 0 ? 1 : 0.5;
  for (let r = 0; r < grid.size; r++) {
    for (let c = 0; c < grid.size; c++) {
      const v = grid.values[r * grid.size + c];
      const confidence = Math.min(1, Math.abs(v - grid.threshold) / span);
      context.fillStyle = withAlpha(v > grid.threshold ? colors.positive : colors.negative, 0.15 + 0.45 * confidence);
      context.fillRect(edge(c), edge(r), edge(c + 1) - edge(c), edge(r + 1) - edge(r));
    }
  }
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  // Points that stay visible as the plot grows: about 1/70 of its side, 3 to 7 px across the radius.
  const radius = Math.min(7, Math.max(3, side / 70));
  const nt = data.targets.length;
  context.lineWidth = Math.max(1, radius / 3);
  context.strokeStyle = colors.panel;
  for (let n = 0; n < data.size; n++) {
    const px = ((data.x[n * 2] - grid.x[0]) / (grid.x[1] - grid.x[0])) * side;
    const py = side - ((data.x[n * 2 + 1] - grid.y[0]) / (grid.y[1] - grid.y[0])) * side;
    context.fillStyle = data.y[n * nt] > 0.5 ? colors.positive : colors.negative;
    context.beginPath();
    context.arc(px, py, radius, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
}

/** The plot as a canvas of `side` px. */
function RegionsPlot({ grid, data, side, testId }: { grid: DecisionGrid; data: Dataset; side: number; testId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  useEffect(() => {
    if (canvas.current && side > 0) paint(canvas.current, grid, data, side, colors);
  }, [grid, data, side, colors]);
  return (
    <canvas
      ref={canvas}
      className="regions"
      style={{ width: side, height: side }}
      role="img"
      aria-label="Decision regions: the network’s output over the plane of its two inputs, with the data"
      data-testid={testId}
    />
  );
}

/** The side of the largest square the element holds (its content box), following its size. */
function useSquare(element: RefObject<HTMLElement | null>): number {
  const [side, setSide] = useState(0);
  useLayoutEffect(() => {
    const box = element.current;
    if (!box) return;
    const measure = () => setSide(Math.max(0, Math.floor(Math.min(box.clientWidth, box.clientHeight))));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, [element]);
  return side;
}

export function DecisionRegions({ project }: { project: Project }) {
  // At most 10 redraws a second, always with the latest weights (and data and weights from the same moment).
  const shown = useThrottled(project, 100);
  const inputs = useDataPreparation(shown, regionInputs);
  const prepared = typeof inputs === 'string' ? null : inputs;
  const graph = shown.graph;
  const [large, setLarge] = useState(false);
  const area = useRef<HTMLDivElement>(null);
  const side = useSquare(area);

  const grid = useMemo(() => (prepared ? decisionGrid(graph, prepared.raw, prepared.normalisation) : null), [graph, prepared]);
  const largeGrid = useMemo(
    () => (large && prepared ? decisionGrid(graph, prepared.raw, prepared.normalisation, LARGE_GRID) : null),
    [large, graph, prepared],
  );

  return (
    <div className="regions-panel">
      <div className="curves-head">
        <span className="curves-title">Decision regions</span>
        {grid && (
          <button
            type="button"
            className="regions-enlarge"
            title="Show the decision regions large"
            aria-label="Enlarge the decision regions"
            data-testid="regions-enlarge"
            onClick={() => setLarge(true)}
          >
            <EnlargeIcon size={14} aria-hidden />
          </button>
        )}
      </div>
      <div className="regions-area" ref={area}>
        {grid && prepared ? (
          <RegionsPlot grid={grid} data={prepared.raw} side={side} testId="decision-regions" />
        ) : (
          <p className="hint regions-none" data-testid="decision-regions">
            Decision regions show for a network that compiles and reads two features.
          </p>
        )}
      </div>
      {large && <LargeRegions grid={largeGrid ?? grid} data={prepared?.raw ?? null} onClose={() => setLarge(false)} />}
    </div>
  );
}

/** The plot large, in a dialog: Escape or Close dismisses it. */
function LargeRegions({ grid, data, onClose }: { grid: DecisionGrid | null; data: Dataset | null; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  // The square the window holds beside the dialog's title and foot (the dialog takes at most 90% of its height), up to 760 px.
  const side = Math.max(200, Math.floor(Math.min(760, window.innerWidth - 96, window.innerHeight * 0.9 - 150)));
  return (
    <div className="modal" role="dialog" aria-label="Decision regions" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="modal-body regions-dialog" data-testid="regions-dialog">
        <h2>Decision regions</h2>
        {grid && data ? (
          <RegionsPlot grid={grid} data={data} side={side} testId="decision-regions-large" />
        ) : (
          <p className="hint">The network no longer reads two features: there is no plane to show.</p>
        )}
        <div className="modal-actions regions-dialog-foot">
          <p className="hint">
            Orange where the network predicts the positive class, blue the other, paler near the boundary; the points are the data.
          </p>
          <button ref={close} className="primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

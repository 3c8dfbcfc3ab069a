/**
 * The chosen runs' curves overlaid in one uPlot chart, as the loss chart draws its own (Curves.tsx):
 * one series per run in the run's colour, aligned on the epochs since each run started, a log
 * loss axis (by itself past three decades, or as chosen) drawn as log10 on a linear scale. The
 * legend names each run and the settings that tell it apart ("Run 1 · η = 0.1").
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { runOverlay, type Run, type RunMetric } from '../../../../engine/src/index';
import { formatValue } from '../../ui/format';
import { decadeLabel } from './curve-data';
import { followPanel } from './chart-sizing';

/** The height the chart keeps however small its panel. */
const SMALLEST = 90;

/** What each series a run can show is called, on the axis and in the chooser. */
export const METRIC_NAMES: Readonly<Record<RunMetric, string>> = {
  loss: 'training loss',
  validationLoss: 'validation loss',
  accuracy: 'training accuracy',
  validationAccuracy: 'validation accuracy',
};

/** A run in the chart: the run, its colour and what the legend calls it. */
export interface ChartedRun {
  run: Run;
  colour: string;
  name: string;
}

export function RunsChart({ runs, metric, log }: { runs: readonly ChartedRun[]; metric: RunMetric; log: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(runs);
  latest.current = runs;
  const isLoss = metric === 'loss' || metric === 'validationLoss';
  // The chart is made again when its series change (which runs, their names and colours) or its axis does.
  const shape = `${metric}|${log}|${runs.map((r) => `${r.run.id}:${r.colour}:${r.name}`).join('|')}`;

  useEffect(() => {
    const element = host.current!;
    const style = getComputedStyle(document.documentElement);
    const muted = style.getPropertyValue('--muted').trim() || '#888';
    const valueText = (v: number | null | undefined) => (v == null ? '—' : isLoss ? formatValue(log ? 10 ** v : v, 4) : `${v.toFixed(1)}%`);
    const legendHeight = () => chart.current?.root.querySelector<HTMLElement>('.u-legend')?.offsetHeight ?? 24;
    const size = () => ({ width: Math.max(1, element.clientWidth), height: Math.max(SMALLEST, element.clientHeight - legendHeight() - 2) });
    const charted = latest.current;
    const overlay = runOverlay(
      charted.map((r) => r.run),
      metric,
      log && isLoss,
    );
    const label = isLoss ? METRIC_NAMES[metric] : `${METRIC_NAMES[metric]} %`;
    chart.current = new uPlot(
      {
        ...size(),
        scales: { x: { time: false }, y: isLoss ? { auto: true } : { range: [0, 100] } },
        axes: [
          {
            label: 'epoch of the run',
            stroke: muted,
            incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 1e6, 1e7],
          },
          {
            label: isLoss && log ? `${label} (log scale)` : label,
            stroke: muted,
            ...(isLoss && log ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200] } : {}),
            values: (_u, splits) =>
              splits.map((v) => (v == null ? '' : isLoss && log ? decadeLabel(v) : isLoss ? formatValue(v, 3) : String(v))),
            size: (_u, values) => {
              let longest = 3;
              for (const v of values ?? []) longest = Math.max(longest, v.length);
              return 30 + longest * 7;
            },
          },
        ],
        series: [
          { label: 'epoch' },
          ...charted.map((r, i) => ({
            label: r.name,
            stroke: r.colour,
            width: 2,
            // Past ten runs the colours repeat: a dash tells the second round apart.
            ...(i >= 10 ? { dash: [6, 3] } : {}),
            // Compaction leaves each run its own epochs: a line bridges the epochs another run kept.
            spanGaps: true,
            value: (_u: uPlot, v: number | null) => valueText(v),
          })),
        ],
      },
      [overlay.epochs, ...overlay.series] as uPlot.AlignedData,
      element,
    );
    return followPanel(chart, element, size);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `shape` stands for the runs' identities; their data arrive by setData below.
  }, [shape]);

  useEffect(() => {
    const u = chart.current;
    if (!u) return;
    const overlay = runOverlay(
      runs.map((r) => r.run),
      metric,
      log && isLoss,
    );
    u.setData([overlay.epochs, ...overlay.series] as uPlot.AlignedData);
  }, [runs, metric, log, isLoss]);

  return (
    <div
      className="runs-chart"
      ref={host}
      data-testid="runs-chart"
      role="figure"
      aria-label={`${METRIC_NAMES[metric]} per epoch of the chosen runs: ${runs.map((r) => r.name).join('; ') || 'none chosen'}`}
    />
  );
}

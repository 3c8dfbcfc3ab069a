/**
 * Loss and accuracy per epoch, for training and validation, drawn with uPlot and redrawn as
 * epochs arrive (setData, not a new chart). The chart takes the height of its panel in the dock;
 * the legend reads out the last epoch's values, or the hovered epoch's. The loss axis turns
 * logarithmic by itself when the loss spans more than three decades (a checkbox overrides it).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EpochRecord } from '../../../../engine/src/index';
import { formatValue } from '../../ui/format';
import { LOG_SCALE_DECADES, curveData, decadeLabel, logLossAxis } from './curve-data';
import './curves.css';
import { followPanel } from './chart-sizing';

/** The height the chart keeps however small its panel: its axes and a few rows of plot. */
const SMALLEST = 90;

/** The legend's value after hovering ends: the last epoch's, so it never reads "--" while there is a history. */
function showLastEpoch(u: uPlot): void {
  const epochs = u.data[0]?.length ?? 0;
  if (u.cursor.idx == null && epochs > 0) u.setLegend({ idx: epochs - 1 }, false);
}

/** `title` takes the place of the chart's heading (the dock puts its view tabs there). */
export function Curves({ history, title }: { history: readonly EpochRecord[]; title?: ReactNode }) {
  const [choice, setChoice] = useState<boolean | null>(null);
  const log = logLossAxis(history, choice);
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(history);
  latest.current = history;

  // A new chart when the loss axis changes between linear and log (uPlot fixes a scale's kind at creation).
  useEffect(() => {
    const element = host.current!;
    const style = getComputedStyle(document.documentElement);
    const colour = (name: string) => style.getPropertyValue(name).trim() || '#888';
    // The legend reads the loss itself, also where the chart draws its log10.
    const lossText = (v: number | null | undefined) => (v == null ? '—' : formatValue(log ? 10 ** v : v, 4));
    const percentText = (v: number | null | undefined) => (v == null ? '—' : `${v.toFixed(1)}%`);
    const legendHeight = () => chart.current?.root.querySelector<HTMLElement>('.u-legend')?.offsetHeight ?? 44;
    const size = () => ({ width: Math.max(1, element.clientWidth), height: Math.max(SMALLEST, element.clientHeight - legendHeight() - 2) });
    chart.current = new uPlot(
      {
        ...size(),
        scales: {
          x: { time: false },
          loss: { auto: true },
          acc: { range: [0, 100] },
        },
        axes: [
          // Epochs are whole numbers: no ticks at 0.2, 0.4… while the history is short.
          {
            label: 'epoch',
            stroke: colour('--muted'),
            incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000],
          },
          {
            scale: 'loss',
            label: log ? 'loss (log scale)' : 'loss',
            stroke: colour('--muted'),
            // On the log axis the values are exponents: ticks at whole decades, labelled as powers of ten.
            ...(log ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200] } : {}),
            values: (_u, splits) => splits.map((v) => (v == null ? '' : log ? decadeLabel(v) : formatValue(v, 3))),
            // Room for the longest label ("1.00e+292"), about 7 px a character at the axis's size.
            size: (_u, values) => {
              let longest = 3;
              for (const v of values ?? []) longest = Math.max(longest, v.length);
              return 30 + longest * 7;
            },
          },
          { scale: 'acc', side: 1, label: 'accuracy %', stroke: colour('--muted'), grid: { show: false } },
        ],
        series: [
          { label: 'epoch' },
          { label: 'loss', scale: 'loss', stroke: colour('--positive'), width: 2, value: (_u, v) => lossText(v) },
          {
            label: 'validation loss',
            scale: 'loss',
            stroke: colour('--positive'),
            dash: [6, 4],
            width: 1.5,
            value: (_u, v) => lossText(v),
          },
          { label: 'accuracy', scale: 'acc', stroke: colour('--accent'), width: 2, value: (_u, v) => percentText(v) },
          {
            label: 'validation accuracy',
            scale: 'acc',
            stroke: colour('--accent'),
            dash: [6, 4],
            width: 1.5,
            value: (_u, v) => percentText(v),
          },
        ],
        hooks: { setCursor: [showLastEpoch], ready: [showLastEpoch] },
      },
      curveData(latest.current, log),
      element,
    );
    return followPanel(chart, element, size);
  }, [log]);

  useEffect(() => {
    const u = chart.current;
    if (!u) return;
    u.setData(curveData(history, log));
    showLastEpoch(u);
  }, [history, log]);

  return (
    <div className="curves-panel">
      <div className="curves-head">
        {title ?? <span className="curves-title">Loss and accuracy</span>}
        <label
          className="curves-log"
          title={`A logarithmic loss axis: on by itself when the loss spans more than ${LOG_SCALE_DECADES} decades (then a linear axis shows a flat line)`}
        >
          <input type="checkbox" checked={log} onChange={(e) => setChoice(e.target.checked)} data-testid="log-loss" />
          log loss axis{choice === null && log ? ' (auto)' : ''}
        </label>
      </div>
      <div className="curves" ref={host} data-testid="curves" />
    </div>
  );
}

/**
 * Loss and accuracy per epoch, for training and validation, drawn with uPlot and redrawn as
 * epochs arrive (setData, not a new chart); hovering reads the values out in the legend.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EpochRecord } from '../../../../engine/src/index';
import { curveData } from './curve-data';

export function Curves({ history }: { history: readonly EpochRecord[] }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = host.current!;
    const style = getComputedStyle(document.documentElement);
    const colour = (name: string) => style.getPropertyValue(name).trim() || '#888';
    chart.current = new uPlot(
      {
        width: element.clientWidth || 600,
        height: 170,
        scales: { x: { time: false }, loss: { auto: true }, acc: { range: [0, 100] } },
        axes: [
          // Epochs are whole numbers: no ticks at 0.2, 0.4… while the history is short.
          {
            label: 'epoch',
            stroke: colour('--muted'),
            incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000],
          },
          { scale: 'loss', label: 'loss', stroke: colour('--muted') },
          { scale: 'acc', side: 1, label: 'accuracy %', stroke: colour('--muted'), grid: { show: false } },
        ],
        series: [
          { label: 'epoch' },
          { label: 'loss', scale: 'loss', stroke: colour('--positive'), width: 2 },
          { label: 'validation loss', scale: 'loss', stroke: colour('--positive'), dash: [6, 4], width: 1.5 },
          { label: 'accuracy', scale: 'acc', stroke: colour('--accent'), width: 2 },
          { label: 'validation accuracy', scale: 'acc', stroke: colour('--accent'), dash: [6, 4], width: 1.5 },
        ],
      },
      curveData([]),
      element,
    );
    const resize = new ResizeObserver(() => chart.current?.setSize({ width: element.clientWidth, height: 170 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setData(curveData(history));
  }, [history]);

  return <div className="curves" ref={host} data-testid="curves" />;
}

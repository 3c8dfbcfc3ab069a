/**
 * A uPlot chart that follows its panel: resized when the panel or the legend under it changes
 * size (the legend wraps onto more rows as the panel narrows), and destroyed with it.
 */
import type uPlot from 'uplot';

/**
 * Keeps `chart.current` at `size()` as `element` and its legend change size; returns the cleanup
 * that stops following and destroys the chart.
 */
export function followPanel(
  chart: { current: uPlot | null },
  element: HTMLElement,
  size: () => { width: number; height: number },
): () => void {
  const resize = new ResizeObserver(() => chart.current?.setSize(size()));
  resize.observe(element);
  const legend = chart.current?.root.querySelector('.u-legend');
  if (legend) resize.observe(legend);
  chart.current?.setSize(size());
  return () => {
    resize.disconnect();
    chart.current?.destroy();
    chart.current = null;
  };
}

/**
 * The gradient check: every analytic ∂J/∂w of the traced step next to a central finite
 * difference of the loss, and their relative error, so a user can verify backprop themselves.
 */
import { useMemo } from 'react';
import { GRADIENT_CHECK_ZERO, gradientCheck, type GradientCheckResult } from '../../../engine/src/index';
import { useStudio } from '../state/store';
import type { Inspection } from './inspection';
import { Num } from './Num';
import { formatValue } from '../ui/format';

/** Below this a relative error counts as agreement (the bar for float64 central differences). */
const AGREES = 1e-6;

export function GradientCheck({ inspection }: { inspection: Inspection }) {
  const loss = useStudio((s) => s.project?.hyperparameters.loss ?? 'squaredError');
  const result = useMemo((): GradientCheckResult | string => {
    try {
      return gradientCheck(
        inspection.model,
        inspection.params,
        inspection.data,
        inspection.trace.samples.map((s) => s.index),
        loss,
      );
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }, [inspection, loss]);
  if (typeof result === 'string') {
    return (
      <p className="error-text" role="alert" data-testid="gradient-check-error">
        {result}
      </p>
    );
  }
  // A nudge across a ReLU's kink measures the slope on both sides: no verdict there.
  const checked = result.rows.filter((r) => !r.kink);
  const failures = checked.filter((r) => !(r.relativeError < AGREES)).length;
  const kinks = result.rows.length - checked.length;
  // Shown as measured: the verdict forgives differences within the estimate's own round-off, the
  // number does not hide them.
  const measured = (r: { analytic: number; numeric: number }) =>
    Math.abs(r.analytic - r.numeric) / Math.max(Math.abs(r.analytic), Math.abs(r.numeric), 1e-300);
  // A loop, not a spread into Math.max: a large network checks more parameters than a spread takes.
  let largest = 0;
  for (const r of checked) {
    const m = measured(r);
    if (Number.isFinite(m) && m > largest) largest = m;
  }
  return (
    <div className="bp-detail" data-testid="gradient-check">
      <h3>Gradient check</h3>
      <p className="formula">
        numeric ∂J/∂w ≈ [8(J(w + h) − J(w − h)) − (J(w + 2h) − J(w − 2h))] / 12h, h = 3·10⁻⁴·max(1, |w|), relative error = |a − n| /
        max(|a|, |n|)
      </p>
      <p className={failures ? 'error-text' : 'ok-text'} data-testid="gradient-check-summary">
        {failures === 0
          ? `All ${checked.length} gradients agree: the largest relative error is ${formatValue(largest, 3)}.`
          : `${failures} of ${checked.length} gradients differ by more than ${AGREES} (largest ${formatValue(result.maxRelativeError, 3)}).`}
        {kinks > 0 && ` ${kinks} not checkable here: a nudge crosses a ReLU's kink at s = 0.`}
      </p>
      <table className="bp-table">
        <thead>
          <tr>
            <th>parameter</th>
            <th>backprop</th>
            <th>finite difference</th>
            <th>relative error</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((row, k) => (
            <tr key={row.param} className={!row.kink && !(row.relativeError < AGREES) ? 'bad' : undefined}>
              <td>{row.name}</td>
              <td>
                <Num value={row.analytic} digits={8} />
              </td>
              <td>
                <Num value={row.numeric} digits={8} />
              </td>
              <td
                data-testid={`gradient-error-${k}`}
                data-value={String(measured(row))}
                title={
                  row.relativeError === 0 && measured(row) > 0
                    ? Math.max(Math.abs(row.analytic), Math.abs(row.numeric)) < GRADIENT_CHECK_ZERO
                      ? 'Both are below 10⁻⁹: counted as zero'
                      : 'Within the finite difference’s own round-off'
                    : undefined
                }
              >
                {row.kink ? 'at a kink' : measured(row) === 0 ? '0' : formatValue(measured(row), 3)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

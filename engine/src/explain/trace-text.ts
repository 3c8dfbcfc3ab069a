/**
 * A step trace as plain text: the lecture's formulas with the numbers in them, phase by phase.
 * The CLI prints this; the inspector's export builds on it.
 */
import type { StepTrace } from './trace';
import { formatTraceNumber } from './trace';

/** The optimiser's settings as "momentum α = 0.9, " (each followed by a comma and a space). */
function optimiserSettingsText(optimiser: NonNullable<StepTrace['optimiser']>): string {
  return optimiser.settings.map((setting) => `${setting.symbol === 'α' ? 'momentum α' : setting.symbol} = ${setting.value}, `).join('');
}

/** A traced sample by its dataset row: a step trains on training rows only. */
const trainingRowLabel = (row: number) => `row ${row} (training split)`;

/**
 * Renders a trace as lines of text.
 * @param sampleLabel How to name a sample by its dataset row (e.g. "row 3 (training split)").
 */
export function traceToText(trace: StepTrace, sampleLabel: (row: number) => string = trainingRowLabel): string {
  const lines: string[] = [];
  const gd = trace.algorithm === 'gradientDescent';
  const optimiser = trace.optimiser;
  const settings = optimiser
    ? `η = ${trace.learningRate}, ${optimiserSettingsText(optimiser)}L1 λ₁ = ${trace.l1}, L2 λ₂ = ${trace.l2}`
    : `η = ${trace.learningRate}`;
  // A batch's rows once as "rows 4, 9, 12 (training split)" rather than the split said per row.
  const rows =
    sampleLabel === trainingRowLabel
      ? `rows ${trace.samples.map((s) => s.row).join(', ')} (training split)`
      : trace.samples.map((s) => sampleLabel(s.row)).join(', ');
  const which = trace.samples.length === 1 ? sampleLabel(trace.samples[0].row) : `a mini-batch of ${trace.samples.length} samples: ${rows}`;
  const method = !optimiser
    ? 'perceptron rule'
    : optimiser.name === 'sgd'
      ? 'gradient descent'
      : `gradient descent with ${optimiser.label}`;
  lines.push(`One training step (${method}) on ${which}; ${settings}.`);

  for (const sample of trace.samples) {
    lines.push('');
    if (trace.samples.length > 1) lines.push(`── ${sampleLabel(sample.row)} ──`);
    lines.push(`Inputs: ${sample.inputs.map((i) => `${i.feature} = ${formatTraceNumber(i.value, false)}`).join(', ')}`);
    lines.push('');
    lines.push('1. Forward, in topological order: s_j = Σ_i w_ji x_ji + b_j,  z_j = φ(s_j)');
    for (const unit of sample.forward) lines.push(`   ${unit.text}`);
    lines.push('');
    lines.push(`2. Loss: ${trace.lossFormula}`);
    for (const term of sample.lossTerms) {
      lines.push(
        `   ${term.name} → ${term.target}: t = ${formatTraceNumber(term.t, false)}, z = ${formatTraceNumber(term.z, false)}, term = ${formatTraceNumber(term.value, false)}`,
      );
    }
    lines.push(`   J = ${formatTraceNumber(sample.loss, false)}`);
    if (gd) {
      lines.push('');
      lines.push('3. Backward, in reverse order: δ_j = −∂J/∂s_j');
      for (const unit of sample.backward) {
        lines.push(`   ${unit.name} (${unit.role}): ${unit.rule}`);
        lines.push(`      ${unit.text}`);
      }
    }
  }

  lines.push('');
  if (trace.samples.length > 1) lines.push(`Mean loss over the batch: J = ${formatTraceNumber(trace.meanLoss, false)}`);
  lines.push(
    optimiser
      ? `4. Update${optimiser.name === 'sgd' ? '' : ` (${optimiser.label}${optimiser.name === 'adam' ? `, t = ${optimiser.t}` : ''})`}: ∂J/∂w_ji = −δ_j x_ji${trace.samples.length > 1 ? ' (mean over the batch)' : ''};  g = ∂J/∂w_ji + λ₂ w + λ₁ sign w;  ${optimiser.formula};  w ← w + Δw`
      : '4. Update (perceptron rule): Δw_ji = η (t_j − y_j) x_ji;  w ← w + Δw',
  );
  for (const update of trace.updates) {
    const parts = [`${formatTraceNumber(update.gradientPart, false)}`];
    if (update.momentumPart !== 0)
      parts.push(`${formatTraceNumber(update.momentumPart)} (${optimiser?.partSymbols.memoryName ?? 'memory'})`);
    if (update.l1Part !== 0) parts.push(`${formatTraceNumber(update.l1Part)} (L1)`);
    if (update.l2Part !== 0) parts.push(`${formatTraceNumber(update.l2Part)} (L2)`);
    const change =
      parts.length > 1 ? `${parts.join(' + ')} = ${formatTraceNumber(update.change, false)}` : formatTraceNumber(update.change, false);
    const locked = update.locked ? '  [locked: not changed]' : '';
    // The optimiser's own numbers (Adam's m, v, m̂, v̂), and g where regularisation made it differ from ∂J/∂w.
    const own = update.quantities.map((quantity) => `${quantity.symbol} = ${formatTraceNumber(quantity.value, false)}`);
    if (gd && update.g !== update.gradient) own.unshift(`g = ${formatTraceNumber(update.g, false)}`);
    const extra = own.length > 0 ? `,  ${own.join(', ')}` : '';
    lines.push(
      `   ${update.name}: ∂J/∂${update.kind === 'bias' ? 'b' : 'w'} = ${formatTraceNumber(update.gradient, false)}${extra},  Δ${update.kind === 'bias' ? 'b' : 'w'} = ${change},  ${formatTraceNumber(update.old, false)} → ${formatTraceNumber(update.new, false)}${locked}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

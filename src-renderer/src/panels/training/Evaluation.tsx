/**
 * How well the network does now, split by split: loss and accuracy on training, validation and
 * test, the confusion matrix of a classifier, or predicted against target for a regression.
 * Recomputed from the document's weights at most twice a second while they change (less often
 * when one evaluation is costly).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useDataPreparation, useThrottled } from '../../ui/use-throttled';
import { evaluateProject, projectData, TrainingSetupError, type Project, type ProjectEvaluation } from '../../../../engine/src/index';
import { formatPercent, formatValue } from '../../ui/format';
import { confusionClassNames } from './class-names';
import { useThemeColors } from '../../ui/theme-colors';

type Split = 'train' | 'validation' | 'test';
const SPLITS: Split[] = ['train', 'validation', 'test'];

/**
 * The evaluation of the project's current weights, at most twice a second — and, for a large
 * network on a large dataset, no more often than keeps it under a tenth of the renderer's time
 * (the interval follows the last evaluation's cost). An error message when it cannot run.
 */
function useEvaluation(project: Project): ProjectEvaluation | string {
  const [interval, setEvery] = useState(500);
  const shown = useThrottled(project, interval);
  const prepared = useDataPreparation(shown, projectData);
  const cost = useRef(0);
  const result = useMemo(() => {
    if (typeof prepared === 'string') return prepared;
    const started = performance.now();
    try {
      return evaluateProject(shown, prepared);
    } catch (error) {
      // One problem, not the sentence of every problem joined: the Problems list has them all.
      if (error instanceof TrainingSetupError && error.issues.length > 1) {
        return `Cannot evaluate: ${error.issues[0].message} (and ${error.issues.length - 1} more problems; see Problems)`;
      }
      return error instanceof Error ? error.message : String(error);
    } finally {
      cost.current = performance.now() - started;
    }
  }, [shown.graph, shown.hyperparameters.loss, prepared]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => setEvery(Math.max(500, Math.round(cost.current * 10))), [result]);
  return result;
}

export function EvaluationPanel({ project }: { project: Project }) {
  const evaluation = useEvaluation(project);
  const [chosen, setChosen] = useState<Split>('train');
  if (typeof evaluation === 'string') {
    return (
      <div className="evaluation" data-testid="evaluation">
        <p className="hint">{evaluation}</p>
      </div>
    );
  }
  const { splits, regression } = evaluation;
  const split = splits[chosen].size > 0 ? chosen : 'train';
  const confusion = splits[split].confusion;
  // A binary target imported from labels names its classes ("B (0)", "M (1)"), as the data does.
  const classNames = confusion ? confusionClassNames(project, confusion.classes) : [];
  return (
    <div className="evaluation" data-testid="evaluation">
      <table
        className="splits"
        aria-label="Loss and accuracy per split"
        title="Measured now, with the network’s current weights, on every sample of each split"
      >
        <caption>with the current weights</caption>
        <thead>
          <tr>
            <th>split</th>
            <th>n</th>
            <th>loss</th>
            {!regression && <th>acc</th>}
          </tr>
        </thead>
        <tbody>
          {SPLITS.map((s) => (
            <tr
              key={s}
              className={s === split ? 'chosen' : undefined}
              onClick={() => splits[s].size > 0 && setChosen(s)}
              data-testid={`split-${s}`}
            >
              <td>{s}</td>
              <td>{splits[s].size}</td>
              <td>{splits[s].size ? formatValue(splits[s].loss) : '—'}</td>
              {!regression && <td data-testid={`accuracy-${s}`}>{splits[s].size ? formatPercent(splits[s].accuracy) : '—'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {confusion && (
        <table className="confusion" aria-label={`Confusion matrix on the ${split} split`} data-testid="confusion">
          <caption>{split}: true ↓ predicted →</caption>
          <thead>
            <tr>
              <th />
              {classNames.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {confusion.matrix.map((row, r) => (
              <tr key={r}>
                <th>{classNames[r]}</th>
                {row.map((count, c) => (
                  <td key={c} className={r === c ? 'hit' : count > 0 ? 'miss' : undefined}>
                    {count}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {regression && <PredictedVsTarget points={regression.points[split]} target={regression.target} split={split} />}
    </div>
  );
}

/** Each sample's prediction against its target, with the line where they are equal. */
function PredictedVsTarget({ points, target, split }: { points: { predicted: number; actual: number }[]; target: string; split: Split }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const { width, height } = context.canvas;
    context.clearRect(0, 0, width, height);
    // A loop, not a spread into Math.min: a spread of 100,000 points overflows the stack.
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) {
      for (const v of [p.predicted, p.actual]) {
        if (!Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    const pad = 8;
    const scale = (v: number) => pad + ((v - lo) / (hi - lo || 1)) * (width - 2 * pad);
    context.strokeStyle = colors.muted;
    context.beginPath();
    context.moveTo(scale(lo), height - scale(lo));
    context.lineTo(scale(hi), height - scale(hi));
    context.stroke();
    context.fillStyle = colors.negative;
    for (const p of points) {
      context.beginPath();
      context.arc(scale(p.actual), height - scale(p.predicted), 2.5, 0, 2 * Math.PI);
      context.fill();
    }
  }, [points, colors]);
  return (
    <canvas
      ref={canvas}
      width={170}
      height={170}
      className="regions"
      aria-label={`Predicted against target ${target} on the ${split} split`}
      data-testid="predicted-vs-target"
    />
  );
}

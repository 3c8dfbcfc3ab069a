/**
 * The backprop inspector's panel: which sample, where in the step (phase chips, previous/next,
 * a scrubber over every stop), and the current stop's formula with its numbers — the lecture's
 * s_j, z_j, δ_j, ∂J/∂w_ji and Δw_ji. Also the gradient check and the trace's export.
 */
import { useEffect, useState } from 'react';
import {
  ACTIVATIONS,
  OPTIMISERS,
  OPTIMISER_SETTINGS,
  traceFormulasLatex as latex,
  type Activation,
  type ParameterUpdate,
  type SampleTrace,
  type StepTrace,
  type UnitBackward,
} from '../../../engine/src/index';
import { useStudio } from '../state/store';
import { PHASES, positionOfRow, rowOfData, type Inspection, type InspectorStep } from './inspection';
import { Num } from './Num';
import { useBackprop } from './store';
import { GradientCheck } from './GradientCheck';
import { ExportMenu } from './ExportMenu';
import { QuizStop, QuizToggle } from './Quiz';
import { LockIcon } from '../ui/icons';
import { Tex } from '../ui/Tex';
import './formulas.css';

const PHASE_LABEL = { forward: 'forward', loss: 'loss', backward: 'backward', update: 'update' } as const;

export function BackpropPanel() {
  const { inspection, cursor, error, request, stepsTaken } = useBackprop();
  const bp = useBackprop.getState();
  const training = useStudio((s) => s.training.state);
  const running = training === 'running';
  const [checking, setChecking] = useState(false);
  useEffect(() => setChecking(false), [inspection]);

  if (error || !inspection) {
    return (
      <div className="backprop" data-testid="backprop">
        <Header inspection={null} />
        <p className="error-text" role="alert" data-testid="backprop-error">
          {error ?? 'Nothing to inspect yet.'}
        </p>
      </div>
    );
  }
  const step = inspection.steps[cursor];
  const last = inspection.steps.length - 1;
  return (
    <div className="backprop" data-testid="backprop">
      <Header inspection={inspection} />
      <div className="bp-controls">
        <div className="bp-phases" role="group" aria-label="Phases">
          {PHASES.map((phase) => {
            const has = inspection.steps.some((s) => s.phase === phase);
            return (
              <button
                key={phase}
                disabled={!has}
                className={step.phase === phase ? 'chip current' : 'chip'}
                onClick={() => bp.toPhase(phase)}
                data-testid={`phase-${phase}`}
              >
                {PHASE_LABEL[phase]}
              </button>
            );
          })}
        </div>
        <button onClick={bp.previous} disabled={cursor === 0} title="Previous stop ([)" data-testid="bp-previous">
          ◀ Previous
        </button>
        <button onClick={bp.next} disabled={cursor === last} title="Next stop (])" data-testid="bp-next">
          Next ▶
        </button>
        <button onClick={bp.toEnd} disabled={cursor === last} title="Run to the end of this step (End)">
          ⇥ To the update
        </button>
        <input
          type="range"
          min={0}
          max={last}
          value={cursor}
          onChange={(e) => bp.go(Number(e.target.value))}
          aria-label="Stops of this training step"
          className="bp-scrubber"
          data-testid="bp-scrubber"
        />
        <span className="readout" data-testid="bp-position">
          {cursor + 1} / {last + 1}
        </span>
        <button
          className="primary"
          onClick={bp.applyAndContinue}
          disabled={running}
          title="Apply this update to the weights (undoable) and trace the next training step (Shift+])"
          data-testid="bp-apply"
        >
          Apply, next {request.samples.length > 1 ? 'batch' : 'sample'} ▶
        </button>
        <button
          onClick={() => setChecking((c) => !c)}
          data-testid="bp-gradient-check"
          title="Compare every ∂J/∂w of this step with a central finite difference"
        >
          Gradient check
        </button>
        <QuizToggle />
        <ExportMenu trace={inspection.trace} />
        {stepsTaken > 0 && (
          <span className="hint">
            {stepsTaken} step{stepsTaken === 1 ? '' : 's'} applied
          </span>
        )}
      </div>
      {running && (
        <p className="hint">Training is running: the inspector shows the weights it had when it was paused; pause to follow them.</p>
      )}
      <div className="bp-body">
        {checking ? (
          <GradientCheck inspection={inspection} />
        ) : (
          <QuizStop inspection={inspection} step={step} detail={<StopDetail inspection={inspection} step={step} />} />
        )}
        <RowPicker inspection={inspection} chosen={request.samples} />
      </div>
    </div>
  );
}

/** How many dataset rows the picker lists (a row beyond them is chosen by number). */
const LISTED_ROWS = 500;

/** How the row table names each split. */
const SPLIT_LABEL = { train: 'training', validation: 'validation', test: 'test' } as const;

/**
 * The dataset's rows in file order, numbered as the file numbers them, each with its split and
 * its numbers as the network sees them (normalised). Clicking a training row traces a step on
 * it; validation and test rows are listed (so the numbering has no gaps) but are not trained on.
 */
function RowPicker({ inspection, chosen }: { inspection: Inspection; chosen: number[] }) {
  const { model, places } = inspection;
  const nf = model.features.length;
  const nt = model.targets.length;
  const size = places.split.length;
  const rows = Math.min(size, LISTED_ROWS);
  return (
    <div className="bp-rows">
      <table className="bp-table" aria-label="Dataset rows" data-testid="bp-rows">
        <thead>
          <tr>
            <th>row</th>
            <th>split</th>
            {model.features.map((f) => (
              <th key={f}>{f}</th>
            ))}
            {model.targets.map((t) => (
              <th key={t}>{t}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, n) => {
            const row = rowOfData(inspection, n);
            const training = row.split === 'train';
            const className = training ? (chosen.includes(row.position) ? 'chosen' : undefined) : 'other-split';
            return (
              <tr
                key={n}
                className={className}
                onClick={training ? () => useBackprop.getState().chooseSample(row.position) : undefined}
                title={training ? undefined : `In the ${SPLIT_LABEL[row.split]} split: a training step uses training rows only`}
                data-testid={`bp-row-${n}`}
                data-split={row.split}
              >
                <td>{n}</td>
                <td>{SPLIT_LABEL[row.split]}</td>
                {Array.from({ length: nf }, (_, f) => (
                  <td key={f}>
                    <Num value={row.x[f]} digits={3} />
                  </td>
                ))}
                {Array.from({ length: nt }, (_, k) => (
                  <td key={k}>
                    <Num value={row.t[k]} digits={3} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {size > rows && <p className="hint">{size - rows} more rows: choose one by number above.</p>}
    </div>
  );
}

/** The sample (or batch) being traced, with a way to choose another. */
function Header({ inspection }: { inspection: Inspection | null }) {
  const bp = useBackprop.getState();
  const request = useBackprop((s) => s.request);
  const fromRun = useBackprop((s) => s.fromRun);
  const sample = inspection?.trace.samples[0];
  // The dataset row the user sees (the store keeps training positions).
  const first = sample ? sample.row : request.samples[0];
  const [row, setRow] = useState(String(first));
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => {
    setRow(String(first));
    setRefusal(null);
  }, [first]);
  const choose = () => {
    const n = Number(row);
    if (!inspection || row.trim() === '' || !Number.isInteger(n)) return setRefusal(`“${row}” is not a row number; rows count from 0.`);
    const place = positionOfRow(inspection, n);
    if ('refusal' in place) return setRefusal(place.refusal);
    setRefusal(null);
    bp.chooseSample(place.position);
  };
  return (
    <div className="bp-header">
      <b>Backprop inspector</b>
      <label>
        row
        <input
          className="bp-row"
          aria-label="Dataset row to inspect"
          value={row}
          onChange={(e) => setRow(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && choose()}
          data-testid="bp-row"
        />
      </label>
      {sample && request.samples.length === 1 && (
        <span className="hint" data-testid="bp-split">
          training split
        </span>
      )}
      {refusal && (
        <span className="error-text" role="alert" data-testid="bp-row-refusal">
          {refusal}
        </span>
      )}
      {inspection && request.samples.length > 1 && (
        <span className="hint" data-testid="bp-batch-rows">
          mini-batch of {request.samples.length}: rows {inspection.trace.samples.map((s) => s.row).join(', ')} (training split)
        </span>
      )}
      {fromRun && (
        <span
          className="hint"
          data-testid="bp-from-run"
          title="The rows and momentum memory training goes on with (the paused run’s, or the ones saved with the project): applying this step does what training would have done, and counts it"
        >
          training’s next step
        </span>
      )}
      {sample && request.samples.length === 1 && (
        <span className="bp-sample" data-testid="bp-sample">
          x = (
          {sample.inputs.map((input, i) => (
            <span key={input.feature}>
              {i > 0 && ', '}
              <Num value={input.value} />
            </span>
          ))}
          ), t = (
          {sample.lossTerms.map((term, k) => (
            <span key={term.target}>
              {k > 0 && ', '}
              <Num value={term.t} />
            </span>
          ))}
          )
        </span>
      )}
      <button className="bp-close" onClick={bp.close} aria-label="Close the inspector" data-testid="bp-close">
        ✕
      </button>
    </div>
  );
}

function StopDetail({ inspection, step }: { inspection: Inspection; step: InspectorStep }) {
  const { trace } = inspection;
  if (step.phase === 'update')
    return (
      <UpdateDetail
        trace={trace}
        updates={step.updates.map((i) => trace.updates[i])}
        name={trace.samples[0].forward.find((u) => u.nodeId === step.nodeId && u.unit === step.unit)!.name}
      />
    );
  const sample = trace.samples[step.sample];
  const prefix =
    trace.samples.length > 1 ? (
      <p className="hint">
        Sample {step.sample + 1} of {trace.samples.length} (row {sample.row}, training split)
      </p>
    ) : null;
  if (step.phase === 'forward')
    return (
      <>
        {prefix}
        <ForwardDetail sample={sample} unit={step.unit} />
      </>
    );
  if (step.phase === 'loss')
    return (
      <>
        {prefix}
        <LossDetail trace={trace} sample={sample} />
      </>
    );
  return (
    <>
      {prefix}
      <BackwardDetail trace={trace} sample={sample} unit={step.unit} />
    </>
  );
}

/** A unit's z_j with its activation's formula: z_j = φ(s) = …, or the softmax's z_k = e^{s_k} / Σ_m e^{s_m}. */
function activationTex(activation: Activation, name: string): string {
  const formula = ACTIVATIONS[activation].formulaLatex;
  return activation === 'softmax' ? `z_{${name}}, \\quad ${formula}` : `z_{${name}} = ${formula}`;
}

/** A number at full precision in TeX: 1e-8 as 1 \times 10^{-8}. */
function texNumber(value: number): string {
  const [mantissa, exponent] = String(value).split('e');
  return exponent === undefined ? mantissa : `${mantissa} \\times 10^{${Number(exponent)}}`;
}

function ForwardDetail({ sample, unit }: { sample: SampleTrace; unit: number }) {
  const u = sample.forward[unit];
  const name = latex.name(u.name);
  return (
    <div className="bp-detail" data-testid="bp-detail" data-phase="forward" data-unit={u.nodeId}>
      <h3>Forward: unit {u.name}</h3>
      <p className="formula">
        <Tex tex={latex.forward} testId="bp-formula" />
      </p>
      <table className="bp-table">
        <thead>
          <tr>
            <th>i</th>
            <th>
              <Tex tex="w_{ji}" />
            </th>
            <th>
              <Tex tex="x_{ji}" />
            </th>
            <th>
              <Tex tex="w_{ji} \cdot x_{ji}" />
            </th>
          </tr>
        </thead>
        <tbody>
          {u.terms.map((term, k) => (
            <tr key={k}>
              <td>{term.source}</td>
              <td>
                <Num value={term.w} testId={`bp-w-${k}`} />
              </td>
              <td>
                <Num value={term.x} testId={`bp-x-${k}`} />
              </td>
              <td>
                <Num value={term.product} />
              </td>
            </tr>
          ))}
          <tr>
            <td>
              <Tex tex="b_j" />
            </td>
            <td colSpan={2} />
            <td>
              <Num value={u.bias} testId="bp-bias" />
            </td>
          </tr>
        </tbody>
      </table>
      <p className="result">
        <Tex tex={`s_{${name}} =`} /> <Num value={u.s} testId="bp-s" />, <Tex tex={activationTex(u.activation, name)} /> →{' '}
        <Num value={u.z} testId="bp-z" />
      </p>
    </div>
  );
}

function LossDetail({ trace, sample }: { trace: StepTrace; sample: SampleTrace }) {
  return (
    <div className="bp-detail" data-testid="bp-detail" data-phase="loss">
      <h3>Loss</h3>
      <p className="formula">
        <Tex tex={latex.loss(trace)} testId="bp-formula" />
      </p>
      <table className="bp-table">
        <thead>
          <tr>
            <th>output</th>
            <th>target</th>
            <th>
              <Tex tex="t_k" />
            </th>
            <th>
              <Tex tex="z_k" />
            </th>
            <th>contribution</th>
          </tr>
        </thead>
        <tbody>
          {sample.lossTerms.map((term, k) => (
            <tr key={k}>
              <td>{term.name}</td>
              <td>{term.target}</td>
              <td>
                <TargetInput row={sample.index} k={k} value={term.t} all={sample.lossTerms.map((l) => l.t)} />
              </td>
              <td>
                <Num value={term.z} testId={`bp-loss-z-${k}`} />
              </td>
              <td>
                <Num value={term.value} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="result">
        <Tex tex="J =" /> <Num value={sample.loss} testId="bp-loss" />
      </p>
    </div>
  );
}

/** The target t_k, editable: what if the sample's label were different? */
function TargetInput({ row, k, value, all }: { row: number; k: number; value: number; all: number[] }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const overridden = useBackprop((s) => s.request.targets.has(row));
  const commit = () => {
    const v = Number(text.replace(/−/g, '-'));
    if (text.trim() === '' || !Number.isFinite(v)) return setText(String(value));
    if (v !== value)
      useBackprop.getState().setTarget(
        row,
        all.map((t, m) => (m === k ? v : t)),
      );
  };
  return (
    <span className="bp-target">
      <input
        aria-label={`Target t_${k + 1} (what if)`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        data-testid={`bp-target-${k}`}
        data-value={String(value)}
      />
      {overridden && k === 0 && (
        <button className="link" onClick={() => useBackprop.getState().setTarget(row, null)} title="Back to the data's target">
          reset
        </button>
      )}
    </span>
  );
}

/** The activation of the unit a backward record is about (from the sample's forward records). */
function activationOf(sample: SampleTrace, b: UnitBackward): Activation {
  return sample.forward.find((f) => f.nodeId === b.nodeId && f.unit === b.unit)!.activation;
}

function BackwardDetail({ trace, sample, unit }: { trace: StepTrace; sample: SampleTrace; unit: number }) {
  const b = sample.backward[unit];
  const activation = activationOf(sample, b);
  const name = latex.name(b.name);
  return (
    <div className="bp-detail" data-testid="bp-detail" data-phase="backward" data-unit={b.nodeId}>
      <h3>
        Backward: δ of {b.role} unit {b.name}
      </h3>
      <p className="formula">
        <Tex tex={latex.deltaRule(trace, b, activation)} testId="bp-formula" />
      </p>
      {b.error && (
        <p>
          <Tex tex="t_k - z_k =" /> <Num value={b.error.t} /> − <Num value={b.error.z} /> = <Num value={b.error.t - b.error.z} />
        </p>
      )}
      {b.targetSum !== undefined && (
        <p data-testid="bp-target-sum">
          The layer’s targets sum to <Tex tex="\sum_m t_m =" /> <Num value={b.targetSum} />, not 1:{' '}
          <Tex tex="\delta_k = t_k - z_k \sum_m t_m" />.
        </p>
      )}
      {b.phiPrime && (
        <p>
          <Tex tex={ACTIVATIONS[activation].derivativeLatex} /> = <Num value={b.phiPrime.value} testId="bp-phi-prime" />
        </p>
      )}
      {b.downstream.length > 0 && (
        <table className="bp-table">
          <thead>
            <tr>
              <th>k</th>
              <th>
                <Tex tex="w_{kj}" />
              </th>
              <th>
                <Tex tex="\delta_k" />
              </th>
              <th>
                <Tex tex="w_{kj} \cdot \delta_k" />
              </th>
            </tr>
          </thead>
          <tbody>
            {b.downstream.map((d, k) => (
              <tr key={k}>
                <td>{d.name}</td>
                <td>
                  <Num value={d.w} />
                </td>
                <td>
                  <Num value={d.delta} />
                </td>
                <td>
                  <Num value={d.product} />
                </td>
              </tr>
            ))}
            <tr>
              <td colSpan={3}>
                <Tex tex="\sum_k w_{kj} \delta_k" />
              </td>
              <td>
                <Num value={b.sum} />
              </td>
            </tr>
          </tbody>
        </table>
      )}
      <p className="result">
        <Tex tex={`\\delta_{${name}} =`} /> <Num value={b.delta} testId="bp-delta" />
      </p>
      <p className="hint">
        <Tex tex={latex.deltaWithNumbers(trace, sample, b, activation)} />
      </p>
    </div>
  );
}

function UpdateDetail({ trace, updates, name }: { trace: StepTrace; updates: ParameterUpdate[]; name: string }) {
  const batch = trace.samples.length;
  const optimiser = trace.optimiser;
  const sgd = !optimiser || optimiser.name === 'sgd';
  const regularised = trace.l1 !== 0 || trace.l2 !== 0;
  // Adam's m, v, m̂, v̂ (RMSprop's v, AdaGrad's G, Nesterov's v(r)): the same for every row of a step.
  const quantities = updates[0]?.quantities ?? [];
  const hasMemory = sgd || optimiser.partSymbols.memory !== null;
  const mean = batch > 1 ? '\\text{ (mean over the batch)}' : '';
  // Gradient descent's rule ends with ∂J/∂w_ji = −δ_j x_ji; an optimiser's starts from g, so it is said first.
  const formula = sgd
    ? `${latex.update(trace)}${mean}`
    : `\\frac{\\partial J}{\\partial w_{ji}} = -\\delta_j x_{ji}${mean}, \\quad ${latex.update(trace)}`;
  // The settings at full precision (the hyperparameters as the user typed them), not rounded as in the export.
  const settings = [
    `\\eta = ${texNumber(trace.learningRate)}`,
    ...(optimiser
      ? OPTIMISERS[optimiser.name].settings.map((key, k) => `${OPTIMISER_SETTINGS[key].latex} = ${texNumber(optimiser.settings[k].value)}`)
      : []),
  ].join(', \\; ');
  return (
    <div className="bp-detail" data-testid="bp-detail" data-phase="update" data-unit={updates[0]?.nodeId}>
      <h3>
        Update: the weights into {name}
        {!sgd && ` (${optimiser.label}${optimiser.name === 'adam' ? `, step t = ${optimiser.t}` : ''})`}
      </h3>
      <p className="formula" data-testid={sgd ? undefined : 'bp-optimiser-formula'}>
        <Tex tex={formula} testId="bp-formula" />
        <span className="bp-settings">
          <Tex tex={settings} testId="bp-settings" />
        </span>
      </p>
      <table className="bp-table">
        <thead>
          <tr>
            <th>parameter</th>
            {batch > 1 && <th>per sample</th>}
            <th>
              <Tex tex="\partial J / \partial w" />
            </th>
            {!sgd && regularised && (
              <th>
                <Tex tex="g" />
              </th>
            )}
            {quantities.map((q) => (
              <th key={q.symbol} title={q.label}>
                <Tex tex={latex.symbol(q.symbol)} />
              </th>
            ))}
            <th title={sgd ? undefined : 'Δw’s part from this step’s gradient'}>
              {sgd ? (
                <Tex tex="-\eta\, \partial J / \partial w" />
              ) : (
                <>
                  from <Tex tex="\partial J / \partial w" />
                </>
              )}
            </th>
            {hasMemory && (
              <th title={sgd ? undefined : (optimiser.partSymbols.memory ?? undefined)}>
                {sgd ? 'momentum' : `from ${optimiser.partSymbols.memoryName}`}
              </th>
            )}
            <th>regularisation</th>
            <th>
              <Tex tex="\Delta w" />
            </th>
            <th>old → new</th>
          </tr>
        </thead>
        <tbody>
          {updates.map((u, k) => (
            <tr key={u.param} data-testid={`bp-update-${k}`}>
              <td>
                {u.name}
                {u.locked ? (
                  <>
                    {' '}
                    <LockIcon aria-label="locked" />
                  </>
                ) : (
                  ''
                )}
              </td>
              {batch > 1 && (
                <td className="contributions">
                  {u.contributions.map((c, m) => (
                    <span key={m}>
                      {m > 0 && ', '}
                      <Num value={c.gradient} digits={3} />
                    </span>
                  ))}
                </td>
              )}
              <td>
                <Num value={u.gradient} testId={`bp-gradient-${k}`} />
              </td>
              {!sgd && regularised && (
                <td>
                  <Num value={u.g} />
                </td>
              )}
              {u.quantities.map((q) => (
                <td key={q.symbol}>
                  <Num value={q.value} testId={`bp-quantity-${q.symbol}-${k}`} />
                </td>
              ))}
              <td>
                <Num value={u.gradientPart} />
              </td>
              {hasMemory && (
                <td>
                  <Num value={u.momentumPart} testId={`bp-momentum-${k}`} />
                </td>
              )}
              <td>
                <Num value={u.regularisationPart} />
              </td>
              <td>
                <Num value={u.change} testId={`bp-change-${k}`} />
              </td>
              <td>
                <Num value={u.old} testId={`bp-old-${k}`} /> → <Num value={u.new} testId={`bp-new-${k}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The hyperparameters the lecture lists, each explained in its words. Every change is an edit
 * of the document (undoable); during a paused or running session it applies from the next step.
 */
import {
  LOSSES,
  LOSS_NAMES,
  OPTIMISERS,
  OPTIMISER_NAMES,
  OPTIMISER_SETTINGS,
  PRECISIONS,
  PRECISION_NAMES,
  adviseHyperparameter,
  optimiserOf,
  type AdvisedSetting,
  type Hyperparameters as Settings,
  type OptimiserName,
  type PrecisionName,
} from '../../../../engine/src/index';
import { setHyperparameters } from '../../document/commands';
import { NumberInput } from '../../ui/NumberInput';
import { Tex } from '../../ui/Tex';
import './hint-popover.css';
import { useStudio } from '../../state/store';
import { automaticPrecisionText, runComputingText } from './precision-option';

/** The loss field's tooltip: every loss of the registry in its own words. */
const LOSS_HINT = `The cost J(w) to minimise. ${LOSS_NAMES.map((name) => `${LOSSES[name].label.charAt(0).toUpperCase()}${LOSSES[name].label.slice(1)}: ${LOSSES[name].description}`).join(' ')}`;

/**
 * A setting with its explanation. With a formula, the explanation is a tooltip of our own (on
 * hover and on keyboard focus) with the formula typeset; without, the browser's.
 */
function Field({ label, hint, formula, children }: { label: string; hint: string; formula?: string; children: React.ReactNode }) {
  if (!formula)
    return (
      <label title={hint}>
        <span>{label}</span>
        {children}
      </label>
    );
  return (
    <label className="with-hint">
      <span>{label}</span>
      {children}
      <span className="hint-popover" role="tooltip" data-testid={`hint-${label}`}>
        <Tex tex={formula} display />
        <span>{hint}</span>
      </span>
    </label>
  );
}

/** The losses' formulas, typeset for the loss field's tooltip (each form: sigmoid's and softmax's cross-entropy). */
const lossLatex = (loss: Settings['loss']) => LOSSES[loss].forms.map((form) => form.latex).join(',\\quad ');

/** The optimiser field's tooltip: what the chosen one does, its rule, and the learning rate it usually wants. */
function optimiserHint(name: OptimiserName): string {
  const optimiser = OPTIMISERS[name];
  return `${optimiser.description} ${optimiser.formula}, with g = ∂J/∂w + λ₂w + λ₁ sign w. A learning rate of about ${optimiser.typicalLearningRate} usually works.`;
}

export function HyperparameterPanel() {
  const h = useStudio((s) => s.project?.hyperparameters);
  // A string, so the panel renders again only when what the option says changes.
  const automatic = useStudio((s) => (s.project ? automaticPrecisionText(s.project) : 'Auto'));
  const edit = useStudio((s) => s.edit);
  const editOrReason = useStudio((s) => s.editOrReason);
  // What the run of this window computes in, while there is one (a string: renders on change only).
  const computing = useStudio((s) => (s.training.state !== 'idle' && s.training.computing ? runComputingText(s.training.computing) : null));
  if (!h) return null;
  const change = (c: Partial<Settings>) => edit(setHyperparameters(c));
  // Number fields show a refusal beside themselves (and keep the value in force).
  const set = (c: Partial<Settings>) => editOrReason(setHyperparameters(c));
  const advise = (setting: AdvisedSetting) => (value: number) => adviseHyperparameter(setting, value, h.optimiser);
  return (
    <div className="hyper" data-testid="hyperparameters">
      <Field label="Loss" hint={LOSS_HINT} formula={lossLatex(h.loss)}>
        <select aria-label="Loss" value={h.loss} onChange={(e) => change({ loss: e.target.value as Settings['loss'] })}>
          {LOSS_NAMES.map((name) => (
            <option key={name} value={name} title={LOSSES[name].description}>
              {LOSSES[name].label}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Algorithm"
        hint="Gradient descent (backpropagation) updates w against the gradient; the perceptron rule w ← w + η(t − y)x trains a single layer of step or sign units."
      >
        <select aria-label="Algorithm" value={h.algorithm} onChange={(e) => change({ algorithm: e.target.value as Settings['algorithm'] })}>
          <option value="gradientDescent">gradient descent</option>
          <option value="perceptron">perceptron rule</option>
        </select>
      </Field>
      <Field
        label="Mode"
        hint="Batch: one update per pass over all samples. Stochastic: one update per sample. Mini-batch: one update per group of samples."
      >
        <select aria-label="Mode" value={h.mode} onChange={(e) => change({ mode: e.target.value as Settings['mode'] })}>
          <option value="batch">batch</option>
          <option value="minibatch">mini-batch</option>
          <option value="stochastic">stochastic</option>
        </select>
      </Field>
      {h.mode === 'minibatch' && (
        <Field label="Batch size" hint="Samples per update in mini-batch mode.">
          <NumberInput
            label="Batch size"
            value={h.batchSize}
            advise={advise('batchSize')}
            onCommit={(v) => set({ batchSize: v ?? h.batchSize })}
          />
        </Field>
      )}
      {h.algorithm === 'gradientDescent' && (
        <Field
          label="Precision"
          hint={`The number format training computes in. ${PRECISION_NAMES.map((name) => `${PRECISIONS[name].label}: ${PRECISIONS[name].description}`).join(' ')} The backpropagation inspector always shows float64.`}
        >
          <select aria-label="Precision" value={h.precision} onChange={(e) => change({ precision: e.target.value as PrecisionName })}>
            {PRECISION_NAMES.map((name) => (
              <option key={name} value={name} title={PRECISIONS[name].description}>
                {name === 'auto' ? automatic : PRECISIONS[name].label}
              </option>
            ))}
          </select>
          {computing && (
            <span className="run-computing" data-testid="run-computing">
              {computing}
            </span>
          )}
        </Field>
      )}
      <Field
        label="Learning rate η"
        hint="How far each update moves against the gradient. Too large diverges, too small crawls."
        formula="\Delta w = -\eta\, \frac{\partial J}{\partial w}"
      >
        <NumberInput
          label="Learning rate"
          testId="learning-rate"
          value={h.learningRate}
          advise={advise('learningRate')}
          onCommit={(v) => set({ learningRate: v ?? h.learningRate })}
        />
      </Field>
      {h.algorithm === 'gradientDescent' && (
        <>
          <Field label="Optimiser" hint={optimiserHint(h.optimiser)} formula={OPTIMISERS[h.optimiser].latex.formula}>
            <select aria-label="Optimiser" value={h.optimiser} onChange={(e) => change({ optimiser: e.target.value as OptimiserName })}>
              {OPTIMISER_NAMES.map((name) => (
                <option key={name} value={name} title={OPTIMISERS[name].description}>
                  {OPTIMISERS[name].label}
                </option>
              ))}
            </select>
          </Field>
          {optimiserOf(h.optimiser).settings.map((name) => (
            <Field
              key={name}
              label={OPTIMISER_SETTINGS[name].label}
              hint={OPTIMISER_SETTINGS[name].tooltip}
              formula={OPTIMISER_SETTINGS[name].tooltipLatex}
            >
              <NumberInput
                label={OPTIMISER_SETTINGS[name].label}
                testId={name}
                value={h[name]}
                advise={name === 'momentum' ? advise('momentum') : undefined}
                onCommit={(v) => set({ [name]: v ?? h[name] })}
              />
            </Field>
          ))}
        </>
      )}
      <Field
        label="L2 λ₂"
        hint="Regularisation, pulling weights towards 0 (not the biases)."
        formula="J \leftarrow J + \tfrac{1}{2} \lambda_2 \textstyle\sum w^2"
      >
        <NumberInput label="L2" value={h.l2} advise={advise('l2')} onCommit={(v) => set({ l2: v ?? h.l2 })} />
      </Field>
      <Field
        label="L1 λ₁"
        hint="Regularisation, driving small weights to exactly 0 (not the biases)."
        formula="J \leftarrow J + \lambda_1 \textstyle\sum |w|"
      >
        <NumberInput label="L1" value={h.l1} advise={advise('l1')} onCommit={(v) => set({ l1: v ?? h.l1 })} />
      </Field>
      <Field
        label="Initialisation"
        hint="How Reset draws new weights: uniform in [−r, r], Xavier (for sigmoid and tanh) or He (for ReLU), from the seed."
      >
        <select
          aria-label="Initialisation"
          value={h.init.method}
          onChange={(e) => change({ init: { ...h.init, method: e.target.value as Settings['init']['method'] } })}
        >
          <option value="uniform">uniform</option>
          <option value="xavier">Xavier</option>
          <option value="he">He</option>
        </select>
      </Field>
      <Field label="Seed" hint="The same seed always draws the same weights (and shuffles the same way).">
        <NumberInput label="Seed" value={h.init.seed} onCommit={(v) => set({ init: { ...h.init, seed: v ?? h.init.seed } })} />
      </Field>
      <Field label="Max epochs" hint="Stopping criterion: training stops after this many passes over the data.">
        <NumberInput
          label="Max epochs"
          value={h.maxEpochs}
          advise={advise('maxEpochs')}
          onCommit={(v) => set({ maxEpochs: v ?? h.maxEpochs })}
        />
      </Field>
      <Field label="Target loss" hint="Stopping criterion: training stops once the loss is at or below this (empty for none).">
        <NumberInput label="Target loss" value={h.targetLoss} allowEmpty onCommit={(v) => set({ targetLoss: v })} />
      </Field>
      <Field
        label="Early stopping"
        hint="Stopping criterion: stop when the validation loss has not improved for this many epochs (patience), and go back to the best weights. Empty for none."
      >
        <NumberInput
          label="Early stopping patience"
          value={h.earlyStopping?.patience ?? null}
          allowEmpty
          onCommit={(v) =>
            set({
              earlyStopping:
                v === null
                  ? null
                  : { patience: v, minDelta: h.earlyStopping?.minDelta ?? 0, restoreBest: h.earlyStopping?.restoreBest ?? true },
            })
          }
        />
      </Field>
    </div>
  );
}

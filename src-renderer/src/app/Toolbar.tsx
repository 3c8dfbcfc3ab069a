/**
 * The window's toolbar: New from an example, the file, edit and training actions, the speed, and
 * the readouts of the run (epoch, place in the epoch, loss, accuracy, state). Its buttons are
 * actions (ActionButton), which read the stores as they render: App re-renders it on every change.
 */
import { useStudio } from '../state/store';
import { formatPercent, formatValue } from '../ui/format';
import { ActionButton } from './ActionButton';

export function Toolbar() {
  const examples = useStudio((s) => s.examples);
  const training = useStudio((s) => s.training);
  const speed = useStudio((s) => s.speed);
  const last = training.history.at(-1);
  const running = training.state === 'running';

  return (
    <header className="toolbar">
      <select
        data-testid="example-select"
        aria-label="New project from an example"
        value=""
        onChange={(e) =>
          e.target.value === '__blank'
            ? void useStudio.getState().newBlank()
            : e.target.value && void useStudio.getState().newFromExample(e.target.value)
        }
      >
        <option value="">New…</option>
        <option value="__blank">Empty canvas</option>
        {examples.map((ex) => (
          <option key={ex.name} value={ex.name}>
            {ex.title}
          </option>
        ))}
      </select>
      <ActionButton id="file.open" />
      <ActionButton id="file.save" />
      <ActionButton id="file.revert" testId="revert" />
      <ActionButton id="file.export" testId="export" />
      <span className="divider" />
      <ActionButton id="edit.undo" testId="undo" />
      <ActionButton id="edit.redo" testId="redo" />
      <ActionButton id="view.fit" />
      <ActionButton id="edit.layout" testId="layout" />
      <span className="divider" />
      <ActionButton id="train.startPause" testId="train-button" className="primary">
        {running ? '❚❚ Pause' : training.state === 'paused' ? '▶ Resume' : '▶ Train'}
      </ActionButton>
      <select
        data-testid="speed"
        aria-label="Training speed"
        title="How fast training runs: full speed, or a set number of training steps (batches) a second to watch each one"
        value={speed === null ? 'full' : String(speed)}
        onChange={(e) => void useStudio.getState().setSpeed(e.target.value === 'full' ? null : Number(e.target.value))}
      >
        <option value="full">full speed</option>
        <option value="100">100 steps/s</option>
        <option value="10">10 steps/s</option>
        <option value="2">2 steps/s</option>
      </select>
      <ActionButton id="train.stepSample" />
      <ActionButton id="train.stepBatch" />
      <ActionButton id="train.stepEpoch" />
      <ActionButton id="train.reset" />
      <ActionButton id="inspect.toggle" testId="inspect" />
      <ActionButton id="help.lecture" testId="notation-button" ariaLabel="The lecture’s notation" />
      <span className="divider" />
      <span className="readout">
        epoch <b data-testid="epoch">{training.epoch}</b>
      </span>
      <span className="readout" title="Samples of the current epoch trained on so far">
        sample <b data-testid="epoch-progress">{training.epochSize ? `${training.samplesIntoEpoch}/${training.epochSize}` : '—'}</b>
      </span>
      <span
        className="readout"
        title={
          last
            ? `Training loss of epoch ${last.epoch}: the mean over its steps, each measured just before its update (the evaluation panel measures the current weights)`
            : 'Training loss of the steps so far in this epoch'
        }
      >
        loss <b data-testid="loss">{formatValue(last?.loss ?? training.runningLoss)}</b>
      </span>
      <span
        className="readout"
        title="Training accuracy of the last epoch: the mean over its steps, each measured just before its update (the evaluation panel measures the current weights)"
      >
        acc <b data-testid="accuracy">{formatPercent(last?.accuracy)}</b>
      </span>
      <span className="readout state" data-testid="training-state">
        {training.state}
      </span>
    </header>
  );
}

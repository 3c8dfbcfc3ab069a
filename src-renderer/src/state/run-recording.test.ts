import { describe, expect, it } from 'vitest';
import { findExample, type Project } from '../../../engine/src/index';
import { execute, isDirty, markSaved, redo, replacePresent, startHistory, undo, type History } from '../document/history';
import { setHyperparameters } from '../document/commands';
import { deleteRun, pinRun, renameRun } from '../document/run-history';
import { beginRecording, recordProgress, recordStop, type Recording } from './run-recording';

const xor = (): Project => findExample('xor-sigmoid')!.create();
const rec = (epoch: number, loss: number) => ({ epoch, loss, accuracy: 0.5, validationLoss: null, validationAccuracy: null });
/** The document as training progress leaves it: at `epoch` (the weights aside, which these tests do not need). */
const trainedTo = (history: History, epoch: number): History =>
  replacePresent(history, { ...history.present, training: { ...history.present.training, epoch } });

function train(history: History, recording: Recording, from: number, to: number): History {
  const records = [];
  for (let e = from; e <= to; e++) records.push(rec(e, 1 / e));
  return recordProgress(trainedTo(history, to), recording, { session: recording.session, state: 'running', newEpochs: records });
}

describe('recording runs into the document', () => {
  it('a run begins with the settings in force, takes the epochs of its own session only, and ends with its stop', () => {
    let history = startHistory(xor(), true);
    const begun = beginRecording(history, null, 's1', new Date(Date.UTC(2025, 4, 6)));
    history = begun.history;
    expect(history.present.runs).toHaveLength(1);
    expect(history.present.runs![0]).toMatchObject({ label: 'Run 1', startedAt: '2025-05-06T00:00:00.000Z', startEpoch: 0, stop: null });
    history = train(history, begun.recording, 1, 3);
    // Another session's report (a step by hand, a tab's) is no part of the run.
    history = recordProgress(history, begun.recording, { session: 'other', state: 'running', newEpochs: [rec(4, 9)] });
    history = recordStop(history, begun.recording, { session: begun.recording.session, reason: 'maxEpochs', message: 'Stopped: max.' });
    // A Stop that comes after the run ended by itself (a reset sends one) is not why it ended.
    history = recordStop(history, begun.recording, { session: begun.recording.session, reason: 'stopped', message: 'Stopped.' });
    const run = history.present.runs![0];
    expect(run.history.epoch).toEqual([1, 2, 3]);
    expect(run.final).toMatchObject({ epochs: 3, loss: 1 / 3 });
    expect(run.stop).toEqual({ reason: 'maxEpochs', message: 'Stopped: max.' });
    expect(isDirty(history)).toBe(true);
  });

  it('recording is no undo step, and undo and redo never lose a run', () => {
    let history = startHistory(xor(), true);
    history = execute(history, setHyperparameters({ learningRate: 0.1 })).history;
    const begun = beginRecording(history, null, 's1');
    history = train(begun.history, begun.recording, 1, 5);
    expect(history.past).toHaveLength(1);
    history = undo(history);
    expect(history.present.hyperparameters.learningRate).toBe(0.5);
    expect(history.present.runs![0].final.epochs).toBe(5);
    history = redo(history);
    expect(history.present.runs![0].final.epochs).toBe(5);
  });

  it('a pause marks the run, training on continues it; after a reset (no recording) the next training is a new run', () => {
    let history = startHistory(xor(), true);
    let begun = beginRecording(history, null, 's1');
    history = train(begun.history, begun.recording, 1, 4);
    history = recordProgress(history, begun.recording, { session: 's1', state: 'paused', newEpochs: [] });
    expect(history.present.runs![0].stop?.reason).toBe('paused');
    history = recordStop(history, begun.recording, { session: 's1', reason: 'stopped', message: 'Stopped.' });
    // Trained on from where the run left it, with another η: the same run, the change noted.
    history = execute(history, setHyperparameters({ learningRate: 2 })).history;
    const again = beginRecording(history, begun.recording, 's2');
    expect(again.recording.runId).toBe(begun.recording.runId);
    history = train(again.history, again.recording, 5, 6);
    expect(history.present.runs).toHaveLength(1);
    expect(history.present.runs![0]).toMatchObject({ final: { epochs: 6 }, stop: null, changes: [{ epoch: 4 }] });
    // After a reset the recording is not continued, even at the epoch the run ended on.
    expect(beginRecording(history, { ...again.recording, continuable: false }, 's3').history.present.runs).toHaveLength(2);
    // A reset puts the epoch back to 0 and forgets the recording.
    history = trainedTo(history, 0);
    begun = beginRecording(history, null, 's3');
    expect(begun.history.present.runs!.map((r) => r.label)).toEqual(['Run 1', 'Run 2']);
  });

  it('a run that trained no epoch is not kept', () => {
    const begun = beginRecording(startHistory(xor(), true), null, 's1');
    const history = recordStop(begun.history, begun.recording, { session: 's1', reason: 'maxEpochs', message: 'Stopped.' });
    expect(history.present.runs).toEqual([]);
  });

  it('naming, pinning and deleting a run are edits that undo; a recording keeps the name it was given', () => {
    const begun = beginRecording(startHistory(xor(), true), null, 's1');
    let history = train(begun.history, begun.recording, 1, 2);
    const id = begun.recording.runId;
    history = execute(history, renameRun(id, '  η small ')).history;
    expect(history.present.runs![0].label).toBe('η small');
    expect(execute(history, renameRun(id, '   ')).refused).toMatch(/needs a name/);
    history = train(history, begun.recording, 3, 4);
    expect(history.present.runs![0]).toMatchObject({ label: 'η small', final: { epochs: 4 } });
    history = execute(history, pinRun(id, true, true)).history;
    expect(history.present.runs![0].pinned).toBe(true);
    history = execute(history, deleteRun(id)).history;
    expect(history.present.runs).toEqual([]);
    history = undo(history);
    expect(history.present.runs![0]).toMatchObject({ label: 'η small', pinned: true, final: { epochs: 4 } });
    const saved = markSaved(history);
    expect(isDirty(saved)).toBe(false);
  });
});

/**
 * What the canvas shows with no project open: the recent projects and the lecture's examples.
 */
import { useLearnPanel } from '../lessons/learn-panel-state';
import { useStudio } from '../state/store';
import { fileNameOfPath, whereFileIs } from '../../../src-shared/paths';

export function StartScreen() {
  const recent = useStudio((s) => s.recent);
  const examples = useStudio((s) => s.examples);
  return (
    <div className="empty">
      <h1>NN Studio</h1>
      <p>Start from one of the lecture’s examples, or open a project.</p>
      <p>
        New to neural networks?{' '}
        <button className="primary" onClick={() => useLearnPanel.getState().setOpen(true)} data-testid="start-learn">
          Learn with the course
        </button>{' '}
        <span className="hint">eight lessons that follow the lecture, with tasks the app checks (F2)</span>
      </p>
      {recent.length > 0 && (
        <div className="recent" data-testid="recent">
          <h2>Recent</h2>
          {recent.map((path) => (
            <button key={path} className="link" onClick={() => void useStudio.getState().openPath(path)} title={path}>
              {fileNameOfPath(path)} <span className="hint">{whereFileIs(path)}</span>
            </button>
          ))}
        </div>
      )}
      <div className="example-cards">
        {examples.map((ex) => (
          <button key={ex.name} className="card" onClick={() => void useStudio.getState().newFromExample(ex.name)}>
            <b>{ex.title}</b>
            <span>{ex.description}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

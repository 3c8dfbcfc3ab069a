/**
 * The panel beside the canvas: the inspector, then training's data, hyperparameters, message and
 * the last epochs. It fills its resizable column (Workspace) and scrolls down, never sideways;
 * Workspace leaves it out while the panels are hidden (a view setting saved with the project).
 */
import { DataPanel } from '../panels/data/DataPanel';
import { Inspector } from '../panels/inspector/Inspector';
import { Coach } from '../panels/training/Coach';
import { HyperparameterPanel } from '../panels/training/Hyperparameters';
import { useStudio } from '../state/store';
import { formatPercent, formatValue } from '../ui/format';

export function SidePanel() {
  const project = useStudio((s) => s.project);
  const training = useStudio((s) => s.training);
  return (
    <aside className="panel pane">
      {project && (
        <>
          <h2>Inspector</h2>
          <Inspector />
        </>
      )}
      {project && (
        <>
          <h2>Data</h2>
          <DataPanel />
          <h2>Hyperparameters</h2>
          <HyperparameterPanel />
        </>
      )}
      {(training.message || training.history.length > 0) && <h2>Training</h2>}
      {training.message && <p className="message">{training.message}</p>}
      <Coach />
      <table className="history" hidden={training.history.length === 0}>
        <thead>
          <tr>
            <th>epoch</th>
            <th>loss</th>
            <th>acc</th>
          </tr>
        </thead>
        <tbody>
          {training.history.slice(-12).map((r) => (
            <tr key={r.epoch}>
              <td>{r.epoch}</td>
              <td>{formatValue(r.loss)}</td>
              <td>{formatPercent(r.accuracy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}

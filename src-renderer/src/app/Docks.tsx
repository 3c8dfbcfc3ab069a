/**
 * The dock under the workspace: the backprop inspector while it is open, otherwise (unless the
 * panels are hidden) the curves, the decision regions and the evaluation.
 */
import { BackpropPanel } from '../backprop/BackpropPanel';
import { Curves } from '../panels/training/Curves';
import { DecisionRegions } from '../panels/training/DecisionRegions';
import { EvaluationPanel } from '../panels/training/Evaluation';
import { useStudio } from '../state/store';

export function Docks({ inspecting, panelsHidden }: { inspecting: boolean; panelsHidden: boolean }) {
  const project = useStudio((s) => s.project);
  const history = useStudio((s) => s.training.history);
  return (
    <>
      {project && inspecting && (
        <section className="dock backprop-dock" aria-label="Backprop inspector">
          <BackpropPanel />
        </section>
      )}
      {project && !panelsHidden && !inspecting && (
        <section className="dock" aria-label="Curves and decision regions">
          <Curves history={history} />
          <DecisionRegions project={project} />
          <EvaluationPanel project={project} />
        </section>
      )}
    </>
  );
}

/**
 * The dock under the workspace, a panel of the window's column with a splitter above it: the
 * backprop inspector while it is open (its own height), otherwise (unless the panels are hidden) the curves, the
 * decision regions (for the handwritten digits, the digits pad in their place) and the evaluation side by side, each in a resizable panel of its own with a
 * minimum that keeps it legible. Their sizes, and the dock's height, are saved in the view.
 */
import { useState } from 'react';
import { BackpropPanel } from '../backprop/BackpropPanel';
import { Curves } from '../panels/training/Curves';
import { DecisionRegions } from '../panels/training/DecisionRegions';
import { DigitsPad } from '../panels/digits/DigitsPad';
import { isDigitsProject } from '../panels/digits/digits-pad';
import { EvaluationPanel } from '../panels/training/Evaluation';
import { DockViewTabs, RunsPanel, type DockView } from '../panels/training/RunsPanel';
import { useStudio } from '../state/store';
import { CURVES_MINIMUM } from './panel-layout';
import { FreePanel, PanelGroup, SizedPanel, Splitter, useSizeTracker } from './window-panels';

export function Docks({ inspecting, panelsHidden }: { inspecting: boolean; panelsHidden: boolean }) {
  const project = useStudio((s) => s.project);
  const history = useStudio((s) => s.training.history);
  const columns = useSizeTracker('horizontal');
  // The dock shows the curves (with the regions and evaluation) or the runs side by side.
  const [view, setView] = useState<DockView>('curves');
  if (!project) return null;
  if (inspecting)
    return (
      <>
        <Splitter label="Resize the backprop inspector" />
        <SizedPanel name="backprop" label="Backprop inspector">
          <section className="dock backprop-dock pane" aria-label="Backprop inspector">
            <BackpropPanel />
          </section>
        </SizedPanel>
      </>
    );
  if (panelsHidden) return null;
  const tabs = <DockViewTabs view={view} onChange={setView} />;
  if (view === 'runs')
    return (
      <>
        <Splitter label="Resize the runs" />
        <SizedPanel name="dock" label="Training runs">
          <section className="dock training-dock" aria-label="Training runs">
            <RunsPanel tabs={tabs} />
          </section>
        </SizedPanel>
      </>
    );
  return (
    <>
      <Splitter label="Resize the curves and decision regions" />
      <SizedPanel name="dock" label="Curves and decision regions">
        <section className="dock training-dock" aria-label="Curves and decision regions">
          <PanelGroup tracker={columns}>
            <FreePanel id="curves" min={CURVES_MINIMUM} className="dock-cell">
              <Curves history={history} title={tabs} />
            </FreePanel>
            <Splitter label="Resize the decision regions" />
            <SizedPanel name="regions" className="dock-cell">
              {isDigitsProject(project) ? <DigitsPad project={project} /> : <DecisionRegions project={project} />}
            </SizedPanel>
            <Splitter label="Resize the evaluation" />
            <SizedPanel name="evaluation" className="dock-cell pane">
              <EvaluationPanel project={project} />
            </SizedPanel>
          </PanelGroup>
        </section>
      </SizedPanel>
    </>
  );
}

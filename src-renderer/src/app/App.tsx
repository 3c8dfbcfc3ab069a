/**
 * The main window: toolbar, the network, the training panel and the status bar, laid out as
 * shared/design/ui-layout.md pictures it. The toolbar's buttons, the shortcuts, the desktop menu's
 * commands, the browser's menu bar and the command palette all run the actions of one table
 * (src-shared/actions.ts, performed by ./actions.ts). This file is the window's outline; its
 * parts and their wiring live beside it. The workspace and the dock under it are panels with a
 * splitter between them (./window-panels.tsx), their sizes kept in the project's view.
 */
import { useRef } from 'react';
import { useBackprop } from '../backprop/store';
import type { CanvasApi } from '../canvas/Canvas';
import { useStudio } from '../state/store';
import { ActionsContext } from './ActionButton';
import { Banners } from './Banners';
import { Docks } from './Docks';
import { MenuBar } from './MenuBar';
import { Problems } from './Problems';
import { CANVAS_MINIMUM, PANELS } from './panel-layout';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';
import { useFileDrop } from './use-file-drop';
import { useLiveCompile } from './use-live-compile';
import { useShortcuts } from './use-shortcuts';
import { useWindowActions } from './use-window-actions';
import { useInspectorFollowsDocument, useWindowLifecycle } from './use-window-events';
import { FreePanel, PanelGroup, SizedPanel, Splitter, useSizeTracker } from './window-panels';
import { LazyLearnPanel } from '../lessons/LazyLearnPanel';
import { useLearnPanel } from '../lessons/learn-panel-state';
import { WindowDialogs } from './WindowDialogs';
import { Workspace } from './Workspace';

export function App() {
  // The whole store, and the inspector's open state: the toolbar's action buttons read the stores
  // as they render, so the window renders again on every change of either.
  const { project, info, recent } = useStudio();
  const inspecting = useBackprop((s) => s.open);
  const canvas = useRef<CanvasApi | null>(null);
  const compiled = useLiveCompile(project?.graph);
  const { actions, dialogs } = useWindowActions(canvas, compiled, info?.platform ?? 'linux');
  // Which panels are open is part of how the project looks, saved with it.
  const panelsHidden = project?.view.panels?.hidden === true;
  const rows = useSizeTracker('vertical');
  const columns = useSizeTracker('horizontal');
  // The Learn panel runs the window's whole height, left of the canvas and the dock.
  const learning = useLearnPanel((s) => s.open);

  useWindowLifecycle();
  useFileDrop();
  useInspectorFollowsDocument();
  useShortcuts(actions);

  return (
    <ActionsContext.Provider value={actions}>
      <div className="app">
        {/* The desktop app has its native menu; the browser gets the same menus as a bar. */}
        {info && info.host !== 'electron' && <MenuBar recent={recent} />}
        <Toolbar />
        <Banners />
        <div className="window-panels">
          <PanelGroup tracker={columns}>
            {learning && (
              <>
                <SizedPanel name="learn" label="Learn">
                  <LazyLearnPanel />
                </SizedPanel>
                <Splitter label="Resize the Learn panel" />
              </>
            )}
            <FreePanel id="window" min={PANELS.palette.min + CANVAS_MINIMUM.width + PANELS.side.min}>
              <PanelGroup tracker={rows}>
                <FreePanel id="workspace" min={CANVAS_MINIMUM.height}>
                  {/* `problems`: the slot under the canvas for the list of the network's problems (app/Problems.tsx). */}
                  <Workspace
                    canvas={canvas}
                    compiled={compiled}
                    panelsHidden={panelsHidden}
                    problems={<Problems compiled={compiled} canvas={canvas} />}
                  />
                </FreePanel>
                <Docks inspecting={inspecting} panelsHidden={panelsHidden} />
              </PanelGroup>
            </FreePanel>
          </PanelGroup>
        </div>
        <StatusBar compiled={compiled} />
        <WindowDialogs dialogs={dialogs} />
      </div>
    </ActionsContext.Provider>
  );
}

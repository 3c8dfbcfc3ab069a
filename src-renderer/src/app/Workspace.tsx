/**
 * The window's middle: the canvas (the editor of the open project, or the start screen) and the
 * side panel, with a splitter between them; the side panel keeps its width (saved in the view)
 * and the canvas takes the rest. It holds the window's choice of the next layer, so that it
 * survives closing one project and opening another, as the window does.
 */
import { useState, type ReactNode, type RefObject } from 'react';
import type { CompileResult } from '../../../engine/src/index';
import type { CanvasApi } from '../canvas/Canvas';
import { useStudio } from '../state/store';
import { Editor, type LayerChoice } from './Editor';
import { CANVAS_MINIMUM, PANELS } from './panel-layout';
import { SidePanel } from './SidePanel';
import { StartScreen } from './StartScreen';
import { FreePanel, PanelGroup, SizedPanel, Splitter, useSizeTracker } from './window-panels';

export function Workspace({
  canvas,
  compiled,
  panelsHidden,
  problems,
}: {
  canvas: RefObject<CanvasApi | null>;
  compiled: CompileResult | null;
  panelsHidden: boolean;
  /** The network's problems, shown under the canvas in a box of their own (capped; it scrolls). */
  problems: ReactNode;
}) {
  const project = useStudio((s) => s.project);
  const [layer, setLayer] = useState<LayerChoice>({ size: 2, activation: 'sigmoid' });
  const columns = useSizeTracker('horizontal');
  return (
    <main className="workspace">
      <PanelGroup tracker={columns}>
        {/* The editor holds the palette as well as the canvas: at least both their minimums. */}
        <FreePanel id="main" min={project ? PANELS.palette.min + CANVAS_MINIMUM.width + 1 : CANVAS_MINIMUM.width}>
          {project ? (
            <Editor project={project} canvas={canvas} compiled={compiled} layer={layer} setLayer={setLayer} problems={problems} />
          ) : (
            <section className="canvas start">
              <StartScreen />
            </section>
          )}
        </FreePanel>
        {!panelsHidden && (
          <>
            <Splitter label="Resize the side panel" />
            <SizedPanel name="side" label="Side panel">
              <SidePanel />
            </SizedPanel>
          </>
        )}
      </PanelGroup>
    </main>
  );
}

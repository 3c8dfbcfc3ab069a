/**
 * The window's middle: the canvas (the editor of the open project, or the start screen) and the
 * side panel. It holds the window's choice of the next layer, so that it survives closing one
 * project and opening another, as the window does.
 */
import { useState, type RefObject } from 'react';
import type { CompileResult } from '../../../engine/src/index';
import type { CanvasApi } from '../canvas/Canvas';
import { useStudio } from '../state/store';
import { Editor, type LayerChoice } from './Editor';
import { SidePanel } from './SidePanel';
import { StartScreen } from './StartScreen';

export function Workspace({
  canvas,
  compiled,
  panelsHidden,
}: {
  canvas: RefObject<CanvasApi | null>;
  compiled: CompileResult | null;
  panelsHidden: boolean;
}) {
  const project = useStudio((s) => s.project);
  const [layer, setLayer] = useState<LayerChoice>({ size: 2, activation: 'sigmoid' });
  return (
    <main className="workspace">
      <section className="canvas">
        {project ? <Editor project={project} canvas={canvas} compiled={compiled} layer={layer} setLayer={setLayer} /> : <StartScreen />}
      </section>
      <SidePanel hidden={panelsHidden} />
    </main>
  );
}

/**
 * The status bar: the live compiler's verdict, training's state, the file, and the host.
 */
import type { CompileResult } from '../../../engine/src/index';
import { describeArchitecture } from '../document/derive';
import { useStudio } from '../state/store';

export function StatusBar({ compiled }: { compiled: CompileResult | null }) {
  const project = useStudio((s) => s.project);
  const state = useStudio((s) => s.training.state);
  const path = useStudio((s) => s.path);
  const info = useStudio((s) => s.info);
  return (
    <footer className="status">
      <span data-testid="compile-status">
        {compiled === null
          ? 'No project'
          : compiled.ok
            ? `✓ compiles — ${describeArchitecture(project!.graph, compiled)}`
            : `✗ ${compiled.errors[0].message}`}
      </span>
      <span>training: {state}</span>
      <span>{path ?? (project ? 'not saved' : '')}</span>
      <span>{info ? `${info.host === 'electron' ? 'desktop' : 'browser'} · v${info.version}` : ''}</span>
    </footer>
  );
}

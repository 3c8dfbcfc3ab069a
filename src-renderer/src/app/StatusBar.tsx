/**
 * The status bar: the live compiler's verdict, training's state, the file, and the host. The
 * verdict is one line that says whether the network can train on the project's data as set
 * (problems.ts); the Problems list under the canvas has every problem.
 */
import type { CompileResult } from '../../../engine/src/index';
import { useStudio } from '../state/store';
import { verdict } from './problems';
import { useCompileContext } from './use-live-compile';
import './StatusBar.css';
import { shownPath } from '../../../src-shared/paths';

export function StatusBar({ compiled }: { compiled: CompileResult | null }) {
  const project = useStudio((s) => s.project);
  const state = useStudio((s) => s.training.state);
  const path = useStudio((s) => s.path);
  const info = useStudio((s) => s.info);
  const context = useCompileContext();
  const said = verdict(project?.graph ?? null, compiled, context ?? undefined);
  return (
    <footer className="status">
      <span className={`compile-status ${said.state}`} data-testid="compile-status" data-state={said.state} title={said.text}>
        {said.text}
      </span>
      <span>training: {state}</span>
      <span>{path ? shownPath(path) : project ? 'not saved' : ''}</span>
      <span data-testid="status-host">
        {info ? `${info.host === 'electron' ? 'desktop' : info.host === 'web' ? 'web' : 'browser'} · v${info.version}` : ''}
      </span>
    </footer>
  );
}

/**
 * The live compiler's verdict on the graph, for the status bar, the Problems list, the canvas and
 * the actions.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CompileResult, Graph } from '../../../engine/src/index';
import { useStudio } from '../state/store';
import { compileContext, liveCompile, type CompileContext } from './problems';

/**
 * The compiler's verdict on the graph, compiled as training will compile it — against the
 * project's data columns and its algorithm and loss — so that "compiles" means it can train on
 * this data (problems.ts). Off the render path: compiled after edits settle (120 ms), so typing a
 * weight or dragging never waits for it.
 */
export function useLiveCompile(graph: Graph | undefined): CompileResult | null {
  const context = useCompileContext();
  const [result, setResult] = useState<{ graph: Graph; compiled: CompileResult } | null>(null);
  const first = result === null;
  useEffect(() => {
    if (!graph || !context) {
      setResult(null);
      return;
    }
    const timer = setTimeout(() => setResult({ graph, compiled: liveCompile(graph, context) }), first ? 0 : 120);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [graph, context]);
  return graph ? (result?.compiled ?? null) : null;
}

/** The open project's data columns and training settings, the same object until one of them changes. */
export function useCompileContext(): CompileContext | null {
  const dataset = useStudio((s) => s.project?.dataset);
  const algorithm = useStudio((s) => s.project?.hyperparameters.algorithm);
  const loss = useStudio((s) => s.project?.hyperparameters.loss);
  return useMemo(
    () => (dataset && algorithm && loss ? compileContext({ dataset, hyperparameters: { algorithm, loss } }) : null),
    [dataset, algorithm, loss],
  );
}

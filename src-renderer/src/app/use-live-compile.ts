/**
 * The live compiler's verdict on the graph, for the status bar, the canvas and the actions.
 */
import { useEffect, useState } from 'react';
import { compileGraph, type CompileResult, type Graph } from '../../../engine/src/index';

/**
 * The compiler's verdict on the graph, off the render path: compiled after edits settle (120 ms),
 * so typing a weight or dragging never waits for it.
 */
export function useLiveCompile(graph: Graph | undefined): CompileResult | null {
  const [result, setResult] = useState<{ graph: Graph; compiled: CompileResult } | null>(null);
  const first = result === null;
  useEffect(() => {
    if (!graph) {
      setResult(null);
      return;
    }
    const timer = setTimeout(() => setResult({ graph, compiled: compileGraph(graph) }), first ? 0 : 120);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [graph]);
  return graph ? (result?.compiled ?? null) : null;
}

/**
 * The canvas (React Flow). Its nodes and edges are derived from the document; what the user does
 * here comes back as commands: a drag is one Move, a connection is Connect (refused with the
 * reason at the cursor when it would make a cycle, feed an input or duplicate an edge), a drop
 * from the palette is Add, Delete removes the selection.
 */
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './minimap.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CompileResult } from '../../../engine/src/index';
import { addNode, connect, connectionProblem, move, remove, type NodeTemplate } from '../document/commands';
import { deriveCanvas } from '../document/derive';
import { useStudio } from '../state/store';
import { PALETTE_MIME } from './Palette';
import { QuickAdd } from './QuickAdd';
import { UnitNode } from './UnitNode';
import { InputLayerNode } from './InputLayerNode';
import { WeightedEdge } from './WeightedEdge';
import { useUnitMapUpdates } from './UnitMaps';

const NODE_TYPES = { unit: UnitNode, inputLayer: InputLayerNode };
const EDGE_TYPES = { weighted: WeightedEdge };
const GRID: [number, number] = [20, 20];

export function Canvas({ compiled, onReady }: { compiled: CompileResult | null; onReady?: (api: CanvasApi) => void }) {
  return (
    <ReactFlowProvider>
      <CanvasInner compiled={compiled} onReady={onReady} />
    </ReactFlowProvider>
  );
}

/** What the toolbar asks of the canvas. */
export interface CanvasApi {
  /** The centre of the visible canvas, in flow coordinates. */
  centre(): { x: number; y: number };
  fit(): void;
  zoom(direction: 'in' | 'out'): void;
  /** Brings these nodes (and both ends of these edges) into view, at the current zoom unless they do not fit. */
  reveal(ids: readonly string[]): void;
}

function CanvasInner({ compiled, onReady }: { compiled: CompileResult | null; onReady?: (api: CanvasApi) => void }) {
  const project = useStudio((s) => s.project)!;
  useUnitMapUpdates(project);
  // A document opens where it was left (its saved viewport); otherwise a network is fitted, and an
  // empty canvas keeps its zoom while it is built.
  const [savedViewport] = useState(() => project.view.viewport ?? null);
  const [fitOnOpen] = useState(() => !savedViewport && project.graph.nodes.length > 0);
  const selection = useStudio((s) => s.selection);
  const edit = useStudio((s) => s.edit);
  const select = useStudio((s) => s.select);
  const flow = useReactFlow();
  const pointer = useRef({ x: 0, y: 0 });
  const wrapper = useRef<HTMLDivElement>(null);
  /** The quick-add list: where it shows (in the wrapper) and where the unit goes (in the flow). */
  const [quickAdd, setQuickAdd] = useState<{ at: { x: number; y: number }; flow: { x: number; y: number } } | null>(null);

  const derived = useMemo(() => deriveCanvas(project.graph, compiled, selection), [project.graph, compiled, selection]);
  // React Flow keeps measurements on its nodes: keep them across re-derivations.
  const [nodes, setNodes] = useState<Node[]>(derived.nodes as Node[]);
  const [edges, setEdges] = useState<Edge[]>(derived.edges as Edge[]);
  useEffect(() => {
    setNodes((previous) => {
      const measured = new Map(previous.map((n) => [n.id, n.measured]));
      return derived.nodes.map((n) => ({ ...n, measured: measured.get(n.id) })) as Node[];
    });
    setEdges(derived.edges as Edge[]);
  }, [derived]);

  // The first fit happens as React Flow starts, while the splitters may still be settling the
  // canvas's size (a document opened with the Learn panel beside it): refit to the size it settles
  // at, for a moment after opening, unless the user has moved the view meanwhile.
  useEffect(() => {
    const box = wrapper.current;
    if (!fitOnOpen || !box || typeof ResizeObserver === 'undefined') return;
    const opened = performance.now();
    const viewport = () => JSON.stringify(flow.getViewport());
    let fitted = '';
    const observer = new ResizeObserver(() => {
      if (performance.now() - opened > 800) return observer.disconnect();
      if (fitted && fitted !== viewport()) return observer.disconnect();
      void flow.fitView({ padding: 0.2 }).then(() => (fitted = viewport()));
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, [fitOnOpen, flow]);

  useEffect(() => {
    onReady?.({
      centre: () => {
        const box = wrapper.current?.getBoundingClientRect();
        return flow.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 0) / 2, y: (box?.top ?? 0) + (box?.height ?? 0) / 2 });
      },
      fit: () => void flow.fitView({ padding: 0.2, duration: 200 }),
      zoom: (direction) => void (direction === 'in' ? flow.zoomIn({ duration: 150 }) : flow.zoomOut({ duration: 150 })),
      reveal: (ids) => {
        const edges = new Map((useStudio.getState().project?.graph.edges ?? []).map((e) => [e.id, e]));
        const shown = new Set<string>();
        for (const id of ids) {
          const edge = edges.get(id);
          if (edge) shown.add(edge.source).add(edge.target);
          else shown.add(id);
        }
        if (shown.size > 0) {
          void flow.fitView({ nodes: [...shown].map((id) => ({ id })), padding: 0.3, duration: 200, maxZoom: flow.getZoom() });
        }
      },
    });
  }, [flow, onReady]);

  // Selection goes to the store only when the user changes it (React Flow reports those as
  // 'select' changes); selections the store sets arrive through `derived` and report nothing,
  // so the two cannot chase each other.
  const syncSelection = useCallback(
    (changes: (NodeChange | EdgeChange)[]) => {
      const picks = changes.filter((c): c is Extract<NodeChange, { type: 'select' }> => c.type === 'select');
      if (picks.length === 0) return;
      const next = new Set(useStudio.getState().selection);
      for (const pick of picks) {
        if (pick.selected) next.add(pick.id);
        else next.delete(pick.id);
      }
      select(next);
    },
    [select],
  );
  // A drag is one Move when it ends (onNodeDragStop); a move with no drag going on comes from the
  // keyboard (the arrows move the selected units): the document takes it at once, so the canvas
  // never shows a position the project does not have, and Undo takes it back.
  const dragging = useRef(false);
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      setNodes((ns) => applyNodeChanges(changes, ns));
      syncSelection(changes);
      if (dragging.current) return;
      const moved: Record<string, { x: number; y: number }> = {};
      for (const change of changes)
        if (change.type === 'position' && change.position && !change.dragging) moved[change.id] = change.position;
      if (Object.keys(moved).length > 0) edit(move(moved));
    },
    [syncSelection, edit],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      setEdges((es) => applyEdgeChanges(changes, es));
      syncSelection(changes);
    },
    [syncSelection],
  );

  const onConnect = useCallback((connection: Connection) => edit(connect(connection.source, connection.target), pointer.current), [edit]);
  const isValidConnection = useCallback(
    (connection: Connection | Edge) =>
      connectionProblem(useStudio.getState().project!.graph, connection.source, connection.target) === null,
    [],
  );
  const onConnectEnd = useCallback(
    (
      event: MouseEvent | TouchEvent,
      state: { isValid: boolean | null; fromNode: { id: string } | null; toNode: { id: string } | null },
    ) => {
      const point = 'clientX' in event ? { x: event.clientX, y: event.clientY } : pointer.current;
      if (state.toNode && state.fromNode && state.isValid === false) {
        const reason = connectionProblem(useStudio.getState().project!.graph, state.fromNode.id, state.toNode.id);
        if (reason) useStudio.setState({ refusal: { message: reason, x: point.x, y: point.y } });
      }
    },
    [],
  );

  return (
    <div
      className="canvas-flow"
      ref={wrapper}
      data-testid="canvas"
      onMouseMove={(e) => (pointer.current = { x: e.clientX, y: e.clientY })}
      onDoubleClick={(e) => {
        if (!(e.target as HTMLElement).classList.contains('react-flow__pane')) return;
        const box = wrapper.current!.getBoundingClientRect();
        setQuickAdd({
          at: { x: e.clientX - box.left, y: e.clientY - box.top },
          flow: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }),
        });
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(PALETTE_MIME)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }
      }}
      onDrop={(e) => {
        const raw = e.dataTransfer.getData(PALETTE_MIME);
        if (!raw) return;
        e.preventDefault();
        const position = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        edit(addNode(JSON.parse(raw) as NodeTemplate, { x: Math.round(position.x / 20) * 20, y: Math.round(position.y / 20) * 20 }), {
          x: e.clientX,
          y: e.clientY,
        });
      }}
      onKeyDown={(e) => {
        const typing = (e.target as HTMLElement).closest('input, textarea, select');
        if (typing) return;
        if ((e.key === 'Delete' || e.key === 'Backspace') && selection.size > 0) {
          e.preventDefault();
          edit(remove([...selection]));
        }
        // Enter on a unit or an edge (reached with Tab) edits it: React Flow selects it, then the
        // inspector's first field takes the focus.
        const element = (e.target as HTMLElement).closest('.react-flow__node, .react-flow__edge');
        if (e.key === 'Enter' && element) {
          e.preventDefault();
          const id = element.getAttribute('data-id');
          if (id) select(new Set([id]));
          setTimeout(
            () => document.querySelector<HTMLElement>('[data-testid="inspector"] input, [data-testid="inspector"] select')?.focus(),
            0,
          );
        }
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={() => (dragging.current = true)}
        onNodeDragStop={(_event, _node, dragged) => {
          dragging.current = false;
          edit(move(Object.fromEntries(dragged.map((n) => [n.id, n.position]))));
        }}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        snapToGrid
        snapGrid={GRID}
        zoomOnDoubleClick={false}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        fitView={fitOnOpen}
        defaultViewport={savedViewport ?? undefined}
        // The viewport is part of how the project looks: saved with it (not an edit to undo).
        onMoveEnd={(_event, viewport) => useStudio.getState().setView({ viewport: { x: viewport.x, y: viewport.y, zoom: viewport.zoom } })}
        fitViewOptions={{ padding: 0.2 }}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable />
        <Controls />
      </ReactFlow>
      {quickAdd && (
        <QuickAdd
          at={quickAdd.at}
          onClose={() => setQuickAdd(null)}
          onPick={(template) =>
            edit(addNode(template, { x: Math.round(quickAdd.flow.x / 20) * 20, y: Math.round(quickAdd.flow.y / 20) * 20 }))
          }
        />
      )}
    </div>
  );
}

/**
 * The main window: toolbar, the network, the training panel and the status bar, laid out as
 * shared/design/ui-layout.md pictures it. The toolbar's buttons, the shortcuts, the desktop menu's
 * commands, the browser's menu bar and the command palette all run the actions of one table
 * (src-shared/actions.ts, performed by ./actions.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  ACTIVATIONS,
  LIMITS,
  activationsFor,
  compileGraph,
  isComputing,
  unitCount,
  type CompileResult,
  type Graph,
  type NeuronActivation,
} from '../../../engine/src/index';
import { api } from '../state/api';
import { Canvas, type CanvasApi } from '../canvas/Canvas';
import { Palette } from '../canvas/Palette';
import { GraphSchema } from '../../../engine/src/index';
import {
  addNeuronLayer,
  addNode,
  batch,
  connectColumns,
  copyFragment,
  paste,
  remove,
  setOutput,
  type Fragment,
} from '../document/commands';
import { describeArchitecture } from '../document/derive';
import { ActionButton, ActionsContext, type Actions } from './ActionButton';
import { PERFORMERS, runAction, runMenuCommand, type ActionContext } from './actions';
import { CommandPalette } from './CommandPalette';
import { isTextField, shortcutFor } from './keys';
import { MenuBar } from './MenuBar';
import type { ActionId } from '../../../src-shared/actions';
import { Curves } from '../panels/training/Curves';
import { DataPanel } from '../panels/data/DataPanel';
import { DecisionRegions } from '../panels/training/DecisionRegions';
import { EvaluationPanel } from '../panels/training/Evaluation';
import { ExportDialog } from '../dialogs/ExportDialog';
import { Prompts } from '../dialogs/Prompts';
import { BackpropPanel } from '../backprop/BackpropPanel';
import { useBackprop } from '../backprop/store';
import { FilePicker } from '../dialogs/FilePicker';
import { NotationDialog } from '../dialogs/NotationDialog';
import { HyperparameterPanel } from '../panels/training/Hyperparameters';
import { datasetTargets, Inspector } from '../panels/inspector/Inspector';
import { formatPercent, formatValue } from '../ui/format';
import { useStudio, windowTitle } from '../state/store';

/**
 * The compiler's verdict on the graph, off the render path: compiled after edits settle (120 ms),
 * so typing a weight or dragging never waits for it.
 */
function useLiveCompile(graph: Graph | undefined): CompileResult | null {
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

export function App() {
  const state = useStudio();
  const { project, training, info, examples, error, notice, dirty, path, pickerOpen, refusal, selection } = state;
  const canvas = useRef<CanvasApi | null>(null);
  const [layerSize, setLayerSize] = useState(2);
  const [layerActivation, setLayerActivation] = useState<NeuronActivation>('sigmoid');
  // Which panels are open is part of how the project looks, saved with it.
  const panelsHidden = project?.view.panels?.hidden === true;
  const [exporting, setExporting] = useState(false);
  const [notationOpen, setNotationOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  /** Where focus was when the palette opened: it goes back there before the chosen action runs. */
  const paletteReturn = useRef<Element | null>(null);
  const compiled = useLiveCompile(project?.graph);
  // The actions read the verdict when they run, not when the context was made.
  const compiledNow = useRef(compiled);
  compiledNow.current = compiled;
  const platform = info?.platform ?? 'linux';
  const actions = useMemo<Actions>(() => {
    const context = (): ActionContext => ({
      studio: useStudio.getState(),
      backprop: useBackprop.getState(),
      canvas: () => canvas.current,
      compiled: compiledNow.current,
      ui: {
        openExport: () => setExporting(true),
        openNotation: () => setNotationOpen(true),
        openPalette: () => {
          paletteReturn.current = document.activeElement;
          setPaletteOpen(true);
        },
      },
      textField: () => {
        const active = document.activeElement;
        return active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? active : null;
      },
      refuse: (message) => useStudio.setState({ refusal: { message, x: 24, y: 96 } }),
    });
    return { context, run: (id: ActionId) => void runAction(id, context()), platform };
  }, [platform]);
  const closePalette = (chosen: ActionId | null) => {
    setPaletteOpen(false);
    const back = paletteReturn.current;
    paletteReturn.current = null;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
    if (chosen) actions.run(chosen);
  };

  // A refusal shows at the cursor for a few seconds.
  useEffect(() => {
    if (!refusal) return;
    const timer = setTimeout(() => useStudio.setState({ refusal: null }), 4000);
    return () => clearTimeout(timer);
  }, [refusal]);

  useEffect(() => {
    void state.init();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    document.title = windowTitle(project, dirty);
  }, [project, dirty]);

  // In the browser, closing the tab with unsaved changes gets the browser's own question (the
  // desktop window asks through app:close-requested instead).
  useEffect(() => {
    if (!dirty || info?.host !== 'browser') return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty, info]);

  // A .nnproj dropped anywhere on the window opens (after the unsaved-changes question).
  useEffect(() => {
    const hasFiles = (event: DragEvent) => [...(event.dataTransfer?.types ?? [])].includes('Files');
    const onDragOver = (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      const file = [...(event.dataTransfer?.files ?? [])][0];
      if (!file) return;
      if (!file.name.toLowerCase().endsWith('.nnproj')) {
        useStudio.setState({
          dialog: {
            title: `Could not open ${file.name}`,
            message: 'Only NN Studio projects (.nnproj files) can be opened by dropping them here; import data with Import CSV….',
          },
        });
        return;
      }
      // The same bound as a file opened from disk, checked before reading it into memory.
      const tooLarge = () =>
        useStudio.setState({
          dialog: {
            title: `Could not open ${file.name}`,
            message: `${file.name}: the file is too large to be a project (${file.size} bytes).`,
          },
        });
      if (file.size > LIMITS.fileBytes) return tooLarge();
      void file.text().then((text) => (text.length > LIMITS.fileChars ? tooLarge() : useStudio.getState().openContent(file.name, text)));
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  // A project saved while inspecting reopens inspecting the same sample.
  const documentId = state.documentId;
  useEffect(() => {
    const view = useStudio.getState().project?.view;
    if (view?.panels?.inspector) void useBackprop.getState().openAt(view.inspectorSample ?? 0);
    else useBackprop.getState().close();
  }, [documentId]);

  // Shortcuts, and the menu's commands (desktop): the actions of the table.
  useEffect(() => {
    const off = api.on('menu:command', (event) => runMenuCommand(event.command, actions.context()));
    const onKey = (event: KeyboardEvent) => {
      // A dialog in front (a question, the picker, export, the palette) takes the keyboard: no app
      // shortcuts behind it. A key a control used already (the canvas's Delete, the menu bar's
      // arrows) is not a shortcut either.
      if (event.defaultPrevented || document.querySelector('.modal')) return;
      const match = shortcutFor(event, isTextField(event.target));
      if (!match) return;
      const ctx = actions.context();
      // A plain key with nothing to do keeps its usual meaning (Home scrolls, ] is a character).
      if (match.plain && !PERFORMERS[match.id].enabled(ctx)) return;
      event.preventDefault();
      runAction(match.id, ctx);
    };
    // Cut, copy and paste arrive as the page's clipboard events (the desktop menu's roles and the
    // browser's own shortcuts both send them); text fields keep their usual behaviour.
    const inField = (event: Event) => (event.target as HTMLElement | null)?.closest?.('input, textarea, select');
    const onCopy = (event: ClipboardEvent) => {
      const s = useStudio.getState();
      const fragment = s.project && copyFragment(s.project.graph, s.selection);
      if (inField(event) || !fragment) return;
      event.clipboardData?.setData('text/plain', JSON.stringify({ nnstudio: 'fragment', ...fragment }));
      event.preventDefault();
      if (event.type === 'cut') s.edit({ ...remove(fragment.nodes.map((n) => n.id)), label: 'Cut' });
    };
    const onPaste = (event: ClipboardEvent) => {
      if (inField(event)) return;
      const s = useStudio.getState();
      try {
        const data = JSON.parse(event.clipboardData?.getData('text/plain') ?? '') as { nnstudio?: string } & Fragment;
        const graph = GraphSchema.safeParse({ nodes: data.nodes, edges: data.edges });
        if (data.nnstudio !== 'fragment' || !graph.success) return;
        event.preventDefault();
        s.edit(paste(graph.data));
      } catch {
        // Not ours: leave the paste alone.
      }
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    window.addEventListener('keydown', onKey);
    return () => {
      off();
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [actions]);

  const inspecting = useBackprop((s) => s.open);
  const last = training.history.at(-1);
  const running = training.state === 'running';

  return (
    <ActionsContext.Provider value={actions}>
      <div className="app">
        {/* The desktop app has its native menu; the browser gets the same menus as a bar. */}
        {info?.host === 'browser' && <MenuBar recent={state.recent} />}
        <header className="toolbar">
          <select
            data-testid="example-select"
            aria-label="New project from an example"
            value=""
            onChange={(e) =>
              e.target.value === '__blank' ? void state.newBlank() : e.target.value && void state.newFromExample(e.target.value)
            }
          >
            <option value="">New…</option>
            <option value="__blank">Empty canvas</option>
            {examples.map((ex) => (
              <option key={ex.name} value={ex.name}>
                {ex.title}
              </option>
            ))}
          </select>
          <ActionButton id="file.open" />
          <ActionButton id="file.save" />
          <ActionButton id="file.revert" testId="revert" />
          <ActionButton id="file.export" testId="export" />
          <span className="divider" />
          <ActionButton id="edit.undo" testId="undo" />
          <ActionButton id="edit.redo" testId="redo" />
          <ActionButton id="view.fit" />
          <ActionButton id="edit.layout" testId="layout" />
          <span className="divider" />
          <ActionButton id="train.startPause" testId="train-button" className="primary">
            {running ? '❚❚ Pause' : training.state === 'paused' ? '▶ Resume' : '▶ Train'}
          </ActionButton>
          <select
            data-testid="speed"
            aria-label="Training speed"
            title="How fast training runs: full speed, or a set number of training steps (batches) a second to watch each one"
            value={state.speed === null ? 'full' : String(state.speed)}
            onChange={(e) => void state.setSpeed(e.target.value === 'full' ? null : Number(e.target.value))}
          >
            <option value="full">full speed</option>
            <option value="100">100 steps/s</option>
            <option value="10">10 steps/s</option>
            <option value="2">2 steps/s</option>
          </select>
          <ActionButton id="train.stepSample" />
          <ActionButton id="train.stepBatch" />
          <ActionButton id="train.stepEpoch" />
          <ActionButton id="train.reset" />
          <ActionButton id="inspect.toggle" testId="inspect" />
          <ActionButton id="help.lecture" testId="notation-button" ariaLabel="The lecture’s notation" />
          <span className="divider" />
          <span className="readout">
            epoch <b data-testid="epoch">{training.epoch}</b>
          </span>
          <span className="readout" title="Samples of the current epoch trained on so far">
            sample <b data-testid="epoch-progress">{training.epochSize ? `${training.samplesIntoEpoch}/${training.epochSize}` : '—'}</b>
          </span>
          <span
            className="readout"
            title={
              last
                ? `Training loss of epoch ${last.epoch}: the mean over its steps, each measured just before its update (the evaluation panel measures the current weights)`
                : 'Training loss of the steps so far in this epoch'
            }
          >
            loss <b data-testid="loss">{formatValue(last?.loss ?? training.runningLoss)}</b>
          </span>
          <span
            className="readout"
            title="Training accuracy of the last epoch: the mean over its steps, each measured just before its update (the evaluation panel measures the current weights)"
          >
            acc <b data-testid="accuracy">{formatPercent(last?.accuracy)}</b>
          </span>
          <span className="readout state" data-testid="training-state">
            {training.state}
          </span>
        </header>

        {error && (
          <div className="error-banner" role="alert">
            {error}
            <button onClick={state.dismissError} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}

        {notice && !error && (
          <div className="notice-banner" role="status">
            {notice}
            <button onClick={state.dismissError} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}

        <main className="workspace">
          <section className="canvas">
            {project ? (
              <div className="editor">
                <div className="side">
                  <Palette
                    onMarkOutput={() => {
                      const chosen = project.graph.nodes.filter((n) => selection.has(n.id) && isComputing(n));
                      if (chosen.length === 0) {
                        useStudio.setState({
                          refusal: {
                            message: 'Select the unit (or units) that make the prediction, then mark them as the output.',
                            x: 24,
                            y: 96,
                          },
                        });
                        return;
                      }
                      const targets = datasetTargets(project);
                      let next = 0;
                      state.edit(
                        batch(
                          'Mark as output',
                          chosen.map((n) => {
                            const names = Array.from({ length: unitCount(n) }, () => targets[next++] ?? `${n.id}_${next}`);
                            return setOutput(n.id, names);
                          }),
                        ),
                      );
                    }}
                    onAdd={(template) => {
                      const centre = canvas.current?.centre() ?? { x: 0, y: 0 };
                      state.edit(addNode(template, { x: Math.round(centre.x / 20) * 20, y: Math.round(centre.y / 20) * 20 }));
                    }}
                  />
                  <div className="commands">
                    <h2>Build</h2>
                    <label>
                      Add a layer of
                      <input
                        type="number"
                        min={1}
                        max={64}
                        value={layerSize}
                        onChange={(e) => setLayerSize(Number(e.target.value))}
                        aria-label="Neurons in the new layer"
                      />
                      <select
                        value={layerActivation}
                        onChange={(e) => setLayerActivation(e.target.value as NeuronActivation)}
                        aria-label="Activation of the new layer"
                      >
                        {activationsFor('neuron').map((a) => (
                          <option key={a} value={a}>
                            {ACTIVATIONS[a].label}
                          </option>
                        ))}
                      </select>
                      neurons
                    </label>
                    <button
                      data-testid="add-layer"
                      onClick={() => {
                        const right = project.graph.nodes.reduce((most, n) => Math.max(most, n.position?.x ?? 0), -200);
                        state.edit(addNeuronLayer(layerSize, layerActivation, { x: right + 200, y: 0 }));
                      }}
                    >
                      Add layer
                    </button>
                    <button
                      data-testid="connect-all"
                      disabled={selection.size < 2}
                      title="Connect every selected unit in one column to every selected unit in the next column to its right"
                      onClick={() => state.edit(connectColumns(project.graph, selection))}
                    >
                      Connect columns
                    </button>
                  </div>
                </div>
                <Canvas key={state.documentId} compiled={compiled} onReady={(api) => (canvas.current = api)} />
              </div>
            ) : (
              <div className="empty">
                <h1>NN Studio</h1>
                <p>Start from one of the lecture’s examples, or open a project.</p>
                {state.recent.length > 0 && (
                  <div className="recent" data-testid="recent">
                    <h2>Recent</h2>
                    {state.recent.map((path) => (
                      <button key={path} className="link" onClick={() => void state.openPath(path)} title={path}>
                        {path.split(/[\\/]/).pop()} <span className="hint">{path}</span>
                      </button>
                    ))}
                  </div>
                )}
                <div className="example-cards">
                  {examples.map((ex) => (
                    <button key={ex.name} className="card" onClick={() => void state.newFromExample(ex.name)}>
                      <b>{ex.title}</b>
                      <span>{ex.description}</span>
                    </button>
                  ))}
                </div>
              </div>
            )}
          </section>
          <aside className="panel" hidden={panelsHidden}>
            {project && (
              <>
                <h2>Inspector</h2>
                <Inspector />
              </>
            )}
            <h2>Training</h2>
            {project && (
              <>
                <h2>Data</h2>
                <DataPanel />
                <h2>Hyperparameters</h2>
                <HyperparameterPanel />
              </>
            )}
            {training.message && <p className="message">{training.message}</p>}
            <table className="history">
              <thead>
                <tr>
                  <th>epoch</th>
                  <th>loss</th>
                  <th>acc</th>
                </tr>
              </thead>
              <tbody>
                {training.history.slice(-12).map((r) => (
                  <tr key={r.epoch}>
                    <td>{r.epoch}</td>
                    <td>{formatValue(r.loss)}</td>
                    <td>{formatPercent(r.accuracy)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </aside>
        </main>

        {project && inspecting && (
          <section className="dock backprop-dock" aria-label="Backprop inspector">
            <BackpropPanel />
          </section>
        )}
        {project && !panelsHidden && !inspecting && (
          <section className="dock" aria-label="Curves and decision regions">
            <Curves history={training.history} />
            <DecisionRegions project={project} />
            <EvaluationPanel project={project} />
          </section>
        )}

        <footer className="status">
          <span data-testid="compile-status">
            {compiled === null
              ? 'No project'
              : compiled.ok
                ? `✓ compiles — ${describeArchitecture(project!.graph, compiled)}`
                : `✗ ${compiled.errors[0].message}`}
          </span>
          <span>training: {training.state}</span>
          <span>{path ?? (project ? 'not saved' : '')}</span>
          <span>{info ? `${info.host === 'electron' ? 'desktop' : 'browser'} · v${info.version}` : ''}</span>
        </footer>
        {pickerOpen && <FilePicker mode={pickerOpen} />}
        {notationOpen && <NotationDialog onClose={() => setNotationOpen(false)} />}
        {paletteOpen && <CommandPalette onClose={closePalette} />}
        {exporting && project && <ExportDialog project={project} onClose={() => setExporting(false)} />}
        <Prompts />
        {refusal && (
          <div className="refusal" role="alert" data-testid="refusal" style={{ left: refusal.x + 12, top: refusal.y + 12 }}>
            {refusal.message}
          </div>
        )}
      </div>
    </ActionsContext.Provider>
  );
}

/**
 * Importing a CSV: pick the file, see a preview, choose the feature and target columns and how
 * to read the targets (binary, class labels or numbers: the data's obvious one by default, with
 * the reason, and a binary target's 0/1 mapping shown); every import error names its line and
 * column. The rows go into the project (an inline dataset), as one undoable edit.
 *
 * The file is read and imported in a worker (csv-import-worker.ts), held to the project's limits
 * as it goes, with a progress bar and Cancel, which terminates the worker. The dialog gets only
 * a preview and the imported numbers, so a large file never blocks the page.
 */
import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { CsvColumnSummary, CsvImportOptions, CsvTargetKind } from '../../../../engine/src/index';
import type { CsvWorkerProgress, CsvWorkerReply, CsvWorkerRequest, ImportedData } from './csv-import-core';
import { previewLines, type CsvPreview, type CsvProblem } from './csv-preview';
import { binaryMapping, suggestion, TARGET_KINDS } from './csv-targets';
import './CsvImport.css';
import { setData } from '../../document/commands';
import { useStudio } from '../../state/store';

const count = (n: number) => n.toLocaleString('en');

/** What the progress bar says: how far loading, reading or importing has got. */
function progressText(work: CsvWorkerProgress, name: string): string {
  const percent = `${work.total > 0 ? Math.floor((100 * work.done) / work.total) : 0}%`;
  if (work.phase === 'loading') return `Loading ${name}: ${percent} of ${count(work.total)} bytes…`;
  if (work.phase === 'reading') return `Reading ${name}: ${percent}, ${count(work.rows)} rows…`;
  if (work.phase === 'scanning') return `Checking the columns of ${name}: ${percent} of ${count(work.total)} rows…`;
  return `Importing ${count(work.done)} of ${count(work.total)} rows…`;
}

const PHASE_LABEL = {
  loading: 'Loading the file',
  reading: 'Reading the file',
  scanning: 'Checking the columns',
  importing: 'Importing the rows',
} as const;

export function CsvImport({ onClose }: { onClose: () => void }) {
  const edit = useStudio((s) => s.edit);
  const [name, setName] = useState('');
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  /** What each column holds, for the suggested kind of target. */
  const [columns, setColumns] = useState<CsvColumnSummary[]>([]);
  const [features, setFeatures] = useState<string[]>([]);
  const [targets, setTargets] = useState<string[]>([]);
  const [kind, setKind] = useState<CsvTargetKind>('label');
  /** Whether the user chose the kind: until then it follows the data's suggestion for the chosen targets. */
  const [kindChosen, setKindChosen] = useState(false);
  /** For binary targets: the value the user chose to read as 1, per column (own properties only). */
  const [positive, setPositive] = useState<Record<string, string>>({});
  /** The reading or importing under way, or null when the worker is idle. */
  const [work, setWork] = useState<CsvWorkerProgress | null>(null);
  /** The import of the current choice of columns, once it has succeeded. */
  const [imported, setResult] = useState<{ data: ImportedData; choice: CsvImportOptions } | null>(null);
  const [problem, setProblem] = useState<CsvProblem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const worker = useRef<Worker | null>(null);
  const fileInput = useRef<HTMLInputElement | null>(null);
  // Replies to anything but the latest request are stale: a newer choice superseded them.
  const latest = useRef(0);

  const stop = () => {
    worker.current?.terminate();
    worker.current = null;
    latest.current++;
  };
  useEffect(() => stop, []);

  const send = (request: CsvWorkerRequest) => worker.current?.postMessage(request);

  const onReply = (reply: CsvWorkerReply) => {
    if (reply.id !== latest.current) return;
    switch (reply.type) {
      case 'progress':
        setWork(reply.progress);
        break;
      case 'opened': {
        const chosen = reply.preview.header.slice(-1);
        setWork(null);
        setPreview(reply.preview);
        setColumns(reply.columns);
        setFeatures(reply.preview.header.slice(0, -1));
        setTargets(chosen);
        setKind(suggestion(reply.preview.header, reply.columns, chosen)?.kind ?? 'label');
        break;
      }
      case 'imported':
        setWork(null);
        if (sentFor.current) setResult({ data: reply.data, choice: sentFor.current });
        break;
      case 'problem':
        setWork(null);
        setProblem(reply.problem);
        break;
    }
  };

  // Each choice of columns is imported as it is made, so a bad cell shows before Import is
  // pressed, and Import uses this result instead of reading the file again.
  const choice = useMemo<CsvImportOptions>(() => ({ features, targets, targetKind: kind, positive }), [features, targets, kind, positive]);
  /** The choice the latest import request was for. */
  const sentFor = useRef<CsvImportOptions | null>(null);
  // Only an import of the choice on screen counts: in the render where the choice changes, the
  // last one's result is still there until the new request goes out.
  const result = imported && imported.choice === choice ? imported.data : null;
  useEffect(() => {
    if (!preview || !worker.current) return;
    const options = choice;
    sentFor.current = options;
    const id = ++latest.current;
    setResult(null);
    setProblem(null);
    setWork({ phase: 'importing', done: 0, total: preview.rowCount, rows: 0 });
    send({ type: 'import', id, options });
  }, [preview, choice]);

  const load = (file: File) => {
    stop();
    setName(file.name);
    setPreview(null);
    setColumns([]);
    setKindChosen(false);
    setPositive({});
    setResult(null);
    setProblem(null);
    setNotice(null);
    let started: Worker;
    try {
      started = new Worker(new URL('./csv-import-worker.ts', import.meta.url), { type: 'module' });
    } catch (e) {
      setWork(null);
      setProblem({
        message: `The CSV reader could not start (${e instanceof Error ? e.message : String(e)}), so ${file.name} was not imported.`,
        line: null,
        column: null,
      });
      return;
    }
    const failed = (event: Event) => {
      event.preventDefault();
      if (worker.current !== started) return;
      stop();
      setWork(null);
      setPreview(null);
      setProblem({ message: `The CSV reader stopped unexpectedly, so ${file.name} was not imported.`, line: null, column: null });
    };
    started.onmessage = (event: MessageEvent<CsvWorkerReply>) => worker.current === started && onReply(event.data);
    started.onerror = failed;
    started.onmessageerror = failed;
    worker.current = started;
    const id = ++latest.current;
    setWork({ phase: 'loading', done: 0, total: file.size, rows: 0 });
    send({ type: 'open', id, file });
  };

  const cancel = () => {
    stop();
    setWork(null);
    setPreview(null);
    setResult(null);
    setProblem(null);
    setNotice(`Cancelled: ${name} was not imported. Choose a file to start again.`);
    // So that choosing the same file again is a change.
    if (fileInput.current) fileInput.current.value = '';
  };

  const apply = () => {
    if (!result || work) return;
    try {
      const { features: names, targets: targetNames, size, x, y, classes } = result;
      const nf = names.length;
      const nt = targetNames.length;
      const rows = new Array<number[]>(size);
      for (let n = 0; n < size; n++) {
        const row = new Array<number>(nf + nt);
        for (let f = 0; f < nf; f++) row[f] = x[n * nf + f];
        for (let t = 0; t < nt; t++) row[nf + t] = y[n * nt + t];
        rows[n] = row;
      }
      const ok = edit(
        setData({
          dataset: {
            kind: 'inline',
            source: name,
            features: names,
            targets: targetNames,
            rows,
            ...(Object.keys(classes).length ? { classes } : {}),
          },
        }),
      );
      if (ok) onClose();
    } catch (e) {
      setProblem({ message: e instanceof Error ? e.message : String(e), line: null, column: null });
    }
  };

  const toggle = (list: string[], set: (l: string[]) => void, column: string) => {
    const next = list.includes(column) ? list.filter((c) => c !== column) : [...list, column];
    set(next);
    return next;
  };
  const toggleTarget = (column: string) => {
    const next = toggle(targets, setTargets, column);
    const suggested = preview && !kindChosen ? suggestion(preview.header, columns, next) : null;
    if (suggested) setKind(suggested.kind);
  };
  const suggested = preview ? suggestion(preview.header, columns, targets) : null;
  // Own properties, so that a column named '__proto__' is a key like any other.
  const swap = (column: string, names: readonly string[]) => setPositive({ ...positive, ...Object.fromEntries([[column, names[0]]]) });

  const waitingFor = work
    ? 'Wait until the file has been read.'
    : problem
      ? 'Fix the problem above first.'
      : !preview
        ? 'Choose a CSV file first.'
        : undefined;

  // On the page's body: inside the data panel it took the panel's narrow inputs and spread
  // labels, and later parts of the page (the charts) painted over it.
  return createPortal(
    <div className="modal" role="dialog" aria-label="Import a CSV file" style={{ zIndex: 100 }}>
      <div className="modal-body csv-dialog">
        <h2>Import a CSV file</h2>
        <input
          ref={fileInput}
          type="file"
          accept=".csv,text/csv"
          aria-label="CSV file"
          onChange={(e) => e.target.files?.[0] && load(e.target.files[0])}
        />
        {work && (
          <div data-testid="csv-progress" style={{ margin: '8px 0' }}>
            <div className="hint" data-testid="csv-progress-text" style={{ overflowWrap: 'anywhere' }}>
              {progressText(work, name)}
            </div>
            <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
              <progress
                aria-label={PHASE_LABEL[work.phase]}
                max={Math.max(1, work.total)}
                value={work.done}
                style={{ flex: 1, minWidth: 0 }}
              />
              <button onClick={cancel} data-testid="csv-cancel">
                Cancel
              </button>
            </div>
          </div>
        )}
        {notice && (
          <p className="hint" role="status" data-testid="csv-notice">
            {notice}
          </p>
        )}
        {problem && (
          <div className="error-text" role="alert" data-testid="csv-error" style={{ overflowWrap: 'anywhere' }}>
            {problem.message}
          </div>
        )}
        {!preview && problem && (
          <div className="csv-preview-box">
            <table className="csv-preview">
              <PreviewBody lines={previewLines(null, problem)} columns={1} />
            </table>
          </div>
        )}
        {preview && (
          <>
            {/* The table scrolls in its own box, so that a wide file never pushes Import out of sight. */}
            <div className="csv-preview-box" tabIndex={0} role="region" aria-label="Preview of the file's first rows">
              <table className="csv-preview">
                <thead>
                  <tr>
                    <th className="line-number">line</th>
                    {preview.header.map((column) => (
                      <th key={column}>
                        {column}
                        <div className="csv-roles">
                          <label>
                            <input
                              type="checkbox"
                              aria-label={`${column} is a feature`}
                              checked={features.includes(column)}
                              onChange={() => toggle(features, setFeatures, column)}
                            />{' '}
                            feature
                          </label>
                          <label>
                            <input
                              type="checkbox"
                              aria-label={`${column} is a target`}
                              checked={targets.includes(column)}
                              onChange={() => toggleTarget(column)}
                            />{' '}
                            target
                          </label>
                        </div>
                      </th>
                    ))}
                  </tr>
                </thead>
                <PreviewBody lines={previewLines(preview, problem)} columns={preview.header.length} />
              </table>
            </div>
            <div className="csv-targets">
              <span>{count(preview.rowCount)} rows.</span>
              <label>
                Targets are{' '}
                <select
                  aria-label="Target kind"
                  data-testid="csv-target-kind"
                  value={kind}
                  onChange={(e) => {
                    setKind(e.target.value as CsvTargetKind);
                    setKindChosen(true);
                  }}
                >
                  {TARGET_KINDS.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </select>
              </label>
              {suggested && (
                <span className="hint" data-testid="csv-suggestion">
                  {suggested.reason}
                </span>
              )}
            </div>
            {kind === 'binary' && result && (
              <ul className="csv-mapping" aria-label="How the binary targets are read" data-testid="csv-mapping">
                {result.targets.map((target) => {
                  const names = Object.hasOwn(result.classes, target) ? result.classes[target] : null;
                  if (!names) return null;
                  return (
                    <li key={target}>
                      <span>
                        <strong>{target}</strong>: {binaryMapping(names)}
                      </span>
                      <button
                        type="button"
                        onClick={() => swap(target, names)}
                        title={`Read ${names[0]} as 1 and ${names[1]} as 0 instead`}
                        aria-label={`Swap which value of ${target} is 1`}
                      >
                        Swap 0 and 1
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </>
        )}
        <div className="modal-actions">
          <button onClick={onClose}>Close</button>
          <button className="primary" disabled={!result || !!work} title={waitingFor} onClick={apply} data-testid="csv-import">
            Import
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}

/** The preview's rows, with the row an error concerns marked and its message right under it. */
function PreviewBody({ lines, columns }: { lines: ReturnType<typeof previewLines>; columns: number }) {
  return (
    <tbody>
      {lines.map((line, i) => (
        <Fragment key={i}>
          {line.kind === 'row' && (
            <tr className={line.error ? 'error-row' : undefined} data-testid={line.error ? 'csv-error-row' : undefined}>
              <td className="line-number">{count(line.line)}</td>
              {line.cells.map((cell, c) => (
                <td key={c} className={c === line.errorColumn ? 'error-cell' : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          )}
          {line.kind === 'raw' && (
            <tr className="error-row" data-testid="csv-error-row">
              <td className="line-number">{count(line.line)}</td>
              <td colSpan={columns}>{line.text}</td>
            </tr>
          )}
          {line.kind === 'gap' && (
            <tr>
              <td colSpan={columns + 1}>… {count(line.skipped)} more rows …</td>
            </tr>
          )}
          {line.kind === 'note' && (
            <tr className="error-note" data-testid="csv-error-note">
              <td colSpan={columns + 1}>↑ {line.message}</td>
            </tr>
          )}
        </Fragment>
      ))}
    </tbody>
  );
}

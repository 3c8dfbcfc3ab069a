/**
 * Importing a CSV: pick the file, see a preview, choose the feature and target columns and how
 * to read the targets; every import error names its line and column. The rows go into the
 * project (an inline dataset), as one undoable edit.
 */
import { Fragment, useMemo, useState } from 'react';
import { CsvError, importCsv, parseCsv, type CsvTable } from '../../engine/src/index';
import { previewLines, type CsvProblem } from './csv-preview';
import { setData } from './document/commands';
import { useStudio } from './store';

export function CsvImport({ onClose }: { onClose: () => void }) {
  const edit = useStudio((s) => s.edit);
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [table, setTable] = useState<CsvTable | null>(null);
  const [features, setFeatures] = useState<string[]>([]);
  const [targets, setTargets] = useState<string[]>([]);
  const [kind, setKind] = useState<'numeric' | 'label'>('label');
  const [error, setError] = useState<CsvProblem | null>(null);
  const asProblem = (e: unknown): CsvProblem =>
    e instanceof CsvError ? { message: e.message, line: e.line, column: e.column } : { message: e instanceof Error ? e.message : String(e), line: null, column: null };
  // The choice of columns is imported as it is made, so a bad cell shows before Import is pressed,
  // and Import uses this result instead of reading the file again.
  const imported = useMemo(() => {
    if (!table) return null;
    try {
      return { result: importCsv(text, { features, targets, targetKind: kind }), problem: null };
    } catch (e) {
      return { result: null, problem: asProblem(e) };
    }
  }, [table, text, features, targets, kind]);
  const problem = error ?? imported?.problem ?? null;

  const load = async (file: File) => {
    setError(null);
    setName(file.name);
    const content = await file.text();
    setText(content);
    try {
      const parsed = parseCsv(content);
      setTable(parsed);
      setFeatures(parsed.header.slice(0, -1));
      setTargets(parsed.header.slice(-1));
    } catch (e) {
      setTable(null);
      setError(asProblem(e));
    }
  };

  const apply = () => {
    if (!imported?.result) {
      if (imported?.problem) setError(imported.problem);
      return;
    }
    try {
      const { dataset, classes } = imported.result;
      const rows = Array.from({ length: dataset.size }, (_, n) => [
        ...Array.from(dataset.x.subarray(n * dataset.features.length, (n + 1) * dataset.features.length)),
        ...Array.from(dataset.y.subarray(n * dataset.targets.length, (n + 1) * dataset.targets.length)),
      ]);
      const ok = edit(setData({ dataset: { kind: 'inline', source: name, features: dataset.features, targets: dataset.targets, rows, ...(Object.keys(classes).length ? { classes } : {}) } }));
      if (ok) onClose();
    } catch (e) {
      setError(asProblem(e));
    }
  };

  const toggle = (list: string[], set: (l: string[]) => void, column: string) => {
    setError(null);
    set(list.includes(column) ? list.filter((c) => c !== column) : [...list, column]);
  };

  return (
    <div className="modal" role="dialog" aria-label="Import a CSV file">
      <div className="modal-body">
        <h2>Import a CSV file</h2>
        <input type="file" accept=".csv,text/csv" aria-label="CSV file" onChange={(e) => e.target.files?.[0] && void load(e.target.files[0])} />
        {problem && (
          <div className="error-text" role="alert" data-testid="csv-error">
            {problem.message}
          </div>
        )}
        {!table && problem && (
          <table className="csv-preview">
            <PreviewBody lines={previewLines(null, problem, text)} columns={1} />
          </table>
        )}
        {table && (
          <>
            <table className="csv-preview">
              <thead>
                <tr>
                  <th className="line-number">line</th>
                  {table.header.map((column) => (
                    <th key={column}>
                      {column}
                      <div className="csv-roles">
                        <label>
                          <input type="checkbox" aria-label={`${column} is a feature`} checked={features.includes(column)} onChange={() => toggle(features, setFeatures, column)} /> feature
                        </label>
                        <label>
                          <input type="checkbox" aria-label={`${column} is a target`} checked={targets.includes(column)} onChange={() => toggle(targets, setTargets, column)} /> target
                        </label>
                      </div>
                    </th>
                  ))}
                </tr>
              </thead>
              <PreviewBody lines={previewLines(table, problem, text)} columns={table.header.length} />
            </table>
            <p className="hint">
              {table.rows.length} rows. <label>
                Targets are{' '}
                <select aria-label="Target kind" value={kind} onChange={(e) => (setError(null), setKind(e.target.value as 'numeric' | 'label'))}>
                  <option value="label">class labels (one-hot)</option>
                  <option value="numeric">numbers (regression)</option>
                </select>
              </label>
            </p>
          </>
        )}
        <div className="modal-actions">
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={!table} onClick={apply} data-testid="csv-import">
            Import
          </button>
        </div>
      </div>
    </div>
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
                <td className="line-number">{line.line}</td>
                {line.cells.map((cell, c) => (
                  <td key={c} className={c === line.errorColumn ? 'error-cell' : undefined}>
                    {cell}
                  </td>
                ))}
              </tr>
            )}
            {line.kind === 'raw' && (
              <tr className="error-row" data-testid="csv-error-row">
                <td className="line-number">{line.line}</td>
                <td colSpan={columns}>{line.text}</td>
              </tr>
            )}
            {line.kind === 'gap' && (
              <tr>
                <td colSpan={columns + 1}>… {line.skipped} more rows …</td>
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

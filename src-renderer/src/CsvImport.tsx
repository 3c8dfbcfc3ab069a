/**
 * Importing a CSV: pick the file, see a preview, choose the feature and target columns and how
 * to read the targets; every import error names its line and column. The rows go into the
 * project (an inline dataset), as one undoable edit.
 */
import { useState } from 'react';
import { CsvError, importCsv, parseCsv, type CsvTable } from '../../engine/src/index';
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
  const [error, setError] = useState<string | null>(null);

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
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const apply = () => {
    try {
      const { dataset, classes } = importCsv(text, { features, targets, targetKind: kind });
      const rows = Array.from({ length: dataset.size }, (_, n) => [
        ...Array.from(dataset.x.subarray(n * dataset.features.length, (n + 1) * dataset.features.length)),
        ...Array.from(dataset.y.subarray(n * dataset.targets.length, (n + 1) * dataset.targets.length)),
      ]);
      const ok = edit(setData({ dataset: { kind: 'inline', source: name, features: dataset.features, targets: dataset.targets, rows, ...(Object.keys(classes).length ? { classes } : {}) } }));
      if (ok) onClose();
    } catch (e) {
      setError(e instanceof CsvError || e instanceof Error ? e.message : String(e));
    }
  };

  const toggle = (list: string[], set: (l: string[]) => void, column: string) => set(list.includes(column) ? list.filter((c) => c !== column) : [...list, column]);

  return (
    <div className="modal" role="dialog" aria-label="Import a CSV file">
      <div className="modal-body">
        <h2>Import a CSV file</h2>
        <input type="file" accept=".csv,text/csv" aria-label="CSV file" onChange={(e) => e.target.files?.[0] && void load(e.target.files[0])} />
        {error && (
          <div className="error-text" role="alert" data-testid="csv-error">
            {error}
          </div>
        )}
        {table && (
          <>
            <table className="csv-preview">
              <thead>
                <tr>
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
              <tbody>
                {table.rows.slice(0, 8).map((row, r) => (
                  <tr key={r}>
                    {row.map((cell, c) => (
                      <td key={c}>{cell}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="hint">
              {table.rows.length} rows. <label>
                Targets are{' '}
                <select aria-label="Target kind" value={kind} onChange={(e) => setKind(e.target.value as 'numeric' | 'label')}>
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

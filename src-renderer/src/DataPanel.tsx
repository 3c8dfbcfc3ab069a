/**
 * The data: a built-in dataset with its size, noise and seed (or the imported rows), the split and
 * the normalisation, and for two features a scatter plot of the points coloured by class.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { CsvImport } from './CsvImport';
import { BUILTIN_DATASETS, BUILTIN_DESCRIPTIONS, defaultSpec, isBinary, projectData, resolveDataset, type Dataset, type DatasetRef, type Normalisation } from '../../engine/src/index';
import { formatValue } from './format';
import { setData } from './document/commands';
import { NumberInput } from './NumberInput';
import { useStudio } from './store';

export function DataPanel() {
  const project = useStudio((s) => s.project);
  const edit = useStudio((s) => s.edit);
  const dataset = project?.dataset;
  const data = useMemo(() => {
    try {
      return dataset ? resolveDataset(dataset) : null;
    } catch {
      return null;
    }
  }, [dataset]);
  const split0 = project?.split;
  const method = project?.normalisation;
  // The statistics training uses: fitted on the training split only, as the worker fits them.
  const normalisation = useMemo(() => {
    try {
      return project && project.normalisation.method !== 'none' ? projectData(project).normalisation : null;
    } catch {
      return null;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dataset, split0, method]);
  const [importing, setImporting] = useState(false);
  if (!project || !dataset) return null;
  const split = project.split;
  const builtin = dataset.kind === 'builtin' ? dataset : null;
  const setBuiltin = (change: Partial<Extract<DatasetRef, { kind: 'builtin' }>>) => builtin && edit(setData({ dataset: { ...builtin, ...change } }));
  return (
    <div className="hyper" data-testid="data-panel">
      <label title={builtin ? BUILTIN_DESCRIPTIONS[builtin.name] : 'Rows imported into the project'}>
        <span>Dataset</span>
        <select
          aria-label="Dataset"
          value={builtin?.name ?? 'inline'}
          onChange={(e) => edit(setData({ dataset: { kind: 'builtin', ...defaultSpec(e.target.value as (typeof BUILTIN_DATASETS)[number]) } }))}
        >
          {!builtin && <option value="inline">imported ({dataset.kind === 'inline' ? dataset.rows.length : 0} rows)</option>}
          {BUILTIN_DATASETS.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {builtin && !['and', 'or', 'xor', 'iris'].includes(builtin.name) && (
        <>
          <label title="How many samples to generate.">
            <span>Samples</span>
            <NumberInput label="Samples" value={builtin.size} onCommit={(v) => v !== null && setBuiltin({ size: v })} />
          </label>
          <label title="Standard deviation of the Gaussian noise added to the inputs.">
            <span>Noise</span>
            <NumberInput label="Noise" value={builtin.noise} onCommit={(v) => v !== null && setBuiltin({ noise: v })} />
          </label>
          <label title="The same seed always generates the same points.">
            <span>Data seed</span>
            <NumberInput label="Data seed" value={builtin.seed} onCommit={(v) => v !== null && setBuiltin({ seed: v })} />
          </label>
        </>
      )}
      {builtin && isBinary(builtin.name) && (
        <label title="Class labels 0/1 (sigmoid, step) or −1/+1 (tanh, sign).">
          <span>Labels</span>
          <select aria-label="Labels" value={builtin.encoding} onChange={(e) => setBuiltin({ encoding: e.target.value as '01' | 'pm1' })}>
            <option value="01">0 / 1</option>
            <option value="pm1">−1 / +1</option>
          </select>
        </label>
      )}
      <label title="Shares of the samples for training, validation and test (shuffled with the split seed).">
        <span>Split</span>
        <span className="split">
          <NumberInput label="Training share" value={split.train} onCommit={(v) => v !== null && edit(setData({ split: { ...split, train: v, test: Math.max(0, +(1 - v - split.validation).toFixed(6)) } }))} />
          <NumberInput label="Validation share" value={split.validation} onCommit={(v) => v !== null && edit(setData({ split: { ...split, validation: v, test: Math.max(0, +(1 - split.train - v).toFixed(6)) } }))} />
          <span>test {+split.test.toFixed(4)}</span>
        </span>
      </label>
      <label title="Rescale inputs with statistics fitted on the training split only: standardise (mean 0, s.d. 1) or min-max (to [0, 1]).">
        <span>Normalise</span>
        <select aria-label="Normalisation" value={project.normalisation.method} onChange={(e) => edit(setData({ normalisation: e.target.value as 'none' | 'standardise' | 'minmax' }))}>
          <option value="none">none</option>
          <option value="standardise">standardise</option>
          <option value="minmax">min-max</option>
        </select>
      </label>
      {normalisation && <NormalisationTable normalisation={normalisation} />}
      <button onClick={() => setImporting(true)} data-testid="import-csv">
        Import CSV…
      </button>
      {importing && <CsvImport onClose={() => setImporting(false)} />}
      {data && data.features.length === 2 && <Scatter data={data} />}
      {data && (
        <p className="hint">
          {data.size} samples; features {data.features.join(', ')}; targets {data.targets.join(', ')}.
        </p>
      )}
    </div>
  );
}

/** The fitted statistics, as x' = (x − shift) / scale says them: mean and s.d., or minimum and range. */
function NormalisationTable({ normalisation }: { normalisation: Normalisation }) {
  const [shift, scale] = normalisation.method === 'minmax' ? ['min', 'range'] : ['mean', 's.d.'];
  return (
    <table className="norm-stats" data-testid="normalisation-stats" title="Fitted on the training split only, then applied to every split: x′ = (x − shift) / scale">
      <thead>
        <tr>
          <th>feature</th>
          <th>{shift}</th>
          <th>{scale}</th>
        </tr>
      </thead>
      <tbody>
        {normalisation.features.map((f) => (
          <tr key={f.name}>
            <td>{f.name}</td>
            <td>{formatValue(f.shift, 4)}</td>
            <td>{formatValue(f.scale, 4)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The points of a 2-D dataset, coloured by the first target (or the arg-max class). */
function Scatter({ data }: { data: Dataset }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const { width, height } = context.canvas;
    context.clearRect(0, 0, width, height);
    const xs = Array.from({ length: data.size }, (_, n) => data.x[n * 2]);
    const ys = Array.from({ length: data.size }, (_, n) => data.x[n * 2 + 1]);
    let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let n = 0; n < data.size; n++) {
      minX = Math.min(minX, xs[n]);
      maxX = Math.max(maxX, xs[n]);
      minY = Math.min(minY, ys[n]);
      maxY = Math.max(maxY, ys[n]);
    }
    const pad = 6;
    const sx = (v: number) => pad + ((v - minX) / (maxX - minX || 1)) * (width - 2 * pad);
    const sy = (v: number) => height - pad - ((v - minY) / (maxY - minY || 1)) * (height - 2 * pad);
    const nt = data.targets.length;
    for (let n = 0; n < data.size; n++) {
      const t = data.y[n * nt];
      // Positive class (1, or +1) orange, the other blue, as the edges are coloured.
      context.fillStyle = t > 0.5 ? '#e07b24' : '#2f6fde';
      context.beginPath();
      context.arc(sx(xs[n]), sy(ys[n]), 2.5, 0, 2 * Math.PI);
      context.fill();
    }
  }, [data]);
  return <canvas ref={canvas} width={240} height={180} className="scatter" aria-label="Scatter plot of the data" data-testid="scatter" />;
}

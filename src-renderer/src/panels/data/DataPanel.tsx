/**
 * The data: a built-in dataset with its size, noise and seed (or the imported rows), the split and
 * the normalisation, and for two features a scatter plot of the points coloured by class.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { CsvImport } from './CsvImport';
import { describeTargets, fewColumns } from './csv-targets';
import {
  BUILTIN_DATASETS,
  BUILTIN_DESCRIPTIONS,
  defaultSpec,
  isBinary,
  projectData,
  resolveDataset,
  rowPlaces,
  splitIndices,
  type Dataset,
  type DatasetRef,
  type Normalisation,
  type Project,
} from '../../../../engine/src/index';
import { useDataPreparation } from '../../ui/use-throttled';
import { adviseData, splitWithShares } from './data-fields';
import { positionOfRow } from '../../backprop/inspection';
import { useBackprop } from '../../backprop/store';
import { formatValue } from '../../ui/format';
import { setData } from '../../document/commands';
import { NumberInput } from '../../ui/NumberInput';
import { useStudio } from '../../state/store';
import { useThemeColors } from '../../ui/theme-colors';
import { Tex } from '../../ui/Tex';
import { useDigitsLoaded } from '../../engine-shims/digits-data';

export function DataPanel() {
  const project = useStudio((s) => s.project);
  const edit = useStudio((s) => s.edit);
  const editOrReason = useStudio((s) => s.editOrReason);
  const dataset = project?.dataset;
  const digitsLoaded = useDigitsLoaded();
  const data = useMemo(() => {
    try {
      return dataset ? resolveDataset(dataset) : null;
    } catch {
      return null;
    }
    // digitsLoaded: the digits' rows arrive after the first ask in the page (engine-shims/digits-data.ts).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dataset, digitsLoaded]);
  const [importing, setImporting] = useState(false);
  if (!project || !dataset) return null;
  const split = project.split;
  const builtin = dataset.kind === 'builtin' ? dataset : null;
  // Number fields show a refusal beside themselves (and keep the value in force); the selects' refusals are toasts.
  const setBuiltin = (change: Partial<Extract<DatasetRef, { kind: 'builtin' }>>) =>
    builtin ? editOrReason(setData({ dataset: { ...builtin, ...change } })) : null;
  const setShares = (train: number, validation: number) => editOrReason(setData({ split: splitWithShares(split, train, validation) }));
  return (
    <div className="hyper" data-testid="data-panel">
      <label title={builtin ? BUILTIN_DESCRIPTIONS[builtin.name] : 'Rows imported into the project'}>
        <span>Dataset</span>
        <select
          aria-label="Dataset"
          value={builtin?.name ?? 'inline'}
          onChange={(e) =>
            edit(setData({ dataset: { kind: 'builtin', ...defaultSpec(e.target.value as (typeof BUILTIN_DATASETS)[number]) } }))
          }
        >
          {!builtin && <option value="inline">imported ({dataset.kind === 'inline' ? dataset.rows.length : 0} rows)</option>}
          {BUILTIN_DATASETS.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {builtin && !['and', 'or', 'xor', 'iris', 'digits'].includes(builtin.name) && (
        <>
          <label title="How many samples to generate.">
            <span>Samples</span>
            <NumberInput
              label="Samples"
              testId="data-size"
              value={builtin.size}
              advise={(v) => adviseData('size', v)}
              onCommit={(v) => v !== null && setBuiltin({ size: v })}
            />
          </label>
          <label title="Standard deviation of the Gaussian noise added to the inputs.">
            <span>Noise</span>
            <NumberInput
              label="Noise"
              testId="data-noise"
              value={builtin.noise}
              advise={(v) => adviseData('noise', v)}
              onCommit={(v) => v !== null && setBuiltin({ noise: v })}
            />
          </label>
          <label title="The same seed always generates the same points.">
            <span>Data seed</span>
            <NumberInput
              label="Data seed"
              testId="data-seed"
              value={builtin.seed}
              advise={(v) => adviseData('seed', v)}
              onCommit={(v) => v !== null && setBuiltin({ seed: v })}
            />
          </label>
        </>
      )}
      {builtin && isBinary(builtin.name) && (
        <label title="Class labels 0/1 (sigmoid, step) or −1/+1 (tanh, sign).">
          <span>Labels</span>
          <select
            aria-label="Labels"
            value={builtin.encoding}
            onChange={(e) => edit(setData({ dataset: { ...builtin, encoding: e.target.value as '01' | 'pm1' } }))}
          >
            <option value="01">0 / 1</option>
            <option value="pm1">−1 / +1</option>
          </select>
        </label>
      )}
      <label title="Shares of the samples for training, validation and test (shuffled with the split seed).">
        <span>Split</span>
        <span className="split">
          <NumberInput
            label="Training share"
            testId="share-train"
            value={split.train}
            advise={(v) => adviseData('train', v)}
            onCommit={(v) => v !== null && setShares(v, split.validation)}
          />
          <NumberInput
            label="Validation share"
            testId="share-validation"
            value={split.validation}
            onCommit={(v) => v !== null && setShares(split.train, v)}
          />
          <span>test {+split.test.toFixed(4)}</span>
        </span>
      </label>
      <label title="Rescale inputs with statistics fitted on the training split only: standardise (mean 0, s.d. 1) or min-max (to [0, 1]).">
        <span>Normalise</span>
        <select
          aria-label="Normalisation"
          value={project.normalisation.method}
          onChange={(e) => edit(setData({ normalisation: e.target.value as 'none' | 'standardise' | 'minmax' }))}
        >
          <option value="none">none</option>
          <option value="standardise">standardise</option>
          <option value="minmax">min-max</option>
        </select>
      </label>
      {project.normalisation.method !== 'none' && <NormalisationTable project={project} />}
      <button onClick={() => setImporting(true)} data-testid="import-csv">
        Import CSV…
      </button>
      {importing && <CsvImport onClose={() => setImporting(false)} />}
      {data && data.features.length === 2 && <Scatter data={data} />}
      {data && (
        <p className="hint">
          {data.size} samples; features {fewColumns(data.features)}; targets{' '}
          {describeTargets(data.targets, dataset.kind === 'inline' ? dataset.classes : undefined)}.
        </p>
      )}
    </div>
  );
}

/**
 * The fitted statistics, as x' = (x − shift) / scale says them: mean and s.d., or minimum and
 * range — fitted on the training split only, as the worker fits them.
 */
function NormalisationTable({ project }: { project: Project }) {
  const fitted = useDataPreparation(project, (p) => projectData(p).normalisation);
  if (typeof fitted === 'string') return null;
  return <StatisticsTable normalisation={fitted} />;
}

function StatisticsTable({ normalisation }: { normalisation: Normalisation }) {
  const [shift, scale] = normalisation.method === 'minmax' ? ['min', 'range'] : ['mean', 's.d.'];
  const [shiftTex, scaleTex] = normalisation.method === 'minmax' ? ['\\min', '\\text{range}'] : ['\\mu', '\\sigma'];
  return (
    <table className="norm-stats" data-testid="normalisation-stats">
      <caption>
        <Tex tex={`x' = \\dfrac{x - ${shiftTex}}{${scaleTex}}`} />, fitted on the training split only, applied to every split
      </caption>
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
            <td title={String(f.shift)} data-value={String(f.shift)} data-testid={`shift-${f.name}`}>
              {formatValue(f.shift, 4)}
            </td>
            <td title={String(f.scale)} data-value={String(f.scale)} data-testid={`scale-${f.name}`}>
              {formatValue(f.scale, 4)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where each point of a 2-D dataset lands on a `width` × `height` plot. */
function scatterLayout(data: Dataset, width: number, height: number) {
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let n = 0; n < data.size; n++) {
    minX = Math.min(minX, data.x[n * 2]);
    maxX = Math.max(maxX, data.x[n * 2]);
    minY = Math.min(minY, data.x[n * 2 + 1]);
    maxY = Math.max(maxY, data.x[n * 2 + 1]);
  }
  const pad = 6;
  const px = (n: number) => pad + ((data.x[n * 2] - minX) / (maxX - minX || 1)) * (width - 2 * pad);
  const py = (n: number) => height - pad - ((data.x[n * 2 + 1] - minY) / (maxY - minY || 1)) * (height - 2 * pad);
  return { px, py };
}

/**
 * The points of a 2-D dataset, coloured by the first target (or the arg-max class). Clicking a
 * training point opens the backprop inspector on it; the inspected point is ringed.
 */
function Scatter({ data }: { data: Dataset }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const split = useStudio((s) => s.project?.split);
  const inspectedRows = useBackprop((s) => (s.open ? s.request.samples : null));
  const rows = useMemo(() => (split ? splitIndices(data.size, split) : null), [data, split]);
  const trainRows = useMemo(() => rows?.train ?? [], [rows]);
  // Every dataset row's split, to pick and refuse points by dataset row as the row table does.
  const places = useMemo(() => (rows ? rowPlaces(rows) : null), [rows]);
  const [message, setMessage] = useState<string | null>(null);
  const width = 240;
  const height = 180;
  const layout = useMemo(() => scatterLayout(data, width, height), [data]);
  const colors = useThemeColors();
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, width, height);
    const nt = data.targets.length;
    for (let n = 0; n < data.size; n++) {
      const t = data.y[n * nt];
      // Positive class (1, or +1) orange, the other blue, as the edges are coloured.
      context.fillStyle = t > 0.5 ? colors.positive : colors.negative;
      context.beginPath();
      context.arc(layout.px(n), layout.py(n), 2.5, 0, 2 * Math.PI);
      context.fill();
    }
    for (const row of inspectedRows ?? []) {
      const n = trainRows[row];
      if (n === undefined) continue;
      context.strokeStyle = colors.text;
      context.lineWidth = 2;
      context.beginPath();
      context.arc(layout.px(n), layout.py(n), 6, 0, 2 * Math.PI);
      context.stroke();
    }
  }, [data, layout, inspectedRows, trainRows, colors]);
  const pick = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * width;
    const y = ((event.clientY - box.top) / box.height) * height;
    let best = -1;
    let distance = Infinity;
    for (let n = 0; n < data.size; n++) {
      const d = (layout.px(n) - x) ** 2 + (layout.py(n) - y) ** 2;
      if (d < distance) [best, distance] = [n, d];
    }
    if (best < 0 || distance > 100 || !places) return;
    // Point n is dataset row n: refused naming its split, or traced as the row table traces it.
    const place = positionOfRow({ places }, best);
    if ('refusal' in place) return setMessage(place.refusal);
    setMessage(null);
    const backprop = useBackprop.getState();
    if (backprop.open) backprop.chooseSample(place.position);
    else void backprop.openAt(best);
  };
  return (
    <>
      <canvas
        ref={canvas}
        width={width}
        height={height}
        className="scatter"
        aria-label="Scatter plot of the data; click a point to inspect backprop on it"
        title="Click a training point to step through backprop on it"
        data-testid="scatter"
        onClick={pick}
      />
      {message && (
        <p className="hint" data-testid="scatter-message">
          {message}
        </p>
      )}
    </>
  );
}

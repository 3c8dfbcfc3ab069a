/**
 * File › Export…: the model for the real frameworks (ONNX, PyTorch, Keras), its weights and
 * training history, or a picture of the network (SVG, or PNG rasterised from the same SVG at
 * twice its size). The file is produced here by the engine and handed to the host as a download:
 * the browser saves it in its downloads, Electron asks where with its save dialog. The exporters
 * themselves (./exporters.ts) are fetched when the dialog opens, not with the app.
 */
import { useEffect, useState } from 'react';
import { EXPORT_FORMATS, exportFileName, type ExportFormat, type Project } from '../../../engine/src/index';
import { chunkOnce } from '../ui/load-chunk';

/** The exporters, fetched on the first export (the ONNX encoder and the script writers are not needed before). */
// The exporters (ONNX's encoder, the script writers) load only when the user exports.
const loadExporters = chunkOnce('The exporters', () => import('../../../engine/src/export/export-project'));

type Choice = ExportFormat | 'png';

/** What each format holds, in a sentence. */
const NOTES: Record<ExportFormat, string> = {
  onnx: 'The trained network with its input normalisation, as a standard ONNX graph for ONNX Runtime and the frameworks.',
  pytorch: 'A self-contained Python script: an nn.Module with these weights, the data and a training loop with these hyperparameters.',
  keras: 'A Keras Sequential model for a chain of dense layers; a hand-wired network says in the file why it cannot be expressed.',
  weights: 'Every weight and bias by node and edge, as JSON.',
  history: 'Loss and accuracy per epoch for training and validation, as CSV.',
  svg: 'The network as drawn, with the weights’ colours, as a vector picture.',
};

const CHOICES: { value: Choice; title: string; extension: string; note: string }[] = [
  ...(Object.entries(EXPORT_FORMATS) as [ExportFormat, (typeof EXPORT_FORMATS)[ExportFormat]][]).map(([value, f]) => ({
    value,
    title: f.title,
    extension: f.extension,
    note: NOTES[value],
  })),
  {
    value: 'png',
    title: 'Network picture (PNG)',
    extension: 'png',
    note: 'The network as drawn, with the weights’ colours, at twice the canvas’s size.',
  },
];

/** The project's name made safe as a file name. */
function safeName(project: Project): string {
  return (project.name || 'network').replace(/[^\p{L}\p{N}._ -]+/gu, '_').trim() || 'network';
}

/** The SVG drawn onto a canvas at `scale`, as PNG bytes. */
async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    const context = canvas.getContext('2d')!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The picture could not be encoded as PNG.'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

export function ExportDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const [choice, setChoice] = useState<Choice>('onnx');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Fetched as the dialog opens, so Export is instant; a failure is told when Export is pressed.
  useEffect(() => void loadExporters().catch(() => undefined), []);
  // Named after the project, so after its file: `homework.nnproj` exports as `homework.onnx`.
  const name = exportFileName(safeName(project), choice);
  const run = async () => {
    setError(null);
    setBusy(true);
    try {
      const { exportProject } = await loadExporters();
      if (choice === 'png') download(await svgToPng(exportProject(project, 'svg') as string), name);
      else {
        const content = exportProject(project, choice);
        download(new Blob([content as BlobPart], { type: EXPORT_FORMATS[choice].mediaType }), name);
      }
      onClose();
    } catch (e) {
      // The exporters name what they cannot express (a node, an activation): show it as it is.
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal" role="dialog" aria-label="Export">
      <div className="modal-body">
        <h2>Export</h2>
        <div className="export-choices" role="radiogroup" aria-label="Export format">
          {CHOICES.map((c) => (
            <label key={c.value} className={c.value === choice ? 'chosen' : undefined}>
              <input
                type="radio"
                name="export-format"
                value={c.value}
                checked={c.value === choice}
                onChange={() => setChoice(c.value)}
                data-testid={`export-${c.value}`}
              />
              <b>{c.title}</b> <span className="hint">.{c.extension}</span>
              <div className="hint">{c.note}</div>
            </label>
          ))}
        </div>
        <p className="hint">
          File name: <b data-testid="export-file-name">{name}</b>
        </p>
        {error && (
          <div className="error-text" role="alert" data-testid="export-error">
            {error}
          </div>
        )}
        <div className="modal-actions">
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={busy} onClick={() => void run()} data-testid="export-run">
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </div>
    </div>
  );
}

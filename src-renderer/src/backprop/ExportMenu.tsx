/**
 * The trace for exercise sheets: copy it or save it as CSV, JSON, Markdown or LaTeX.
 */
import { useState } from 'react';
import { traceToCsv, traceToJson, traceToLatex, traceToMarkdown, type StepTrace } from '../../../engine/src/index';

const FORMATS = {
  csv: { label: 'CSV', extension: 'csv', type: 'text/csv', write: traceToCsv },
  json: { label: 'JSON', extension: 'json', type: 'application/json', write: traceToJson },
  markdown: { label: 'Markdown table', extension: 'md', type: 'text/markdown', write: traceToMarkdown },
  latex: { label: 'LaTeX', extension: 'tex', type: 'application/x-tex', write: traceToLatex },
} as const;
type Format = keyof typeof FORMATS;

export function ExportMenu({ trace }: { trace: StepTrace }) {
  const [format, setFormat] = useState<Format>('markdown');
  const [message, setMessage] = useState<string | null>(null);
  // Samples are named by dataset row, "row 7 (training split)", as the panel shows them.
  const text = () => FORMATS[format].write(trace);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text());
      setMessage(`Copied as ${FORMATS[format].label}.`);
    } catch (error) {
      setMessage(`Could not copy: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const save = () => {
    const { extension, type } = FORMATS[format];
    const url = URL.createObjectURL(new Blob([text()], { type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `backprop-step-row-${trace.samples[0].row}.${extension}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <span className="bp-export">
      <select
        aria-label="Trace export format"
        value={format}
        onChange={(e) => setFormat(e.target.value as Format)}
        data-testid="bp-export-format"
      >
        {Object.entries(FORMATS).map(([key, f]) => (
          <option key={key} value={key}>
            {f.label}
          </option>
        ))}
      </select>
      <button onClick={() => void copy()} data-testid="bp-copy">
        Copy
      </button>
      <button onClick={save} data-testid="bp-save">
        Save…
      </button>
      {message && <span className="hint">{message}</span>}
    </span>
  );
}

/**
 * Exports: the trained network carried to other tools (ONNX, PyTorch and Keras code), its weights
 * and history as plain data, and a picture of it. Each is a pure function from a project to the
 * file's contents, so the CLI, the app's File menu and the tests share them.
 */

export * from './model';
export * from './onnx';
export * from './pytorch';
export * from './keras';
export * from './weights-json';
export * from './history-csv';
export * from './network-svg';
export { py as pythonLiteral } from './python';
// exportProject (every exporter behind one switch) is in ./export-project, imported from there:
// re-exported here, the app's first load would carry every exporter with it.

/** The formats a project can be exported to. */
export type ExportFormat = 'onnx' | 'pytorch' | 'keras' | 'weights' | 'history' | 'svg';

/** What each format is, for menus, file dialogs and usage text. */
export const EXPORT_FORMATS: Readonly<Record<ExportFormat, { title: string; extension: string; mediaType: string; binary: boolean }>> =
  Object.freeze({
    onnx: { title: 'ONNX model', extension: 'onnx', mediaType: 'application/octet-stream', binary: true },
    pytorch: { title: 'PyTorch script', extension: 'py', mediaType: 'text/x-python', binary: false },
    keras: { title: 'Keras script', extension: 'py', mediaType: 'text/x-python', binary: false },
    weights: { title: 'Weights (JSON)', extension: 'json', mediaType: 'application/json', binary: false },
    history: { title: 'Training history (CSV)', extension: 'csv', mediaType: 'text/csv', binary: false },
    svg: { title: 'Network picture (SVG)', extension: 'svg', mediaType: 'image/svg+xml', binary: false },
  });

/**
 * The file name an export gets by default: the project's (file) name with the format's suffix.
 * PyTorch and Keras share `.py`, so their names carry the framework and one does not replace the other.
 */
export function exportFileName(baseName: string, format: ExportFormat | 'png'): string {
  if (format === 'png') return `${baseName}.png`;
  const { extension } = EXPORT_FORMATS[format];
  return format === 'pytorch' || format === 'keras' ? `${baseName}.${format}.${extension}` : `${baseName}.${extension}`;
}

/** Whether a string names an export format. */
export function isExportFormat(name: string): name is ExportFormat {
  return Object.prototype.hasOwnProperty.call(EXPORT_FORMATS, name);
}

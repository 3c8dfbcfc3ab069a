/**
 * The exporters behind File › Export…, loaded only when the user exports (ExportDialog imports
 * this module with `import()`): the ONNX exporter and its protobuf encoder, the PyTorch and Keras
 * script writers and the data exports are of no use on the app's first load.
 *
 * Each exporter is imported from its own file, not through the engine's `exportProject`: that
 * function names all of them, so importing it from the first-load code would put them all back
 * in the first-load bundle.
 */
import type { ExportFormat } from '../../../engine/src/export/index';
import { exportHistoryCsv } from '../../../engine/src/export/history-csv';
import { exportKeras } from '../../../engine/src/export/keras';
import { exportNetworkSvg } from '../../../engine/src/export/network-svg';
import { exportOnnx } from '../../../engine/src/export/onnx';
import { exportPytorch } from '../../../engine/src/export/pytorch';
import { exportWeightsJson } from '../../../engine/src/export/weights-json';
import type { Project } from '../../../engine/src/project/schema';
import { assertNever } from '../../../engine/src/util/never';

/**
 * The contents of the project exported to `format`, as the engine's `exportProject` gives them
 * (bytes for ONNX, text for the others; exporters.test.ts holds the two together).
 * @throws ExportError when the network cannot be exported (the message names the node or edge).
 */
export function exportContents(project: Project, format: ExportFormat): Uint8Array | string {
  switch (format) {
    case 'onnx':
      return exportOnnx(project);
    case 'pytorch':
      return exportPytorch(project);
    case 'keras':
      return exportKeras(project);
    case 'weights':
      return exportWeightsJson(project);
    case 'history':
      return exportHistoryCsv(project);
    case 'svg':
      return exportNetworkSvg(project);
    default:
      return assertNever(format);
  }
}

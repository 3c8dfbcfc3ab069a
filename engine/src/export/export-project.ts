/**
 * Every export by its format's name, in one switch: the CLI, the app's File › Export… (which
 * loads this module only when the user exports, so the exporters stay out of the app's first
 * load) and the tests call it.
 */
import type { Project } from '../project/schema';
import type { ExportFormat } from './index';
import { exportHistoryCsv } from './history-csv';
import { exportKeras } from './keras';
import { exportNetworkSvg } from './network-svg';
import { exportOnnx, type OnnxOptions } from './onnx';
import { exportPytorch } from './pytorch';
import { exportWeightsJson } from './weights-json';

/**
 * The contents of the project exported to `format`: bytes for ONNX, text for the others.
 * @throws ExportError when the network cannot be exported (the message names the node or edge).
 */
export function exportProject(project: Project, format: ExportFormat, options: OnnxOptions = {}): Uint8Array | string {
  switch (format) {
    case 'onnx':
      return exportOnnx(project, options);
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
  }
}

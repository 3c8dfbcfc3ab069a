/**
 * NN Studio's engine: the network graph, its compiler, training by backprop or the perceptron
 * rule, and the step trace in the lecture's notation.
 *
 * Pure TypeScript with no DOM, Electron or Node imports: the same code runs in the main
 * process's worker, in the renderer and in the CLI.
 *
 * @packageDocumentation
 */
export * from './model/graph';
export * from './model/activations';
export * from './model/losses';
export * from './util/random';
export * from './compile/compile';
export * from './datasets/data';
export * from './fast/kernels';
export * from './train/init';
export * from './fast/metrics';
export * from './fast/batch-forward';
export {
  CONTROL_INTS,
  retireHelper,
  serveProducts,
  useProductThreads,
  type ProductAttachment,
  type ProductHelper,
  type ProductThreadHost,
} from './fast/product-threads';
export * from './train/train';
export * from './train/optimisers';
export * from './train/precision';
export * from './train/history';
export * from './explain/trace';
export * as lecture from './explain/lecture';
export * from './datasets/builtin';
export * from './datasets/prepare';
export * from './datasets/csv';
export { IRIS_FEATURES, IRIS_SPECIES } from './datasets/iris';
export { DIGITS_FEATURES, DIGITS_MAX, DIGITS_SIDE, DIGITS_TARGETS } from './datasets/digits';
export * from './project/schema';
export * from './project/format';
export * from './project/session';
export * from './project/runs';
export * from './project/examples';
export * from './project/network-for-data';
export * from './explain/trace-text';
export * from './export/index';
export * from './explain/gradient-check';
export * from './explain/trace-export';
export * from './explain/quiz';
export * from './util/quote';
export * from './util/format';
export * from './train/hyperparameter-advice';
export * from './train/coach';
export * from './project/blank';
export * from './util/never';
export * from './project/file-name';
export * from './lessons/checks';
export * from './lessons/lesson-format';
export * from './lessons/course';
export * from './lessons/progress';

/**
 * NN Studio's engine: the network graph, its compiler, training by backprop or the perceptron
 * rule, and the step trace in the lecture's notation.
 *
 * Pure TypeScript with no DOM, Electron or Node imports: the same code runs in the main
 * process's worker, in the renderer and in the CLI.
 *
 * @packageDocumentation
 */
export * from './graph';
export * from './activations';
export * from './losses';
export * from './random';
export * from './compile';
export * from './data';
export * from './kernels';
export * from './init';
export * from './metrics';
export * from './train';
export * from './history';
export * from './trace';
export * as lecture from './lecture';
export * from './datasets/builtin';
export * from './datasets/prepare';
export * from './datasets/csv';
export { IRIS_FEATURES, IRIS_SPECIES } from './datasets/iris';
export * from './project/schema';
export * from './project/format';
export * from './project/session';
export * from './project/examples';
export * from './trace-text';
export * from './export/index';
export * from './gradient-check';
export * from './trace-export';
export * from './quote';
export * from './hyperparameter-advice';
export * from './never';
export * from './project/file-name';

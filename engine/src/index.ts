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
export * from './trace';
export * as lecture from './lecture';

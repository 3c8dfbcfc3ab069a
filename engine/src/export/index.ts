/**
 * Exports: the trained network carried to other tools (ONNX, PyTorch and Keras code), its weights
 * and history as plain data, and a picture of it.
 */
export * from './model';
export * from './onnx';

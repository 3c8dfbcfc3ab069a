/** TensorFlow.js with its pure-JavaScript CPU backend or its WebAssembly backend. */
import type { Contender } from './types';
import { meanLoss } from '../workloads';

export function tfjs(backend: 'cpu' | 'wasm'): Contender {
  return {
    name: backend === 'cpu' ? 'TF.js CPU' : 'TF.js WASM',
    async prepare(workload, data, initial) {
      const tf = await import('@tensorflow/tfjs');
      if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
      await tf.setBackend(backend);
      await tf.ready();
      const model = tf.sequential();
      workload.layers.forEach((layer, l) => {
        model.add(tf.layers.dense({ units: layer.units, activation: layer.activation, inputShape: l === 0 ? [layer.inputs] : undefined }));
      });
      const loss =
        workload.loss === 'halfSquaredError'
          ? (yTrue: import('@tensorflow/tfjs').Tensor, yPred: import('@tensorflow/tfjs').Tensor) =>
              tf.mul(0.5, tf.sum(tf.square(tf.sub(yTrue, yPred)), -1))
          : workload.loss === 'binaryCrossEntropy'
            ? 'binaryCrossentropy'
            : 'categoricalCrossentropy';
      model.compile({ optimizer: tf.train.sgd(workload.learningRate), loss });
      const xs = tf.tensor2d(Float32Array.from(data.x), [data.samples, data.inputs]);
      const ys = tf.tensor2d(Float32Array.from(data.y), [data.samples, data.outputs]);
      // TF.js keeps a kernel as inputs × units: the transpose of the benchmark's units × inputs.
      const weights = initial.flatMap(({ w, b }, l) => {
        const { inputs, units } = workload.layers[l];
        const kernel = new Float32Array(inputs * units);
        for (let j = 0; j < units; j++) for (let i = 0; i < inputs; i++) kernel[i * units + j] = w[j * inputs + i];
        return [tf.tensor2d(kernel, [inputs, units]), tf.tensor1d(Float32Array.from(b))];
      });
      return {
        reset() {
          model.setWeights(weights);
        },
        async run() {
          await model.fit(xs, ys, { batchSize: workload.batchSize, epochs: workload.epochs, shuffle: false, verbose: 0 });
        },
        async finalLoss() {
          const predictions = model.predict(xs) as import('@tensorflow/tfjs').Tensor;
          const values = await predictions.data();
          predictions.dispose();
          return meanLoss(workload, values, data);
        },
        samplesPerRun: data.samples * workload.epochs,
        notes: ['float32'],
        precision: 'float32',
      };
    },
  };
}

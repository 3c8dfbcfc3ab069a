/** brain.js (CPU): trains one sample at a time, with one activation for every layer. */
import { createRequire } from 'node:module';
import { meanLoss } from '../workloads';
import type { Contender } from './types';

const require = createRequire(import.meta.url);

export const brain: Contender = {
  name: 'brain.js',
  async prepare(workload, data, initial) {
    const { NeuralNetwork } = require('brain.js') as { NeuralNetwork: new (options: object) => any };
    // brain.js applies one activation to every layer, output included; sigmoid is the one that
    // fits W1's and W2's 0/1 targets, and W2 (sigmoid everywhere, squared error) is exactly its model.
    const net = new NeuralNetwork({ hiddenLayers: workload.layers.slice(0, -1).map((l) => l.units), activation: 'sigmoid' });
    net.sizes = [workload.layers[0].inputs, ...workload.layers.map((l) => l.units)];
    net.initialize();
    const set = Array.from({ length: data.samples }, (_, n) => ({
      input: Array.from(data.x.subarray(n * data.inputs, (n + 1) * data.inputs)),
      output: Array.from(data.y.subarray(n * data.outputs, (n + 1) * data.outputs)),
    }));
    const notes = ['one sample per update', 'float32'];
    if (workload.name !== 'W2') notes.push('sigmoid in every layer and squared error (brain.js has no per-layer activation or softmax)');
    return {
      reset() {
        initial.forEach(({ w, b }, l) => {
          const inputs = workload.layers[l].inputs;
          for (let j = 0; j < workload.layers[l].units; j++) {
            net.biases[l + 1][j] = b[j];
            for (let i = 0; i < inputs; i++) net.weights[l + 1][j][i] = w[j * inputs + i];
            net.changes[l + 1][j].fill(0);
          }
        });
      },
      run() {
        // brain.js refuses a momentum of exactly 0; 1e-12 is none in float32.
        net.train(set, {
          iterations: workload.epochs,
          errorThresh: 1e-12,
          learningRate: workload.learningRate,
          momentum: 1e-12,
          log: false,
        });
      },
      finalLoss() {
        const predictions = new Float64Array(data.samples * data.outputs);
        set.forEach((sample, n) => predictions.set(net.run(sample.input), n * data.outputs));
        return meanLoss(workload, predictions, data);
      },
      samplesPerRun: data.samples * workload.epochs,
      notes,
      // On W2 brain.js's model (sigmoid everywhere, squared error) is the workload's.
      comparable: workload.name === 'W2',
      precision: 'float32',
    };
  },
};

/** synaptic: trains one sample at a time through its optimised (generated) network. */
import { createRequire } from 'node:module';
import { meanLoss } from '../workloads';
import type { Contender } from './types';

const require = createRequire(import.meta.url);

export const synaptic: Contender = {
  name: 'synaptic',
  async prepare(workload, data, initial) {
    const { Architect, Trainer, Neuron } = require('synaptic');
    const sizes = [workload.layers[0].inputs, ...workload.layers.map((l) => l.units)];
    const net = new Architect.Perceptron(...sizes);
    const layers = [net.layers.input, ...net.layers.hidden, net.layers.output];
    workload.layers.forEach((layer, l) => {
      const squash = {
        tanh: Neuron.squash.TANH,
        sigmoid: Neuron.squash.LOGISTIC,
        relu: Neuron.squash.RELU,
        softmax: Neuron.squash.LOGISTIC,
      }[layer.activation];
      layers[l + 1].set({ squash });
    });
    // synaptic is too slow for all of W3 in reasonable time: it trains on a subset, noted below.
    const samples = workload.name === 'W3' ? 200 : data.samples;
    const set = Array.from({ length: samples }, (_, n) => ({
      input: Array.from(data.x.subarray(n * data.inputs, (n + 1) * data.inputs)),
      output: Array.from(data.y.subarray(n * data.outputs, (n + 1) * data.outputs)),
    }));
    const trainer = new Trainer(net);
    const notes = ['one sample per update', "its output error is t − z without φ' (a cross-entropy gradient)"];
    if (workload.name === 'W3') notes.push(`${samples} of the ${data.samples} samples; logistic outputs (no softmax)`);
    return {
      reset() {
        initial.forEach(({ w, b }, l) => {
          const inputs = workload.layers[l].inputs;
          const previous = layers[l].list;
          layers[l + 1].list.forEach((neuron: any, j: number) => {
            neuron.bias = b[j];
            for (const connection of Object.values(neuron.connections.inputs) as any[])
              connection.weight = w[j * inputs + previous.indexOf(connection.from)];
          });
        });
        // Throw away synaptic's compiled copy so it picks up the weights just set.
        net.optimized?.reset?.();
        net.optimized = null;
      },
      run() {
        trainer.train(set, { rate: workload.learningRate, iterations: workload.epochs, error: -1, shuffle: false, cost: Trainer.cost.MSE });
      },
      finalLoss() {
        const predictions = new Float64Array(samples * data.outputs);
        set.forEach((sample, n) => predictions.set(net.activate(sample.input), n * data.outputs));
        return meanLoss(workload, predictions, { ...data, samples, y: data.y.subarray(0, samples * data.outputs) });
      },
      samplesPerRun: samples * workload.epochs,
      notes,
      comparable: false,
      precision: 'float64',
    };
  },
};

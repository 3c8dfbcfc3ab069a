/**
 * The benchmark's workloads: the same data and the same initial weights for every contender,
 * generated from seeds here so each process builds them identically.
 */
import { createRng } from '../engine/src/util/random';

/** A dense layer as every contender understands it. */
export interface LayerSpec {
  inputs: number;
  units: number;
  activation: 'tanh' | 'sigmoid' | 'relu' | 'softmax';
}

export type WorkloadName = 'W1' | 'W2' | 'W3';

export interface Workload {
  name: WorkloadName;
  title: string;
  layers: LayerSpec[];
  loss: 'binaryCrossEntropy' | 'halfSquaredError' | 'categoricalCrossEntropy';
  samples: number;
  batchSize: number;
  /** Epochs in one timed run. */
  epochs: number;
  learningRate: number;
}

export const WORKLOADS: Record<WorkloadName, Workload> = {
  W1: {
    name: 'W1',
    title: 'tiny: 2-8-8-1 tanh, sigmoid output, BCE, 10,000 samples, batch 32',
    layers: [
      { inputs: 2, units: 8, activation: 'tanh' },
      { inputs: 8, units: 8, activation: 'tanh' },
      { inputs: 8, units: 1, activation: 'sigmoid' },
    ],
    loss: 'binaryCrossEntropy',
    samples: 10_000,
    batchSize: 32,
    epochs: 2,
    learningRate: 0.1,
  },
  W2: {
    name: 'W2',
    title: 'online: 2-2-1 sigmoid, squared error, XOR, batch 1, 80,000 steps',
    layers: [
      { inputs: 2, units: 2, activation: 'sigmoid' },
      { inputs: 2, units: 1, activation: 'sigmoid' },
    ],
    loss: 'halfSquaredError',
    samples: 4,
    batchSize: 1,
    epochs: 20_000,
    learningRate: 0.1,
  },
  W3: {
    name: 'W3',
    title: 'wide: 784-128-10 ReLU, softmax, cross-entropy, 10,000 samples, batch 64',
    layers: [
      { inputs: 784, units: 128, activation: 'relu' },
      { inputs: 128, units: 10, activation: 'softmax' },
    ],
    loss: 'categoricalCrossEntropy',
    samples: 10_000,
    batchSize: 64,
    epochs: 1,
    learningRate: 0.1,
  },
};

/**
 * The workload as the benchmark runs it; `quick` shrinks every run tenfold (W2 keeps its four
 * samples), to check the harness rather than to measure.
 */
export function benchWorkload(name: WorkloadName, quick: boolean): Workload {
  const base = WORKLOADS[name];
  if (!quick) return base;
  return {
    ...base,
    epochs: Math.max(1, Math.ceil(base.epochs / 10)),
    samples: base.name === 'W2' ? base.samples : Math.ceil(base.samples / 10),
  };
}

/** The training data: `x` row-major (samples × inputs), `y` row-major (samples × outputs). */
export interface WorkloadData {
  x: Float64Array;
  y: Float64Array;
  samples: number;
  inputs: number;
  outputs: number;
}

/** The workload's data, from a fixed seed. */
export function workloadData(workload: Workload, samples = workload.samples): WorkloadData {
  const inputs = workload.layers[0].inputs;
  const outputs = workload.layers.at(-1)!.units;
  const x = new Float64Array(samples * inputs);
  const y = new Float64Array(samples * outputs);
  const rng = createRng(2026);
  for (let n = 0; n < samples; n++) {
    if (workload.name === 'W2') {
      const a = n & 1;
      const b = (n >> 1) & 1;
      x[n * 2] = a;
      x[n * 2 + 1] = b;
      y[n] = a ^ b;
    } else if (workload.name === 'W1') {
      // Two 2-D classes: inside or outside a circle, with a little noise.
      const u = rng.uniform(-1, 1);
      const v = rng.uniform(-1, 1);
      x[n * 2] = u;
      x[n * 2 + 1] = v;
      y[n] = u * u + v * v + rng.normal() * 0.05 < 0.5 ? 1 : 0;
    } else {
      for (let i = 0; i < inputs; i++) x[n * inputs + i] = rng.next();
      y[n * outputs + rng.int(outputs)] = 1;
    }
  }
  return { x, y, samples, inputs, outputs };
}

/** Initial weights per layer: `w` row-major (units × inputs, the engine's w_ji), and `b`. */
export function initialWeights(workload: Workload): { w: Float64Array; b: Float64Array }[] {
  const rng = createRng(7);
  return workload.layers.map((layer) => {
    // Glorot uniform, as TensorFlow.js initialises a dense layer by default.
    const limit = Math.sqrt(6 / (layer.inputs + layer.units));
    const w = Float64Array.from({ length: layer.units * layer.inputs }, () => rng.uniform(-limit, limit));
    const b = new Float64Array(layer.units);
    return { w, b };
  });
}

/** Mean loss of predictions (samples × outputs) against the targets, by the workload's loss. */
export function meanLoss(workload: Workload, predictions: ArrayLike<number>, data: WorkloadData): number {
  const { samples, outputs, y } = data;
  const epsilon = 1e-7;
  let total = 0;
  for (let n = 0; n < samples; n++) {
    for (let k = 0; k < outputs; k++) {
      const z = predictions[n * outputs + k];
      const t = y[n * outputs + k];
      if (workload.loss === 'halfSquaredError') total += 0.5 * (t - z) ** 2;
      else if (workload.loss === 'categoricalCrossEntropy') total -= t * Math.log(Math.max(z, epsilon));
      else total -= t * Math.log(Math.max(z, epsilon)) + (1 - t) * Math.log(Math.max(1 - z, epsilon));
    }
  }
  return total / samples;
}

/**
 * Weight initialisation. Every scheme is seeded, and locked weights keep their values.
 */
import { weightIndex, type CompiledModel } from '../compile/compile';
import { createRng } from '../util/random';

/** How initial weights are drawn. */
export type InitMethod = 'uniform' | 'xavier' | 'he';

/** Initialisation settings. */
export interface InitOptions {
  method: InitMethod;
  seed: number;
  /** For 'uniform': weights and biases are drawn from [−range, range]. Default 0.5. */
  range?: number;
}

/**
 * Draws new parameters for `model`.
 *
 * - uniform: every weight and bias from U(−range, range), the lecture's "randomly choose w".
 * - xavier (Glorot): weights from U(−a, a), a = √(6 / (fan_in + fan_out)); biases 0. Suits sigmoid and tanh.
 * - he: weights from N(0, 2 / fan_in); biases 0. Suits ReLU.
 *
 * A unit's fan-in counts every unit feeding it across all its incoming edges, and a weight's
 * fan-out every unit its source feeds, so the schemes apply to hand-wired DAGs as well as to layers.
 *
 * @param current Values to keep for locked parameters (normally the graph's present weights).
 */
export function initialiseParameters(model: CompiledModel, options: InitOptions, current?: ArrayLike<number>): Float64Array {
  const range = options.range ?? 0.5;
  if (!(range > 0) || !Number.isFinite(range)) throw new RangeError(`The initialisation range must be a positive number, got ${range}.`);
  const rng = createRng(options.seed);
  const params = new Float64Array(model.paramCount);
  // Fan-out of a weight w_ji is how many units its source unit i feeds (for a chain of layers, the
  // size of the layer the weight leads into), summed over all the source's outgoing edges.
  const fanOut = new Map<string, number>();
  for (const edge of model.edges) fanOut.set(edge.source, (fanOut.get(edge.source) ?? 0) + edge.targetUnits);
  for (const node of model.computing) {
    const fanIn = node.incoming.reduce((sum, e) => sum + e.sourceUnits, 0);
    for (const edge of node.incoming) {
      const limit = Math.sqrt(6 / (fanIn + fanOut.get(edge.source)!));
      for (let j = 0; j < edge.targetUnits; j++) {
        for (let i = 0; i < edge.sourceUnits; i++) {
          const p = weightIndex(edge, j, i);
          if (options.method === 'uniform') params[p] = rng.uniform(-range, range);
          else if (options.method === 'xavier') params[p] = rng.uniform(-limit, limit);
          else params[p] = rng.normal() * Math.sqrt(2 / fanIn);
        }
      }
    }
    for (let u = 0; u < node.units; u++) {
      params[node.biasOffset + u] = options.method === 'uniform' ? rng.uniform(-range, range) : 0;
    }
  }
  if (current) {
    if (current.length !== model.paramCount)
      throw new RangeError(`Expected ${model.paramCount} current parameters, got ${current.length}.`);
    for (let p = 0; p < model.paramCount; p++) if (model.locked[p]) params[p] = current[p];
  }
  return params;
}

/**
 * Gradient kernels: the part of a training step that runs forward and backward over a batch and
 * sums the gradient. The trainer picks one per model; all of them compute the same numbers (the
 * tests hold each to the readable trace to 1e-12).
 *
 * - interpreted: walks the compiled model unit by unit (kernels.ts); works everywhere.
 * - generated: straight-line JavaScript specialised to one small network, the way synaptic's
 *   "standalone" functions are; needs `new Function`, which a strict CSP forbids in a page, so
 *   the trainer falls back to the interpreted kernel there.
 * - batched: a mini-batch at a time as matrix products (batched.ts), for wide layers.
 */
import type { CompiledModel } from '../compile/compile';
import type { BoundData } from '../datasets/data';
import { backward, createWorkspace, forward, sampleLoss, type Workspace } from './kernels';
import type { LossName } from '../model/losses';
import { isClassifier, outputCorrect } from './metrics';

/** What a kernel reports for the batch it just ran. */
export interface BatchTotals {
  /** Sum of the per-sample losses (before the update). */
  lossSum: number;
  /** Samples whose every output was right (0 when the model is not a classifier). */
  correct: number;
}

/** Forward and backward over a batch. */
export interface GradientKernel {
  readonly kind: KernelKind;
  /** The number format it computes in (`../train/precision.ts`). */
  readonly precision: ResolvedPrecision;
  /**
   * Runs samples `order[first .. first + count)` of `data` forward and backward and adds
   * `scale × ∂J/∂θ` to `grad` for every parameter (grad is not cleared first).
   */
  accumulate(
    params: Float64Array,
    grad: Float64Array,
    data: BoundData,
    order: Uint32Array,
    first: number,
    count: number,
    scale: number,
    totals: BatchTotals,
  ): void;
  /** Where the trainer should keep its parameters, gradient and optimiser memory, when the kernel has a preference. */
  allocate?(length: number): Float64Array;
  /** Optimiser steps over whole vectors that run faster than the registry's own (see {@link VectorSteps}), if the kernel has them. */
  readonly vectorSteps?: VectorSteps | null;
  /**
   * The most threads one of its products ran on since the last call (1: none was split across
   * helper threads), then counts afresh. Absent: always one thread.
   */
  takeWidestSplit?(): number;
}

/**
 * The optimisers' steps in WebAssembly SIMD over a products arena's float64 vectors
 * (engine/wasm/optimiser-steps.ts, `step_<optimiser>`, in the float64 and float32 modules alike):
 * each computes what the registry's step computes, bit for bit, several times faster.
 * `../train/optimisers.ts` decides when one may run and gives it its numbers.
 */
export interface VectorSteps {
  /**
   * Whether {@link run} can take `optimiser`'s step over these vectors: the module has
   * `step_<optimiser>`, the lengths agree and every vector lives in the arena.
   */
  reaches(optimiser: string, params: Float64Array, grad: Float64Array, slots: readonly Float64Array[]): boolean;
  /**
   * Runs `step_<optimiser>` over the parameters, their gradient (L1 and L2 already in it) and the
   * optimiser's memory slots, with up to six numbers after them (`numbers[0..5]`).
   * @throws Error when {@link reaches} says it cannot.
   */
  run(optimiser: string, params: Float64Array, grad: Float64Array, slots: readonly Float64Array[], numbers: Float64Array): void;
}

/**
 * The number format a kernel computes in: float64 ('exact') or float32 ('fast'). The setting that
 * chooses it, with 'auto', is `../train/precision.ts`.
 */
export type ResolvedPrecision = 'exact' | 'fast';

/** Which kernel to use; 'auto' picks the fastest that works here. */
export type KernelKind = 'interpreted' | 'generated' | 'batched';

/** The kernel that walks the compiled model (kernels.ts) one sample at a time. */
export class InterpretedKernel implements GradientKernel {
  readonly kind = 'interpreted';
  readonly precision = 'exact';
  private readonly ws: Workspace;
  private readonly classifier: boolean;
  constructor(
    private readonly model: CompiledModel,
    private readonly loss: LossName,
  ) {
    this.ws = createWorkspace(model);
    this.classifier = isClassifier(model);
  }

  accumulate(
    params: Float64Array,
    grad: Float64Array,
    data: BoundData,
    order: Uint32Array,
    first: number,
    count: number,
    scale: number,
    totals: BatchTotals,
  ): void {
    const { model, ws, loss } = this;
    const nf = model.features.length;
    const nt = model.targets.length;
    const outputs = model.outputs;
    let lossSum = 0;
    let correct = 0;
    for (let k = first; k < first + count; k++) {
      const n = order[k];
      forward(model, params, data.x, n * nf, ws);
      lossSum += sampleLoss(model, loss, ws, data.t, n * nt);
      if (this.classifier) {
        let right = true;
        for (let o = 0; o < outputs.length && right; o++) right = outputCorrect(outputs[o], ws.z, data.t, n * nt);
        if (right) correct++;
      }
      backward(model, params, loss, ws, data.t, n * nt, grad, scale);
    }
    totals.lossSum = lossSum;
    totals.correct = correct;
  }
}

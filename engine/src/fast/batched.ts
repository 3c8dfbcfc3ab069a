/**
 * The batched kernel: a mini-batch at a time, each computing node as matrix products over the
 * batch's rows (S = X·Wᵀ + b, ∂W = Gᵀ·X, ∂X = G·W). It pays off for wide layers, where one
 * product replaces thousands of small loops; with the WebAssembly products it is the fastest path
 * for networks like 784-128-10.
 *
 * In exact precision it adds, per parameter, the same products in the same sample order as the
 * interpreted kernel; only the grouping of the sums differs, so results agree to rounding (tested
 * against the trace). In fast precision (`../train/precision.ts`) the same code runs over float32
 * matrices with float32 products: the batch's rows, activations and gradients, and a float32 copy
 * of the weights taken at each call, while the gradient is added to the caller's float64 one.
 */
import { softmaxBackward, softmaxForward } from '../model/activations';
import type { CompiledModel, CompiledNode } from '../compile/compile';
import type { BoundData } from '../datasets/data';
import { activate, activationBackward } from './kernels';
import { cancelledTargetSum, lossForm, outputLoss, type LossName } from '../model/losses';
import { isClassifier, outputCorrect } from './metrics';
import { addInto, jsGemm, type FloatArray, type Gemm, type MatrixRef } from './gemm';
import { createWasmArena, createWasmArena32, type ProductThreads } from './wasm-gemm';
import type { BatchTotals, GradientKernel, ResolvedPrecision, VectorSteps } from './gradient-kernel';

/** Rows processed together; larger batches are run in chunks of this many. */
export const MAX_CHUNK_ROWS = 256;

/** Where a node's input matrix comes from. */
type InputSource =
  /** Exactly the data's feature columns in order: the node reads the batch's data rows. */
  | { kind: 'data' }
  /** Exactly one computing node: the node reads its output matrix. */
  | { kind: 'node'; node: number }
  /** Anything else: columns gathered into the node's own matrix. */
  | { kind: 'gather'; columns: { from: 'data' | 'one' | number; column: number }[] };

interface NodeBuffers {
  node: CompiledNode;
  input: InputSource;
  /** Own input matrix for 'gather' (rows × fanIn). */
  x: FloatArray | null;
  /** Pre-activations, outputs, ∂J/∂s and ∂J/∂z (rows × units). */
  s: FloatArray;
  z: FloatArray;
  gs: FloatArray;
  gz: FloatArray;
  /** Whether any source is a computing node (so ∂X is needed). */
  feedsBack: boolean;
  /** ∂X for 'gather' nodes (rows × fanIn), scattered to the sources afterwards. */
  gx: FloatArray | null;
}

/** The products over the kernel's own arrays, and where those arrays come from. */
interface Arena {
  gemm: Gemm<FloatArray>;
  /** A zeroed array in the kernel's precision, where the products run fastest. */
  allocate(length: number): FloatArray;
  /** Whether `array` lives where the products can read it in place. */
  holds(array: Float64Array): boolean;
  /** A zeroed Float64Array where {@link narrow} and {@link widenAdd} are fastest (the trainer's weights and gradient). */
  allocate64(length: number): Float64Array;
  /** dst = src in the kernel's precision (the weights' copy). */
  narrow(dst: FloatArray, src: Float64Array): void;
  /** dst += src (the kernel's gradient added to the trainer's). */
  widenAdd(dst: Float64Array, src: FloatArray): void;
  /** The helper threads large products are split across, if any. */
  threads: ProductThreads | null;
  /** The optimisers' SIMD steps over the arena's float64 vectors, if any. */
  vectorSteps: VectorSteps | null;
}

/** Mini-batch forward and backward as matrix products. */
export class BatchedKernel implements GradientKernel {
  readonly kind = 'batched';
  private readonly nodes: NodeBuffers[];
  private readonly xData: FloatArray;
  private readonly tData: FloatArray;
  private readonly rows: number;
  private readonly classifier: boolean;
  private readonly zRow: Float64Array;
  private readonly tRow: Float64Array;
  private readonly gemm: Gemm<FloatArray>;
  private readonly arena: Arena;
  /** The weights and the gradient the products use when the caller's cannot be used in place (see weightsFor). */
  private ownWeights: FloatArray | null = null;
  private ownGradient: FloatArray | null = null;

  /**
   * @param maxBatch Largest batch this kernel will see; larger ones are chunked.
   * @param products 'auto' uses the WebAssembly SIMD products where available; 'typescript' forces the reference ones.
   * @param precision 'exact' computes in float64, 'fast' in float32.
   */
  constructor(
    private readonly model: CompiledModel,
    private readonly loss: LossName,
    maxBatch: number,
    products: 'auto' | 'typescript' = 'auto',
    readonly precision: ResolvedPrecision = 'exact',
  ) {
    this.rows = Math.max(1, Math.min(maxBatch, MAX_CHUNK_ROWS));
    const rows = this.rows;
    const nf = model.features.length;
    // Everything the products touch lives in one arena: the parameters and the gradient (the
    // trainer's own, see allocate, or the kernel's copies), the batch's data rows, and each
    // node's matrices. Room for both the trainer's and the kernel's copies is kept, since a
    // trainer can switch to this kernel after it allocated elsewhere, and the optimiser's memory
    // (up to two vectors) lives here too, for its SIMD step: in float64, four vectors and the two
    // copies; in float32 elements, the four float64 vectors take eight parameter counts and the
    // float32 copies two.
    const values =
      (precision === 'fast' ? 10 : 6) * model.paramCount +
      rows * (nf + model.targets.length) +
      model.computing.reduce((sum, node) => sum + rows * (4 * node.units + 2 * node.fanIn), 0);
    this.arena = createArena(precision, products === 'auto' ? values : 0);
    this.gemm = this.arena.gemm;
    let bytes = 0;
    const alloc = (length: number) => {
      const array = this.arena.allocate(length);
      bytes += array.byteLength;
      return array;
    };
    this.xData = alloc(rows * nf);
    this.tData = alloc(rows * model.targets.length);
    this.classifier = isClassifier(model);
    this.zRow = new Float64Array(model.slotCount);
    this.tRow = new Float64Array(model.targets.length);
    const computingIndex = new Map<number, number>();
    model.computing.forEach((node, index) => {
      for (let u = 0; u < node.units; u++) computingIndex.set(node.start + u, index);
    });
    const inputSlot = new Map(model.inputs.map((input, f) => [input.slot, f]));

    this.nodes = model.computing.map((node) => {
      const slots = Array.from(node.inputSlots);
      let input: InputSource;
      const first = computingIndex.get(slots[0]);
      if (slots.length === nf && slots.every((slot, c) => inputSlot.get(slot) === c)) input = { kind: 'data' };
      else if (
        first !== undefined &&
        slots.length === model.computing[first].units &&
        slots.every((slot, c) => slot === model.computing[first].start + c)
      ) {
        input = { kind: 'node', node: first };
      } else {
        input = {
          kind: 'gather',
          columns: slots.map((slot) => {
            if (inputSlot.has(slot)) return { from: 'data' as const, column: inputSlot.get(slot)! };
            const source = computingIndex.get(slot);
            if (source === undefined) return { from: 'one' as const, column: 0 };
            return { from: source, column: slot - model.computing[source].start };
          }),
        };
      }
      const feedsBack = slots.some((slot) => computingIndex.has(slot));
      return {
        node,
        input,
        x: input.kind === 'gather' ? alloc(rows * node.fanIn) : null,
        s: alloc(rows * node.units),
        z: alloc(rows * node.units),
        gs: alloc(rows * node.units),
        gz: alloc(rows * node.units),
        feedsBack,
        gx: input.kind === 'gather' && feedsBack ? alloc(rows * node.fanIn) : null,
      };
    });
    this.matrixBytes = bytes;
  }

  /** Bytes of the batch's rows and the nodes' matrices (not the parameters): what precision halves. */
  readonly matrixBytes: number;

  /** Which products run: 'webassembly-simd', 'webassembly-simd-f32', 'typescript', …. */
  get products(): string {
    return this.gemm.name;
  }

  /** The helper threads this kernel's large products are split across, or null when all run on the calling thread. */
  get threads(): ProductThreads | null {
    return this.arena.threads;
  }

  /**
   * A Float64Array where the kernel works on it fastest (the trainer keeps its parameters,
   * gradient and the optimiser's memory here): the optimiser's SIMD steps work on it in place,
   * and in exact precision the products read it in place too (in fast precision they read a
   * float32 copy). Room for four parameter vectors is reserved; past that, a plain array (the
   * same numbers, only without the fast paths).
   */
  allocate(length: number): Float64Array {
    try {
      return this.arena.allocate64(length);
    } catch (error) {
      if (error instanceof RangeError) return new Float64Array(length);
      throw error;
    }
  }

  takeWidestSplit(): number {
    return this.arena.threads?.takeWidestSplit() ?? 1;
  }

  /** The optimisers' SIMD steps over vectors from {@link allocate} (where WebAssembly SIMD runs), else null. */
  get vectorSteps(): VectorSteps | null {
    return this.arena.vectorSteps;
  }

  /** The weights the products read: the caller's where they can be read in place, else a copy (rounded to float32 in fast precision). */
  private weightsFor(params: Float64Array): FloatArray {
    if (this.precision === 'exact' && this.arena.holds(params)) return params;
    const copy = (this.ownWeights ??= this.arena.allocate(params.length));
    this.arena.narrow(copy, params);
    return copy;
  }

  /** Where the products add the gradient: the caller's where they can write it in place, else a zeroed buffer of the kernel's that {@link addGradient} adds to it. */
  private gradientFor(grad: Float64Array): FloatArray {
    if (this.precision === 'exact' && this.arena.holds(grad)) return grad;
    const own = (this.ownGradient ??= this.arena.allocate(grad.length));
    own.fill(0);
    return own;
  }

  private addGradient(own: FloatArray, grad: Float64Array): void {
    if (own !== grad) this.arena.widenAdd(grad, own);
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
    let lossSum = 0;
    let correct = 0;
    const w = this.weightsFor(params);
    const g = this.gradientFor(grad);
    for (let done = 0; done < count; done += this.rows) {
      const rows = Math.min(this.rows, count - done);
      this.loadRows(data, order, first + done, rows);
      this.forwardRows(w, rows);
      const chunk = this.lossAndOutputGradients(rows);
      lossSum += chunk.lossSum;
      correct += chunk.correct;
      this.backwardRows(w, g, rows, scale);
    }
    this.addGradient(g, grad);
    totals.lossSum = lossSum;
    totals.correct = correct;
  }

  private loadRows(data: BoundData, order: Uint32Array, first: number, rows: number): void {
    const nf = this.model.features.length;
    const nt = this.model.targets.length;
    for (let r = 0; r < rows; r++) {
      const n = order[first + r];
      const x = data.x,
        xd = this.xData,
        t = data.t,
        td = this.tData;
      for (let i = 0, a = n * nf, b = r * nf; i < nf; i++) xd[b + i] = x[a + i];
      for (let i = 0, a = n * nt, b = r * nt; i < nt; i++) td[b + i] = t[a + i];
    }
  }

  /** The input matrix of a node (for gathered inputs, its own buffer as last filled). */
  private inputOf(buffers: NodeBuffers): MatrixRef<FloatArray> {
    const { input, node } = buffers;
    if (input.kind === 'data') return { data: this.xData, offset: 0, stride: this.model.features.length };
    if (input.kind === 'node') return { data: this.nodes[input.node].z, offset: 0, stride: this.nodes[input.node].node.units };
    return { data: buffers.x!, offset: 0, stride: node.fanIn };
  }

  /** Copies a gathered node's input columns from the data and the nodes that feed it. */
  private gatherInput(buffers: NodeBuffers, rows: number): void {
    const { input, node } = buffers;
    if (input.kind !== 'gather') return;
    const x = buffers.x!;
    const nf = this.model.features.length;
    input.columns.forEach((col, c) => {
      for (let r = 0; r < rows; r++) {
        x[r * node.fanIn + c] =
          col.from === 'data'
            ? this.xData[r * nf + col.column]
            : col.from === 'one'
              ? 1
              : this.nodes[col.from].z[r * this.nodes[col.from].node.units + col.column];
      }
    });
  }

  private forwardRows(params: FloatArray, rows: number): void {
    for (const buffers of this.nodes) {
      const { node, s, z } = buffers;
      const units = node.units;
      // The bias in the first row, copied down the others within s (no view allocated per row).
      for (let u = 0; u < units; u++) s[u] = params[node.biasOffset + u];
      for (let r = 1; r < rows; r++) s.copyWithin(r * units, 0, units);
      this.gatherInput(buffers, rows);
      const x = this.inputOf(buffers);
      this.gemm.nt(
        rows,
        units,
        node.fanIn,
        x,
        { data: params, offset: node.weightOffset, stride: node.fanIn },
        { data: s, offset: 0, stride: units },
      );
      if (node.activation === 'softmax') for (let r = 0; r < rows; r++) softmaxForward(s, z, r * units, units);
      else activate(node.activation, s, z, 0, rows * units);
    }
  }

  /** Loss and accuracy of the chunk, and ∂J/∂s of the output nodes. */
  private lossAndOutputGradients(rows: number): BatchTotals {
    const { model, loss, tData } = this;
    const nt = model.targets.length;
    let lossSum = 0;
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      let right = this.classifier;
      for (const buffers of this.nodes) {
        const { node, s, z, gs, gz } = buffers;
        if (!node.output) continue;
        const units = node.units;
        const at = r * units;
        const tAt = r * nt + node.output.targetStart;
        lossSum += outputLoss(loss, node.activation, s, z, tData, at, units, tAt);
        if (right) {
          // outputCorrect reads z at node.start and t at its target start: copy this row into place.
          for (let k = 0; k < units; k++) this.zRow[node.start + k] = z[at + k];
          for (let k = 0; k < nt; k++) this.tRow[k] = tData[r * nt + k];
          right = outputCorrect(node, this.zRow, this.tRow, 0);
        }
        const form = lossForm(loss, node.activation);
        if (form?.cancels) {
          const mass = cancelledTargetSum(node.activation, tData, tAt, units);
          for (let k = 0; k < units; k++) gs[at + k] = z[at + k] * mass - tData[tAt + k];
        } else {
          for (let k = 0; k < units; k++) gz[at + k] = form ? form.gradient(z[at + k], tData[tAt + k]) : NaN;
          if (node.activation === 'softmax') softmaxBackward(z, gz, gs, at, units);
          else activationBackward(node.activation, s, z, gz, gs, at, units);
        }
      }
      if (right) correct++;
    }
    return { lossSum, correct };
  }

  private backwardRows(params: FloatArray, grad: FloatArray, rows: number, scale: number): void {
    for (const buffers of this.nodes) if (!buffers.node.output) buffers.gz.fill(0, 0, rows * buffers.node.units);
    for (let n = this.nodes.length - 1; n >= 0; n--) {
      const buffers = this.nodes[n];
      const { node, s, z, gs, gz } = buffers;
      const units = node.units;
      if (!node.output) {
        if (node.activation === 'softmax') for (let r = 0; r < rows; r++) softmaxBackward(z, gz, gs, r * units, units);
        else activationBackward(node.activation, s, z, gz, gs, 0, rows * units);
      }
      const w: MatrixRef<FloatArray> = { data: params, offset: node.weightOffset, stride: node.fanIn };
      // ∂X = G·W with the unscaled G, as the interpreted kernel accumulates ∂J/∂z.
      if (buffers.feedsBack) {
        const input = buffers.input;
        if (input.kind === 'node') {
          const source = this.nodes[input.node];
          this.gemm.nn(rows, node.fanIn, units, { data: gs, offset: 0, stride: units }, w, {
            data: source.gz,
            offset: 0,
            stride: source.node.units,
          });
        } else if (input.kind === 'gather') {
          const gx = buffers.gx!;
          gx.fill(0, 0, rows * node.fanIn);
          this.gemm.nn(rows, node.fanIn, units, { data: gs, offset: 0, stride: units }, w, { data: gx, offset: 0, stride: node.fanIn });
          input.columns.forEach((col, c) => {
            if (typeof col.from !== 'number') return;
            const source = this.nodes[col.from];
            for (let r = 0; r < rows; r++) source.gz[r * source.node.units + col.column] += gx[r * node.fanIn + c];
          });
        }
      }
      // ∂W += (scale·G)ᵀ·X and ∂b += Σ_rows scale·G: the same products, in sample order, as per sample.
      for (let i = 0; i < rows * units; i++) gs[i] *= scale;
      for (let r = 0; r < rows; r++) for (let u = 0; u < units; u++) grad[node.biasOffset + u] += gs[r * units + u];
      this.gemm.tn(units, node.fanIn, rows, { data: gs, offset: 0, stride: units }, this.inputOf(buffers), {
        data: grad,
        offset: node.weightOffset,
        stride: node.fanIn,
      });
    }
  }
}

/**
 * The kernel's arrays and products: WebAssembly SIMD over an arena of `values` numbers when that
 * is available here (and `values` > 0), else plain typed arrays with the TypeScript products.
 */
function createArena(precision: ResolvedPrecision, values: number): Arena {
  // Only float32 products are split across threads: exact precision is for networks too small to gain.
  const wasm = values <= 0 ? null : precision === 'fast' ? createWasmArena32(values, { threads: true }) : createWasmArena(values);
  if (wasm) {
    const buffer = wasm.allocate(0).buffer;
    const inArena = (array: FloatArray) => array.buffer === buffer;
    const conversions = 'narrow' in wasm ? wasm : null;
    return {
      gemm: wasm.gemm as Gemm<FloatArray>,
      allocate: (length) => wasm.allocate(length),
      holds: inArena,
      allocate64: (length) => (conversions ? conversions.allocate64(length) : (wasm.allocate(length) as Float64Array)),
      narrow: (dst, src) => (conversions && dst instanceof Float32Array ? conversions.narrow(dst, src) : dst.set(src)),
      widenAdd: (dst, src) => (conversions && src instanceof Float32Array ? conversions.widenAdd(dst, src) : addInto(dst, src)),
      threads: conversions ? conversions.threads : null,
      vectorSteps: wasm.vectorSteps,
    };
  }
  const Floats = precision === 'fast' ? Float32Array : Float64Array;
  return {
    gemm: jsGemm as Gemm<FloatArray>,
    allocate: (length) => new Floats(length),
    holds: () => precision === 'exact',
    allocate64: (length) => new Float64Array(length),
    narrow: (dst, src) => dst.set(src),
    widenAdd: addInto,
    threads: null,
    vectorSteps: null,
  };
}

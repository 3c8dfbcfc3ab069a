/**
 * Batched inference: many rows through the network at once, each computing node as one matrix
 * product over a chunk of rows (S = X·Wᵀ + b, then φ), on the same products as the batched
 * training kernel (WebAssembly SIMD where available). Evaluation, prediction, the confusion
 * matrix and the plane views all run here rather than one sample at a time.
 *
 * Rows go through in chunks of a bounded size, so the memory a pass needs depends on the network
 * alone, never on how many rows it is given. Results equal the per-sample {@link forward} to
 * rounding (float64 throughout; only the grouping of each unit's sum differs). A plan in fast
 * precision passes the rows in float32, on the float32 products fast training uses, for the
 * evaluations of a run that trains so (its validation loss each epoch).
 */
import { softmaxForward } from '../model/activations';
import type { CompiledModel, CompiledNode } from '../compile/compile';
import { activate } from './kernels';
import { jsGemm, type FloatArray, type Gemm, type MatrixRef } from './gemm';
import type { ResolvedPrecision } from './gradient-kernel';
import { createWasmArena, createWasmArena32, type WasmArena } from './wasm-gemm';

/** The most rows one chunk holds. */
export const FORWARD_CHUNK_ROWS = 256;

/**
 * The most float64s a chunk's matrices may take (16 MiB): a network with very wide layers gets
 * fewer rows per chunk rather than more memory.
 */
export const FORWARD_CHUNK_DOUBLES = 2_097_152;

/** Where a node's input matrix comes from (as in the batched training kernel). */
type InputSource =
  /** Exactly the model's features in order: the node reads the chunk's input rows. */
  | { kind: 'data' }
  /** Exactly one computing node's units in order: the node reads that node's outputs. */
  | { kind: 'node'; node: number }
  /** Anything else: columns gathered into the node's own matrix. */
  | { kind: 'gather'; columns: { from: 'data' | 'one' | number; column: number }[] };

/** One chunk of rows after its forward pass, as {@link ForwardPlan.run} hands it to its visitor. */
export interface ForwardChunk {
  /** Index of the chunk's first row among all the rows of the pass. */
  readonly first: number;
  /** Rows in this chunk. */
  readonly rows: number;
  /** The chunk's inputs, rows × `model.features.length`, row-major. */
  readonly x: FloatArray;
  /** Per computing node (in `model.computing` order): pre-activations s, rows × units, row-major. */
  readonly s: readonly FloatArray[];
  /** Per computing node: outputs z, rows × units, row-major. */
  readonly z: readonly FloatArray[];
}

/** How a {@link ForwardPlan} runs: for the tests, which exercise chunk boundaries and both products. */
export interface ForwardPlanOptions {
  /** Rows per chunk (at most {@link FORWARD_CHUNK_ROWS} by default, fewer for very wide networks). */
  chunkRows?: number;
  /** 'auto' uses the WebAssembly SIMD products where available; 'typescript' forces the reference ones. */
  products?: 'auto' | 'typescript';
  /** 'exact' (the default): float64 throughout; 'fast': the chunk's matrices and the weights in float32. */
  precision?: ResolvedPrecision;
}

/**
 * The buffers and products for passing chunks of rows forward through one model. Build it once
 * per model (or take the shared one from {@link forwardPlan}) and run it as often as needed.
 */
export class ForwardPlan {
  /** Rows per chunk. */
  readonly chunkRows: number;
  /** The number format the pass computes in. */
  readonly precision: ResolvedPrecision;
  private readonly sources: InputSource[];
  private readonly xChunk: FloatArray;
  private readonly gathered: (FloatArray | null)[];
  private readonly s: FloatArray[];
  private readonly z: FloatArray[];
  /** The parameters are copied here for each pass (rounded to float32 in fast precision), so the WebAssembly products can read them. */
  private readonly params: FloatArray;
  private readonly gemm: Gemm<FloatArray>;
  private busy = false;

  constructor(
    readonly model: CompiledModel,
    options: ForwardPlanOptions = {},
  ) {
    const nf = model.features.length;
    const computingIndex = new Map<number, number>();
    model.computing.forEach((node, index) => {
      for (let u = 0; u < node.units; u++) computingIndex.set(node.start + u, index);
    });
    const inputColumn = new Map(model.inputs.map((input, f) => [input.slot, f]));
    this.sources = model.computing.map((node) => sourceOf(node, model, nf, inputColumn, computingIndex));
    const perRow =
      nf + model.computing.reduce((sum, node, n) => sum + 2 * node.units + (this.sources[n].kind === 'gather' ? node.fanIn : 0), 0);
    const fitting = Math.max(1, Math.floor(FORWARD_CHUNK_DOUBLES / Math.max(1, perRow)));
    this.chunkRows = Math.max(1, Math.floor(options.chunkRows ?? Math.min(FORWARD_CHUNK_ROWS, fitting)));
    const rows = this.chunkRows;
    // Each buffer's start is rounded up to 16 bytes: room for one more float64 (four float32s) per buffer.
    const buffers = 2 + 3 * model.computing.length;
    this.precision = options.precision ?? 'exact';
    const fast = this.precision === 'fast';
    const values = model.paramCount + rows * perRow + (fast ? 4 : 2) * buffers;
    const arena: WasmArena<FloatArray> | null =
      options.products === 'typescript' ? null : fast ? createWasmArena32(values, { relaxed: true }) : createWasmArena(values);
    this.gemm = arena?.gemm ?? jsGemm;
    const alloc = (length: number): FloatArray =>
      arena ? arena.allocate(length) : fast ? new Float32Array(length) : new Float64Array(length);
    this.params = alloc(model.paramCount);
    this.xChunk = alloc(rows * nf);
    this.gathered = model.computing.map((node, n) => (this.sources[n].kind === 'gather' ? alloc(rows * node.fanIn) : null));
    this.s = model.computing.map((node) => alloc(rows * node.units));
    this.z = model.computing.map((node) => alloc(rows * node.units));
  }

  /** Which products run: 'webassembly-simd', 'webassembly-simd-f32', 'webassembly-relaxed-simd-f32' or 'typescript'. */
  get products(): string {
    return this.gemm.name;
  }

  /** Whether a pass is under way (a visitor that starts another pass on the same model needs its own plan). */
  get running(): boolean {
    return this.busy;
  }

  /**
   * Passes `rows` rows of `x` (row-major, `model.features` order) forward, a chunk at a time,
   * calling `visit` after each chunk. The chunk's matrices are reused by the next one: read them
   * inside `visit`.
   * @throws RangeError when `params`, `x` or `rows` do not fit the model, or this plan is already running a pass.
   */
  run(params: ArrayLike<number>, x: ArrayLike<number>, rows: number, visit: (chunk: ForwardChunk) => void): void {
    const { model } = this;
    const nf = model.features.length;
    if (params.length !== model.paramCount)
      throw new RangeError(`The network has ${model.paramCount} parameters but ${params.length} were given.`);
    if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`The number of rows must be a whole number, got ${rows}.`);
    if (x.length < rows * nf) throw new RangeError(`${rows} rows of ${nf} features need ${rows * nf} numbers but ${x.length} were given.`);
    if (this.busy) throw new RangeError('This forward plan is already running a pass: give the nested pass a plan of its own.');
    this.busy = true;
    try {
      this.params.set(params);
      const chunk = { first: 0, rows: 0, x: this.xChunk, s: this.s, z: this.z };
      for (let first = 0; first < rows; first += this.chunkRows) {
        const count = Math.min(this.chunkRows, rows - first);
        if (x instanceof Float64Array || x instanceof Float32Array) this.xChunk.set(x.subarray(first * nf, (first + count) * nf));
        else for (let i = 0; i < count * nf; i++) this.xChunk[i] = x[first * nf + i];
        this.forwardChunk(count);
        chunk.first = first;
        chunk.rows = count;
        visit(chunk);
      }
    } finally {
      this.busy = false;
    }
  }

  private forwardChunk(rows: number): void {
    const { model, params } = this;
    const nf = model.features.length;
    model.computing.forEach((node, n) => {
      const units = node.units;
      const s = this.s[n];
      const z = this.z[n];
      // The bias in the first row, copied down the others within s.
      for (let u = 0; u < units; u++) s[u] = params[node.biasOffset + u];
      for (let r = 1; r < rows; r++) s.copyWithin(r * units, 0, units);
      const source = this.sources[n];
      let input: MatrixRef<FloatArray>;
      if (source.kind === 'data') input = { data: this.xChunk, offset: 0, stride: nf };
      else if (source.kind === 'node') input = { data: this.z[source.node], offset: 0, stride: model.computing[source.node].units };
      else {
        const x = this.gathered[n]!;
        source.columns.forEach((col, c) => {
          if (col.from === 'data') for (let r = 0; r < rows; r++) x[r * node.fanIn + c] = this.xChunk[r * nf + col.column];
          else if (col.from === 'one') for (let r = 0; r < rows; r++) x[r * node.fanIn + c] = 1;
          else {
            const from = this.z[col.from];
            const width = model.computing[col.from].units;
            for (let r = 0; r < rows; r++) x[r * node.fanIn + c] = from[r * width + col.column];
          }
        });
        input = { data: x, offset: 0, stride: node.fanIn };
      }
      const weights: MatrixRef<FloatArray> = { data: params, offset: node.weightOffset, stride: node.fanIn };
      this.gemm.nt(rows, units, node.fanIn, input, weights, { data: s, offset: 0, stride: units });
      if (node.activation === 'softmax') for (let r = 0; r < rows; r++) softmaxForward(s, z, r * units, units);
      else activate(node.activation, s, z, 0, rows * units);
    });
  }
}

function sourceOf(
  node: CompiledNode,
  model: CompiledModel,
  nf: number,
  inputColumn: Map<number, number>,
  computingIndex: Map<number, number>,
): InputSource {
  const slots = Array.from(node.inputSlots);
  if (slots.length === nf && slots.every((slot, c) => inputColumn.get(slot) === c)) return { kind: 'data' };
  const first = computingIndex.get(slots[0]);
  if (
    first !== undefined &&
    slots.length === model.computing[first].units &&
    slots.every((slot, c) => slot === model.computing[first].start + c)
  )
    return { kind: 'node', node: first };
  return {
    kind: 'gather',
    columns: slots.map((slot) => {
      const column = inputColumn.get(slot);
      if (column !== undefined) return { from: 'data' as const, column };
      const source = computingIndex.get(slot);
      // Anything that is neither an input nor a computing unit is a bias node: constant 1.
      if (source === undefined) return { from: 'one' as const, column: 0 };
      return { from: source, column: slot - model.computing[source].start };
    }),
  };
}

/** One shared plan per model and precision: the app evaluates the same model several times a second. */
const plans: Record<ResolvedPrecision, WeakMap<CompiledModel, ForwardPlan>> = { exact: new WeakMap(), fast: new WeakMap() };

/**
 * The model's shared {@link ForwardPlan} in `precision` (float64 unless asked), built on first use
 * (a fresh one while the shared one is running a pass, so a visitor may evaluate the same model again).
 */
export function forwardPlan(model: CompiledModel, precision: ResolvedPrecision = 'exact'): ForwardPlan {
  const shared = plans[precision].get(model);
  if (shared && !shared.running) return shared;
  const plan = new ForwardPlan(model, { precision });
  if (!shared) plans[precision].set(model, plan);
  return plan;
}

/** What else {@link forwardBatch} records besides the outputs. */
export interface ForwardBatchOptions {
  /**
   * Value slots (an input's, a bias node's or a computing unit's) whose z to record for every
   * row, for views of a chosen unit's activations.
   */
  slots?: ArrayLike<number>;
  /** Where the slots' values go: rows × `slots.length`, row-major. Needed with `slots`. */
  slotValues?: Float64Array;
  /** The plan to run (by default the model's shared one). */
  plan?: ForwardPlan;
}

/**
 * The network's outputs for `rows` rows of `x` (row-major, in `model.features` order), written
 * to `out` as rows × `model.targets.length` in `model.targets` order (each output node's units
 * at its target columns), as {@link predict} gives them for one row. `out` may be null when
 * only `options.slots` are wanted.
 * @throws RangeError when an array is too short for the model and the rows, or a slot does not exist.
 */
export function forwardBatch(
  model: CompiledModel,
  params: ArrayLike<number>,
  x: ArrayLike<number>,
  rows: number,
  out: Float64Array | null,
  options: ForwardBatchOptions = {},
): void {
  const nt = model.targets.length;
  const slots = options.slots ?? [];
  const width = slots.length;
  if (out && out.length < rows * nt)
    throw new RangeError(`${rows} rows of ${nt} outputs need room for ${rows * nt} numbers but out holds ${out.length}.`);
  const slotValues = options.slotValues;
  if (width > 0 && (!slotValues || slotValues.length < rows * width))
    throw new RangeError(`${rows} rows of ${width} units need room for ${rows * width} numbers in slotValues.`);
  const plan = options.plan ?? forwardPlan(model);
  if (plan.model !== model) throw new RangeError('The forward plan was built for another model.');
  const readers = Array.from(slots, (slot) => slotReader(model, slot));
  const outputs = model.outputs.map((node) => ({ index: model.computing.indexOf(node), units: node.units, at: node.output!.targetStart }));
  const nf = model.features.length;
  plan.run(params, x, rows, (chunk) => {
    for (let r = 0; r < chunk.rows; r++) {
      const row = chunk.first + r;
      if (out) {
        for (const { index, units, at } of outputs) {
          const z = chunk.z[index];
          for (let k = 0; k < units; k++) out[row * nt + at + k] = z[r * units + k];
        }
      }
      for (let c = 0; c < width; c++) {
        const reader = readers[c];
        slotValues![row * width + c] =
          reader.from === 'data'
            ? chunk.x[r * nf + reader.column]
            : reader.from === 'one'
              ? 1
              : chunk.z[reader.from][r * reader.units + reader.column];
      }
    }
  });
}

/** Where a slot's value is found in a chunk. */
function slotReader(model: CompiledModel, slot: number): { from: 'data' | 'one' | number; column: number; units: number } {
  if (!Number.isInteger(slot) || slot < 0 || slot >= model.slotCount) throw new RangeError(`The network has no value slot ${slot}.`);
  const feature = model.inputs.findIndex((input) => input.slot === slot);
  if (feature >= 0) return { from: 'data', column: feature, units: 1 };
  const node = model.computing.findIndex((n) => slot >= n.start && slot < n.start + n.units);
  if (node >= 0) return { from: node, column: slot - model.computing[node].start, units: model.computing[node].units };
  return { from: 'one', column: 0, units: 1 };
}

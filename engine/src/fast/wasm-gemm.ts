/**
 * The WebAssembly SIMD matrix products behind the same {@link Gemm} interface as the TypeScript
 * ones: float64 (engine/wasm/gemm.ts, shipped base64-encoded in wasm-binary.ts) and float32
 * (engine/wasm/gemm-f32.ts, in wasm-binary-f32.ts, with a relaxed-SIMD build using fused
 * multiply-add where the runtime validates it).
 *
 * Matrices must live in the instance's own memory, so the products come with an arena: the
 * caller reserves every buffer it will need up front, and the memory never grows afterwards
 * (growing would detach the typed-array views handed out).
 */
import { addInto, jsGemm, type FloatArray, type Gemm, type MatrixRef } from './gemm';
import { GEMM_WASM_BASE64 } from './wasm-binary';
import {
  GEMM_F32_RELAXED_WASM_BASE64,
  GEMM_F32_SHARED_RELAXED_WASM_BASE64,
  GEMM_F32_SHARED_WASM_BASE64,
  GEMM_F32_WASM_BASE64,
} from './wasm-binary-f32';
import { ProductSplitter, productThreadHost, type ProductHelper, type RawProducts } from './product-threads';
import type { VectorSteps } from './gradient-kernel';

const PAGE_BYTES = 65_536;
const compiled = new Map<string, WebAssembly.Module | null>();

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const clean = text.replace(/=+$/, '');
  const bytes = new Uint8Array(new ArrayBuffer(Math.floor((clean.length * 3) / 4)));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of clean) {
    value = (value << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (value >> bits) & 0xff;
    }
  }
  return bytes;
}

/** A compiled module, or null where WebAssembly (or a feature the binary uses) is unavailable here. */
function wasmModule(base64: string): WebAssembly.Module | null {
  if (!compiled.has(base64)) {
    let module: WebAssembly.Module | null = null;
    try {
      const bytes = typeof WebAssembly === 'object' ? decodeBase64(base64) : null;
      if (bytes && WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
    } catch {
      module = null;
    }
    compiled.set(base64, module);
  }
  return compiled.get(base64)!;
}

/** WebAssembly products plus the arena their matrices live in. */
export interface WasmArena<A extends FloatArray = Float64Array> {
  gemm: Gemm<A>;
  /** A zeroed array of `length` inside the arena. @throws RangeError past the reserved size. */
  allocate(length: number): A;
  /** The optimisers' SIMD steps over float64 vectors in the arena. */
  readonly vectorSteps: VectorSteps;
}

/** The float32 products' arena, saying which build runs, with the conversions a float32 step needs. */
export interface WasmArena32 extends WasmArena<Float32Array> {
  /** Whether the products use relaxed SIMD's fused multiply-add (one rounding per a·b + c). */
  readonly fusedMultiplyAdd: boolean;
  /** The helper threads large products are split across (product-threads.ts), or null when they all run on this thread. */
  readonly threads: ProductThreads | null;
  /** A zeroed Float64Array inside the arena (the trainer's float64 weights and gradient). */
  allocate64(length: number): Float64Array;
  /** dst = src rounded to float32, in SIMD when both live in the arena, else in a loop. */
  narrow(dst: Float32Array, src: Float64Array): void;
  /** dst += src widened to float64, in SIMD when both live in the arena, else in a loop. */
  widenAdd(dst: Float64Array, src: Float32Array): void;
}

/** How an arena's products use helper threads. */
export interface ProductThreads {
  /** Helpers started, attached to this arena and idle: how many would take part in a product now. */
  helpersReady(): number;
  /** The most threads one product ran on since the last call (1: none split), counting afresh after it. */
  takeWidestSplit(): number;
  /** Product jobs the helpers have finished over their lives (to check that they work at all). */
  helperProducts(): number;
}

/** What an arena is made of, before the products' precision adds its own parts. */
interface ArenaParts<A extends FloatArray> extends Omit<WasmArena<A>, 'vectorSteps'> {
  exports: Record<string, unknown>;
  /** A zeroed view of `View` inside the arena, 16-byte aligned. */
  allocateAs<B extends FloatArray>(View: ArrayType<B>, length: number): B;
  /** The byte address of `array` in the arena, or -1 when it lives elsewhere. */
  address(array: FloatArray): number;
  threads: ProductSplitter | null;
}

type ArrayType<A extends FloatArray> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): A; BYTES_PER_ELEMENT: number };

/** Helper threads for an arena: the host's helpers, and how long to wait for one. */
interface Threading {
  helpers: readonly ProductHelper[];
  timeoutMs?: number;
}

/**
 * An arena of `elements` numbers of `Type` with the products of `module` over it, or null if it
 * cannot be made. With `threading`, `module` is a shared build: the memory is shared, and the
 * helpers instantiate the same module over it.
 */
function arenaOver<A extends FloatArray>(
  module: WebAssembly.Module,
  Type: ArrayType<A>,
  elements: number,
  name: string,
  threading: Threading | null = null,
): ArenaParts<A> | null {
  const size = Type.BYTES_PER_ELEMENT;
  let memory: WebAssembly.Memory;
  let instance: WebAssembly.Instance;
  try {
    const pages = Math.ceil((elements * size + 64) / PAGE_BYTES) + 1;
    // A shared memory cannot grow past its maximum; the arena never grows anyway.
    memory = new WebAssembly.Memory(threading ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
    instance = new WebAssembly.Instance(module, { env: { memory } });
  } catch {
    return null;
  }
  const raw = instance.exports as unknown as RawProducts;
  const threads = threading && new ProductSplitter(raw, threading.helpers, { module, memory }, threading.timeoutMs);
  const { nt, axpy } = threads ?? raw;
  const fallback = jsGemm as Gemm<A>;
  const buffer = memory.buffer;
  let next = 16; // keep address 0 unused, and every buffer 16-byte aligned
  const pointer = (ref: MatrixRef<A>): number => (ref.data.buffer === buffer ? ref.data.byteOffset + ref.offset * size : -1);

  const gemm: Gemm<A> = {
    name,
    nt(m, n, k, a, b, c) {
      const pa = pointer(a);
      const pb = pointer(b);
      const pc = pointer(c);
      if (pa < 0 || pb < 0 || pc < 0) return fallback.nt(m, n, k, a, b, c);
      nt(m, n, k, pa, a.stride, pb, b.stride, pc, c.stride);
    },
    tn(m, n, k, a, b, c) {
      const pa = pointer(a);
      const pb = pointer(b);
      const pc = pointer(c);
      if (pa < 0 || pb < 0 || pc < 0) return fallback.tn(m, n, k, a, b, c);
      axpy(m, n, k, pa, 1, a.stride, pb, b.stride, pc, c.stride);
    },
    nn(m, n, k, a, b, c) {
      const pa = pointer(a);
      const pb = pointer(b);
      const pc = pointer(c);
      if (pa < 0 || pb < 0 || pc < 0) return fallback.nn(m, n, k, a, b, c);
      axpy(m, n, k, pa, a.stride, 1, pb, b.stride, pc, c.stride);
    },
  };
  const allocateAs = <B extends FloatArray>(View: ArrayType<B>, length: number): B => {
    const bytes = length * View.BYTES_PER_ELEMENT;
    if (next + bytes > buffer.byteLength) throw new RangeError(`The WebAssembly arena is full (${length} more numbers asked for).`);
    const view = new View(buffer, next, length);
    next += Math.ceil(bytes / 16) * 16;
    return view;
  };
  return {
    gemm,
    allocate: (length) => allocateAs(Type, length),
    allocateAs,
    exports: instance.exports,
    address: (array) => (array.buffer === buffer ? array.byteOffset : -1),
    threads,
  };
}

/** The optimisers' SIMD steps (engine/wasm/optimiser-steps.ts) of an arena's module, over its float64 vectors. */
function vectorStepsOver(arena: Pick<ArenaParts<FloatArray>, 'exports' | 'address'>): VectorSteps {
  // Every step takes (params, grad, slot 0, slot 1, n, six numbers); a step reads the numbers it has.
  type Step = (w: number, g: number, s0: number, s1: number, n: number, ...numbers: number[]) => void;
  const steps = new Map<string, Step | null>();
  const stepOf = (optimiser: string): Step | null => {
    if (!steps.has(optimiser)) {
      const step = arena.exports[`step_${optimiser}`];
      steps.set(optimiser, typeof step === 'function' ? (step as Step) : null);
    }
    return steps.get(optimiser)!;
  };
  const slotAddress = (slots: readonly Float64Array[], k: number) => (k < slots.length ? arena.address(slots[k]) : 0);
  return {
    reaches(optimiser, params, grad, slots) {
      const n = params.length;
      if (!stepOf(optimiser) || slots.length > 2 || grad.length !== n) return false;
      for (const slot of slots) if (slot.length !== n) return false;
      return arena.address(params) >= 0 && arena.address(grad) >= 0 && slotAddress(slots, 0) >= 0 && slotAddress(slots, 1) >= 0;
    },
    run(optimiser, params, grad, slots, numbers) {
      if (!this.reaches(optimiser, params, grad, slots)) throw new Error(`The SIMD step of ${optimiser} cannot reach these vectors.`);
      stepOf(optimiser)!(
        arena.address(params),
        arena.address(grad),
        slotAddress(slots, 0),
        slotAddress(slots, 1),
        params.length,
        numbers[0],
        numbers[1],
        numbers[2],
        numbers[3],
        numbers[4],
        numbers[5],
      );
    },
  };
}

/**
 * An arena of `doubles` float64s with the WebAssembly products over it, or null when
 * WebAssembly SIMD is not available here (the caller then uses the TypeScript products).
 */
export function createWasmArena(doubles: number): WasmArena | null {
  const module = wasmModule(GEMM_WASM_BASE64);
  const arena = module && arenaOver(module, Float64Array, doubles, 'webassembly-simd');
  return arena && { gemm: arena.gemm, allocate: arena.allocate, vectorSteps: vectorStepsOver(arena) };
}

/** Options of {@link createWasmArena32}. */
export interface Arena32Options {
  /** false: the plain SIMD build even where relaxed SIMD is available. */
  relaxed?: boolean;
  /** true: split large products across the registered host's helper threads, where shared memory is available. */
  threads?: boolean;
  /** How long a product waits for a helper before it gives up (tests). */
  helperTimeoutMs?: number;
}

/**
 * An arena of `floats` float32s with the float32 WebAssembly products over it: the relaxed-SIMD
 * build (fused multiply-add) where this runtime validates it, unless `relaxed` is false; else the
 * plain SIMD build; null when WebAssembly SIMD is not available here. With `threads`, and a host
 * registered (product-threads.ts) where SharedArrayBuffer exists, the memory is shared and large
 * products are split across the host's helper threads.
 */
export function createWasmArena32(floats: number, options: Arena32Options = {}): WasmArena32 | null {
  const relaxed = options.relaxed === false ? null : wasmModule(GEMM_F32_RELAXED_WASM_BASE64);
  const fusedMultiplyAdd = relaxed !== null;
  const name = fusedMultiplyAdd ? 'webassembly-relaxed-simd-f32' : 'webassembly-simd-f32';
  const host = options.threads && typeof SharedArrayBuffer === 'function' ? productThreadHost() : null;
  const shared = host && wasmModule(fusedMultiplyAdd ? GEMM_F32_SHARED_RELAXED_WASM_BASE64 : GEMM_F32_SHARED_WASM_BASE64);
  const helpers = shared ? host!.helpers() : [];
  const threaded =
    shared && helpers.length > 0 ? arenaOver(shared, Float32Array, floats, name, { helpers, timeoutMs: options.helperTimeoutMs }) : null;
  const module = relaxed ?? wasmModule(GEMM_F32_WASM_BASE64);
  const arena = threaded ?? (module && arenaOver(module, Float32Array, floats, name));
  if (!arena) return null;
  const narrow = arena.exports.narrow as (dst: number, src: number, n: number) => void;
  const widenAdd = arena.exports.widen_add as (dst: number, src: number, n: number) => void;
  return {
    vectorSteps: vectorStepsOver(arena),
    gemm: arena.gemm,
    allocate: arena.allocate,
    fusedMultiplyAdd,
    threads: arena.threads,
    allocate64: (length) => arena.allocateAs(Float64Array, length),
    narrow(dst, src) {
      const to = arena.address(dst);
      const from = arena.address(src);
      const n = Math.min(dst.length, src.length);
      if (to >= 0 && from >= 0) narrow(to, from, n);
      else dst.set(src.subarray(0, n));
    },
    widenAdd(dst, src) {
      const to = arena.address(dst);
      const from = arena.address(src);
      const n = Math.min(dst.length, src.length);
      if (to >= 0 && from >= 0) widenAdd(to, from, n);
      else addInto(dst, src, n);
    },
  };
}

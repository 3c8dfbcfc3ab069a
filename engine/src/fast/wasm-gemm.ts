/**
 * The WebAssembly SIMD matrix products (engine/wasm/gemm.ts, shipped base64-encoded in
 * wasm-binary.ts) behind the same {@link Gemm} interface as the TypeScript ones.
 *
 * Matrices must live in the instance's own memory, so the products come with an arena: the
 * caller reserves every buffer it will need up front, and the memory never grows afterwards
 * (growing would detach the Float64Array views handed out).
 */
import { jsGemm, type Gemm, type MatrixRef } from './gemm';
import { GEMM_WASM_BASE64 } from './wasm-binary';

type NtKernel = (m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number) => void;
type AxpyKernel = (
  m: number,
  n: number,
  k: number,
  a: number,
  ai: number,
  ap: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
) => void;

const PAGE_BYTES = 65_536;
let compiled: WebAssembly.Module | null | undefined;

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

/** The compiled module, or null where WebAssembly (or its SIMD) is unavailable. */
function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(decodeBase64(GEMM_WASM_BASE64)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** WebAssembly products plus the arena their matrices live in. */
export interface WasmArena {
  gemm: Gemm;
  /** A zeroed Float64Array of `length` inside the arena. @throws RangeError past the reserved size. */
  allocate(length: number): Float64Array;
}

/**
 * An arena of `doubles` float64s with the WebAssembly products over it, or null when
 * WebAssembly SIMD is not available here (the caller then uses the TypeScript products).
 */
export function createWasmArena(doubles: number): WasmArena | null {
  const module = wasmModule();
  if (!module) return null;
  let memory: WebAssembly.Memory;
  let instance: WebAssembly.Instance;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil((doubles * 8 + 64) / PAGE_BYTES) + 1 });
    instance = new WebAssembly.Instance(module, { env: { memory } });
  } catch {
    return null;
  }
  const nt = instance.exports.nt as NtKernel;
  const axpy = instance.exports.axpy as AxpyKernel;
  const buffer = memory.buffer;
  let next = 16; // keep address 0 unused, and every buffer 16-byte aligned
  const pointer = (ref: MatrixRef): number => (ref.data.buffer === buffer ? ref.data.byteOffset + ref.offset * 8 : -1);

  const gemm: Gemm = {
    name: 'webassembly-simd',
    nt(m, n, k, a, b, c) {
      const pa = pointer(a);
      const pb = pointer(b);
      const pc = pointer(c);
      if (pa < 0 || pb < 0 || pc < 0) return jsGemm.nt(m, n, k, a, b, c);
      nt(m, n, k, pa, a.stride, pb, b.stride, pc, c.stride);
    },
    tn(m, n, k, a, b, c) {
      const pa = pointer(a);
      const pb = pointer(b);
      const pc = pointer(c);
      if (pa < 0 || pb < 0 || pc < 0) return jsGemm.tn(m, n, k, a, b, c);
      axpy(m, n, k, pa, 1, a.stride, pb, b.stride, pc, c.stride);
    },
    nn(m, n, k, a, b, c) {
      const pa = pointer(a);
      const pb = pointer(b);
      const pc = pointer(c);
      if (pa < 0 || pb < 0 || pc < 0) return jsGemm.nn(m, n, k, a, b, c);
      axpy(m, n, k, pa, a.stride, 1, pb, b.stride, pc, c.stride);
    },
  };
  return {
    gemm,
    allocate(length) {
      const bytes = length * 8;
      if (next + bytes > buffer.byteLength) throw new RangeError(`The WebAssembly arena is full (${length} more float64s asked for).`);
      const view = new Float64Array(buffer, next, length);
      next += Math.ceil(bytes / 16) * 16;
      return view;
    },
  };
}

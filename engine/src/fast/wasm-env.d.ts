/**
 * The slice of the WebAssembly JavaScript API the engine uses. The engine compiles without the
 * DOM library or Node's types (it must run in a worker, a page and the CLI alike), and ES2022's
 * library does not describe WebAssembly, so these few declarations stand in.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    /** A SharedArrayBuffer when the memory is shared. */
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  /** Whether these bytes are a module this runtime accepts (e.g. one using relaxed SIMD). */
  function validate(bytes: Uint8Array): boolean;
}

/**
 * Matrix products split across threads: the float32 WebAssembly products of a large mini-batch
 * run on the training thread and on helper threads at once, each over its own rows of C, all in
 * one shared WebAssembly memory.
 *
 * The engine starts no thread itself (it runs in a worker, a page and the CLI alike): a host
 * registers a {@link ProductThreadHost} with {@link useProductThreads} (the desktop app's and the
 * browser host's training worker do, with Node's worker threads), and each helper thread runs
 * {@link serveProducts}. Without one, or where shared memory is unavailable (the web edition is
 * not cross-origin isolated), every product runs on the calling thread, unchanged.
 *
 * Protocol, per helper, over a control block of {@link CONTROL_INTS} int32s in a SharedArrayBuffer:
 * the caller writes a job's operation and arguments, bumps SEQ and wakes the helper; the helper runs
 * it and sets DONE to that SEQ. The caller runs its own rows meanwhile, then waits for DONE. Rows
 * are split at multiples of four, the products' tile height, so every element of C is computed by
 * the same instructions in the same order as on one thread: the split results equal one thread's
 * bit for bit.
 */

/** Int32 slots of a helper's control block. */
const SEQ = 0;
const DONE = 1;
const OP = 2;
const ARGS = 3;
/** How many product jobs the helper has finished (read by tests and benchmarks). */
const WORK = 13;
/** 1 once the helper's loop runs. */
const READY = 14;
/** The SEQ of the last job that threw. */
const FAIL = 15;

/** The length of a helper's control block, in int32s. */
export const CONTROL_INTS = 16;

const OP_ATTACH = 1;
const OP_NT = 2;
const OP_AXPY = 3;

/** A product smaller than this many multiply-adds per thread runs on the calling thread: waking a helper costs about as much. */
export const MIN_SPLIT_MACS = 1 << 17;

/**
 * Loads of DONE before the caller sleeps on it (some tens of microseconds): the helper's rows
 * finish close to the caller's, and a wake through the OS costs about as long again.
 */
const SPIN = 50_000;
/**
 * Loads of SEQ before a helper sleeps (a few hundred microseconds): during training the next
 * product comes within a step's other work, and a helper still awake starts it at once.
 */
const HELPER_SPIN = 200_000;

/** How long the caller waits for a helper before it gives up on it. */
const HELPER_TIMEOUT_MS = 30_000;

/** What a helper instantiates: the shared build of the products, over the caller's memory. */
export interface ProductAttachment {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

/** One helper thread, as its host runs it. */
export interface ProductHelper {
  /** The helper's control block, shared with it. */
  readonly control: Int32Array;
  /** Posts an attachment to the helper; it takes the newest at its next attach job. */
  send(attachment: ProductAttachment): void;
}

/** What a host offers the engine: helper threads, started on first use. */
export interface ProductThreadHost {
  /** The helpers, started on the first call; each becomes ready in the background. */
  helpers(): readonly ProductHelper[];
}

/** Marks a helper as gone (its thread exited), so no product gives it work again. */
export function retireHelper(control: Int32Array): void {
  Atomics.store(control, READY, 0);
}

let registered: ProductThreadHost | null = null;

/** Registers the host whose helper threads large float32 products use (null: none, every product on the calling thread). */
export function useProductThreads(host: ProductThreadHost | null): void {
  registered = host;
}

/** The registered host, if any. */
export function productThreadHost(): ProductThreadHost | null {
  return registered;
}

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

/** The raw products of one instance, as engine/wasm/gemm-f32.ts exports them. */
export interface RawProducts {
  nt: NtKernel;
  axpy: AxpyKernel;
}

/**
 * A helper thread's loop: waits for jobs on `control` and runs them; never returns. `receive`
 * returns the next attachment posted to this thread, or undefined when none is waiting (Node:
 * `receiveMessageOnPort`).
 */
export function serveProducts(control: Int32Array, receive: () => ProductAttachment | undefined): never {
  let products: RawProducts | null = null;
  let done = Atomics.load(control, DONE);
  Atomics.store(control, READY, 1);
  for (;;) {
    let seq = Atomics.load(control, SEQ);
    for (let spin = 0; seq === done && spin < HELPER_SPIN; spin++) seq = Atomics.load(control, SEQ);
    if (seq === done) {
      Atomics.wait(control, SEQ, done);
      continue;
    }
    try {
      const op = control[OP];
      const u = (slot: number) => control[ARGS + slot] >>> 0;
      const i = (slot: number) => control[ARGS + slot];
      if (op === OP_ATTACH) {
        let attachment: ProductAttachment | undefined;
        for (let next = receive(); next; next = receive()) attachment = next;
        products = null; // let the previous memory go even if this one fails
        if (!attachment) throw new Error('No attachment arrived.');
        const instance = new WebAssembly.Instance(attachment.module, { env: { memory: attachment.memory } });
        products = { nt: instance.exports.nt as NtKernel, axpy: instance.exports.axpy as AxpyKernel };
      } else if (op === OP_NT && products) {
        products.nt(i(0), i(1), i(2), u(3), i(4), u(5), i(6), u(7), i(8));
        Atomics.add(control, WORK, 1);
      } else if (op === OP_AXPY && products) {
        products.axpy(i(0), i(1), i(2), u(3), i(4), i(5), u(6), i(7), u(8), i(9));
        Atomics.add(control, WORK, 1);
      } else {
        throw new Error('A product job arrived before its products.');
      }
    } catch {
      Atomics.store(control, FAIL, seq);
    }
    done = seq;
    Atomics.store(control, DONE, seq);
    Atomics.notify(control, DONE);
  }
}

/** Where a product sends its rows: the calling thread, and the helpers that are ready. */
interface Lane {
  helper: ProductHelper;
  /** The SEQ of the last job given to this helper. */
  issued: number;
  attachSeq: number;
}

/** Bumped by every splitter made: only the newest uses the helpers (the one training now). */
let newestSplitter = 0;

/**
 * The products of one shared arena, split across the host's helpers when a product is large
 * enough and the helpers are attached to this arena; otherwise run on the calling thread.
 */
export class ProductSplitter implements RawProducts {
  private readonly lanes: Lane[];
  private readonly id = ++newestSplitter;
  private broken = false;
  /** The most threads one product was split over since {@link ProductSplitter.takeWidestSplit} last read it. */
  private widest = 1;

  /**
   * @param local The products on the calling thread's instance of the shared module.
   * @param attachment The shared module and memory the helpers instantiate.
   */
  constructor(
    private readonly local: RawProducts,
    helpers: readonly ProductHelper[],
    attachment: ProductAttachment,
    private readonly timeoutMs = HELPER_TIMEOUT_MS,
  ) {
    this.lanes = helpers.map((helper) => {
      helper.send(attachment);
      // Another splitter's job may still be unanswered (a helper that is still starting takes
      // them in order); the attach job goes after it and replaces its memory.
      const seq = Atomics.load(helper.control, SEQ) + 1;
      helper.control[OP] = OP_ATTACH;
      Atomics.store(helper.control, SEQ, seq);
      Atomics.notify(helper.control, SEQ);
      return { helper, issued: seq, attachSeq: seq };
    });
    this.nt = this.nt.bind(this);
    this.axpy = this.axpy.bind(this);
  }

  /** The helpers that would take part in a product now: started, attached to this arena, idle. */
  helpersReady(): number {
    if (this.broken || this.id !== newestSplitter) return 0;
    let ready = 0;
    for (const lane of this.lanes) {
      const c = lane.helper.control;
      if (Atomics.load(c, READY) !== 1 || Atomics.load(c, DONE) !== lane.issued) continue;
      if (Atomics.load(c, FAIL) === lane.attachSeq) continue; // could not instantiate the products
      ready++;
    }
    return ready;
  }

  /**
   * The most threads (this one and its helpers) any product ran on since the last call, then
   * starts counting afresh: 1 when none was split. What a host shows as the threads training uses.
   */
  takeWidestSplit(): number {
    const widest = this.widest;
    this.widest = 1;
    return widest;
  }

  /** Product jobs the helpers have finished, over their lives. */
  helperProducts(): number {
    return this.lanes.reduce((sum, lane) => sum + Atomics.load(lane.helper.control, WORK), 0);
  }

  nt(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number): void {
    const share = this.share(m, m * n * k);
    if (share >= m) return this.local.nt(m, n, k, a, lda, b, ldb, c, ldc);
    const jobs = this.issue(m, share, OP_NT, (row, rows) => [rows, n, k, a + row * lda * 4, lda, b, ldb, c + row * ldc * 4, ldc]);
    this.local.nt(share, n, k, a, lda, b, ldb, c, ldc);
    this.finish(jobs);
  }

  axpy(m: number, n: number, k: number, a: number, ai: number, ap: number, b: number, ldb: number, c: number, ldc: number): void {
    const share = this.share(m, m * n * k);
    if (share >= m) return this.local.axpy(m, n, k, a, ai, ap, b, ldb, c, ldc);
    const jobs = this.issue(m, share, OP_AXPY, (row, rows) => [rows, n, k, a + row * ai * 4, ai, ap, b, ldb, c + row * ldc * 4, ldc]);
    this.local.axpy(share, n, k, a, ai, ap, b, ldb, c, ldc);
    this.finish(jobs);
  }

  /** The rows of an m-row product the calling thread keeps (all of them when it is not split). */
  private share(m: number, macs: number): number {
    if (macs < 2 * MIN_SPLIT_MACS || m < 8) return m;
    const threads = 1 + Math.min(this.helpersReady(), Math.floor(macs / MIN_SPLIT_MACS) - 1, (m >> 2) - 1);
    return threads <= 1 ? m : Math.ceil(m / threads / 4) * 4;
  }

  /** Gives rows [share, m) to the ready helpers, `share` rows each (the last takes the rest). */
  private issue(m: number, share: number, op: number, args: (row: number, rows: number) => number[]): [Lane, number][] {
    const jobs: [Lane, number][] = [];
    let row = share;
    for (const lane of this.lanes) {
      if (row >= m) break;
      const c = lane.helper.control;
      if (Atomics.load(c, READY) !== 1 || Atomics.load(c, DONE) !== lane.issued || Atomics.load(c, FAIL) === lane.attachSeq) continue;
      const rows = Math.min(share, m - row);
      args(row, rows).forEach((value, slot) => (c[ARGS + slot] = value | 0));
      c[OP] = op;
      lane.issued += 1;
      Atomics.store(c, SEQ, lane.issued);
      Atomics.notify(c, SEQ);
      jobs.push([lane, lane.issued]);
      row += rows;
    }
    if (row < m) throw new Error('A helper thread went away while a product was being split.'); // cannot happen: share() counted them
    this.widest = Math.max(this.widest, jobs.length + 1);
    return jobs;
  }

  /** Waits for each helper's job; a helper that fails or stops answering leaves C incomplete, so that throws. */
  private finish(jobs: [Lane, number][]): void {
    for (const [lane, seq] of jobs) {
      const c = lane.helper.control;
      let spin = 0;
      while (Atomics.load(c, DONE) !== seq && spin < SPIN) spin++;
      const deadline = Date.now() + this.timeoutMs;
      for (let seen = Atomics.load(c, DONE); seen !== seq; seen = Atomics.load(c, DONE)) {
        if (Date.now() > deadline) {
          this.broken = true;
          throw new Error(
            'A matrix-product helper thread stopped answering, so this training step is incomplete; train again (the products then run on one thread).',
          );
        }
        Atomics.wait(c, DONE, seen, 100);
      }
      if (Atomics.load(c, FAIL) === seq) {
        this.broken = true;
        throw new Error(
          'A matrix-product helper thread failed, so this training step is incomplete; train again (the products then run on one thread).',
        );
      }
    }
  }
}

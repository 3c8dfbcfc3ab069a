/**
 * Peak memory of a contender's training, the same way in every process (Node or Python).
 *
 * A timer cannot sample it: a synchronous run never yields to the event loop, so a `setInterval`
 * would not fire; sampling `process.memoryUsage()` at callbacks would slow the run it measures and
 * still miss the peaks between callbacks (and not every contender has callbacks). The kernel,
 * though, keeps the process's high-water mark of resident memory (VmHWM), which counts every byte
 * training touches — the JS heap, typed arrays outside it, WebAssembly memory, TF.js's and
 * PyTorch's native buffers — at no cost during the run. Writing 5 to /proc/self/clear_refs
 * (Linux 4.0 and later) lowers that mark to the current resident size, so once the workload's
 * data are loaded (the same for every contender) the mark covers what the contender adds: its own
 * copies of the data, its model, warm-up and timed runs. Where that is not possible (not Linux),
 * the process's lifetime peak (`process.resourceUsage().maxRSS`) is reported instead, and said so.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** Resident memory around training, in bytes. */
export interface MemoryReport {
  /** Resident memory once the workload's data and initial weights are loaded, before the contender's setup. */
  setup: number;
  /** The most resident memory from then until the last timed run ended (the contender's setup included). */
  peak: number;
  /** How the peak was measured: 'hwm-reset' (training only) or 'lifetime' (setup included). */
  method: 'hwm-reset' | 'lifetime';
  /**
   * What the contender holds once trained, after a full collection: its JS heap and its buffers
   * outside it (typed arrays, WebAssembly memories), over what the process held before its setup.
   * Unlike the peak, no runtime's headroom (code, a grown young generation) is in it, so it is what
   * a precision's data and matrices take. Node contenders only (null for the Python ones).
   */
  held: number | null;
}

/** The JS heap in use and the buffers outside it, after a full collection where `--expose-gc` allows one. */
export function heldMemory(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

function status(field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Starts watching the peak: call before the contender's setup, read with the returned function
 * after the runs, while the contender is still referenced (its held memory is measured then).
 */
export function watchPeakMemory(): () => MemoryReport {
  const heldBefore = heldMemory();
  const setup = process.memoryUsage.rss();
  let method: MemoryReport['method'] = 'lifetime';
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    method = status('VmHWM') !== null ? 'hwm-reset' : 'lifetime';
  } catch {
    // Not Linux, or /proc not writable: the lifetime peak is the honest fallback.
  }
  return () => ({
    setup,
    peak: (method === 'hwm-reset' ? status('VmHWM') : null) ?? process.resourceUsage().maxRSS * 1024,
    method,
    held: heldMemory() - heldBefore,
  });
}

/**
 * The renderer's stand-in for engine/src/datasets/digits-data.ts (src-renderer/vite.config.ts
 * swaps it in for the engine's import): the same `digitsRowsNow()`, which answers null and starts
 * loading the real module with import() the first time it is asked, so the 1,797 rows (45 kB
 * gzip) are fetched only by a window that shows the digits, not by every start of the app. The
 * training workers and the CLI import the real module and never wait. Views that show the data
 * follow {@link useDigitsLoaded} to show it once it is in.
 */
import { useSyncExternalStore } from 'react';

let rows: readonly string[] | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

/** The rows once loaded, else null (and the load under way). */
export function digitsRowsNow(): readonly string[] | null {
  if (!rows && !loading) {
    loading = import('../../../engine/src/datasets/digits-data').then(
      (module) => {
        rows = module.digitsRowsNow();
        for (const listener of listeners) listener();
      },
      () => {
        // The chunk did not arrive (offline before the service worker stored it): the next
        // request tries again, and until then the data's views say the digits are loading.
        loading = null;
      },
    );
  }
  return rows;
}

/** Calls `listener` once the rows are in; returns what stops it. */
export function onDigitsLoaded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Whether the digits have loaded, as a hook: a view whose data preparation names the digits
 * depends on it, so that it prepares the data again once they are in.
 */
export function useDigitsLoaded(): boolean {
  return useSyncExternalStore(
    onDigitsLoaded,
    () => rows !== null,
    () => rows !== null,
  );
}

/**
 * Loading a part of the app that is fetched on first use (the lessons, the ONNX exporter, ELK's
 * layout): the bundler's own failure ("Failed to fetch dynamically imported module: …") becomes
 * one sentence that says what is missing and what to do.
 */

/** A part of the app that could not be fetched; its message is the sentence to show. */
export class ChunkLoadError extends Error {
  constructor(what: string, cause: unknown) {
    super(
      `${what} could not be loaded: its files did not arrive (the network may be offline, or a new version was deployed meanwhile); reload the page to try again.`,
      { cause },
    );
    this.name = 'ChunkLoadError';
  }
}

/**
 * Runs `load` (a dynamic `import()`); a failure to fetch becomes a {@link ChunkLoadError} naming
 * `what` (a noun phrase that starts a sentence: "The lessons", "The ONNX exporter").
 */
export async function loadChunk<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new ChunkLoadError(what, error);
  }
}

/**
 * A loader that runs `load` once and shares its result; after a failure the next call tries
 * again (the page may be back online), instead of repeating the failure forever.
 */
export function chunkOnce<T>(what: string, load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= loadChunk(what, load).catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}

/**
 * A part of the app fetched on first use: its failure told in one sentence, a success shared, a
 * failure tried again next time (the network may be back).
 */
import { describe, expect, it } from 'vitest';
import { ChunkLoadError, chunkOnce, loadChunk } from './load-chunk';

const offline = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module: http://x/assets/LearnPanel-abc.js'));

describe('loadChunk', () => {
  it('passes the module through', async () => {
    await expect(loadChunk('The lessons', async () => ({ answer: 42 }))).resolves.toEqual({ answer: 42 });
  });

  it('turns the bundler’s failure into one sentence naming the part, keeping the cause', async () => {
    const failure = await loadChunk('The lessons', offline).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChunkLoadError);
    const { message, cause } = failure as ChunkLoadError;
    expect(message).toBe(
      'The lessons could not be loaded: its files did not arrive (the network may be offline, or a new version was deployed meanwhile); reload the page to try again.',
    );
    expect(message).not.toContain('Failed to fetch');
    expect(String(cause)).toContain('LearnPanel-abc.js');
  });
});

describe('chunkOnce', () => {
  it('fetches once and shares the result', async () => {
    let fetches = 0;
    const load = chunkOnce('The exporters', async () => ({ n: ++fetches }));
    const [a, b] = await Promise.all([load(), load()]);
    expect(await load()).toBe(a);
    expect(b).toBe(a);
    expect(fetches).toBe(1);
  });

  it('tries again after a failure instead of repeating it', async () => {
    let attempts = 0;
    const load = chunkOnce('The exporters', () => (++attempts === 1 ? offline() : Promise.resolve('module')));
    await expect(load()).rejects.toThrow('The exporters could not be loaded');
    await expect(load()).resolves.toBe('module');
    expect(attempts).toBe(2);
  });
});

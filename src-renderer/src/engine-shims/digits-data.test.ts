/**
 * The page's stand-in for the digits' rows: null at first ask, then the engine's very rows, with
 * a notice to the views; and the renderer's build swaps it in for the engine's import and for no
 * other, so the workers and the CLI keep the rows at once.
 */
import { describe, expect, it, vi } from 'vitest';
import { digitsRowsNow as realRows } from '../../../engine/src/datasets/digits-data';
import { engineSideEffectFree } from '../../vite.config';

describe('the digits shim', () => {
  it('answers null, loads the real rows on the first ask, and tells who listens', async () => {
    vi.resetModules();
    const shim = await import('./digits-data');
    const heard = vi.fn();
    shim.onDigitsLoaded(heard);
    expect(shim.digitsRowsNow()).toBeNull();
    await vi.waitFor(() => expect(heard).toHaveBeenCalledTimes(1));
    expect(shim.digitsRowsNow()).toEqual(realRows());
    expect(shim.digitsRowsNow()).toHaveLength(1797);
  });
});

describe('the renderer build’s swap', () => {
  const plugin = engineSideEffectFree();
  const resolve = (plugin.resolveId as { handler: (source: string, importer?: string) => string | null }).handler;
  const engine = new URL('../../../engine/src/', import.meta.url).pathname;

  it('takes the shim for the engine’s digits module only', () => {
    expect(resolve('./digits-data', `${engine}datasets/digits.ts`)).toBe(new URL('./digits-data.ts', import.meta.url).pathname);
    expect(resolve('./digits-data', `${engine}datasets/builtin.ts`)).toBeNull();
    expect(resolve('./iris', `${engine}datasets/digits.ts`)).toBeNull();
    expect(resolve('../../../engine/src/datasets/digits-data', new URL('./digits-data.ts', import.meta.url).pathname)).toBeNull();
  });
});

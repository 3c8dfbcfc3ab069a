/**
 * The update prompt's Reload, with the host mocked: it deals with unsaved changes as New does
 * (Cancel keeps the page, Don't Save drops the changes and their backup), and only then asks the
 * host to switch versions; a failed switch is said in a sentence and the page stays.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { findExample } from '../../../engine/src/index';

const calls: string[] = [];
let answers: Record<string, () => unknown> = {};
const listeners = new Map<string, (payload: unknown) => void>();

vi.mock('../state/api', () => ({
  api: {
    host: 'web',
    invoke: async (channel: string) => {
      calls.push(channel);
      return answers[channel]?.() ?? {};
    },
    on: (event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => undefined;
    },
  },
}));

const flush = () => new Promise((r) => setTimeout(r, 0));

async function fresh() {
  vi.resetModules();
  const banner = await import('./UpdateBanner');
  const { useStudio } = await import('../state/store');
  const { setBias } = await import('../document/commands');
  await useStudio.getState().init();
  await useStudio.getState().newFromExample('iris');
  calls.length = 0;
  return { ...banner, useStudio, makeDirty: () => useStudio.getState().edit(setBias('hidden', 0.5, 0)) };
}

beforeEach(() => {
  calls.length = 0;
  listeners.clear();
  answers = {
    'app:info': () => ({ version: '0', host: 'web', platform: 'web', workspace: null }),
    'examples:list': () => [],
    'recent:list': () => ({ paths: [], removed: [] }),
    'backup:check': () => ({ backup: null, problem: null }),
    'examples:create': () => findExample('iris')!.create(),
  };
});

describe('the update prompt', () => {
  it('shows once the host announces a new version, and a dismissal holds until the next one', async () => {
    const { useUpdate } = await fresh();
    expect(useUpdate.getState().available).toBe(false);
    listeners.get('app:update-available')!({});
    expect(useUpdate.getState()).toMatchObject({ available: true, dismissed: false });
    useUpdate.setState({ dismissed: true });
    listeners.get('app:update-available')!({});
    expect(useUpdate.getState().dismissed).toBe(false);
  });

  it('switches at once when nothing is unsaved', async () => {
    const { applyUpdate, useStudio } = await fresh();
    await applyUpdate();
    expect(useStudio.getState().prompt).toBeNull();
    expect(calls).toEqual(['app:update']);
  });

  it('asks about unsaved changes first: Cancel keeps the page as it is', async () => {
    const { applyUpdate, useStudio, useUpdate, makeDirty } = await fresh();
    makeDirty();
    const going = applyUpdate();
    await flush();
    expect(useStudio.getState().prompt).toEqual({ kind: 'unsaved', action: 'reload NN Studio with its new version' });
    useStudio.getState().answerPrompt('cancel');
    await going;
    expect(calls).toEqual([]);
    expect(useUpdate.getState().applying).toBe(false);
    expect(useStudio.getState().dirty).toBe(true);
  });

  it('Don’t Save drops the changes’ backup, then switches', async () => {
    const { applyUpdate, useStudio, makeDirty } = await fresh();
    makeDirty();
    const going = applyUpdate();
    await flush();
    useStudio.getState().answerPrompt('discard');
    await going;
    expect(calls).toEqual(['backup:clear', 'app:update']);
  });

  it('says in a sentence when the switch fails, and lets the user try again', async () => {
    const { applyUpdate, useStudio, useUpdate } = await fresh();
    answers['app:update'] = () => {
      throw new Error('the new version did not start; reload the page to try again');
    };
    await applyUpdate();
    expect(useStudio.getState().error).toBe(
      'Switching to the new version failed: the new version did not start; reload the page to try again',
    );
    expect(useUpdate.getState().applying).toBe(false);
  });
});

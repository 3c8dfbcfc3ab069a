import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { LOSSES, LOSS_NAMES, OPTIMISERS, OPTIMISER_NAMES, OPTIMISER_SETTINGS } from '../../../engine/src/index';
import { NOTATION } from './NotationDialog';

const entries = NOTATION.flatMap((group) => group.entries);

describe('the notation dialog', () => {
  it('typesets every symbol: each TeX spelling parses', () => {
    const bad = entries.filter((e) => {
      try {
        katex.renderToString(e.tex, { throwOnError: true, strict: 'ignore' });
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toEqual([]);
    expect(new Set(entries.map((e) => e.symbol)).size).toBe(entries.length);
  });

  it('lists every loss form, optimiser and optimiser setting from the registries, in TeX and as the exports spell them', () => {
    for (const name of LOSS_NAMES)
      for (const form of LOSSES[name].forms)
        expect(entries).toContainEqual(expect.objectContaining({ tex: `J = ${form.latex}`, symbol: form.formula }));
    for (const name of OPTIMISER_NAMES.filter((n) => n !== 'sgd'))
      expect(entries).toContainEqual(expect.objectContaining({ tex: OPTIMISERS[name].latex.formula, symbol: OPTIMISERS[name].formula }));
    for (const setting of Object.values(OPTIMISER_SETTINGS))
      expect(entries).toContainEqual(expect.objectContaining({ tex: setting.latex, symbol: setting.symbol }));
  });
});

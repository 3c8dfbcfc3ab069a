import { describe, expect, it } from 'vitest';
import { PANELS, initialSize, sizeChanged } from './panel-layout';

describe('panel sizes from the view', () => {
  it('opens a panel at its saved size, held to its bounds; at its default when nothing usable is saved', () => {
    expect(initialSize('side', { side: 412 })).toBe(412);
    expect(initialSize('side', { side: 412.6 })).toBe(413);
    // From a wider screen, or hand-edited: held to the side panel's 300…640 px.
    expect(initialSize('side', { side: 5000 })).toBe(PANELS.side.max);
    expect(initialSize('side', { side: 12 })).toBe(PANELS.side.min);
    expect(initialSize('side', { dock: 400 })).toBe(PANELS.side.default);
    expect(initialSize('dock', undefined)).toBe(PANELS.dock.default);
    expect(initialSize('regions', { regions: Number.NaN })).toBe(PANELS.regions.default);
  });

  it('every panel opens no smaller than its minimum and no larger than its maximum', () => {
    for (const [name, bounds] of Object.entries(PANELS)) {
      expect(bounds.min).toBeLessThanOrEqual(bounds.default);
      expect(bounds.default).toBeLessThanOrEqual(bounds.max);
      expect(initialSize(name as keyof typeof PANELS, undefined)).toBe(bounds.default);
    }
  });

  it('a change of a pixel while the library rounds is not saved; two pixels or a first size is', () => {
    expect(sizeChanged(340, 341)).toBe(false);
    expect(sizeChanged(340, 339.2)).toBe(false);
    expect(sizeChanged(340, 342)).toBe(true);
    expect(sizeChanged(undefined, 340)).toBe(true);
  });
});

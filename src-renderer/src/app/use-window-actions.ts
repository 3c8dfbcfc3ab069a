/**
 * The window's actions — the context every action runs with, and how to run one — and the
 * dialogs that live in the window's own state (Export…, the notation, the command palette),
 * which some actions open.
 */
import { useMemo, useRef, useState, type RefObject } from 'react';
import type { CompileResult } from '../../../engine/src/index';
import type { ActionId } from '../../../src-shared/actions';
import { useBackprop } from '../backprop/store';
import type { CanvasApi } from '../canvas/Canvas';
import { copyShareLink } from '../state/share';
import { useStudio } from '../state/store';
import type { Actions } from './ActionButton';
import { runAction, type ActionContext } from './actions';

/** The window's own dialogs: whether each is open, and how it closes. */
export interface WindowDialogs {
  exporting: boolean;
  closeExport(): void;
  notationOpen: boolean;
  closeNotation(): void;
  paletteOpen: boolean;
  /** Closes the palette, gives focus back to where it was, then runs the action chosen (if any). */
  closePalette(chosen: ActionId | null): void;
}

/** The actions App provides, and the dialogs they open. */
export function useWindowActions(
  canvas: RefObject<CanvasApi | null>,
  compiled: CompileResult | null,
  platform: string,
): { actions: Actions; dialogs: WindowDialogs } {
  const [exporting, setExporting] = useState(false);
  const [notationOpen, setNotationOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  /** Where focus was when the palette opened: it goes back there before the chosen action runs. */
  const paletteReturn = useRef<Element | null>(null);
  // The actions read the verdict when they run, not when the context was made.
  const compiledNow = useRef(compiled);
  compiledNow.current = compiled;
  const actions = useMemo<Actions>(() => {
    const context = (): ActionContext => ({
      studio: useStudio.getState(),
      backprop: useBackprop.getState(),
      canvas: () => canvas.current,
      compiled: compiledNow.current,
      ui: {
        openExport: () => setExporting(true),
        openNotation: () => setNotationOpen(true),
        openPalette: () => {
          paletteReturn.current = document.activeElement;
          setPaletteOpen(true);
        },
      },
      textField: () => {
        const active = document.activeElement;
        return active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? active : null;
      },
      refuse: (message) => useStudio.setState({ refusal: { message, x: 24, y: 96 } }),
      copyLink: () => void copyShareLink(),
    });
    return { context, run: (id: ActionId) => void runAction(id, context()), platform };
  }, [canvas, platform]);
  const closePalette = (chosen: ActionId | null) => {
    setPaletteOpen(false);
    const back = paletteReturn.current;
    paletteReturn.current = null;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
    if (chosen) actions.run(chosen);
  };
  return {
    actions,
    dialogs: {
      exporting,
      closeExport: () => setExporting(false),
      notationOpen,
      closeNotation: () => setNotationOpen(false),
      paletteOpen,
      closePalette,
    },
  };
}

/**
 * The keyboard's and the desktop menu's way to the actions, and the page's clipboard events.
 */
import { useEffect } from 'react';
import { GraphSchema } from '../../../engine/src/index';
import { copyFragment, paste, remove, type Fragment } from '../document/commands';
import { api } from '../state/api';
import { useStudio } from '../state/store';
import type { Actions } from './ActionButton';
import { PERFORMERS, runAction, runMenuCommand } from './actions';
import { isTextField, shortcutFor } from './keys';

/** Shortcuts, the menu's commands (desktop), and cut, copy and paste of the canvas's selection. */
export function useShortcuts(actions: Actions): void {
  useEffect(() => {
    const off = api.on('menu:command', (event) => runMenuCommand(event.command, actions.context()));
    const onKey = (event: KeyboardEvent) => {
      // A dialog in front (a question, the picker, export, the palette) takes the keyboard: no app
      // shortcuts behind it. A key a control used already (the canvas's Delete, the menu bar's
      // arrows) is not a shortcut either.
      if (event.defaultPrevented || document.querySelector('.modal')) return;
      const match = shortcutFor(event, isTextField(event.target));
      if (!match) return;
      const ctx = actions.context();
      // A plain key with nothing to do keeps its usual meaning (Home scrolls, ] is a character).
      if (match.plain && !PERFORMERS[match.id].enabled(ctx)) return;
      event.preventDefault();
      runAction(match.id, ctx);
    };
    // Cut, copy and paste arrive as the page's clipboard events (the desktop menu's roles and the
    // browser's own shortcuts both send them); text fields keep their usual behaviour.
    const inField = (event: Event) => (event.target as HTMLElement | null)?.closest?.('input, textarea, select');
    const onCopy = (event: ClipboardEvent) => {
      const s = useStudio.getState();
      const fragment = s.project && copyFragment(s.project.graph, s.selection);
      if (inField(event) || !fragment) return;
      event.clipboardData?.setData('text/plain', JSON.stringify({ nnstudio: 'fragment', ...fragment }));
      event.preventDefault();
      if (event.type === 'cut') s.edit({ ...remove(fragment.nodes.map((n) => n.id)), label: 'Cut' });
    };
    const onPaste = (event: ClipboardEvent) => {
      if (inField(event)) return;
      const s = useStudio.getState();
      try {
        const data = JSON.parse(event.clipboardData?.getData('text/plain') ?? '') as { nnstudio?: string } & Fragment;
        const graph = GraphSchema.safeParse({ nodes: data.nodes, edges: data.edges });
        if (data.nnstudio !== 'fragment' || !graph.success) return;
        event.preventDefault();
        s.edit(paste(graph.data));
      } catch {
        // Not ours: leave the paste alone.
      }
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    window.addEventListener('keydown', onKey);
    return () => {
      off();
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [actions]);
}

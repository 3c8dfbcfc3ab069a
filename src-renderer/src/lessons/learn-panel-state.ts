/**
 * Whether the Learn panel is shown: a window setting of its own (not the document's), apart from
 * the lesson store so that the app's actions can toggle it without loading the lessons.
 */
import { create } from 'zustand';

export const useLearnPanel = create<{ open: boolean; setOpen(open: boolean): void; toggle(): void }>((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
  toggle: () => set((s) => ({ open: !s.open })),
}));

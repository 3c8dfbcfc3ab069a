/** Whether "New network for this data" is open: a store of its own, so that any action can open it without the window's state. */
import { create } from 'zustand';

export const useNewNetworkDialog = create<{ open: boolean; show(): void; hide(): void }>((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
}));

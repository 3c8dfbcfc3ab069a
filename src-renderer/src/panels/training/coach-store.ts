/**
 * What the coach shows now, by kind of diagnosis: the coach panel writes it, a lesson's task
 * ("read what the coach says") reads it, so both agree on what the student saw.
 */
import { create } from 'zustand';

export const useCoachShown = create<{ kinds: readonly string[] }>(() => ({ kinds: [] }));

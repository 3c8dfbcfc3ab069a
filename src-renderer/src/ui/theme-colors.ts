/**
 * The theme's colours for canvases. A stylesheet's `var(--positive)` follows the light and dark
 * themes by itself; a 2-D canvas is painted with literal colours, so it reads the same variables
 * here and repaints when the system switches theme.
 */
import { useEffect, useState } from 'react';

/** The colours a plot paints with, read from the theme's variables (ui/theme.css). */
export interface ThemeColors {
  /** The positive class and positive weights. */
  positive: string;
  /** The other class and negative weights. */
  negative: string;
  /** Text and rings drawn over the plot. */
  text: string;
  /** Secondary lines (the diagonal of a predicted-vs-target plot). */
  muted: string;
  /** The panel behind the plot: the outline that keeps a point apart from the regions under it. */
  panel: string;
}

/** Fallbacks equal to the light theme, for a document without the stylesheet (unit tests). */
const LIGHT: ThemeColors = { positive: '#e07b24', negative: '#2f6fde', text: '#1d1d1f', muted: '#64646b', panel: '#ffffff' };

/** The theme's colours as they are now. */
export function readThemeColors(): ThemeColors {
  if (typeof window === 'undefined' || typeof getComputedStyle !== 'function') return LIGHT;
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    positive: read('--positive', LIGHT.positive),
    negative: read('--negative', LIGHT.negative),
    text: read('--text', LIGHT.text),
    muted: read('--muted', LIGHT.muted),
    panel: read('--panel', LIGHT.panel),
  };
}

/** `color` (a #rrggbb hex) at `alpha`, for translucent fills. Other spellings are returned as they are. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!hex) return color;
  return `rgba(${parseInt(hex[1], 16)}, ${parseInt(hex[2], 16)}, ${parseInt(hex[3], 16)}, ${alpha})`;
}

/** The theme's colours, updated when the system's light/dark preference changes. */
export function useThemeColors(): ThemeColors {
  const [colors, setColors] = useState(readThemeColors);
  useEffect(() => {
    const query = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!query) return;
    const update = () => setColors(readThemeColors());
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return colors;
}

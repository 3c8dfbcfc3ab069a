import { ACTIVATIONS, isActivation } from '../../../engine/src/index';

/** A small picture of each activation's curve, drawn on its node (the lecture's φ). */
// The paths are the activation registry's glyphs.
const pathOf = (activation: string): string => (isActivation(activation) ? ACTIVATIONS[activation] : ACTIVATIONS.linear).glyph;

export function ActivationGlyph({ activation }: { activation: string }) {
  return (
    <svg className="glyph" viewBox="0 0 18 16" width="18" height="16" aria-label={activation} role="img">
      <path d={pathOf(activation)} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
    </svg>
  );
}

/** A small picture of each activation's curve, drawn on its node (the lecture's φ). */
const PATHS: Record<string, string> = {
  step: 'M1 13 H9 V3 H17',
  sign: 'M1 14 H9 V2 H17',
  sigmoid: 'M1 13 C7 13 7 3 9 3 M9 3 C11 3 11 3 17 3',
  tanh: 'M1 14 C6 14 7 2 9 2 C11 2 12 2 17 2',
  relu: 'M1 12 H9 L17 2',
  linear: 'M1 14 L17 2',
  softmax: 'M1 13 L5 9 L9 11 L13 4 L17 8',
};

export function ActivationGlyph({ activation }: { activation: string }) {
  return (
    <svg className="glyph" viewBox="0 0 18 16" width="18" height="16" aria-label={activation} role="img">
      <path d={PATHS[activation] ?? PATHS.linear} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
    </svg>
  );
}

/**
 * A formula typeset by KaTeX, in the lecture's notation. KaTeX writes the formula twice: as HTML
 * for the eye (hidden from screen readers) and as MathML for screen readers, whose
 * `<annotation encoding="application/x-tex">` keeps the TeX it came from (copying and the
 * journeys read it). A TeX string KaTeX cannot parse shows as its source text, never as a crash.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';
import './tex.css';
import { memo, useMemo } from 'react';

const OPTIONS = {
  throwOnError: false,
  // HTML alone would leave a screen reader with KaTeX's glyph boxes: the MathML is what it reads.
  output: 'htmlAndMathml',
  // Unicode in the unit names the user chose is fine: no console warning for each one.
  strict: 'ignore',
  // No \href, \url or \htmlStyle from a unit's name, whatever it contains.
  trust: false,
} as const;

/** HTML-escapes text, for the fallback when KaTeX itself fails. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * `tex` as KaTeX's HTML and MathML. A parse error comes back as the source in a `katex-error`
 * span with KaTeX's message as its title (throwOnError is off); anything else KaTeX might throw
 * (it should not) the same way, so a formula can never take the panel down.
 */
export function texToHtml(tex: string, display = false): string {
  try {
    return katex.renderToString(tex, { ...OPTIONS, displayMode: display });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `<span class="katex-error" title="${escapeHtml(message)}">${escapeHtml(tex)}</span>`;
  }
}

export interface TexProps {
  /** The formula in TeX (KaTeX's subset of LaTeX math). */
  tex: string;
  /** On a line of its own, centred and larger (KaTeX's display mode). */
  display?: boolean;
  className?: string;
  testId?: string;
}

/** A typeset formula, inline unless `display`. */
export const Tex = memo(function Tex({ tex, display = false, className, testId }: TexProps) {
  const html = useMemo(() => texToHtml(tex, display), [tex, display]);
  return (
    <span
      className={className ? `tex ${className}` : 'tex'}
      data-testid={testId}
      // KaTeX escapes everything it is given (trust is off), so its markup is safe to insert.
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
});

/**
 * A lesson's Markdown with formulas, as HTML: markdown-it with raw HTML, links and images off (a
 * lesson file comes from anyone, and the page's policy loads nothing remote), and every `$…$`
 * and `$$…$$` typeset by KaTeX. The formulas are cut out before Markdown reads the text, so
 * `x_1` or `a*b` inside one is never taken for emphasis, and put back typeset after.
 */
import MarkdownIt from 'markdown-it';
import { texToHtml } from './Tex';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false }).disable(['link', 'image', 'autolink']);

/** A token for the n-th formula that Markdown leaves alone (letters only, no syntax of its own). */
const token = (n: number) => `MATHFORMULA${n}XEND`;

/** The HTML of `text` (Markdown with $…$ inline and $$…$$ display formulas); `inline` for one line without a paragraph. */
export function markdownToHtml(text: string, inline = false): string {
  const formulas: { tex: string; display: boolean }[] = [];
  // $$…$$ first (it may span lines), then $…$ on one line; \$ is a dollar sign.
  const cut = text
    .replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => token(formulas.push({ tex: tex.trim(), display: true }) - 1))
    .replace(/(^|[^\\])\$([^$\n]+?)\$/g, (_, before: string, tex: string) => before + token(formulas.push({ tex, display: false }) - 1))
    .replace(/\\\$/g, '$');
  const html = inline ? markdown.renderInline(cut) : markdown.render(cut);
  return html.replace(/MATHFORMULA(\d+)XEND/g, (_, n: string) => {
    const formula = formulas[Number(n)];
    return formula ? texToHtml(formula.tex, formula.display) : '';
  });
}

import { describe, expect, it } from 'vitest';
import { markdownToHtml } from './markdown';

describe('a lesson’s Markdown', () => {
  it('typesets inline and display formulas, leaving their underscores and stars to TeX', () => {
    const html = markdownToHtml("The sum $s_j = \\sum_i w_{ji} z_i$ and **bold**:\n\n$$\\delta_k = (z_k - t_k)\\,\\varphi'(s_k)$$");
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<annotation encoding="application/x-tex">s_j = \\sum_i w_{ji} z_i</annotation>');
    expect(html).toContain('katex-display');
    expect(html).not.toContain('<em>');
    expect(html).not.toContain('MATHFORMULA');
  });

  it('renders tables and keeps an escaped dollar', () => {
    const html = markdownToHtml('| $x_1$ | OR |\n|---|---|\n| 0 | 1 |\n\nIt costs \\$5.');
    expect(html).toContain('<table>');
    expect(html).toContain('<annotation encoding="application/x-tex">x_1</annotation>');
    expect(html).toContain('It costs $5.');
  });

  it('writes no HTML, link or image a lesson file brings', () => {
    const html = markdownToHtml(
      '<img src=x onerror=alert(1)> [site](javascript:alert(1)) ![p](http://example.com/a.png) $\\href{javascript:alert(1)}{x}$',
    );
    expect(html).not.toMatch(/<img|<a |href=/);
    expect(html).toContain('&lt;img');
  });

  it('inline: one line without a paragraph', () => {
    expect(markdownToHtml('Answer *one* $\\delta_j$.', true)).toMatch(/^Answer <em>one<\/em> <span class="katex">/);
  });
});

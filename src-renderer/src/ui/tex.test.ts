import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  ACTIVATION_NAMES,
  EXAMPLES,
  LOSSES,
  LOSS_NAMES,
  OPTIMISERS,
  OPTIMISER_NAMES,
  OPTIMISER_SETTINGS,
  freshOptimiserState,
  openSession,
  traceFormulasLatex,
  traceStep,
} from '../../../engine/src/index';
import { Tex, texToHtml } from './Tex';

/** The text of an HTML fragment with its tags removed and the entities KaTeX writes decoded. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#(x?)([0-9a-f]+);/gi, (_, hex: string, code: string) => String.fromCharCode(parseInt(code, hex ? 16 : 10)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

describe('a formula typeset with KaTeX', () => {
  const delta = "\\delta_k = (t_k - z_k)\\, \\varphi'(s_k)";

  it('renders TeX to KaTeX HTML for the eye and MathML for a screen reader, which keeps the TeX', () => {
    const html = renderToStaticMarkup(createElement(Tex, { tex: delta, testId: 'f' }));
    expect(html).toMatch(/^<span class="tex" data-testid="f"><span class="katex">/);
    // The visible rendering is hidden from screen readers; the MathML is what they read.
    expect(html).toContain('<span class="katex-html" aria-hidden="true">');
    expect(html).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML">');
    const annotation = /<annotation encoding="application\/x-tex">([^<]*)<\/annotation>/.exec(html);
    expect(annotation && textOf(annotation[1])).toBe(delta);
    // The MathML spells the formula out in its symbols: δ, k, t, z, φ.
    const mathml = textOf(/<math[\s\S]*?<annotation/.exec(html)![0]);
    for (const symbol of ['δ', 't', 'z', 'φ', 's', 'k']) expect(mathml).toContain(symbol);
    expect(mathml).not.toContain('\\');
  });

  it('typesets display formulas in their own block', () => {
    expect(texToHtml('J = \\tfrac{1}{2} \\sum_k (t_k - z_k)^2', true)).toMatch(/^<span class="katex-display">/);
    expect(texToHtml('J', false)).toMatch(/^<span class="katex">/);
  });

  it('shows TeX it cannot parse as readable source text with the reason, instead of throwing', () => {
    const bad = '\\frac{\\partial J}{\\partial w';
    let html = '';
    expect(() => (html = renderToStaticMarkup(createElement(Tex, { tex: bad })))).not.toThrow();
    expect(html).toContain('class="katex-error"');
    expect(textOf(html)).toBe(bad);
    expect(html).toMatch(/title="[^"]*ParseError[^"]*"/);
    // An unknown command too.
    expect(textOf(texToHtml('\\nosuchcommand{x}'))).toContain('\\nosuchcommand{x}');
  });

  it('never lets markup or a link through from a name inside the TeX', () => {
    const html = texToHtml('s_{\\text{<img src=x onerror=alert(1)>}} = \\href{javascript:alert(1)}{x}');
    expect(html).not.toMatch(/<img|<a /);
    expect(html).toContain('&lt;img');
  });
});

describe('the LaTeX the app typesets', () => {
  /** The TeX KaTeX cannot parse, from a list (the app renders these in red rather than throwing). */
  const failures = (spellings: readonly string[]) =>
    spellings.filter((tex) => {
      try {
        katex.renderToString(tex, { throwOnError: true, strict: 'ignore' });
        return false;
      } catch {
        return true;
      }
    });

  it('every LaTeX spelling in the activation, loss and optimiser registries typesets without an error', () => {
    const spellings: string[] = [];
    for (const a of ACTIVATION_NAMES) spellings.push(ACTIVATIONS[a].formulaLatex, ACTIVATIONS[a].derivativeLatex);
    for (const l of LOSS_NAMES) for (const form of LOSSES[l].forms) spellings.push(form.latex);
    for (const o of OPTIMISER_NAMES) {
      const { formula, gradientPart, memoryPart } = OPTIMISERS[o].latex;
      spellings.push(formula, gradientPart, ...(memoryPart ? [memoryPart] : []));
    }
    for (const setting of Object.values(OPTIMISER_SETTINGS)) spellings.push(setting.latex, setting.tooltipLatex);
    expect(spellings.length).toBeGreaterThan(30);
    expect(failures(spellings)).toEqual([]);
    // The check itself: a misspelt command is caught.
    expect(failures(['\\varphy(s)'])).toEqual(['\\varphy(s)']);
  });

  it('every formula the inspector shows for a step of each example typesets without an error', () => {
    const spellings: string[] = [];
    let traced = 0;
    for (const example of EXAMPLES) {
      const project = example.create();
      // A network of perceptrons with hand-set weights has no learning rule, so no step to trace.
      if (project.graph.nodes.filter((n) => n.kind === 'perceptron').length > 1 && project.hyperparameters.algorithm === 'perceptron')
        continue;
      traced++;
      const session = openSession(project, 'train');
      const memory = freshOptimiserState(project.hyperparameters.optimiser, session.model.paramCount);
      const trace = traceStep(session.model, session.trainer.params, memory, session.train, [0], project.hyperparameters);
      spellings.push(traceFormulasLatex.forward, traceFormulasLatex.loss(trace), traceFormulasLatex.update(trace));
      for (const sample of trace.samples)
        for (const record of sample.backward) {
          const activation = sample.forward.find((f) => f.nodeId === record.nodeId && f.unit === record.unit)!.activation;
          spellings.push(
            traceFormulasLatex.deltaRule(trace, record, activation),
            traceFormulasLatex.deltaWithNumbers(trace, sample, record, activation),
          );
        }
    }
    expect(traced).toBeGreaterThanOrEqual(EXAMPLES.length - 1);
    expect(failures(spellings)).toEqual([]);
  });
});

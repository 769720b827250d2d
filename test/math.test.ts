import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMathMl } from '../src/bibliography/math.ts';

/** The plain text of math typeset as MathML, as the page's <title>, Google Scholar's meta tags, the CV PDF and CSL get it. */
const text = (tex: string): string | undefined => renderMathMl(tex)?.text;

describe('math in plain text (src/bibliography/math.ts)', () => {
  it('reads as a person would type it, not as TeX', () => {
    assert.equal(text('\\mathcal{H}_\\infty'), 'H∞');
    assert.equal(text('\\frac{1}{2}'), '1/2');
    assert.equal(text('\\frac{a+b}{c}'), '(a+b)/c');
    assert.equal(text('\\sqrt{n+1}'), '√(n+1)');
    assert.equal(text('\\mathcal{O}(n \\log n)'), 'O(n log n)');
    assert.equal(text('\\operatorname{poly}(n)'), 'poly(n)');
  });

  it('keeps what a reader needs to tell apart: a fraction among other terms in parentheses, a binomial coefficient as one', () => {
    assert.equal(text('\\frac{1}{2}x'), '(1/2)x');
    assert.equal(text('\\binom{n}{k}'), '(n choose k)');
    assert.equal(text('\\frac{\\sqrt{\\pi}}{2}'), '√π/2', 'a root of one letter and a number need no parentheses');
    assert.equal(text('\\frac{12}{35}'), '12/35');
  });

  it('sets a function\'s name apart from its argument, not from brackets, and keeps its scripts with it', () => {
    assert.equal(text('\\max_{x} f(x)'), 'maxₓ f(x)');
    assert.equal(text('\\Pr[X \\ge 1]'), 'Pr[X≥1]');
    assert.equal(text('f(\\max_x)'), 'f(maxₓ)');
    assert.equal(text('f\\colon X \\to Y'), 'f: X→Y');
    assert.equal(text('\\lim_{n \\to \\infty} a_n'), 'lim_(n→∞) aₙ');
  });

  it('writes scripts in Unicode superscripts and subscripts where all their characters have one, else after ^ or _', () => {
    assert.equal(text('\\mathbb{R}^n'), 'ℝⁿ');
    assert.equal(text('\\sum_{i=1}^{n} x_i'), '∑ᵢ₌₁ⁿxᵢ');
    assert.equal(text('\\mathbb{R}^{n \\times m}'), 'ℝ^(n×m)');
    assert.equal(text('e^{-x^2}'), 'e^(−x²)');
    assert.equal(text('x_{\\max}'), 'xₘₐₓ');
  });

  it('puts accents over their letter as combining marks and leaves the TeX annotation out', () => {
    assert.equal(text('\\hat{x} + \\bar{y}'), 'x\u0302+y\u0304');
    assert.equal(text('\\overline{\\text{MS}}'), 'M\u0305S\u0305', 'an overline over each letter it spans, not "MS‾"');
    assert.doesNotMatch(text('\\frac{a}{b}') ?? '', /frac|\\/);
  });
});

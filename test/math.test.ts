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

/** The MathML of math, without its TeX annotation: what MathML Core browsers draw. */
const drawn = (tex: string): string => renderMathMl(tex)?.html.replace(/<annotation[^>]*>[^<]*<\/annotation>/, '') ?? '';

describe('math in MathML (src/bibliography/math.ts)', () => {
  // MathML Core (Chromium) ignores mathvariant but "normal": a letter's style must be in its character.
  it('writes a styled letter as Unicode has it in that style, and drops the mathvariant Chromium ignores', () => {
    assert.match(drawn('\\mathcal{H}_\\infty'), /<msub><mi>ℋ<\/mi><mi mathvariant="normal">∞<\/mi><\/msub>/, 'script H is in Letterlike Symbols, not at its place in the block');
    assert.match(drawn('\\mathcal{A}'), /<mi>𝒜<\/mi>/);
    assert.match(drawn('\\mathbb{R}^n'), /<msup><mi>ℝ<\/mi><mi>n<\/mi><\/msup>/, 'a hole, too');
    assert.match(drawn('\\mathbb{E}[X]'), /<mi>𝔼<\/mi>/);
    assert.match(drawn('\\mathbb{1}'), /<mn>𝟙<\/mn>/, 'a blackboard digit');
    assert.match(drawn('\\mathfrak{g} \\mathfrak{H}'), /<mi>𝔤<\/mi><mi>ℌ<\/mi>/);
    assert.match(drawn('\\mathbf{x} + \\mathbf{12}'), /<mi>𝐱<\/mi><mo>\+<\/mo><mn>𝟏𝟐<\/mn>/);
    assert.match(drawn('\\boldsymbol{\\alpha}'), /<mi>𝜶<\/mi>/, 'bold italic Greek');
    assert.match(drawn('\\mathsf{A}'), /<mi>𝖠<\/mi>/);
    assert.match(drawn('\\mathtt{x}'), /<mi>𝚡<\/mi>/);
    assert.doesNotMatch(drawn('\\mathcal{H} \\mathbb{R} \\mathfrak{g} \\mathbf{x} \\mathsf{A} \\mathtt{x}'), /mathvariant/);
  });

  it('keeps mathvariant="normal", and the attribute on characters Unicode has in no such style', () => {
    assert.match(drawn('\\mathrm{d}x'), /<mi mathvariant="normal">d<\/mi><mi>x<\/mi>/, 'an upright d stays upright, not the italic a lone <mi> gets');
    assert.match(drawn('\\operatorname{poly}(n)'), /<mi mathvariant="normal">poly<\/mi>/);
    assert.match(drawn('\\mathcal{\\alpha}'), /<mi mathvariant="script">α<\/mi>/, 'no script Greek');
    assert.match(drawn('\\mathbf{1.5}'), /<mn mathvariant="bold">𝟏\.𝟓<\/mn>/, 'no bold full stop: the digits styled, the attribute kept for the rest');
    assert.match(drawn('\\texttt{a<b}'), /<mtext mathvariant="monospace">𝚊&lt;𝚋<\/mtext>/, 'a character reference left whole');
  });

  it('leaves the TeX for assistive technology and the plain text as they were', () => {
    const math = renderMathMl('\\mathcal{H}_\\infty \\subset \\mathbb{R}^n');
    assert.match(math?.html ?? '', /<annotation encoding="application\/x-tex">\\mathcal\{H\}_\\infty \\subset \\mathbb\{R\}\^n<\/annotation>/);
    assert.equal(math?.text, 'H∞⊂ℝⁿ', 'only blackboard capitals of Letterlike Symbols are styled in the text (the CV PDF\'s font draws those)');
    assert.equal(text('\\mathbb{E}[X] + \\mathbf{x}'), 'E[X]+x');
  });
});

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Commands the BibTeX parser cannot turn into readable Unicode; math that
 * uses them is typeset as MathML by KaTeX at build time instead (no script
 * and no stylesheet needed in the browser).
 */
const NEEDS_MATHML = /\\(frac|dfrac|tfrac|sqrt|mathbb|mathcal|mathfrak|mathscr|mathrm|mathbf|mathit|operatorname|binom|over|choose|left|right|begin|overline|underline|hat|widehat|tilde|widetilde|vec|bar|dot|ddot|sum|prod|int|oint|lim|limits|text)\b/;

export interface MathRender {
  html: string;
  /** The TeX source, for plain-text uses such as meta tags. */
  text: string;
}

/** Whether Unicode would misrepresent this math. */
export function needsMathMl(tex: string): boolean {
  return NEEDS_MATHML.test(tex);
}

/** MathML for the TeX, or undefined when KaTeX cannot read it. */
export function renderMathMl(tex: string): MathRender | undefined {
  const katex = require('katex') as { renderToString(tex: string, options: Record<string, unknown>): string };
  try {
    const html = katex.renderToString(tex, { output: 'mathml', throwOnError: true, trust: false, strict: 'ignore' });
    return { html, text: tex.trim() };
  } catch {
    return undefined;
  }
}

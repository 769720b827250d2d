import { decodeEntities } from '../text/escape.ts';
import { needsMathMl, renderMathMl, type MathRender } from './math.ts';
import { ANGLE_PLACEHOLDERS } from './pasted-abstracts.ts';
import { HTML_FILLER, type RichText } from './rich-text.ts';

// Math in field values: what Unicode cannot show is typeset as MathML by KaTeX before the parser
// reads the value, and put back after (extractComplexMath, restoreMath); math whose dollars an
// export escaped is typeset after parsing. Only read-bibtex.ts uses this.

/**
 * Takes out math that Unicode cannot show (fractions, roots, blackboard letters...) and leaves a
 * placeholder that survives parsing; the MathML is put back after escaping. Display math (`$$...$$`,
 * `\[...\]`), which the parser drops, is typeset in the line, as is `\(...\)` (DBLP's) when
 * `$...$` would be.
 */
export function extractComplexMath(value: string, rendered: MathRender[]): string {
  const display = value.includes('$$') || value.includes('\\[');
  const parenthesised = value.includes('\\(');
  if (!display && !parenthesised && !value.includes('$')) return value;
  const typeset = (whole: string, tex: string, display: boolean): string => {
    // A command as a script is braced for the parser, which reads H_\infty as "H ͚" but H_{\infty} as "H∞".
    if (!display && !needsMathMl(tex)) return withAnglesAsText(whole.replace(/([_^])(\\[A-Za-z]+)/g, '$1{$2}'));
    // A tag inside math (`$O(n<sup>2</sup>)$`) left only its filler (see withoutHtmlTags).
    const math = renderMathMl(tex.replaceAll(HTML_FILLER, ''));
    // What KaTeX cannot read goes to the parser, display math as math in the line.
    if (math === undefined) return withAnglesAsText(display ? `$${tex}$` : whole);
    rendered.push(math);
    return `${MATH_OPEN}${rendered.length - 1}${MATH_CLOSE}`;
  };
  let result = value;
  // Google Scholar escapes what display math holds as it does text ($$ E= mc\^{} 2$$): TeX again for KaTeX.
  const unescaped = (tex: string): string => tex.replace(/\\\^\{\}/g, '^').replace(/\\([_{}])/g, '$1');
  // Neither delimiter is looked for past 2,000 characters: an unclosed one costs no more than that.
  if (display) result = result.replace(/(?<!\\)\$\$([^$]+)\$\$|(?<!\\)\\\[([\s\S]{1,2000}?)(?<!\\)\\\]/g, (whole, dollars: string | undefined, brackets: string | undefined) => typeset(whole, unescaped(dollars ?? brackets ?? ''), true));
  if (parenthesised) result = result.replace(/(?<!\\)\\\(([\s\S]{1,2000}?)(?<!\\)\\\)/g, (whole, tex: string) => typeset(whole, tex, false));
  if (!result.includes('$')) return result;
  return result.replace(/(^|[^\\])\$((?:[^$\\]|\\.)+)\$/g, (whole, before: string, tex: string) => before + typeset(whole.slice(before.length), tex, false));
}

/** "<" and ">" in math, and TeX's \lt and \gt, which the parser drops (\textless and \textgreater are read-bibtex.ts's, in text too). */
const ANGLES_IN_MATH = /[<>]|\\[lg]t(?![A-Za-z])/g;

/**
 * Math for the parser with its "<" and ">" as ANGLE_PLACEHOLDERS, which read-bibtex.ts's `rich`
 * puts back as text. The parser writes them as they are into its output, which is read as HTML
 * (see toRichText): `$a < b$ and $b > c$` became "a<b>c</b>", a bold "c", and `$p<q>r$` "pr".
 */
function withAnglesAsText(math: string): string {
  return math.replace(ANGLES_IN_MATH, (angle) => (angle === '<' || angle === '\\lt' ? ANGLE_PLACEHOLDERS.lt : ANGLE_PLACEHOLDERS.gt));
}

/**
 * Math whose dollars were escaped, which comes out of parsing as TeX between dollars: Google
 * Scholar's, with its backslashes and braces escaped too ($\backslash$mathcal $\{$H$\}$), and
 * Better BibTeX's of math typed into Zotero (\$k\$-SAT, \$H\_0\$, fb\${\textasciicircum}\{-1\}\$).
 * Typeset what is left that way when it is surely math: a command, one to three letters, or a
 * script with no space at either end, no digit first and no word of prose ("$5 and $10", "US$5
 * Billion for CO_2 at US$100", "50$/MWh_e and 80$" are prices).
 */
const LEFTOVER_MATH = /\$([^$]*\\[A-Za-z][^$]*|[A-Za-z]{1,3}|(?=[^$\s\d])(?![^$]*\s[A-Za-z]{3,}\s)[^$]*[_^][^$]*[^$\s])\$/g;

function typesetLeftoverMath(rich: RichText): RichText {
  if (!rich.text.includes('$')) return rich;
  // The same math in both: in the HTML, its characters as the text has them (no entities, no
  // markup the parser made of \textit); what KaTeX cannot read stays as written in both.
  // Never inside a tag: a link's address may hold dollars (\href{https://x.example/$x_a$}{...}).
  const inTag = (offset: number): boolean => rich.html.lastIndexOf('<', offset) > rich.html.lastIndexOf('>', offset);
  const html = rich.html.replace(LEFTOVER_MATH, (whole, tex: string, offset: number) => (inTag(offset) || inTag(offset + whole.length - 1) ? whole : renderMathMl(decodeEntities(tex.replace(/<[^>]*>/g, '')))?.html ?? whole));
  const text = rich.text.replace(LEFTOVER_MATH, (whole, tex: string) => renderMathMl(tex)?.text ?? whole);
  return { html, text };
}

const MATH_OPEN = '\uE100';
const MATH_CLOSE = '\uE101';
const MATH_PLACEHOLDER = /\uE100(\d+)\uE101/g;

export function restoreMath(parsed: RichText, rendered: readonly MathRender[]): RichText {
  const rich = typesetLeftoverMath(parsed);
  if (!rich.html.includes(MATH_OPEN)) return rich;
  return {
    html: rich.html.replace(MATH_PLACEHOLDER, (_match, index: string) => rendered[Number(index)]?.html ?? ''),
    text: rich.text.replace(MATH_PLACEHOLDER, (_match, index: string) => rendered[Number(index)]?.text ?? ''),
  };
}

import { createRequire } from 'node:module';
import { decodeEntities } from '../text/escape.ts';
import { styledCharacter } from '../text/math-alphanumerics.ts';

const require = createRequire(import.meta.url);

/**
 * Commands the BibTeX parser cannot turn into readable Unicode; math that
 * uses them is typeset as MathML by KaTeX at build time instead (no script
 * and no stylesheet needed in the browser).
 */
const NEEDS_MATHML = new RegExp(
  String.raw`\\(?:frac|dfrac|tfrac|sqrt|mathbb|mathcal|mathfrak|mathscr|mathrm|mathbf|mathit|mathsf|mathtt|mathnormal|boldsymbol|bm|operatorname|mathop|displaystyle|textstyle|binom|over|choose|left|right|begin|` +
    String.raw`overline|underline|hat|widehat|tilde|widetilde|vec|bar|dot|ddot|sum|prod|int|oint|lim|limits|text|textbf|textit|mbox|hbox|mod|pmod|bmod|stackrel|xrightarrow|overbrace|underbrace|not|colon|` +
    // AMS-TeX's fonts, as MathSciNet writes them: \Bbb Z, \bold x, \cal O, \scr L, \germ g.
    String.raw`Bbb|bold|cal|scr|germ|` +
    // Function names, set upright: "O(n log n)".
    String.raw`log|ln|lg|exp|sin|cos|tan|cot|sec|csc|arcsin|arccos|arctan|sinh|cosh|tanh|coth|max|min|arg|det|dim|gcd|sup|inf|Pr|deg|ker|hom|liminf|limsup)(?![A-Za-z])` +
    // A norm's bars.
    String.raw`|\\\|`,
);

/** A superscript or subscript of characters, braced or one (a command as a script is the parser's: $^\dagger$ marks an author). */
const SCRIPT = /(?<!\\)([_^])(?:\{([^{}\\]*)\}|([^\s{}\\]))/g;

/**
 * Whether Unicode would misrepresent this math: it has a command above, or a script of letters or
 * digits Unicode has no superscripts or subscripts for ($T_c$, $n^{2.373}$; a lone symbol, as an
 * author's $^*$, reads as it is).
 */
export function needsMathMl(tex: string): boolean {
  if (NEEDS_MATHML.test(tex)) return true;
  if (!tex.includes('_') && !tex.includes('^')) return false;
  for (const [, mark, braced, single] of tex.matchAll(SCRIPT)) {
    const table = mark === '^' ? SUPERSCRIPTS : SUBSCRIPTS;
    const characters = (braced ?? single ?? '').replace(/\s+/g, '');
    if ([...characters].length === 1 && !/[\p{L}\p{N}]/u.test(characters)) continue;
    if (characters !== '' && inTable(characters, table) === undefined) return true;
  }
  return false;
}

/** Commands of plain TeX and AMS-TeX that KaTeX does not know, as the ones it knows. */
const KATEX_SPELLINGS: ReadonlyArray<[RegExp, string]> = [
  [/\\mbox(?![A-Za-z])/g, '\\text'],
  [/\\scr(?![A-Za-z])/g, '\\mathscr'],
  [/\\germ(?![A-Za-z])/g, '\\mathfrak'],
  // Text's angle commands, which KaTeX reads in text only: in math, its \lt and \gt.
  [/\\textless(?![A-Za-z])(?:\s*\{\s*\})?/g, '\\lt '],
  [/\\textgreater(?![A-Za-z])(?:\s*\{\s*\})?/g, '\\gt '],
];

export interface MathRender {
  html: string;
  /** The math as plain text (H∞, 1/2, √n), for the page's title, meta tags, the CV PDF and CSL. */
  text: string;
}

/** MathML for the TeX, or undefined when KaTeX cannot read it. */
export function renderMathMl(tex: string): MathRender | undefined {
  const katex = require('katex') as { renderToString(tex: string, options: Record<string, unknown>): string };
  try {
    const spelled = KATEX_SPELLINGS.reduce((result, [command, known]) => result.replace(command, known), tex);
    const mathml = katex.renderToString(spelled, { output: 'mathml', throwOnError: true, trust: false, strict: 'ignore' });
    // The text from KaTeX's own MathML: its letters stay plain there but for blackboard capitals (see mathMlText).
    return { html: withStyledCharacters(mathml), text: mathMlText(mathml) };
  } catch {
    return undefined;
  }
}

/** A token element of KaTeX's MathML with its text (KaTeX writes nothing but text in them). */
const TOKEN = /<(mi|mn|mo|mtext)(\s[^>]*)?>([^<]*)<\/\1>/g;
const MATHVARIANT = /\smathvariant="([^"]*)"/;
/** A character reference, or one character. */
const CHARACTER = /&[^;\s]*;|[\s\S]/gu;

/**
 * The MathML with each styled token's characters as Unicode has them in that style (𝐱, ℋ, ℝ, 𝟙):
 * MathML Core, what Chromium implements, ignores mathvariant but "normal", so \mathcal{H} showed an
 * italic H. The attribute goes where every character took the style (whitespace looks the same in
 * every style); it stays on characters Unicode has no such form of (a script α), for the renderers
 * that still read it. "normal" stays: in MathML Core it keeps a single-letter <mi> upright.
 */
function withStyledCharacters(mathml: string): string {
  return mathml.replace(TOKEN, (token, name: string, attributes = '', content: string) => {
    const variant = MATHVARIANT.exec(attributes)?.[1];
    if (variant === undefined || variant === 'normal' || content === '') return token;
    let everyCharacter = true;
    const styled = content.replace(CHARACTER, (piece) => {
      const character = styledCharacter(piece.startsWith('&') ? decodeEntities(piece) : piece, variant);
      if (character === undefined && !/^\s$/u.test(piece)) everyCharacter = false;
      return character ?? piece;
    });
    return `<${name}${everyCharacter ? attributes.replace(MATHVARIANT, '') : attributes}>${styled}</${name}>`;
  });
}

interface MathNode {
  name: string;
  attributes: string;
  children: Array<MathNode | string>;
}

/** KaTeX's MathML (well-formed: its own output) as a tree; character references decoded. */
function parseMathMl(xml: string): MathNode {
  const root: MathNode = { name: '', attributes: '', children: [] };
  const open = [root];
  for (const [, closing, name, attributes, selfClosing, text] of xml.matchAll(/<(\/?)([\w:-]+)([^>]*?)(\/?)>|([^<]+)/g)) {
    const parent = open[open.length - 1] ?? root;
    if (text !== undefined) {
      parent.children.push(decodeEntities(text));
    } else if (closing === '/') {
      if (open.length > 1) open.pop();
    } else {
      const node: MathNode = { name: name ?? '', attributes: attributes ?? '', children: [] };
      parent.children.push(node);
      if (selfClosing !== '/') open.push(node);
    }
  }
  return root;
}

/** Unicode's superscripts: digits, signs, and the modifier letters (all small letters but q, as the BibTeX parser writes $L^p$ "Lᵖ"). */
const SUPERSCRIPTS: Readonly<Record<string, string>> = Object.fromEntries([...'0123456789+-=()abcdefghijklmnoprstuvwxyz'].map((c, i) => [c, [...'⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ'][i] ?? c]));
const SUBSCRIPTS: Readonly<Record<string, string>> = Object.fromEntries([...'0123456789+-=()aehijklmnoprstuvx'].map((c, i) => [c, [...'₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ'][i] ?? c]));
/** Unicode superscripts at the end of a text (an author's affiliation marks, "Liᵃ" for Li$^{a}$). */
export const TRAILING_SUPERSCRIPTS = new RegExp(`[${Object.values(SUPERSCRIPTS).join('')}]+$`, 'u');

/** Unicode superscripts as the characters they raise ("ᵃ¹" → "a1"). */
export function lowered(text: string): string {
  return [...text].map((character) => LOWERED[character] ?? character).join('');
}
const LOWERED: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SUPERSCRIPTS).map(([character, raised]) => [raised, character]));

/** Text in Unicode superscripts, or undefined when a character has none. */
export function asSuperscript(text: string): string | undefined {
  return inTable(text, SUPERSCRIPTS);
}

/** Text in Unicode subscripts, or undefined when a character has none. */
export function asSubscript(text: string): string | undefined {
  return inTable(text, SUBSCRIPTS);
}

function inTable(text: string, table: Readonly<Record<string, string>>): string | undefined {
  const characters = [...text];
  return characters.length > 0 && characters.every((character) => table[character] !== undefined) ? characters.map((character) => table[character]).join('') : undefined;
}

/**
 * A blackboard letter in plain text when Unicode has it among the common letters (ℝ, ℕ, ℤ: Letterlike
 * Symbols), which the CV PDF's font draws; those only in Mathematical Alphanumeric Symbols (𝔼, 𝟙)
 * stay plain letters, as do the other styles (H∞ for \mathcal{H}_\infty).
 */
function plainDoubleStruck(character: string): string {
  const styled = styledCharacter(character, 'double-struck');
  return styled !== undefined && (styled.codePointAt(0) ?? 0) <= 0xffff ? styled : character;
}
/** The accents KaTeX writes over a letter (\hat, \tilde, \bar, \dot, \ddot, \vec), as combining marks. */
const ACCENTS: Readonly<Record<string, string>> = { '^': '\u0302', '~': '\u0303', 'ˉ': '\u0304', '˙': '\u0307', '¨': '\u0308', '⃗': '\u20D7', '‾': '\u0305' };
/** Accents that span what is under them (\overline{MS}): on each character. */
const SPANNING_ACCENTS = new Set(['\u0305']);

/** Parenthesised unless one character, a number or a root of one ("√π/2", "12/35"). */
const grouped = (text: string): string => ([...text].length <= 1 || /^(?:\d+(?:\.\d+)?|√.)$/u.test(text) ? text : `(${text})`);
/** In Unicode superscripts (or subscripts) when it has them all, else after ^ (or _). */
function scripted(script: string, table: Readonly<Record<string, string>>, mark: string): string {
  const text = script.trim();
  const unicode = inTable(text.replace(/−/g, '-'), table);
  if (unicode !== undefined) return unicode;
  // A lone symbol (H∞, x′, A*) reads as it is written.
  if ([...text].length === 1 && !/[\p{L}\p{N}]/u.test(text)) return text;
  // The script's characters grouped after its mark, "T_c", "H_(eff)", "ℝ^(n×m)", as one would type
  // them: run on ("Heff") they would read as part of the base, and without the parentheses the
  // script's end is not seen ("y_ij k").
  return `${mark}${grouped(text)}`;
}

/**
 * A subscript or superscript of text as plain text: what the page shows as <sub> or <sup> (the
 * BibTeX parser's scripts: $y_i$, $x^\alpha$, \textsubscript{eff}), written as typeset math's
 * text writes it (see mathMlText), so that a title reads the same whichever way its math was read.
 */
export function scriptText(script: string, position: 'sub' | 'sup'): string {
  return position === 'sub' ? scripted(script, SUBSCRIPTS, '_') : scripted(script, SUPERSCRIPTS, '^');
}

/** A base with its scripts; a function's name keeps its application (U+2061) after them: "maxₓ f(x)", not "max ₓf(x)". */
function withScripts(base: string | undefined, below: string, above: string): string {
  const name = base?.replace(/\u2061$/, '') ?? '';
  return `${name}${below}${above}${name === base ? '' : '\u2061'}`;
}

/**
 * MathML as text a reader would type: letters and operators as they are, fractions with a slash,
 * roots with √, scripts in Unicode superscripts and subscripts where those exist, accents as
 * combining marks, blackboard capitals as ℝ, ℕ...; the TeX annotation left out.
 */
export function mathMlText(mathml: string): string {
  const text = (node: MathNode | string): string => {
    if (typeof node === 'string') return node;
    // Elements and text, without the whitespace between elements (so that a fraction's parts are its first two).
    const parts = node.children.filter((child) => typeof child !== 'string' || child.trim() !== '' || node.name === 'mtext');
    const [first, second, third] = parts.map(text);
    switch (node.name) {
      case 'annotation':
      case 'annotation-xml':
        return '';
      case 'mfrac':
        // A fraction without its bar is a binomial coefficient, whose parentheses KaTeX writes around it.
        if (/\blinethickness="0(?:px|em)?"/.test(node.attributes)) return `${first ?? ''} choose ${second ?? ''}`;
        return `${grouped(first ?? '')}/${grouped(second ?? '')}`;
      case 'msqrt':
        return `√${grouped(parts.map(text).join(''))}`;
      case 'mroot':
        return `${scripted(second ?? '', SUPERSCRIPTS, '^')}√${grouped(first ?? '')}`;
      case 'msup':
        return withScripts(first, '', scripted(second ?? '', SUPERSCRIPTS, '^'));
      case 'msub':
      case 'munder':
        return withScripts(first, scripted(second ?? '', SUBSCRIPTS, '_'), '');
      case 'msubsup':
      case 'munderover':
        return withScripts(first, scripted(second ?? '', SUBSCRIPTS, '_'), scripted(third ?? '', SUPERSCRIPTS, '^'));
      case 'mover': {
        const accent = ACCENTS[second ?? ''];
        if (/\baccent="true"/.test(node.attributes) && accent !== undefined) return SPANNING_ACCENTS.has(accent) ? [...(first ?? '')].map((character) => `${character}${accent}`).join('') : `${first ?? ''}${accent}`;
        return `${first ?? ''}${scripted(second ?? '', SUPERSCRIPTS, '^')}`;
      }
      case 'mspace':
        return ' ';
      case 'mi': {
        const letters = parts.map(text).join('');
        if (/\bmathvariant="double-struck"/.test(node.attributes)) return [...letters].map(plainDoubleStruck).join('');
        // A function's name (log, sin) stands apart from what comes before it.
        return [...letters].length > 1 ? ` ${letters}` : letters;
      }
      default:
        // A fraction among other terms is parenthesised: "(1/2)x", not "1/2x".
        return parts.map((part) => (typeof part !== 'string' && part.name === 'mfrac' && parts.length > 1 && !/\blinethickness="0/.test(part.attributes) ? `(${text(part)})` : text(part))).join('');
    }
  };
  // U+2061 (function application) after a function's name: nothing before brackets or at an end, a
  // space before an argument. The invisible times, separator and plus (U+2062 to U+2064) are nothing.
  return text(parseMathMl(mathml))
    .replace(/[\u2062-\u2064]/g, '')
    .replace(/\u2061(?=[([{)\]},;:]|$)/g, '')
    .replace(/\u2061/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/([([{]) | (?=[)\]}:])/g, '$1')
    .trim();
}

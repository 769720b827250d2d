import { escapeXml } from '../text/escape.ts';
import { safeWebUrl } from '../text/urls.ts';
import { scriptText } from './math.ts';

/** Text that may carry a little inline markup: italics, bold, small caps, monospace, sub/superscripts, links. */
export interface RichText {
  /** Safe HTML: every character escaped, only the markup listed above. */
  html: string;
  /** The same text without markup, e.g. for meta tags and sorting. */
  text: string;
}

/**
 * The markup the BibTeX parser and citeproc write, in the shape they write it, and nothing else:
 * a tag of this list with well-formed quoted attributes (citeproc's `<span style="...">`), or a
 * link as the parser writes \href and \url, `<a href="` and the address as written up to `">`
 * (it may hold "<", ">" and quotes of its own). Text's "<" never reaches here as itself: the
 * parser writes it "¡" (see read-bibtex.ts's `rich`), math's and citeproc's are placeholders. So
 * `<b =>` or `<a title=x>` in an address's text is text.
 */
const TAG = /<(?<closing>\/?)(?<name>i|em|b|strong|sup|sub|code|span)(?<attributes>(?:\s+[\w-]+="[^"<>]*")*)\s*>|<a href="(?<href>[\s\S]*?)">|<(?<closingLink>\/)a>/gi;
const OUR_TAG: Record<string, string> = { i: 'i', em: 'i', b: 'b', strong: 'b', sup: 'sup', sub: 'sub', code: 'code' };

/**
 * Turns the parser's output (text with inline HTML markup for \emph, \textbf,
 * \textsc, \texttt, \url ...) into safe HTML and plain text. Known tags are rebuilt from
 * scratch, everything else is escaped, unbalanced tags are dropped or closed. A link to an
 * address that is not http(s) keeps its text without the link, and is told to `onUnlinked`
 * (the caller knows the file, entry and field to warn about).
 */
export function toRichText(parserOutput: string, onUnlinked?: (address: string) => void): RichText {
  const html: string[] = [];
  const text: string[] = [];
  const open: string[] = [];
  // Where in `text` each open small-caps span began, and each open subscript or superscript.
  const smallCapsStarts: number[] = [];
  const scriptStarts: number[] = [];
  const close = (entry: string): void => {
    html.push(closeTag(entry));
    if (entry === 'sub' || entry === 'sup') {
      const start = scriptStarts.pop();
      if (start !== undefined) asScript(text, start, entry);
      return;
    }
    // Small capitals of small letters only (\textsc{xix}e siècle) are capitals in plain text:
    // "XIXe". A span with a capital in it (\textsc{Nanos}) is as written.
    if (entry !== SMALL_CAPS) return;
    const start = smallCapsStarts.pop();
    if (start === undefined) return;
    if (!/\p{Lu}/u.test(text.slice(start).join(''))) for (let index = start; index < text.length; index++) text[index] = (text[index] ?? '').toUpperCase();
  };
  let last = 0;
  for (const match of parserOutput.matchAll(TAG)) {
    const chunk = normaliseText(parserOutput.slice(last, match.index));
    html.push(escapeXml(chunk));
    text.push(chunk);
    last = match.index + match[0].length;
    const { closing: slash, name: tagName, attributes = '', href, closingLink } = match.groups ?? {};
    const closing = slash === '/' || closingLink !== undefined;
    const name = href !== undefined || closingLink !== undefined ? 'a' : (tagName ?? '').toLowerCase();
    if (closing) {
      const index = open.findLastIndex((entry) => entry === name || entry === `${name}:none` || (name === 'span' && entry === SMALL_CAPS));
      if (index === -1) continue;
      while (open.length > index) close(open.pop() ?? '');
    } else {
      const tag = href === undefined ? openTag(name, attributes) : linkTag(href);
      if (tag === undefined) {
        if (href !== undefined) onUnlinked?.(linkAddress(href));
        open.push(`${name}:none`);
        continue;
      }
      html.push(tag);
      open.push(tag === SMALL_CAPS_TAG ? SMALL_CAPS : name);
      if (tag === SMALL_CAPS_TAG) smallCapsStarts.push(text.length);
      if (tag === '<sub>' || tag === '<sup>') scriptStarts.push(text.length);
    }
  }
  const rest = normaliseText(parserOutput.slice(last));
  html.push(escapeXml(rest));
  text.push(rest);
  while (open.length > 0) close(open.pop() ?? '');
  return { html: html.join('').replace(/[ \t\r\n]+/g, ' ').trim(), text: text.join('').replace(/[ \t\r\n]+/g, ' ').trim() };
}

/** Superscripts that are signs of their own: "Intel™", not "Intel^(TM)". */
const SUPERSCRIPT_SIGNS: Readonly<Record<string, string>> = { TM: '™', SM: '℠' };

/**
 * The plain text of a script from `start` on, in place: in Unicode subscripts or superscripts
 * when every character has one ("yᵢ"), else readably marked ("x_α", "H_(eff)"; see scriptText),
 * not run into its base ("yi" was read as a word).
 */
function asScript(text: string[], start: number, position: 'sub' | 'sup'): void {
  const script = text.slice(start).join('');
  if (script.trim() === '') return;
  // An ordinal's raised ending reads as written: "21st century", "XIXe siècle", "2º".
  if (position === 'sup' && /^(?:st|nd|rd|th|e|er|re|ème|o|a)$/i.test(script.trim()) && /[\dIVXLCDM]$/.test(text.slice(0, start).join(''))) return;
  text.splice(start, text.length - start, (position === 'sup' ? SUPERSCRIPT_SIGNS[script.trim()] : undefined) ?? scriptText(script, position));
}

const SMALL_CAPS_TAG = '<span class="smallcaps">';
/** An open small-caps span, as toRichText's stack of open tags holds it. */
const SMALL_CAPS = 'span:smallcaps';

function openTag(name: string, attributes: string): string | undefined {
  const ours = OUR_TAG[name];
  if (ours !== undefined) return `<${ours}>`;
  if (name === 'span') return /small-caps/i.test(attributes) ? SMALL_CAPS_TAG : '<span>';
  return undefined;
}

/** A link to the address, when it is an http(s) one; any other is no link (its text stays). */
function linkTag(href: string): string | undefined {
  const url = safeWebUrl(linkAddress(href).replaceAll('&amp;', '&'));
  return url === undefined ? undefined : `<a href="${escapeXml(url)}">`;
}

/** A link's address as the owner wrote it. */
function linkAddress(href: string): string {
  return href.replaceAll(HTML_FILLER, '').replaceAll(ESCAPED_PERCENT, '%');
}

function closeTag(name: string): string {
  if (name.endsWith(':none')) return '';
  if (name === SMALL_CAPS) return '</span>';
  return `</${OUR_TAG[name] ?? name}>`;
}

/** What stands, in the text given to the parser, for an HTML tag taken out (see html-in-fields.ts). */
export const HTML_FILLER = '\uE0FF';
/**
 * Every "%" in a field is escaped for the parser (see read-bibtex.ts), which reads `\url{...}`
 * and `\href{...}` as written, escape included: there it is the address's own "%" ("%2F").
 */
const ESCAPED_PERCENT = '\\%';

/**
 * The BibTeX parser's table gives \mu and \nabla as mathematical italic letters (U+1D707, U+1D6FB),
 * unlike every other Greek letter: few fonts have them (not the CV PDF's).
 */
const MATH_ITALIC = /[\u{1D707}\u{1D6FB}]/gu;

/**
 * NFC, so that "í" is one code point, and a dotless i or j followed by a
 * combining accent (what `\'{\i}` gives) becomes the accented i or j. What stood for HTML goes,
 * and an address's "%" loses the escape it was given. `\underline{word}` gives a combining low
 * line before the word, which would underline the space before it: an underline is only
 * emphasis, and the word is kept without it. \mu and \nabla are the letters every font has.
 */
export function normaliseText(text: string): string {
  const upright = text.includes('\uD835') ? text.replace(MATH_ITALIC, (letter) => (letter === '\u{1D707}' ? 'μ' : '∇')) : text;
  return upright.replaceAll(HTML_FILLER, '').replaceAll(ESCAPED_PERCENT, '%').replace(/\u0131(?=[\u0300-\u036f])/g, 'i').replace(/\u0237(?=[\u0300-\u036f])/g, 'j').replaceAll('\u0332', '').normalize('NFC');
}

import { HTML_FILLER } from './rich-text.ts';

// HTML that exports leave in BibTeX fields (IEEE's tags, Crossref's and ACM's entities), made into
// what the BibTeX parser reads, as a browser would show it. Only read-bibtex.ts uses this.

const HTML_TAG = /<\/?[A-Za-z][\w:-]*(?:\s+[\w:-]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*\s*\/?>/g;
/** Tags that part words or lines: a space stands for them. Any other (`<sub>`, `<i>`, MathML) is inside a line of text. */
const BREAKING_TAG = /^<\/?(?:[\w-]+:)?(?:p|br|hr|div|li|ul|ol|dl|dt|dd|tr|td|th|table|h[1-6]|blockquote|sec|title|abstract|section)\b/i;

/**
 * IEEE's formula in a line of text, laid out over several lines or with spaces around its math:
 * `<inline-formula> <tex-math>$k$ </tex-math></inline-formula>-Means`, or before the hyphen after
 * it (`</inline-formula> -Coverage`). One left unclosed ends
 * nowhere: a formula is not looked for past another, an entry's start or 2,000 characters.
 */
const INLINE_FORMULA = /<inline-formula\b[^>]*>(?:(?!<\/?inline-formula\b|\n\s*@)[\s\S]){0,2000}?<\/inline-formula>(?:[ \t]+(?=-\w))?/gi;
/** In a formula: a tag, its math, or the space IEEE lays it out with, which is no part of the text ("k-Means", not "k -Means"). */
const FORMULA_PART = new RegExp(String.raw`(${HTML_TAG.source})|(\$(?:[^$\\]|\\.)+\$)|\s+`, 'g');

/** Math's characters, escapes (`\$`, `\{`) and groups in braces nested up to `depth` deep. */
function mathContent(depth: number): string {
  return String.raw`(?:[^$\\{}]|\\[\s\S]${depth > 0 ? String.raw`|\{(?:${mathContent(depth - 1)})?\}` : ''})+`;
}
const MATH_CONTENT = mathContent(4);
/**
 * Math, as the parser will read it: `$$...$$`, `$...$` with its braces balanced (so that a stray
 * dollar, as in "US$5", pairs with none in another field), DBLP's `\(...\)` and `\[...\]`.
 */
const MATH = String.raw`(?<!\\)\$\$${MATH_CONTENT}\$\$|(?<!\\)\$${MATH_CONTENT}\$|(?<!\\)\\\([\s\S]{1,2000}?(?<!\\)\\\)|(?<!\\)\\\[[\s\S]{1,2000}?(?<!\\)\\\]`;
/** Math, or an HTML tag outside it: whichever comes first. */
const MATH_OR_TAG = new RegExp(`(${MATH})|${HTML_TAG.source}`, 'g');

/**
 * HTML or MathML tags that exports such as IEEE's leave in titles and abstracts are taken out
 * before parsing (`H<sub>2</sub>O` reads "H2O"), keeping every position and line: HTML_FILLER
 * stands for a tag inside a line of text (every text read drops it), a space for one that parts
 * words or lines (JATS paragraphs, <br>). In math, "<" and ">" are TeX's relations: only tags
 * that are surely HTML are taken out there (see withoutTagsInMath).
 */
export function withoutHtmlTags(text: string): string {
  if (!text.includes('<')) return text;
  return text
    .replace(INLINE_FORMULA, (formula) => formula.replace(FORMULA_PART, (part, tag: string | undefined, math: string | undefined) => (tag !== undefined ? tagFiller(tag) : math ?? part.replace(/[^\n]/g, HTML_FILLER))))
    .replace(MATH_OR_TAG, (part, math: string | undefined) => (math !== undefined ? withoutTagsInMath(math) : tagFiller(part)));
}

/**
 * Math with the HTML tags an export left in it taken out (IEEE's `$O(n<sup>2</sup>)$`): those
 * closed in the same math, and those that close themselves. Anything else that looks like a tag
 * is TeX's "<" and ">", and stays for the parser: `$p<q>r$` and `$a<b>c$` are inequalities, not a
 * quotation or bold, and `$<i>$` is no italics.
 */
function withoutTagsInMath(math: string): string {
  if (!math.includes('<')) return math;
  const tags = [...math.matchAll(HTML_TAG)].map(([tag]) => tag);
  const name = (tag: string): string => /^<\/?([^\s/>]+)/.exec(tag)?.[1]?.toLowerCase() ?? '';
  const opened = new Set(tags.filter((tag) => !tag.startsWith('</')).map(name));
  const closed = new Set(tags.filter((tag) => tag.startsWith('</')).map(name));
  return math.replace(HTML_TAG, (tag) => (tag.endsWith('/>') || (opened.has(name(tag)) && closed.has(name(tag))) ? tagFiller(tag) : tag));
}

/** What stands for a tag: a space for one that parts words, else HTML_FILLER, a line break for a line break. */
function tagFiller(tag: string): string {
  return tag.replace(/[^\n]/g, BREAKING_TAG.test(tag) ? ' ' : HTML_FILLER);
}

/** An HTML entity: named, decimal or hexadecimal. */
const ENTITY = String.raw`&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);`;
/** What reads its characters as written, and keeps its entities: an escape, math, an address. */
const AS_WRITTEN = String.raw`\\(?:url|href)\s*\{[^{}]*\}|\\[^&]|\$(?:[^$\\]|\\.)+\$`;
/** An HTML entity (`\&amp;` too), or what reads as written and is left alone. */
const ENTITY_OR_AS_WRITTEN = new RegExp(String.raw`(${AS_WRITTEN})|\\?${ENTITY}`, 'gi');
/** TeX for HTML's formatting tags, those toRichText keeps: what the parser writes as those tags. */
const FORMATTING_COMMANDS: Readonly<Record<string, string>> = { i: '\\textit', em: '\\emph', b: '\\textbf', strong: '\\textbf', sub: '\\textsubscript', sup: '\\textsuperscript', code: '\\texttt' };
/** A formatting tag written as entities and closed in the same field, with no tag of its name inside; or what reads as written. */
const ESCAPED_FORMATTING_OR_AS_WRITTEN = new RegExp(String.raw`(${AS_WRITTEN})|&lt;(${Object.keys(FORMATTING_COMMANDS).join('|')})&gt;((?:(?!&lt;/?\2&gt;)[\s\S])*?)&lt;/\2&gt;`, 'gi');
/** What an HTML entity's character is in BibTeX: TeX's special characters escaped, a quote braced (it would end a "..." value). */
const TEX_ESCAPES: Readonly<Record<string, string>> = { $: '\\$', '%': '\\%', '&': '\\&', '#': '\\#', _: '\\_', '{': '\\{', '}': '\\}', '"': '{"}' };

export type EntityDecoder = (entity: string) => string;

/** The HTML entity decoder, loaded only for a file that has something like an entity in it. */
export async function entityDecoder(input: string): Promise<EntityDecoder | undefined> {
  return new RegExp(ENTITY, 'i').test(input) ? (await import('entities/decode')).decodeHTMLStrict : undefined;
}

/**
 * A field's value with the HTML entities that Crossref, ACM and IEEE leave in it (`&amp;`,
 * `&#x201C;`) as the characters they stand for, written for the parser: TeX's specials escaped,
 * or, in a field it reads verbatim (keywords), as they are. Entities in math, in `\url{...}` and
 * `\href{...}` stay as written, as do those that would be TeX or a line break.
 */
export function withEntitiesDecoded(value: string, verbatim: boolean, decodeEntity: EntityDecoder): string {
  if (!value.includes('&')) return value;
  return (verbatim ? value : withEscapedFormatting(value)).replace(ENTITY_OR_AS_WRITTEN, (match, asWritten: string | undefined) => {
    if (asWritten !== undefined) return match;
    // ACM escapes the entity's ampersand as TeX's (`Morgan \&amp; Claypool`).
    const entity = match.replace(/^\\/, '');
    const decoded = decodeEntity(entity);
    if (decoded === entity || /[\\^~\r\n\t]/.test(decoded) || (verbatim && /[{}"]/.test(decoded))) return match;
    return verbatim ? decoded : [...decoded].map((char) => TEX_ESCAPES[char] ?? char).join('');
  });
}

/**
 * HTML's formatting written as entities, as some Crossref and PubMed records give a title
 * ("&lt;i&gt;PIK3CA&lt;/i&gt; Alterations"), as the TeX that makes it (`\textit{PIK3CA}`): only
 * a tag toRichText keeps, opened and closed in the field around text whose braces balance. Any
 * other (`&lt;a href=...&gt;`, a `&lt;b&gt;` never closed) is decoded as the characters it stands
 * for, which the parser and toRichText keep as text: a link or an element never comes of one.
 */
function withEscapedFormatting(value: string): string {
  if (!value.includes('&lt;')) return value;
  return value.replace(ESCAPED_FORMATTING_OR_AS_WRITTEN, (match, asWritten: string | undefined, tag: string, inside: string) => {
    if (asWritten !== undefined || !bracesBalance(inside)) return match;
    return `${FORMATTING_COMMANDS[tag.toLowerCase()] ?? ''}{${withEscapedFormatting(inside)}}`;
  });
}

/** Whether every "{" of the text (not an escaped one) is closed in it, and no "}" closes one outside it. */
function bracesBalance(text: string): boolean {
  let depth = 0;
  for (const [brace] of text.matchAll(/\\[\s\S]|[{}]/g)) {
    if (brace === '{') depth++;
    else if (brace === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

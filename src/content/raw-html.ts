import MarkdownIt from 'markdown-it';
import type { Problem } from '../errors.ts';
import { createMarkdown } from '../markdown.ts';
import { isLinkedAddress, LINKED_SCHEMES, SITE_ORIGIN } from '../text/urls.ts';

/** A page of the site, which relative addresses are resolved against. */
const PAGE = `${SITE_ORIGIN}/page/`;

/** Elements a page may hold: text structure, tables, figures, and media of the site's own. */
const ELEMENTS = new Set([
  'a', 'abbr', 'address', 'article', 'aside', 'audio', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup',
  'data', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'picture', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section',
  'small', 'source', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'track', 'u',
  'ul', 'var', 'video', 'wbr',
]);

/** Attributes any allowed element may have (besides aria-* and data-*). */
const GLOBAL_ATTRIBUTES = new Set(['id', 'class', 'title', 'lang', 'dir', 'role', 'hidden', 'translate']);

/** Attributes of particular elements; addresses are checked apart (see LINKS and LOADS). */
const ELEMENT_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href', 'hreflang', 'rel', 'target', 'download', 'name', 'type'],
  img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading', 'decoding'],
  source: ['src', 'srcset', 'sizes', 'type', 'media', 'width', 'height'],
  video: ['src', 'poster', 'controls', 'width', 'height', 'muted', 'loop', 'playsinline', 'preload'],
  audio: ['src', 'controls', 'muted', 'loop', 'preload'],
  track: ['src', 'kind', 'srclang', 'label', 'default'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  td: ['colspan', 'rowspan', 'headers', 'style'],
  th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr', 'style'],
  col: ['span'],
  colgroup: ['span'],
  time: ['datetime'],
  data: ['value'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  blockquote: ['cite'],
  q: ['cite'],
  details: ['open'],
  // The site's own box that lets a wide table scroll, which the keyboard can reach (see markdown.ts).
  div: ['tabindex'],
};

/** Addresses a visitor follows: to this site or another, but never code or data. */
const LINKS = new Set(['href', 'cite']);
/** Addresses the browser loads with the page: only this site's files. */
const LOADS = new Set(['src', 'srcset', 'poster']);

/** What markdown-it itself writes on a table cell of an aligned column. */
const MARKDOWN_ALIGNMENT = /^text-align:(left|center|right)$/;

interface Element {
  nodeName: string;
  tagName?: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: Element[];
  content?: Element;
}

/**
 * Whether Markdown may hold something to check: without "<", an image or a link there is only
 * Markdown's own text, lists and code.
 */
export function mayHoldHtml(markdown: string): boolean {
  return /<|!\[|\]\s*\(|^\s*\[[^\]]+\]:/m.test(markdown);
}

/**
 * The Markdown links and images (inline, by reference, or autolinks) to an address of any scheme
 * but LINKED_SCHEMES: one that would run code or embed data, point into the owner's own computer,
 * or that browsers do not open (ftp:). The site's renderer shows them as text; raw HTML refuses
 * them too, and the owner is told the same either way. Read from markdown-it's own parse (with
 * every address let through), so that code, escaped brackets and comments are never taken for
 * links; each is reported at the first line of its paragraph that names its scheme (of the page,
 * for a link by reference).
 */
function unsafeLinks(markdown: string, firstLine: number, file: string): Problem[] {
  const parser = new MarkdownIt({ html: true });
  parser.validateLink = () => true;
  const lines = markdown.split('\n');
  const problems: Problem[] = [];
  for (const block of parser.parse(markdown, {})) {
    for (const token of block.children ?? []) {
      const address = token.type === 'link_open' ? token.attrGet('href') : token.type === 'image' ? token.attrGet('src') : null;
      if (address === null || isLinkedAddress(address)) continue;
      const [from = 0, to = lines.length] = block.map ?? [];
      const scheme = address.slice(0, address.indexOf(':') + 1).toLowerCase();
      // A link by reference has its address where the reference is defined, anywhere in the page.
      const names = (line: string): boolean => line.toLowerCase().includes(scheme);
      const inBlock = lines.slice(from, to).findIndex(names);
      const line = inBlock !== -1 ? from + inBlock : lines.findIndex(names);
      problems.push({ file, line: firstLine + (line === -1 ? from : line), message: `the link "${address}" ${unlinkedScheme(address)}` });
    }
  }
  return problems;
}

/** Why a page does not link to an address of this scheme, and what to do instead. */
function unlinkedScheme(address: string): string {
  const scheme = address.slice(0, address.indexOf(':') + 1).toLowerCase();
  if (scheme === 'file:') return 'points into your own computer: put the file in content/assets/ and link to its path there';
  if (['javascript:', 'vbscript:', 'data:'].includes(scheme)) return 'would run code or embed data: only http(s), mailto:, tel: and site links are allowed';
  if (scheme === 'ftp:') return 'is an ftp: address, which browsers no longer open: link to an http(s) copy, or write the address as `code`';
  if (scheme === 'doi:') return `has the scheme doi:, which the site does not link to: write it https://doi.org/${address.slice(4).replace(/^\/+/, '')}`;
  return `has the scheme ${scheme}, which the site does not link to: only http(s), mailto:, tel: and site links are allowed`;
}

/**
 * What a Markdown page would add that the site promises never to have (see the README, "What
 * visitors get"): scripts, event handlers and inline styles, which a strict Content-Security-Policy
 * refuses; `javascript:` and `data:` addresses; and anything a visitor's browser would load from
 * another site with the page (images, frames, media, stylesheets, fonts, badges). The page is
 * rendered as the site renders it and read by parse5 as a browser reads HTML, and what it holds is
 * checked against a list of what may be there (elements, attributes, addresses), so that no
 * spelling of a forbidden thing gets through. Links to other sites are fine. Each problem names
 * the line of the Markdown where its tag or address is written, when it can be found.
 */
export async function rawHtmlProblems(markdownBody: string, firstLine: number, file: string): Promise<Problem[]> {
  if (!mayHoldHtml(markdownBody)) return [];
  const problems: Problem[] = unsafeLinks(markdownBody, firstLine, file);
  if (!/<|!\[/.test(markdownBody)) return problems;
  const { parseFragment } = await import('parse5');
  const lines = markdownBody.split('\n');
  // The first of the clues found on a line gives the problem's line (an address may be written with
  // character references); the same clue again (a second <script>) is looked for after the line it was found on.
  const foundAt = new Map<string, number>();
  const report = (clues: readonly string[], message: string): void => {
    let index = -1;
    for (const clue of clues.filter((text) => text !== '').map((text) => text.toLowerCase())) {
      const after = foundAt.get(clue) ?? -1;
      const has = (line: string, at: number): boolean => at > after && line.toLowerCase().includes(clue);
      index = lines.findIndex(has);
      if (index === -1 && after !== -1) index = lines.findIndex((line) => line.toLowerCase().includes(clue));
      if (index !== -1) {
        foundAt.set(clue, index);
        break;
      }
    }
    problems.push({ file, ...(index === -1 ? {} : { line: firstLine + index }), message });
  };
  const visit = (node: Element): void => {
    if (node.tagName !== undefined) checkElement(node.tagName, node.attrs ?? [], report);
    for (const child of node.childNodes ?? []) visit(child);
    if (node.content !== undefined) visit(node.content);
  };
  // A comment that is never closed runs to the end of the page, and hides everything after it.
  for (const token of new MarkdownIt({ html: true }).parse(markdownBody, {})) {
    if (token.type === 'html_block' && token.content.trimStart().startsWith('<!--') && !token.content.includes('-->')) {
      problems.push({ file, line: firstLine + (token.map?.[0] ?? 0), message: 'this HTML comment is never closed, so the rest of the page would not be shown: end it with -->' });
    }
  }
  // What is checked is what the site publishes: the page as its own renderer writes it (links it
  // does not make are reported above), after its comments are dropped.
  visit(parseFragment(createMarkdown().render(markdownBody, {})) as unknown as Element);
  return problems;
}

function checkElement(tag: string, attributes: ReadonlyArray<{ name: string; value: string }>, report: (clues: readonly string[], message: string) => void): void {
  if (!ELEMENTS.has(tag)) {
    const why = tag === 'script' ? 'pages carry no scripts of their own (they work without JavaScript, under a strict Content-Security-Policy)'
      : tag === 'style' ? "inline styles are refused by the site's Content-Security-Policy; use Markdown, or the classes of the stylesheet"
      : 'it could run code, load from another site or change the page around it; write the content in Markdown, or link to it';
    report([`<${tag}`], `<${tag}> is not allowed in a page: ${why}`);
    return;
  }
  for (const { name, value } of attributes) {
    // An attribute's line is where it is written with its "=", not where the word first appears in the text.
    if (name.startsWith('on')) {
      report([`${name}=`, name], `the event handler ${name}="..." on <${tag}> runs code: pages carry no scripts of their own; remove it`);
    } else if (name === 'style' && !((tag === 'td' || tag === 'th') && MARKDOWN_ALIGNMENT.test(value.replace(/\s/g, '')))) {
      report(['style=', 'style'], `a style="..." attribute on <${tag}>: inline styles are refused by the site's Content-Security-Policy; use Markdown, or the classes of the stylesheet`);
    } else if (!GLOBAL_ATTRIBUTES.has(name) && !/^(aria|data)-[\w-]+$/.test(name) && !(ELEMENT_ATTRIBUTES[tag] ?? []).includes(name)) {
      report([`${name}=`, name], `the attribute ${name} is not allowed on <${tag}> in a page; remove it`);
    } else if (LINKS.has(name)) {
      const scheme = schemeOf(value);
      if (scheme !== undefined && !LINKED_SCHEMES.has(scheme)) report([clueOf(value), `${name}=`, `<${tag}`], `the address "${asRead(value)}" on <${tag}> ${unlinkedScheme(asRead(value))}`);
      // A browser reads a backslash as a slash: "/\\example.org/" looks like a page of the site and leads to another one.
      else if (/^[/\\]{2}/.test(asRead(value)) && asRead(value).slice(0, 2).includes('\\') && !isOnSite(value)) {
        report([clueOf(value), `${name}=`, `<${tag}`], `the address "${asRead(value)}" on <${tag}> looks like a page of this site, but browsers read its backslash as a slash and open ${new URL(value, PAGE).host}; write a page's path with slashes only, or another site's full https:// address`);
      }
    } else if (LOADS.has(name)) {
      for (const address of addressesIn(name, value).filter((candidate) => !isOnSite(candidate))) {
        report([clueOf(address), `${name}=`, `<${tag}`], `<${tag}> would load ${asRead(address)} from another site, which every visitor's browser would then contact; put the file in content/assets/ and give its path`);
      }
    }
  }
}

/** The addresses an attribute's value gives: a srcset's candidates each, any other's the value itself. */
const addressesIn = (name: string, value: string): string[] => (name === 'srcset' ? value.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '') : [value]);

/** An address as a browser reads it: without the tabs and line breaks it drops. */
const asRead = (value: string): string => value.replace(/[\t\n\r]/g, '').trim();
/** What to look for in the Markdown to find an address's line: its start, up to a line break or a character reference. */
const clueOf = (value: string): string => value.trim().split(/[\n&]/)[0]?.slice(0, 40) ?? '';

/** The scheme of an address as a browser resolves it on a page of the site, or undefined if it is not an address. */
function schemeOf(value: string): string | undefined {
  try {
    return new URL(value, PAGE).protocol;
  } catch {
    return undefined;
  }
}

function isOnSite(value: string): boolean {
  try {
    return new URL(value, PAGE).origin === SITE_ORIGIN;
  } catch {
    return true; // not an address a browser would load
  }
}

/**
 * rawHtmlProblems for Markdown kept in a YAML file (cv.yaml's free sections), each problem with the
 * block's key and, where the block's first line is found in the file, the line in the file.
 */
export async function yamlMarkdownProblems(yamlText: string, file: string, blocks: ReadonlyArray<{ key: string; markdown: string }>): Promise<Problem[]> {
  const lines = yamlText.split(/\r?\n/);
  const problems: Problem[] = [];
  for (const { key, markdown } of blocks) {
    const markdownLines = markdown.split('\n');
    const first = markdownLines.findIndex((line) => line.trim() !== '');
    const at = first === -1 ? -1 : lines.findIndex((line) => line.includes(markdownLines[first]?.trim() ?? ''));
    for (const problem of await rawHtmlProblems(markdown, at === -1 ? 1 : at + 1 - first, file)) {
      const { line, ...rest } = problem;
      problems.push({ ...rest, key, ...(at === -1 || line === undefined ? {} : { line }) });
    }
  }
  return problems;
}

/** Schemes no address of a written page may have: they run code, embed data, or point into a computer. */
const NEVER_LINKED = new Set(['javascript:', 'vbscript:', 'data:', 'file:']);
/** Attributes that hold an address (srcset a list of them). */
const ADDRESSES = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data', 'cite', 'xlink:href', 'background']);
/** Elements that embed or submit, which no page of the site has. */
const EMBEDS = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'form', 'base', 'applet']);

/**
 * What a page as Eleventy wrote it would run, if anything: an event handler, an address of a
 * NEVER_LINKED scheme, a script but the site's own and its JSON-LD, or an embedded frame or
 * form. The page's Markdown was checked before it was rendered (rawHtmlProblems); this is for
 * what Eleventy rewrites after (the path prefix's rewriting writes some attributes anew, and
 * tidies "./javascript:x" into "javascript:x"). Read only for a page whose Markdown holds HTML or
 * links, which only could bring such a thing.
 */
export async function unsafeInWrittenPage(html: string, markdown: string): Promise<string | undefined> {
  if (!mayHoldHtml(markdown)) return undefined;
  const { parse } = await import('parse5');
  let found: string | undefined;
  const visit = (node: Element): void => {
    if (found !== undefined) return;
    const tag = node.tagName;
    if (tag !== undefined) {
      const attributes = node.attrs ?? [];
      const value = (name: string): string | undefined => attributes.find((attribute) => attribute.name === name)?.value;
      if (EMBEDS.has(tag)) found = `<${tag}>`;
      else if (tag === 'script' && !(value('type') === 'application/ld+json' || /\/assets\/site\.js$/.test(value('src') ?? ''))) found = '<script>';
      for (const { name, value: written } of attributes) {
        if (found !== undefined) break;
        if (name.startsWith('on')) found = `${name}="..." on <${tag}>`;
        else if (ADDRESSES.has(name)) {
          const scheme = addressesIn(name, written).map(schemeOf).find((candidate) => candidate !== undefined && NEVER_LINKED.has(candidate));
          if (scheme !== undefined) found = `the address "${asRead(written)}" on <${tag}>`;
        }
      }
    }
    for (const child of node.childNodes ?? []) visit(child);
    if (node.content !== undefined) visit(node.content);
  };
  visit(parse(html) as unknown as Element);
  return found === undefined ? undefined : `as Eleventy wrote this page into the site, it holds ${found}, which would run code or load from elsewhere (its raw HTML was rewritten after it was checked): write that markup more plainly, e.g. with its attribute values in double quotes, and links as full addresses or paths from the site's root`;
}


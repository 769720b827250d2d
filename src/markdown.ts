import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import anchor from 'markdown-it-anchor';
import { addressLeak, holdsAddress, lineHoldingAddress } from './contact/address-leaks.ts';
import { FRONT_MATTER_KEYS } from './content/front-matter-keys.ts';
import { frontMatterLineCount, SiteInputError } from './errors.ts';
import { escapeRegExp } from './text/regexp.ts';
import { isLinkedAddress } from './text/urls.ts';
import { slugifyHeading } from './text/slugify.ts';
import { emailHtml, encodeEmail, spellOutEmail } from './view/email.ts';

/**
 * An HTML comment (to its end, or to the end of the text when never closed), or a tag, whose
 * quoted attribute values are read whole: a "<!--" inside a value (title="<!--") is part of
 * the tag, not a comment, and removing it as one would leave the value open to swallow the
 * markup after it.
 */
const COMMENT_OR_TAG = /<!--[\s\S]*?(?:-->|$)|<\/?[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*>?/g;

/** The raw HTML without its comments, tags left as written. */
function withoutHtmlComments(html: string): string {
  return html.replace(COMMENT_OR_TAG, (match) => (match.startsWith('<!--') ? '' : match));
}

/**
 * The Markdown renderer for content pages: smart quotes and dashes, raw HTML
 * allowed for the owner's own markup, headings with stable anchors, and HTML
 * comments kept out of the published page. A heading's anchor is never an id
 * the page's layouts give an element of their own (`reservedIds`, given the
 * page's data): a heading "Main" would take the skip link's target, and gets
 * "main-1" instead.
 */
export function createMarkdown(options: { reservedIds?: (env: unknown) => ReadonlySet<string>; pageFile?: (env: unknown) => PageFile | undefined } = {}): MarkdownIt {
  const markdown = new MarkdownIt({ html: true, typographer: true, linkify: false });
  // Only http(s), mailto: and tel: addresses and the site's own become links (the content check reports the rest).
  markdown.validateLink = isLinkedAddress;
  markdown.use(anchor, { slugify: slugifyHeading, tabIndex: false });
  const reservedIds = options.reservedIds;
  if (reservedIds !== undefined) {
    // A heading whose anchor a layout has (its own, or the one the plugin numbered it from) is
    // numbered anew, in the page's order ("main-1", "main-2"), after every id the plugin gave
    // other headings, which keep theirs.
    markdown.core.ruler.push('keep_layout_ids', (state) => {
      const reserved = reservedIds(state.env);
      const headings = state.tokens.flatMap((token, index) => (token.type === 'heading_open' && token.attrGet('id') !== null ? [{ token, title: headingText(state.tokens[index + 1]) }] : []));
      const clashes = ({ token, title }: (typeof headings)[number]): boolean => reserved.has(token.attrGet('id') ?? '') || reserved.has(slugifyHeading(title));
      const taken = new Set(headings.filter((heading) => !clashes(heading)).map(({ token }) => token.attrGet('id') ?? ''));
      for (const heading of headings.filter(clashes)) {
        const base = slugifyHeading(heading.title);
        let free = `${base}-1`;
        for (let count = 2; reserved.has(free) || taken.has(free); count++) free = `${base}-${count}`;
        heading.token.attrSet('id', free);
        taken.add(free);
      }
    });
  }
  markdown.core.ruler.push('protect_email', (state) => {
    const email = (state.env as { site?: { email?: string } } | undefined)?.site?.email;
    if (email !== undefined) protectEmail(state.tokens, email, state.Token);
  });
  // A table wider than a phone scrolls in a box of its own, which the keyboard can reach to scroll.
  markdown.renderer.rules.table_open = (tokens, index, options, _env, self) => `<div class="table-scroll" tabindex="0">\n${self.renderToken(tokens, index, options)}`;
  markdown.renderer.rules.table_close = (tokens, index, options, _env, self) => `${self.renderToken(tokens, index, options)}</div>\n`;
  markdown.core.ruler.push('drop_html_comments', (state) => {
    const strip = (tokens: typeof state.tokens): void => {
      for (const token of tokens) {
        if (token.type === 'html_block' || token.type === 'html_inline') token.content = withoutHtmlComments(token.content);
        if (token.children !== null) strip(token.children);
      }
    };
    strip(state.tokens);
  });
  const pageFile = options.pageFile;
  if (pageFile !== undefined) {
    // What protect_email cannot protect (code, a link's address, raw HTML, the address split by a
    // comment) is found in what the page publishes, and stops the build, as does the address in
    // the values of its front matter.
    const render = markdown.render.bind(markdown);
    markdown.render = (source, env?: unknown) => {
      const html = render(source, env);
      const email = (env as { site?: { email?: string } } | undefined)?.site?.email;
      const page = pageFile(env);
      if (email === undefined || page === undefined) return html;
      const inFrontMatter = holdsAddress(JSON.stringify(FRONT_MATTER_KEYS.map((key) => (env as Record<string, unknown>)[key])), email);
      if (!inFrontMatter && !holdsAddress(html, email)) return html;
      // Found: the page's file is read for the line that writes it.
      const lines = (existsSync(page.absolute) ? readFileSync(page.absolute, 'utf8') : '').split('\n'); // the engine's own 404 page has no file
      const frontMatter = frontMatterLineCount(lines.join('\n'));
      if (inFrontMatter) throw new SiteInputError([{ file: page.file, ...lineOf(lineHoldingAddress(lines.slice(0, frontMatter).join('\n'), email)), message: addressLeak('in front matter') }]);
      const body = lineHoldingAddress(lines.slice(frontMatter).join('\n').replace(/<!--[\s\S]*?-->/g, ''), email);
      throw new SiteInputError([{ file: page.file, ...lineOf(body === undefined ? undefined : frontMatter + body), message: addressLeak('in code, a link\'s address or title, an image\'s text or raw HTML (the site spells it out only in running text, and mailto: links)') }]);
    };
  }
  return markdown;
}

/** A line number as a problem's location: none when it is not known. */
const lineOf = (line: number | undefined): { line?: number } => (line === undefined ? {} : { line });

/** A page's Markdown file: relative to the project (for messages), and absolute. */
export interface PageFile {
  file: string;
  absolute: string;
}

type TokenConstructor = new (type: string, tag: string, nesting: -1 | 0 | 1) => Token;

/**
 * Keeps the owner's address out of the page even when they wrote it in a
 * page: in text it is spelled out, `mailto:` links point to the contact page
 * until the site's script makes them mailto: links again.
 */
function protectEmail(tokens: Token[], email: string, TokenClass: TokenConstructor): void {
  const pattern = new RegExp(escapeRegExp(email), 'gi');
  const mailto = new RegExp(`^mailto:${pattern.source}(\\?.*)?$`, 'i');
  const inHtml = (token: Token): void => {
    if (token.type === 'html_block' || token.type === 'html_inline') {
      // Spelled out with its spaces as references: in an attribute written without quotes, a space would end the value.
      token.content = token.content.replace(new RegExp(`mailto:${pattern.source}`, 'gi'), '/contact/#email').replace(pattern, spellOutEmail(email).replaceAll(' ', '&#32;'));
    }
  };
  for (const token of tokens) {
    inHtml(token);
    if (token.children === null) continue;
    const children: Token[] = [];
    for (const child of token.children) {
      inHtml(child);
      if (child.type === 'link_open' && mailto.test(child.attrGet('href') ?? '')) {
        child.attrSet('href', '/contact/#email');
        child.attrSet('class', 'email-link');
        child.attrSet('data-email', encodeEmail(email));
      }
      if (child.type === 'text' && pattern.test(child.content)) {
        pattern.lastIndex = 0;
        const parts = child.content.split(pattern);
        parts.forEach((part: string, index: number) => {
          if (index > 0) {
            const html = new TokenClass('html_inline', '', 0);
            html.content = emailHtml(email);
            children.push(html);
          }
          if (part !== '') {
            const text = new TokenClass('text', '', 0);
            text.content = part;
            children.push(text);
          }
        });
        continue;
      }
      pattern.lastIndex = 0;
      children.push(child);
    }
    token.children = children;
  }
}

/** A heading's text as markdown-it-anchor makes its anchor from it: its text and code, without markup. */
function headingText(inline: Token | undefined): string {
  return (inline?.children ?? []).filter((child) => child.type === 'text' || child.type === 'code_inline').map((child) => child.content).join('');
}

/**
 * The ids a layout of a folder gives elements as written (`id="main"`; not one made from data),
 * with those of the templates it includes and of the layout it is in (its front matter's
 * `layout`), as a page in it shows them.
 */
export function layoutIds(folder: string, layout: string, ids = new Set<string>(), seen = new Set<string>()): Set<string> {
  if (seen.has(layout)) return ids;
  seen.add(layout);
  let text: string;
  try {
    text = readFileSync(path.join(folder, layout), 'utf8');
  } catch {
    return ids;
  }
  for (const [, id] of text.matchAll(/\bid="([A-Za-z][\w-]*)"/g)) ids.add(id ?? '');
  const parent = /^---\r?\n(?:[^\n]*\n)*?layout:\s*["']?([^\s"']+)/.exec(text)?.[1];
  const used = [...text.matchAll(/\{%-?\s*(?:include|extends|import|from)\s+["']([^"']+)["']/g)].map((match) => match[1] ?? '');
  for (const name of [...(parent === undefined ? [] : [parent]), ...used]) layoutIds(folder, name, ids, seen);
  return ids;
}

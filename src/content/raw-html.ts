import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type { Problem } from '../errors.ts';
import { decodeEntities } from '../text/escape.ts';

/** Elements that fetch what an attribute names when the page loads (not links, which wait for a click). */
const LOADING_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  iframe: ['src'],
  frame: ['src'],
  embed: ['src'],
  object: ['data'],
  input: ['src'],
  link: ['href'],
  script: ['src'],
};

const TAG = /<([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTRIBUTE = /([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
/** A URL that leaves the site: a scheme with a host, or a host without a scheme. */
const OTHER_SITE = /^\s*(?:[a-z][a-z\d+.-]*:)?\/\//i;
const RUNS_CODE = /^\s*(?:javascript|vbscript):/i;

/**
 * What the raw HTML of a Markdown page would add that the site promises never to have (see the
 * README, "What visitors get"): scripts, event handlers and inline styles, which a strict
 * Content-Security-Policy refuses; `javascript:` addresses; and anything a visitor's browser would
 * load from another site (images, frames, media, stylesheets, fonts). Links to other sites are
 * fine. HTML in code spans and code blocks is text, and is not looked at; so is HTML in comments,
 * which are not published.
 */
export function rawHtmlProblems(markdownBody: string, firstLine: number, file: string): Problem[] {
  const problems: Problem[] = [];
  const lines = markdownBody.split('\n');
  const report = (snippet: string, map: [number, number] | null | undefined, message: string): void => {
    const [from, to] = map ?? [0, lines.length];
    const found = lines.slice(from, to).findIndex((line) => line.includes(snippet));
    problems.push({ file, line: firstLine + from + Math.max(found, 0), message });
  };
  const visit = (tokens: readonly Token[], map?: [number, number] | null): void => {
    for (const token of tokens) {
      if (token.type === 'html_block' || token.type === 'html_inline') checkHtml(token.content, (snippet, message) => report(snippet, token.map ?? map, message));
      if (token.children !== null) visit(token.children, token.map ?? map);
    }
  };
  visit(new MarkdownIt({ html: true }).parse(markdownBody, {}));
  return problems;
}

/** `<link>` relations that have the browser fetch the address as the page loads. */
const LOADING_RELATIONS = /\b(?:stylesheet|icon|preload|prefetch|modulepreload|manifest|preconnect|dns-prefetch|apple-touch-icon)\b/i;

function checkHtml(html: string, report: (snippet: string, message: string) => void): void {
  const withoutComments = html.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const [tag, rawName, rawAttributes = ''] of withoutComments.matchAll(TAG)) {
    const name = (rawName ?? '').toLowerCase();
    const firstLine = tag.split('\n')[0] ?? tag;
    const attributes = new Map<string, string>();
    for (const [, key, ...values] of rawAttributes.matchAll(ATTRIBUTE)) attributes.set((key ?? '').toLowerCase(), decodeEntities(values.find((v) => v !== undefined) ?? ''));
    if (name === 'script') report(firstLine, 'a <script> in a page: pages carry no scripts of their own (they work without JavaScript, under a strict Content-Security-Policy); remove it');
    if (name === 'style') report(firstLine, "a <style> element in a page: inline styles are refused by the site's Content-Security-Policy; use Markdown, or the classes of the stylesheet");
    const loading = name === 'link' && !LOADING_RELATIONS.test(attributes.get('rel') ?? '') ? [] : (LOADING_ATTRIBUTES[name] ?? []);
    for (const [key, value] of attributes) {
      // Browsers drop tabs and line breaks from addresses: "java\tscript:" runs too.
      const address = value.replace(/[\t\n\r]/g, '').trim();
      if (key.startsWith('on')) report(firstLine, `the event handler ${key}="..." runs code: pages carry no scripts of their own; remove it`);
      else if (key === 'style') report(firstLine, "a style=\"...\" attribute: inline styles are refused by the site's Content-Security-Policy; use Markdown, or the classes of the stylesheet");
      else if (RUNS_CODE.test(address)) report(firstLine, `the address "${address}" would run code: only http(s), mailto: and site addresses are allowed`);
      else if (loading.includes(key)) {
        const urls = key === 'srcset' ? address.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '') : [address];
        for (const url of urls.filter((candidate) => OTHER_SITE.test(candidate))) {
          report(firstLine, `<${name}> would load ${url} from another site, which every visitor's browser would then contact; put the file in content/assets/ and give its path`);
        }
      }
    }
  }
}

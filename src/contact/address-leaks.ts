import type Token from 'markdown-it/lib/token.mjs';
import { decodeHTML } from 'entities';
import type { Problem } from '../errors.ts';

/**
 * The owner's e-mail address is written once, as `email:` in site.yaml, and the site shows it
 * only spelled out and encoded (see view/email.ts). Written anywhere else, it would be published
 * as it is: these find where, so that the build can say so instead.
 */

/**
 * A text as an address harvester reads it: character references and percent-escapes decoded,
 * BibTeX's braces and backslashes dropped, in lower case.
 */
export function asHarvested(text: string): string {
  return decodeHTML(text)
    .replace(/%([0-9a-f]{2})/gi, (escape, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : escape;
    })
    .replace(/[{}\\]/g, '')
    .toLowerCase();
}

/** Whether a text holds the address, in any of the spellings asHarvested reads. */
export function holdsAddress(text: string, email: string): boolean {
  return asHarvested(text).includes(email.toLowerCase());
}

/**
 * The lines (1-based) of a text that hold the address. Only lines that name its domain as written
 * are read closely: an owner pastes their address, or a link to it, with its domain as it is.
 */
export function linesHoldingAddress(text: string, email: string): number[] {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const lines: number[] = [];
  if (!text.toLowerCase().includes(domain)) return lines;
  text.split('\n').forEach((line, index) => {
    if (line.toLowerCase().includes(domain) && holdsAddress(line, email)) lines.push(index + 1);
  });
  return lines;
}

/** What the owner is told, after what the text is (a page's code, a value of cv.yaml...). */
export function addressLeak(written: string): string {
  return `your e-mail address ${written} would be published as written, which site.yaml promises it never is (it is shown spelled out, and given only as email: there): remove it here`;
}

/** The address as a site.yaml value other than `email:` (the footer, a description). */
export function siteDataLeaks(text: string, email: string, file: string): Problem[] {
  const lines = text.split('\n');
  return linesHoldingAddress(text, email)
    .filter((line) => !/^email\s*:/.test(lines[line - 1] ?? ''))
    .map((line) => ({ file, line, message: addressLeak('in this value') }));
}

/** The address in cv.yaml, whose every value is shown on the bio page and /cv/. */
export function cvDataLeaks(text: string, email: string, file: string): Problem[] {
  return linesHoldingAddress(text, email).map((line) => ({ file, line, message: addressLeak('in the CV (on the bio page, /cv/ and its downloads)') }));
}

/**
 * The address in a published entry (its BibTeX and everything shown of it: a field hidden with
 * hide_fields, or a comment, is not published), at the entry's first line that holds it.
 */
export function entryLeaks(entries: ReadonlyArray<{ key: string; line: number }>, published: (key: string) => unknown, source: string, email: string, file: string): Problem[] {
  const lines = linesHoldingAddress(source, email);
  if (lines.length === 0) return [];
  const starts = [...entries].sort((a, b) => a.line - b.line);
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const line of lines) {
    const entry = starts.findLast((start) => start.line <= line);
    if (entry === undefined || reported.has(entry.key) || !holdsAddress(JSON.stringify(published(entry.key)), email)) continue;
    reported.add(entry.key);
    problems.push({ file, line, key: entry.key, message: addressLeak('in this entry') });
  }
  return problems;
}

/**
 * Where a page would still publish the address once the site's renderer has protected what it
 * can (running text and mailto: links): in code, a link's address or title, an image's text, or
 * raw HTML. The block's first line in the Markdown (0-based), if markdown-it gives one.
 */
export function unprotectedAddress(tokens: readonly Token[], email: string): { line?: number } | undefined {
  // An inline token's content is its source: what is published of it is its children, protected or not.
  const values = (token: Token): string[] => [...(token.type === 'inline' ? [] : [token.content]), ...(token.attrs ?? []).map(([, value]) => value), ...(token.children ?? []).flatMap(values)];
  for (const token of tokens) {
    if (values(token).some((text) => holdsAddress(text, email))) return token.map === null ? {} : { line: token.map[0] };
  }
  return undefined;
}

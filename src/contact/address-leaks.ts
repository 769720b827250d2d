import { decodeHTML } from 'entities';
import type { Problem } from '../errors.ts';

/**
 * The owner's e-mail address is written once, as `email:` in site.yaml, and the site shows it
 * only spelled out and encoded (see view/email.ts). Written anywhere else, it would be published
 * as it is: these find where, so that the build can say so instead.
 */

/**
 * A text as an address harvester reads it: character references and percent-escapes decoded,
 * compatibility forms folded (a full-width "＠"), BibTeX's braces and backslashes dropped, in
 * lower case. Each step only where the text has what it undoes.
 */
export function asHarvested(text: string): string {
  let read = text.includes('&') ? decodeHTML(text) : text;
  if (read.includes('%')) {
    read = read.replace(/%([0-9a-f]{2})/gi, (escape, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : escape;
    });
  }
  if (/[^\x00-\x7f]/.test(read)) read = read.normalize('NFKC');
  return read.replace(/[{}\\]/g, '').toLowerCase();
}

/** Whether a text holds the address, in any of the spellings asHarvested reads. */
export function holdsAddress(text: string, email: string): boolean {
  return asHarvested(text).includes(email.toLowerCase());
}

/** The first line (1-based) of a text that holds the address on its own, if one does. */
export function lineHoldingAddress(text: string, email: string): number | undefined {
  const index = text.split('\n').findIndex((line) => holdsAddress(line, email));
  return index === -1 ? undefined : index + 1;
}

/** What the owner is told, after what the text is (a page's code, a value of cv.yaml...). */
export function addressLeak(written: string): string {
  return `your e-mail address ${written} would be published as written, which site.yaml promises it never is (it is shown spelled out, and given only as email: there): remove it here`;
}

/** Each string of a data file's values (as read: YAML's escapes and aliases resolved) by its dotted key. */
function stringsOf(value: unknown, key: string, found: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === 'string') found.push([key, value]);
  else if (Array.isArray(value)) value.forEach((item, index) => stringsOf(item, `${key}[${index}]`, found));
  else if (value !== null && typeof value === 'object') for (const [name, item] of Object.entries(value)) stringsOf(item, key === '' ? name : `${key}.${name}`, found);
  return found;
}

/**
 * The address in a value of site.yaml other than `email:` (the footer, a description, a label),
 * or of cv.yaml (shown on the bio page and /cv/), at the line that writes it when one does.
 */
export function dataLeaks(data: unknown, text: string, email: string, file: string, written: string, skip: ReadonlySet<string> = new Set()): Problem[] {
  const leaks = stringsOf(data, '').filter(([key, value]) => !skip.has(key) && holdsAddress(value, email));
  if (leaks.length === 0) return [];
  // The lines that write it as it is read, in the file's order, as its values are (one written with YAML's escapes, or an alias, has none).
  const lines = text.split('\n').flatMap((line, index) => (holdsAddress(line, email) && !/^email\s*:/.test(line) ? [index + 1] : []));
  return leaks.map(([key], index) => ({ file, ...(lines[index] === undefined ? {} : { line: lines[index] }), key, message: addressLeak(written) }));
}

/**
 * The address in a published entry (everything shown of it, its BibTeX included: a field hidden
 * with hide_fields, or a comment, is not published), at the entry's line that writes it, or its
 * first line when it comes through a macro or a crossref. Entries are read one by one only when
 * the file holds the address somewhere.
 */
export function entryLeaks(entries: ReadonlyArray<{ key: string; line: number }>, published: (key: string) => unknown, source: string, email: string, file: string): Problem[] {
  if (!holdsAddress(source, email)) return [];
  const lines = source.split('\n');
  const starts = [...entries].sort((a, b) => a.line - b.line);
  return starts.flatMap((entry, index) => {
    if (!holdsAddress(JSON.stringify(published(entry.key)), email)) return [];
    const end = starts[index + 1]?.line ?? lines.length + 1;
    const own = lines.slice(entry.line - 1, end - 1).findIndex((line) => holdsAddress(line, email));
    return [{ file, line: own === -1 ? entry.line : entry.line + own, key: entry.key, message: addressLeak('in this entry') }];
  });
}

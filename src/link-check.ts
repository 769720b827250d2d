import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { normalisePrefix, route } from './static-server.ts';
import { decodeEntities } from './text/escape.ts';

export interface LinkReport {
  pages: number;
  /** Internal URLs that were followed (each counted once). */
  checked: number;
  /** "page → link: why", sorted. */
  broken: string[];
  /** Links to other sites, not fetched (no network in builds and tests). */
  external: string[];
}

/** The made-up origin pages are resolved against; links to any other origin are external. */
const ORIGIN = 'http://site.invalid';

/**
 * Follows every internal link, stylesheet, script, image (srcset included), CSS url() and #anchor
 * of the built site the way a browser on GitHub Pages would, under the site's path prefix: a
 * target must be a file at exactly that path (case matters; a folder needs its trailing slash)
 * and an anchor must exist. It works from the list of files, without a server, so that sites of
 * thousands of pages are checked in a moment.
 */
export async function checkLinks(site: string, prefix = '/'): Promise<LinkReport> {
  const base = new URL(normalisePrefix(prefix), ORIGIN);
  const broken = new Set<string>();
  const external = new Set<string>();
  const entries = await readdir(site, { recursive: true, withFileTypes: true });
  const relative = (entry: { parentPath: string; name: string }): string => path.relative(site, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
  const files = new Set(entries.filter((entry) => entry.isFile()).map(relative));
  const folders = new Set(entries.filter((entry) => entry.isDirectory()).map(relative));
  const checked = new Set<string>();
  // Pages are read for their ids once, however many links point into them (a long publication list is a common target).
  const idsOf = new Map<string, Set<string>>();
  const ids = (file: string): Set<string> => {
    let found = idsOf.get(file);
    if (found === undefined) {
      const html = readFileSync(path.join(site, file), 'utf8');
      found = new Set([...html.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((match) => decodeEntities(match[1] ?? '')));
      idsOf.set(file, found);
    }
    return found;
  };
  const pages = [...files].filter((file) => file.endsWith('.html') || file.endsWith('.css')).sort();
  for (const file of pages) {
    const pageUrl = new URL(file.replace(/(^|\/)index\.html$/, '$1'), base);
    // Read synchronously: thousands of small reads through the thread pool spend most of their time waiting.
    const source = readFileSync(path.join(site, file), 'utf8');
    for (const reference of file.endsWith('.css') ? cssReferences(source) : htmlReferences(source)) {
      let target: URL;
      try {
        target = new URL(reference, pageUrl);
      } catch {
        broken.add(`/${file} → ${reference}: not a valid URL`);
        continue;
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') continue;
      const where = `/${file} → ${reference}`;
      if (target.origin !== ORIGIN) {
        external.add(target.href);
        continue;
      }
      if (!target.pathname.startsWith(base.pathname)) {
        broken.add(`${where}: outside the site's path prefix ${base.pathname}`);
        continue;
      }
      checked.add(target.pathname);
      const requested = safeDecode(target.pathname);
      const destination = requested === undefined ? { missing: true as const } : route(prefix, requested);
      if ('redirect' in destination || ('file' in destination && folders.has(destination.file))) {
        broken.add(`${where}: HTTP 301 (a folder without its trailing slash)`);
        continue;
      }
      if ('missing' in destination || !files.has(destination.file)) {
        broken.add(`${where}: HTTP 404`);
        continue;
      }
      const anchor = safeDecode(target.hash.slice(1)) ?? target.hash.slice(1);
      if (anchor !== '' && destination.file.endsWith('.html') && !ids(destination.file).has(anchor)) {
        broken.add(`${where}: no element with id "${anchor}"`);
      }
    }
  }
  return { pages: pages.length, checked: checked.size, broken: [...broken].sort(), external: [...external].sort() };
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Elements whose attributes name other resources, and those attributes. */
const REFERENCING = /<(a|link|area|script|img|source|iframe|video|audio)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTRIBUTE = /\s([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** The URLs a page refers to, read from its tags; comments, scripts and styles are skipped, as browsers do. */
function htmlReferences(html: string): string[] {
  // One pass, so that "<!--" inside a script, or "<script>" inside a comment, is read as a browser reads it.
  const markup = html.replace(/<!--[\s\S]*?-->|<(script|style)\b((?:[^>"']|"[^"]*"|'[^']*')*)>[\s\S]*?<\/\1\s*>/gi, (_match, tag: string | undefined, attributes: string | undefined) => (tag === undefined ? '' : `<${tag}${attributes ?? ''}>`));
  const references: string[] = [];
  for (const [, tag = '', attributes = ''] of markup.matchAll(REFERENCING)) {
    const name = tag.toLowerCase();
    for (const [, attribute = '', double, single, bare] of attributes.matchAll(ATTRIBUTE)) {
      const value = decodeEntities(double ?? single ?? bare ?? '').trim();
      const key = attribute.toLowerCase();
      if (key === 'srcset') {
        for (const candidate of value.split(',')) references.push(candidate.trim().split(/\s+/)[0] ?? '');
      } else if ((key === 'href' && /^(a|link|area)$/.test(name)) || (key === 'src' && !/^(a|link|area)$/.test(name))) {
        references.push(value);
      }
    }
  }
  return references.filter((reference) => reference !== '');
}

function cssReferences(css: string): string[] {
  return [...css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)].map((match) => match[2] ?? '').filter((url) => !url.startsWith('data:'));
}

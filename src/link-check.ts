import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { hashOf, type DiskCache } from './cache.ts';
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
 * thousands of pages are checked in a moment. Pages in `known` are not read: their links were
 * taken when they were written. `listing` saves listing the site again.
 */
export async function checkLinks(site: string, prefix = '/', options: { known?: ReadonlyMap<string, PageLinks>; listing?: SiteListing } = {}): Promise<LinkReport> {
  const known = options.known ?? new Map<string, PageLinks>();
  const base = new URL(normalisePrefix(prefix), ORIGIN);
  const broken = new Set<string>();
  const external = new Set<string>();
  const { files: fileList, folders: folderList } = options.listing ?? listSite(site);
  const files = new Set(fileList);
  const folders = new Set(folderList);
  const checked = new Set<string>();
  // Pages are read for their ids once, however many links point into them (a long publication list is a common target).
  const idsOf = new Map<string, Set<string>>();
  const ids = (file: string): Set<string> => {
    let found = idsOf.get(file);
    if (found === undefined) {
      found = new Set(known.get(file)?.ids ?? idsIn(readFileSync(path.join(site, file), 'utf8')));
      idsOf.set(file, found);
    }
    return found;
  };
  /** Where a reference leads: another site, a path of this site, and why it is broken if it is. */
  interface Outcome {
    external?: string;
    checked?: string;
    broken?: string;
  }
  // Where each path of the site leads, worked out once: a list links to thousands of anchors of one page.
  const destinations = new Map<string, { file?: string; broken?: string }>();
  const destinationOf = (pathname: string): { file?: string; broken?: string } => {
    let found = destinations.get(pathname);
    if (found === undefined) {
      const requested = safeDecode(pathname);
      const destination = requested === undefined ? { missing: true as const } : route(prefix, requested);
      if ('redirect' in destination || ('file' in destination && folders.has(destination.file))) found = { broken: 'HTTP 301 (a folder without its trailing slash)' };
      else if ('missing' in destination || !files.has(destination.file)) found = { broken: 'HTTP 404' };
      else found = { file: destination.file };
      destinations.set(pathname, found);
    }
    return found;
  };
  const follow = (reference: string, pageUrl: () => URL): Outcome => {
    let pathname: string;
    let hash: string;
    const simple = SIMPLE_REFERENCE.exec(reference);
    if (simple !== null && !/\/\.\.?(?:\/|$)/.test(simple[1] ?? '')) {
      // A path from the site's root, in characters a URL keeps as they are: no need to parse it.
      pathname = simple[1] ?? '/';
      hash = simple[2] ?? '';
      if (!pathname.startsWith(base.pathname)) return { broken: `outside the site's path prefix ${base.pathname}` };
    } else {
      let target: URL;
      try {
        target = new URL(reference, pageUrl());
      } catch {
        return { broken: 'not a valid URL' };
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') return {};
      if (target.origin !== ORIGIN) return { external: target.href };
      if (!target.pathname.startsWith(base.pathname)) return { broken: `outside the site's path prefix ${base.pathname}` };
      pathname = target.pathname;
      hash = target.hash.slice(1);
    }
    const destination = destinationOf(pathname);
    if (destination.file === undefined) return { checked: pathname, ...(destination.broken === undefined ? {} : { broken: destination.broken }) };
    const anchor = safeDecode(hash) ?? hash;
    if (anchor !== '' && destination.file.endsWith('.html') && !ids(destination.file).has(anchor)) return { checked: pathname, broken: `no element with id "${anchor}"` };
    return { checked: pathname };
  };
  // Most references (the navigation, the stylesheet, DOIs) are the same on every page and do not
  // depend on where the page is: each is followed once.
  const followed = new Map<string, Outcome>();
  const pages = fileList.filter((file) => file.endsWith('.html') || file.endsWith('.css'));
  for (const file of pages) {
    let pageUrl: URL | undefined; // needed only for a reference relative to the page
    const here = (): URL => (pageUrl ??= new URL(file.replace(/(^|\/)index\.html$/, '$1'), base));
    // Read synchronously: thousands of small reads through the thread pool spend most of their time waiting.
    const references = known.get(file)?.references ?? (file.endsWith('.css') ? cssReferences : htmlReferences)(readFileSync(path.join(site, file), 'utf8'));
    for (const reference of references) {
      // `/path`, `//host/path` and `scheme://...` lead to the same place from every page; `http:path`
      // (no slashes) and `path` are resolved against the page.
      const independent = /^(?:[a-z][a-z\d+.-]*:\/\/|\/)/i.test(reference);
      let outcome = independent ? followed.get(reference) : undefined;
      if (outcome === undefined) {
        outcome = follow(reference, here);
        if (independent) followed.set(reference, outcome);
      }
      if (outcome.external !== undefined) external.add(outcome.external);
      if (outcome.checked !== undefined) checked.add(outcome.checked);
      if (outcome.broken !== undefined) broken.add(`/${file} → ${reference}: ${outcome.broken}`);
    }
  }
  return { pages: pages.length, checked: checked.size, broken: [...broken].sort(), external: [...external].sort() };
}

/**
 * checkLinks, or the report it gave last time for a site that has not changed in anything the
 * check looks at: the same files and folders, the same links and ids in every page, the same
 * stylesheets, the same prefix. Every page must be in `known` (else there is no telling without
 * reading them, and the check runs). For a site of thousands of pages this saves most of the
 * check on a build where nothing changed. `listing` is listSite's (sorted); without a cache this
 * is checkLinks.
 */
export async function checkLinksOnce(site: string, prefix: string, options: { known: ReadonlyMap<string, PageLinks>; listing: SiteListing; cache?: DiskCache }): Promise<LinkReport> {
  const { known, listing, cache } = options;
  const fingerprint = cache === undefined ? undefined : siteFingerprint(site, prefix, listing, known);
  if (cache === undefined || fingerprint === undefined) return checkLinks(site, prefix, { known, listing });
  const kept = await cache.get<LinkReport>('link-check', fingerprint, 'report');
  if (kept !== undefined) return kept;
  const report = await checkLinks(site, prefix, { known, listing });
  await cache.set('link-check', fingerprint, report, 'report');
  return report;
}

function siteFingerprint(site: string, prefix: string, listing: SiteListing, known: ReadonlyMap<string, PageLinks>): string | undefined {
  const parts = [prefix, listing.files.join('\n'), listing.folders.join('\n')];
  for (const file of listing.files) {
    if (file.endsWith('.html')) {
      const links = known.get(file);
      if (links === undefined) return undefined;
      parts.push(JSON.stringify([file, links.references, links.ids]));
    } else if (file.endsWith('.css')) {
      parts.push(file, readFileSync(path.join(site, file), 'utf8'));
    }
  }
  return hashOf(...parts);
}

/** The files and folders of a built site, relative to it, with forward slashes, each list sorted. */
export interface SiteListing {
  files: string[];
  folders: string[];
}

/**
 * Lists a built site. Synchronously: the asynchronous recursive listing waits for the thread
 * pool once per folder, and a site has a folder per publication.
 */
export function listSite(site: string): SiteListing {
  const root = path.resolve(site);
  const listing: SiteListing = { files: [], folders: [] };
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    // path.relative() resolves both paths on every call: slow for tens of thousands of files.
    const folder = entry.parentPath === root ? '' : `${entry.parentPath.slice(root.length + 1).split(path.sep).join('/')}/`;
    if (entry.isFile()) listing.files.push(`${folder}${entry.name}`);
    else if (entry.isDirectory()) listing.folders.push(`${folder}${entry.name}`);
  }
  listing.files.sort();
  listing.folders.sort();
  return listing;
}

/** What the link check reads from a page: the URLs it refers to and the anchors it offers. */
export interface PageLinks {
  references: string[];
  ids: string[];
}

/** A page's links, taken when it is written, so that the link check need not read it again (see src/pages/generated-files.ts). */
export function pageLinks(html: string): PageLinks {
  return { references: htmlReferences(html), ids: [...new Set(idsIn(html))] };
}

const ANCHOR = /\s(?:id|name)="([^"]*)"/g;

function idsIn(html: string): string[] {
  const ids: string[] = [];
  ANCHOR.lastIndex = 0;
  for (let found = ANCHOR.exec(html); found !== null; found = ANCHOR.exec(html)) ids.push(decodedValue(found[1] ?? ''));
  return ids;
}

/** An attribute's value, its character references decoded (most have none: no work then). */
function decodedValue(text: string): string {
  return text.includes('&') ? decodeEntities(text) : text;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** `/path#anchor` in characters the URL parser leaves unchanged (no `//` host, no query). */
const SIMPLE_REFERENCE = /^(\/(?!\/)[\w\-.~!$&'()*+,;=:@/]*)(?:#([\w\-.~!$&'()*+,;=:@/?]*))?$/;

/**
 * What the link check reads in a page, in one pass: a comment (skipped), a script or style
 * element (its opening tag read, its content skipped, as browsers do: a "<!--" inside a script
 * opens no comment, and a tag inside a comment or a script is no tag), or another element whose
 * attributes name other resources (a script never closed among them). The page is not first
 * copied with its comments and scripts taken out: a list of thousands of publications is megabytes.
 */
const REFERENCING = /<!--[\s\S]*?-->|<(script|style)\b((?:[^>"']|"[^"]*"|'[^']*')*)>[\s\S]*?<\/\1\s*>|<(a|link|area|script|img|source|iframe|video|audio)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTRIBUTE = /\s([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * The URLs a page refers to, read from its tags; comments, and what scripts and styles hold, are
 * skipped. It reads every page a build writes, so it loops over the matches itself and decodes
 * only the values it keeps that hold a character reference (5,000 publication pages: 40% less
 * time than with matchAll and every value decoded).
 */
function htmlReferences(html: string): string[] {
  const references: string[] = [];
  const add = (reference: string): void => {
    if (reference !== '') references.push(reference);
  };
  REFERENCING.lastIndex = 0;
  for (let found = REFERENCING.exec(html); found !== null; found = REFERENCING.exec(html)) {
    const [, raw, rawAttributes, tag, tagAttributes] = found;
    const name = (raw ?? tag)?.toLowerCase();
    if (name === undefined || name === 'style') continue; // a comment, or a style element (which refers by url(), in CSS)
    const linking = name === 'a' || name === 'link' || name === 'area';
    const attributes = rawAttributes ?? tagAttributes ?? '';
    ATTRIBUTE.lastIndex = 0;
    for (let attribute = ATTRIBUTE.exec(attributes); attribute !== null; attribute = ATTRIBUTE.exec(attributes)) {
      const key = (attribute[1] ?? '').toLowerCase();
      if (key !== 'srcset' && key !== (linking ? 'href' : 'src')) continue;
      const value = decodedValue(attribute[2] ?? attribute[3] ?? attribute[4] ?? '').trim();
      if (key === 'srcset') {
        for (const candidate of value.split(',')) add(candidate.trim().split(/\s+/)[0] ?? '');
      } else {
        add(value);
      }
    }
  }
  return references;
}

function cssReferences(css: string): string[] {
  return [...css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)].map((match) => match[2] ?? '').filter((url) => !url.startsWith('data:'));
}

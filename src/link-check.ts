import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'node-html-parser';
import { serveFolder } from './static-server.ts';
import { decodeEntities } from './text/escape.ts';

export interface LinkReport {
  pages: number;
  /** Internal URLs that were fetched (each once). */
  checked: number;
  /** "page → link: why", sorted. */
  broken: string[];
  /** Links to other sites, not fetched (no network in builds and tests). */
  external: string[];
}

/**
 * Serves the built site on loopback under its path prefix, as GitHub Pages
 * does, and follows every internal link, stylesheet, script, image (srcset
 * included), CSS url() and #anchor the way a browser would: a target must
 * answer 200 at exactly that path (case matters) and an anchor must exist.
 */
export async function checkLinks(site: string, prefix = '/'): Promise<LinkReport> {
  const server = await serveFolder(site, { prefix });
  const base = new URL(`/${prefix.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/'), server.origin);
  const broken = new Set<string>();
  const external = new Set<string>();
  const fetched = new Map<string, Promise<{ status: number; body: string; type: string }>>();
  // Pages are parsed for their ids once, however many links point into them (a long publication list is a common target).
  const idsOf = new Map<string, Set<string>>();
  const get = (url: string): Promise<{ status: number; body: string; type: string }> => {
    let result = fetched.get(url);
    if (result === undefined) {
      result = fetch(url, { redirect: 'manual' }).then(async (response) => ({
        status: response.status,
        type: response.headers.get('content-type') ?? '',
        body: /html|css/.test(response.headers.get('content-type') ?? '') ? await response.text() : (await response.arrayBuffer(), ''),
      }));
      fetched.set(url, result);
    }
    return result;
  };
  try {
    const files = (await readdir(site, { recursive: true })).filter((file) => file.endsWith('.html') || file.endsWith('.css')).sort();
    for (const file of files) {
      const pageUrl = new URL(file.split(path.sep).join('/').replace(/(^|\/)index\.html$/, '$1'), base);
      const source = await readFile(path.join(site, file), 'utf8');
      for (const reference of file.endsWith('.css') ? cssReferences(source) : htmlReferences(source)) {
        const target = new URL(reference, pageUrl);
        if (target.protocol !== 'http:' && target.protocol !== 'https:') continue;
        const where = `/${file.split(path.sep).join('/')} → ${reference}`;
        if (target.origin !== server.origin) {
          external.add(target.href);
          continue;
        }
        if (!target.pathname.startsWith(base.pathname)) {
          broken.add(`${where}: outside the site's path prefix ${base.pathname}`);
          continue;
        }
        const response = await get(`${target.origin}${target.pathname}`);
        if (response.status !== 200) {
          broken.add(`${where}: HTTP ${response.status}${response.status === 301 ? ' (a folder without its trailing slash)' : ''}`);
          continue;
        }
        const anchor = decodeURIComponent(target.hash.slice(1));
        if (anchor !== '' && /html/.test(response.type)) {
          const key = `${target.origin}${target.pathname}`;
          let ids = idsOf.get(key);
          if (ids === undefined) {
            ids = new Set([...response.body.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((match) => decodeEntities(match[1] ?? '')));
            idsOf.set(key, ids);
          }
          if (!ids.has(anchor)) broken.add(`${where}: no element with id "${anchor}"`);
        }
      }
    }
    return { pages: files.length, checked: fetched.size, broken: [...broken].sort(), external: [...external].sort() };
  } finally {
    await server.close();
  }
}

function htmlReferences(html: string): string[] {
  const root = parse(html);
  const references: string[] = [];
  for (const element of root.querySelectorAll('a[href], link[href], area[href]')) references.push(element.getAttribute('href') ?? '');
  for (const element of root.querySelectorAll('script[src], img[src], source[src], iframe[src], video[src], audio[src]')) references.push(element.getAttribute('src') ?? '');
  for (const element of root.querySelectorAll('[srcset]')) {
    for (const candidate of (element.getAttribute('srcset') ?? '').split(',')) references.push(candidate.trim().split(/\s+/)[0] ?? '');
  }
  return references.filter((reference) => reference !== '');
}

function cssReferences(css: string): string[] {
  return [...css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)].map((match) => match[2] ?? '').filter((url) => !url.startsWith('data:'));
}

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from './errors.ts';
import type { DiskCache } from './cache.ts';
import { checkLinksOnce, listSite, type PageLinks } from './link-check.ts';
import { DEFAULT_CV_FILE, DEFAULT_SITE_FILE } from './site-model.ts';
import { escapeRegExp } from './text/regexp.ts';

/**
 * Checks a finished build before it replaces the site: every internal link
 * resolves under the path prefix, and no two outputs differ only in case or
 * Unicode normalisation (they would collide on macOS, Windows and in many
 * browsers' caches). Problems point at the content file and line when the
 * link comes from one. `coming` names files the build has yet to write.
 */
export async function postBuildProblems(output: string, root: string, prefix: string, known: ReadonlyMap<string, PageLinks> = new Map(), cache?: DiskCache, coming: readonly string[] = []): Promise<Problem[]> {
  const problems: Problem[] = [];
  const listing = listSite(output);
  // Files still being written (the CV PDF) are checked as there: they will be before the site is published.
  const missing = coming.filter((file) => !listing.files.includes(file));
  if (missing.length > 0) listing.files = [...listing.files, ...missing].sort();
  const seen = new Map<string, string>();
  for (const file of listing.files) {
    const folded = file.normalize('NFC').toLowerCase();
    const twin = seen.get(folded);
    if (twin !== undefined) problems.push({ file: `_site/${file}`, message: `"${file}" and "${twin}" differ only in case or accents; rename one of their pages` });
    seen.set(folded, file);
  }
  const report = await checkLinksOnce(output, prefix, { known, listing, ...(cache === undefined ? {} : { cache }) });
  // A link of the site data (the navigation) is on every page: it is reported once, where it is written.
  const reported = new Set<string>();
  const dataLines = new Map<string, string[]>();
  for (const broken of report.broken) {
    const [, page = '', link = '', why = ''] = /^\/(\S+) → (\S+): (.*)$/.exec(broken) ?? [];
    const written = withoutPrefix(link, prefix);
    const message = `the link ${link} is broken: ${why}${unpublishedFile(root, page, written)}`;
    const problem = (await inSiteData(root, [link, written], message, dataLines)) ?? (await locate(root, page, [link, written], message));
    const said = `${problem.file}:${problem.line ?? ''}:${problem.message}`;
    if (!reported.has(said)) problems.push(problem);
    reported.add(said);
  }
  return problems;
}

/**
 * Why a link to a file beside a page in content/ is broken (content/talks/slides.pdf from
 * content/talks/index.md): only content/assets/ is published as it is; empty for any other link.
 */
function unpublishedFile(root: string, page: string, link: string): string {
  let target: string;
  try {
    target = decodeURIComponent(new URL(link, `https://site.invalid/${page}`).pathname);
  } catch {
    return '';
  }
  const file = path.join('content', ...target.split('/').filter((part) => part !== ''));
  if (target.startsWith('/assets/') || !file.startsWith(`content${path.sep}`) || !statSync(path.join(root, file), { throwIfNoEntry: false })?.isFile()) return '';
  return ` (${file.split(path.sep).join('/')} is there, but only the files of content/assets/ are published as they are: move it into content/assets/ and link to /assets/...)`;
}

/** The broken link as a value of site.yaml or cv.yaml (`url: /reserach/`), if it is written there. */
async function inSiteData(root: string, links: readonly string[], message: string, read: Map<string, string[]>): Promise<Problem | undefined> {
  for (const file of [DEFAULT_SITE_FILE, DEFAULT_CV_FILE]) {
    let lines = read.get(file);
    if (lines === undefined) {
      lines = await readFile(path.join(root, file), 'utf8').then((text) => text.split('\n'), () => []);
      read.set(file, lines);
    }
    const index = lines.findIndex((line) => links.some((written) => new RegExp(`:\\s*(["']?)${escapeRegExp(written)}\\1\\s*(?:#.*)?$`).test(line)));
    if (index !== -1) return { file, line: index + 1, message: `${message} (it is on every page that shows it)` };
  }
  return undefined;
}

/** A link of a page as the owner wrote it: the site's own path, without the path prefix the build put before it. */
function withoutPrefix(link: string, prefix: string): string {
  return prefix !== '/' && link.startsWith(prefix) ? `/${link.slice(prefix.length).replace(/^\//, '')}` : link;
}

async function locate(root: string, page: string, links: readonly string[], message: string): Promise<Problem> {
  const stem = page.replace(/(^|\/)index\.html$/, '').replace(/\/$/, '');
  const candidates = [stem === '' ? 'content/index.md' : `content/${stem}.md`, `content/${stem}/index.md`];
  for (const candidate of candidates) {
    if (!existsSync(path.join(root, candidate))) continue;
    const lines = (await readFile(path.join(root, candidate), 'utf8')).split('\n');
    const index = lines.findIndex((line) => links.some((link) => line.includes(`](${link}`) || line.includes(`"${link}"`)));
    return { file: candidate, ...(index === -1 ? {} : { line: index + 1 }), message };
  }
  return { file: `_site/${page}`, message: `${message} (in a generated page)` };
}

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from './errors.ts';
import type { DiskCache } from './cache.ts';
import { checkLinksOnce, listSite, type PageLinks } from './link-check.ts';

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
  for (const broken of report.broken) {
    const [, page = '', link = '', why = ''] = /^\/(\S+) → (\S+): (.*)$/.exec(broken) ?? [];
    problems.push(await locate(root, page, link, `the link ${link} is broken: ${why}`));
  }
  return problems;
}

async function locate(root: string, page: string, link: string, message: string): Promise<Problem> {
  const stem = page.replace(/(^|\/)index\.html$/, '').replace(/\/$/, '');
  const candidates = [stem === '' ? 'content/index.md' : `content/${stem}.md`, `content/${stem}/index.md`];
  const prefixFree = link.replace(/^\/[^/]+\//, '/');
  for (const candidate of candidates) {
    if (!existsSync(path.join(root, candidate))) continue;
    const lines = (await readFile(path.join(root, candidate), 'utf8')).split('\n');
    const index = lines.findIndex((line) => line.includes(`](${link}`) || line.includes(`](${prefixFree}`) || line.includes(`"${link}"`));
    return { file: candidate, ...(index === -1 ? {} : { line: index + 1 }), message };
  }
  return { file: `_site/${page}`, message: `${message} (in a generated page)` };
}

import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { DiskCache } from '../cache.ts';
import { checkYaml } from '../data/checked-yaml.ts';
import { decodeContentFile } from '../data/utf8.ts';
import { SiteInputError, type Problem } from '../errors.ts';
import { closestMatch } from '../text/closest-match.ts';
import { rawHtmlProblems } from './raw-html.ts';

const MB = 1024 * 1024;

export interface ContentReport {
  warnings: Problem[];
}

/**
 * Checks the owner's content folder before anything is built: front matter
 * (syntax with the file's own line numbers, known keys, real dates, no
 * executable front matter), Markdown that is not UTF-8, unsafe
 * links in Markdown, raw HTML that would run code or load from other sites
 * (see raw-html.ts), layouts that exist, symlinks that leave the project,
 * and asset sizes. Every problem is reported at once.
 */
export async function checkContent(root: string, contentDir: string, layoutsDir: string): Promise<ContentReport> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const contentRoot = path.join(root, contentDir);
  const realRoot = await realpath(root);
  const layouts = new Set(await readdir(path.join(root, layoutsDir)).catch(() => [] as string[]));
  const cache = new DiskCache(root);
  // Where the pages are published, for the pages the engine's own link to.
  const addresses = new Set<string>();
  for (const entry of await readdir(contentRoot, { recursive: true, withFileTypes: true })) {
    const absolute = path.join(entry.parentPath, entry.name);
    const file = path.relative(root, absolute).split(path.sep).join('/');
    const linked = (await lstat(absolute)).isSymbolicLink();
    if (linked) {
      const target = await realpath(absolute).catch(() => undefined);
      if (target === undefined || !(target === realRoot || target.startsWith(realRoot + path.sep))) {
        problems.push({ file, message: `this link points outside the project (${target ?? 'nowhere'}); copy the file into the project instead` });
        continue;
      }
    }
    const info = await stat(absolute).catch(() => undefined);
    // Eleventy reads what a linked folder holds, which this check, not following links, would not see.
    if (linked && info?.isDirectory() === true) problems.push({ file, message: 'this is a link to a folder, whose files Eleventy would build without the checks the others get: move the folder into content/ instead' });
    if (info === undefined || !info.isFile()) continue;
    const inContent = path.relative(contentRoot, absolute).split(path.sep).join('/');
    const engineFile = ENGINE_ASSETS[inContent];
    if (engineFile !== undefined) problems.push({ file, message: `the site's ${engineFile} is written at this address, and would replace this file: give it another name` });
    const eleventyWouldRead = readByEleventyAlone(inContent, path.basename(contentRoot), (relative) => existsSync(path.join(contentRoot, relative)));
    if (eleventyWouldRead !== undefined) problems.push({ file, message: eleventyWouldRead });
    if (info.size > 100 * MB) problems.push({ file, message: `${(info.size / MB).toFixed(0)} MB is too large to publish (GitHub Pages limit: 100 MB per file); link to it elsewhere` });
    else if (info.size > 10 * MB) warnings.push({ file, message: `${(info.size / MB).toFixed(0)} MB is large for a web page's visitors; consider a smaller file` });
    // Pages (site.yaml and cv.yaml are decoded as strictly where they are read, in checked-yaml.ts).
    // Eleventy finds pages whatever the case of their extension (about.MD).
    if (!/\.md$/i.test(file)) continue;
    let text: string;
    try {
      text = decodeContentFile(await readFile(absolute), file);
    } catch (error) {
      if (!(error instanceof SiteInputError)) throw error;
      problems.push(...error.problems);
      continue;
    }
    problems.push(...await checkMarkdownFile(text, file, layouts, cache, { notFoundPage: path.relative(contentRoot, absolute) === NOT_FOUND_PAGE }));
    addresses.add(publishedAddress(inContent, text));
  }
  // Every publication's page links back to the list ("All publications"), as the home page does.
  if (problems.length === 0 && !addresses.has(PUBLICATIONS_PAGE)) {
    problems.push({ file: `${contentDir}/publications.md`, message: `no page is at ${PUBLICATIONS_PAGE}, where each publication's page links back to the list of them: keep this page (its layout publications.njk lists them), or give the page that lists them \`permalink: ${PUBLICATIONS_PAGE}\`` });
  }
  if (problems.length > 0) throw new SiteInputError(problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)));
  return { warnings };
}

/** The list of publications, which every publication's page links back to. */
const PUBLICATIONS_PAGE = '/publications/';

/**
 * The address a Markdown page of content/ (its path there) is published at: its permalink, or
 * Eleventy's from its path (research.md at /research/, talks/index.md at /talks/). Read from the
 * front matter's permalink line, which the page's check reads in full.
 */
function publishedAddress(relative: string, text: string): string {
  const frontMatter = /^---\s*\r?\n([\s\S]*?)\r?\n---\s*(?:\r?\n|$)/.exec(text)?.[1] ?? '';
  const permalink = /^permalink\s*:\s*(?:"([^"]*)"|'([^']*)'|([^\s#]+))/m.exec(frontMatter);
  if (permalink !== null) return (permalink[1] ?? permalink[2] ?? permalink[3] ?? '').replace(/index\.html$/, '');
  const page = relative.replace(/\.md$/i, '').replace(/(?:^|\/)index$/, '');
  return page === '' ? '/' : `/${page}/`;
}

/** Files of content/ at an address the engine writes a file of its own at, and what that file is. */
const ENGINE_ASSETS: Readonly<Record<string, string>> = {
  'assets/site.css': 'stylesheet (made from styles/)',
  'assets/site.js': 'script (the copy buttons)',
};

/** Where Eleventy looks for data in content/ besides each page's front matter. */
const GLOBAL_DATA = '_data/';
/** The files of content/_data/ the engine reads itself, checked (Eleventy does not read YAML there). */
const SITE_DATA = new Set(['_data/site.yaml', '_data/cv.yaml']);
/** What Eleventy reads as data: JSON, and JavaScript that it runs. */
const DATA_FILE = /\.(json|js|cjs|mjs)$/i;

/**
 * Why a file of content/ (its path there) may not be there, if Eleventy would read it as no page
 * of this site is read: a template of another kind (published without the checks a Markdown page
 * gets, and run, if it is JavaScript), or data merged into the pages' data (Eleventy's global data
 * in _data/), which could replace what the layouts show, the engine's own data included; or a
 * data file beside a page or for a folder, which Eleventy is told not to read (it would merge it
 * in unchecked) and the owner is told is not read. Anything else outside content/assets/ is not
 * read at all.
 */
export function readByEleventyAlone(relative: string, contentFolder: string, exists: (relative: string) => boolean): string | undefined {
  if (/\.njk$/i.test(relative)) return 'a Nunjucks template here would be published as a page without the checks a page gets: write the page in Markdown (.md); layouts are in layouts/';
  if (/\.11ty\.(js|cjs|mjs)$/i.test(relative)) return 'JavaScript here would run at every build, and what it writes be published without the checks a page gets: write the page in Markdown (.md)';
  if (!DATA_FILE.test(relative)) return undefined;
  if (relative.startsWith(GLOBAL_DATA)) {
    return SITE_DATA.has(relative.toLowerCase()) ? undefined : `only site.yaml and cv.yaml are read from ${GLOBAL_DATA}: Eleventy would read this file too, and its values could replace the data every page shows; put them in site.yaml or cv.yaml, or move the file into assets/ to publish it as it is`;
  }
  const folder = path.posix.dirname(relative);
  const name = path.posix.basename(relative).replace(DATA_FILE, '');
  const own = /\.11tydata$/i.test(name) ? name.slice(0, -'.11tydata'.length) : DATA_FILE.exec(relative)?.[1]?.toLowerCase() === 'json' ? name : undefined;
  if (own === undefined) return undefined;
  const page = folder === '.' ? `${own}.md` : `${folder}/${own}.md`;
  // Not read (see setDataFileSuffixes in plugin.ts), where Eleventy would merge it in unchecked: the owner who wrote it is told.
  if (exists(page)) return `a data file for ${page}, which is not read (a page's data is its front matter, which is checked): put its values in that page's front matter`;
  if (own === (folder === '.' ? contentFolder : path.posix.basename(folder))) return 'a data file for the pages of its folder, which is not read (a page\'s data is its front matter, which is checked): put its values in the pages\' front matter';
  return undefined;
}

/** The owner's own "page not found" page, in place of the engine's (see plugin.ts). */
export const NOT_FOUND_PAGE = '404.md';

export async function checkMarkdownFile(text: string, file: string, layouts: ReadonlySet<string>, cache?: DiskCache, options: { notFoundPage?: boolean } = {}): Promise<Problem[]> {
  const problems: Problem[] = [];
  const lines = text.split(/\r?\n/);
  const opening = lines[0]?.trimEnd() ?? '';
  let bodyStart = 0;
  if (/^---\s*(js|javascript)\b/i.test(opening)) {
    problems.push({ file, line: 1, message: 'executable front matter (---js) is not allowed: write the front matter in YAML (---)' });
    return problems;
  }
  if (/^---\S/.test(opening)) {
    problems.push({ file, line: 1, message: `front matter in "${opening.slice(3)}" is not supported: write it in YAML (---)` });
    return problems;
  }
  if (opening === '---') {
    // Only "---" closes it for Eleventy (YAML's own "..." does not).
    const close = lines.findIndex((line, index) => index > 0 && /^---\s*$/.test(line));
    if (close === -1) {
      const dots = lines.findIndex((line, index) => index > 0 && /^\.\.\.\s*$/.test(line));
      problems.push(dots === -1 ? { file, line: 1, message: 'the front matter is not closed: add a line with --- after it' } : { file, line: dots + 1, message: 'close the front matter with ---, not ...' });
      return problems;
    }
    bodyStart = close + 1;
    try {
      const data = await checkYaml(lines.slice(1, close).join('\n'), file, 'front-matter', { lineOffset: 1, ...(cache === undefined ? {} : { cache }) });
      // GitHub Pages serves /404.html for an address it does not have.
      if (options.notFoundPage === true && data.permalink !== '/404.html') {
        const line = lines.findIndex((l) => /^permalink\s*:/.test(l)) + 1;
        problems.push({ file, line: line > 0 ? line : 1, key: 'permalink', message: 'the site\'s "page not found" page is published at /404.html, where GitHub Pages looks for it: add "permalink: /404.html" to its front matter' });
      }
      if (data.layout !== undefined && !layouts.has(data.layout)) {
        const line = lines.findIndex((l) => /^layout\s*:/.test(l)) + 1;
        const known = [...layouts].filter((name) => name.endsWith('.njk')).sort();
        const meant = closestMatch(data.layout, known) ?? known.find((name) => name === `${data.layout}.njk`);
        problems.push({ file, line, key: 'layout', message: `no layout "${data.layout}" in layouts/${meant === undefined ? '' : `; did you mean "${meant}"?`} (there are ${known.join(', ')})` });
      }
    } catch (error) {
      if (error instanceof SiteInputError) problems.push(...error.problems);
      else throw error;
    }
  } else {
    const late = lines.findIndex((line) => line.trim() !== '');
    problems.push(late > 0 && lines[late]?.trimEnd() === '---'
      ? { file, line: 1, message: `the front matter must start on the first line: remove the ${late === 1 ? 'blank line' : `${late} blank lines`} before ---` }
      : { file, line: 1, message: 'this page has no front matter: start it with ---, a title: line and --- ' });
  }
  problems.push(...await rawHtmlProblems(lines.slice(bodyStart).join('\n'), bodyStart + 1, file));
  return problems;
}

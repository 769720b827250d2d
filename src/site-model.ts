import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadBibliography } from './bibliography/load-bibliography.ts';
import { dataLeaks, entryLeaks } from './contact/address-leaks.ts';
import type { Publication } from './bibliography/types.ts';
import { buildPortrait, startPortrait, type PictureView, type PortraitCache } from './images.ts';
import { ownerMatcher, ownerNamesUnmatched } from './bibliography/owner.ts';
import { loadCv } from './cv/load-cv.ts';
import type { Cv } from './cv/schema.ts';
import { checkCvPdfGlyphs, cvPdfContent, overlongWord, printedTexts } from './cv/pdf-glyphs.ts';
import { createMarkdown, layoutIds } from './markdown.ts';
import { mayHoldHtml, yamlMarkdownProblems } from './content/raw-html.ts';
import { lastChanged, parseYearMonth, type YearMonth } from './cv/updated.ts';
import { loadSite } from './site/load-site.ts';
import type { Site } from './site/schema.ts';
import { toContactView, type ContactView } from './view/contact.ts';
import { toCvView, type CvView } from './view/cv.ts';
import { compareNewestFirst, sectionsOf, toPublicationView, type PublicationSection, type PublicationView } from './view/publication-list.ts';
import { formatWithStyle, styleFileOf, warmStyle } from './bibliography/csl.ts';
import { DiskCache, hashOfFile } from './cache.ts';
import { formatProblem, lineInFile, SiteDataError, type Problem } from './errors.ts';
import { closestMatch } from './text/closest-match.ts';
import { escapeRegExp } from './text/regexp.ts';
import { withAddressesLinked } from './text/urls.ts';

/** Everything the layouts show, computed once per build from the owner's files. */
export interface SiteModel {
  site: Site;
  cv: CvView;
  /** The CV data as validated, for exports. */
  cvData: Cv;
  /** The owner's own CV PDF (content/assets/cv.pdf), served instead of the generated one. */
  ownCvPdf?: string;
  /** The navigation, with the CV link's "updated" note. */
  nav: Array<{ label: string; url: string; note?: string }>;
  /** When the CV's inputs last changed (first of the month, UTC): the PDF's date, so builds are reproducible. */
  cvDate: Date;
  contact: ContactView;
  publications: PublicationLists;
  /** For downloads: the entries as read, newest first. */
  entries: Publication[];
  /** Everything that was read with a guess, with file, line and key. */
  warnings: Problem[];
}

export interface PublicationLists {
  total: number;
  /** Every publication, newest first. */
  all: PublicationView[];
  sections: PublicationSection[];
  /** Papers, theses and books, newest first. */
  papers: PublicationView[];
  /** Posters, talks and other presentations, newest first. */
  presentations: PublicationView[];
  /** Marked `selected = {true}`, newest first, as many as the site data allows. */
  selected: PublicationView[];
  /** Publications per keyword (lower case), for research projects. */
  byKeyword: Record<string, PublicationView[]>;
}

/** Where the owner's files are, relative to the project root, unless the plugin's options say otherwise. */
export const DEFAULT_SITE_FILE = 'content/_data/site.yaml';
export const DEFAULT_BIBLIOGRAPHY = 'publications.bib';
export const DEFAULT_CV_FILE = 'content/_data/cv.yaml';
export const DEFAULT_CONTENT_DIR = 'content';
/** A hand-made CV, relative to the content folder: when present it is served at /cv.pdf instead of the generated one. */
export const OWN_CV_PDF = 'assets/cv.pdf';

export interface SiteFiles {
  root: string;
  siteFile: string;
  cvFile: string;
  bibliography: string;
}

export interface ModelOptions {
  /**
   * Start the workers this model will likely need (compiling the CSL style) as soon as site.yaml
   * is read: for a build. While serving, formatting stays in the main thread, where citation-js
   * stays loaded from one edit to the next.
   */
  startWorkersEarly?: boolean;
}

export async function loadSiteModel(files: SiteFiles, options: ModelOptions = {}): Promise<SiteModel> {
  const cache = new DiskCache(files.root);
  const site = await loadSite(files.root, files.siteFile, cache);
  if (site.portrait !== undefined) {
    const photo = statSync(path.join(files.root, DEFAULT_CONTENT_DIR, site.portrait.src), { throwIfNoEntry: false });
    if (photo === undefined) throw portraitError(site, files, `the photo "${site.portrait.src}" is not in ${DEFAULT_CONTENT_DIR}/ (names are case-sensitive); add it or fix the name`);
    if (!photo.isFile()) throw portraitError(site, files, `"${site.portrait.src}" is a folder, not a photo: give the photo's file, e.g. assets/portrait.jpg`);
  }
  // A project's own CSL file is read by the model too: a later model must see it edited.
  const styleFile = site.publications.style === undefined ? undefined : styleFileOf(site.publications.style, files.root);
  const alsoRead = styleFile === undefined ? [] : [{ file: styleFile, stamp: fileStamp(styleFile) }];
  // The style compiles in a worker while the bibliography is read (when entries will need formatting).
  if (options.startWorkersEarly === true && site.publications.style !== undefined) await warmStyle(site.publications.style, files.root, files.bibliography, cache);
  // Encoded while the bibliography is read and formatted; the pages wait for it later.
  const forPortrait = portraitCache(files.root);
  if (site.portrait !== undefined && forPortrait !== undefined) startPortrait(path.join(files.root, DEFAULT_CONTENT_DIR, site.portrait.src), site.portrait.alt, forPortrait);
  const ownCvPdf = path.join(files.root, DEFAULT_CONTENT_DIR, OWN_CV_PDF);
  const hasOwnCv = existsSync(ownCvPdf);
  // The citations are formatted as soon as the bibliography is read, not after the CV and git.
  const read = loadBibliography(files.root, files.bibliography, { contentDir: DEFAULT_CONTENT_DIR, hiddenFields: site.publications.hide_fields, ownerNames: site.author_names, cache });
  const style = site.publications.style;
  const styleWarnings: Problem[] = [];
  const formatted = read.then(async ({ publications }) => {
    const entries = [...publications].sort(compareNewestFirst);
    return { entries, citations: style === undefined ? new Map<string, string>() : await formatWithStyle(entries, style, files.root, files.siteFile, cache, { onWarning: (warning) => styleWarnings.push(warning) }) };
  });
  formatted.catch(() => undefined); // reported below
  const [cv, bibliography, changed] = await Promise.all([
    loadCv(files.root, files.cvFile, cache).then((cv) => withCheckedSections(cv, files)),
    read,
    lastChanged(files.root, [files.cvFile, files.bibliography, ...(hasOwnCv ? [path.join(DEFAULT_CONTENT_DIR, OWN_CV_PDF)] : [])]),
  ]).catch(async (error: unknown) => {
    // Nothing the model starts may still run once its failure is reported (the build stops every worker then).
    await formatted.catch(() => undefined);
    throw error;
  });
  // The CV's free sections are shown on the bio page and on /cv/: their headings take neither's ids.
  const sectionIds = new Set(['bio.njk', 'cv.njk'].flatMap((layout) => [...layoutIds(path.join(files.root, 'layouts'), layout)]));
  const markdown = createMarkdown({ reservedIds: () => sectionIds });
  const cvView = toCvView(cv, changed, (source) => markdown.render(source));
  const { entries, citations } = await formatted;
  const unpublished = await unpublishedLeftPublished(files, site, cv, entries);
  if (unpublished.length > 0) throw new SiteDataError(unpublished);
  const publications = publicationLists(entries, site, citations);
  // The generated PDF embeds its fonts: say now, not in the PDF, when a character has none, or a word is too long to lay out.
  const printed = hasOwnCv ? undefined : printedTexts(cvPdfContent(site, cvView, publications), files, new Map(entries.map((entry) => [entry.key, entry.line])));
  const overlong = printed === undefined ? undefined : overlongWord(printed, files.root);
  if (overlong !== undefined) throw new SiteDataError([overlong]);
  const glyphs = printed === undefined ? undefined : await checkCvPdfGlyphs(files.root, printed, site.language, cache);
  const model: SiteModel = {
    site,
    cv: cvView,
    cvData: cv,
    ...(hasOwnCv ? { ownCvPdf } : {}),
    nav: site.nav.map((item) => (item.url === '/cv.pdf' && cvView.updated !== undefined ? { ...item, note: `updated ${cvView.updated}` } : item)),
    cvDate: cvDate(cv.updated === undefined ? changed : parseYearMonth(cv.updated)),
    contact: toContactView(site),
    publications,
    entries,
    warnings: [...bibliography.warnings, ...styleWarnings, ...(glyphs === undefined ? [] : [glyphs]), ...selectedLeftOut(entries, site, files), ...ownerNamesUnmatched(site.author_names, entries, files)],
  };
  filesReadBesides.set(model, alsoRead);
  return model;
}

/**
 * What the owner said is not to be published, and would be: their address where site.yaml,
 * cv.yaml or an entry would publish it as written (it is written once, as email: in site.yaml;
 * see contact/address-leaks.ts; pages are checked as they are rendered, see markdown.ts), and a
 * field of hide_fields misspelled, which hides nothing.
 */
async function unpublishedLeftPublished(files: SiteFiles, site: Site, cv: Cv, entries: readonly Publication[]): Promise<Problem[]> {
  const [siteText = '', cvText = '', bibliography = ''] = await Promise.all([files.siteFile, files.cvFile, files.bibliography].map((file) => readFile(path.join(files.root, file), 'utf8').catch(() => '')));
  // Keywords hidden with hide_fields are kept only to tie entries to research projects.
  const byKey = new Map(entries.map((entry) => [entry.key, entry.keywordsHidden === true ? { ...entry, keywords: [] } : entry]));
  return [
    ...dataLeaks(site, siteText, site.email, files.siteFile, 'in this value', new Set(['email'])),
    ...dataLeaks(cv, cvText, site.email, files.cvFile, 'in the CV (on the bio page, /cv/ and its downloads)'),
    ...entryLeaks(entries, (key) => byKey.get(key), bibliography, site.email, files.bibliography),
    ...misspelledHiddenFields(site.publications.hide_fields, bibliography, siteText, files.siteFile),
  ];
}

/**
 * A name in hide_fields that no entry has, close to one that entries have ("keyword" for
 * "keywords", "urls" for "url"): that field would be published. A name close to none is left
 * alone, for fields entries may have later.
 */
function misspelledHiddenFields(hidden: readonly string[], bibliography: string, siteText: string, file: string): Problem[] {
  // Most names are found at once; the field names of a long file are gathered only for one that is not.
  const found = (name: string): boolean => new RegExp(`^\\s*${escapeRegExp(name)}\\s*=`, 'im').test(bibliography);
  if (hidden.every(found)) return [];
  const written = new Set([...bibliography.matchAll(/^\s*([A-Za-z][\w+-]*)\s*=/gm)].map((match) => (match[1] ?? '').toLowerCase()));
  const index = siteText.split('\n').findIndex((text) => /^\s*hide_fields\s*:/.test(text));
  return hidden.flatMap((name) => {
    const meant = written.has(name.toLowerCase()) ? undefined : closestMatch(name, [...written]);
    return meant === undefined ? [] : [{ file, ...(index === -1 ? {} : { line: index + 1 }), key: 'publications.hide_fields', message: `no entry has a field "${name}", so it hides nothing, and the field "${meant}" that entries have is published: did you mean "${meant}"?` }];
  });
}

/**
 * A warning when more entries are selected than the home page shows (publications.selected_on_home,
 * 5 unless site.yaml says): those past it are left out, which the owner who did not set it is told.
 */
function selectedLeftOut(entries: readonly Publication[], site: Site, files: SiteFiles): Problem[] {
  const shown = site.publications.selected_on_home;
  const selected = entries.filter((entry) => entry.selected).length;
  if (selected <= shown || lineInFile(path.join(files.root, files.siteFile), (line) => /^\s*selected_on_home\s*:/.test(line)) !== undefined) return [];
  return [{ file: files.bibliography, message: `${selected} entries are selected (selected = {true}); the home page shows the newest ${shown}: set publications.selected_on_home in site.yaml to show more, or to say ${shown} is meant` }];
}

/** Files a model read besides those every model reads (a project's .csl style), with their stamps as read. */
const filesReadBesides = new WeakMap<SiteModel, Array<{ file: string; stamp: string }>>();

/** What a file holds now, for telling whether it changed: a hash of its bytes, or why there are none. */
function fileStamp(absolute: string): string {
  try {
    return hashOfFile(absolute);
  } catch {
    return existsSync(absolute) ? 'unreadable' : 'missing';
  }
}

interface RecentModel {
  /** The stamps of the files every model reads, when it was started. */
  stamp: string;
  model: Promise<SiteModel>;
  /** The other files it read, once it is read. */
  alsoRead?: Array<{ file: string; stamp: string }>;
}

const recentModels = new Map<string, RecentModel>();

/**
 * The site model, read again only when one of its files changed since the
 * last call in this process: the build command checks the owner's files
 * before Eleventy starts writing, and the pages then reuse that work.
 */
export async function currentSiteModel(files: SiteFiles, options: ModelOptions = {}): Promise<SiteModel> {
  const key = JSON.stringify(files);
  // A hand-made CV added, changed or removed counts too (its date is the CV's "updated").
  const stamp = [files.siteFile, files.cvFile, files.bibliography, path.join(DEFAULT_CONTENT_DIR, OWN_CV_PDF)].map((file) => fileStamp(path.join(files.root, file))).join('|');
  const cached = recentModels.get(key);
  // (A model still being read is the current one: its other files are known once it is read.)
  if (cached !== undefined && cached.stamp === stamp && (cached.alsoRead ?? []).every((read) => fileStamp(read.file) === read.stamp)) return cached.model;
  const model = loadSiteModel(files, options);
  // Warnings are printed once per change of the files, however many builds reuse the model.
  void model.then((loaded) => {
    if (loaded.entries.length === 0) console.log(`Note: ${files.bibliography} has no entries yet; the publication list is empty.`);
    for (const warning of loaded.warnings) console.warn(`Warning: ${formatProblem(warning)}`);
  }, () => undefined);
  const recent: RecentModel = { stamp, model };
  recentModels.set(key, recent);
  model.then(
    (loaded) => {
      recent.alsoRead = filesReadBesides.get(loaded) ?? [];
    },
    () => {
      if (recentModels.get(key) === recent) recentModels.delete(key);
    },
  );
  return model;
}

function cvDate(changed: YearMonth | undefined): Date {
  if (changed !== undefined) return new Date(Date.UTC(changed.year, changed.month - 1, 1));
  const epoch = Number(process.env['SOURCE_DATE_EPOCH']);
  return new Date(Number.isFinite(epoch) ? epoch * 1000 : 0);
}

function publicationLists(sorted: readonly Publication[], site: Site, citations: ReadonlyMap<string, string>): PublicationLists {
  const isOwner = ownerMatcher(site.author_names);
  const all = sorted.map((publication) => {
    const view = toPublicationView(publication, isOwner, site.publications.max_authors);
    const citation = citations.get(publication.key);
    return citation === undefined ? view : { ...view, citationHtml: withAddressesLinked(citation) };
  });
  const byKeyword: Record<string, PublicationView[]> = {};
  for (const view of all) {
    for (const keyword of view.keywords) (byKeyword[keyword.toLowerCase()] ??= []).push(view);
  }
  return {
    total: all.length,
    all,
    sections: sectionsOf(all, site.publications.group_by),
    papers: all.filter((view) => view.kind !== 'presentation'),
    presentations: all.filter((view) => view.kind === 'presentation'),
    selected: all.filter((view) => view.selected).slice(0, site.publications.selected_on_home),
    byKeyword,
  };
}

/** Where the portrait's images are made (none with the cache off: then they are made into each build). */
function portraitCache(root: string): PortraitCache | undefined {
  return process.env['ACADEMIC_HOMEPAGE_CACHE'] === 'off' ? undefined : { folder: path.join(root, '.cache', 'academic-homepage', 'img'), disk: new DiskCache(root) };
}

export async function loadPortrait(site: Site, files: SiteFiles, contentDir: string, outputDir: string): Promise<PictureView | undefined> {
  if (site.portrait === undefined) return undefined;
  try {
    return await buildPortrait(path.resolve(files.root, contentDir, site.portrait.src), site.portrait.alt, outputDir, portraitCache(files.root));
  } catch (error) {
    // A file that could not be read or written (permissions, a full disk) is said as such by the build, not as no image.
    if (typeof (error as { code?: unknown } | null)?.code === 'string' && typeof (error as { syscall?: unknown }).syscall === 'string') throw error;
    // sharp's words for a file it cannot decode ("Input buffer contains unsupported image format").
    const why = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    throw portraitError(site, files, `the photo "${site.portrait.src}" could not be read as an image (${why}): use a JPEG, PNG, WebP or AVIF file`);
  }
}

/** A problem with the portrait, at its src line in site.yaml. */
function portraitError(site: Site, files: SiteFiles, message: string): SiteDataError {
  const line = lineInFile(path.join(files.root, files.siteFile), (written) => /^\s+src\s*:/.test(written) && written.includes(site.portrait?.src ?? ''));
  return new SiteDataError([{ file: files.siteFile, ...(line === undefined ? {} : { line }), key: 'portrait.src', message }]);
}

/** The CV, once its free sections (Markdown too) are found to hold only what a page may (see raw-html.ts). */
async function withCheckedSections(cv: Cv, files: SiteFiles): Promise<Cv> {
  if (!cv.sections.some((section) => mayHoldHtml(section.markdown))) return cv;
  const text = await readFile(path.join(files.root, files.cvFile), 'utf8'); // for the lines of the problems
  const problems = await yamlMarkdownProblems(text, files.cvFile, cv.sections.map((section, index) => ({ key: `sections[${index}].markdown`, markdown: section.markdown })));
  if (problems.length > 0) throw new SiteDataError(problems);
  return cv;
}

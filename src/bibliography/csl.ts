import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { hashOf, lastModified, type DiskCache } from '../cache.ts';
import { BibliographyError, formatProblem, lineInFile, type Problem } from '../errors.ts';
import { decodeEntities } from '../text/escape.ts';
import { mayUseWorkers, prepareWorker, runInWorkers, splitEvenly, takeWaiting, workersFor, type PreparedWorker } from '../parallel.ts';
import { formatItems, type CslJob } from './csl-format.ts';
import { linkedIdentifiers } from './links.ts';
import { ANGLE_PLACEHOLDERS, withAnglesHeld } from './pasted-abstracts.ts';
import { toRichText } from './rich-text.ts';
import type { Person, Publication, PublicationKind } from './types.ts';

/**
 * Below this many entries per worker, starting workers costs more than it saves. On the 2-core
 * machine we measure on (cold builds in APA, A/B): 650 entries take as long in 2 workers as in one
 * (3.58 s against 3.49 s), 1,000 entries 5 to 10% less (5.04 s against 5.61 s, 9 runs each; the
 * main thread otherwise waits 3 s for the one worker), 5,000 entries 40% less.
 */
const ENTRIES_PER_WORKER = 500;

/** Styles that citation-js ships; any other style is a path to a .csl file in the project. */
const BUILT_IN_STYLES = new Set(['apa', 'vancouver', 'harvard1']);

const CSL_TYPE: Readonly<Record<string, string>> = {
  article: 'article-journal',
  inproceedings: 'paper-conference',
  conference: 'paper-conference',
  incollection: 'chapter',
  inbook: 'chapter',
  book: 'book',
  proceedings: 'book',
  phdthesis: 'thesis',
  mastersthesis: 'thesis',
  thesis: 'thesis',
  techreport: 'report',
  report: 'report',
  unpublished: 'manuscript',
  online: 'webpage',
  electronic: 'webpage',
  www: 'webpage',
  inreference: 'entry-encyclopedia',
  software: 'software',
  dataset: 'dataset',
  patent: 'patent',
  review: 'article-journal',
  suppperiodical: 'article-journal',
  mvbook: 'book',
  collection: 'book',
  mvcollection: 'book',
  mvproceedings: 'book',
  reference: 'book',
  mvreference: 'book',
  periodical: 'periodical',
  bookinbook: 'chapter',
  suppbook: 'chapter',
  suppcollection: 'chapter',
  standard: 'standard',
  performance: 'performance',
  // A letter is no personal communication, which APA leaves out of a reference list.
  letter: 'document',
  artwork: 'graphic',
  image: 'graphic',
  audio: 'song',
  music: 'song',
  video: 'motion_picture',
  movie: 'motion_picture',
  jurisdiction: 'legal_case',
  legislation: 'legislation',
};

/** The types whose BibTeX `number` is an issue; any other's is its own (a report's, a patent's). */
const NUMBERED_BY_ISSUE = new Set(['article-journal', 'article-magazine', 'article-newspaper', 'paper-conference', 'chapter', 'book', 'periodical']);

const KIND_FALLBACK: Readonly<Record<PublicationKind, string>> = {
  article: 'article-journal',
  conference: 'paper-conference',
  chapter: 'chapter',
  book: 'book',
  thesis: 'thesis',
  report: 'report',
  preprint: 'article',
  presentation: 'speech',
  other: 'document',
};

export type CslItem = Record<string, unknown> & { id: string; type: string };

/**
 * The CSL type: by the entry's type, but a talk is a speech whatever it was written as (an
 * @unpublished is a manuscript otherwise), and a newspaper's or magazine's article (biblatex's
 * entrysubtype) is theirs, cited with its day.
 */
function cslType(publication: Publication): string {
  if (publication.kind === 'presentation') return 'speech';
  if (publication.entryType === 'article' && (publication.periodical === 'newspaper' || publication.periodical === 'magazine')) return `article-${publication.periodical}`;
  // A conference paper exported as a chapter (see read-bibtex.ts) is cited as one.
  if (publication.kind === 'conference') return 'paper-conference';
  return CSL_TYPE[publication.entryType] ?? KIND_FALLBACK[publication.kind];
}

/**
 * A title without the period some exports end it with ("... for Platooning."), which a style's own
 * punctuation would follow ("Platooning. [PhD thesis]."); one that ends an abbreviation ("etc.",
 * "U.S.") stays.
 */
function withoutClosingPeriod(title: string): string {
  return /\p{Ll}{4,}\.$/u.test(title) ? title.slice(0, -1) : title;
}

/** The publication as CSL-JSON, built from our own reading of the entry (not citation-js's). */
export function toCslItem(publication: Publication): CslItem {
  const item: CslItem = {
    id: publication.key,
    'citation-key': publication.key,
    type: cslType(publication),
    title: withoutClosingPeriod(publication.title.text),
  };
  // A collaboration's paper without names (a CONF note) is by the collaboration. Beside names it
  // is left out: CSL has no "et al. (ATLAS Collaboration)", and "Aad, G., & ATLAS Collaboration"
  // would read as two authors.
  if (publication.authors.length > 0) item['author'] = publication.authors.map(toCslName);
  else if (publication.collaboration !== undefined) item['author'] = [{ literal: publication.collaboration }];
  // A film's director or a compilation's compiler, as CSL names them (APA: "(Director)").
  if (publication.editors.length > 0) item[publication.editorType ?? 'editor'] = publication.editors.map(toCslName);
  if (publication.translators !== undefined) item['translator'] = publication.translators.map(toCslName);
  if (publication.year !== undefined) {
    item['issued'] = { 'date-parts': [[publication.year, publication.month, publication.day].filter((part) => part !== undefined)] };
  } else if (publication.forthcoming) {
    item['status'] = 'forthcoming';
  }
  // A volume of a multivolume work: the work is the title, the volume's own title its volume-title
  // (APA: "Histoire des femmes en France: Vol. 2. Le XIXe siècle").
  if (publication.kind === 'book' && publication.mainTitle !== undefined) {
    item['volume-title'] = item.title;
    item.title = publication.mainTitle;
  }
  // APA: "(Original work published 1867)".
  if (publication.originalYear !== undefined) item['original-date'] = { 'date-parts': [[publication.originalYear]] };
  // A talk named by a note (Chicago's "Paper presented at the SSHA annual meeting, Chicago"): its event.
  const presentedAt = publication.kind === 'presentation' ? /\bpresented at (?:the )?(.+?)\.?$/i.exec(publication.note?.text ?? '')?.[1] : undefined;
  const venue = publication.venue?.text ?? presentedAt;
  if (publication.kind === 'thesis') {
    // The school alone: the venue line ("PhD thesis, School") would repeat the genre the style shows.
    if (publication.school !== undefined) item['publisher'] = publication.school;
    if (publication.genre !== undefined) item['genre'] = publication.genre;
  } else if (venue !== undefined && (publication.venueIsPublisher === true || publication.kind === 'report')) {
    // A repository (Zenodo, medRxiv) or a report's institution publishes it: it is no container.
    item['publisher'] = venue;
    if (publication.genre !== undefined) item['genre'] = publication.genre;
  } else if (venue !== undefined && /^https?:\/\/\S+$/.test(venue)) {
    // An address is where it is.
    item['URL'] ??= venue;
  } else if (venue !== undefined && publication.venueIsDescription === true) {
    // Any other description, what it is ("[SOEP panel data, v37]").
    item['genre'] = venue;
  } else if (venue !== undefined) {
    item[publication.kind === 'presentation' ? 'event-title' : 'container-title'] = venue;
    // What kind of talk ("Conference presentation", "Keynote"), as its type says.
    if (publication.kind === 'presentation' && publication.genre !== undefined) item['genre'] = publication.genre;
  }
  const copy: Array<[keyof Publication, string]> = [
    ['volume', 'volume'], ['issue', NUMBERED_BY_ISSUE.has(item.type) ? 'issue' : 'number'], ['pages', 'page'], ['place', 'publisher-place'], ['eventPlace', 'event-place'],
    ['edition', 'edition'], ['version', 'version'], ['language', 'language'], ['series', 'collection-title'], ['seriesNumber', 'collection-number'], ['doi', 'DOI'], ['url', 'URL'],
  ];
  for (const [from, to] of copy) {
    const value = publication[from];
    if (typeof value === 'string') item[to] = value;
  }
  if (publication.publisher !== undefined && item['publisher'] === undefined) item['publisher'] = publication.publisher;
  if (publication.isbn !== undefined) item['ISBN'] = publication.isbn.join(' ');
  if (publication.issn !== undefined) item['ISSN'] = publication.issn.join(' ');
  // CSL's number of an article is its article number (APA: "21(4), Article 1136").
  if (publication.articleNumber !== undefined) item['number'] = publication.articleNumber;
  if (publication.pageCount !== undefined) item['number-of-pages'] = publication.pageCount;
  const identifiers = linkedIdentifiers(publication.links);
  const arxiv = identifiers.find((identifier) => identifier.name === 'arXiv');
  citeArxivPreprint(publication, item, arxiv?.value);
  for (const { name, value } of identifiers) if (name !== 'arXiv') item[name] = value;
  // A work found only on arXiv, by that address: a preprint (APA 7: "Title (arXiv:2103.00001). arXiv.
  // https://arxiv.org/abs/2103.00001"), or a conference paper with its preprint's address.
  if (item['DOI'] === undefined && item['URL'] === undefined && arxiv !== undefined) item['URL'] = arxiv.href;
  if (publication.abstract !== undefined) item['abstract'] = publication.abstract.text;
  if (publication.keywords.length > 0 && publication.keywordsHidden !== true) item['keyword'] = publication.keywords.join(', ');
  return item;
}

/**
 * A preprint on arXiv as CSL describes one (an `article` with its repository as publisher and its
 * identifier as number), so that APA gives "Title (arXiv:2403.11043). arXiv." rather than a journal
 * named "arXiv preprint arXiv:2403.11043" or "CoRR", or, for a @misc, nothing of arXiv at all.
 * `id` is the identifier its arXiv link gives, if it has one.
 */
function citeArxivPreprint(publication: Publication, item: CslItem, id: string | undefined): void {
  if (publication.kind !== 'preprint') return;
  if (id === undefined) {
    // Another preprint server named as a journal (bioRxiv, SSRN) publishes the preprint: it is no journal.
    if (item.type === 'article-journal') {
      item.type = 'article';
      if (typeof item['container-title'] === 'string' && item['publisher'] === undefined) item['publisher'] = item['container-title'];
      delete item['container-title'];
    }
    return;
  }
  item.type = 'article';
  item['number'] = `arXiv:${id}`;
  item['publisher'] = 'arXiv';
  const container = item['container-title'];
  if (typeof container === 'string' && /^(?:corr|arxiv)\b/i.test(container.trim())) {
    delete item['container-title'];
    delete item['volume'];
  }
}

/**
 * Initials written together in capitals, as Google Scholar and PubMed-style exports give them
 * ("Peters, AA", "Hertz, DL", "VJS Pranavasri", "Taylor, Jeremy MG", "Shih, Natalie NC."), as
 * separate initials ("A. A."), so that a style that initializes names keeps them all; CSL would
 * read "MG" as one given name and keep "M.". Two or three capitals are initials; four or five
 * ("SVSLN Surya Suhas") only beside a name written in lower case, as "JOHN PAUL" is a name. Only
 * beside a family name in lower case: in "SMITH, ANN" the whole name is in capitals.
 */
function spacedInitials(given: string): string {
  const words = given.split(/(\s+)/);
  const besideName = words.some((word) => /\p{Ll}/u.test(word));
  return words.map((word) => {
    const letters = /^(\p{Lu}{2,5})\.?$/u.exec(word)?.[1];
    if (letters === undefined || (letters.length > 3 && !besideName)) return word;
    return [...letters].map((letter) => `${letter}.`).join(' ');
  }).join('');
}

function toCslName(person: Person): Record<string, string> {
  if (person.literal !== undefined) return { literal: person.literal };
  const name: Record<string, string> = {};
  if (person.family !== undefined) name['family'] = person.family;
  if (person.given !== undefined) name['given'] = /\p{Ll}/u.test(person.family ?? '') ? spacedInitials(person.given) : person.given;
  if (person.prefix !== undefined) name['non-dropping-particle'] = person.prefix;
  if (person.suffix !== undefined) name['suffix'] = person.suffix;
  return name;
}

export interface FormatTuning {
  /** Fewest entries to format per worker thread (tests lower it to exercise the workers). */
  entriesPerWorker?: number;
  /** Told which entries are formatted (the rest came from the cache). */
  onFormat?: (keys: readonly string[]) => void;
  /** Told what the style's check noticed (an unavailable locale), to be reported with the build's warnings; printed when not given. */
  onWarning?: (warning: Problem) => void;
}

interface ResolvedStyle {
  /** The style's name, or a hash of its XML: part of every cache key. */
  id: string;
  /** As the formatting expects it, without the items. */
  job: Omit<CslJob, 'items'>;
  /** What the style file's check noticed (an unavailable locale). */
  warnings?: Problem[];
}

/** The project's .csl file a style names (absolute), or undefined for a style citation-js ships. */
export function styleFileOf(style: string, projectRoot: string): string | undefined {
  return BUILT_IN_STYLES.has(style) ? undefined : path.resolve(projectRoot, style);
}

/** The style named in site.yaml: built in, or the XML of a project file (a clear error if there is none). */
async function resolveStyle(style: string, projectRoot: string, configFile: string): Promise<ResolvedStyle> {
  const file = styleFileOf(style, projectRoot);
  if (file === undefined) return { id: style, job: { template: style } };
  let xml: string;
  const line = (): number | undefined => lineInFile(path.resolve(projectRoot, configFile), (written) => /^\s+style\s*:/.test(written));
  try {
    xml = await readFile(file, 'utf8');
  } catch {
    const at = line();
    throw new BibliographyError([
      { file: configFile, ...(at === undefined ? {} : { line: at }), key: 'publications.style', message: `the CSL style "${style}" is neither a built-in style (${[...BUILT_IN_STYLES].join(', ')}) nor a readable .csl file` },
    ]);
  }
  // Checked before citeproc reads it, which would fail deep inside or say nothing (see csl-style-check.ts);
  // its XML parser is loaded only for a style of the project's own.
  const { checkStyle, offlineLocales } = await import('./csl-style-check.ts');
  const at = line();
  const named = configFile === '' ? {} : { namedAt: { file: configFile, ...(at === undefined ? {} : { line: at }) } };
  const checked = checkStyle(xml, { file: path.relative(projectRoot, file).split(path.sep).join('/'), ...named, builtInStyles: [...BUILT_IN_STYLES], locales: offlineLocales() });
  if (checked.errors.length > 0) throw new BibliographyError(checked.errors);
  const id = hashOf(xml);
  return { id, job: { template: `custom-${id.slice(0, 12)}`, xml, locale: checked.locale }, warnings: checked.warnings };
}

const FORMAT_MODULE = new URL('./csl-format.ts', import.meta.url);

/** Workers compiling a style before the entries are read, by style id, for formatWithStyle to take. */
const warming = new Map<string, PreparedWorker<CslJob, string[]>>();

/**
 * Starts compiling the style in a worker thread while the bibliography is still being read, when
 * this build is likely to format entries: no citations are kept for the style yet, or they were kept
 * before the bibliography last changed. Starting the thread, loading citation-js and compiling APA
 * (without its sort keys) take about 0.2 s, which then neither wait for the parse nor, on a small
 * site, hold up the pages. When every entry turns out to be cached, formatWithStyle stops the
 * worker unused. A build that is sure to find its citations in the cache starts nothing.
 */
export async function warmStyle(style: string, projectRoot: string, bibliography: string, cache: DiskCache): Promise<void> {
  if (!mayUseWorkers()) return;
  let resolved: ResolvedStyle;
  try {
    resolved = await resolveStyle(style, projectRoot, '');
  } catch {
    return; // formatWithStyle reports it
  }
  if (warming.get(resolved.id)?.waiting() === true) return;
  const keptAt = cache.keptAt('citations', hashOf('citations', resolved.id), style);
  if (keptAt !== undefined && keptAt >= lastModified(path.resolve(projectRoot, bibliography))) return;
  warming.set(resolved.id, prepareWorker<CslJob, string[]>(FORMAT_MODULE, resolved.job));
}

/**
 * Formats every publication in a CSL style and returns safe HTML per key.
 * Each entry is formatted on its own (its citation must not depend on the
 * others) and cached by its CSL data and the style; citation-js and the
 * style compiler are loaded only when some entry is not in the cache. A
 * style's citations are kept in one cache file, read and written once: one
 * file per entry took 0.17 s to read for 5,000 entries.
 */
export async function formatWithStyle(
  publications: readonly Publication[],
  style: string,
  projectRoot: string,
  configFile: string,
  cache?: DiskCache,
  tuning: FormatTuning = {},
): Promise<Map<string, string>> {
  const resolved = await resolveStyle(style, projectRoot, configFile);
  // Once per model, as the model's own warnings are (which --strict makes errors).
  for (const warning of resolved.warnings ?? []) (tuning.onWarning ?? ((problem: Problem) => console.warn(`Warning: ${formatProblem(problem)}`)))(warning);
  const warm = takeWaiting(warming, resolved.id);
  const packKey = hashOf('citations', resolved.id);
  // One file per style as named (the latest version of a project's .csl file), not per version of it.
  const pack = (await cache?.get<Record<string, string>>('citations', packKey, style)) ?? {};
  const result = new Map<string, string>();
  const kept: Record<string, string> = {};
  const missing: Array<{ publication: Publication; item: CslItem; key: string }> = [];
  for (const publication of publications) {
    const item = toCslItem(publication);
    const key = hashOf(JSON.stringify(item));
    const cached = pack[key];
    if (cached === undefined) {
      missing.push({ publication, item, key });
    } else {
      result.set(publication.key, cached);
      kept[key] = cached;
    }
  }
  tuning.onFormat?.(missing.map((entry) => entry.publication.key));
  if (missing.length === 0) {
    warm?.stop();
  } else {
    // Formatting is per entry and slow (a few ms each): a long list is shared among worker threads,
    // the first share going to the worker that has already compiled the style, if there is one.
    const items = missing.map((entry) => withAnglesHidden(entry.item));
    const workers = workersFor(items.length, tuning.entriesPerWorker ?? ENTRIES_PER_WORKER);
    const jobs = (workers === 0 ? [items] : splitEvenly(items, workers)).map((part): CslJob => ({ ...resolved.job, items: part }));
    const shares = jobs.map((job, index) => {
      if (index === 0 && warm !== undefined) return warm.run(job);
      if (workers === 0) return formatItems(job);
      return runInWorkers<CslJob, string[]>(FORMAT_MODULE, [job]).then((parts) => parts.flat());
    });
    const formatted = (await Promise.all(shares)).flat();
    for (const [index, { publication, key }] of missing.entries()) {
      const html = citationHtml(formatted[index] ?? '');
      result.set(publication.key, html);
      kept[key] = html;
    }
  }
  // Citations of entries since edited or removed are left out.
  if (missing.length > 0 || Object.keys(pack).length !== Object.keys(kept).length) await cache?.set('citations', packKey, kept, style);
  return result;
}

/**
 * The item with every "<" and ">" of its text as ANGLE_PLACEHOLDERS. citeproc reads `<i>`, `<b>`,
 * `<sc>` and `<span class="nocase">` in a field as its own markup, and its output is read as HTML
 * (see citationHtml): a title whose text says "<i>" or "<b>" (an entity or a \textless in the
 * entry) italicised or emboldened the rest of its citation, and "<a href=...>" became a link.
 */
function withAnglesHidden(item: CslItem): CslItem {
  const hide = (value: unknown): unknown => {
    if (typeof value === 'string') return withAnglesHeld(value);
    if (Array.isArray(value)) return value.map(hide);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, part]) => [name, hide(part)]));
    return value;
  };
  return hide(item) as CslItem;
}

/** citeproc's escapes of "<" and ">" (it writes `&#60;`), and their other spellings. */
const ESCAPED_LT = /&(?:lt|#0*60|#x0*3c);/gi;
const ESCAPED_GT = /&(?:gt|#0*62|#x0*3e);/gi;

/**
 * citeproc's HTML for an entry as safe HTML. Its tags are its own, as no "<" or ">" of the
 * entry reaches it as itself (see withAnglesHidden); the "<" and ">" it escapes (a style's own
 * prefix, "<https://...>") stay text, as placeholders, while its other entities are decoded for
 * toRichText, which escapes text itself.
 */
function citationHtml(formatted: string): string {
  const angles = formatted.replace(ESCAPED_LT, ANGLE_PLACEHOLDERS.lt).replace(ESCAPED_GT, ANGLE_PLACEHOLDERS.gt);
  return toRichText(decodeEntities(angles)).html.replaceAll(ANGLE_PLACEHOLDERS.lt, '&lt;').replaceAll(ANGLE_PLACEHOLDERS.gt, '&gt;');
}

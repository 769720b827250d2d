import type { Creator, Entry } from '@retorquere/bibtex-parser';
import type { DiskCache } from '../cache.ts';
import type { Problem } from '../errors.ts';
import { escapeXml } from '../text/escape.ts';
import { formatEntrySource, splitEntrySource, type SourceEntry, type SourceField } from './bibtex-source.ts';
import { withChemistry } from './chemistry.ts';
import { parseEntryDate, unreadDate } from './dates.ts';
import { buildLinks, cleanDoi, identifierFieldOfEprint, isDoi, LINK_FIELD_NAMES, resolvePreview, type AssetFolders } from './links.ts';
import { displayName, toPeople } from './names.ts';
import { ownerMatcher } from './owner.ts';
import type { MathRender } from './math.ts';
import { extractComplexMath, restoreMath } from './math-in-fields.ts';
import { ANGLE_PLACEHOLDERS, asPasted } from './pasted-abstracts.ts';
import { ARXIV_DOI, ARXIV_EPRINT, ARXIV_NUMBER, arxivIdInAddress, arxivIdInCorrVolume, arxivIdInJournal, isPreprintArticle } from './preprints.ts';
import { entityDecoder, withEntitiesDecoded, withoutHtmlTags, type EntityDecoder } from './html-in-fields.ts';
import { HTML_FILLER, normaliseText, toRichText, type RichText } from './rich-text.ts';
import { lineBreaks, NON_ENTRY_TYPES, scanEntryStarts, type EntryStart } from './scan-entries.ts';
import { parserMode } from './simple-fields.ts';
import { bibtexParser, crossrefRules, isUndefinedMacro, MONTH_MACROS, NON_STANDARD_MONTHS, parserOptions, parseText, parseWithCache, type BibtexParser, type ParsedLibrary, type ParseTuning } from './parse-entries.ts';
import { inheritedFieldPairs, isEmpty, type CrossrefRules } from './simple-entries.ts';
import { assignSlugs } from './slug.ts';
import { isbnsIn, issnsIn } from './standard-numbers.ts';
import { withUnits } from './units.ts';
import type { Publication, PublicationKind } from './types.ts';

export interface ReadOptions {
  /** The file name used in messages, e.g. publications.bib. */
  file: string;
  /** Where relative file names in `pdf`, `slides`, `poster`... are looked for. */
  assets?: AssetFolders;
  /** Fields left out of the BibTeX shown to visitors, besides al-folio's display fields and `file`. */
  hiddenFields?: readonly string[];
  /**
   * How the owner's name is written (site.yaml's author_names): an entry that is another's crossref
   * parent is listed only when they wrote or edited it (see listedEntries). Without them, every
   * entry is listed.
   */
  ownerNames?: readonly string[];
}

export interface ReadResult {
  publications: Publication[];
  errors: Problem[];
  warnings: Problem[];
}

/** The title of a conference's proceedings: "Proceedings of the 18th International Conference on ...", "... Workshop on ...". */
const CONFERENCE_BOOK = /\b(?:proceedings|conferences?|symposi(?:um|a)|workshops?)\b/i;

const KIND_BY_TYPE: Readonly<Record<string, PublicationKind>> = {
  article: 'article',
  inproceedings: 'conference',
  conference: 'conference',
  proceedings: 'book',
  book: 'book',
  mvbook: 'book',
  collection: 'book',
  booklet: 'book',
  incollection: 'chapter',
  inbook: 'chapter',
  phdthesis: 'thesis',
  mastersthesis: 'thesis',
  thesis: 'thesis',
  techreport: 'report',
  report: 'report',
  manual: 'report',
  online: 'other',
  electronic: 'other',
  www: 'other',
  inreference: 'chapter',
  software: 'other',
  dataset: 'other',
  patent: 'other',
  unpublished: 'other',
  // biblatex's other types, as Better BibLaTeX and Citavi write them.
  review: 'article',
  suppperiodical: 'article',
  mvcollection: 'book',
  mvproceedings: 'book',
  mvreference: 'book',
  reference: 'book',
  periodical: 'book',
  bookinbook: 'chapter',
  suppbook: 'chapter',
  suppcollection: 'chapter',
  standard: 'report',
  performance: 'presentation',
  letter: 'other',
  artwork: 'other',
  image: 'other',
  audio: 'other',
  music: 'other',
  video: 'other',
  movie: 'other',
  jurisdiction: 'other',
  legislation: 'other',
  legal: 'other',
};

/** A @misc is a talk or poster when its description says so, a preprint when it is on arXiv and the like. */
function miscKind(describe: string): PublicationKind {
  // A preprint first: one is often "presented at" a workshop too.
  if (/\b(arxiv|preprint|biorxiv|medrxiv|ssrn|hal)\b/i.test(describe)) return 'preprint';
  // "Panel data", a "panel study" and "lecture notes" are no talks; "paper presented at" (Chicago's note) and a "Vortrag" are.
  if (/\b(poster|talk|presentation|presented at|keynote|seminar|tutorial|doctoral workshop|colloquium|lecture(?! notes)|panel(?! data| study)|vortrag)\b/i.test(describe)) return 'presentation';
  return 'other';
}

/** A chapter's number: "3", "4.2", "IV", "xii", "A". */
const CHAPTER_NUMBER = /^(?:\d+(?:\.\d+)*|[IVXLCDM]+|[ivxlcdm]+|[A-Z])$/;
/** The words for a part of a book a number follows: "Chapter 3", "chap. 5", "Part II", "Appendix A", "Kapitel 3". */
const PART_WORDS = new Set(['chapter', 'chap', 'ch', 'part', 'pt', 'section', 'sect', 'sec', 'appendix', 'app', 'book', 'volume', 'vol', 'kapitel', 'teil', 'abschnitt', 'anhang', 'chapitre', 'partie', 'annexe', 'capitolo', 'parte', 'capítulo', 'hoofdstuk', 'deel']);

/** Whether a `chapter` is a number (with or without its word) rather than a title ("Industry 4.0", "Louis XIV" are titles). */
function isChapterNumber(chapter: string): boolean {
  const value = chapter.trim();
  if (CHAPTER_NUMBER.test(value)) return true;
  const worded = /^(\p{L}+)\.?\s*(\S+)$/u.exec(value);
  return worded !== null && PART_WORDS.has((worded[1] ?? '').toLowerCase()) && CHAPTER_NUMBER.test(worded[2] ?? '');
}

/** al-folio's display-only fields and private ones: never in the BibTeX shown to visitors. */
const DISPLAY_FIELDS = [
  'abbr', 'selected', 'bibtex_show', 'preview', 'award', 'award_name', 'annotation', 'additional_info', 'google_scholar_id',
  'altmetric', 'dimensions', 'inspirehep_id', 'pdf', 'supp', 'html', 'code', 'slides', 'poster', 'video', 'website', 'blog', 'hal',
  'file', 'owner', 'timestamp', 'biburl', 'bibsource', 'urldate', 'annotations', 'author+an',
  // Papers, ReadCube and BibDesk: where the owner keeps the file, when it was added, how they rated it.
  'local-url', 'date-added', 'date-modified', 'rating', 'read',
  // The owner's own notes and filing: BibTeX's annote (Zotero writes its notes there), JabRef's
  // comment, groups, ranking, read status and flags, Mendeley's tags and folders.
  'annote', 'comment', 'groups', 'ranking', 'readstatus', 'priority', 'printed', 'qualityassured', 'relevance', 'mendeley-tags', 'mendeley-groups',
];
/** BibDesk's own fields (bdsk-file-1 holds a file alias, bdsk-url-1 an address) and JabRef's comments of each user (comment-alice). */
const PRIVATE_FIELD_PATTERN = /^(?:bdsk-|comment-)/;

/** A number of pages: "25", "1,024", or with the front matter's count in Roman numerals ("xii + 350", "xii, 350"). */
const PAGE_COUNT = /^(?:[ivxlcdm]+\s*[+,]\s*)?\d{1,3}(?:,?\d{3})*$/i;

/**
 * Reads BibTeX as researchers export it: LaTeX to Unicode, protected
 * capitals kept, names with particles and suffixes, @string macros,
 * crossref, biblatex dates, al-folio's fields. This module and
 * parse-entries.ts (which runs the parser, loading it only when an entry
 * needs it) are the only ones that use the BibTeX parser, so its quirks
 * stay here.
 */
export async function readBibtex(input: string, options: ReadOptions): Promise<ReadResult> {
  const prepared = prepareBibtex(input, options.file, await entityDecoder(input));
  return finish(prepared, await parseText(prepared.prepared), options);
}

/**
 * The same as readBibtex, with each entry's parse kept in the cache: only entries that changed
 * are parsed again, in worker threads when there are many (see parse-entries.ts).
 */
export async function readBibtexCached(input: string, options: ReadOptions, cache: DiskCache, tuning?: ParseTuning): Promise<ReadResult> {
  const prepared = prepareBibtex(input, options.file, await entityDecoder(input));
  const parsed = prepared.errors.length > 0 ? await parseText(prepared.prepared) : await parseWithCache(prepared.prepared, options.file, cache, tuning);
  return finish(prepared, parsed, options);
}

/**
 * finishBibtex, with the parser at hand when the parse found errors (a "$" entry is parsed again),
 * and its crossref rules when an entry inherited fields (to write them into its BibTeX).
 */
async function finish(prepared: PreparedBibtex, parsed: ParsedLibrary, options: ReadOptions): Promise<ReadResult> {
  const parser = parsed.errors.length > 0 ? await bibtexParser() : undefined;
  const rules = parsed.entries.some((entry) => (entry.crossref?.inherited.length ?? 0) > 0) ? await crossrefRules() : undefined;
  return finishBibtex(prepared, parsed, options, parser, rules);
}

interface PreparedBibtex {
  text: string;
  starts: EntryStart[];
  /** The text given to the parser: HTML tags, "%" and complex math taken care of. */
  prepared: string;
  /** Each entry of `text` split into its fields, by its start's index, when the split for the parser was of the same text (no HTML tags). */
  split?: ReadonlyArray<SourceEntry | undefined>;
  math: MathRender[];
  errors: Problem[];
  warnings: Problem[];
}

function prepareBibtex(input: string, file: string, decodeEntity: EntityDecoder | undefined): PreparedBibtex {
  const { text, warnings } = readableText(input, file);
  const starts = scanEntryStarts(text);
  const errors = [...duplicateKeys(starts, file), ...missingKeys(starts, file), ...spacedKeys(text, starts, file), ...notBibtex(text, starts, file)];
  const math: MathRender[] = [];
  const stripped = withoutHtmlTags(text);
  const split: Array<SourceEntry | undefined> = [];
  const modes = new Map<string, ReturnType<typeof parserMode>>();
  const prepared = rewriteFieldValues(stripped, starts, (value, name) => {
    let mode = modes.get(name);
    if (mode === undefined) modes.set(name, (mode = parserMode(name)));
    // The parser reads some fields as written (keywords): no TeX to escape for it there.
    const verbatim = mode === 'verbatim';
    const decoded = decodeEntity === undefined ? value : withEntitiesDecoded(value, verbatim, decodeEntity);
    if (verbatim) return decoded;
    const escaped = withUnits(withChemistry(withControlSpaces(withTies(escapePercentSigns(decoded)))));
    // Math in a list of names is an author's mark ($^{1,2}$, $^\dagger$), the parser's to read: names hold no MathML.
    return mode === 'creatorlist' ? escaped : withAngleCommands(extractComplexMath(escaped, math));
  }, split);
  warnings.push(...strayText(text, starts, stripped === text ? split : undefined, file));
  return { text, starts, prepared, math, errors, warnings, ...(stripped === text ? { split } : {}) };
}

/**
 * A file's text as the engine reads it, before the parser or the engine's own reading: no byte
 * order mark, lines ended as an editor shows them (a carriage return alone, as classic Mac OS
 * saved files, ends one), front matter, JabRef's settings and control characters blanked.
 */
export function readableText(input: string, file: string): { text: string; warnings: Problem[] } {
  return withoutControlCharacters(withoutJabRefMeta(blankFrontMatter(input.replace(/^\uFEFF/, '').replace(/\r(?!\n)/g, '\n'))), file);
}

/**
 * The text with JabRef's own settings (`@Comment{jabref-meta: ...}`: its groups, its file folder)
 * blanked, newlines kept: the site uses none of them, and the parser, which reads them, stops with
 * a TypeError on groups it does not expect.
 */
function withoutJabRefMeta(text: string): string {
  if (!/jabref-meta/i.test(text)) return text;
  const starts = scanEntryStarts(text, { directives: true });
  let blanked = text;
  starts.forEach((start, index) => {
    if (start.entryType !== 'comment' || !/^@\s*comment\s*[{(]\s*jabref-meta/i.test(text.slice(start.offset, start.offset + 60))) return;
    const { end } = directiveEnd(text, start, starts[index + 1]?.offset ?? text.length);
    if (end === undefined) return;
    blanked = blanked.slice(0, start.offset) + text.slice(start.offset, start.offset + end).replace(/[^\n]/g, ' ') + blanked.slice(start.offset + end);
  });
  return blanked;
}

/** Control characters (a NUL, a bell, a terminal's escape), which a copy and paste can bring in. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * The text with each control character a space, which HTML cannot hold and no one meant to
 * publish, with a warning at the first one's line.
 */
function withoutControlCharacters(text: string, file: string): { text: string; warnings: Problem[] } {
  CONTROL_CHARACTERS.lastIndex = 0;
  const first = CONTROL_CHARACTERS.exec(text);
  if (first === null) return { text, warnings: [] };
  const code = `U+${(first[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  const line = 1 + lineBreaks(text, 0, first.index);
  return { text: text.replace(CONTROL_CHARACTERS, ' '), warnings: [{ file, line, message: `a control character (${code}${text.match(CONTROL_CHARACTERS)?.length === 1 ? '' : ', and others after it'}) is read as a space; it is invisible, and often comes from a copy and paste` }] };
}

/** The words of entry types, for text between entries that looks like an entry without its "@". */
const ENTRY_TYPE_WORDS = new Set([...Object.keys(KIND_BY_TYPE), 'misc', 'online', 'electronic', 'www', 'unpublished']);

/**
 * Text between entries is a comment to BibTeX, which the parser skips. Where it reads as the
 * fields of the entry above (an extra "}" closed it early) or as an entry without its "@", what
 * the owner wrote may be lost without a word: a warning, at the line to mend. (Some switch an
 * entry off so on purpose: the warning says how to say so, and an entry whose "@" line is a
 * comment is taken as switched off.)
 */
function strayText(text: string, starts: readonly EntryStart[], split: ReadonlyArray<SourceEntry | undefined> | undefined, file: string): Problem[] {
  const problems: Problem[] = [];
  const lineAt = (offset: number, from: EntryStart | undefined): number => (from?.line ?? 1) + lineBreaks(text, from?.offset ?? 0, offset);
  const lookAt = (from: number, to: number, after: EntryStart | undefined): void => {
    const gap = text.slice(from, to);
    if (!/[={(]/.test(gap) || /^\s*%\s*@\s*[A-Za-z]+\s*[{(]/.test(gap)) return;
    const uncommented = gap.replace(/^[ \t]*%.*$/gm, (comment) => ' '.repeat(comment.length));
    const field = after === undefined ? null : /^\s*,?\s*([A-Za-z][\w:.-]*)\s*=\s*\S/.exec(uncommented);
    if (field !== null && after !== undefined) {
      problems.push({ file, line: lineAt(from - 1, after), key: after.key, message: `this "}" ends the entry before its field ${field[1]} and those after it, which BibTeX then skips: remove the extra "}"` });
    }
    const entry = /^[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^\s,{}()"=#%]+)[ \t]*,/m.exec(uncommented);
    if (entry !== null && ENTRY_TYPE_WORDS.has((entry[1] ?? '').toLowerCase())) {
      problems.push({ file, line: lineAt(from + entry.index + (entry[0].length - entry[0].trimStart().length), after), key: entry[2] ?? '', message: `this looks like an entry without its "@", which BibTeX skips: write @${entry[1] ?? ''}{${entry[2] ?? ''}, to list it, or put it in @comment{...} to say it is left out` });
    }
  };
  // Between entries, and @string, @preamble and @comment blocks, whose text is theirs.
  const all = /@\s*(?:string|preamble|comment)\s*[{(]/i.test(text) ? scanEntryStarts(text, { directives: true }) : starts;
  const ends = new Map(starts.map((start, index) => [start.offset, split?.[index]?.end]));
  lookAt(0, all[0]?.offset ?? text.length, undefined);
  all.forEach((start, index) => {
    const next = all[index + 1]?.offset ?? text.length;
    const directive = NON_ENTRY_TYPES.has(start.entryType);
    const end = directive ? directiveEnd(text, start, next).end : split === undefined ? splitEntrySource(text.slice(start.offset, next))?.end : ends.get(start.offset);
    // Text after a directive is no entry's: its fields would be no one's.
    if (end !== undefined) lookAt(start.offset + end, next, directive ? undefined : start);
  });
  return problems;
}

function finishBibtex({ text, starts, math, errors: found, warnings: noticed, split }: PreparedBibtex, parsed: ParsedLibrary, options: ReadOptions, parser: BibtexParser | undefined, rules: CrossrefRules | undefined): ReadResult {
  const { file } = options;
  const errors: Problem[] = [...found];
  const warnings: Problem[] = [...noticed];
  const startByKey = new Map(starts.map((start) => [start.key, start]));
  // One warning per command and entry, however often the entry uses it (17 times in one abstract).
  const unknownCommands = new Map(parsed.unknownCommands.map((unknown) => [`${unknown.key}\n${unknown.command}`, unknown]));
  for (const { key, command } of unknownCommands.values()) {
    warnings.push(key === ''
      ? { file, message: `unknown LaTeX command ${command} in a @string or @preamble: left out, its argument shown as text` }
      : { file, ...lineOf(startByKey, key), key, message: `unknown LaTeX command ${command}: left out, its argument shown as text` });
  }
  const library = { entries: [...parsed.entries], strings: parsed.strings };
  for (const error of parsed.errors) {
    // Undefined macros are reported as warnings, per entry, by macroWarnings.
    if (isUndefinedMacro(error)) continue;
    const repaired = /Unclosed math section/.test(error.error) && error.input !== undefined && parser !== undefined ? retryWithLiteralDollars(parser.parse, error.input) : undefined;
    if (repaired !== undefined) {
      library.entries = [...library.entries.filter((entry) => entry.key !== repaired.key), repaired];
      warnings.push({ file, ...lineOf(startByKey, repaired.key), key: repaired.key, message: 'a "$" without its closing "$" is shown as a dollar sign; write \\$ for a dollar sign' });
      continue;
    }
    errors.push(toSyntaxProblem(error.error, error.input, text, starts, file));
  }
  library.entries.sort((a, b) => (startByKey.get(a.key)?.line ?? 0) - (startByKey.get(b.key)?.line ?? 0));

  // Fields as the owner wrote them, from the original text (not the text prepared for the parser).
  const sources = new Map<string, SourceEntry>();
  starts.forEach((start, index) => {
    const source = split !== undefined ? split[index] : splitEntrySource(text.slice(start.offset, starts[index + 1]?.offset ?? text.length));
    if (source !== undefined && !sources.has(source.key)) sources.set(source.key, source);
  });
  const definedStrings = new Set(Object.keys(library.strings).map((name) => name.toLowerCase()));
  const keys = new Set(library.entries.map((entry) => entry.key.toLowerCase()));
  errors.push(...crossrefCycles(library.entries, sources, startByKey, file));

  const { values: rawStrings, lines: stringLines, warnings: redefined } = stringDefinitions(text, file);
  warnings.push(...redefined);
  const slugs = assignSlugs(library.entries.map((entry) => entry.key));
  const inherited = inheritedSources(library.entries, sources, rules);
  const publications: Publication[] = [];
  const failed = new Set(errors.map((error) => error.key));
  for (const entry of library.entries) {
    if (failed.has(entry.key)) continue;
    const where = { file, ...lineOf(startByKey, entry.key), key: entry.key };
    const source = sources.get(entry.key);
    warnings.push(...macroWarnings(source, definedStrings, stringLines, where), ...repeatedFields(source, where));
    const crossref = crossrefOf(entry);
    if (crossref !== undefined && !keys.has(crossref.toLowerCase())) {
      warnings.push({ ...where, message: `crossref "${crossref}" names no entry in the file; nothing is inherited` });
    }
    const result = toPublication(entry, source, slugs.get(entry.key) ?? entry.key, where, options, math, rawStrings, inherited.get(entry.key) ?? []);
    warnings.push(...result.warnings);
    errors.push(...result.errors);
    publications.push(result.publication);
  }
  const listed = listedEntries(publications, library.entries, options.ownerNames);
  const withCrossref = new Set(library.entries.filter((entry) => crossrefOf(entry) !== undefined).map((entry) => entry.key));
  warnings.push(...repeatedDois(listed.filter((publication) => !withCrossref.has(publication.key)), file));
  return { publications: listed, errors: sortByLine(errors), warnings: sortByLine(warnings) };
}

/**
 * Two listed entries with one DOI are one work listed twice (two exports merged into one file, a
 * paper under two keys): said at the second. Entries with a crossref are left out, as they may
 * have their volume's DOI from it.
 */
function repeatedDois(publications: readonly Publication[], file: string): Problem[] {
  const first = new Map<string, Publication>();
  const problems: Problem[] = [];
  for (const publication of publications) {
    if (publication.doi === undefined) continue;
    const doi = publication.doi.toLowerCase();
    const earlier = first.get(doi);
    if (earlier === undefined) first.set(doi, publication);
    else problems.push({ file, line: publication.line, key: publication.key, message: `has the DOI of ${earlier.key} (line ${earlier.line}), so one work is listed twice: remove one of the two entries, or correct its doi` });
  }
  return problems;
}

/** The key an entry's crossref names, as the parser read it (one may be written with a @string macro). */
function crossrefOf(entry: Entry): string | undefined {
  const crossref = (entry.fields as Record<string, unknown>)['crossref'];
  return typeof crossref === 'string' && crossref.trim() !== '' ? crossref.trim() : undefined;
}

/**
 * The entries to list: all but those that are another entry's crossref parent (a proceedings
 * volume, a collection) and that the owner neither wrote nor edited. DBLP's export with crossrefs
 * gives a parent for every volume the owner published in, which is no work of theirs; its
 * children stand alone (their BibTeX writes what they take from it), so it gets no page, no .bib
 * file and no place in the list, the CV, the feed or the downloads. (BibTeX too lists a parent
 * only when it is cited itself, or by enough children.)
 */
function listedEntries(publications: Publication[], entries: readonly Entry[], ownerNames: readonly string[] | undefined): Publication[] {
  if (ownerNames === undefined) return publications;
  const keys = new Set(publications.map((publication) => publication.key.toLowerCase()));
  const parents = new Set<string>();
  for (const entry of entries) {
    const parent = crossrefOf(entry)?.toLowerCase();
    if (parent !== undefined && parent !== entry.key.toLowerCase() && keys.has(parent)) parents.add(parent);
  }
  if (parents.size === 0) return publications;
  const isOwner = ownerMatcher(ownerNames);
  return publications.filter((publication) => !parents.has(publication.key.toLowerCase()) || publication.authors.some(isOwner) || publication.editors.some(isOwner));
}

/**
 * The fields each entry (by key) inherited through its crossref, as written in its parent (or
 * inherited by the parent from its own) and named as the child names them (a @proceedings'
 * title is an @inproceedings' booktitle), in the parent's order: what a copy of the entry needs
 * to stand alone, as BibTeX's crossref is of no use without the parent beside it. Which fields
 * were inherited is the parser's record; under which names, its own rules (see simple-entries.ts).
 */
function inheritedSources(entries: readonly Entry[], sources: ReadonlyMap<string, SourceEntry>, rules: CrossrefRules | undefined): Map<string, SourceField[]> {
  const inherited = new Map<string, SourceField[]>();
  if (!entries.some((entry) => (entry.crossref?.inherited.length ?? 0) > 0)) return inherited;
  const byKey = new Map(entries.map((entry) => [entry.key.toUpperCase(), entry]));
  // Each entry's own fields but its crossref, and those it inherited: what it holds standing alone.
  const standing = new Map<string, SourceField[]>();
  const standAlone = (entry: Entry, visiting: ReadonlySet<string>): SourceField[] => {
    const upper = entry.key.toUpperCase();
    const known = standing.get(upper);
    if (known !== undefined) return known;
    const own = (sources.get(entry.key)?.fields ?? []).filter((field) => field.name !== 'crossref');
    // A cycle is an error of its own (crossrefCycles): nothing more is taken around it.
    const taken = visiting.has(upper) ? [] : takenFromParent(entry, new Set([...visiting, upper]));
    inherited.set(entry.key, taken);
    const fields = [...own, ...taken];
    standing.set(upper, fields);
    return fields;
  };
  const takenFromParent = (entry: Entry, visiting: ReadonlySet<string>): SourceField[] => {
    const names = entry.crossref?.inherited ?? [];
    const parent = byKey.get(crossrefOf(entry)?.toUpperCase() ?? '');
    if (names.length === 0 || parent === undefined) return [];
    const parentFields = standAlone(parent, visiting);
    // The first pair the parser could take each field by is the one it took (without its rules, the
    // package's layout changed: the same name).
    const pairs: ReadonlyArray<[string, string]> = rules === undefined ? names.map((name) => [name, name]) : inheritedFieldPairs(entry.type, parent.type, rules);
    const fromParent = new Map<string, string>();
    for (const [childField, parentField] of pairs) {
      if (names.includes(childField) && !fromParent.has(childField) && !isEmpty((parent.fields as Record<string, unknown>)[parentField])) fromParent.set(childField, parentField);
    }
    return parentFields.flatMap((field) => [...fromParent].filter(([, parentField]) => parentField === field.name).map(([childField]) => ({ name: childField, value: field.value })));
  };
  for (const entry of entries) standAlone(entry, new Set());
  return inherited;
}

/** Google Scholar writes "$5" unescaped: parse such an entry again with every bare "$" taken literally. */
function retryWithLiteralDollars(parse: BibtexParser['parse'], input: string): Entry | undefined {
  const escaped = withLiteralDollars(input);
  const retry = parse(escaped, { ...parserOptions(), unsupported: () => '' });
  return retry.errors.length === 0 && retry.entries.length === 1 ? retry.entries[0] : undefined;
}

/**
 * The entry with each unescaped "$" written \$ in the fields that have an odd number of them
 * ("It costs $5 to run"), so that the math of its other fields ("$\alpha$") is still math; in every
 * field when the entry cannot be split into its fields.
 */
function withLiteralDollars(input: string): string {
  const dollars = /(^|[^\\])\$/g;
  const escape = (text: string): string => text.replace(dollars, '$1\\$');
  const fields = splitEntrySource(input)?.fields.filter((field) => field.start !== undefined && field.end !== undefined && (field.value.match(dollars)?.length ?? 0) % 2 === 1);
  if (fields === undefined || fields.length === 0) return escape(input);
  let escaped = '';
  let copied = 0;
  for (const field of fields) {
    escaped += input.slice(copied, field.start) + escape(input.slice(field.start, field.end));
    copied = field.end ?? copied;
  }
  return escaped + input.slice(copied);
}

interface Where {
  file: string;
  line?: number;
  key: string;
}

function toPublication(written: Entry, writtenSource: SourceEntry | undefined, id: string, where: Where, options: ReadOptions, math: readonly MathRender[], strings: ReadonlyMap<string, string>, inherited: readonly SourceField[]) {
  const warnings: Problem[] = [];
  // A field in hide_fields is published nowhere (page, BibTeX, CSL-JSON, metadata): read as if not
  // written. Keywords are read, as they tie entries to research projects, and marked unpublished.
  const { entry, source, keywordsHidden } = withoutHiddenFields(written, writtenSource, options.hiddenFields ?? []);
  const fields = entry.fields;
  const entryType = entry.type.toLowerCase();
  const single = (name: string): string | undefined => {
    const value = (fields as Record<string, unknown>)[name];
    if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(' and ');
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  // What a @misc, @unpublished or @online is, its description says (Zotero's BibLaTeX preprints:
  // publisher = {arXiv}, number = {arXiv:1706.03762}).
  const described = ['misc', 'unpublished', 'online', 'electronic', 'www'].includes(entryType);
  let kind = described ? miscKind([single('howpublished'), single('note'), single('type'), single('eprinttype'), single('archiveprefix'), single('journal'), single('publisher'), single('number')].join(' ')) : KIND_BY_TYPE[entryType];
  // Given at an event and published nowhere: a talk or a poster (Zotero's presentations, in biblatex).
  if (kind === 'other' && entryType === 'unpublished' && single('eventtitle') !== undefined) kind = 'presentation';
  // The link fields as written (each the first of its name), read in one pass over the entry's fields.
  const linkFields = new Map<string, string>();
  const writtenIn = new Map<string, string>();
  for (const field of source?.fields ?? []) {
    const name = LINK_FIELD_ALIASES[field.name] ?? field.name;
    if (!LINK_FIELD_NAMES.has(name) || linkFields.has(name)) continue;
    // An address written as LaTeX would print it (`code = {\url{https://...}}`) is the address.
    const value = unwrapped(field.value)?.replace(/^\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{[^{}]*\})?$/, '$1');
    if (value === undefined) continue;
    linkFields.set(name, value);
    if (name !== field.name) writtenIn.set(name, field.name);
  }
  // A DOI written through a @string; not one taken from a crossref parent: that is its volume's
  // (DBLP's proceedings), which would be cited, linked and given to indexers as the paper's.
  if (!linkFields.has('doi') && single('doi') !== undefined && entry.crossref?.inherited.includes('doi') !== true) linkFields.set('doi', single('doi') ?? '');
  const eprint = rawField(source, 'eprint');
  // An eprint with no type that is an arXiv identifier (old SPIRES and JabRef exports) is arXiv's.
  const eprintType = (single('archiveprefix') ?? single('eprinttype') ?? (ARXIV_EPRINT.test(eprint?.trim() ?? '') ? 'arxiv' : '')).toLowerCase();
  const journal = single('journal') ?? single('journaltitle');
  // arXiv's DOI (its DataCite export) names its preprint as an eprint would.
  const doi = linkFields.get('doi');
  const arxivDoiId = doi?.includes('48550') === true ? ARXIV_DOI.exec(cleanDoi(doi))?.[1] : undefined;
  if (entryType === 'article' && isPreprintArticle(journal, eprintType || (arxivDoiId === undefined ? '' : 'arxiv'))) kind = 'preprint';
  // A newspaper's or magazine's article is no journal article: listed with the other writings.
  const periodical = entryType === 'article' ? /^(newspaper|magazine)$/i.exec(single('entrysubtype')?.trim() ?? '')?.[1]?.toLowerCase() : undefined;
  if (periodical !== undefined) kind = 'other';
  // A paper in a conference's proceedings exported as a chapter (the ACM Digital Library's @inbook): a conference paper.
  if ((entryType === 'inbook' || entryType === 'incollection') && CONFERENCE_BOOK.test(single('booktitle') ?? '')) kind = 'conference';
  if (kind === undefined) {
    warnings.push({ ...where, message: `unknown entry type @${entry.type}: shown like @misc` });
    kind = 'other';
  }
  // TeX typesets "<" and ">" in text as "¡" and "¿", and so does the parser; the owner meant < and >.
  const hadAngles = /[<>]/.test(entry.input) && !/[¡¿]/.test(entry.input);
  // A field is read more than once (a title is also a classic @inbook's venue): each link left out is told once.
  const unlinked = new Set<string>();
  const rich = (name: string, value = single(name)): RichText | undefined => {
    if (value === undefined) return undefined;
    const angled = hadAngles ? value.replaceAll('¡', ANGLE_PLACEHOLDERS.lt).replaceAll('¿', ANGLE_PLACEHOLDERS.gt) : value;
    const result = toRichText(angled, (address) => {
      const message = `${name} links to "${address}", which is not an http(s) address; its text is shown without the link`;
      if (!unlinked.has(message)) warnings.push({ ...where, message });
      unlinked.add(message);
    });
    if (!angled.includes(ANGLE_PLACEHOLDERS.lt) && !angled.includes(ANGLE_PLACEHOLDERS.gt)) return restoreMath(result, math);
    const restore = (text: string, lt: string, gt: string): string => text.replaceAll(ANGLE_PLACEHOLDERS.lt, lt).replaceAll(ANGLE_PLACEHOLDERS.gt, gt);
    return restoreMath({ html: restore(result.html, '&lt;', '&gt;'), text: restore(result.text, '<', '>') }, math);
  };
  const plain = (name: string): string | undefined => rich(name)?.text || undefined;
  // Google Scholar ends journal names and publishers with a comma ("Courier Corporation,").
  const named = (name: string): string | undefined => plain(name)?.replace(/\s*,$/, '');

  // A classic @inbook is the book, with the part's title in `chapter` ("The Industrial Revolution",
  // not a number): listed by its part's title, in the book.
  const chapter = single('chapter');
  const classicInbook = entryType === 'inbook' && single('booktitle') === undefined && chapter !== undefined && /\p{L}{2,}/u.test(chapter) && !isChapterNumber(chapter) && chapter.trim() !== single('title')?.trim();
  const authors = toPeople(fields.author as Creator[] | undefined);
  const editors = toPeople(fields.editor as Creator[] | undefined);
  const translators = toPeople((fields as Record<string, unknown>)['translator'] as Creator[] | undefined);
  const editorType = single('editortype')?.trim().toLowerCase();
  const date = parseEntryDate({ year: single('year'), month: single('month'), day: single('day'), date: single('date'), pubstate: single('pubstate'), origdate: single('origdate') });
  const unread = unreadDate({ year: single('year'), month: single('month'), day: single('day'), date: single('date') }, date);
  if (unread !== undefined) warnings.push({ ...where, message: unread });
  // DBLP's volume of a CoRR entry ("abs/2109.07900") is its arXiv number, not a volume.
  const corrArxivId = arxivIdInCorrVolume(journal, single('volume'));
  const arxivId =
    eprintType === 'arxiv' && eprint !== undefined
      ? eprint.trim().replace(/^arxiv:/i, '')
      : arxivIdInJournal(journal) ??
        corrArxivId ??
        arxivDoiId ??
        (kind === 'preprint' ? ARXIV_NUMBER.exec(single('number')?.trim() ?? '')?.[1] ?? arxivIdInJournal(single('note')) : undefined) ??
        arxivIdInAddress(linkFields.get('url')) ??
        arxivIdInAddress(linkFields.get('doi'));
  // An address on arXiv in url or doi is the preprint: shown as its arXiv link, not as a second "Link".
  for (const field of ['url', 'doi']) {
    const address = linkFields.get(field);
    if (arxivId === undefined || arxivIdInAddress(address) !== arxivId) continue;
    linkFields.delete(field);
    if (field === 'doi') warnings.push({ ...where, message: `doi "${address ?? ''}" is not a DOI (10.xxxx/...); it is shown as the entry's arXiv link` });
  }
  // biblatex's eprint of another kind than arXiv: PubMed's, JSTOR's, a handle (Zotero writes its PubMed ids so).
  const eprintField = identifierFieldOfEprint(eprintType);
  if (eprintField !== undefined && eprint !== undefined && !linkFields.has(eprintField)) {
    linkFields.set(eprintField, eprint);
    writtenIn.set(eprintField, 'eprint');
  }
  // Zotero writes its Extra field as annotation: its identifiers are links, the rest bookkeeping.
  const extra = zoteroExtra(single('annotation'));
  for (const [field, id] of extra ?? []) {
    if (linkFields.has(field)) continue;
    linkFields.set(field, id);
    writtenIn.set(field, 'annotation');
  }
  const links = buildLinks(
    { key: where.key, file: where.file, line: where.line ?? 0, fields: linkFields, writtenIn, ...(arxivId === undefined ? {} : { eprintArxiv: arxivId }) },
    options.assets,
  );
  warnings.push(...links.warnings);

  const publication: Publication = {
    key: entry.key,
    id,
    entryType,
    kind,
    title: classicInbook ? (rich('chapter') ?? { html: '', text: '' }) : withoutChapterNumber(kind, withSubtitle(rich('title'), rich('subtitle')) ?? rich('booktitle') ?? { html: '', text: '' }),
    authors: authors.people,
    etAl: authors.etAl,
    editors: editors.people,
    ...(editors.etAl ? { editorsEtAl: true } : {}),
    ...(translators.people.length > 0 ? { translators: translators.people } : {}),
    ...(editorType === 'director' || editorType === 'compiler' ? { editorType } : {}),
    forthcoming: date.forthcoming,
    // Scopus gives the authors' own keywords as author_keywords, its index terms ("Article", "human") as keywords.
    keywords: splitKeywords(fields['author_keywords'] ?? fields.keywords),
    ...(keywordsHidden ? { keywordsHidden: true } : {}),
    selected: /^(true|yes|1)$/i.test(single('selected')?.trim() ?? ''),
    links: links.links,
    bibtex: cleanBibtex(source, entry, options.hiddenFields ?? [], strings, inherited),
    line: where.line ?? 0,
  };
  // Every list, page and citation names an entry by its title: without one, its links would say nothing.
  const titleErrors: Problem[] = publication.title.text === '' ? [{ ...where, message: 'no title: add a title field (the site lists and links each entry by its title)' }] : [];
  const type = plain('type');
  const thesisGenre = thesisGenreOf(entryType, type);
  // A report's type says what series of papers it is in ("Working Paper").
  setIfPresent(publication, 'genre', thesisGenre ?? (kind === 'report' || kind === 'presentation' ? type : undefined));
  const venue = classicInbook ? { text: withSubtitle(rich('title'), rich('subtitle')) ?? { html: '', text: '' }, from: 'title' } : venueOf(entryType, rich, thesisGenre);
  if (venue !== undefined) publication.venue = venue.text;
  if (date.year !== undefined) publication.year = date.year;
  if (date.month !== undefined) publication.month = date.month;
  if (date.day !== undefined) publication.day = date.day;
  if (date.originalYear !== undefined) publication.originalYear = date.originalYear;
  if (periodical === 'newspaper' || periodical === 'magazine') publication.periodical = periodical;
  // NASA ADS and some INSPIRE records name the collaboration as an author too: said once.
  const collaboration = collaborationName(plain('collaboration'));
  if (collaboration !== undefined && !collaboration.parts.some((part) => authors.people.some((person) => displayName(person).toLowerCase().includes(`${part.toLowerCase()} collaboration`)))) {
    publication.collaboration = collaboration.name;
  }
  // MathSciNet writes a series' volume "Vol. 341" or "No. 52", Citavi "Bd. 3": the list says "vol." itself.
  if (corrArxivId === undefined) setIfPresent(publication, 'volume', plain('volume')?.replace(/^(?:vol(?:ume)?|bd|band|t|tome|no)(?:\.\s*|\s+)(?=\S)/i, ''));
  // NASA ADS writes an article's number as its pages too, and a preprint's arXiv identifier as
  // both (Zotero as its number): each is said once, the identifier as the preprint's.
  const isArxivId = (value: string | undefined): boolean => arxivId !== undefined && value?.replace(/^arxiv:\s*/i, '') === arxivId;
  // A thesis's number is its own (HAL gives France's national thesis number), not an issue's.
  // INSPIRE-HEP gives a report's number (a collaboration's CONF note) as reportNumber.
  const issue = plain('number') ?? plain('issue') ?? (kind === 'report' ? plain('reportnumber') : undefined);
  // A book's number beside its series is its number there ("Folio classique 3461"), no issue.
  const series = plain('series');
  // Beside a volume, the number is the issue of that volume (Journal of Physics: Conference Series 1234(1)).
  const inSeries = series !== undefined && publication.volume === undefined && (kind === 'book' || kind === 'chapter' || kind === 'conference');
  if (inSeries) setIfPresent(publication, 'seriesNumber', issue);
  else if (kind !== 'thesis' && !isArxivId(issue)) setIfPresent(publication, 'issue', issue);
  // Pages written with their abbreviation ("pp. 45-67", German "S. 45--67"): the list says "pp." itself.
  const pages = plain('pages')?.replace(/^(?:pp?|pages?|ss?)(?:\.\s*|\s+)(?=\S)/i, '');
  if (!isArxivId(pages)) setIfPresent(publication, 'pages', pageRanges(pages));
  const articleNumber = plain('eid') ?? plain('articleno') ?? plain('article-number') ?? plain('art_number');
  if (articleNumber !== pages && !isArxivId(articleNumber)) setIfPresent(publication, 'articleNumber', articleNumber);
  const pageCount = (plain('numpages') ?? plain('pagetotal'))?.replace(/\s*(?:pp?\.|pages?|s\.|seiten)$/i, '');
  if (pageCount !== undefined && PAGE_COUNT.test(pageCount)) publication.pageCount = pageCount.replace(/^([ivxlcdm]+)\s*[+,]\s*/i, '$1 + ');
  // A @misc's publisher that is its venue is not said twice. An organization or institution that
  // is an Other's venue (Better BibLaTeX writes a report's or a program's publisher so) publishes it
  // too; a description (howpublished) is what it is, no container.
  if (venue?.from !== 'publisher') setIfPresent(publication, 'publisher', named('publisher'));
  // Google Scholar names a conference paper's publisher as its organization ("organization={IEEE}"),
  // which BibTeX's styles print: without a publisher, it is the one.
  if (kind === 'conference' && publication.publisher === undefined && venue?.from !== 'organization') setIfPresent(publication, 'publisher', named('organization'));
  if (venue?.from === 'publisher' || (kind === 'other' && (venue?.from === 'organization' || venue?.from === 'institution'))) publication.venueIsPublisher = true;
  if (venue?.from === 'howpublished' && kind !== 'presentation') publication.venueIsDescription = true;
  setIfPresent(publication, 'version', plain('version'));
  setIfPresent(publication, 'language', cslLanguage(plain('langid') ?? plain('language')));
  if (kind === 'thesis') setIfPresent(publication, 'school', named('school') ?? named('institution'));
  const address = plain('address');
  const location = plain('location');
  setIfPresent(publication, 'place', address ?? location);
  // biblatex's `venue` is an event's place; ACM's exports give a conference paper both `address`,
  // the publisher's city ("New York, NY, USA"), and `location`, the conference's.
  if (kind === 'conference' || kind === 'presentation') setIfPresent(publication, 'eventPlace', plain('venue') ?? (address === undefined ? undefined : location));
  setIfPresent(publication, 'series', series);
  // A volume of a multivolume work (biblatex's maintitle): "Histoire des femmes en France, vol. 2".
  const mainTitle = plain('maintitle');
  if (mainTitle !== publication.title.text) setIfPresent(publication, 'mainTitle', mainTitle);
  setIfPresent(publication, 'edition', editionNumber(plain('edition')));
  for (const [field, read] of [['isbn', isbnsIn], ['issn', issnsIn]] as const) {
    const value = plain(field);
    if (value === undefined) continue;
    const numbers = read(value);
    if (numbers.valid.length > 0) publication[field] = numbers.valid;
    for (const number of numbers.invalid) warnings.push({ ...where, message: `${field} "${number}" is not an ${field.toUpperCase()} (its check digit does not match); left out of what indexers read` });
  }
  setIfPresent(publication, 'abbr', plain('abbr'));
  setIfPresent(publication, 'award', plain('award_name') ?? plain('award'));
  const preview = rawField(source, 'preview');
  const previewErrors: Problem[] = [];
  if (preview !== undefined) {
    const resolved = resolvePreview({ key: where.key, file: where.file, line: where.line ?? 0, fields: linkFields }, preview, options.assets);
    if (resolved.href !== undefined) publication.preview = resolved.href;
    if (resolved.error !== undefined && options.assets !== undefined) previewErrors.push(resolved.error);
  }
  const annotation = extra === undefined ? rich('annotation') : undefined;
  if (annotation !== undefined) publication.annotation = annotation;
  const additionalInfo = rich('additional_info');
  if (additionalInfo !== undefined) publication.additionalInfo = additionalInfo;
  // Only a DOI: an address in the doi field is a plain link (see buildLinks), never a DOI to cite.
  const cleaned = doi === undefined ? undefined : cleanDoi(doi);
  if (cleaned !== undefined && isDoi(cleaned)) publication.doi = cleaned;
  const url = links.url ?? links.links.find((link) => link.label === 'Link')?.href;
  if (url !== undefined) publication.url = url;
  const note = rich('note');
  // Scopus writes its citation count there ("Cited by: 12; All Open Access"): no note of the owner's.
  if (note !== undefined && !/^cited by:?\s*\d+(?:;|$)/i.test(note.text)) publication.note = note;
  const abstract = rich('abstract', asPasted(single('abstract')));
  if (abstract !== undefined) publication.abstract = abstract;
  return { publication, warnings, errors: [...titleErrors, ...links.errors, ...previewErrors] };
}

/**
 * INSPIRE-HEP's collaboration ("ATLAS", "ATLAS, CMS") by its name: "ATLAS Collaboration", "ATLAS
 * and CMS Collaborations"; a name that says what it is ("Planck Consortium") as it is.
 */
function collaborationName(value: string | undefined): { name: string; parts: string[] } | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(/\s*(?:,|\band\b|&)\s*/).filter((name) => name !== '');
  if (/\b(?:collaborations?|consortium|consortia|group|team|project|survey)\b/i.test(value)) return { name: value, parts };
  if (parts.length <= 1) return { name: `${value.trim()} Collaboration`, parts };
  return { name: `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''} Collaborations`, parts };
}

/**
 * Pages as typeset: a range's hyphen, double hyphen or dash becomes an en dash ("349--372" gives
 * "349–372"), in each of several ranges ("1-5, 9-12"); a value with more than one hyphen in a part
 * ("P5-12-05", an article's identifier), or a lettered one with a leading zero after its hyphen
 * ("PS9-03", a conference abstract's number), is no range and stays as written.
 */
function pageRanges(pages: string | undefined): string | undefined {
  const separator = /\s*(?:--?|–|—)\s*/;
  // A comma between digits with three after it groups thousands ("1,234-1,240"): it parts no ranges.
  return pages
    ?.split(/\s*,\s*(?!\d{3}(?!\d))|(?<!\d),\s*|,\s+/)
    .map((part) => {
      const trimmed = part.trim();
      const ends = trimmed.split(separator);
      // An abstract's or poster's number ("PS9-03", "S1-01"): lettered, then a number with a leading zero, no range.
      const numbered = /^[A-Za-z]+\d*-0\d*$/.test(trimmed);
      return ends.length === 2 && ends.every((end) => end !== '') && !numbered ? ends.join('–') : trimmed;
    })
    .join(', ');
}

/** The publication's fields that hold plain text. */
type TextField = { [Name in keyof Publication]-?: Publication[Name] extends string | undefined ? (string extends Publication[Name] ? Name : never) : never }[keyof Publication];

function setIfPresent<Field extends TextField>(
  target: Publication,
  field: Field,
  value: string | undefined,
): void {
  if (value !== undefined && value !== '') target[field] = value;
}

/** Where an entry appeared, and the field it was read from. */
interface Venue {
  text: RichText;
  from: string;
}

/** babel's and biblatex's language names (langid), as the codes CSL takes. */
const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  english: 'en', american: 'en-US', usenglish: 'en-US', british: 'en-GB', ukenglish: 'en-GB', german: 'de', ngerman: 'de',
  austrian: 'de-AT', naustrian: 'de-AT', swissgerman: 'de-CH', nswissgerman: 'de-CH', french: 'fr', spanish: 'es', italian: 'it',
  portuguese: 'pt', brazil: 'pt-BR', brazilian: 'pt-BR', dutch: 'nl', greek: 'el', russian: 'ru', polish: 'pl', czech: 'cs',
  swedish: 'sv', danish: 'da', norwegian: 'nb', norsk: 'nb', nynorsk: 'nn', finnish: 'fi', turkish: 'tr', hungarian: 'hu',
  romanian: 'ro', catalan: 'ca', croatian: 'hr', slovene: 'sl', ukrainian: 'uk', japanese: 'ja', chinese: 'zh', korean: 'ko',
};

/**
 * An entry's language as CSL takes it: a code ("de", "en-US") as written, a babel name ("ngerman")
 * as its code. Styles such as APA title-case only English titles.
 */
function cslLanguage(language: string | undefined): string | undefined {
  const written = language?.trim();
  if (written === undefined || written === '') return undefined;
  if (/^[a-z]{2,3}(?:-[a-z\d]{2,8})*$/i.test(written)) return written;
  return LANGUAGE_CODES[written.toLowerCase()];
}

const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'];

/**
 * An edition as its number when it is one ("2nd", "Second edition", "3"), which styles write
 * their own way ("2nd ed."); anything else ("Revised") as written.
 */
function editionNumber(edition: string | undefined): string | undefined {
  const match = /^(?:(\d+)(?:st|nd|rd|th)?|([a-z]+))(?:\s+(?:edition|ed\.?))?$/i.exec(edition?.trim() ?? '');
  if (match?.[1] !== undefined) return match[1];
  const word = match?.[2] === undefined ? -1 : ORDINAL_WORDS.indexOf(match[2].toLowerCase());
  return word === -1 ? edition : String(word + 1);
}

/** ScienceDirect numbers a chapter in its title ("Chapter 5 - Machine learning in ..."): the chapter's own title is what follows. */
function withoutChapterNumber(kind: PublicationKind, title: RichText): RichText {
  const prefix = /^Chapter\s+\d+\s*[-–—:]\s+/i;
  if (kind !== 'chapter' || !prefix.test(title.text) || !prefix.test(title.html)) return title;
  return { html: title.html.replace(prefix, ''), text: title.text.replace(prefix, '') };
}

/** biblatex's title and subtitle, as one: "Title: Subtitle" ("Title? Subtitle" after a question). */
function withSubtitle(title: RichText | undefined, subtitle: RichText | undefined): RichText | undefined {
  if (title === undefined || subtitle === undefined) return title;
  const joint = /[.?!:]$/.test(title.text) ? ' ' : ': ';
  return { html: `${title.html}${joint}${subtitle.html}`, text: `${title.text}${joint}${subtitle.text}` };
}

/** biblatex's keys for the `type` of a thesis, and what they stand for. */
const THESIS_TYPES: Readonly<Record<string, string>> = { phdthesis: 'PhD thesis', mathesis: "Master's thesis", candthesis: 'Candidate thesis', bathesis: "Bachelor's thesis" };

/**
 * What kind of thesis an entry is: its `type` (biblatex's keys, or words such as "Bachelor's
 * thesis" or "Habilitation"), else its entry type's.
 */
function thesisGenreOf(entryType: string, type: string | undefined): string | undefined {
  if (KIND_BY_TYPE[entryType] !== 'thesis') return undefined;
  const written = type?.trim();
  const ofType = entryType === 'phdthesis' ? 'PhD thesis' : entryType === 'mastersthesis' ? "Master's thesis" : 'Thesis';
  // Zotero writes its item type's generic "Thesis" in type: the entry type says more.
  if (written === undefined || written === '' || /^thesis$/i.test(written)) return ofType;
  return THESIS_TYPES[written.toLowerCase()] ?? written;
}

/** Where an entry appeared; a thesis's is its genre and school. */
function venueOf(entryType: string, rich: (name: string) => RichText | undefined, thesisGenre: string | undefined): Venue | undefined {
  // Google Scholar ends journal names and publishers with a comma.
  const trimmed = (from: string, venue: RichText | undefined): Venue | undefined => (venue === undefined ? undefined : { text: { html: venue.html.replace(/\s*,$/, ''), text: venue.text.replace(/\s*,$/, '') }, from });
  const first = (names: readonly string[]): Venue | undefined => {
    for (const name of names) {
      const venue = trimmed(name, rich(name));
      if (venue !== undefined) return venue;
    }
    return undefined;
  };
  // An @inbook's title is its own (a classic one's is the book's, with its chapter in `chapter`): never its venue.
  // MathSciNet gives the journal's full name as fjournal beside its abbreviation.
  const venue = first(['fjournal', 'journal', 'journaltitle', 'booktitle', 'eventtitle']);
  // biblatex's subtitles of a book and a journal (Better BibLaTeX's section of a newspaper).
  const subtitle = venue?.from === 'booktitle' ? rich('booksubtitle') : venue?.from === 'journaltitle' ? rich('journalsubtitle') : undefined;
  if (venue !== undefined) return { text: withSubtitle(venue.text, subtitle) ?? venue.text, from: venue.from };
  if (thesisGenre !== undefined) {
    const school = first(['school', 'institution']);
    const label = escapeXml(thesisGenre);
    if (school === undefined) return { text: { html: label, text: thesisGenre }, from: 'type' };
    return { text: { html: `${label}, ${school.text.html}`, text: `${thesisGenre}, ${school.text.text}` }, from: school.from };
  }
  return first(['institution', 'howpublished', 'organization', ...(entryType === 'misc' ? ['publisher'] : [])]);
}

function splitKeywords(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,;]/) : [];
  // Braces are the parser's to read, not a keyword's (Web of Science: `Keywords = {{Phonons; Graphene}}`).
  // CNKI parts keywords with full-width semicolons and commas.
  return list.flatMap((keyword) => String(keyword).split(/[；，、]/)).map((keyword) => normaliseText(keyword.replace(/[{}]/g, '')).trim()).filter((keyword) => keyword !== '');
}

/**
 * A field's source text with its outer braces or quotes removed, and any more braces around the
 * whole of it (Web of Science writes every field in two: `DOI = {{10.1016/...}}`).
 */
function rawField(source: SourceEntry | undefined, name: string): string | undefined {
  const value = source?.fields.find((field) => field.name === name)?.value;
  return value === undefined ? undefined : unwrapped(value);
}

/** A field's source text without its outer braces or quotes and any more braces around the whole; undefined when empty. */
function unwrapped(value: string): string | undefined {
  let inner = (/^\{([\s\S]*)\}$/.exec(value)?.[1] ?? /^"([\s\S]*)"$/.exec(value)?.[1] ?? value).trim();
  let braced: RegExpExecArray | null;
  while ((braced = /^\{([^{}]*)\}$/.exec(inner)) !== null) inner = (braced[1] ?? '').trim();
  return inner === '' ? undefined : inner;
}

/**
 * The entry as visitors copy and download it: the owner's fields as written, without display-only
 * and hidden ones, and with the file's own @string macros written out (a copied entry has no
 * @string beside it; standard month macros stay). A copied entry has no crossref parent beside it
 * either (and one beside it could collide with the copier's own): the fields it inherited from
 * its parent (`inherited`) are written where its crossref was.
 */
function cleanBibtex(source: SourceEntry | undefined, entry: Entry, hidden: readonly string[], strings: ReadonlyMap<string, string>, inherited: readonly SourceField[]): string {
  if (source === undefined) return entry.input.replaceAll(HTML_FILLER, '').trim() + '\n';
  const drop = new Set([...DISPLAY_FIELDS, ...hidden.map((name) => name.toLowerCase())]);
  const published = (field: SourceField): SourceField[] => {
    if (drop.has(field.name) || PRIVATE_FIELD_PATTERN.test(field.name)) return [];
    const value = expandStrings(withoutDanglingJoins(field.value), strings);
    return value === '{}' || value === '""' || value === '' ? [] : [{ ...field, value }];
  };
  const own = source.fields.map((field) => (field.name === 'crossref' ? undefined : published(field)));
  // The parser inherits only what the entry lacks (a field written empty, `year = {}`, is lacking).
  const ownNames = new Set(own.flatMap((fields) => fields ?? []).map((field) => field.name));
  const taken = inherited.filter((field) => !ownNames.has(field.name)).flatMap(published);
  // Where the crossref was; at the end when it is not written (hide_fields may name it).
  const crossref = own.indexOf(undefined);
  const fields = own.flatMap((fields, index) => fields ?? (index === crossref ? taken : []));
  return formatEntrySource({ ...source, fields: crossref === -1 ? [...fields, ...taken] : fields });
}

/** Other names exports give link fields: MDPI's PubMedID. */
const LINK_FIELD_ALIASES: Readonly<Record<string, string>> = { pubmedid: 'pmid' };

/** A line of Zotero's Extra field: an identifier, or one of the "Name: value" lines Zotero and Better BibTeX read back. */
const ZOTERO_EXTRA_LINE = /^(?:PMC\d{1,9}|(?:accepted|submitted|issued|original[ -]date|citation[ -]key|tex\.[\w-]+|arxiv|pmid|pmcid|doi|publisher|publisher[ -]place|type|number|status|language|place|version|medium|genre|archive|archive[ -]location|event[ -]place|event[ -]date|isbn|issn)\s*:.*)$/i;

/**
 * The identifiers (as link fields) of an annotation that is Zotero's Extra field, which its BibLaTeX
 * export writes as annotation ("PMC11817613", "Accepted: 2021-09-24T19:03:53Z", "PMID: 123"):
 * undefined when it is an annotation to show (al-folio's), which any other line makes it.
 */
function zoteroExtra(annotation: string | undefined): Array<[string, string]> | undefined {
  const lines = annotation?.split('\n').map((line) => line.trim()).filter((line) => line !== '') ?? [];
  if (lines.length === 0 || !lines.every((line) => ZOTERO_EXTRA_LINE.test(line))) return undefined;
  // The parser may have joined its lines: the identifiers are found in the whole text.
  const text = lines.join(' ');
  const pmid = /\bPMID\s*:\s*(\d+)/i.exec(text)?.[1];
  const pmcid = /\b(?:PMCID\s*:\s*)?(PMC\d{1,9})\b/i.exec(text)?.[1];
  return [...(pmid === undefined ? [] : [['pmid', pmid] as [string, string]]), ...(pmcid === undefined ? [] : [['pmcid', pmcid.toUpperCase()] as [string, string]])];
}

/** Fields whose names hide_fields may give without the entry losing what every list needs of it. */
const ALWAYS_READ = new Set(['title', 'author', 'editor', 'year', 'date', 'keywords', 'author_keywords']);

/** The entry without the fields in `hidden` (as written in site.yaml, any case), but those of ALWAYS_READ; whether its keywords are hidden. */
function withoutHiddenFields(entry: Entry, source: SourceEntry | undefined, hidden: readonly string[]): { entry: Entry; source: SourceEntry | undefined; keywordsHidden: boolean } {
  if (hidden.length === 0) return { entry, source, keywordsHidden: false };
  const names = new Set(hidden.map((name) => name.toLowerCase()));
  const keywordsHidden = names.has('keywords') || names.has('author_keywords');
  for (const name of ALWAYS_READ) names.delete(name);
  if (names.size === 0) return { entry, source, keywordsHidden };
  return {
    entry: { ...entry, fields: Object.fromEntries(Object.entries(entry.fields).filter(([name]) => !names.has(name.toLowerCase()))) as Entry['fields'] },
    source: source === undefined ? undefined : { ...source, fields: source.fields.filter((field) => !names.has(field.name.toLowerCase())) },
    keywordsHidden,
  };
}

/** A value without the "#" that join nothing (`"Proceedings of " #`), which BibTeX would stop at (see macroWarnings). */
function withoutDanglingJoins(value: string): string {
  if (!value.includes('#')) return value;
  const parts = splitConcatenation(value);
  return parts.includes('') ? parts.filter((part) => part !== '').join(' # ') : value;
}

/**
 * The file's @string macros, by their names in lower case: each one's raw value (delimiters
 * included; the last definition's), the line of its first definition, and a warning for each one
 * defined again.
 */
function stringDefinitions(text: string, file: string): { values: Map<string, string>; lines: Map<string, number>; warnings: Problem[] } {
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  const warnings: Problem[] = [];
  if (!/@\s*string\s*[{(]/i.test(text)) return { values, lines, warnings };
  const starts = scanEntryStarts(text, { directives: true });
  starts.forEach((start, index) => {
    if (start.entryType !== 'string') return;
    const source = text.slice(start.offset, starts[index + 1]?.offset ?? text.length);
    const head = /^@\s*string\s*([{(])\s*([^\s=#{}(),"]+)(\s*=\s*)?/i.exec(source);
    if (head === null) return;
    const name = head[2] ?? '';
    const first = lines.get(name.toLowerCase());
    if (first === undefined) lines.set(name.toLowerCase(), start.line);
    else warnings.push({ file, line: start.line, message: `the @string ${name} is defined again (first at line ${first}): the entries below this line get this value, those above it the first; keep one if that was not meant` });
    if (head[3] === undefined) return;
    const close = head[1] === '{' ? '}' : ')';
    let depth = 0;
    let quoted = false;
    for (let at = head[0].length; at < source.length; at++) {
      const char = source[at];
      if (char === '{') depth++;
      else if (char === '}' && depth > 0) depth--;
      else if (char === '"' && depth === 0) quoted = !quoted;
      else if (char === close && depth === 0 && !quoted) {
        const value = source.slice(head[0].length, at).trim();
        // BibTeX reads a @string when it meets it: a macro it uses must be defined above it (one
        // defined below, or by a @string that uses this one, is empty to BibTeX, whatever it reads later).
        const later = splitConcatenation(value).find((part) => /^[A-Za-z_][^\s"#%'(),={}]*$/.test(part) && !values.has(part.toLowerCase()) && !(part.toLowerCase() in MONTH_MACROS));
        if (later !== undefined) warnings.push({ file, line: start.line, message: `the @string ${name} uses ${later}, which no @string above it defines: BibTeX reads ${later} there as empty; define it first` });
        values.set(name.toLowerCase(), value);
        return;
      }
    }
  });
  return { values, lines, warnings };
}

/**
 * A field's value with the file's @string macros replaced by what they stand for; when every part
 * is then text, the parts are joined into one braced value ("American Physical Society," for `aps`).
 */
function expandStrings(value: string, strings: ReadonlyMap<string, string>, expanding: ReadonlySet<string> = new Set()): string {
  // Most values are one braced or quoted text: nothing to look up.
  if (strings.size === 0 || (/^["{]/.test(value) && !value.includes('#'))) return value;
  const parts = splitConcatenation(value);
  // A macro inside its own definition (BibTeX would not read it) is left as written.
  const isMacro = (part: string): boolean => /^[A-Za-z][\w:.+-]*$/.test(part) && strings.has(part.toLowerCase()) && !expanding.has(part.toLowerCase());
  if (!parts.some(isMacro)) return value;
  const expanded = parts.flatMap((part) => {
    const name = part.toLowerCase();
    return isMacro(part) ? splitConcatenation(expandStrings(strings.get(name) ?? part, strings, new Set([...expanding, name]))) : [part];
  });
  const literal = (part: string): string | undefined => /^\{[\s\S]*\}$/.exec(part)?.[0].slice(1, -1) ?? /^"[\s\S]*"$/.exec(part)?.[0].slice(1, -1) ?? /^\d+$/.exec(part)?.[0];
  const texts = expanded.map(literal);
  return texts.every((text) => text !== undefined) ? `{${texts.join('')}}` : expanded.join(' # ');
}

/**
 * Warns about bare words in values that are neither month macros nor defined @strings, and about
 * macros used above their definition (`definedAt`: the line of each one's first).
 */
function macroWarnings(source: SourceEntry | undefined, defined: ReadonlySet<string>, definedAt: ReadonlyMap<string, number>, where: Where): Problem[] {
  const problems: Problem[] = [];
  for (const field of source?.fields ?? []) {
    const parts = splitConcatenation(field.value);
    if (parts.length > 1 && parts.includes('')) {
      problems.push({ ...where, message: `${field.name} has a "#" with nothing to join on one side (${field.value}), which BibTeX reports as an error; the "#" is left out` });
    }
    for (const part of parts) {
      if (!/^[A-Za-z][\w:.+-]*$/.test(part)) continue;
      const name = part.toLowerCase();
      if (name in MONTH_MACROS) continue;
      if (name in NON_STANDARD_MONTHS && !defined.has(name)) {
        problems.push({ ...where, message: `${field.name} = ${part} is not a standard month macro; read as month ${NON_STANDARD_MONTHS[name]} (write ${Object.keys(MONTH_MACROS)[Number(NON_STANDARD_MONTHS[name]) - 1]})` });
      } else if (!defined.has(name)) {
        problems.push({ ...where, message: `${field.name} uses the macro "${part}", which no @string defines; the word "${part}" is shown instead` });
      } else if ((definedAt.get(name) ?? 0) > (where.line ?? Infinity)) {
        problems.push({ ...where, message: `${field.name} uses the macro "${part}" above the @string that defines it (line ${definedAt.get(name) ?? 0}): BibTeX reads the file in order, so the word "${part}" is shown; move the @string above the entries that use it` });
      }
    }
  }
  return problems;
}

function repeatedFields(source: SourceEntry | undefined, where: Where): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const field of source?.fields ?? []) {
    if (seen.has(field.name)) problems.push({ ...where, message: `the field ${field.name} appears twice; the first one is used` });
    seen.add(field.name);
    // "Doe, Jane and and Smith, John": the parser makes a name of the words around the gap.
    if (NAME_LIST_FIELDS.has(field.name) && /(?:^[{"]\s*and\s|\sand\s+and\s|\sand\s*[}"]$)/i.test(field.value)) {
      problems.push({ ...where, message: `${field.name} has an "and" with no name on one side; the names may be read wrongly: remove the extra "and"` });
    }
  }
  return problems;
}

/** Fields that hold names joined by "and". */
const NAME_LIST_FIELDS = new Set(['author', 'editor', 'translator', 'bookauthor', 'commentator', 'annotator', 'introduction', 'foreword', 'afterword', 'holder']);

/** The parts of `a # "b" # {c}` at the top level. */
function splitConcatenation(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of value) {
    if (char === '{') depth++;
    if (char === '}') depth--;
    if (char === '"' && depth === 0) quoted = !quoted;
    if (char === '#' && depth === 0 && !quoted) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current.trim());
  return parts;
}

function crossrefCycles(entries: readonly Entry[], sources: ReadonlyMap<string, SourceEntry>, starts: ReadonlyMap<string, EntryStart>, file: string): Problem[] {
  const parent = new Map<string, string>();
  for (const entry of entries) {
    const target = rawField(sources.get(entry.key), 'crossref');
    if (target !== undefined) parent.set(entry.key.toLowerCase(), target.toLowerCase());
  }
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const entry of entries) {
    const seen: string[] = [];
    let current: string | undefined = entry.key.toLowerCase();
    while (current !== undefined && !seen.includes(current)) {
      seen.push(current);
      current = parent.get(current);
    }
    if (current !== undefined && current === entry.key.toLowerCase() && !reported.has(current)) {
      seen.forEach((key) => reported.add(key));
      problems.push({ file, ...lineOf(starts, entry.key), key: entry.key, message: `crossref cycle: ${[...seen, current].join(' → ')}; remove one of the crossref fields` });
    }
  }
  return problems;
}

function lineOf(starts: ReadonlyMap<string, EntryStart>, key: string): { line?: number } {
  const line = starts.get(key)?.line;
  return line === undefined ? {} : { line };
}

function toSyntaxProblem(message: string, input: string | undefined, text: string, starts: readonly EntryStart[], file: string): Problem {
  const head = /^\s*@\s*\w+\s*[{(]\s*([^,\s]*)/.exec(input ?? '');
  const at = /at line (\d+), column (\d+)/.exec(message);
  let entry = head === null ? undefined : starts.find((start) => start.key === head[1]);
  if (entry === undefined && input !== undefined && input.trim() !== '') {
    const offset = text.indexOf(input);
    const line = offset === -1 ? undefined : text.slice(0, offset).split('\n').length;
    entry = line === undefined ? undefined : [...starts].reverse().find((start) => start.line <= line);
  }
  const what = describeSyntaxError(message);
  // The parser reads groups by recursion: thousands of nested braces overflow its stack.
  const deep = /Maximum call stack size exceeded/.test(message) ? deepGroupLine(input ?? text) : undefined;
  if (deep !== undefined) {
    const where = entry === undefined || input === undefined ? { line: 1 + deep } : { line: entry.line + deep, ...(entry.key === '' ? {} : { key: entry.key }) };
    return { file, ...where, message: `braces nested thousands deep${entry === undefined ? '' : ' in this entry'}, more than can be read: look for "{" repeated by mistake` };
  }
  if (entry === undefined) {
    // Not an entry's: a @string, @preamble or @comment left open, which the parser reads to the end of the file.
    const open = unclosedDirective(text);
    if (open !== undefined) return { file, line: open.line, message: `invalid BibTeX: this @${open.entryType} is never closed: close it with "${open.closer}"` };
    return { file, ...(at === null ? {} : { line: Number(at[1]) }), message: `invalid BibTeX: ${what}` };
  }
  // A name of four comma-separated parts is no syntax error to mend with braces.
  const name = /unexpected \d+-part name "([^"]*)"/.exec(message)?.[1];
  return {
    file,
    line: entry.line,
    ...(entry.key === '' ? {} : { key: entry.key }),
    message: name !== undefined
      ? `the name "${name}" has more than three parts between commas: write it "Family, Jr., Given" (family name, suffix, given names), or put a comma that is part of a name in braces`
      : `invalid BibTeX in this entry: ${what}${at === null ? '' : ` (the parser stopped at line ${at[1]})`}; look for an unclosed brace, a missing comma or a stray quote`,
  };
}

/** How deep braces nest where a parser's stack overflow is said to be: real values nest a few levels. */
const DEEP_GROUPS = 100;

/** How many lines into the entry its braces first nest DEEP_GROUPS deep, if they do. */
function deepGroupLine(input: string): number | undefined {
  let depth = 0;
  for (let index = 0; index < input.length; index++) {
    const char = input[index];
    if (char === '{' && ++depth === DEEP_GROUPS) return lineBreaks(input, 0, index);
    if (char === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** The first @string, @preamble or @comment whose braces (or parentheses) do not close before the next entry starts. */
function unclosedDirective(text: string): (EntryStart & { closer: string }) | undefined {
  const starts = scanEntryStarts(text, { directives: true });
  for (const [index, start] of starts.entries()) {
    if (!NON_ENTRY_TYPES.has(start.entryType)) continue;
    const { closer, end } = directiveEnd(text, start, starts[index + 1]?.offset ?? text.length);
    if (end === undefined) return { ...start, closer };
  }
  return undefined;
}

/** Where a @string, @preamble or @comment ends (just after its closing brace or parenthesis), if it does before `limit`. */
function directiveEnd(text: string, start: EntryStart, limit: number): { closer: string; end: number | undefined } {
  const opening = /[{(]/.exec(text.slice(start.offset, limit));
  const closer = opening?.[0] === '(' ? ')' : '}';
  if (opening === null) return { closer, end: undefined };
  let depth = 0;
  for (let at = start.offset + opening.index; at < limit; at++) {
    const char = text[at];
    if (char === '\\') at++;
    else if (char === '{' || (closer === ')' && char === '(' && depth === 0)) depth++;
    else if ((char === '}' || (closer === ')' && char === ')' && depth === 1)) && --depth === 0) return { closer, end: at + 1 - start.offset };
  }
  return { closer, end: undefined };
}

function describeSyntaxError(message: string): string {
  const mismatch = /expected "(.)", found "(.*?)"\.\.\./.exec(message);
  if (mismatch !== null) return `expected "${mismatch[1]}" but found "${(mismatch[2] ?? '').split('\n')[0]}"`;
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+.*$/, '');
}

/** `@article{Smith 2020,`: BibTeX reads the key as "Smith", then finds no "=" after "2020". */
function spacedKeys(text: string, starts: readonly EntryStart[], file: string): Problem[] {
  const spaced = /@\s*[A-Za-z]+\s*[{(]\s*([^,\s{}()=]+)[ \t]+([^,\s{}()="]+)[ \t]*,/y;
  return starts.flatMap((start) => {
    spaced.lastIndex = start.offset;
    const found = spaced.exec(text);
    if (found === null) return [];
    const key = `${found[1] ?? ''} ${found[2] ?? ''}`;
    return [{ file, line: start.line, message: `the key "${key}" has a space, which a key cannot hold: write it without, e.g. ${key.replace(' ', '')}` }];
  });
}

function missingKeys(starts: readonly EntryStart[], file: string): Problem[] {
  return starts
    .filter((start) => start.key === '' || start.key.includes('='))
    .map((start) => ({ file, line: start.line, message: `this @${start.entryType} entry has no citation key: write one right after the opening brace, e.g. @${start.entryType}{doe2020,` }));
}

/**
 * BibTeX ignores text outside entries, so a JSON, RIS or URL file would give
 * an empty list without a word; a file with text and no entries is an error.
 */
function notBibtex(text: string, starts: readonly EntryStart[], file: string): Problem[] {
  if (starts.length > 0) return [];
  const rest = text
    .replace(/^[ \t]*%.*$/gm, '')
    .replace(/@\s*(string|comment|preamble)\s*[{(][\s\S]*?[})]\s*$/gim, '')
    .trim();
  if (rest === '') return [];
  const line = text.slice(0, text.indexOf(rest.slice(0, 20))).split('\n').length;
  const kind = /^[[{]/.test(rest) ? ' (it looks like JSON; CSL-JSON is not read)' : /^TY {2}- /m.test(rest) ? ' (it looks like RIS; export BibTeX instead)' : /^https?:\/\//.test(rest) ? ' (it is an address; download the file it points to)' : '';
  return [{ file, line, message: `this is not BibTeX${kind}: no @entries were found, only text` }];
}

function duplicateKeys(starts: readonly EntryStart[], file: string): Problem[] {
  const first = new Map<string, EntryStart>();
  const problems: Problem[] = [];
  for (const start of starts) {
    const folded = start.key.toLowerCase();
    const earlier = first.get(folded);
    if (earlier === undefined) {
      first.set(folded, start);
      continue;
    }
    const caseNote = earlier.key === start.key ? '' : ` ("${earlier.key}"; keys that differ only in case are the same to BibTeX)`;
    problems.push({ file, line: start.line, key: start.key, message: `duplicate key: line ${earlier.line} uses it already${caseNote}; rename one of the two entries` });
  }
  return problems;
}

/** Fields whose values are addresses or paths, where "%" is part of the value. */
const VERBATIM_FIELDS = new Set([...LINK_FIELD_NAMES, 'url', 'doi', 'eprint', 'file', 'preview', 'urldate']);

/** Rewrites the values of non-address fields of every entry, leaving everything else as it is; each entry as split goes into `split`, by its start's index. */
function rewriteFieldValues(text: string, starts: readonly EntryStart[], rewrite: (value: string, name: string) => string, split: Array<SourceEntry | undefined>): string {
  let result = '';
  let last = 0;
  starts.forEach((start, index) => {
    const end = starts[index + 1]?.offset ?? text.length;
    const source = text.slice(start.offset, end);
    const entry = splitEntrySource(source);
    split[index] = entry;
    if (entry === undefined) return;
    let patched = '';
    let cursor = 0;
    for (const field of entry.fields) {
      if (field.start === undefined || field.end === undefined || VERBATIM_FIELDS.has(field.name)) continue;
      patched += source.slice(cursor, field.start) + rewrite(source.slice(field.start, field.end), field.name);
      cursor = field.end;
    }
    result += text.slice(last, start.offset) + patched + source.slice(cursor);
    last = end;
  });
  return result + text.slice(last);
}

/** TeX's tie accent over two letters (`\t{oo}`, `\t{ts}` in transliterated Russian), which the parser drops: the two letters joined by U+0361. */
function withTies(value: string): string {
  return value.includes('\\t') ? value.replace(/\\t(?![A-Za-z])\s*\{\s*([^\s{}\\])\s*([^\s{}\\])\s*\}/g, '$1\u0361$2') : value;
}

/**
 * TeX's \textless and \textgreater (Better BibTeX's "<" and ">"), which the parser writes as "<" and
 * ">" into its output, read as HTML: `a{\textless}b{\textgreater}c` was "a<b>c</b>", a bold "c".
 * As ANGLE_PLACEHOLDERS, which `rich` puts back as text, with the spaces TeX skips after a command.
 * After the math is taken out, which KaTeX typesets as it is.
 */
function withAngleCommands(value: string): string {
  return value.includes('\\text') ? value.replace(/\\text(less|greater)(?![A-Za-z])\s*(?:\{\s*\})?/g, (_command, which: string) => (which === 'less' ? ANGLE_PLACEHOLDERS.lt : ANGLE_PLACEHOLDERS.gt)) : value;
}

/** TeX's control space (`Proc.\ Amer.\ Math.\ Soc.`, `vs.\ lattice`), which the parser does not know: a space. */
function withControlSpaces(value: string): string {
  return /\\\s/.test(value) ? value.replace(/(^|[^\\])\\(?=[ \t\r\n])/g, '$1') : value;
}

/** In a field value "%" is a literal percent sign to the person who typed "50%", but a comment to LaTeX. */
function escapePercentSigns(value: string): string {
  return value.replace(/(^|[^\\])%/g, '$1\\%');
}

/** al-folio's papers.bib starts with an empty Jekyll front matter block; blank it, keeping line numbers. */
function blankFrontMatter(text: string): string {
  const match = /^---[ \t]*\r?\n(?:[\s\S]*?\r?\n)?---[ \t]*(?=\r?\n|$)/.exec(text);
  return match === null ? text : match[0].replace(/[^\n]/g, '') + text.slice(match[0].length);
}

function sortByLine(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}


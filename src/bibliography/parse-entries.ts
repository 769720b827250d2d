import type { Entry, Library, Options } from '@retorquere/bibtex-parser';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashOf, type DiskCache } from '../cache.ts';
import { runInWorkers, splitEvenly, workersFor } from '../parallel.ts';
import { JOURNAL_MACROS } from './journal-macros.ts';
import { withAnglesHeld } from './pasted-abstracts.ts';
import { lineBreaks, NON_ENTRY_TYPES, scanEntryStarts } from './scan-entries.ts';
import { readSimpleEntries, readStringsAlone, type CrossrefRules } from './simple-entries.ts';
import { parserMode, substituteSimpleFields, type Substituted, type Substitution } from './simple-fields.ts';

/** What the BibTeX parser found, with the unknown LaTeX commands it met, by entry. */
export interface ParsedLibrary {
  entries: Entry[];
  errors: Library['errors'];
  strings: Record<string, string>;
  unknownCommands: Array<{ key: string; command: string }>;
}

export const MONTH_MACROS: Readonly<Record<string, string>> = {
  jan: '1', feb: '2', mar: '3', apr: '4', may: '5', jun: '6', jul: '7', aug: '8', sep: '9', oct: '10', nov: '11', dec: '12',
};
/** Month spellings people use as if they were macros; read, with a warning. */
export const NON_STANDARD_MONTHS: Readonly<Record<string, string>> = {
  sept: '9', june: '6', july: '7', janv: '1', febr: '2', march: '3', april: '4',
};

/** How a LaTeX command the parser does not know is shown; `unknown` when the owner should hear of it. */
function replaceUnsupported(tex: string): { text: string; unknown?: string } {
  const command = tex.replace(/\{.*$/s, '');
  if (command === '\\TeX') return { text: 'TeX' };
  if (command === '\\LaTeX') return { text: 'LaTeX' };
  if (command === '\\BibTeX') return { text: 'BibTeX' };
  // Zotero's straight quotes.
  if (command === '\\textquotesingle') return { text: "'" };
  if (command === '\\textquotedbl') return { text: '"' };
  // The parser makes what follows `{\bf` bold, as it does for `{\it`, but passes the switch itself on.
  if (command === '\\relax' || command === '\\bf') return { text: '' };
  // NASA ADS names journals by the AAS's macros (`journal = {\apj}`).
  const journal = Object.hasOwn(JOURNAL_MACROS, command.slice(1)) ? JOURNAL_MACROS[command.slice(1)] : undefined;
  if (journal !== undefined && tex === command) return { text: journal };
  // Slanted type, which the parser knows takes an argument but not how to show it: as italics are.
  if (command === '\\textsl') return { text: `<i>${argumentsOf(tex)}</i>` };
  // A command given with its arguments (the parser knows how many it takes): they are its text.
  return { text: argumentsOf(tex), unknown: command };
}

/**
 * The text of a command's braced arguments, as the parser's output holds text: `\\textsl{Q\\&A}`
 * gives "Q&A", its "<" and ">" as ANGLE_PLACEHOLDERS (read-bibtex.ts makes them text again).
 */
function argumentsOf(tex: string): string {
  const text = [...tex.matchAll(/\{([^{}]*)\}/g)]
    .map((argument) => argument[1] ?? '')
    .join(' ')
    .trim()
    .replace(/\\([&%$#_{}])/g, '$1');
  return withAnglesHeld(text);
}

/** The parser's options; unknown commands are passed to `onUnknown` with the entry's key. */
export function parserOptions(onUnknown: (key: string, command: string) => void = () => undefined): Options {
  return {
    sentenceCase: false,
    english: false,
    caseProtection: 'strict',
    applyCrossRef: true,
    strings: { ...MONTH_MACROS, ...NON_STANDARD_MONTHS },
    unsupported: (_node, tex, entry) => {
      const result = replaceUnsupported(tex);
      // In a @string or @preamble there is no entry: the key is empty.
      if (result.unknown !== undefined) onUnknown((entry as Entry | undefined)?.key ?? '', result.unknown);
      return result.text;
    },
  };
}

export type BibtexParser = typeof import('@retorquere/bibtex-parser');
let loadedParser: BibtexParser | undefined;

/**
 * The BibTeX parser, loaded the first time something is left to it: a large module (0.04 s to
 * load, besides the tables simple-fields.ts reads with) that the example's entries never need.
 */
export async function bibtexParser(): Promise<BibtexParser> {
  loadedParser ??= await import('@retorquere/bibtex-parser');
  return loadedParser;
}

/**
 * Parses the whole text at once. Entries that simple-entries.ts reads never reach the parser;
 * of the others, fields that simple-fields.ts reads (most titles, abstracts, venues and names)
 * are hidden from it and put back decoded: the same entries, in a quarter of the time. A text
 * with any problem is parsed again as written, so that what is reported is exactly what the
 * parser says of the owner's text.
 */
export async function parseText(text: string): Promise<ParsedLibrary> {
  return (await parseWithSimpleFields(text)) ?? parseAsWritten(text);
}

/**
 * The parse with whole simple entries read by simple-entries.ts and the simple fields of the
 * others decoded by simple-fields.ts; undefined when there is nothing simple, or the text has a
 * problem.
 */
export async function parseWithSimpleFields(text: string): Promise<ParsedLibrary | undefined> {
  const starts = scanEntryStarts(text);
  const keys = new Set(starts.map((start) => start.key.toLowerCase()));
  // With a key written twice, entries could not be put back in order by key.
  if (keys.size !== starts.length) return parseWithSimpleValues(text);
  const rules = /\bcrossref\s*=/i.test(text) ? await crossrefRules() : undefined;
  const { read, rest } = readSimpleEntries(text, { ...MONTH_MACROS, ...NON_STANDARD_MONTHS }, rules);
  if (read.length === 0) return parseWithSimpleValues(text);
  // Nothing left for the parser (no other entry), or only @string definitions it would just decode: it is not needed.
  const strings = rest.includes('@') ? readStringsAlone(rest) : {};
  const parsed = strings !== undefined ? { entries: [], errors: [], strings, unknownCommands: [] } : ((await parseWithSimpleValues(rest)) ?? (await parseAsWritten(rest)));
  if (parsed.errors.some((error) => !isUndefinedMacro(error))) return undefined;
  const offsets = new Map(starts.map((start) => [start.key.toLowerCase(), start.offset]));
  const placed: Array<{ offset: number; entry: Entry }> = [...read];
  for (const entry of parsed.entries) {
    const offset = offsets.get(entry.key.toLowerCase());
    if (offset === undefined) return undefined; // an entry the scan did not see (an `@` inside a line)
    placed.push({ offset, entry });
  }
  placed.sort((a, b) => a.offset - b.offset);
  return { ...parsed, entries: placed.map((item) => item.entry) };
}

/** The parse with simple fields decoded by simple-fields.ts; undefined when there are none, or the text has a problem. */
async function parseWithSimpleValues(text: string): Promise<ParsedLibrary | undefined> {
  const simple = substituteSimpleFields(text);
  if (simple.values.size === 0) return undefined;
  const parsed = await parseAsWritten(simple.text);
  return restoreSimpleFields(parsed, simple) ? parsed : undefined;
}

let loadedRules: Promise<CrossrefRules | undefined> | undefined;

/**
 * The parser's crossref rules, read from its own data files (two small modules beside its main
 * one, which its package does not export by name: they are imported by path). Without them
 * (another layout of the package), entries in a crossref are left to the parser.
 */
export function crossrefRules(): Promise<CrossrefRules | undefined> {
  loadedRules ??= (async () => {
    try {
      const main = createRequire(import.meta.url).resolve('@retorquere/bibtex-parser');
      const data = path.join(path.dirname(main), '..', 'esm');
      const [mappings, fields] = await Promise.all(['crossref.js', 'fields.js'].map(async (file) => ((await import(pathToFileURL(path.join(data, file)).href)) as { default: unknown }).default));
      const isTable = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
      return isTable(mappings) && isTable(fields) ? { mappings: mappings as CrossrefRules['mappings'], fields: fields as CrossrefRules['fields'] } : undefined;
    } catch {
      return undefined;
    }
  })();
  return loadedRules;
}

/** Parses the text with the parser alone. */
export async function parseAsWritten(text: string): Promise<ParsedLibrary> {
  const { parse } = await bibtexParser();
  const unknownCommands: ParsedLibrary['unknownCommands'] = [];
  let library: Library;
  try {
    library = parse(text, parserOptions((key, command) => unknownCommands.push({ key, command })));
  } catch (error) {
    // Braces nested thousands deep in a @string overflow the parser's stack (in an entry, it reports them itself).
    if (!(error instanceof RangeError)) throw error;
    return { entries: [], errors: [{ error: error.message }], strings: {}, unknownCommands };
  }
  return { entries: library.entries, errors: library.errors, strings: library.strings, unknownCommands };
}

/**
 * Puts the decoded values in place of their tokens, and the fields taken out back into their
 * entries, in the order written; false if anything is not as expected.
 */
function restoreSimpleFields(parsed: ParsedLibrary, { values, prefix, removedFrom }: Substituted): boolean {
  if (parsed.errors.some((error) => !isUndefinedMacro(error))) return false;
  // A token in a list of people is read as one person with that family name.
  const tokenIn = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (!Array.isArray(value) || value.length !== 1) return undefined;
    const only = value[0] as Record<string, unknown>;
    return Object.keys(only).length === 1 && typeof only['lastName'] === 'string' ? only['lastName'] : undefined;
  };
  const tokens = new RegExp(`(?:%(${prefix}\\d+)|\\{(${prefix}\\d+)\\})(\\n*)`, 'g');
  let removedSeen = 0;
  for (const entry of parsed.entries) {
    const fields = entry.fields as Record<string, unknown>;
    for (const [name, value] of Object.entries(fields)) {
      const token = tokenIn(value);
      if (token?.startsWith(prefix) === true) {
        const found = values.get(token);
        if (found === undefined || found.removed || Array.isArray(found.decoded) !== Array.isArray(value)) return false;
        fields[name] = found.decoded;
      } else if (typeof value === 'string' ? value.includes(prefix) : JSON.stringify(value).includes(prefix)) {
        return false; // a token where the parser was not meant to see one
      }
    }
    if (!entry.input.includes(prefix)) continue;
    let lost = false;
    const removed = new Map<string, Substitution>();
    entry.input = entry.input.replace(tokens, (whole: string, comment: string | undefined, value: string | undefined, lineBreaks: string) => {
      const found = values.get(comment ?? value ?? '');
      if (found === undefined || found.removed !== (comment !== undefined) || lineBreaks.length < found.lineBreaks) {
        lost = true;
        return whole;
      }
      if (found.removed) removed.set(found.field, found);
      return found.written + lineBreaks.slice(found.lineBreaks);
    });
    if (lost || entry.input.includes(prefix)) return false;
    if (removed.size === 0) continue;
    const order = removedFrom.get(entry.key);
    if (order === undefined) return false;
    removedSeen += removed.size;
    putBack(entry, order, removed);
  }
  const removedMade = [...values.values()].filter((value) => value.removed).length;
  return removedSeen === removedMade;
}

/** The entry's fields (and their modes) with those taken out put back, in the order written, as the parser orders them. */
function putBack(entry: Entry, order: readonly string[], removed: ReadonlyMap<string, Substitution>): void {
  const fields: Record<string, unknown> = {};
  const mode: Record<string, string> = {};
  const parsedFields = entry.fields as Record<string, unknown>;
  const parsedMode = entry.mode as Record<string, string>;
  for (const name of order) {
    const taken = removed.get(name);
    if (taken !== undefined) {
      fields[name] = taken.decoded;
      mode[name] = parserMode(name);
      continue;
    }
    // The parser moves keywords to the end of the fields (not of the modes).
    if (name in parsedFields && name !== 'keywords') fields[name] = parsedFields[name];
    if (name in parsedMode) mode[name] = parsedMode[name] as string;
  }
  for (const [name, value] of Object.entries(parsedFields)) if (!(name in fields)) fields[name] = value;
  for (const [name, value] of Object.entries(parsedMode)) if (!(name in mode)) mode[name] = value;
  entry.fields = fields as Entry['fields'];
  entry.mode = mode as Entry['mode'];
}

/** The parser's report of an undefined @string macro: read-bibtex.ts warns of those per entry, from the source. */
export function isUndefinedMacro(error: { error: string }): boolean {
  return /^Unresolved @string reference/.test(error.error);
}

/** What a worker thread runs: one share of the entries, the others blanked out. */
export const run = parseText;

/**
 * Below this many entries per worker, starting workers costs more than it saves: each starts
 * Node, loads the readers and runs their code cold, and most entries now take well under a
 * millisecond to read. Measured on 2 cores, cold builds of generated files: 5,000 entries build
 * 5% faster in the main thread than in two workers (5.76 s against 6.07 s), 10,000 as fast
 * either way (9.31 s against 9.37 s); so two workers from 12,000.
 */
const ENTRIES_PER_WORKER = 6000;

interface Span {
  key: string;
  start: number;
  end: number;
  /** A digest of the @string/@preamble text before the entry: macros are read in file order. */
  context: string;
}

/**
 * Every entry of the text with its extent, up to the next `@` at the start of a line (an entry,
 * @string, @preamble or @comment). Undefined when keys repeat or are missing: such a file is
 * read the ordinary way, which reports it.
 */
function entrySpans(text: string): Span[] | undefined {
  const starts = scanEntryStarts(text, { directives: true });
  const entries: Span[] = [];
  let context = hashOf(text.slice(0, starts[0]?.offset ?? text.length));
  starts.forEach((start, index) => {
    const end = starts[index + 1]?.offset ?? text.length;
    if (NON_ENTRY_TYPES.has(start.entryType)) context = hashOf(context, text.slice(start.offset, end));
    else entries.push({ key: start.key, start: start.offset, end, context });
  });
  const keys = new Set(entries.map((entry) => entry.key.toLowerCase()));
  return keys.size === entries.length && !keys.has('') ? entries : undefined;
}

/**
 * The text with every entry but these left out, and only their line breaks left in their place, so
 * that lines stay true. (Blanking them with spaces kept every position, but the parser then spent
 * most of its time skipping a file's worth of spaces to reach one edited entry.)
 */
function keepOnly(text: string, spans: readonly Span[], keep: ReadonlySet<string>): string {
  const parts: string[] = [];
  let cursor = 0;
  for (const span of spans) {
    if (keep.has(span.key)) continue;
    parts.push(text.slice(cursor, span.start), '\n'.repeat(lineBreaks(text, span.start, span.end)));
    cursor = span.end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

interface CachedEntry {
  entry: Entry;
  unknownCommands: string[];
}

export interface ParseTuning {
  /** Fewest entries to parse per worker thread (tests lower it to exercise the workers). */
  entriesPerWorker?: number;
  /** Told which entries are parsed (the rest came from the cache). */
  onParse?: (keys: readonly string[]) => void;
}

/**
 * Parses only the entries that changed. Each entry's parse is kept under a hash of its own text,
 * the @string/@preamble text before it and its crossref parents' text (which it inherits
 * from), so editing one entry of thousands re-parses just that one. All entries of a file are
 * kept in one cache file (`name`), read and written once: thousands of small files would cost
 * more than they save. Entries to parse are shared among worker threads when there are many.
 * Any syntax error sends the whole file through one ordinary parse, so that errors are reported
 * exactly as without the cache.
 */
export async function parseWithCache(text: string, name: string, cache: DiskCache, tuning: ParseTuning = {}): Promise<ParsedLibrary> {
  const spans = entrySpans(text);
  if (spans === undefined) return await parseText(text);
  const byKey = new Map(spans.map((span) => [span.key.toLowerCase(), span]));
  const parentOf = (span: Span): Span | undefined => {
    const parent = /\bcrossref\s*=\s*[{"]?\s*([^\s,{}"]+)/i.exec(text.slice(span.start, span.end))?.[1];
    return parent === undefined ? undefined : byKey.get(parent.toLowerCase());
  };
  const lineage = (span: Span): Span[] => {
    const chain = [span];
    for (let parent = parentOf(span); parent !== undefined && !chain.includes(parent); parent = parentOf(parent)) chain.push(parent);
    return chain;
  };
  const hashes = new Map(spans.map((span) => [span.key, hashOf(...lineage(span).flatMap((member) => [member.context, text.slice(member.start, member.end)]))]));

  const packKey = hashOf('bibtex-entries', name);
  const pack = (await cache.get<Record<string, CachedEntry>>('bibtex-entries', packKey)) ?? {};
  const kept: CachedEntry[] = [];
  const stale: Span[] = [];
  for (const span of spans) {
    const cached = pack[hashes.get(span.key) ?? ''];
    if (cached !== undefined && cached.entry.key === span.key) kept.push(cached);
    else stale.push(span);
  }

  // Each share holds its entries and their crossref parents; only its own entries are taken from it.
  tuning.onParse?.(stale.map((span) => span.key));
  const workers = workersFor(stale.length, tuning.entriesPerWorker ?? ENTRIES_PER_WORKER);
  const shares = workers === 0 ? [stale] : splitEvenly(stale, workers);
  const texts = shares.map((share) => keepOnly(text, spans, new Set(share.flatMap(lineage).map((span) => span.key))));
  const results = workers === 0 ? await Promise.all(texts.map(parseText)) : await runInWorkers<string, ParsedLibrary>(new URL('./parse-entries.ts', import.meta.url), texts);
  const fresh: CachedEntry[] = [];
  for (const [index, result] of results.entries()) {
    const own = new Set((shares[index] ?? []).map((span) => span.key));
    const commands = new Map<string, string[]>();
    for (const { key, command } of result.unknownCommands) commands.set(key, [...(commands.get(key) ?? []), command]);
    let unknown = false;
    for (const entry of result.entries) {
      if (own.delete(entry.key)) fresh.push({ entry, unknownCommands: commands.get(entry.key) ?? [] });
      else if (!byKey.has(entry.key.toLowerCase())) unknown = true;
    }
    const errors = result.errors.filter((error) => !isUndefinedMacro(error));
    // A syntax error, an entry the parser did not return, or one the scan did not see (an `@`
    // that does not start its line): read the file the ordinary way.
    if (errors.length > 0 || own.size > 0 || unknown) return await parseText(text);
  }

  const all = [...kept, ...fresh];
  if (fresh.length > 0 || Object.keys(pack).length !== all.length) {
    // Written once the reading has gone on (see setSoon): the parsed entries are not changed after this.
    cache.setSoon('bibtex-entries', packKey, Object.fromEntries(all.map((item) => [hashes.get(item.entry.key) ?? '', item])));
  }
  return {
    entries: all.map((item) => item.entry),
    errors: [],
    strings: results[0]?.strings ?? {},
    unknownCommands: [
      // Commands met in @string and @preamble text, which every share parses: count them once.
      ...(results[0]?.unknownCommands ?? []).filter((item) => item.key === ''),
      ...all.flatMap((item) => item.unknownCommands.map((command) => ({ key: item.entry.key, command }))),
    ],
  };
}

import type { Entry } from '@retorquere/bibtex-parser';
import { relatedKeys, splitEntries } from './bibtex-source.ts';
import { scanEntryStarts } from './scan-entries.ts';
import { CREATOR_FIELDS, decodeLiteralList, decodeSimpleField, decodeVerbatim, isOneGroup, parserMode } from './simple-fields.ts';

/**
 * Whole entries read without the BibTeX parser: those whose every field simple-fields.ts reads,
 * or is a number, a DOI-like verbatim value, keywords or a month macro. What the parser does with
 * such an entry beyond its fields (its type and key, the order of fields and of their modes, the
 * month names and numbers, keywords split, deduplicated and sorted, its text as `input`) is done
 * here the same way; anything else (a crossref, a string macro other than a month's, a repeated
 * field, a field it does not read) leaves the entry to the parser. parse-entries.ts merges both,
 * in the order of the file; test/simple-fields.test.ts compares the result with the parser's.
 */

/** The parser's month names and numbers. */
const MONTHS: Readonly<Record<string, string>> = {
  jan: '1', january: '1', feb: '2', february: '2', mar: '3', march: '3', apr: '4', april: '4', may: '5', jun: '6', june: '6', jul: '7', july: '7',
  aug: '8', august: '8', sep: '9', september: '9', oct: '10', october: '10', nov: '11', november: '11', dec: '12', december: '12',
};

/** Keys and field names as the parser reads them (its `key()`); a key may also hold `[]*"`. */
const KEY = /^(?:[+'a-zA-Z0-9&;_:\\./\-[\]*"]|\p{L})+$/u;
const FIELD_NAME = /^(?:[+'a-zA-Z0-9&;_:\\./-]|\p{L})+$/u;

export interface SimpleEntries {
  /** The entries read, with the offset of their `@`. */
  read: Array<{ offset: number; entry: Entry }>;
  /** The text with those entries blanked out (their line breaks kept), for the parser. */
  rest: string;
}

/**
 * Reads the entries of `text` that need nothing of the parser. `macros` are the string macros
 * the parser is given (the months); one that the file redefines with @string is left to it.
 */
export function readSimpleEntries(text: string, macros: Readonly<Record<string, string>>): SimpleEntries {
  const starts = scanEntryStarts(text, { directives: true });
  const redefined = new Set<string>();
  for (const start of starts) {
    if (start.entryType !== 'string') continue;
    const name = /^@\s*string\s*[{(]\s*([^\s=,{}()"#%]+)/i.exec(text.slice(start.offset, start.offset + 200))?.[1];
    // A @string whose name cannot be read could redefine anything: no macro is taken then.
    if (name === undefined) return { read: [], rest: text };
    redefined.add(name.toLowerCase());
  }
  const usable = Object.fromEntries(Object.entries(macros).filter(([name]) => !redefined.has(name)));
  const entries = splitEntries(text, starts);
  // Keys written twice (in any case), and entries in a crossref, are left to the parser.
  const related = relatedKeys(entries);
  const read: SimpleEntries['read'] = [];
  const parts: string[] = [];
  let cursor = 0;
  for (const { start, source, entry: parsed } of entries) {
    if (parsed?.end === undefined || related.has(parsed.key.toLowerCase())) continue;
    const entry = simpleEntry(parsed.entryType, parsed.key, parsed.fields, source.slice(0, afterSpaceAndComments(source, parsed.end)), usable);
    if (entry === undefined) continue;
    read.push({ offset: start.offset, entry });
    const own = source.slice(0, parsed.end);
    parts.push(text.slice(cursor, start.offset), '\n'.repeat(own.split('\n').length - 1));
    cursor = start.offset + parsed.end;
  }
  parts.push(text.slice(cursor));
  return { read, rest: parts.join('') };
}

/**
 * Where the parser's view of an entry ends: after its closer it skips spaces and `%` comments
 * before it takes the entry's text, so its `input` holds the comments that follow it.
 */
function afterSpaceAndComments(source: string, from: number): number {
  let index = from;
  while (index < source.length && /[ \t\r\n%]/.test(source[index] as string)) {
    if (source[index] === '%') {
      while (index < source.length && source[index] !== '\n') index++;
    } else {
      index++;
    }
  }
  return index;
}

function simpleEntry(type: string, key: string, written: ReadonlyArray<{ name: string; value: string }>, source: string, macros: Readonly<Record<string, string>>): Entry | undefined {
  if (key === '' || !KEY.test(key) || new Set(written.map((field) => field.name)).size !== written.length) return undefined;
  const fields: Record<string, unknown> = {};
  const mode: Record<string, string> = {};
  let keywords: string[] = [];
  for (const { name, value: raw } of written) {
    if (!FIELD_NAME.test(name) || name === 'crossref') return undefined;
    const macro = raw.toLowerCase();
    const value = raw.startsWith('{') ? (isOneGroup(raw) ? raw.slice(1, -1) : undefined) : /^\d+$/.test(raw) ? raw : Object.hasOwn(macros, macro) ? macros[macro] : undefined;
    if (value === undefined) return undefined;
    if (value.trim() === '') continue; // the parser leaves out empty fields
    const fieldMode = parserMode(name);
    mode[name] = fieldMode;
    if (name === 'keywords') {
      const list = decodeVerbatim(value);
      if (list === undefined) return undefined;
      keywords = [...keywords, ...list.split(/\s*[,;]\s*/)].map((word) => word.trim()).filter((word) => word !== '');
      continue;
    }
    let read: unknown;
    if (fieldMode === 'creatorlist') {
      read = CREATOR_FIELDS.has(name) ? decodeSimpleField(value, name) : undefined;
    } else if (fieldMode === 'verbatim') {
      read = decodeVerbatim(value);
    } else if (fieldMode === 'literallist') {
      read = decodeLiteralList(value);
    } else {
      let text = decodeSimpleField(value);
      if (typeof text === 'string' && (name === 'year' || name === 'month') && /^-?\d+$/.test(text)) text = `${parseInt(text, 10)}`;
      if (typeof text === 'string' && name === 'month') text = Object.hasOwn(MONTHS, text.toLowerCase()) ? MONTHS[text.toLowerCase()] : text;
      read = text;
    }
    if (read === undefined) return undefined;
    fields[name] = read;
  }
  // The parser puts the keywords last, deduplicated and sorted regardless of case.
  if (keywords.length > 0) {
    fields['keywords'] = [...new Set(keywords)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    mode['keywords'] = 'verbatimlist';
  }
  return { type, key, fields: fields as Entry['fields'], mode: mode as Entry['mode'], input: source.trim() };
}

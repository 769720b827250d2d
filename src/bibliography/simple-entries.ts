import type { Entry } from '@retorquere/bibtex-parser';
import { relatedKeys, splitEntries } from './bibtex-source.ts';
import { scanEntryStarts } from './scan-entries.ts';
import { CREATOR_FIELDS, decodeLiteralList, decodeSimpleField, decodeVerbatim, isOneGroup, parserMode } from './simple-fields.ts';

/**
 * Whole entries read without the BibTeX parser: those whose every field simple-fields.ts reads,
 * or is a number, a DOI-like verbatim value, keywords, a month macro or a macro the file defines
 * once with plain text (read as if that text were written in its place, which is what the parser
 * does). What the parser does with such an entry beyond its fields (its type and key, the order of
 * fields and of their modes, the month names and numbers, keywords split, deduplicated and
 * sorted, its text as `input`) is done here the same way; anything else (a crossref, a macro joined
 * with `#`, defined twice or not yet defined, a repeated field, a field it does not read) leaves the
 * entry to the parser. parse-entries.ts merges both, in the order of the file;
 * test/simple-fields.test.ts compares the result with the parser's.
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
  const entries = splitEntries(text, starts);
  // The file's own macros: each name with where it is defined, and its value if it is plain text.
  const defined = new Map<string, Array<{ offset: number; value: string | undefined }>>();
  for (const { start, source } of entries) {
    if (start.entryType !== 'string') continue;
    const definition = stringDefinition(source);
    // A @string whose name cannot be read could redefine anything: no macro is taken then.
    if (definition === undefined) return { read: [], rest: text };
    defined.set(definition.name, [...(defined.get(definition.name) ?? []), { offset: start.offset, value: definition.value }]);
  }
  // The parser's own macros (the months) unless the file redefines them; the file's macros where
  // they are defined once, with plain text, and only after their definition (before it, the parser
  // reports them undefined).
  const macroAt = (name: string, offset: number): string | undefined => {
    const definitions = defined.get(name);
    if (definitions === undefined) return Object.hasOwn(macros, name) ? macros[name] : undefined;
    const [only] = definitions;
    return definitions.length === 1 && only !== undefined && only.offset < offset && !Object.hasOwn(macros, name) ? only.value : undefined;
  };
  // Keys written twice (in any case), and entries in a crossref, are left to the parser.
  const related = relatedKeys(entries);
  const read: SimpleEntries['read'] = [];
  const parts: string[] = [];
  let cursor = 0;
  for (const { start, source, entry: parsed } of entries) {
    if (parsed?.end === undefined || related.has(parsed.key.toLowerCase())) continue;
    const entry = simpleEntry(parsed.entryType, parsed.key, parsed.fields, source.slice(0, afterSpaceAndComments(source, parsed.end)), (name) => macroAt(name, start.offset));
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
 * The name of the macro a @string defines (lower case, as the parser compares them), and its text
 * when it is one group in braces, or plain text in quotes (no braces, backslashes or quotes), and
 * nothing else; undefined when even the name cannot be read.
 */
function stringDefinition(source: string): { name: string; value: string | undefined } | undefined {
  const head = /^@\s*string\s*([{(])\s*([^\s=,{}()"#%]+)/i.exec(source);
  if (head === null) return undefined;
  const name = (head[2] as string).toLowerCase();
  const closer = head[1] === '{' ? '}' : ')';
  const rest = source.slice(head[0].length).replace(/^\s*=\s*/, '');
  let value: string | undefined;
  let after = '';
  if (rest.startsWith('{')) {
    let depth = 0;
    let end = -1;
    for (let index = 0; index < rest.length && end === -1; index++) {
      if (rest[index] === '{') depth++;
      else if (rest[index] === '}' && --depth === 0) end = index;
    }
    const group = end === -1 ? '' : rest.slice(0, end + 1);
    if (isOneGroup(group)) {
      value = group.slice(1, -1);
      after = rest.slice(end + 1);
    }
  } else {
    const quoted = /^"([^"{}\\]*)"/.exec(rest);
    if (quoted !== null) {
      value = quoted[1];
      after = rest.slice(quoted[0].length);
    }
  }
  return { name, value: value !== undefined && after.trimStart().startsWith(closer) ? value : undefined };
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

function simpleEntry(type: string, key: string, written: ReadonlyArray<{ name: string; value: string }>, source: string, macro: (name: string) => string | undefined): Entry | undefined {
  if (key === '' || !KEY.test(key) || new Set(written.map((field) => field.name)).size !== written.length) return undefined;
  const fields: Record<string, unknown> = {};
  const mode: Record<string, string> = {};
  let keywords: string[] = [];
  for (const { name, value: raw } of written) {
    if (!FIELD_NAME.test(name) || name === 'crossref') return undefined;
    const value = raw.startsWith('{') ? (isOneGroup(raw) ? raw.slice(1, -1) : undefined) : /^\d+$/.test(raw) ? raw : macro(raw.toLowerCase());
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

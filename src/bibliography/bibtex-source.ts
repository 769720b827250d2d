import { NON_ENTRY_TYPES, type EntryStart } from './scan-entries.ts';

/** A field as written in the source: name in lower case, value exactly as typed (braces, quotes, macros). */
export interface SourceField {
  name: string;
  value: string;
  /** Where the value (as written, before trimming) starts and ends in the entry's text. */
  start?: number;
  end?: number;
  /** Where the field's name starts in the entry's text. */
  nameStart?: number;
}

export interface SourceEntry {
  entryType: string;
  key: string;
  fields: SourceField[];
  /** Just after the entry's closing brace (or parenthesis), if it has one. */
  end?: number;
}

/**
 * Splits the source text of one entry into its fields without interpreting
 * their values, so that an entry can be written back out with some fields
 * removed and every other character as the owner wrote it. Returns undefined
 * when the text is not a well-formed entry. A comment (`%` to the end of the line, outside braces
 * and quotes) is read as the parser reads it: as nothing, between fields or after a value.
 */
export function splitEntrySource(written: string): SourceEntry | undefined {
  const head = /^\s*@\s*([A-Za-z]+)\s*([{(])\s*([^,\s]*)\s*,?/.exec(written);
  if (head === null) return undefined;
  const source = written.includes('%') ? blankComments(written, head[0].length) : written;
  const closer = head[2] === '(' ? CLOSE_PAREN : CLOSE_BRACE;
  const fields: SourceField[] = [];
  let index = head[0].length;
  let closed: number | undefined;
  for (;;) {
    while (index < source.length && (source.charCodeAt(index) === COMMA || isSpace(source.charCodeAt(index)))) index++;
    if (index >= source.length) break;
    if (source.charCodeAt(index) === closer) {
      closed = index + 1;
      break;
    }
    const nameStart = index;
    FIELD_NAME.lastIndex = index;
    const name = FIELD_NAME.exec(source)?.[0];
    if (name === undefined) return undefined;
    index += name.length;
    while (isSpace(source.charCodeAt(index))) index++;
    if (source.charCodeAt(index) !== EQUALS) return undefined;
    index++;
    const start = index;
    const end = valueEnd(source, index, closer);
    if (end === undefined) return undefined;
    fields.push({ name: name.toLowerCase(), value: source.slice(start, end).trim(), start, end, nameStart });
    index = end;
  }
  return { entryType: (head[1] ?? '').toLowerCase(), key: head[3] ?? '', fields, ...(closed === undefined ? {} : { end: closed }) };
}

/**
 * The text with each comment (`%` outside braces and quotes, to the end of its line) from `from`
 * (an entry's fields) on replaced by spaces, so that every other character stays where it was written.
 */
function blankComments(source: string, from: number): string {
  let blanked = '';
  let copied = 0;
  let depth = 0;
  let quoted = false;
  for (let index = from; index < source.length; index++) {
    const code = source.charCodeAt(index);
    if (code === BACKSLASH) index++;
    else if (code === OPEN_BRACE) depth++;
    else if (code === CLOSE_BRACE) depth = Math.max(0, depth - 1);
    else if (code === QUOTE && depth === 0) quoted = !quoted;
    else if (code === PERCENT && depth === 0 && !quoted) {
      let end = source.indexOf('\n', index);
      if (end === -1) end = source.length;
      blanked += source.slice(copied, index) + ' '.repeat(end - index);
      copied = end;
      index = end - 1;
    }
  }
  return blanked + source.slice(copied);
}

/** A field's name: anything up to a space or one of `=,{}()"#%` (sticky: read where it is set to start). */
const FIELD_NAME = /[^\s=,{}()"#%]+/y;

const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const CLOSE_PAREN = 0x29;
const QUOTE = 0x22;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const PERCENT = 0x25;

/** Whether a character code is one that `\s` matches in a regular expression (NaN, past the end, is not). */
function isSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return /\s/.test(String.fromCharCode(code));
}

/** A @string definition as written: the macro's name, and its value if it ends where the definition does. */
export function splitStringSource(source: string): { name: string; value: string | undefined } | undefined {
  const head = /^@\s*string\s*([{(])\s*([^\s=,{}()"#%]+)\s*/i.exec(source);
  if (head === null) return undefined;
  const name = head[2] as string;
  const closer = head[1] === '(' ? CLOSE_PAREN : CLOSE_BRACE;
  const index = head[0].length;
  if (source[index] !== '=') return { name, value: undefined };
  const end = valueEnd(source, index + 1, closer);
  return { name, value: end !== undefined && source.charCodeAt(end) === closer ? source.slice(index + 1, end).trim() : undefined };
}

/** Where a value ends: the first top-level comma or entry closer (a character code) outside braces and quotes. */
function valueEnd(source: string, from: number, closer: number): number | undefined {
  let depth = 0;
  let quoted = false;
  for (let index = from; index < source.length; index++) {
    const code = source.charCodeAt(index);
    if (code === BACKSLASH) {
      index++;
    } else if (code === OPEN_BRACE) {
      depth++;
    } else if (code === CLOSE_BRACE) {
      if (depth === 0) return closer === CLOSE_BRACE ? index : undefined;
      depth--;
    } else if (code === QUOTE && depth === 0) {
      quoted = !quoted;
    } else if (!quoted && depth === 0 && (code === COMMA || code === closer)) {
      return index;
    }
  }
  return undefined;
}

/** Writes an entry back as BibTeX, one field per line, a value's further lines under its first. */
export function formatEntrySource(entry: SourceEntry): string {
  const width = Math.max(0, ...entry.fields.map((field) => field.name.length));
  const lines = entry.fields.map((field) => {
    const start = `  ${field.name.padEnd(width)} = `;
    return `${start}${VERBATIM_FIELDS.has(field.name) ? field.value : underItsStart(field.value, start.length + (/^[{"]/.test(field.value) ? 1 : 0))},`;
  });
  return `@${entry.entryType}{${entry.key},\n${lines.join('\n')}\n}\n`;
}

/** Fields whose spaces biblatex keeps as written (addresses, file paths): never re-indented. */
const VERBATIM_FIELDS = new Set(['url', 'doi', 'eprint', 'file', 'pdf', 'verba', 'verbb', 'verbc', 'urlraw']);

/**
 * A value's lines after its first, indented to the column where its text starts. Exports indent
 * them to their own layout (DBLP's names under a value 17 columns in), which the names aligned
 * here anew no longer match. BibTeX reads any run of spaces and line breaks as one space, so the
 * value is the same; a blank line (a paragraph break, to biblatex) stays blank.
 */
function underItsStart(value: string, column: number): string {
  return value.includes('\n') ? value.replace(/\n[ \t]*(?=[^\s])/g, `\n${' '.repeat(column)}`) : value;
}

/** An entry of the text, from its `@` to the next one, split into its fields (none for @string and the like). */
export interface SplitEntry {
  start: EntryStart;
  source: string;
  entry: SourceEntry | undefined;
}

export function splitEntries(text: string, starts: readonly EntryStart[]): SplitEntry[] {
  return starts.map((start, index) => {
    const source = text.slice(start.offset, starts[index + 1]?.offset ?? text.length);
    return { start, source, entry: NON_ENTRY_TYPES.has(start.entryType) ? undefined : splitEntrySource(source) };
  });
}

/**
 * Keys (in lower case) of the entries the parser relates to others: a key written more than once,
 * and both sides of a crossref (the parser copies fields from parent to child).
 */
export function relatedKeys(entries: readonly SplitEntry[]): Set<string> {
  const seen = new Set<string>();
  const related = new Set<string>();
  for (const { entry } of entries) {
    if (entry === undefined) continue;
    const key = entry.key.toLowerCase();
    if (seen.has(key)) related.add(key);
    seen.add(key);
    const crossref = entry.fields.find((field) => field.name === 'crossref');
    if (crossref !== undefined) related.add(key).add(crossrefTarget(crossref.value).toLowerCase());
  }
  return related;
}

/** The key a crossref value names, as written (in braces or quotes). */
export function crossrefTarget(value: string): string {
  return value.replace(/^[{"]\s*|\s*[}"]$/g, '');
}

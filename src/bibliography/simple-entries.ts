import type { Entry } from '@retorquere/bibtex-parser';
import { crossrefTarget, splitEntries, splitStringSource, type SplitEntry } from './bibtex-source.ts';
import { scanEntryStarts, type EntryStart } from './scan-entries.ts';
import { countLineBreaks, CREATOR_FIELDS, decodeLiteralList, decodeSimpleField, decodeVerbatim, isOneGroup, parserMode } from './simple-fields.ts';

/**
 * Whole entries read without the BibTeX parser: those whose every field simple-fields.ts reads,
 * or is a number, a DOI-like verbatim value, keywords, a month macro or a macro the file defines
 * once with plain text (read as if that text were written in its place, which is what the parser
 * does). What the parser does with such an entry beyond its fields (its type and key, the order of
 * fields and of their modes, the month names and numbers, keywords split, deduplicated and
 * sorted, its text as `input`, crossref inheritance by its own tables) is done here the same way;
 * anything else (a crossref in quotes or to a macro, an entry linked to one the parser must read, a
 * macro joined with `#`, defined twice or not yet defined, a repeated field or key, a field it does
 * not read) leaves the entry to the parser. parse-entries.ts merges both, in the order of the file;
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
 * The parser's rules for crossrefs, from its own data (see parse-entries.ts): which fields a child
 * of each type takes from a parent of each type under another name, and which fields each type has.
 */
export interface CrossrefRules {
  mappings: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
  fields: Readonly<Record<string, readonly string[]>>;
}

/** Fields the parser never copies from a parent (its FieldAction.noCrossRef). */
const NOT_INHERITED = new Set(['file']);

/**
 * Reads the entries of `text` that need nothing of the parser. `macros` are the string macros
 * the parser is given (the months); one that the file redefines with @string is left to it.
 * Entries in a crossref are read only with the parser's `rules`, and only when every entry linked
 * to them (parent, children, their parents...) is read too; they then inherit as the parser has
 * them inherit.
 */
export function readSimpleEntries(text: string, macros: Readonly<Record<string, string>>, rules?: CrossrefRules): SimpleEntries {
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
  // A crossref to a macro could name any entry as its parent: such a file is left to the parser.
  if (entries.some(({ entry }) => entry?.fields.some((field) => field.name === 'crossref' && !/^[{"]/.test(field.value)) === true)) return { read: [], rest: text };
  const groups = crossrefGroups(entries);
  const candidates = new Map<string, { start: EntryStart; source: string; end: number; entry: Entry }>();
  for (const { start, source, entry: parsed } of entries) {
    if (parsed?.end === undefined) continue;
    const group = groups.of(parsed.key);
    // Keys written twice (in any case) are the parser's, with everything linked to them.
    if (group === undefined || (group.linked && rules === undefined)) continue;
    const entry = simpleEntry(parsed.entryType, parsed.key, parsed.fields, source.slice(0, afterSpaceAndComments(source, parsed.end)), (name) => macroAt(name, start.offset));
    if (entry !== undefined) candidates.set(parsed.key, { start, source, end: parsed.end, entry });
  }
  // An entry in a crossref is read here only with every entry it is linked to.
  const kept = [...candidates.values()].filter(({ entry }) => groups.of(entry.key)?.members.every((key) => candidates.has(key)) === true);
  if (rules !== undefined) inherit(kept.map((item) => item.entry), rules);
  const read: SimpleEntries['read'] = [];
  const parts: string[] = [];
  let cursor = 0;
  for (const { start, source, end, entry } of kept) {
    read.push({ offset: start.offset, entry });
    parts.push(text.slice(cursor, start.offset), '\n'.repeat(countLineBreaks(source.slice(0, end))));
    cursor = start.offset + end;
  }
  parts.push(text.slice(cursor));
  return { read, rest: parts.join('') };
}

/** Keys as most tools write them (DBLP's `conf/icml/Smith20` too): compared by upper case as the parser does. */
const PLAIN_KEY = /^[A-Za-z0-9_:.\-+/']+$/;
/** A plain crossref value: the key of the parent in braces, as the parser keeps it. */
const CROSSREF = /^\{([A-Za-z0-9_:.\-+/']+)\}$/;

/**
 * The entries each entry is linked to through crossrefs (both ways, transitively, by the keys in
 * the file), and whether it is linked at all; undefined for a key written more than once, for one
 * linked to such a key, and for crossrefs that are not plain ASCII keys.
 */
function crossrefGroups(entries: readonly SplitEntry[]): { of(key: string): { members: string[]; linked: boolean } | undefined } {
  const keysByUpper = new Map<string, string[]>();
  for (const { entry } of entries) if (entry !== undefined) keysByUpper.set(entry.key.toUpperCase(), [...(keysByUpper.get(entry.key.toUpperCase()) ?? []), entry.key]);
  const root = new Map<string, string>();
  const find = (key: string): string => {
    let at = key;
    while (root.has(at) && root.get(at) !== at) at = root.get(at) as string;
    root.set(key, at);
    return at;
  };
  const unreadable = new Set<string>();
  for (const { entry } of entries) {
    const crossref = entry?.fields.find((field) => field.name === 'crossref');
    if (entry === undefined || crossref === undefined) continue;
    const child = entry.key.toUpperCase();
    // Linked to the key as written (in quotes too); read here only when it is a plain key in braces.
    if (!CROSSREF.test(crossref.value) || !PLAIN_KEY.test(entry.key)) unreadable.add(child);
    root.set(find(child), find(crossrefTarget(crossref.value).toUpperCase()));
  }
  const members = new Map<string, string[]>();
  for (const upper of keysByUpper.keys()) members.set(find(upper), [...(members.get(find(upper)) ?? []), upper]);
  // Worked out once per group: a proceedings volume may have hundreds of papers.
  const readable = new Map<string, { members: string[] } | undefined>();
  const groupOf = (top: string): { members: string[] } | undefined => {
    if (!readable.has(top)) {
      const group = members.get(top) ?? [];
      const ok = group.every((member) => (keysByUpper.get(member)?.length ?? 0) === 1 && !unreadable.has(member));
      readable.set(top, ok ? { members: group.flatMap((member) => keysByUpper.get(member) ?? []) } : undefined);
    }
    return readable.get(top);
  };
  return {
    of(key: string) {
      const upper = key.toUpperCase();
      const top = find(upper);
      const group = groupOf(top);
      return group === undefined ? undefined : { members: group.members, linked: group.members.length > 1 || top !== upper };
    },
  };
}

/** The parser's crossref inheritance (its finalize step), on entries read here: the same fields, order and records. */
function inherit(entries: readonly Entry[], rules: CrossrefRules): void {
  const byKey = new Map<string, Entry>();
  for (const entry of entries) byKey.set(entry.key.toUpperCase(), entry);
  // Parents first (the latest seen first), then children, as the parser orders them.
  const parents: string[] = [];
  const children: string[] = [];
  const ordered = new Set<string>();
  for (const entry of entries) {
    const crossref = (entry.fields as Record<string, unknown>)['crossref'];
    const parent = typeof crossref === 'string' ? crossref.toUpperCase() : undefined;
    if (parent === undefined || !byKey.has(parent)) continue;
    const child = entry.key.toUpperCase();
    if (!ordered.has(parent)) parents.push(parent);
    ordered.add(parent);
    if (!ordered.has(child)) children.push(child);
    ordered.add(child);
  }
  const order = [...parents.reverse(), ...children];
  // A proceedings volume may have hundreds of papers: its pairs are listed once.
  const pairsByTypes = new Map<string, Array<[string, string]>>();
  const add = (record: { donated: string[]; inherited: string[] }, kind: 'donated' | 'inherited', field: string): void => {
    record[kind] = [...new Set([...record[kind], field])].sort();
  };
  for (const key of order) {
    const child = byKey.get(key) as Entry;
    const childFields = child.fields as Record<string, unknown>;
    const parent = byKey.get(String(childFields['crossref'] ?? '').toUpperCase());
    if (parent === undefined) continue;
    const parentFields = parent.fields as Record<string, unknown>;
    const given = (child.crossref ??= { donated: [], inherited: [] });
    const gave = (parent.crossref ??= { donated: [], inherited: [] });
    const take = (childField: string, parentField: string): void => {
      if (isEmpty(childFields[childField]) && !isEmpty(parentFields[parentField])) {
        childFields[childField] = parentFields[parentField];
        add(given, 'inherited', childField);
        add(gave, 'donated', parentField);
      }
    };
    const types = `${child.type}\n${parent.type}`;
    let pairs = pairsByTypes.get(types);
    if (pairs === undefined) pairsByTypes.set(types, (pairs = inheritedFieldPairs(child.type, parent.type, rules)));
    for (const [childField, parentField] of pairs) take(childField, parentField);
  }
  for (const entry of entries) if (entry.crossref !== undefined && entry.crossref.donated.length === 0 && entry.crossref.inherited.length === 0) delete entry.crossref;
}

/**
 * The fields a child of `childType` may take from a parent of `parentType`, as [child's field,
 * parent's field] in the order the parser tries them (a field already filled is not taken again):
 * first its tables' mappings under another name (a @proceedings' title is an @inproceedings'
 * booktitle), then the child's type's fields under their own name.
 */
export function inheritedFieldPairs(childType: string, parentType: string, rules: CrossrefRules): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const mappings of [rules.mappings[childType], rules.mappings['*']]) {
    if (mappings === undefined) continue;
    for (const mapping of [mappings[parentType], mappings['*']]) {
      if (mapping === undefined) continue;
      pairs.push(...Object.entries(mapping));
      for (const field of rules.fields[childType] ?? []) if (!NOT_INHERITED.has(field)) pairs.push([field, field]);
    }
  }
  return pairs;
}

/** What the parser's `!value` finds missing. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === 0 || value === false;
}

/**
 * The parser's `strings` for a text that holds nothing but @string definitions of plain text (and
 * text between them, which BibTeX ignores): each macro's name in upper case with its text decoded
 * as the parser decodes it. Undefined for anything else.
 */
export function readStringsAlone(text: string): Record<string, string> | undefined {
  const starts = scanEntryStarts(text, { directives: true });
  // An `@` the scan did not take for an entry (one inside a line) would be one to the parser.
  if (starts.some((start) => start.entryType !== 'string') || text.split('@').length - 1 !== starts.length) return undefined;
  const strings: Record<string, string> = {};
  for (const { source } of splitEntries(text, starts)) {
    const definition = stringDefinition(source);
    if (definition?.value === undefined || !PLAIN_KEY.test(definition.name)) return undefined;
    const decoded = decodeSimpleField(definition.value, 'tex');
    if (typeof decoded !== 'string') return undefined;
    strings[definition.name.toUpperCase()] = decoded;
  }
  return strings;
}

/**
 * The name of the macro a @string defines (lower case, as the parser compares them), and its text
 * when it is one group in braces, or plain text in quotes (no braces, backslashes or quotes), and
 * nothing else; undefined when even the name cannot be read.
 */
function stringDefinition(source: string): { name: string; value: string | undefined } | undefined {
  const written = splitStringSource(source);
  if (written === undefined) return undefined;
  const raw = written.value;
  const value = raw === undefined ? undefined : isOneGroup(raw) ? raw.slice(1, -1) : /^"([^"{}\\]*)"$/.exec(raw)?.[1];
  return { name: written.name.toLowerCase(), value };
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
    if (!FIELD_NAME.test(name)) return undefined;
    if (name === 'crossref') {
      // Kept as written (the parser neither decodes it nor leaves it out); readSimpleEntries checks the rest.
      const parent = CROSSREF.exec(raw)?.[1];
      if (parent === undefined) return undefined;
      fields[name] = parent;
      mode[name] = parserMode(name);
      continue;
    }
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

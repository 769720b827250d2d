import { combining, latex2unicode } from './unicode-tables.ts';
import { relatedKeys, splitEntries } from './bibtex-source.ts';
import { scanEntryStarts } from './scan-entries.ts';

/**
 * A fast path through the BibTeX parser for the fields that cost it most.
 *
 * The parser reads every field value with a general LaTeX grammar (unified-latex's PEG parser)
 * and then walks the tree: about 0.6 ms per entry, most of it on titles, abstracts, venues and
 * lists of authors, nearly all of which are plain text with a few accents, braces, dashes and
 * simple math. This module decodes such values itself, with the parser's own tables
 * (unicode2latex) and the parser's rules as it applies them when it is not asked to sentence-case
 * (see parserOptions in parse-entries.ts): the same characters come out, the combining accents
 * unnormalised, down to its quirks (`<` in text is `¡`, as TeX typesets it), and the same names,
 * split at "and" and commas with particles found as the parser finds them. parse-entries.ts then
 * hides the decoded fields from the parser (substituteSimpleFields) and puts them back.
 *
 * It declines anything outside that subset: an unknown or formatting command, a command with
 * arguments other than an accent, `^` or `_` outside math, `%`, `&`, `#`, a paragraph break,
 * unbalanced braces, biblatex's `family=` names... Declined values go to the parser unchanged,
 * so its output and its warnings stay what they were. test/simple-fields.test.ts compares the
 * values this module reads, and whole parses of every fixture, the real-world corpus and a
 * generated file, with what the parser makes of them.
 */

type TableValue = string | { text?: string; math?: string };
const TABLE = latex2unicode as Record<string, TableValue>;
const ACCENTS = combining.tounicode as Record<string, string>;

/** Commands the parser gives arguments (its `narguments`), which this module does not take apart. */
const TAKES_ARGUMENTS = new Set([
  'advance', 'ElsevierGlyph', 'bar', 'bibcyr', 'bibstring', 'chsf', 'cite', 'citeauthor', 'cyrchar', 'ding', 'emph', 'enquote',
  'frac', 'hbox', 'href', 'hskip', 'hspace', 'ht', 'mathrm', 'mbox', 'mkbibbold', 'mkbibemph', 'mkbibitalic', 'mkbibquote',
  'newcommand', 'noopsort', 'ocirc', 'overline', 'ProvideTextCommandDefault', 'rlap', 'sb', 'section', 'sp', 'subsection',
  'subsubsection', 'subsubsubsection', 't', 'textbf', 'textcite', 'textit', 'textrm', 'textsc', 'textsl', 'textsubscript',
  'textsuperscript', 'texttt', 'textup', 'url', 'vphantom', 'vspace', 'wd',
]);
/** Commands that change the markup of what follows them, or skip text. */
const SWITCHES = new Set(['em', 'it', 'sl', 'bf', 'sc', 'tt', 'ifdefined', 'else', 'fi']);
/** Characters the LaTeX grammar reads one at a time (its `punctuation`). */
const PUNCTUATION = new Set('.,;:-*/()!?=+<>[]`\'"~');
/** Characters this module leaves to the parser wherever they appear. */
const DECLINED = new Set('%&#\x0E\x0F');

/**
 * Fields read as a title or literal (not as names, lists, verbatim or rich text, and not
 * turned into numbers): the long ones, and short ones that are just as common.
 */
export const SIMPLE_FIELDS: ReadonlySet<string> = new Set([
  'title', 'subtitle', 'booktitle', 'journal', 'journaltitle', 'abstract', 'series', 'school', 'howpublished', 'edition',
  'chapter', 'eventtitle', 'maintitle', 'shorttitle', 'pages', 'volume', 'number', 'issue', 'address', 'type', 'isbn', 'issn',
]);

/** Thrown to give a value back to the parser (a plain object: no stack trace to capture). */
class Declined {
  constructor(readonly reason: string) {}
}

type Node =
  | { kind: 'string'; value: string }
  | { kind: 'space' }
  | { kind: 'group'; children: Node[] }
  | { kind: 'math'; children: Node[] }
  | { kind: 'macro'; name: string }
  /** `^` or `_` in math. */
  | { kind: 'script'; mark: '^' | '_' };

function lookup(key: string, math: boolean): string | undefined {
  if (!Object.hasOwn(TABLE, key)) return undefined;
  const value = TABLE[key];
  const text = typeof value === 'string' ? value : value?.[math ? 'math' : 'text'];
  return typeof text === 'string' ? text : undefined;
}

function isLetter(char: string | undefined): boolean {
  if (char === undefined || char.length !== 1) return false;
  const code = char.charCodeAt(0) | 0x20; // lower case
  return code >= 0x61 && code <= 0x7a;
}

/** Characters that end a run of ordinary text: commands, groups, math, spaces, punctuation and the declined. */
const SPECIAL = new Uint8Array(128);
for (const char of '\\{}$^_ \t\n\r') SPECIAL[char.charCodeAt(0)] = 1;
for (const char of [...PUNCTUATION, ...DECLINED]) SPECIAL[char.charCodeAt(0)] = 1;

function isSpecial(code: number): boolean {
  return code < 128 && SPECIAL[code] === 1;
}

/** The first characters of the parser's ligatures (`--`, `''`, `<<`, `~`...): only strings starting so are looked up. */
const LIGATURE_STARTS = new Set(Object.keys(TABLE).filter((key) => !key.includes('\\')).map((key) => key.charAt(0)));

/**
 * How deep groups may nest for this reader, which reads them by recursion: real values nest a few
 * levels, and thousands would overflow the stack. Deeper ones are the parser's, which reports them.
 */
const MAX_DEPTH = 100;

/** Reads the value into nodes as the LaTeX grammar would, or declines. */
class Reader {
  position = 0;
  constructor(private readonly text: string) {}

  nodes(math: boolean, closer: '' | '}' | '$', depth = 0): Node[] {
    if (depth > MAX_DEPTH) throw new Declined(`groups nested more than ${MAX_DEPTH} deep`);
    const nodes: Node[] = [];
    const text = this.text;
    while (this.position < text.length) {
      const char = text[this.position] as string;
      if (char === closer) {
        this.position++;
        return nodes;
      }
      if (char === '\\') {
        const next = text[this.position + 1];
        if (isLetter(next)) {
          let end = this.position + 1;
          while (isLetter(text[end])) end++;
          nodes.push({ kind: 'macro', name: text.slice(this.position + 1, end) });
          this.position = end;
        } else if (next !== undefined && '"\'`^~=.$_&%#,;'.includes(next)) {
          nodes.push({ kind: 'macro', name: next });
          this.position += 2;
        } else {
          throw new Declined(`the command \\${next ?? ''}`);
        }
      } else if (char === '{') {
        this.position++;
        nodes.push({ kind: 'group', children: this.nodes(math, '}', depth + 1) });
      } else if (char === '$') {
        if (math || text[this.position + 1] === '$') throw new Declined('display math');
        this.position++;
        nodes.push({ kind: 'math', children: this.nodes(true, '$', depth + 1) });
      } else if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
        let newlines = 0;
        while (this.position < text.length && ' \t\n\r'.includes(text[this.position] as string)) {
          if (text[this.position] === '\n') newlines++;
          this.position++;
        }
        if (newlines > 1) throw new Declined('a paragraph break');
        nodes.push({ kind: 'space' });
      } else if (char === '^' || char === '_') {
        if (!math) throw new Declined(`${char} outside math`);
        nodes.push({ kind: 'script', mark: char });
        this.position++;
      } else if (char === '}' || DECLINED.has(char)) {
        throw new Declined(`the character ${char}`);
      } else if (PUNCTUATION.has(char)) {
        nodes.push({ kind: 'string', value: char });
        this.position++;
      } else {
        let end = this.position + 1;
        while (end < text.length && !isSpecial(text.charCodeAt(end))) end++;
        nodes.push({ kind: 'string', value: text.slice(this.position, end) });
        this.position = end;
      }
    }
    if (closer !== '') throw new Declined('an unclosed group');
    return nodes;
  }
}

/** The parser's ligatures: up to three strings in a row that its table turns into one character. */
function ligature(nodes: readonly Node[], start: number): { text: string; length: number } | undefined {
  const strings: string[] = [];
  for (let index = start; index < start + 3 && nodes[index]?.kind === 'string'; index++) strings.push((nodes[index] as { value: string }).value);
  for (let length = strings.length; length > 0; length--) {
    const text = lookup(strings.slice(0, length).join(''), false);
    if (text) return { text, length };
  }
  return undefined;
}

/**
 * What a level of the value comes to once the parser has joined ligatures and replaced commands:
 * strings (which names are split on), spaces, and groups or math already rendered.
 */
type Item = { kind: 'string'; value: string } | { kind: 'space' } | { kind: 'rendered'; text: string; group: boolean };

const itemText = (item: Item): string => (item.kind === 'string' ? item.value : item.kind === 'space' ? ' ' : item.text);

function render(nodes: Node[], math: boolean): string {
  return items(nodes, math).map(itemText).join('');
}

/** One level of nodes, read left to right as the parser's pass over each list of nodes reads it. */
function items(nodes: Node[], math: boolean): Item[] {
  const out: Item[] = [];
  let index = 0;
  while (index < nodes.length) {
    const node = nodes[index] as Node;
    if (!math && node.kind === 'string' && LIGATURE_STARTS.has(node.value.charAt(0))) {
      const found = ligature(nodes, index);
      if (found !== undefined) {
        out.push({ kind: 'string', value: found.text });
        index += found.length;
        continue;
      }
    }
    index++;
    switch (node.kind) {
      case 'string':
        out.push(node);
        break;
      case 'space':
        if (!math) out.push(node); // spaces in math are dropped
        break;
      case 'group':
        out.push({ kind: 'rendered', text: render(node.children, math), group: true });
        break;
      case 'math':
        out.push({ kind: 'rendered', text: render(node.children, true), group: false });
        break;
      case 'macro': {
        const read = macro(node.name, nodes, index, math);
        out.push({ kind: 'string', value: read.text });
        index = read.next;
        break;
      }
      case 'script': {
        const read = script(node.mark, nodes, index);
        out.push({ kind: 'string', value: read.text });
        index = read.next;
        break;
      }
    }
  }
  return out;
}

/** What a command stands for, and the index of the node after what it took. */
interface Read {
  text: string;
  next: number;
}

/**
 * The argument a command takes from the nodes after it (a space before it skipped): the first
 * character of a string, the rest of which stays in place, or a whole node.
 */
function argument(nodes: Node[], at: number): { node: Node | undefined; first: string | undefined; next: number } {
  const index = nodes[at]?.kind === 'space' ? at + 1 : at;
  const node = nodes[index];
  if (node?.kind !== 'string') return { node, first: undefined, next: index + 1 };
  const first = node.value.slice(0, 1);
  const rest = node.value.slice(1);
  if (rest === '') return { node, first, next: index + 1 };
  nodes[index] = { kind: 'string', value: rest };
  return { node, first, next: index };
}

/** A superscript or subscript in math, when the table has every character of it. */
function script(mark: '^' | '_', nodes: Node[], at: number): Read {
  const taken = argument(nodes, at);
  let chars: string;
  if (taken.first !== undefined) {
    chars = taken.first;
  } else if (taken.node?.kind === 'group' && taken.node.children.length > 0 && taken.node.children.every((child) => child.kind === 'string')) {
    chars = taken.node.children.map((child) => (child as { value: string }).value).join('');
  } else {
    throw new Declined(`${mark} before something other than characters`);
  }
  let text = '';
  for (const char of chars) {
    const key = `${mark}{${char}}`;
    const mapped = Object.hasOwn(TABLE, key) ? TABLE[key] : undefined;
    if (typeof mapped !== 'string') throw new Declined(`${mark}${char}`);
    text += mapped;
  }
  return { text, next: taken.next };
}

/** An accent on the letter that follows it (`\"o`, `\"{o}`, `\c c`), as the letter and a combining mark. */
function accent(name: string, nodes: Node[], at: number): Read {
  const mark = ACCENTS[name] as string;
  const taken = argument(nodes, at);
  if (taken.first !== undefined) {
    if (!isLetter(taken.first)) throw new Declined(`\\${name} on ${taken.first}`);
    return { text: taken.first + mark, next: taken.next };
  }
  // A dotless i or j (`\"\i`, `\"{\i}`): the parser turns the command into its letter first.
  const dotless = (node: Node | undefined): string | undefined => (node?.kind === 'macro' && (node.name === 'i' || node.name === 'j') ? lookup(`\\${node.name}`, false) : undefined);
  const only = taken.node?.kind === 'group' && taken.node.children.length === 1 ? taken.node.children[0] : undefined;
  const letters = only?.kind === 'string' && /^[A-Za-z]+$/.test(only.value) ? only.value : (dotless(taken.node) ?? dotless(only));
  if (letters === undefined) throw new Declined(`\\${name} on something other than letters`);
  return { text: letters + mark, next: taken.next };
}

function macro(name: string, nodes: Node[], at: number, math: boolean): Read {
  if (Object.hasOwn(ACCENTS, name)) {
    if (math) throw new Declined(`\\${name} in math`);
    return accent(name, nodes, at);
  }
  if (SWITCHES.has(name) || TAKES_ARGUMENTS.has(name)) throw new Declined(`\\${name}`);
  const text = lookup(`\\${name}`, math);
  if (text === undefined) throw new Declined(`\\${name}`);
  // The parser drops the space after a command spelt in letters (`\ss foo` is "ßfoo").
  return { text, next: isLetter(name[0]) && nodes[at]?.kind === 'space' ? at + 1 : at };
}

/** A person as the parser gives one: family name, given names, particle, suffix, or a whole name. */
export interface Creator {
  lastName?: string;
  firstName?: string;
  prefix?: string;
  suffix?: string;
  name?: string;
}

/** The parser's split of a list of items at separators, by a pattern over their kinds. */
function split(list: readonly Item[], separator: (item: Item) => boolean, pattern: RegExp): Item[][] {
  const kinds = list.map((item) => (item.kind === 'space' ? ' ' : separator(item) ? '&' : '.')).join('');
  const parts: Item[][] = [];
  let at = 0;
  kinds.split(pattern).forEach((match, index) => {
    const content = list.slice(at, at + match.length);
    at += match.length;
    if (index % 2 === 0) parts.push(content);
  });
  return parts;
}

const isString =
  (value: string) =>
  (item: Item): boolean =>
    item.kind === 'string' && item.value === value;
const textOf = (list: readonly Item[]): string => list.map(itemText).join('');

/** Keeps the non-empty parts, trimmed, in the order given (as the parser's JSON round trip does). */
function trimmed(creator: Record<string, string | undefined>): Creator {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(creator)) {
    const text = typeof value === 'string' ? value.trim() : '';
    if (text !== '') result[key] = text;
  }
  return result;
}

/** One name, as the parser reads it: `{Whole Name}`, `von Last, Jr, First`, `Last, First` or `First von Last`. */
function creator(list: Item[]): Creator {
  const only = list.length === 1 ? list[0] : undefined;
  if (only?.kind === 'rendered' && only.group) return trimmed({ name: only.text });
  // biblatex's `family=..., given=...` names: left to the parser.
  if (list.some(isString('='))) throw new Declined('a name with =');
  if (list.some(isString(','))) {
    const parts = split(list, isString(','), /(&)/).map((part) => textOf(part).trim());
    if (parts.length === 3 && parts[2] === '') parts.pop();
    if (parts.length > 3) throw new Declined('a name in more than three parts');
    let [lastName = '', suffix, firstName] = parts.length === 2 ? [parts[0], undefined, parts[1]] : parts;
    let prefix: string | undefined;
    const particle = /^([a-z'. ]+) (.+)/.exec(lastName);
    if (particle !== null) [, prefix = '', lastName = ''] = particle;
    return trimmed({ lastName, firstName, prefix, suffix });
  }
  const words = split(list, () => false, /( )/)
    .map(textOf)
    .filter((word) => word !== '');
  if (words.length === 1) return trimmed({ lastName: words[0] });
  const lower = (word: string): boolean => /^[a-z]/.test(word);
  const prefix = words.findIndex(lower);
  const postfix = prefix <= 0 ? -1 : words.findIndex((word, index) => index > prefix && !lower(word));
  if (postfix === -1) {
    const lastName = words.pop();
    return trimmed({ lastName, firstName: words.join(' ') });
  }
  return trimmed({ firstName: words.slice(0, prefix).join(' '), prefix: words.slice(prefix, postfix).join(' '), lastName: words.slice(postfix).join(' ') });
}

/** A literal list (publisher, institution...) as the parser gives it: the parts between top-level "and"s, trimmed. */
export function decodeLiteralList(value: string): string[] | undefined {
  try {
    return split(items(new Reader(value).nodes(false, ''), false), (item) => item.kind === 'string' && /^and$/i.test(item.value), /(^& | & | &$)/).map((part) => textOf(part).trim());
  } catch (error) {
    if (error instanceof Declined) return undefined;
    throw error;
  }
}

/**
 * A verbatim field (a DOI, a URL, a file name) as the parser gives it, when it is one run of
 * characters the LaTeX grammar gives back as they are (single spaces between runs allowed).
 */
export function decodeVerbatim(value: string): string | undefined {
  return /^[^\s\\{}$%#^]+(?: [^\s\\{}$%#^]+)*$/.test(value) ? value : undefined;
}

/** What the parser gives for a field of each kind: a string, or a list of people. */
export type Decoded = string | Creator[];

/** Fields of people, which the parser reads as lists of names. */
export const CREATOR_FIELDS: ReadonlySet<string> = new Set(['author', 'editor']);

/**
 * The field as the parser would give it (a title or literal field, not sentence-cased; or a
 * list of people), or undefined when the value is outside what this module reads.
 */
export function decodeSimpleField(value: string, field = 'title'): Decoded | undefined {
  const result = readSimpleField(value, field);
  return typeof result === 'string' || Array.isArray(result) ? result : undefined;
}

/** The decoded field, or why it is left to the parser (for tests, and to find what to read next). */
export function readSimpleField(value: string, field = 'title'): Decoded | { declined: string } {
  try {
    const nodes = new Reader(value).nodes(false, '');
    if (CREATOR_FIELDS.has(field)) {
      return split(items(nodes, false), (item) => item.kind === 'string' && /^and$/i.test(item.value), /(^& | & | &$)/)
        .map(creator)
        .filter((person) => Object.keys(person).length > 0);
    }
    const decoded = render(nodes, false).trim();
    return decoded === '' ? { declined: 'nothing but spaces' } : decoded;
  } catch (error) {
    if (error instanceof Declined) return { declined: error.reason };
    throw error;
  }
}

/** What a token stands for. */
export interface Substitution {
  /** The field's name, and its value as the parser would give it. */
  field: string;
  decoded: Decoded;
  /** The text the token replaced, and how many line breaks the token is followed by in its place. */
  written: string;
  lineBreaks: number;
  /** The whole field (and the comma after it) was taken out of the parser's sight as a comment, not just its value. */
  removed: boolean;
}

/** A text for the parser with simple fields replaced by short tokens, and what each token stands for. */
export interface Substituted {
  text: string;
  values: Map<string, Substitution>;
  /** How every token begins; it occurs nowhere in the original text. */
  prefix: string;
  /** The entries some fields were taken out of, by key: their fields' names in the order written. */
  removedFrom: Map<string, string[]>;
}

/** The parser's field modes (its FieldMode): how it reads a field of each name. */
const PEOPLE = new Set(['author', 'bookauthor', 'collaborator', 'commentator', 'director', 'editor', 'editora', 'editorb', 'editors', 'holder', 'scriptwriter', 'translator']);
const TITLES = new Set(['title', 'subtitle', 'series', 'shorttitle', 'booktitle', 'origtitle', 'maintitle', 'eventtitle']);
const VERBATIM = new Set(['doi', 'eprint', 'file', 'files', 'pdf', 'groups', 'ids', 'url', 'verba', 'verbb', 'verbc']);
const VERBATIM_PATTERNS = [/^keywords([+]duplicate-\d+)?$/, /^citeulike-linkout-[0-9]+$/, /^bdsk-url-[0-9]+$/];
const RICH_TEXT = new Set(['annotation', 'comment', 'annote', 'review', 'notes', 'note']);
const LITERAL_LISTS = new Set(['institution', 'publisher', 'origpublisher', 'organization', 'location', 'origlocation']);

export type ParserMode = 'creatorlist' | 'title' | 'verbatim' | 'richtext' | 'literallist' | 'literal';

export function parserMode(field: string): ParserMode {
  if (PEOPLE.has(field)) return 'creatorlist';
  if (TITLES.has(field)) return 'title';
  if (VERBATIM.has(field) || VERBATIM_PATTERNS.some((pattern) => pattern.test(field))) return 'verbatim';
  if (RICH_TEXT.has(field)) return 'richtext';
  return LITERAL_LISTS.has(field) ? 'literallist' : 'literal';
}

/**
 * Replaces simple fields in `text` with tokens the parser reads in no time (or not at all),
 * keeping every line break, so that lines stay true. Only whole `{...}` values of the fields in
 * SIMPLE_FIELDS and CREATOR_FIELDS are replaced, and only those decodeSimpleField reads. In an
 * entry that has no crossref and is no entry's crossref (the parser copies fields between those),
 * a field that ends its line becomes a `%` comment, which the parser skips: each field it reads
 * costs it about 20 us, however short. Otherwise the value becomes a `{token}`, which the parser
 * reads as a short value.
 */
export function substituteSimpleFields(text: string): Substituted {
  let prefix = 'zqsf';
  while (text.includes(prefix)) prefix += 'q';
  const values = new Map<string, Substitution>();
  const removedFrom = new Map<string, string[]>();
  const entries = splitEntries(text, scanEntryStarts(text, { directives: true }));
  // Entries that take part in a crossref, and keys written more than once, keep their fields in sight.
  const related = relatedKeys(entries);
  const parts: string[] = [];
  let cursor = 0;
  for (const { start, source, entry } of entries) {
    if (entry === undefined) continue;
    const key = entry.key.toLowerCase();
    const names = entry.fields.map((field) => field.name);
    const inSight = related.has(key) || new Set(names).size !== names.length;
    let removedAny = false;
    for (const field of entry.fields) {
      if (field.start === undefined || field.end === undefined || field.nameStart === undefined) continue;
      if (!(SIMPLE_FIELDS.has(field.name) || CREATOR_FIELDS.has(field.name)) || !isOneGroup(field.value)) continue;
      const decoded = decodeSimpleField(field.value.slice(1, -1), field.name);
      if (decoded === undefined) continue;
      const token = `${prefix}${values.size}`;
      const open = field.start + source.slice(field.start, field.end).indexOf('{');
      const close = field.start + source.slice(field.start, field.end).lastIndexOf('}') + 1;
      // A field that ends its line (its comma with it) becomes a comment to the end of that line.
      const rest = inSight ? null : /^[ \t]*,?[ \t]*(?=\r?\n)/.exec(source.slice(close, close + 200));
      const removed = rest !== null;
      const from = removed ? field.nameStart : open;
      const to = removed ? close + rest[0].length : close;
      const written = source.slice(from, to);
      const lineBreaks = countLineBreaks(written);
      values.set(token, { field: field.name, decoded, written, lineBreaks, removed });
      parts.push(text.slice(cursor, start.offset + from), removed ? `%${token}` : `{${token}}`, '\n'.repeat(lineBreaks));
      cursor = start.offset + to;
      removedAny ||= removed;
    }
    if (removedAny) removedFrom.set(entry.key, names);
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), values, prefix, removedFrom };
}

/** `{...}` whose first brace closes at the end, with no backslash before a brace (the parsers disagree on those). */
export function isOneGroup(value: string): boolean {
  if (!value.startsWith('{') || !value.endsWith('}') || /\\[{}]/.test(value)) return false;
  let depth = 0;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0 && index !== value.length - 1) return false;
  }
  return depth === 0;
}

export function countLineBreaks(value: string): number {
  let count = 0;
  for (const char of value) if (char === '\n') count++;
  return count;
}

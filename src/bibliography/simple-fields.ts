import { combining, latex2unicode } from 'unicode2latex';
import { splitEntrySource } from './bibtex-source.ts';
import { NON_ENTRY_TYPES, scanEntryStarts } from './scan-entries.ts';

/**
 * A fast path through the BibTeX parser for the fields that cost it most.
 *
 * The parser reads every field value with a general LaTeX grammar (unified-latex's PEG parser)
 * and then walks the tree: about 0.6 ms per entry, most of it on titles, abstracts and venues,
 * nearly all of which are plain text with a few accents, braces, dashes and simple math. This
 * module decodes such values itself, with the parser's own tables (unicode2latex) and the
 * parser's rules as the parser applies them to a title or literal field when it is not asked
 * to sentence-case (see parserOptions in parse-entries.ts): the same characters come out, the
 * combining accents unnormalised, down to its quirks (`<` in text is `¡`, as TeX typesets it).
 *
 * It declines (returns undefined) anything outside that subset: an unknown or formatting
 * command, a command with arguments other than an accent, `^` or `_` outside math, `%`, `&`,
 * `#`, a paragraph break, unbalanced braces... Declined values go to the parser unchanged, so
 * its output and its warnings stay what they were. test/simple-fields.test.ts compares every
 * value this module accepts, in the real-world corpus and the benchmark's generated files,
 * with what the parser makes of it.
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
  | { kind: 'space'; newlines: number }
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

const isLetter = (char: string | undefined): boolean => char !== undefined && /^[A-Za-z]$/.test(char);

/** Reads the value into nodes as the LaTeX grammar would, or declines. */
class Reader {
  position = 0;
  constructor(private readonly text: string) {}

  nodes(math: boolean, closer: '' | '}' | '$'): Node[] {
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
        nodes.push({ kind: 'group', children: this.nodes(math, '}') });
      } else if (char === '$') {
        if (math || text[this.position + 1] === '$') throw new Declined('display math');
        this.position++;
        nodes.push({ kind: 'math', children: this.nodes(true, '$') });
      } else if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
        let newlines = 0;
        while (this.position < text.length && ' \t\n\r'.includes(text[this.position] as string)) {
          if (text[this.position] === '\n') newlines++;
          this.position++;
        }
        if (newlines > 1) throw new Declined('a paragraph break');
        nodes.push({ kind: 'space', newlines });
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
        while (end < text.length && !isSpecial(text[end] as string)) end++;
        nodes.push({ kind: 'string', value: text.slice(this.position, end) });
        this.position = end;
      }
    }
    if (closer !== '') throw new Declined('an unclosed group');
    return nodes;
  }
}

function isSpecial(char: string): boolean {
  return char === '\\' || char === '{' || char === '}' || char === '$' || char === '^' || char === '_' || char === ' ' || char === '\t' || char === '\n' || char === '\r' || PUNCTUATION.has(char) || DECLINED.has(char);
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

/** A superscript or subscript in math, when the table has every character of it. */
function script(mark: '^' | '_', argument: Node | undefined, nodes: Node[], at: number): string {
  let chars: string;
  if (argument?.kind === 'string') {
    chars = argument.value.slice(0, 1);
    const rest = argument.value.slice(1);
    if (rest === '') nodes.splice(at, 1);
    else nodes[at] = { kind: 'string', value: rest };
  } else if (argument?.kind === 'group' && argument.children.length > 0 && argument.children.every((child) => child.kind === 'string')) {
    chars = argument.children.map((child) => (child as { value: string }).value).join('');
    nodes.splice(at, 1);
  } else {
    throw new Declined(`${mark} before something other than characters`);
  }
  let result = '';
  for (const char of chars) {
    const mapped = TABLE[`${mark}{${char}}`];
    if (typeof mapped !== 'string' || !Object.hasOwn(TABLE, `${mark}{${char}}`)) throw new Declined(`${mark}${char}`);
    result += mapped;
  }
  return result;
}

/** An accent on the letter that follows it (`\"o`, `\"{o}`, `\c c`), as a letter and a combining mark. */
function accent(name: string, nodes: Node[], at: number): string {
  let index = at;
  if (nodes[index]?.kind === 'space') index++;
  const argument = nodes[index];
  const mark = ACCENTS[name] as string;
  if (argument?.kind === 'string') {
    const letter = argument.value.slice(0, 1);
    if (!isLetter(letter)) throw new Declined(`\\${name} on ${letter}`);
    const rest = argument.value.slice(1);
    if (rest === '') nodes.splice(at, index - at + 1);
    else nodes.splice(at, index - at + 1, { kind: 'string', value: rest });
    return letter + mark;
  }
  // A dotless i or j (`\"\i`, `\"{\i}`): the parser turns the command into its letter first.
  const dotless = (node: Node | undefined): string | undefined => (node?.kind === 'macro' && (node.name === 'i' || node.name === 'j') ? lookup(`\\${node.name}`, false) : undefined);
  const only = argument?.kind === 'group' && argument.children.length === 1 ? argument.children[0] : undefined;
  const letters = only?.kind === 'string' && /^[A-Za-z]+$/.test(only.value) ? only.value : (dotless(argument) ?? dotless(only));
  if (letters !== undefined) {
    nodes.splice(at, index - at + 1);
    return letters + mark;
  }
  throw new Declined(`\\${name} on something other than letters`);
}

function render(nodes: Node[], math: boolean): string {
  let out = '';
  while (nodes.length > 0) {
    const node = nodes[0] as Node;
    if (!math && node.kind === 'string') {
      const found = ligature(nodes, 0);
      if (found !== undefined) {
        out += found.text;
        nodes.splice(0, found.length);
        continue;
      }
    }
    nodes.shift();
    switch (node.kind) {
      case 'string':
        out += node.value;
        break;
      case 'space':
        out += math ? '' : ' ';
        break;
      case 'group':
        out += render(node.children, math);
        break;
      case 'math':
        out += render(node.children, true);
        break;
      case 'macro':
        out += macro(node.name, nodes, math);
        break;
      case 'script': {
        // Its argument: the next character, or a group; a space before it is skipped.
        const at = nodes[0]?.kind === 'space' ? 1 : 0;
        out += script(node.mark, nodes[at], nodes, at);
        if (at === 1) nodes.shift();
        break;
      }
    }
  }
  return out;
}

function macro(name: string, nodes: Node[], math: boolean): string {
  if (Object.hasOwn(ACCENTS, name)) {
    if (math) throw new Declined(`\\${name} in math`);
    return accent(name, nodes, 0);
  }
  if (SWITCHES.has(name) || TAKES_ARGUMENTS.has(name)) throw new Declined(`\\${name}`);
  const text = lookup(`\\${name}`, math);
  if (text === undefined) throw new Declined(`\\${name}`);
  // The parser drops the space after a command spelt in letters (`\ss foo` is "ßfoo").
  if (isLetter(name[0]) && nodes[0]?.kind === 'space') nodes.shift();
  return text;
}

/**
 * The field as the parser would give it (a title or literal field, not sentence-cased), or
 * undefined when the value is outside what this module reads.
 */
export function decodeSimpleField(value: string): string | undefined {
  const result = readSimpleField(value);
  return typeof result === 'string' ? result : undefined;
}

/** The decoded field, or why it is left to the parser (for tests and for finding what to read next). */
export function readSimpleField(value: string): string | { declined: string } {
  try {
    const decoded = render(new Reader(value).nodes(false, ''), false).trim();
    return decoded === '' ? { declined: 'nothing but spaces' } : decoded;
  } catch (error) {
    if (error instanceof Declined) return { declined: error.reason };
    throw error;
  }
}

/** A text for the parser with simple fields replaced by short tokens, and what each token stands for. */
export interface Substituted {
  text: string;
  /** By token: the decoded value, and the value as written (for the entry's `input`). */
  values: Map<string, { decoded: string; written: string }>;
  /** How every token begins; it occurs nowhere in the original text. */
  prefix: string;
}

/**
 * Replaces each simple field's braced value in `text` with a token the parser reads in no time
 * (keeping the value's line breaks, so that lines stay true). Only whole `{...}` values of the
 * fields in SIMPLE_FIELDS are replaced, and only those that decodeSimpleField reads.
 */
export function substituteSimpleFields(text: string): Substituted {
  let prefix = 'zqsf';
  while (text.includes(prefix)) prefix += 'q';
  const values = new Map<string, { decoded: string; written: string }>();
  const starts = scanEntryStarts(text, { directives: true });
  const parts: string[] = [];
  let cursor = 0;
  starts.forEach((start, index) => {
    if (NON_ENTRY_TYPES.has(start.entryType)) return;
    const end = starts[index + 1]?.offset ?? text.length;
    const source = text.slice(start.offset, end);
    const entry = splitEntrySource(source);
    if (entry === undefined) return;
    for (const field of entry.fields) {
      if (field.start === undefined || field.end === undefined || !SIMPLE_FIELDS.has(field.name)) continue;
      const written = field.value;
      if (!isOneGroup(written)) continue;
      const decoded = decodeSimpleField(written.slice(1, -1));
      if (decoded === undefined) continue;
      const token = `${prefix}${values.size}`;
      values.set(token, { decoded, written });
      const at = start.offset + field.start;
      const raw = source.slice(field.start, field.end);
      const leading = raw.slice(0, raw.indexOf('{'));
      const trailing = raw.slice(raw.lastIndexOf('}') + 1);
      parts.push(text.slice(cursor, at), `${leading}{${token}${'\n'.repeat(countLineBreaks(written))}}${trailing}`);
      cursor = start.offset + field.end;
    }
  });
  parts.push(text.slice(cursor));
  return { text: parts.join(''), values, prefix };
}

/** `{...}` whose first brace closes at the end, with no backslash before a brace (the parsers disagree on those). */
function isOneGroup(value: string): boolean {
  if (!value.startsWith('{') || !value.endsWith('}') || /\\[{}]/.test(value)) return false;
  let depth = 0;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0 && index !== value.length - 1) return false;
  }
  return depth === 0;
}

function countLineBreaks(value: string): number {
  let count = 0;
  for (const char of value) if (char === '\n') count++;
  return count;
}

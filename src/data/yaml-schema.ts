import { isCollection, isMap, isPair, isScalar, LineCounter, parseDocument, Scalar, visit, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { SiteDataError, type Problem } from '../errors.ts';
import { closestMatch } from '../text/closest-match.ts';
import { escapeRegExp } from '../text/regexp.ts';

/**
 * Parses a YAML data file and checks it against a schema, reporting every
 * problem at once with the file, line and dotted key of each.
 */
export function parseYamlWithSchema<Schema extends z.ZodType>(
  text: string,
  file: string,
  schema: Schema,
  /** Lines of the file before the YAML text, e.g. 1 for front matter after its `---` line. */
  lineOffset = 0,
): z.output<Schema> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line + lineOffset;

  const syntaxProblems: Problem[] = document.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    // The parser notices an unclosed quote or bracket where the text ends or the next key starts;
    // the owner needs the line where it was opened.
    const opened = error.code === 'MISSING_CHAR' || error.code === 'BAD_INDENT' ? unclosedAt(document, error.pos[0]) : undefined;
    if (opened !== undefined) {
      const start = lineCounter.linePos(opened.offset);
      return { file, line: start.line + lineOffset, column: start.col, message: `invalid YAML: the ${opened.what} that starts here is never closed (${firstLine(error.message)}, noticed at line ${pos.line + lineOffset})` };
    }
    return { file, line: pos.line + lineOffset, column: pos.col, message: `invalid YAML: ${firstLine(error.message)}${syntaxHint(error.code, text, error.pos[0], lineCounter, lineOffset)}` };
  });
  if (syntaxProblems.length > 0) throw new SiteDataError(syntaxProblems);
  const cut = [...cutByComments(document, text, lineOf, file), ...controlCharacters(document, lineOf, file)];
  if (cut.length > 0) throw new SiteDataError(cut.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));

  const result = schema.safeParse(valuesOf(document, lineOf, file) ?? {}, { reportInput: true });
  if (result.success) return result.data;

  // Each issue's unknown keys, with the keys allowed there and the one each most likely meant.
  const unknown = new Map<z.core.$ZodIssue, { known: string[]; keys: Array<{ key: string; hint: string | undefined }> }>(result.error.issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') return [];
    const known = knownKeysAt(schema, issue.path);
    return [[issue, { known, keys: issue.keys.map((key) => ({ key, hint: closestMatch(key, known) })) }] as const];
  }));
  // A required key misspelled ("titel") is said once, as the unknown key with the key it meant:
  // not also as that key missing, which sorted first.
  const meant = new Set([...unknown].flatMap(([issue, { keys }]) => keys.flatMap(({ hint }) => (hint === undefined ? [] : [dotted([...issue.path, hint])]))));
  const problems = result.error.issues.flatMap((issue): Problem[] => {
    if (issue.code === 'invalid_type' && issue.input === undefined && meant.has(dotted(issue.path))) return [];
    const unknownHere = unknown.get(issue);
    if (unknownHere !== undefined) {
      const { known, keys } = unknownHere;
      return keys.map(({ key, hint }) => {
        const path = [...issue.path, key];
        return {
          file,
          ...lineAt(document, path, lineOf, true),
          key: dotted(path),
          message: `unknown key "${key}"${hint === undefined ? '.' : `; did you mean "${hint}"?`}` +
            (known.length > 0 ? ` Allowed here: ${known.join(', ')}.` : ''),
        };
      });
    }
    // In empty front matter, nothing has a line: the problem is the block's, at its first line.
    const at = lineAt(document, issue.path, lineOf, false);
    return [{ file, ...(at.line === undefined && lineOffset > 0 ? { line: lineOffset } : at), key: dotted(issue.path), message: describe(issue) }];
  });
  throw new SiteDataError(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
}

/**
 * Values a "#" cut short: in YAML, " #" starts a comment even in the middle of a value written
 * without quotes, so `title: Talk #3` is "Talk" and `colour: #fff` is empty. A comment on the
 * value's own line with no space after its "#" is taken for part of the value (`# note`, and
 * comments on lines of their own, are left alone), and the owner is told how to keep it.
 */
function cutByComments(document: Document, text: string, lineOf: (offset: number) => number, file: string): Problem[] {
  const problems: Problem[] = [];
  const afterValue = /[ \t]+#(\S[^\r\n]*)/y;
  const asValue = /#(\S[^\r\n]*)/y;
  visit(document, {
    Scalar(_, node, path) {
      if (node.type !== Scalar.PLAIN || node.range === undefined || node.range === null) return;
      const parent = path[path.length - 1];
      if (isPair(parent) && parent.key === node) return;
      const empty = node.value === null || node.value === '';
      let match: RegExpExecArray | null;
      if (empty) {
        // An empty value's node starts where its comment does: one right after "key:" or "-" on its line.
        const start = node.range[0];
        if (!/[:-][ \t]+$/.test(text.slice(text.lastIndexOf('\n', start - 1) + 1, start))) return;
        asValue.lastIndex = start;
        match = asValue.exec(text);
      } else {
        afterValue.lastIndex = node.range[1];
        match = afterValue.exec(text);
      }
      if (match === null) return;
      const rest = `#${match[1] ?? ''}`.trimEnd();
      const written = empty ? rest : `${String(node.value)} ${rest}`;
      const key = isPair(parent) && isScalar(parent.key) ? String(parent.key.value) : undefined;
      problems.push({
        file,
        line: lineOf(match.index + match[0].indexOf('#')),
        ...(key === undefined ? {} : { key }),
        message: `read as ${empty ? 'empty' : `"${String(node.value)}"`}: in YAML, " #" starts a comment, so "${rest}" is left out; write ${JSON.stringify(written)} in quotes to keep it, or "# " before a comment`,
      });
    },
  });
  return problems;
}

/**
 * The document's values; an alias used before its anchor is set (`footer: *e` above `email: &e
 * ...`), which the parser lets through and only reading the values finds, is reported at its line.
 */
function valuesOf(document: Document, lineOf: (offset: number) => number, file: string): unknown {
  try {
    return document.toJS();
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let at: { line: number; name: string } | undefined;
    visit(document, {
      Alias(_, node) {
        if (at === undefined && node.range !== undefined && node.range !== null) at = { line: lineOf(node.range[0]), name: node.source };
      },
    });
    throw new SiteDataError([{ file, ...(at === undefined ? {} : { line: at.line }), message: `invalid YAML: ${error.message}${at === undefined ? '' : `; *${at.name} must come after the value marked &${at.name}`}` }]);
  }
}

/** Control characters but tab and line breaks (a carriage return alone is one: YAML reads CRLF as a line break). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/;

/**
 * Values holding a control character, written with an escape ("\x01") or pasted: no page shows
 * one, an XML file (the feed, the sitemap) is broken by it, and a vCard line by a carriage return.
 */
function controlCharacters(document: Document, lineOf: (offset: number) => number, file: string): Problem[] {
  const problems: Problem[] = [];
  visit(document, {
    Scalar(_, node, path) {
      const found = typeof node.value === 'string' ? CONTROL.exec(node.value)?.[0] : undefined;
      if (found === undefined || node.range === undefined || node.range === null) return;
      const parent = path[path.length - 1];
      const key = isPair(parent) && isScalar(parent.key) && parent.key !== node ? String(parent.key.value) : undefined;
      const code = `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      problems.push({ file, line: lineOf(node.range[0]), ...(key === undefined ? {} : { key }), message: `this value holds a control character (${code}), which no page can show and which breaks the site's XML files: remove it (it often comes with pasted text)` });
    },
  });
  return problems;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return `missing required key (expected ${issue.expected})`;
    return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, found ${found(issue.input)}${typeHint(issue.expected, issue.input)}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
  if (issue.code === 'invalid_value' && issue.values.length > 1) return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}${issue.input === undefined ? '' : `, found ${found(issue.input)}`}`;
  return issue.message.replace(/^Invalid input: /, '');
}

/** What a schema's type is called in a message to someone editing YAML. */
const TYPE_WORDS: Partial<Record<string, string>> = {
  string: 'text',
  boolean: 'true or false',
  array: 'a list (one "- " item per line)',
  object: 'keys indented under it',
  number: 'a number',
};

/** A value as YAML gave it, for a message: the number 2006, the text "Type", a list, keys. */
function found(value: unknown): string {
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return 'keys';
}

/** How to write what was meant: YAML reads 2006 as a number and true as a yes, where text was wanted. */
function typeHint(expected: string, value: unknown): string {
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return `: put it in quotes, "${String(value)}"`;
  if (expected === 'array' && typeof value === 'string') return `: write it as a list item, "- ${value}", on the next line`;
  return '';
}

/** What the owner most likely meant, for the YAML errors people make most. */
function syntaxHint(code: string, text: string, offset: number, lineCounter: LineCounter, lineOffset: number): string {
  const lines = text.split('\n');
  const { line, col } = lineCounter.linePos(offset);
  const written = lines[line - 1] ?? '';
  if (code === 'BLOCK_AS_IMPLICIT_KEY') {
    // "title: About: me", or the next key indented further than this one.
    return /:\s.*:\s/.test(written) ? '; a value with ": " in it needs quotes, e.g. title: "About: me"' : '; is the next line indented further than this one?';
  }
  // "title: 'Jane's homepage'": the second quote ends the value.
  if (/^UNEXPECTED_/.test(code) && /:\s*(["']).*\1.*\1/.test(written)) return `; a quote inside a quoted value ends it: write '' for ' inside '...', or quote it with the other kind of quote`;
  if (code === 'TAB_AS_INDENT') return '; indent with spaces';
  // "phone +44 74": a line of a mapping with no ": ", which the parser reads as part of a key running on.
  if (code === 'MULTILINE_IMPLICIT_KEY' && written.trim() !== '' && !/:(\s|$)/.test(written)) return '; this line has no ": " after its key: write it key: value';
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^\s:#]+|^"[^"]*"|^'[^']*'/.exec(text.slice(offset))?.[0];
    if (key === undefined) return '';
    // The key before it in the same mapping: at the same column, above it, before a line less indented.
    const same = new RegExp(`^([ \\t-]*)${escapeRegExp(key)}\\s*:`);
    let first: number | undefined;
    for (let index = line - 2; index >= 0; index--) {
      const above = lines[index] ?? '';
      if (above.trim() === '' || above.trimStart().startsWith('#')) continue;
      if ((same.exec(above)?.[1]?.length ?? -1) === col - 1) {
        first = index + 1;
        break;
      }
      if (above.length - above.trimStart().length < col - 1) break;
    }
    return `: "${key}" is given twice${first === undefined ? '' : `, first at line ${first + lineOffset}`}; keep one`;
  }
  return '';
}

/** A quoted value or a [...] or {...} collection left open, which the parser ended where it noticed (offset `end`). */
function unclosedAt(document: Document, end: number): { what: string; offset: number } | undefined {
  let open: { what: string; offset: number } | undefined;
  visit(document, {
    Node(_key, node) {
      const range = node.range;
      if (range === undefined || range === null || range[1] !== end) return undefined;
      if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) open = { what: 'quoted value', offset: range[0] };
      else if (isCollection(node) && node.flow === true) open = { what: isMap(node) ? '{' : '[', offset: range[0] };
      else return undefined;
      return visit.BREAK;
    },
  });
  return open;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replace(/\.\[/g, '[') || '(top level)';
}

/** The line of the deepest node on `path` that exists; keys point at the key itself. */
function lineAt(
  document: Document,
  path: readonly PropertyKey[],
  lineOf: (offset: number) => number,
  pointAtKey: boolean,
): { line?: number } {
  let node: unknown = document.contents;
  let line: number | undefined = rangeLine(node, lineOf);
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (pair === undefined) break;
      line = rangeLine(pointAtKey ? pair.key : (pair.value ?? pair.key), lineOf) ?? line;
      node = pair.value;
    } else if (node !== null && typeof node === 'object' && 'items' in node && typeof part === 'number') {
      const item = (node as { items: unknown[] }).items[part];
      if (item === undefined) break;
      line = rangeLine(item, lineOf) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line === undefined ? {} : { line };
}

function rangeLine(node: unknown, lineOf: (offset: number) => number): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : lineOf(range[0]);
}

/** The keys an object schema allows at `path`, for did-you-mean hints. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const part of [...path, null]) {
    current = unwrap(current);
    if (current instanceof z.ZodObject) {
      if (part === null) return Object.keys(current.shape);
      current = current.shape[String(part)] as z.ZodType | undefined;
    } else if (current instanceof z.ZodArray) {
      if (part === null) return [];
      current = current.element as z.ZodType;
    } else {
      return [];
    }
  }
  return [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

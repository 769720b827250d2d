import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Errors a site owner can act on. Each one carries where the problem is
 * (file, line, column, and the entry or data key) so that the first line of
 * the message says exactly what to fix: Eleventy does not print `cause`.
 */
export interface SourceLocation {
  /** Path relative to the project root, e.g. `publications.bib`. */
  file: string;
  line?: number;
  column?: number;
  /** BibTeX entry key or dotted data key, e.g. `profiles.github`. */
  key?: string;
}

export interface Problem extends SourceLocation {
  message: string;
}

export function formatLocation(location: SourceLocation): string {
  let where = location.file;
  if (location.line !== undefined) where += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) where += `:${location.column}`;
  return location.key === undefined ? where : `${where} (${location.key})`;
}

export function formatProblem(problem: Problem): string {
  return `${formatLocation(problem)}: ${problem.message}`;
}

/** Base class of every error caused by the site's own input, not by a bug. */
export class SiteInputError extends Error {
  override name = 'SiteInputError';
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const [first, ...rest] = problems;
    if (first === undefined) throw new TypeError('SiteInputError needs at least one problem');
    const more = rest.length === 0 ? '' : ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})`;
    const lines = [formatProblem(first) + more, ...rest.map(formatProblem)];
    super(lines.join('\n'));
    this.problems = problems;
  }
}

export class SiteDataError extends SiteInputError {
  override name = 'SiteDataError';
}

export class BibliographyError extends SiteInputError {
  override name = 'BibliographyError';
}

/** Raised by `--strict` builds: warnings are treated as errors. */
export class StrictModeError extends SiteInputError {
  override name = 'StrictModeError';
}

/**
 * A template error from deep inside Eleventy's wrappers, restated with the
 * layout's file, line and column in the first line.
 */
export function templateError(error: unknown, root: string): SiteInputError | undefined {
  for (const current of wrapped(error)) {
    const message = (current as { message?: unknown }).message;
    // Nunjucks names the error "Template render error" and starts the message with "(file) [Line n, Column m]";
    // an error in an including template comes nested: "(outer)\n  Template render error: (inner) [Line n, Column m]\n  what".
    if (typeof message !== 'string' || !/^(?:Template render error: )?\(\//.test(message)) continue;
    const headers = [...message.matchAll(/\((\/[^\n]+?)\)(?: \[Line (\d+), Column (\d+)\])?/g)].map((found) => ({
      file: found[1] ?? '',
      ...(found[2] === undefined ? {} : { line: Number(found[2]), column: Number(found[3]) }),
    }));
    const detail =
      message
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !/^(?:Template render error: )?\(\/.+?\)(?: \[Line \d+, Column \d+\])?$/.test(line))
        .at(-1)
        ?.replace(/^(?:Template render error: )?\(\/.+?\)(?: \[Line \d+, Column \d+\])?\s*/, '')
        .replace(/^\s*(Error|TypeError):\s*/, '') ?? '';
    const at = placeOfError(headers);
    const relative = (file: string): string => (file.startsWith(root + path.sep) ? file.slice(root.length + 1) : file || 'a layout');
    if (at === undefined) return new SiteInputError([{ file: relative(headers[0]?.file ?? ''), message: `in this template: ${detail}` }]);
    const tag = at.tag === undefined ? undefined : /^\{\{-?\s*([\w.]+)\s*-?\}\}/.exec(at.tag)?.[1];
    const explained = /^attempted to output null or undefined value$/.test(detail)
      ? `${tag === undefined ? 'a variable used here' : `"${tag}"`} is undefined: check its name, or give it a value in the page's front matter or the site data (or show it only {% if %} it is set)`
      : detail;
    // Nunjucks counts the lines of the template's body: its front matter comes before them.
    return new SiteInputError([{ file: relative(at.file), line: at.line + frontMatterLines(at.file), column: at.column, message: `in this template: ${explained}` }]);
  }
  return undefined;
}

/**
 * Which of the templates a Nunjucks error names holds the line and column it gives, with the text
 * there. Nunjucks gives the line in the template being rendered, but names the template included
 * last before it (an `{% include %}` earlier in the same layout): the one whose line has a tag
 * at that column is the one.
 */
function placeOfError(headers: ReadonlyArray<{ file: string; line?: number; column?: number }>): { file: string; line: number; column: number; tag?: string } | undefined {
  const withLine = headers.filter((header): header is { file: string; line: number; column: number } => header.line !== undefined && header.column !== undefined);
  const innermost = withLine.at(-1);
  if (innermost === undefined) return undefined;
  const tagAt = (file: string): string | undefined => {
    try {
      const text = readFileSync(file, 'utf8');
      const body = text.split('\n').slice(frontMatterLineCount(text));
      const rest = body[innermost.line - 1]?.slice(innermost.column - 1);
      return rest !== undefined && /^\{[{%]/.test(rest) ? rest : undefined;
    } catch {
      return undefined;
    }
  };
  for (const file of [...new Set([...headers].reverse().map((header) => header.file))]) {
    const tag = tagAt(file);
    if (tag !== undefined) return { file, line: innermost.line, column: innermost.column, tag };
  }
  return innermost;
}

/** How many lines a template's front matter takes, its two --- lines included (0 without one, or when it cannot be read). */
function frontMatterLines(file: string): number {
  try {
    return frontMatterLineCount(readFileSync(file, 'utf8'));
  } catch {
    return 0;
  }
}

/** How many lines a page's front matter takes in its text, its two --- lines included (0 without one). */
export function frontMatterLineCount(text: string): number {
  if (!/^---[^\S\n]*\r?\n/.test(text)) return 0;
  const closing = text.split('\n').findIndex((line, index) => index > 0 && /^---\s*$/.test(line));
  return closing === -1 ? 0 : closing + 1;
}

/**
 * Eleventy's "Output conflict" (two templates writing one file), restated for the owner: which of
 * their pages, at which address of the site, and whose page is already there (another of theirs,
 * or one the engine makes, whose template is no file of theirs).
 */
export function permalinkConflict(error: unknown, root: string, output: string): SiteInputError | undefined {
  for (const current of wrapped(error)) {
    const message = (current as { message?: unknown }).message;
    const found = typeof message === 'string' ? /^Output conflict: multiple input files are writing to `([^`]+)`/.exec(message) : null;
    if (found !== null && typeof message === 'string') {
      const written = path.resolve(found[1] ?? '');
      const address = pageAddress(path.relative(output, written).split(path.sep).join('/'));
      const inputs = [...message.matchAll(/^\s+\d+\. (.+)$/gm)].map((match) => path.resolve(root, match[1] ?? '')).map((file) => ({ file: path.relative(root, file).split(path.sep).join('/'), own: existsSync(file) }));
      // The page to mend is the one whose permalink chose the address, if one did.
      const own = inputs.filter((input) => input.own).map((input) => ({ ...input, line: permalinkLine(path.join(root, input.file)) }));
      const page = own.find((input) => input.line !== undefined) ?? own[0];
      if (page === undefined) return undefined;
      const other = own.find((input) => input !== page);
      const line = page.line;
      const whose = other === undefined ? 'where the engine writes a page of its own' : `as would ${other.file}`;
      return new SiteInputError([{ file: page.file, ...(line === undefined ? {} : { line, key: 'permalink' }), message: `this page would be written at ${address}, ${whose}: give it another permalink${line === undefined ? ' or another file name' : ''}` }]);
    }
  }
  return undefined;
}

/** A file's address in the site from its path there: publications/x/index.html is /publications/x/. */
export function pageAddress(sitePath: string): string {
  return `/${sitePath}`.replace(/\/index\.html$/, '/');
}

/** The line of a page's front matter that gives its permalink, if it has one. */
export function permalinkLine(file: string): number | undefined {
  return lineInFile(file, (written) => /^permalink\s*:/.test(written));
}

/** The number of a file's first line that passes the test, if the file can be read and one does: where a problem is. */
export function lineInFile(file: string, test: (line: string) => boolean): number | undefined {
  try {
    const index = readFileSync(file, 'utf8').split('\n').findIndex(test);
    return index === -1 ? undefined : index + 1;
  } catch {
    return undefined;
  }
}

/** Finds our own error inside whatever wrapper Eleventy put around it. */
export function findSiteInputError(error: unknown): SiteInputError | undefined {
  for (const current of wrapped(error)) if (current instanceof SiteInputError) return current;
  return undefined;
}

/** An error and those it wraps, outermost first: Eleventy's originalError, or the standard cause. */
function* wrapped(error: unknown): Generator<object> {
  const seen = new Set<unknown>();
  for (let current = error; current !== null && typeof current === 'object' && !seen.has(current); ) {
    seen.add(current);
    yield current;
    const next = current as { cause?: unknown; originalError?: unknown };
    current = next.originalError ?? next.cause;
  }
}

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

/**
 * A problem of the machine the build runs on rather than of the site's files: a file it may not
 * read or write, a full disk, a setting given in an environment variable. Said in one line, what
 * and where and what to do, without a stack: there is no bug to trace.
 */
export class BuildEnvironmentError extends Error {
  override name = 'BuildEnvironmentError';
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
    const headers = [...message.matchAll(new RegExp(NUNJUCKS_HEADER.source, 'g'))].map((found) => ({
      file: found[1] ?? '',
      ...(found[2] === undefined ? {} : { line: Number(found[2]), column: Number(found[3]) }),
    }));
    // What went wrong: the last line, without the header it may share a line with.
    const lines = message.split('\n').map((line) => line.replace(new RegExp(`^\\s*(?:Template render error: )?${NUNJUCKS_HEADER.source}\\s*`), '').trim());
    const detail = lines.filter((line) => line !== '').at(-1)?.replace(/^(Error|TypeError):\s*/, '') ?? '';
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

/** Nunjucks' "(file) [Line n, Column m]" before what it says went wrong; the line and column when it knows them. */
const NUNJUCKS_HEADER = /\((\/[^\n]+?)\)(?: \[Line (\d+), Column (\d+)\])?/;

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

/** The system calls that change the file system: their failure is a failure to write. */
const WRITING_CALLS = new Set(['mkdir', 'mkdtemp', 'rename', 'unlink', 'rmdir', 'rm', 'write', 'copyfile', 'cp', 'link', 'symlink', 'chmod', 'utime', 'futime', 'ftruncate', 'fsync']);

/**
 * A file-system failure from anywhere in the build (our code, Eleventy's, a library's), restated in
 * one line that names the file as the owner knows it: relative to the project, and a file of the
 * staging folder by its place in the output (the staging folder is the build's own business).
 */
export function environmentError(error: unknown, root: string, output: string): BuildEnvironmentError | undefined {
  for (const current of wrapped(error)) {
    const { code, syscall, path: file } = current as NodeJS.ErrnoException;
    if (typeof code !== 'string') continue;
    const where = file === undefined ? undefined : shownPath(file, root, output);
    const writing = WRITING_CALLS.has(syscall ?? '') || (file !== undefined && writtenByTheBuild(file, root, output));
    switch (code) {
      case 'EACCES':
      case 'EPERM': {
        const what = where ?? 'a file';
        const denied = code === 'EACCES' ? 'permission denied' : 'not permitted';
        if (writing) return new BuildEnvironmentError(`cannot write ${what}: ${denied}. Run the build as a user allowed to write there, such as its owner`);
        const folder = syscall === 'scandir' || syscall === 'opendir';
        return new BuildEnvironmentError(`cannot read ${what}: ${denied}. Let the user who runs the build read it${where === undefined ? '' : ` (its owner can run \`chmod a+r${folder ? 'x' : ''} ${where}\`)`}`);
      }
      case 'ENOSPC':
        return new BuildEnvironmentError(`the disk is full${where === undefined ? '' : ` (writing ${where})`}: free some space and build again`);
      case 'EDQUOT':
        return new BuildEnvironmentError(`your disk quota is used up${where === undefined ? '' : ` (writing ${where})`}: free some space and build again`);
      case 'EROFS':
        return new BuildEnvironmentError(`cannot write ${where ?? 'the site'}: the disk is read-only. Build the project where it can be written`);
      default:
        continue;
    }
  }
  return undefined;
}

/** Whether a file is one the build writes rather than reads: in the output, its staging folder, or the cache. */
function writtenByTheBuild(file: string, root: string, output: string): boolean {
  const absolute = path.resolve(file);
  const inside = (folder: string): boolean => absolute === folder || absolute.startsWith(folder + path.sep);
  return inside(output) || inside(path.join(root, '.cache')) || besideOutputName(absolute, output) !== undefined;
}

/**
 * A path as the owner knows it: relative to the project, a file of a build's hidden folders
 * beside the output by where it goes in the output, and such a folder itself by the folder that
 * holds the output (what the owner can change).
 */
function shownPath(file: string, root: string, output: string): string {
  const absolute = path.resolve(file);
  const relative = (target: string): string => {
    const shown = path.relative(root, target);
    if (shown === '') return 'the project folder';
    return shown.startsWith('..') || path.isAbsolute(shown) ? target : shown.split(path.sep).join('/');
  };
  const beside = besideOutputName(absolute, output);
  if (beside === undefined) return relative(absolute);
  const rest = path.relative(path.join(path.dirname(output), beside), absolute);
  if (rest === '') return path.dirname(output) === path.resolve(root) ? `the project folder (${root})` : `${relative(path.dirname(output))}/`;
  return relative(path.join(output, rest));
}

/** The name of the hidden folder beside the output (`._site-staging-…`, `._site-replaced-…`) a path is in, if it is in one. */
function besideOutputName(absolute: string, output: string): string | undefined {
  const parent = path.dirname(output);
  if (!absolute.startsWith(parent + path.sep)) return undefined;
  const name = absolute.slice(parent.length + 1).split(path.sep)[0] ?? '';
  return name.startsWith(`.${path.basename(output)}-`) ? name : undefined;
}

/** What writes a file of the site: a page (of content/, or of the engine's), a file of content/assets/, or the portrait's images (made from the photo). */
export type SiteFileSource = { page: string } | { asset: string } | { portrait: string };

/**
 * Files a build writes twice, at one address of the site, where Eleventy sees no conflict: a page
 * whose permalink is the address of a file of content/assets/ or of an image of the portrait, and
 * a file of content/assets/img/ named as an image of the portrait. Whichever is written last
 * would silently replace the other. Each is reported at the owner's file: the page's permalink,
 * or the asset to rename. `written` gives each file written (its path in `output`) and its source
 * (absolute paths).
 */
export function outputClashes(written: ReadonlyArray<{ file: string; source: SiteFileSource }>, root: string, output: string): SiteInputError | undefined {
  const sources = new Map<string, SiteFileSource[]>();
  for (const { file, source } of written) {
    const known = sources.get(file) ?? [];
    if (!known.some((other) => JSON.stringify(other) === JSON.stringify(source))) known.push(source);
    sources.set(file, known);
  }
  const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  const describe = (source: SiteFileSource): string =>
    'page' in source ? (existsSync(source.page) ? relative(source.page) : 'a page the engine makes') : 'asset' in source ? relative(source.asset) : `the portrait image made from ${relative(source.portrait)}`;
  const problems: Problem[] = [];
  for (const [file, all] of sources) {
    if (all.length < 2) continue;
    const address = pageAddress(path.relative(output, file).split(path.sep).join('/'));
    // The owner's page is what to mend (its permalink chose the address); else the owner's asset, to rename.
    const page = all.find((source): source is { page: string } => 'page' in source && existsSync(source.page));
    const asset = all.find((source): source is { asset: string } => 'asset' in source);
    const blamed = page ?? asset;
    if (blamed === undefined) continue;
    const others = all.filter((source) => source !== blamed).map(describe).join(' and ');
    if ('page' in blamed) {
      const line = permalinkLine(blamed.page);
      problems.push({ file: relative(blamed.page), ...(line === undefined ? {} : { line, key: 'permalink' }), message: `this page would be written at ${address}, where ${others} is published, and one would replace the other: give it another permalink${line === undefined ? ' or another file name' : ''}` });
    } else {
      problems.push({ file: relative(blamed.asset), message: `${others} is written at this address (${address}), and would replace this file: give it another name` });
    }
  }
  if (problems.length === 0) return undefined;
  return new SiteInputError(problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)));
}

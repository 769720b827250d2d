import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashOf, hashOfFile, type DiskCache } from './cache.ts';
import { SiteInputError } from './errors.ts';

interface CompiledStyles {
  css: string;
  /** Every file Sass read, relative to the project, with a hash of its content. */
  inputs: Array<{ file: string; hash: string }>;
}

/**
 * The compiled stylesheet, from the cache when no file Sass read has changed (and no file was
 * added to the styles folder); Sass itself, a large module, is loaded only to compile.
 */
export async function stylesheet(entry: string, projectRoot: string, cache: DiskCache): Promise<string> {
  const root = path.resolve(projectRoot);
  const listing = (await readdir(path.dirname(path.resolve(entry)), { recursive: true })).map(String).sort();
  const key = hashOf('styles', path.relative(root, entry), ...listing);
  const cached = await cache.get<CompiledStyles>('styles', key);
  if (cached !== undefined) {
    const unchanged = (input: { file: string; hash: string }): boolean => {
      try {
        return hashOfFile(path.join(root, input.file)) === input.hash;
      } catch {
        return false; // gone
      }
    };
    if (cached.inputs.every(unchanged)) return cached.css;
  }
  const compiled = await compileStyles(entry, root);
  await cache.set('styles', key, compiled);
  return compiled.css;
}

/**
 * Compiles the site's Sass entry point to one compressed stylesheet. Sass may
 * load files only from inside the project, and the result may not pull in
 * stylesheets from other sites.
 */
async function compileStyles(entry: string, projectRoot: string): Promise<CompiledStyles> {
  const { compile } = await import('sass');
  const stylesDir = path.dirname(path.resolve(entry));
  const root = path.resolve(projectRoot);
  let result: ReturnType<typeof compile>;
  try {
    result = compile(entry, { style: 'compressed', loadPaths: [stylesDir], sourceMap: false, charset: false });
  } catch (error) {
    const span = (error as { span?: { url?: URL; start?: { line: number; column: number } } }).span;
    const file = span?.url === undefined ? path.relative(root, entry) : path.relative(root, fileURLToPath(span.url));
    throw new SiteInputError([
      { file, ...(span?.start === undefined ? {} : { line: span.start.line + 1, column: span.start.column + 1 }), message: `Sass: ${(error as { sassMessage?: string }).sassMessage ?? String(error)}` },
    ]);
  }
  const outside = result.loadedUrls
    .filter((url) => url.protocol !== 'file:' || !path.resolve(fileURLToPath(url)).startsWith(root + path.sep))
    .map((url) => url.href);
  if (outside.length > 0) {
    throw new SiteInputError(outside.map((url) => ({ file: path.relative(root, entry), message: `the styles load ${url}, which is outside the project; copy what you need into styles/` })));
  }
  const remote = /@import\s+(url\()?["']?(https?:)?\/\//.exec(result.css);
  if (remote !== null) {
    throw new SiteInputError([{ file: path.relative(root, entry), message: `the styles import a stylesheet from another site (${remote[0]}); pages must load nothing from elsewhere` }]);
  }
  const inputs = result.loadedUrls.map((url) => ({ file: path.relative(root, fileURLToPath(url)), hash: hashOfFile(fileURLToPath(url)) }));
  return { css: result.css, inputs };
}

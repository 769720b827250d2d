import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashOfFile } from './cache.ts';
import { SiteInputError } from './errors.ts';

export interface SassJob {
  /** The Sass entry point. */
  entry: string;
  projectRoot: string;
}

/** A file of the styles, relative to the project, with a hash of its content. */
export interface StyleInput {
  file: string;
  hash: string;
}

export interface CompiledStyles {
  css: string;
  /** Every file Sass read. */
  inputs: StyleInput[];
}

/** Whether every one of these files is still there with the content that was hashed. */
export function inputsUnchanged(projectRoot: string, inputs: readonly StyleInput[]): boolean {
  return inputs.every(({ file, hash }) => {
    try {
      return hashOfFile(path.join(projectRoot, file)) === hash;
    } catch {
      return false; // gone
    }
  });
}

/**
 * Compiles the site's Sass entry point to one compressed stylesheet. Sass may
 * load files only from inside the project, and the result may not pull in
 * stylesheets from other sites.
 */
export async function compileSass({ entry, projectRoot }: SassJob): Promise<CompiledStyles> {
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

/** What a worker thread runs (see styles.ts). */
export const run = compileSass;

import path from 'node:path';
import { compile } from 'sass';

/**
 * Compiles the site's Sass entry point to one compressed stylesheet. Sass
 * may only load files from the styles folder, never from the network or
 * elsewhere on disk.
 */
export function compileStyles(entry: string): string {
  const stylesDir = path.dirname(path.resolve(entry));
  return compile(entry, { style: 'compressed', loadPaths: [stylesDir], sourceMap: false, charset: false }).css;
}

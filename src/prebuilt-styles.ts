import { readFileSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hashOfFile } from './cache.ts';
import { compileSass } from './sass.ts';

/**
 * The stylesheet of the engine's own styles/, compiled ahead of time and kept in the repository
 * (src/prebuilt/stylesheet.json, made by `npm run prebuilt-styles`). A project whose styles folder
 * is still the one shipped, which is most of them, gets its stylesheet without loading Sass: on a
 * first build (no cache) of the example, Sass is 0.8 s of the 3 s of work shared by two cores.
 * It is used only while every Sass or CSS file of the styles folder is byte for byte the one it
 * was made from (none added, none removed), and the installed Sass is the version that made it;
 * anything else is compiled.
 * test/prebuilt-styles.test.ts checks that it is what Sass makes of styles/ today.
 */
export interface PrebuiltStylesheet {
  /** The Sass version that compiled it. */
  sass: string;
  /** The entry point, relative to the project. */
  entry: string;
  /** Every file Sass could read in the entry point's folder (.scss, .sass, .css), relative to the project, with a hash of its content. */
  files: Array<{ file: string; hash: string }>;
  css: string;
}

const PREBUILT = new URL('./prebuilt/stylesheet.json', import.meta.url);

/** The prebuilt stylesheet, if this project's styles are exactly those it was made from. */
export function prebuiltStylesheet(entry: string, projectRoot: string, listing: readonly string[]): string | undefined {
  let prebuilt: PrebuiltStylesheet;
  try {
    prebuilt = JSON.parse(readFileSync(PREBUILT, 'utf8')) as PrebuiltStylesheet;
  } catch {
    return undefined; // none shipped (or unreadable): compile
  }
  const root = path.resolve(projectRoot);
  const folder = path.dirname(path.resolve(entry));
  if (prebuilt.entry !== projectPath(root, entry) || prebuilt.sass !== installedSassVersion()) return undefined;
  const sources = listing.filter(isSassSource);
  if (prebuilt.files.length !== sources.length || prebuilt.files.some(({ file }, index) => file !== projectPath(root, path.join(folder, sources[index] ?? '')))) return undefined;
  const unchanged = ({ file, hash }: { file: string; hash: string }): boolean => {
    try {
      return hashOfFile(path.join(root, file)) === hash;
    } catch {
      return false; // gone
    }
  };
  return prebuilt.files.every(unchanged) ? prebuilt.css : undefined;
}

/** Compiles the project's styles as a build would, with what a later build checks them against. */
export async function makePrebuiltStylesheet(entry: string, projectRoot: string): Promise<PrebuiltStylesheet> {
  const root = path.resolve(projectRoot);
  const folder = path.dirname(path.resolve(entry));
  const listing = (await readdir(folder, { recursive: true })).map(String).filter(isSassSource).sort();
  const { css } = await compileSass({ entry, projectRoot: root });
  const files = listing.map((name) => ({ file: projectPath(root, path.join(folder, name)), hash: hashOfFile(path.join(folder, name)) }));
  return { sass: installedSassVersion(), entry: projectPath(root, entry), files, css };
}

/** Writes the prebuilt stylesheet of the engine's styles, for the repository. */
export async function writePrebuiltStylesheet(entry: string, projectRoot: string): Promise<void> {
  writeFileSync(PREBUILT, `${JSON.stringify(await makePrebuiltStylesheet(entry, projectRoot), null, 2)}\n`);
}

/** What Sass could read: other files (a .csl style kept in styles/, notes) do not change the stylesheet. */
function isSassSource(name: string): boolean {
  return /\.(scss|sass|css)$/i.test(name);
}

/** A file's path relative to the project, with forward slashes on every system. */
function projectPath(root: string, file: string): string {
  return path.relative(root, path.resolve(file)).split(path.sep).join('/');
}

/** The version of Sass in node_modules, read from its package.json (which the package does not export). */
function installedSassVersion(): string {
  const main = createRequire(import.meta.url).resolve('sass');
  return (JSON.parse(readFileSync(path.join(path.dirname(main), 'package.json'), 'utf8')) as { version: string }).version;
}

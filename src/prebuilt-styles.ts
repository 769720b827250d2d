import { readFileSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { engineSources, hashOfFile } from './cache.ts';
import { compileSass, inputsUnchanged, type StyleInput } from './sass.ts';

/**
 * The stylesheet of the engine's own styles/, compiled ahead of time and kept in the repository
 * (src/prebuilt/stylesheet.json, made by `npm run prebuilt-styles`). A project whose styles folder
 * is still the one shipped, which is most of them, gets its stylesheet without loading Sass: on a
 * first build (no cache) of the example, Sass is 0.8 s of the 3 s of work shared by two cores.
 * It is used only while every Sass or CSS file of the styles folder is byte for byte the one it
 * was made from (none added, none removed), and Sass and src/sass.ts are those that made it;
 * anything else is compiled, so a stale record costs time, never correctness.
 */
export interface PrebuiltStylesheet {
  /** The Sass version that compiled it. */
  sass: string;
  /** A hash of src/sass.ts, which says how Sass is called (its options, the checks after it). */
  compiler: string;
  /** The entry point, relative to the project. */
  entry: string;
  /** Every file Sass could read in the entry point's folder (.scss, .sass, .css), relative to the project, with a hash of its content. */
  files: StyleInput[];
  css: string;
}

const PREBUILT = new URL('./prebuilt/stylesheet.json', import.meta.url);

/**
 * The prebuilt stylesheet, if this project's styles are exactly those it was made from: the same
 * Sass and CSS files (none added, none removed, every one byte for byte), the same Sass version and
 * the same src/sass.ts. `listing` is the entry point's folder as stylesheet() lists it; `prebuilt`
 * is the shipped record unless given.
 */
export function prebuiltStylesheet(entry: string, projectRoot: string, listing: readonly string[], prebuilt: unknown = readPrebuilt()): string | undefined {
  if (!isPrebuiltStylesheet(prebuilt)) return undefined; // none shipped, or not readable as one: compile
  const root = path.resolve(projectRoot);
  if (prebuilt.entry !== projectPath(root, entry) || prebuilt.sass !== installedSassVersion() || prebuilt.compiler !== compilerHash()) return undefined;
  const folder = path.dirname(path.resolve(entry));
  const sources = new Set(listing.filter(isSassSource).map((name) => projectPath(root, path.join(folder, name))));
  if (prebuilt.files.length !== sources.size || !prebuilt.files.every(({ file }) => sources.has(file))) return undefined;
  return inputsUnchanged(root, prebuilt.files) ? prebuilt.css : undefined;
}

/** Compiles the project's styles as a build would, with what a later build checks them against. */
export async function makePrebuiltStylesheet(entry: string, projectRoot: string): Promise<PrebuiltStylesheet> {
  const root = path.resolve(projectRoot);
  const folder = path.dirname(path.resolve(entry));
  const { css } = await compileSass({ entry, projectRoot: root });
  const files = (await readdir(folder, { recursive: true }))
    .map(String)
    .filter(isSassSource)
    .map((name) => ({ file: projectPath(root, path.join(folder, name)), hash: hashOfFile(path.join(folder, name)) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const compiler = compilerHash();
  if (compiler === undefined) throw new Error('src/sass.ts cannot be read: the prebuilt stylesheet would never be used');
  return { sass: installedSassVersion(), compiler, entry: projectPath(root, entry), files, css };
}

/** Writes the prebuilt stylesheet of the engine's styles, for the repository. */
export async function writePrebuiltStylesheet(entry: string, projectRoot: string): Promise<void> {
  writeFileSync(PREBUILT, `${JSON.stringify(await makePrebuiltStylesheet(entry, projectRoot), null, 2)}\n`);
}

function readPrebuilt(): unknown {
  try {
    return JSON.parse(readFileSync(PREBUILT, 'utf8'));
  } catch {
    return undefined;
  }
}

function isPrebuiltStylesheet(value: unknown): value is PrebuiltStylesheet {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const isFile = (file: unknown): boolean => typeof file === 'object' && file !== null && typeof (file as Record<string, unknown>)['file'] === 'string' && typeof (file as Record<string, unknown>)['hash'] === 'string';
  return ['sass', 'compiler', 'entry', 'css'].every((key) => typeof record[key] === 'string') && Array.isArray(record['files']) && record['files'].every(isFile);
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

/** A hash of src/sass.ts as written. */
function compilerHash(): string | undefined {
  try {
    return hashOfFile(path.join(engineSources(), 'sass.ts'));
  } catch {
    return undefined;
  }
}

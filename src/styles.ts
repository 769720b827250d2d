import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DiskCache, hashOf } from './cache.ts';
import { mayUseWorkers, runInWorkers } from './parallel.ts';
import { prebuiltStylesheet } from './prebuilt-styles.ts';
import { compileSass, inputsUnchanged, type CompiledStyles, type SassJob } from './sass.ts';

const SASS_MODULE = new URL('./sass.ts', import.meta.url);

/** The Sass entry point, relative to the project, unless .eleventy.ts names another. */
export const DEFAULT_STYLES = 'styles/main.scss';

/** Stylesheets a build started before Eleventy loaded its config, by entry point. */
const started = new Map<string, { sheet: Promise<string>; abort: AbortController }>();

/**
 * Starts the stylesheet (from the cache, or compiled in a worker) as a build starts: Sass then
 * runs while the bibliography is parsed, instead of after Eleventy has loaded the config, which
 * on a 2-core machine saves 0.03 s on the example site and 0.3 s with 5,000 entries. The plugin
 * takes it (takeStylesheet) when its entry point is this one; an error is reported then.
 */
export function startStylesheet(entry: string, projectRoot: string): void {
  const abort = new AbortController();
  const sheet = stylesheet(entry, projectRoot, new DiskCache(projectRoot), { inWorker: true, signal: abort.signal });
  sheet.catch(() => undefined);
  started.set(path.resolve(entry), { sheet, abort });
}

/** The stylesheet startStylesheet started for this entry point, if any (once). */
export function takeStylesheet(entry: string): Promise<string> | undefined {
  const key = path.resolve(entry);
  const sheet = started.get(key)?.sheet;
  started.delete(key);
  return sheet;
}

/** Stops what startStylesheet started that nothing took (the project's styles are elsewhere). */
export function dropStartedStylesheets(): void {
  for (const { abort } of started.values()) abort.abort(new Error('the stylesheet was not needed'));
  started.clear();
}

/**
 * The compiled stylesheet: the prebuilt one for the engine's own styles, else from the cache when
 * no file Sass read has changed (and no file was added to the styles folder); Sass itself, a
 * large module, is loaded only to compile.
 */
export async function stylesheet(entry: string, projectRoot: string, cache: DiskCache, options: { inWorker?: boolean; signal?: AbortSignal } = {}): Promise<string> {
  const root = path.resolve(projectRoot);
  const listing = (await readdir(path.dirname(path.resolve(entry)), { recursive: true })).map(String).sort();
  // The engine's own styles, unchanged: compiled when the engine was made (see prebuilt-styles.ts).
  const prebuilt = prebuiltStylesheet(entry, root, listing);
  if (prebuilt !== undefined) return prebuilt;
  const key = hashOf('styles', path.relative(root, entry), ...listing);
  const cached = await cache.get<CompiledStyles>('styles', key);
  if (cached !== undefined && inputsUnchanged(root, cached.inputs)) return cached.css;
  // A build compiles in a worker when there is a spare core (Sass takes 0.3 s, which the main thread
  // spends on Eleventy); while serving, in the main thread, where Sass stays loaded between edits.
  const job = { entry, projectRoot: root };
  const compiled = options.inWorker === true && mayUseWorkers() ? ((await runInWorkers<SassJob, CompiledStyles>(SASS_MODULE, [job], options.signal))[0] as CompiledStyles) : await compileSass(job);
  await cache.set('styles', key, compiled);
  return compiled.css;
}


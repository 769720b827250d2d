import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { hashOf, hashOfFile, type DiskCache } from './cache.ts';
import { mayUseWorkers, runInWorkers } from './parallel.ts';
import { compileSass, type CompiledStyles, type SassJob } from './sass.ts';

const SASS_MODULE = new URL('./sass.ts', import.meta.url);

/**
 * The compiled stylesheet, from the cache when no file Sass read has changed (and no file was
 * added to the styles folder); Sass itself, a large module, is loaded only to compile.
 */
export async function stylesheet(entry: string, projectRoot: string, cache: DiskCache, options: { inWorker?: boolean } = {}): Promise<string> {
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
  // A build compiles in a worker when there is a spare core (Sass takes 0.3 s, which the main thread
  // spends on Eleventy); while serving, in the main thread, where Sass stays loaded between edits.
  const job = { entry, projectRoot: root };
  const compiled = options.inWorker === true && mayUseWorkers() ? ((await runInWorkers<SassJob, CompiledStyles>(SASS_MODULE, [job]))[0] as CompiledStyles) : await compileSass(job);
  await cache.set('styles', key, compiled);
  return compiled.css;
}


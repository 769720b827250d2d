// Which engine this is, from its files. Plain JavaScript: src/cli/run.mjs needs it before the engine
// is compiled, and src/cache.ts when the engine runs through tsx.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Two hashes of the project's engine, from one reading of its files (and of Node's version):
 * `engine`, of every file compiled into it (src/'s .ts, .mjs, .js and .json files, .eleventy.ts
 * and the lock file, which gives the bundled packages' versions) and of where the project and its
 * packages are, names the compiled engine; `code`, of the same files of src/ and the lock file
 * beside the folder src/ really is (`codeRoot`: another when src/ is a link), is the cache's code
 * version, the same whether the engine runs compiled or through tsx (the project's .eleventy.ts is
 * not part of it, as it never was).
 */
export function sourceVersions(root, codeRoot = root) {
  const sources = path.join(root, 'src');
  const engine = createHash('sha256').update(process.version);
  const code = createHash('sha256').update(process.version);
  const add = (hash, name, content) => hash.update(name).update('\0').update(content);
  // In the order of their names: ".eleventy.ts" comes before "src/...".
  const config = path.join(root, '.eleventy.ts');
  if (existsSync(config)) add(engine, '.eleventy.ts', readFileSync(config));
  const names = readdirSync(sources, { recursive: true }).map(String).filter((name) => /\.(ts|mjs|js|json)$/.test(name)).sort();
  for (const name of names) {
    const content = readFileSync(path.join(sources, name));
    add(engine, path.join('src', name), content);
    add(code, name, content);
  }
  const lock = path.join(root, 'package-lock.json');
  const codeLock = path.join(codeRoot, 'package-lock.json');
  if (existsSync(lock)) add(engine, 'package-lock.json', readFileSync(lock));
  // The engine holds the project's address (the config finds the project from its own) and the
  // bundled packages find their own files by their paths in node_modules: a project moved or
  // copied elsewhere, or given other packages, gets an engine of its own.
  const packages = path.join(root, 'node_modules');
  add(engine, 'project', realpathSync(root));
  add(engine, 'node_modules', existsSync(packages) ? realpathSync(packages) : '');
  if (existsSync(codeLock)) add(code, 'package-lock.json', readFileSync(codeLock));
  return { engine: engine.digest('hex').slice(0, 16), code: code.digest('hex').slice(0, 16) };
}

/**
 * Where the project's compiled engines are kept: in its cache folder, where `npm ci` puts the first
 * (src/cli/run.mjs compile, the postinstall step), so that a first build does not compile it.
 */
export function engineFolder(root) {
  return path.join(root, ENGINE_FOLDER);
}

/** engineFolder's path within a project. */
export const ENGINE_FOLDER = path.join('.cache', 'academic-homepage', 'engine');

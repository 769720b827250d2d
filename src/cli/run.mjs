// `npm run build` and `npm run check` start here. Loading TypeScript through tsx costs about
// 0.25 s at every start (its loader sees every module Eleventy loads), so the engine (src/ and
// .eleventy.ts) is compiled to JavaScript with esbuild, into .cache/academic-homepage/engine/, and
// compiled again only when a source file changes. `npm ci` compiles it already (the `compile`
// command, its postinstall step): compiling takes about 0.15 s, which a first build would otherwise
// spend before anything else. Plain JavaScript, as it runs before any of that.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { engineFolder, sourceVersions } from '../source-versions.mjs';

const COMMANDS = new Set(['build', 'check', 'compile']);
const STALE_AFTER_MS = 10 * 60 * 1000;
const command = process.argv[2] ?? '';
if (!COMMANDS.has(command)) {
  console.error(`usage: node src/cli/run.mjs ${[...COMMANDS].join('|')} [arguments]`);
  process.exit(2);
}
process.argv.splice(2, 1); // the command sees its own arguments where it expects them

const root = process.cwd();
const sources = path.join(root, 'src');
const config = path.join(root, '.eleventy.ts');

/** Every file that goes into the compiled engine, relative to the project. */
function engineFiles() {
  const files = readdirSync(sources, { recursive: true }).map(String).map((file) => path.join('src', file));
  return [...files.filter((file) => /\.(ts|mjs|js|json)$/.test(file)), '.eleventy.ts'].sort();
}

/** The engine's and the cache's versions of the current sources (see source-versions.mjs). */
function currentVersions() {
  return sourceVersions(root, path.dirname(realpathSync(sources)));
}

/** Relative imports of `.ts` files become `.js`, as the compiled files are named. */
function renameImports(code) {
  return code.replace(/((?:\bfrom|\bimport)\s*\(?\s*|\bnew URL\(\s*)(["'])(\.{1,2}\/[^"']+)\.ts\2/g, (_match, before, quote, specifier) => `${before}${quote}${specifier}.js${quote}`);
}

async function compile(files, target) {
  const { build } = await import('esbuild');
  const typescript = files.filter((file) => file.endsWith('.ts'));
  await build({ entryPoints: typescript.map((file) => path.join(root, file)), outdir: target, outbase: root, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
  for (const file of typescript) {
    const compiled = path.join(target, file.replace(/\.ts$/, '.js'));
    let code = renameImports(readFileSync(compiled, 'utf8'));
    // The config finds the project from its own address: give it the original's.
    if (file === '.eleventy.ts') code = code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(config).href));
    writeFileSync(compiled, code);
  }
  for (const file of files.filter((name) => !name.endsWith('.ts'))) cpSync(path.join(root, file), path.join(target, file));
}

/** The compiled engine for the current sources, made if it is not there yet. */
async function compiledEngine(version) {
  const engines = engineFolder(root);
  const engine = path.join(engines, version);
  if (existsSync(path.join(engine, 'src', 'cli', 'build.js'))) return engine;
  const staging = path.join(engines, `.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await compile(engineFiles(), staging);
  // Engines of older sources are of no more use, once no build can still be running from them
  // (or compiling them): give those a few minutes.
  for (const old of readdirSync(engines)) {
    const folder = path.join(engines, old);
    if (folder !== staging && folder !== engine && Date.now() - statSync(folder).mtimeMs > STALE_AFTER_MS) rmSync(folder, { recursive: true, force: true });
  }
  try {
    renameSync(staging, engine);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return engine;
}

// Eleventy registers a module resolver that reloads edited JavaScript in watch mode; on Node 20
// it runs in a loader thread that every import then waits for (about 0.1 s per build). A build
// imports each module once, so it is not needed.
process.env['ELEVENTY_SKIP_ESM_RESOLVER'] ??= '1';

if (command === 'compile') {
  // After `npm ci`: never fails the install; a build compiles the engine itself if this could not.
  try {
    await compiledEngine(currentVersions().engine);
  } catch (error) {
    console.warn(`Note: the engine was not compiled ahead of the first build (${error instanceof Error ? error.message : String(error)}).`);
  }
  process.exit(0);
}

let entry;
try {
  const versions = currentVersions();
  const engine = await compiledEngine(versions.engine);
  // The cache's code version is taken from the TypeScript sources, so that compiled and tsx runs
  // share it; worked out here with the engine's, from the same reading of the files.
  process.env['ACADEMIC_HOMEPAGE_ENGINE_SOURCE'] = realpathSync(sources);
  process.env['ACADEMIC_HOMEPAGE_CODE_VERSION'] = versions.code;
  process.env['ACADEMIC_HOMEPAGE_CONFIG'] = path.join(engine, '.eleventy.js');
  entry = pathToFileURL(path.join(engine, 'src', 'cli', `${command}.js`)).href;
} catch (error) {
  console.warn(`Note: running the TypeScript sources directly (compiling them failed: ${error instanceof Error ? error.message : String(error)}).`);
  delete process.env['ACADEMIC_HOMEPAGE_ENGINE_SOURCE'];
  delete process.env['ACADEMIC_HOMEPAGE_CODE_VERSION'];
  delete process.env['ACADEMIC_HOMEPAGE_CONFIG'];
  const { register } = await import('tsx/esm/api');
  register();
  entry = pathToFileURL(path.join(sources, 'cli', `${command}.ts`)).href;
}
await import(entry);

// `npm run build` and `npm run check` start here. Loading TypeScript through tsx costs about
// 0.25 s at every start (its loader sees every module Eleventy loads), so the engine (src/ and
// .eleventy.ts) is compiled to JavaScript with esbuild, bundled with the packages it uses (see
// compile()), into .cache/academic-homepage/engine/, and compiled again only when a source file
// or the lock file changes. `npm ci` compiles it already (the `compile` command, its postinstall
// step): compiling takes one to two seconds, which a first build would otherwise spend before
// anything else. Plain JavaScript, as it runs before any of that.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { engineFolder, sourceVersions } from '../source-versions.mjs';
import { bundledPackageFiles, EXTERNAL_PACKAGES, loadedAtFirstCall, packageNamespaces, packageOf, packageSource, packagesUnchanged } from './bundled-packages.mjs';
import { nativeFunctionNamesIn } from './function-names.mjs';

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

/** `new URL('./x.ts', import.meta.url)`: a module run in a thread of its own (see parallel.ts). */
const MODULE_ADDRESS = /\bnew URL\(\s*(["'])(\.{1,2}\/[^"']+)\.ts\1\s*,\s*import\.meta\.url\s*\)/g;

/** What `compile` runs in the engine it compiled: the layouts compiled ahead of the first build. */
const LAYOUTS_ENTRY = path.join('src', 'cli', 'compile-layouts.ts');

/** The modules the main thread starts from: the commands run.mjs runs, the layouts' compiling, and the Eleventy config. */
const mainEntries = new Set([...[...COMMANDS].filter((name) => name !== 'compile').map((name) => path.join('src', 'cli', `${name}.ts`)), LAYOUTS_ENTRY, '.eleventy.ts']);

/**
 * The modules a compiled engine starts from: the commands run.mjs runs, the Eleventy config, and
 * every module a thread is started with (found by its address in the sources).
 */
function engineEntries(files) {
  const entries = new Set(mainEntries);
  for (const file of files.filter((name) => name.endsWith('.ts'))) {
    for (const [, , specifier] of readFileSync(path.join(root, file), 'utf8').matchAll(MODULE_ADDRESS)) entries.add(path.join(path.dirname(file), `${specifier}.ts`));
  }
  return [...entries].filter((file) => existsSync(path.join(root, file))).sort();
}

/**
 * The engine is bundled with the packages it uses (all but the few bundled-packages.mjs leaves
 * out): one module for the code every build runs, and a few loaded on demand (esbuild's code
 * splitting), instead of a file for every source and the ~1,100 files of Eleventy, citation-js,
 * pdfkit and the others, each of which Node would resolve, read, compile and link on its own (the
 * example site: cold 1.69 s to 1.39 s, warm 0.75 s to 0.60 s, A/B). Every output file is in
 * `bundle/`, so a source's `import.meta.url` becomes the address of the file it would be compiled
 * to (`../src/...js` from there), which the addresses it makes (a worker's module, a prebuilt
 * table, the site's script) are relative to; each entry gets a file there that re-exports it, and
 * the plain JavaScript and JSON files of src/ are copied there.
 */
async function compile(files, target) {
  const { build } = await import('esbuild');
  const entries = engineEntries(files);
  const bundleName = (file) => file.replace(/\.ts$/, '').replaceAll(path.sep, '.').replace(/^\./, '');
  const sourceAddresses = {
    name: 'source-addresses',
    setup(builder) {
      // src/ may be a link (as in the tests and the bench): esbuild gives the files' real paths.
      const realSources = realpathSync(sources);
      const realConfig = realpathSync(config);
      const projectFile = (file) => (file === realConfig ? '.eleventy.ts' : file.startsWith(realSources + path.sep) ? path.join('src', path.relative(realSources, file)) : path.relative(root, file));
      builder.onLoad({ filter: /\.(ts|[cm]?js)$/, namespace: 'file' }, (args) => {
        const file = projectFile(args.path);
        if (file.split(path.sep).includes('node_modules')) {
          const contents = packageSource(args.path, readFileSync(args.path, 'utf8'));
          return contents === undefined ? undefined : { contents, loader: 'js' };
        }
        // The engine's version covers src/ and the config (see source-versions.mjs): a module from
        // elsewhere could change without the engine being compiled again.
        if (file !== '.eleventy.ts' && !file.startsWith(`src${path.sep}`)) return { errors: [{ text: `${file.split(path.sep).join('/')} is outside src/, where the engine is compiled from; the sources run as they are, so that an edit to it is never missed (move it into src/ to have it compiled)` }] };
        const source = readFileSync(args.path, 'utf8');
        const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
        // The config finds the project from its own address: give it the original's.
        if (file === '.eleventy.ts') return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(config).href)), loader };
        const address = `new URL(${JSON.stringify(`../${file.split(path.sep).join('/').replace(/\.ts$/, '.js')}`)}, import.meta.url).href`;
        return { contents: source.replace(MODULE_ADDRESS, (_match, quote, specifier) => `new URL(${quote}${specifier}.js${quote}, import.meta.url)`).replaceAll('import.meta.url', address), loader };
      });
    },
  };
  // The modules of the main thread are bundled together, so that each is loaded once; a thread's
  // module is bundled on its own, as a thread shares no module with the others.
  const threadModules = entries.filter((file) => !mainEntries.has(file));
  const bundles = [mainEntries, ...threadModules.map((file) => [file])].map((group) =>
    build({
      entryPoints: [...group].map((file) => ({ in: path.join(root, file), out: bundleName(file) })),
      outdir: path.join(target, 'bundle'),
      bundle: true,
      splitting: true,
      external: EXTERNAL_PACKAGES,
      // The bundled CommonJS modules' `require` of Node's modules and of the packages left out.
      banner: { js: "import { createRequire as __engineRequire } from 'node:module';\nconst require = __engineRequire(import.meta.url);" },
      format: 'esm',
      // Eleventy and eleventy-img tell some classes apart by their names (made cheap below).
      keepNames: true,
      platform: 'node',
      target: 'node20',
      chunkNames: 'chunk-[hash]',
      metafile: true,
      plugins: [sourceAddresses, packageNamespaces, loadedAtFirstCall],
      // What went wrong is in the error, which the build prints.
      logLevel: 'silent',
    }),
  );
  const outputs = Object.assign({}, ...(await Promise.all(bundles)).map((result) => result.metafile.outputs));
  await nativeFunctionNamesIn(path.join(target, 'bundle'));
  for (const file of entries) {
    const compiled = path.join(target, file.replace(/\.ts$/, '.js'));
    const bundled = path.join(target, 'bundle', `${bundleName(file)}.js`);
    const { exports } = outputs[path.relative(root, bundled).split(path.sep).join('/')] ?? { exports: [] };
    const relative = path.relative(path.dirname(compiled), bundled).split(path.sep).join('/');
    const from = JSON.stringify(relative.startsWith('.') ? relative : `./${relative}`);
    mkdirSync(path.dirname(compiled), { recursive: true });
    writeFileSync(compiled, `export * from ${from};\n${exports.includes('default') ? `export { default } from ${from};\n` : ''}`);
  }
  for (const file of files.filter((name) => !name.endsWith('.ts'))) cpSync(path.join(root, file), path.join(target, file));
  // Which packages each file of the bundle holds: what a build loads, by package (see the tests).
  const packages = Object.fromEntries(
    Object.entries(outputs)
      .filter(([output]) => output.endsWith('.js'))
      .map(([output, { inputs }]) => [path.basename(output), [...new Set(Object.keys(inputs).map(packageOf).filter((name) => name !== undefined))].sort()]),
  );
  writeFileSync(path.join(target, 'bundle', 'packages.json'), `${JSON.stringify(packages, null, 1)}\n`);
  const inputs = Object.values(outputs).flatMap((output) => Object.keys(output.inputs));
  writeFileSync(path.join(target, PACKAGE_FILES), JSON.stringify(bundledPackageFiles(inputs, root)));
}

/** Where a compiled engine lists the files of node_modules bundled into it (see packagesUnchanged). */
const PACKAGE_FILES = path.join('bundle', 'package-files.json');

/** The files of node_modules bundled into a compiled engine, if it is there and lists them. */
function packageFilesOf(engine) {
  try {
    return JSON.parse(readFileSync(path.join(engine, PACKAGE_FILES), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The compiled engine for the current sources, made if it is not there yet. */
async function compiledEngine(version) {
  const engines = engineFolder(root);
  const engine = path.join(engines, version);
  const compiled = existsSync(path.join(engine, 'src', 'cli', 'build.js'));
  const packageFiles = compiled ? packageFilesOf(engine) : undefined;
  if (packageFiles !== undefined && packagesUnchanged(packageFiles)) return engine;
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
  // A package changed in place: the engine made from it is set aside, for the cleaning above.
  if (compiled) renameSync(engine, path.join(engines, `.replaced-${process.pid}-${Date.now()}`));
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

/** Runs the compiled engine from here on: what it needs to know, which a tsx run works out itself. */
function runsCompiled(engine, versions) {
  // The cache's code version is taken from the TypeScript sources, so that compiled and tsx runs
  // share it; worked out here with the engine's, from the same reading of the files.
  process.env['ACADEMIC_HOMEPAGE_ENGINE_SOURCE'] = realpathSync(sources);
  process.env['ACADEMIC_HOMEPAGE_CODE_VERSION'] = versions.code;
  process.env['ACADEMIC_HOMEPAGE_CONFIG'] = path.join(engine, '.eleventy.js');
}

if (command === 'compile') {
  // After `npm ci`: never fails the install; a build compiles the engine itself if this could not,
  // and the layouts as it needs them.
  let engine;
  try {
    const versions = currentVersions();
    engine = await compiledEngine(versions.engine);
    runsCompiled(engine, versions);
  } catch (error) {
    console.warn(`Note: the engine was not compiled ahead of the first build (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (engine !== undefined) {
    try {
      // Into the engine's folder only: the project's cache stays as it was (a first build finds none).
      process.env['ACADEMIC_HOMEPAGE_CACHE'] = 'off';
      await import(pathToFileURL(path.join(engine, LAYOUTS_ENTRY.replace(/\.ts$/, '.js'))).href);
    } catch (error) {
      console.warn(`Note: the layouts were not compiled ahead of the first build (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
  process.exit(0);
}

let entry;
try {
  const versions = currentVersions();
  const engine = await compiledEngine(versions.engine);
  runsCompiled(engine, versions);
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

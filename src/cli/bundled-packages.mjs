// How the packages the engine uses are bundled into it (see compile() in run.mjs), so that they
// run as they would from node_modules. Plain JavaScript, as run.mjs is.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Packages the engine imports without bundling them: esbuild, which runs a program of its own;
 * the BibTeX parser, whose data files the engine reads by their path beside it (see
 * crossrefRules), so that both are always of one version, and unicode2latex, which the parser
 * loads too (bundled, it would be loaded twice); Sass and KaTeX, large and needed only by styles
 * of one's own and by math in a title; Eleventy's development server and chokidar, used only by
 * `npm start`, which runs the sources through tsx.
 */
export const EXTERNAL_PACKAGES = ['esbuild', 'tsx', '@retorquere/bibtex-parser', 'unicode2latex', 'sass', 'katex', '@11ty/eleventy-dev-server', 'chokidar', 'fsevents'];

const isExternal = (specifier) => EXTERNAL_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/** A name given as a variable or a property (not a string written out, not a call), in parentheses. */
const COMPUTED_NAME = String.raw`\(\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[[A-Za-z_$][\w$]*\])*)\s*\)`;
/** `import(name)` of a computed name. */
const COMPUTED_IMPORT = new RegExp(String.raw`(?<![\w$.])import` + COMPUTED_NAME, 'g');
/** `require(name)` of a computed name. */
const COMPUTED_REQUIRE = new RegExp(String.raw`(?<![\w$.])require` + COMPUTED_NAME, 'g');

/**
 * A bundled package's source, changed where it relies on being the file it was in node_modules;
 * undefined when nothing needs changing. A package that finds its own files (by
 * `import.meta.url`, `import.meta.dirname`, `import.meta.filename`, `__dirname` or `__filename`) is
 * given the address of the file it was bundled from (Eleventy reads its package.json so, pdfkit its
 * font metrics); `require.resolve` resolves from that file, and so does a `require()` of a name
 * computed at run time (sharp's of its native binding, whose package stays in node_modules); and
 * an `import()` of a computed name resolves a relative name from there too (Eleventy's
 * `resolvePlugin` imports its plugins so). Those are real paths into node_modules: the engine's
 * version covers where node_modules is (see source-versions.mjs), and a build checks the bundled
 * files are still those (see packagesUnchanged). `import.meta.resolve` is refused: it would
 * resolve from the bundle, and the engine then runs from the sources, saying why.
 */
export function packageSource(file, source) {
  const url = pathToFileURL(file).href;
  let contents = source
    .replaceAll('import.meta.url', JSON.stringify(url))
    .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(file)))
    .replaceAll('import.meta.filename', JSON.stringify(file));
  if (/\bimport\.meta\.resolve\b/.test(contents)) throw new Error(`${file} uses import.meta.resolve, which a bundle cannot keep`);
  const prelude = [];
  for (const [name, value] of [['__dirname', path.dirname(file)], ['__filename', file]]) {
    if (!new RegExp(`\\b${name}\\b`).test(contents)) continue;
    if (new RegExp(`\\b(?:const|let|var)\\s+(?:${name}\\b|\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=)`).test(contents)) continue; // its own
    prelude.push(`var ${name} = ${JSON.stringify(value)};`);
  }
  let resolving = contents.replace(/(?<![\w$.])require\.resolve\(/g, '__packageRequire.resolve(');
  // A computed require, unless the module has a `require` of its own: sharp tries paths relative
  // to its own file first, then its binding's package.
  if (!/\b(?:const|let|var|function)\s+require\b/.test(contents)) resolving = resolving.replace(COMPUTED_REQUIRE, (_match, name) => `__packageRequire(${name})`);
  if (resolving !== contents) prelude.push(`var __packageRequire = require("node:module").createRequire(${JSON.stringify(url)});`);
  contents = resolving.replace(COMPUTED_IMPORT, (_match, name) => `import(__fromPackageFile(${name}))`);
  if (contents !== resolving) prelude.push(`function __fromPackageFile(name) { return typeof name === "string" && /^\\.\\.?\\//.test(name) ? new URL(name, ${JSON.stringify(url)}).href : name; }`);
  contents = prelude.length === 0 ? contents : `${prelude.join(' ')}\n${contents}`;
  return contents === source ? undefined : contents;
}

/** Whether Node reads the file as CommonJS: a `.cjs` file, or a `.js` file of a package not of `"type": "module"`. */
function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let folder = path.dirname(file); folder !== path.dirname(folder); folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type !== 'module';
  }
  return true;
}

const RESOLVING = Symbol('resolving');

/**
 * `import('package')` of a bundled CommonJS package gives what Node gives: each name Node finds
 * in it, and the module's exports as its default. esbuild gives only a default export for a
 * CommonJS module imported on demand into a chunk of its own, as it cannot tell its names, so the
 * import goes through a module that exports them (`yaml` and citation-js, for two, are CommonJS).
 * The module's name ends in `.mjs`, so that esbuild gives it the exports as its default as Node
 * does, even for a module compiled from an ES module (`__esModule`).
 */
export const packageNamespaces = {
  name: 'package-namespaces',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === RESOLVING || isBuiltin(args.path) || isExternal(args.path)) return undefined;
      const resolved = await builder.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: RESOLVING });
      if (resolved.errors.length > 0 || resolved.external || !isCommonJs(resolved.path)) return undefined;
      return { path: `${resolved.path}.namespace.mjs`, namespace: 'package-namespace', pluginData: resolved.path };
    });
    builder.onLoad({ filter: /.*/, namespace: 'package-namespace' }, async (args) => {
      const file = args.pluginData;
      const names = Object.keys(await import(pathToFileURL(file).href)).filter((name) => name !== 'default');
      const lines = [`import commonJs from ${JSON.stringify(file)};`, 'export default commonJs;'];
      names.forEach((name, index) => lines.push(`const name${index} = commonJs[${JSON.stringify(name)}];`, `export { name${index} as ${JSON.stringify(name)} };`));
      return { contents: `${lines.join('\n')}\n`, resolveDir: path.dirname(file), loader: 'js' };
    });
  },
};

/**
 * Modules that bundled packages import but the engine never calls, with why: bundled, each would
 * be compiled every time a thread loads the package that imports it. Each is bundled as a
 * stand-in for its default export, a function, that loads the module from node_modules at its
 * first call.
 */
const LOADED_AT_FIRST_CALL = [
  // fontkit's decoder of WOFF2 fonts, which the CV PDF never embeds (it takes .ttf and .otf
  // files): its dictionary, 1.3 MB of numbers, was a quarter of the time the PDF's thread took
  // to load its code.
  'brotli/decompress.js',
];

/** Bundles each module of LOADED_AT_FIRST_CALL as a stand-in that loads it at its first call. */
export const loadedAtFirstCall = {
  name: 'loaded-at-first-call',
  setup(builder) {
    const names = LOADED_AT_FIRST_CALL.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    builder.onResolve({ filter: new RegExp(`^(?:${names.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'first-call', pluginData: args.importer }));
    builder.onLoad({ filter: /.*/, namespace: 'first-call' }, (args) => ({
      contents: [
        "import { createRequire } from 'node:module';",
        'let loaded;',
        `export default function (...args) {\n  loaded ??= createRequire(${JSON.stringify(args.pluginData)})(${JSON.stringify(args.path)});\n  return loaded(...args);\n}`,
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** The package an input of the bundle comes from (`@scope/name` or `name`), if any. */
export function packageOf(input) {
  const [, rest] = /.*\bnode_modules\/(.*)$/.exec(input) ?? [];
  if (rest === undefined) return undefined;
  const parts = rest.split('/');
  return (parts[0].startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/**
 * The files of node_modules bundled into the engine, with their size and time, from esbuild's
 * inputs (relative to the project): what packagesUnchanged checks at every start.
 */
export function bundledPackageFiles(inputs, root) {
  return [...new Set(inputs.filter((input) => packageOf(input) !== undefined).map((input) => path.resolve(root, input.replace(/^[\w-]+:/, '').replace(/\.namespace\.mjs$/, ''))))]
    .sort()
    .map((file) => {
      const { size, mtimeMs } = statSync(file);
      return [file, size, mtimeMs];
    });
}

/**
 * Whether every file of node_modules bundled into the engine is still the one it was made from
 * (same size and time): the lock file names the packages' versions, but a package can also be
 * changed in place (patch-package, `npm link`, an edit to try something). About 800 files: 5 to
 * 9 ms.
 */
export function packagesUnchanged(files) {
  for (const [file, size, mtimeMs] of files) {
    try {
      const now = statSync(file);
      if (now.size !== size || now.mtimeMs !== mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

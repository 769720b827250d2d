import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { buildSite, builtMessage } from '../src/build.ts';
import { prebuiltStylesheet } from '../src/prebuilt-styles.ts';
import { EXTERNAL_PACKAGES, loadedAtFirstCall, packageOf, packageSource, packagesUnchanged, type BundledPackageFile } from '../src/cli/bundled-packages.mjs';
import { nativeFunctionNames } from '../src/cli/function-names.mjs';
import { engineFolder, sourceVersions } from '../src/source-versions.mjs';
import { createTestProject, keptTemplateFiles, repoRoot, snapshotFolder, type TestProject } from './helpers/project.ts';
import { noWorkersLeft } from './helpers/workers.ts';

const snapshot = snapshotFolder;

/** The packages, with every package they depend on, as installed in the repository's node_modules. */
async function packagesNeededBy(names: readonly string[]): Promise<Set<string>> {
  const needed = new Set<string>();
  const add = async (name: string): Promise<void> => {
    const manifest = path.join(repoRoot, 'node_modules', name, 'package.json');
    if (needed.has(name) || !existsSync(manifest)) return;
    needed.add(name);
    const { dependencies = {} } = JSON.parse(await readFile(manifest, 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(dependencies)) await add(dependency);
  };
  for (const name of names) await add(name);
  return needed;
}

/** The packages a module holds: its own, in node_modules, or those bundled into it, in a compiled engine. */
async function packagesLoadedBy(file: string): Promise<string[]> {
  const inPackages = packageOf(file);
  if (inPackages !== undefined) return [inPackages];
  const manifest = path.join(path.dirname(file), 'packages.json');
  if (path.basename(path.dirname(file)) !== 'bundle' || !existsSync(manifest)) return [];
  const bundled = JSON.parse(await readFile(manifest, 'utf8')) as Record<string, string[]>;
  return bundled[path.basename(file)] ?? [];
}

describe('building', () => {
  let project: TestProject;
  before(async () => {
    project = await createTestProject();
    await project.build();
  });
  after(async () => project.remove());

  it('gives byte-identical output for the same input', async () => {
    const first = await snapshot(path.join(project.root, '_site'));
    await project.build();
    assert.deepEqual(await snapshot(path.join(project.root, '_site')), first);
  });

  it('leaves the site it replaced, hidden, for the next build to remove while it renders', async () => {
    await project.build();
    const replaced = (await readdir(project.root)).filter((name) => name.startsWith('._site-replaced-'));
    assert.equal(replaced.length, 1);
    await project.build();
    const now = (await readdir(project.root)).filter((name) => name.startsWith('._site-'));
    assert.equal(now.length, 1, 'one replaced site at most, and no staging folder');
    assert.ok(existsSync(path.join(project.root, '_site', 'index.html')));
    // git does not see it.
    assert.match(await readFile(path.join(repoRoot, '.gitignore'), 'utf8'), /^\._site-replaced-\*\/$/m);
  });

  it('puts the site back if a build stopped between moving it aside and moving the new one in', async () => {
    const before = await snapshot(path.join(project.root, '_site'));
    // A build that stopped between its two renames (its process gone): the old site aside, the new
    // one staged, and its record of the swap, which says so.
    await rename(path.join(project.root, '_site'), path.join(project.root, '._site-replaced-999999999-crashed'));
    await mkdir(path.join(project.root, '._site-staging-999999999-crashed'));
    await writeFile(path.join(project.root, '._site-swapping-999999999-crashed'), JSON.stringify({ replaced: '._site-replaced-999999999-crashed', staging: '._site-staging-999999999-crashed' }));
    const good = await project.read('publications.bib');
    await project.write('publications.bib', good.replace('title     = {{GMBlock}: Optimizing', 'title     = {{GMBlock: Optimizing'));
    await assert.rejects(project.build());
    await project.write('publications.bib', good);
    assert.deepEqual(await snapshot(path.join(project.root, '_site')), before);
  });

  it('leaves the previous site untouched and names the entry when the bibliography is broken', async (t) => {
    const before = await snapshot(path.join(project.root, '_site'));
    const good = await project.read('publications.bib');
    t.after(() => project.write('publications.bib', good));
    await project.write('publications.bib', good.replace('title     = {{GMBlock}: Optimizing', 'title     = {{GMBlock: Optimizing'));
    await assert.rejects(project.build(), (error: Error) => /publications\.bib:\d+ \(koukis2010gmblock\): invalid BibTeX/.test(error.message));
    assert.deepEqual(await snapshot(path.join(project.root, '_site')), before);
    const leftovers = (await readdir(project.root)).filter((name) => name.includes('staging'));
    assert.deepEqual(leftovers, [], 'no staging folder is left behind');
  });

  it('leaves the previous site untouched when the site data is invalid', async (t) => {
    const before = await snapshot(path.join(project.root, '_site'));
    const good = await project.read('content/_data/site.yaml');
    t.after(() => project.write('content/_data/site.yaml', good));
    await project.write('content/_data/site.yaml', good.replace('\nphone:', '\nphnoe:'));
    await assert.rejects(project.build(), /content\/_data\/site\.yaml:\d+ \(phnoe\): unknown key "phnoe"; did you mean "phone"\?/);
    assert.deepEqual(await snapshot(path.join(project.root, '_site')), before);
  });

  it('uses the stylesheet .eleventy.ts names, and leaves no worker running', async (t) => {
    // A project of its own: a config module, once imported, stays loaded in this process.
    const themed = await createTestProject();
    t.after(() => themed.remove());
    const config = await themed.read('.eleventy.ts');
    await themed.write('theme/site.scss', '.theme-marker { color: #abcdef; }\n');
    await themed.write('.eleventy.ts', config.replace('config.addPlugin(academicSite, { root });', "config.addPlugin(academicSite, { root, styles: 'theme/site.scss' });"));
    await themed.build();
    const css = await themed.read('_site/assets/site.css');
    assert.match(css, /\.theme-marker\{color:#abcdef\}/);
    assert.doesNotMatch(css, /prefers-color-scheme/, 'not the example\'s stylesheet');
    await noWorkersLeft();
  });

  it('removes pages whose source was deleted', async () => {
    await project.write('content/extra.md', '---\ntitle: Extra\n---\nTemporary page.\n');
    await project.build();
    assert.ok(existsSync(path.join(project.root, '_site/extra/index.html')));
    await rm(path.join(project.root, 'content/extra.md'));
    await project.build();
    assert.ok(!existsSync(path.join(project.root, '_site/extra/index.html')));
  });

  it('refuses to write the site over the project, its content or outside it', async () => {
    for (const output of ['.', 'content', 'styles/out', '../elsewhere']) {
      await assert.rejects(buildSite({ root: project.root, output }), /refusing to write the site/);
    }
  });
});

describe('the build command (npm run build)', () => {
  it('says where the site is and how to look at it: npm start, or under a path prefix, the link check', () => {
    assert.match(builtMessage(0.734, '_site', undefined), /^Built the site in 0\.73 s into _site\/\. Preview it with `npm start` at http:\/\/localhost:8080\//);
    assert.equal(builtMessage(1, '_site', '/'), builtMessage(1, '_site', undefined));
    for (const prefix of ['/homepage/', 'homepage', '/homepage']) {
      assert.equal(builtMessage(1, '_site', prefix), 'Built the site in 1.00 s into _site/, its links under /homepage/ as GitHub Pages will serve it. Check them with `PATH_PREFIX=/homepage/ npm run check`.');
    }
  });

  const run = (root: string, env: Record<string, string> = {}): string =>
    execFileSync(process.execPath, ['src/cli/run.mjs', 'build'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env } });

  /** Compiles the engine, as `npm ci` does (its postinstall step). */
  const compile = (root: string): string => execFileSync(process.execPath, ['src/cli/run.mjs', 'compile'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

  /** A project's compiled engine, when it has one: its name and folder. */
  const onlyEngine = async (root: string): Promise<{ name: string; folder: string }> => {
    const [name = ''] = await readdir(engineFolder(root));
    return { name, folder: path.join(engineFolder(root), name) };
  };

  /** Builds, and gives the file of every module the build imported, in any thread. */
  const runRecordingModules = async (root: string): Promise<string[]> => {
    const record = path.join(root, 'loaded.txt');
    const hooks = `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(record)}, url + '\\n'); return next(url, context); }`;
    await writeFile(path.join(root, 'record.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});\n`);
    await rm(record, { force: true });
    run(root, { NODE_OPTIONS: '--import ./record.mjs' });
    return (await readFile(record, 'utf8')).split('\n').filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url));
  };

  it('runs the engine compiled to JavaScript, with the same output and the same cache as the TypeScript sources', async () => {
    const project = await createTestProject();
    try {
      await project.build();
      const fromSources = await snapshotFolder(path.join(project.root, '_site'));
      const cacheFolder = path.join(project.root, '.cache/academic-homepage/bibliography');
      const cached = async (): Promise<string[]> => Promise.all((await readdir(cacheFolder, { recursive: true })).map(async (file) => `${file}:${(await stat(path.join(cacheFolder, file))).mtimeMs}`));
      const before = await cached();
      // Everything rendered by the compiled engine, the CV PDF (in a worker, without tsx) included.
      assert.match(run(project.root, { ACADEMIC_HOMEPAGE_CACHE: 'off' }), /^Built the site in [\d.]+ s into _site\//m);
      assert.deepEqual(await snapshotFolder(path.join(project.root, '_site')), fromSources);
      run(project.root);
      assert.deepEqual(await cached(), before, 'the compiled engine reads the cache the sources wrote');
      const engines = await readdir(engineFolder(project.root));
      assert.equal(engines.length, 1, 'compiled once, then reused');
      const engine = path.join(engineFolder(project.root), engines[0] ?? '');
      assert.ok(existsSync(path.join(engine, 'src/cli/build.js')));
      // Bundled, each source's module still finds the files it names by their address relative to it:
      // a thread's module, the plain JavaScript threads start with, the prebuilt tables, the site's script.
      const bundle = path.join(engine, 'bundle');
      const addresses = new Set<string>();
      for (const file of await readdir(bundle)) {
        const code = await readFile(path.join(bundle, file), 'utf8');
        for (const [, target, source] of code.matchAll(/new URL\("([^"]+)", new URL\("([^"]+)", import\.meta\.url\)\.href\)/g)) {
          addresses.add(path.relative(engine, fileURLToPath(new URL(target ?? '', new URL(source ?? '', pathToFileURL(path.join(bundle, file)))))));
        }
      }
      const named = ['src/worker-entry.mjs', 'src/pages/file-writer-worker.mjs', 'src/bibliography/csl-format.js', 'src/bibliography/parse-entries.js', 'src/cv/pdf.js', 'src/sass.js', 'src/prebuilt/main-font-layout.json', 'src/prebuilt/stylesheet.json', 'src/client/site.js'];
      assert.deepEqual(named.filter((file) => !addresses.has(file)), [], 'every such address is rewritten');
      assert.deepEqual([...addresses].filter((file) => !existsSync(path.join(engine, file))), [], 'and leads to a file of the engine');
    } finally {
      await project.remove();
    }
  });

  it('bundles the packages it uses into the engine, so that a build loads none of them file by file from node_modules', async () => {
    const project = await createTestProject();
    try {
      // First, as `npm ci` does: compiling reads what the packages export, which is not the build's loading.
      compile(project.root);
      // Every file of the bundle was read, and lightened where keepNames's calls change nothing.
      const bundle = path.join((await onlyEngine(project.root)).folder, 'bundle');
      for (const file of (await readdir(bundle)).filter((name) => name.endsWith('.js'))) {
        const code = await readFile(path.join(bundle, file), 'utf8');
        assert.ok(nativeFunctionNames(code) === code, `${file} has keepNames's calls only where they name a function otherwise unnamed or renamed`);
      }
      const external = await packagesNeededBy(EXTERNAL_PACKAGES);
      for (const build of ['first', 'warm']) {
        const loaded = await runRecordingModules(project.root);
        const fromPackages = new Set(loaded.filter((file) => file.includes(`${path.sep}node_modules${path.sep}`)).map(packageOf));
        assert.deepEqual([...fromPackages].filter((name) => name === undefined || !external.has(name)), [], `the ${build} build imports nothing from node_modules but the packages left out of the bundle`);
        const bundled = new Set((await Promise.all(loaded.map(packagesLoadedBy))).flat());
        for (const name of ['@11ty/eleventy', 'nunjucks', 'markdown-it']) assert.ok(bundled.has(name), `the ${build} build runs ${name} from the engine's bundle`);
        if (build === 'first') for (const name of ['pdfkit', 'fontkit', '@citation-js/core', 'yaml', 'zod', 'sharp']) assert.ok(bundled.has(name), `the first build runs ${name} from the engine's bundle`);
      }
    } finally {
      await project.remove();
    }
  });

  it('bundles a module the engine never calls as a stand-in that loads it at its first call (brotli, which fontkit imports for WOFF2 fonts)', async () => {
    const { build } = await import('esbuild');
    const out = await mkdtemp(path.join(tmpdir(), 'first-call-'));
    try {
      const outfile = path.join(out, 'fontkit.mjs');
      const { metafile } = await build({
        stdin: { contents: "export * as fontkit from 'fontkit';", resolveDir: repoRoot, loader: 'js' },
        bundle: true,
        format: 'esm',
        platform: 'node',
        outfile,
        metafile: true,
        plugins: [loadedAtFirstCall],
        banner: { js: "import { createRequire as __engineRequire } from 'node:module';\nconst require = __engineRequire(import.meta.url);" },
        logLevel: 'silent',
      });
      assert.deepEqual(Object.keys(metafile.inputs).filter((input) => packageOf(input) === 'brotli'), [], 'brotli is not bundled');
      // Called, it decodes as ever: a WOFF2 font (one of KaTeX's) is read.
      const { fontkit } = (await import(pathToFileURL(outfile).href)) as { fontkit: typeof import('fontkit') };
      const font = fontkit.openSync(path.join(repoRoot, 'node_modules/katex/dist/fonts/KaTeX_Main-Regular.woff2')) as unknown as { familyName: string; glyphForCodePoint(codePoint: number): { advanceWidth: number } };
      assert.equal(font.familyName, 'KaTeX_Main');
      assert.ok(font.glyphForCodePoint(0x41).advanceWidth > 0);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('resolves a require() of a name computed at run time from the bundled package\'s own file, as sharp finds its native binding', async () => {
    const { build } = await import('esbuild');
    const out = await mkdtemp(path.join(tmpdir(), 'computed-require-'));
    try {
      // A package that loads a file beside it by a relative name it computes, as sharp does.
      const lib = path.join(out, 'node_modules', 'finds-its-own', 'lib');
      await mkdir(lib, { recursive: true });
      await writeFile(path.join(out, 'node_modules', 'finds-its-own', 'package.json'), '{ "name": "finds-its-own", "main": "lib/index.js" }');
      await writeFile(path.join(lib, 'index.js'), "const candidates = ['./missing.js', './binding.js'];\nlet found;\nfor (const candidate of candidates) { try { found = require(candidate); break; } catch {} }\nmodule.exports = found;\n");
      await writeFile(path.join(lib, 'binding.js'), "module.exports = 'the binding beside it';\n");
      const asPackageSource = {
        name: 'package-source',
        setup(builder: { onLoad(options: { filter: RegExp }, load: (args: { path: string }) => Promise<{ contents: string; loader: 'js' } | undefined>): void }) {
          builder.onLoad({ filter: /node_modules.*\.js$/ }, async (args) => {
            const contents = packageSource(args.path, await readFile(args.path, 'utf8'));
            return contents === undefined ? undefined : { contents, loader: 'js' };
          });
        },
      };
      const outfile = path.join(out, 'bundle', 'entry.mjs');
      await build({
        stdin: { contents: "export { default } from 'finds-its-own';", resolveDir: out, loader: 'js' },
        bundle: true,
        format: 'esm',
        platform: 'node',
        outfile,
        plugins: [asPackageSource],
        banner: { js: "import { createRequire as __engineRequire } from 'node:module';\nconst require = __engineRequire(import.meta.url);" },
        logLevel: 'silent',
      });
      // Bundled, the package's code runs from bundle/, where no binding.js is.
      const { default: found } = (await import(pathToFileURL(outfile).href)) as { default: unknown };
      assert.equal(found, 'the binding beside it');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('is compiled by npm ci already (its postinstall step), which a first build then runs, and which never fails the install', async () => {
    const project = await createTestProject();
    try {
      const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      assert.equal(manifest.scripts['postinstall'], 'node src/cli/run.mjs compile');
      assert.equal(compile(project.root), '');
      const [engine, ...others] = await readdir(engineFolder(project.root));
      assert.deepEqual(others, []);
      assert.deepEqual(await readdir(path.join(project.root, '.cache/academic-homepage')), ['engine'], 'nothing else: a first build still finds no build cache');
      const built = await stat(path.join(engineFolder(project.root), engine ?? '', 'src/cli/build.js'));
      run(project.root);
      assert.equal((await stat(path.join(engineFolder(project.root), engine ?? '', 'src/cli/build.js'))).mtimeMs, built.mtimeMs, 'the build runs the engine compiled at install');
      // A source that does not compile: the install still succeeds, and says so.
      await rm(path.join(project.root, 'src'));
      await cp(path.join(repoRoot, 'src'), path.join(project.root, 'src'), { recursive: true });
      await appendFile(path.join(project.root, 'src/text/slugify.ts'), '\nexport const = ;\n');
      const broken = spawnSync(process.execPath, ['src/cli/run.mjs', 'compile'], { cwd: project.root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      assert.equal(broken.status, 0);
      assert.match(broken.stderr, /Note: the engine was not compiled ahead of the first build/);
    } finally {
      await project.remove();
    }
  });

  it('compiles the layouts at install too, so that a first build compiles none of them and writes the same pages; an edited layout is compiled anew', async () => {
    const project = await createTestProject();
    try {
      const layouts = path.join(project.root, 'layouts');
      await project.write('layouts/partials/unused.njk', '{% if %}'); // no page includes it; it does not compile
      assert.equal(compile(project.root), '', 'a layout that does not compile is left for a build to report');
      const prebuilt = path.join((await onlyEngine(project.root)).folder, 'src/prebuilt/compiled-layouts.json');
      const shipped = (await readdir(layouts, { recursive: true })).map(String).filter((file) => file.endsWith('.njk') && !file.endsWith('unused.njk')).sort();
      const compiledAtInstall = Object.values(JSON.parse(await readFile(prebuilt, 'utf8')) as Record<string, { name: string }>).map((template) => path.relative(layouts, template.name));
      assert.deepEqual(compiledAtInstall.sort(), shipped);
      assert.ok(shipped.includes('base.njk') && shipped.includes(path.join('partials', 'picture.njk')));
      /** The layouts the builds so far compiled (kept in the project's cache). */
      const layoutsCompiledByBuilds = async (): Promise<string[]> =>
        (await keptTemplateFiles(project.root)).flat().map((template) => path.relative(layouts, template.name)).filter((name) => !name.startsWith('..'));
      run(project.root);
      assert.deepEqual(await layoutsCompiledByBuilds(), [], 'the first build ran every layout as compiled at install');
      const first = await snapshotFolder(path.join(project.root, '_site'));
      const bio = await project.read('layouts/bio.njk');
      await project.write('layouts/bio.njk', bio.replace('<article class="page">', '<article class="page edited">'));
      run(project.root);
      assert.match(await project.read('_site/bio/index.html'), /<article class="page edited">/);
      assert.deepEqual(await layoutsCompiledByBuilds(), ['bio.njk'], 'only the edited layout is compiled');
      // A damaged file of compiled layouts is not used: everything is compiled as it is needed.
      await project.write('layouts/bio.njk', bio);
      await writeFile(prebuilt, (await readFile(prebuilt, 'utf8')).slice(0, 1000));
      await rm(path.join(project.root, '.cache/academic-homepage/nunjucks-templates'), { recursive: true });
      run(project.root);
      assert.deepEqual(await snapshotFolder(path.join(project.root, '_site')), first);
      assert.deepEqual((await layoutsCompiledByBuilds()).sort(), shipped, 'each compiled by the build');
      // The sources, run by tsx, have no compiled layouts: the same pages.
      await project.build();
      assert.deepEqual(await snapshotFolder(path.join(project.root, '_site')), first);
    } finally {
      await project.remove();
    }
  });

  it('runs the sources as they are when the config imports a module from outside src/, so that an edit to it is never missed', async () => {
    const project = await createTestProject();
    try {
      await mkdir(path.join(project.root, 'config'));
      await writeFile(path.join(project.root, 'config/motto.txt'), 'Read widely.\n');
      // A helper of the config's own, which finds a file by its own address.
      const helper = (suffix: string): string =>
        [
          "import { readFileSync } from 'node:fs';",
          "import type { UserConfig } from '@11ty/eleventy';",
          'export function addMotto(config: UserConfig): void {',
          `  const motto = readFileSync(new URL('./motto.txt', import.meta.url), 'utf8') + ${JSON.stringify(suffix)};`,
          "  config.addTemplate('motto.11ty.js', { data: { permalink: '/motto.txt', layout: false, eleventyExcludeFromCollections: true }, render: () => motto });",
          '}',
          '',
        ].join('\n');
      await writeFile(path.join(project.root, 'config/motto.ts'), helper(''));
      const configFile = path.join(project.root, '.eleventy.ts');
      const config = await readFile(configFile, 'utf8');
      const plugin = 'config.addPlugin(academicSite, { root });';
      assert.ok(config.includes(plugin));
      await writeFile(configFile, `import { addMotto } from './config/motto.ts';\n${config.replace(plugin, `${plugin}\n  addMotto(config);`)}`);
      const build = (): string => {
        const result = spawnSync(process.execPath, ['src/cli/run.mjs', 'build'], { cwd: project.root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
        assert.equal(result.status, 0, result.stderr);
        return result.stderr;
      };
      assert.match(build(), /Note: running the TypeScript sources directly \(compiling them failed: [\s\S]*config\/motto\.ts is outside src\//);
      assert.equal(await readFile(path.join(project.root, '_site/motto.txt'), 'utf8'), 'Read widely.\n');
      await writeFile(path.join(project.root, 'config/motto.ts'), helper('Then write.\n'));
      build();
      assert.equal(await readFile(path.join(project.root, '_site/motto.txt'), 'utf8'), 'Read widely.\nThen write.\n');
    } finally {
      await project.remove();
    }
  });

  it('compiles the engine again when a source file changes', async () => {
    const project = await createTestProject();
    try {
      // A copy of the sources, to change one without touching the repository's.
      await rm(path.join(project.root, 'src'));
      await cp(path.join(repoRoot, 'src'), path.join(project.root, 'src'), { recursive: true });
      run(project.root);
      const engines = engineFolder(project.root);
      const [first] = await readdir(engines);
      // A statement the bundler keeps (an unused export it would leave out).
      await appendFile(path.join(project.root, 'src/text/slugify.ts'), "\nif (process.env['CHANGED_FOR_THE_TEST'] !== undefined) console.log('changedForTheTest');\n");
      run(project.root);
      const after = await readdir(engines);
      assert.equal(after.length, 2, 'a new engine beside the old one, which a running build may still use');
      assert.ok(after.includes(first ?? ''));
      const second = after.find((name) => name !== first) ?? '';
      const bundle = path.join(engines, second, 'bundle');
      const compiled = await Promise.all((await readdir(bundle)).map((file) => readFile(path.join(bundle, file), 'utf8')));
      assert.ok(compiled.some((code) => code.includes('changedForTheTest')));
    } finally {
      await project.remove();
    }
  });

  it('compiles the engine again when a package bundled into it was changed in place (the lock file alone would not tell)', async () => {
    const project = await createTestProject();
    try {
      compile(project.root);
      const { name: engine, folder } = await onlyEngine(project.root);
      const listFile = path.join(folder, 'bundle/package-files.json');
      const list = JSON.parse(await readFile(listFile, 'utf8')) as BundledPackageFile[];
      const markdownIt = list.find(([file]) => file.includes(`${path.sep}markdown-it${path.sep}`));
      assert.ok(markdownIt !== undefined, 'markdown-it is bundled, and listed with its size and time');
      assert.deepEqual(packagesUnchanged(list), true);
      // As if markdown-it had been patched since: the list says another size.
      await writeFile(listFile, JSON.stringify(list.map((entry) => (entry === markdownIt ? [entry[0], entry[1] + 1, entry[2]] : entry))));
      assert.deepEqual(packagesUnchanged(JSON.parse(await readFile(listFile, 'utf8'))), false);
      assert.match(run(project.root), /^Built the site in /m);
      assert.deepEqual(await readdir(engineFolder(project.root)).then((names) => names.filter((name) => !name.startsWith('.'))), [engine], 'compiled again under the same name');
      assert.deepEqual(JSON.parse(await readFile(listFile, 'utf8')), list, 'from the packages as they are');
      assert.ok((await readdir(engineFolder(project.root))).some((name) => name.startsWith('.replaced-')), 'the stale engine set aside, for the next compile to remove');
    } finally {
      await project.remove();
    }
  });

  it('runs what Eleventy imports by a name it computes, as from node_modules: a plugin resolved by name', async () => {
    const project = await createTestProject();
    try {
      // Eleventy imports its i18n plugin by a path relative to its own file.
      const configFile = path.join(project.root, '.eleventy.ts');
      const config = await readFile(configFile, 'utf8');
      const plugin = 'config.addPlugin(academicSite, { root });';
      await writeFile(configFile, config.replace('export default function (config: UserConfig) {', 'export default async function (config: UserConfig) {').replace(plugin, `${plugin}\n  config.addPlugin(await config.resolvePlugin('@11ty/eleventy/i18n-plugin'), { defaultLanguage: 'en' });`));
      compile(project.root);
      assert.match(run(project.root), /^Built the site in /m);
      assert.ok(existsSync(path.join(project.root, '_site/index.html')));
    } finally {
      await project.remove();
    }
  });

  it('names a new engine when the project or its node_modules is elsewhere, as the engine and the packages bundled into it find files by their paths', async () => {
    const project = await createTestProject();
    try {
      const before = sourceVersions(project.root);
      const elsewhere = path.join(project.root, 'elsewhere');
      await mkdir(elsewhere);
      await rm(path.join(project.root, 'node_modules'));
      await symlink(elsewhere, path.join(project.root, 'node_modules'));
      const after = sourceVersions(project.root);
      assert.notEqual(after.engine, before.engine, 'another engine');
      assert.equal(after.code, before.code, 'the same cache: what the engine computes does not depend on where it runs from');
      // A copy of the project elsewhere (its node_modules a link to the same packages): the engine
      // holds the project's address, so the copy gets one of its own.
      const copy = `${project.root}-copy`;
      await cp(project.root, copy, { recursive: true, verbatimSymlinks: true });
      try {
        assert.notEqual(sourceVersions(copy).engine, after.engine, 'the copy: another engine');
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    } finally {
      await project.remove();
    }
  });

  it('loads the YAML parser and zod only when a data file or front matter changed since it was last checked, the BibTeX parser only when an entry needs it, Sass only for styles of its own, and no slow library when nothing changed', async () => {
    const project = await createTestProject();
    try {
      // The packages of the modules a build loads, among those that are slow to load or to run.
      const SLOW = new Set(['zod', 'yaml', '@citation-js/core', '@retorquere/bibtex-parser', '@11ty/eleventy-img', 'sass', 'pdfkit']);
      const slowIn = async (files: readonly string[]): Promise<string[]> => {
        const packages = await Promise.all(files.map(packagesLoadedBy));
        return [...new Set(packages.flat())].filter((name) => SLOW.has(name)).sort();
      };
      const loadedAll = async (): Promise<string[]> => slowIn(await runRecordingModules(project.root));
      const loaded = async (): Promise<string[]> => (await loadedAll()).filter((name) => name === 'yaml' || name === 'zod');
      const firstFiles = await runRecordingModules(project.root);
      const first = await slowIn(firstFiles);
      // Plain fields are read with unicode2latex's table of LaTeX, without the tables for the other way.
      const tables = firstFiles.filter((file) => file.includes(`unicode2latex${path.sep}`)).map((file) => path.basename(file)).sort();
      assert.deepEqual(tables, ['combining.js', 'latex2unicode.js']);
      for (const name of ['yaml', 'zod', '@citation-js/core', '@11ty/eleventy-img', 'pdfkit']) assert.ok(first.includes(name), `the first build loads ${name} (seen: ${first.join(', ')})`);
      assert.ok(!first.includes('@retorquere/bibtex-parser'), 'the example\'s entries need nothing of the BibTeX parser');
      // The shipped styles come precompiled (a fork that changed them compiles them).
      const precompiled = prebuiltStylesheet(path.join(project.root, 'styles/main.scss'), project.root, (await readdir(path.join(project.root, 'styles'), { recursive: true })).map(String)) !== undefined;
      assert.equal(first.includes('sass'), !precompiled, precompiled ? 'styles as shipped: no Sass' : 'styles of its own: Sass');
      assert.deepEqual(await loadedAll(), [], 'nothing changed: nothing to check, parse, format, encode or compile');
      const checked = async (): Promise<number> => (await readdir(path.join(project.root, '.cache/academic-homepage/checked-yaml'), { recursive: true })).filter((file) => String(file).endsWith('.json')).length;
      const files = await checked();
      await project.write('content/index.md', (await project.read('content/index.md')).replace(/^title: .*$/m, 'title: About me, edited'));
      assert.deepEqual(await loaded(), ['yaml', 'zod'], 'the edited page is checked');
      assert.equal(await checked(), files, 'its check replaces the one before in the cache');
      // Styles of one's own are compiled.
      const tokens = await project.read('styles/_tokens.scss');
      await project.write('styles/_tokens.scss', `${tokens}\n.own-style { color: #123456; }\n`);
      assert.deepEqual(await loadedAll(), ['sass'], 'an edited partial is compiled, and only that');
      await project.write('styles/_tokens.scss', tokens);
      // An entry with a command only the parser reads loads it.
      const bib = await project.read('publications.bib');
      await project.write('publications.bib', bib.replace('title     = {{Xen2MX}: High-performance', 'title     = {\\emph{Xen2MX}: High-performance'));
      assert.ok((await loadedAll()).includes('@retorquere/bibtex-parser'), 'an entry with \\emph is the parser\'s');
      await project.write('publications.bib', bib);
      // A mistake after a good check is still reported, with its line.
      await project.write('content/_data/site.yaml', (await project.read('content/_data/site.yaml')).replace(/^name: /m, 'nmae: '));
      assert.throws(() => run(project.root), (error: { stderr?: string }) => /content\/_data\/site\.yaml:\d+.*unknown key "nmae"; did you mean "name"\?/.test(error.stderr ?? ''));
    } finally {
      await project.remove();
    }
  });
});

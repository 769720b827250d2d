// Run by `npm ci` (run.mjs compile) in the engine it has just compiled: compiles the layouts with
// Eleventy's Nunjucks environment, as a build compiles them, and keeps the code in the engine's
// folder (see PREBUILT_TEMPLATES), so that a first build runs the layouts without compiling them
// (about a tenth of the example site's first build). The project's cache is neither read nor
// written: run.mjs turns it off for this.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomically } from '../atomic-write.ts';
import { PREBUILT_TEMPLATES, templateKey, type Kept, type NunjucksCompiler } from '../pages/compiled-templates.ts';
import { compileLayout, type NunjucksLibrary } from '../pages/layout-renderer.ts';

interface NunjucksEngine {
  nunjucks: NunjucksLibrary & NunjucksCompiler;
  environment: unknown;
}

const root = process.cwd();
const { Eleventy } = await import('@11ty/eleventy');
// Eleventy writes nothing here: it is only started, never asked to build.
const output = await mkdtemp(path.join(tmpdir(), 'academic-homepage-layouts-'));
try {
  let engine: NunjucksEngine | undefined;
  const eleventy = new Eleventy(path.join(root, 'content'), output, {
    configPath: process.env['ACADEMIC_HOMEPAGE_CONFIG'] ?? path.join(root, '.eleventy.ts'),
    quietMode: true,
    config: (config: { on(event: string, listener: (found: NunjucksEngine) => void): void }) => config.on('eleventy.engine.njk', (found) => (engine = found)),
  });
  await eleventy.init();
  // Eleventy starts its Nunjucks engine for the first template that needs it; here, without one.
  // (Neither is in Eleventy's types: the extension map holds the engines, the directories Eleventy's resolved folders.)
  const { extensionMap, directories } = eleventy as unknown as { extensionMap: { engineManager: { getEngine(name: string, map: unknown): Promise<unknown> } }; directories: { includes: string } };
  await extensionMap.engineManager.getEngine('njk', extensionMap);
  if (engine === undefined) throw new Error('Eleventy did not start its Nunjucks engine');
  const { nunjucks, environment } = engine;
  // What the compiler is given for each layout, with what it made: recorded around the engine's own
  // keeping of compiled templates (installed when the engine started), by the same key.
  const compiled = new Map<string, Kept>();
  const compile = nunjucks.compiler.compile;
  nunjucks.compiler.compile = (...given) => {
    const code = compile(...given);
    compiled.set(templateKey(...given), { name: given[3] ?? '', code });
    return code;
  };
  // Every file of the layouts' folder, partials included (an include compiles a file without front
  // matter just as a layout does). One that does not compile is left for the build to report.
  const folder = path.resolve(directories.includes);
  const files = (await readdir(folder, { recursive: true })).map(String).filter((file) => file.endsWith('.njk')).sort();
  // In the files' order, so the same layouts give the same file.
  for (const file of files) await compileLayout(nunjucks, environment, folder, file).catch(() => undefined);
  writeFileAtomically(PREBUILT_TEMPLATES, JSON.stringify(Object.fromEntries(compiled)));
} finally {
  await rm(output, { recursive: true, force: true });
}

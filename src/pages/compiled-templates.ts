import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashOf, type DiskCache } from '../cache.ts';

/** What a template compiles with, besides its text: Nunjucks' `compiler.compile` arguments. */
interface CompileExtension {
  __name?: string;
  tags?: readonly string[];
  parse?: unknown;
}
type Compile = (source: string, asyncFilters: readonly string[], extensions: readonly CompileExtension[], name: string | undefined, options: unknown) => string;

/** The part of the Nunjucks library whose compile is kept (its `compiler` module). */
export interface NunjucksCompiler {
  compiler: { compile: Compile };
}

/** A compiled template as kept: the JavaScript Nunjucks made of it, and its file (one version per file is kept). */
export interface Kept {
  name: string;
  code: string;
}

const KIND = 'nunjucks-templates';
const KEY = hashOf(KIND);

/** Each environment's project store, found by the environment's list of extensions, which Nunjucks passes to every compile. */
const storesByExtensions = new WeakMap<readonly CompileExtension[], TemplateStore>();
const wrapped = new WeakSet<object>();

/**
 * Keeps the JavaScript that Nunjucks compiles the layouts and pages into, in the project's cache,
 * so that a later build runs it without lexing, parsing and compiling every template again (a
 * tenth of a warm build of the example site). Nunjucks compiles each template to the source of a
 * function, which it then creates; what is kept is that source, under a hash of everything the
 * compiler is given: the template's text and file, the environment's options and asynchronous
 * filters, and each extension's name, tags and parser (Eleventy's shortcodes are extensions). The
 * Nunjucks version is part of the cache's code version. A template that does not compile is
 * reported by Nunjucks, as before, and nothing is kept of it.
 */
export function keepCompiledTemplates(nunjucks: NunjucksCompiler, environment: unknown, cache: DiskCache): void {
  const extensions = (environment as { extensionsList?: CompileExtension[] }).extensionsList;
  if (extensions === undefined) return; // another Nunjucks: compiled as it always is
  storesByExtensions.set(extensions, new TemplateStore(cache));
  const { compiler } = nunjucks;
  if (wrapped.has(compiler)) return;
  wrapped.add(compiler);
  const compile = compiler.compile.bind(compiler);
  compiler.compile = (source, asyncFilters, extensionList, name, options) => {
    const store = storesByExtensions.get(extensionList);
    if (store === undefined) return compile(source, asyncFilters, extensionList, name, options);
    const key = templateKey(source, asyncFilters, extensionList, name, options);
    return store.code(key, name ?? '', () => compile(source, asyncFilters, extensionList, name, options));
  };
}

/** What a compiled template is kept under: everything Nunjucks' compiler is given for it. */
export function templateKey(...[source, asyncFilters, extensionList, name, options]: Parameters<Compile>): string {
  return hashOf(
    source,
    name ?? '',
    JSON.stringify(options ?? {}),
    JSON.stringify(asyncFilters),
    JSON.stringify(extensionList.map((extension) => [extension.__name, extension.tags, String(extension.parse)])),
  );
}

/**
 * The layouts compiled when the engine was (`npm ci`: see src/cli/compile-layouts.ts), by the
 * key each was compiled under: a file of the compiled engine, beside its bundle, so that a first
 * build runs the shipped layouts without compiling them. The sources run by tsx have none.
 */
export const PREBUILT_TEMPLATES = path.join(fileURLToPath(new URL('../prebuilt/', import.meta.url)), 'compiled-layouts.json');

let prebuilt: Map<string, Kept> | undefined;

/** The engine's compiled layouts, read once per process; none if the file is missing or damaged. */
function prebuiltTemplates(): Map<string, Kept> {
  if (prebuilt !== undefined) return prebuilt;
  prebuilt = new Map();
  try {
    const read: unknown = JSON.parse(readFileSync(PREBUILT_TEMPLATES, 'utf8'));
    if (typeof read === 'object' && read !== null) {
      for (const [key, value] of Object.entries(read)) {
        const { name, code } = (value ?? {}) as Partial<Kept>;
        if (typeof name === 'string' && typeof code === 'string') prebuilt.set(key, { name, code });
      }
    }
  } catch {
    // Not compiled at install, or unreadable: every template is compiled as it is needed.
  }
  return prebuilt;
}

/** One project's compiled templates: read from its cache at the first compile, written again when a template was compiled anew. */
class TemplateStore {
  #kept: Record<string, Kept> | undefined;

  constructor(private readonly cache: DiskCache) {}

  code(key: string, name: string, compile: () => string): string {
    this.#kept ??= this.cache.getNow<Record<string, Kept>>(KIND, KEY, KIND) ?? {};
    // A layout as shipped was compiled with the engine; an edited one is found here once compiled.
    const kept = this.#kept[key] ?? prebuiltTemplates().get(key);
    if (kept !== undefined) return kept.code;
    const code = compile();
    // An edited template replaces the version kept of its file.
    const others = Object.entries(this.#kept).filter(([, other]) => other.name !== name);
    this.#kept = Object.fromEntries([...others, [key, { name, code }]]);
    // Written once the build has gone on (with every template compiled by then): a new object each time, never changed after.
    this.cache.setSoon(KIND, KEY, this.#kept, KIND);
    return code;
  }
}

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
interface Kept {
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
    const key = hashOf(
      source,
      name ?? '',
      JSON.stringify(options ?? {}),
      JSON.stringify(asyncFilters),
      JSON.stringify(extensionList.map((extension) => [extension.__name, extension.tags, String(extension.parse)])),
    );
    return store.code(key, name ?? '', () => compile(source, asyncFilters, extensionList, name, options));
  };
}

/** One project's compiled templates: read from its cache at the first compile, written again when a template was compiled anew. */
class TemplateStore {
  #kept: Record<string, Kept> | undefined;

  constructor(private readonly cache: DiskCache) {}

  code(key: string, name: string, compile: () => string): string {
    this.#kept ??= this.cache.getNow<Record<string, Kept>>(KIND, KEY, KIND) ?? {};
    const kept = this.#kept[key];
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

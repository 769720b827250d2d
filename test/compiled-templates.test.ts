import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiskCache } from '../src/cache.ts';
import { keepCompiledTemplates, type NunjucksCompiler } from '../src/pages/compiled-templates.ts';
import { keptTemplateFiles } from './helpers/project.ts';

/** The Nunjucks that Eleventy renders with (the site's layouts and the engine's pages use that one). */
interface Nunjucks extends NunjucksCompiler {
  Environment: new (loader: unknown, options?: object) => Environment;
  FileSystemLoader: new (folder: string, options?: object) => unknown;
}
interface Environment {
  render(name: string, context: object): string;
  addExtension(name: string, extension: object): void;
  extensionsList: unknown[];
}
const fromEleventy = createRequire(createRequire(import.meta.url).resolve('@11ty/eleventy'));
const nunjucks = fromEleventy('nunjucks') as Nunjucks;

// Counts what the compiler really compiles; installed before the cache wraps the compiler.
const compiled: string[] = [];
const compile = nunjucks.compiler.compile;
nunjucks.compiler.compile = (source, asyncFilters, extensions, name, options) => {
  compiled.push(path.basename(name ?? ''));
  return compile(source, asyncFilters, extensions, name, options);
};

/** A tag `{% shout "x" %}` that renders X: an extension, as Eleventy's shortcodes are. */
function shoutExtension(): object {
  return {
    tags: ['shout'],
    parse(parser: { nextToken(): { value: unknown }; parseSignature(a: null, b: boolean): unknown; advanceAfterBlockEnd(value: unknown): void }, nodes: { CallExtension: new (extension: object, method: string, args: unknown) => unknown }) {
      const token = parser.nextToken();
      const args = parser.parseSignature(null, true);
      parser.advanceAfterBlockEnd(token.value);
      return new nodes.CallExtension(this, 'run', args);
    },
    run: (_context: unknown, text: string) => text.toUpperCase(),
  };
}

describe('compiled Nunjucks templates, kept in the cache', () => {
  let root: string;
  let layouts: string;
  /** A new environment over the layouts, as each build makes, with the project's cache. */
  const environment = (shoutNamed?: string): Environment => {
    const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(layouts), { autoescape: true });
    if (shoutNamed !== undefined) env.addExtension(shoutNamed, shoutExtension());
    keepCompiledTemplates(nunjucks, env, new DiskCache(root));
    return env;
  };
  /** The pack as written (once the cache's deferred writes have run). */
  const kept = async (): Promise<Array<{ name: string; code: string }>> => {
    await new Promise((resolve) => setImmediate(resolve));
    const files = await keptTemplateFiles(root);
    assert.equal(files.length, 1, 'one file holds every compiled template');
    return files[0] ?? [];
  };

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'compiled-templates-'));
    layouts = path.join(root, 'layouts');
    await mkdir(layouts);
    await writeFile(path.join(layouts, 'base.njk'), '<main>{% block body %}{% endblock %}</main>');
    await writeFile(path.join(layouts, 'page.njk'), '{% extends "base.njk" %}{% block body %}<h1>{{ title }}</h1>{% for item in items %}<p>{{ item }}</p>{% endfor %}{% endblock %}');
  });
  after(async () => rm(root, { recursive: true, force: true }));

  const context = { title: 'Fish & <Chips>', items: ['a', 'b'] };
  const expected = '<main><h1>Fish &amp; &lt;Chips&gt;</h1><p>a</p><p>b</p></main>';

  it('compiles a template once: a later build runs the kept code, with the same result', async () => {
    compiled.length = 0;
    assert.equal(environment().render('page.njk', context), expected);
    assert.deepEqual(compiled.sort(), ['base.njk', 'page.njk']);
    assert.deepEqual((await kept()).map((template) => path.basename(template.name)).sort(), ['base.njk', 'page.njk']);
    compiled.length = 0;
    assert.equal(environment().render('page.njk', context), expected);
    assert.deepEqual(compiled, [], 'nothing compiled again');
  });

  it('compiles an edited template again, and keeps only its new version', async () => {
    await writeFile(path.join(layouts, 'page.njk'), '{% extends "base.njk" %}{% block body %}<h2>{{ title }}</h2>{% endblock %}');
    compiled.length = 0;
    assert.equal(environment().render('page.njk', context), '<main><h2>Fish &amp; &lt;Chips&gt;</h2></main>');
    assert.deepEqual(compiled, ['page.njk']);
    assert.equal((await kept()).filter((template) => template.name.endsWith('page.njk')).length, 1);
  });

  it('compiles again for another set of extensions (shortcodes), which the compiled code calls by name', async () => {
    await writeFile(path.join(layouts, 'tag.njk'), '{% shout "quiet" %}');
    assert.throws(() => environment().render('tag.njk', {}), /unknown block tag: shout/);
    compiled.length = 0;
    assert.equal(environment('shout').render('tag.njk', {}), 'QUIET');
    assert.equal(environment('shout').render('tag.njk', {}), 'QUIET');
    assert.deepEqual(compiled, ['tag.njk']);
    // The same tag from an extension registered under another name: the kept code would look up "shout".
    assert.equal(environment('loud').render('tag.njk', {}), 'QUIET');
    assert.deepEqual(compiled, ['tag.njk', 'tag.njk']);
  });

  it('reports a template that does not compile as Nunjucks does, and keeps nothing of it', async () => {
    await writeFile(path.join(layouts, 'broken.njk'), '{% if %}');
    const plain = new nunjucks.Environment(new nunjucks.FileSystemLoader(layouts));
    const message = (env: Environment): string => {
      try {
        env.render('broken.njk', {});
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    assert.equal(message(environment()), message(plain));
    assert.ok(!(await kept()).some((template) => template.name.endsWith('broken.njk')));
  });

  it('ignores a damaged cache file and compiles again', async () => {
    const folder = path.join(root, '.cache', 'academic-homepage', 'nunjucks-templates');
    for (const file of (await readdir(folder, { recursive: true })).map(String).filter((name) => name.endsWith('.json'))) {
      const text = await readFile(path.join(folder, file), 'utf8');
      await writeFile(path.join(folder, file), text.replace('<main>', '<main class="tampered">'));
    }
    compiled.length = 0;
    assert.equal(environment().render('page.njk', context), '<main><h2>Fish &amp; &lt;Chips&gt;</h2></main>');
    assert.deepEqual(compiled.sort(), ['base.njk', 'page.njk']);
  });
});

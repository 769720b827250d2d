import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of the Nunjucks library that Eleventy hands to its `eleventy.engine.njk` listeners. */
export interface NunjucksLibrary {
  Template: new (source: string, environment: unknown, path: string, eagerCompile: boolean) => NunjucksTemplate;
}

interface NunjucksTemplate {
  render(context: object, callback: (error: Error | null, result: string | null) => void): void;
}

export type LayoutData = Record<string, unknown>;

interface Layout {
  template: NunjucksTemplate;
  data: LayoutData;
  parent?: string;
}

/**
 * Renders a Nunjucks layout chain the way Eleventy does for a page (each layout's
 * front matter names the layout it sits in, its data sits under the page's, and
 * the inner result is `content`), in Eleventy's own Nunjucks environment, so
 * every filter and shortcode of the site is there. For pages the engine writes
 * itself: thousands of publication pages cost a fraction of what they cost as
 * Eleventy templates.
 */
export class LayoutRenderer {
  /** Each layout is read and compiled once, however many pages ask for it at the same time. */
  readonly #layouts = new Map<string, Promise<Layout>>();

  constructor(
    private readonly nunjucks: NunjucksLibrary,
    private readonly environment: unknown,
    private readonly folder: string,
  ) {}

  async render(layout: string, data: LayoutData): Promise<string> {
    const chain: Layout[] = [];
    for (let name: string | undefined = layout; name !== undefined; name = chain.at(-1)?.parent) {
      if (chain.length > 20) throw new Error(`${path.join(this.folder, layout)}: the layouts it sits in go round in a circle`);
      chain.push(await this.#layout(name));
    }
    // Data nearer the page wins, as in Eleventy's data cascade.
    const merged: LayoutData = Object.assign({}, ...chain.map((item) => item.data).reverse(), data);
    let content: string | undefined;
    for (const item of chain) content = await renderTemplate(item.template, content === undefined ? merged : { ...merged, content });
    return content ?? '';
  }

  #layout(name: string): Promise<Layout> {
    let layout = this.#layouts.get(name);
    if (layout === undefined) {
      layout = compileLayout(this.nunjucks, this.environment, this.folder, name);
      this.#layouts.set(name, layout);
    }
    return layout;
  }
}

/**
 * Reads and compiles a layout file as Eleventy does: its front matter is data, the body below it
 * the template, compiled under the file's path (what the compiled templates are kept under).
 */
export async function compileLayout(nunjucks: NunjucksLibrary, environment: unknown, folder: string, name: string): Promise<Layout> {
  const file = path.join(folder, name);
  const { data, body } = await splitFrontMatter(readFileSync(file, 'utf8'), file);
  const { layout: parent, ...rest } = data;
  if (parent !== undefined && typeof parent !== 'string') throw new Error(`${file}: "layout" in the front matter must name a file in ${folder}`);
  return { template: new nunjucks.Template(body, environment, file, true), data: rest, ...(parent === undefined ? {} : { parent }) };
}

function renderTemplate(template: NunjucksTemplate, context: object): Promise<string> {
  return new Promise((resolve, reject) => template.render(context, (error, result) => (error === null ? resolve(result ?? '') : reject(error))));
}

/**
 * YAML front matter between `---` lines, as Eleventy reads it; the body starts on the line after.
 * The YAML parser is loaded only for a layout that has front matter, and only when a page is rendered.
 */
export async function splitFrontMatter(text: string, file: string): Promise<{ data: LayoutData; body: string }> {
  const found = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/.exec(text);
  if (found === null) return { data: {}, body: text };
  const { parse: parseYaml } = await import('yaml');
  const data: unknown = parseYaml(found[1] ?? '') ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file}: the front matter must be a YAML mapping`);
  return { data: data as LayoutData, body: text.slice(found[0].length) };
}

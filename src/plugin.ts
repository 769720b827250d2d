import { Eleventy, HtmlBasePlugin, type UserConfig } from '@11ty/eleventy';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { writeFileAtomically } from './atomic-write.ts';
import { deferCacheWrites, DiskCache, flushCacheWrites, hashOf, hashOfFile, hashOfFolder } from './cache.ts';
import { toVcard } from './contact/vcard.ts';
import { toJsonResume } from './cv/json-resume.ts';
import type { PictureView } from './images.ts';
import { personJsonLd, vcardInput } from './view/identity.ts';
import { toProfileViews } from './view/profiles.ts';
import { escapeXml } from './text/escape.ts';
import { withoutPhotoMetadata } from './image-metadata.ts';
import { openGraphLocale } from './view/open-graph.ts';
import { cvPdfFile, warmCvPdf } from './cv/cv-pdf-file.ts';
import { OWN_FONTS_DIR } from './cv/font-files.ts';
import { faviconSvg } from './favicon.ts';
import { toCslItem } from './bibliography/csl.ts';
import type { Publication } from './bibliography/types.ts';
import type { Site } from './site/schema.ts';
import type { PublicationView } from './view/publication-list.ts';
import { publishedFolderOf, recordPageLinks, removeFilesNoLongerWritten, writeAfterEleventy, writeGeneratedFiles, type GeneratedFile, type GeneratedFilesOptions } from './pages/generated-files.ts';
import { pageLinks, type PageLinks } from './link-check.ts';
import { LayoutRenderer, type LayoutData, type NunjucksLibrary } from './pages/layout-renderer.ts';
import { FragmentCache } from './pages/fragment-cache.ts';
import { keepCompiledTemplates, type NunjucksCompiler } from './pages/compiled-templates.ts';
import { PUBLICATION_ITEM, publicationBibtexFiles, publicationPages } from './pages/publication-pages.ts';
import { viewKey } from './view/view-key.ts';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createMarkdown, layoutIds, type PageFile } from './markdown.ts';
import { navCurrent } from './view/nav.ts';
import { currentSiteModel, DEFAULT_BIBLIOGRAPHY, DEFAULT_CV_FILE, DEFAULT_SITE_FILE, loadPortrait, type SiteFiles, type SiteModel } from './site-model.ts';
import { publicationsFeed, robotsTxt, sitemapXml } from './site-files.ts';
import { DEFAULT_STYLES, stylesheet, takeStylesheet } from './styles.ts';
import { checkContent, NOT_FOUND_PAGE } from './content/check-content.ts';
import { unsafeInWrittenPage } from './content/raw-html.ts';
import { formatProblem, pageAddress, permalinkLine, SiteInputError, templateError } from './errors.ts';
import { closestMatch } from './text/closest-match.ts';

/** A failure of the CV PDF, said to be one: the owner's own mistakes (a font that cannot be read) as they are. */
function cvPdfError(error: unknown): Error {
  if (error instanceof SiteInputError) return error;
  return new Error(`the CV PDF could not be made: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** The plugin's options; every file is relative to `root`. */
export interface AcademicSiteOptions {
  /** The project folder that holds content/, publications.bib and styles/ (default: the working directory). */
  root?: string | undefined;
  /** The site identity file. */
  siteFile?: string | undefined;
  /** The CV data. */
  cvFile?: string | undefined;
  /** The bibliography. */
  bibliography?: string | undefined;
  /** The Sass entry point. */
  styles?: string | undefined;
}

/** The layout of a page that names none. */
const DEFAULT_LAYOUT = 'page.njk';

const OPTION_DEFAULTS = { siteFile: DEFAULT_SITE_FILE, cvFile: DEFAULT_CV_FILE, bibliography: DEFAULT_BIBLIOGRAPHY, styles: DEFAULT_STYLES };

/** The options with their defaults; a misspelt or mistyped one is an error that says so. */
function checkOptions(raw: AcademicSiteOptions): { [Name in keyof AcademicSiteOptions]-?: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new TypeError(`academicSite options: expected an object of paths, such as { root: '.' }, not ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`);
  const known = ['root', ...Object.keys(OPTION_DEFAULTS)];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!known.includes(key)) {
      const hint = closestMatch(key, known);
      problems.push(`unknown option "${key}"${hint === undefined ? '' : `; did you mean "${hint}"?`} (known: ${known.join(', ')})`);
    } else if (value !== undefined && typeof value !== 'string') {
      problems.push(`"${key}" must be a path (a string), not ${value === null ? 'null' : typeof value}`);
    }
  }
  if (problems.length > 0) throw new TypeError(`academicSite options: ${problems.join('; ')}`);
  const given = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)) as Record<string, string>;
  return { root: process.cwd(), ...OPTION_DEFAULTS, ...given };
}

/**
 * Everything that turns the owner's content folder into an academic homepage:
 * Markdown, the site data, the publication list, styles and images.
 */
export function academicSite(config: UserConfig, rawOptions: AcademicSiteOptions = {}): void {
  const options = checkOptions(rawOptions);
  const files: SiteFiles = { root: options.root, siteFile: options.siteFile, cvFile: options.cvFile, bibliography: options.bibliography };
  const configFile = path.join(options.root, '.eleventy.ts');

  // A heading never takes an id its page's layouts give (see createMarkdown), layout by layout.
  const idsOfLayout = new Map<string, ReadonlySet<string>>();
  const reservedIds = (data: unknown): ReadonlySet<string> => {
    const layout = (data as { layout?: unknown } | undefined)?.layout;
    const name = typeof layout === 'string' ? layout : DEFAULT_LAYOUT;
    let ids = idsOfLayout.get(name);
    if (ids === undefined) idsOfLayout.set(name, (ids = layoutIds(path.join(options.root, 'layouts'), name)));
    return ids;
  };
  // The Markdown file a page is rendered from, for what the renderer reports (Eleventy gives its path from the folder it runs in).
  const pageFile = (data: unknown): PageFile | undefined => {
    const inputPath = (data as { page?: { inputPath?: unknown } } | undefined)?.page?.inputPath;
    if (typeof inputPath !== 'string' || !/\.md$/i.test(inputPath)) return undefined;
    const absolute = path.resolve(inputPath);
    return { absolute, file: path.relative(options.root, absolute).split(path.sep).join('/') };
  };
  config.setLibrary('md', createMarkdown({ reservedIds, pageFile }));
  // A page's data is its front matter, checked: Eleventy would also merge in, unchecked, a data
  // file named after a page or its folder (about.json, about.11tydata.js), the engine's own pages
  // included, and run what it computes (see also check-content.ts, which names such files).
  const untyped = config as unknown as { setDataFileSuffixes(suffixes: string[]): void; addTransform(name: string, transform: (this: WrittenPage, content: unknown) => Promise<unknown>): void };
  untyped.setDataFileSuffixes([]);
  // What a Markdown page holds is checked before it is rendered (raw-html.ts). Eleventy rewrites a
  // page after that only to give its links the path prefix, writing some attributes anew: a page
  // so rewritten is checked again as it is written, by the last of its transforms (parse5 and
  // its parse take a tenth of a warm build, which builds without a prefix do not spend).
  const prefixed = (process.env['PATH_PREFIX'] ?? '/').replace(/^\/+|\/+$/g, '') !== '';
  if (prefixed) untyped.addTransform('academic-homepage/written-page-check', async function (content) {
    const page = pageFile({ page: this.page });
    if (page === undefined || typeof content !== 'string' || typeof this.page.outputPath !== 'string' || !this.page.outputPath.endsWith('.html') || !existsSync(page.absolute)) return content;
    const problem = await unsafeInWrittenPage(content, await readFile(page.absolute, 'utf8'));
    if (problem !== undefined) throw new SiteInputError([{ file: page.file, message: problem }]);
    return content;
  });
  // Front matter is data, never code: ---js would run JavaScript from a content file.
  const refuse = (): never => {
    throw new Error('executable front matter (---js) is not allowed: write the front matter in YAML (---)');
  };
  // Eleventy's YAML reads "title: 2024-01-01" as a Date, which a page then shows as "Mon Jan 01
  // 2024 00:00:00 GMT+0000"; the check reads YAML 1.2, where it is the text as written. Only the
  // page's own date is a date.
  const yaml = (config as unknown as { frontMatterParsingOptions?: { engines?: { yaml?: (text: string) => unknown } } }).frontMatterParsingOptions?.engines?.yaml;
  config.setFrontMatterParsingOptions({ engines: { js: refuse, javascript: refuse, ...(yaml === undefined ? {} : { yaml: (text: string) => withDatesAsWritten(yaml(text)) }) } });
  config.setNunjucksEnvironmentOptions({ throwOnUndefined: true, trimBlocks: true, lstripBlocks: true });
  config.addPlugin(HtmlBasePlugin);

  // One model per build, shared by every page; a new build (e.g. in watch mode) checks the files again.
  let model: Promise<SiteModel> | undefined;
  const siteModel = (): Promise<SiteModel> => (model ??= currentSiteModel(files));
  // The CV PDF is started as soon as a build starts: it renders in a worker thread beside the pages.
  let cvPdf: Promise<Buffer> | undefined;
  let cvPdfAbort = new AbortController();
  const cvPdfOnce = (): Promise<Buffer> => (cvPdf ??= siteModel().then((loaded) => cvPdfFile(loaded, options.root, cvPdfAbort.signal)));
  let portrait: Promise<PictureView | undefined> | undefined;
  const portraitOnce = (): Promise<PictureView | undefined> =>
    (portrait ??= siteModel().then(({ site }) => loadPortrait(site, files, config.directories.input, config.directories.output)));
  // `npm run build` is 'build'; `npm start` is 'serve' (and `eleventy --watch` 'watch').
  let runMode = 'build';
  // A build compiles it from the moment it starts (src/build.ts), or else from when Eleventy starts.
  let styles: Promise<string> | undefined;
  const stylesheetOnce = (): Promise<string> => {
    const entry = path.join(options.root, options.styles);
    styles ??= (runMode === 'build' ? takeStylesheet(entry) : undefined) ?? stylesheet(entry, options.root, new DiskCache(options.root), { inWorker: runMode === 'build' });
    return styles;
  };
  // As Eleventy starts, for a build that src/build.ts did not start (`eleventy` run directly): the
  // stylesheet and the CV PDF's worker (pdfkit loading) start beside the model. After build.ts,
  // these take what it started, or find it not needed.
  config.on('eleventy.env', (env: { runMode?: string }) => {
    if ((env.runMode ?? 'build') !== 'build') {
      rebuildOnDeletion();
      return;
    }
    warmCvPdf(options.root, [files.siteFile, files.cvFile, files.bibliography].map((file) => path.resolve(options.root, file)));
    stylesheetOnce().catch(() => undefined); // reported when the stylesheet is rendered
  });
  config.on('eleventy.before', async (event: { runMode?: string }) => {
    runMode = event.runMode ?? 'build';
    deferCacheWrites(runMode !== 'build');
    // While serving, a new edit makes the PDF of the one before it useless: stop its worker.
    if (runMode !== 'build') cvPdfAbort.abort(new Error('a newer edit replaced this CV PDF'));
    cvPdfAbort = new AbortController();
    model = undefined;
    cvPdf = undefined;
    bibtexFiles = undefined;
    bibtexWritten = undefined;
    addressesFree = undefined;
    portrait = undefined;
    copied = undefined;
    shared = undefined;
    pages = undefined;
    idsOfLayout.clear(); // a layout edited while serving may give an id of its own
    if (runMode !== 'build') styles = undefined; // a build's was started with Eleventy
    // A failure is reported when the build writes /cv.pdf, which awaits the same promise. While
    // serving, the PDF is made after the pages, so that it does not take their processor time.
    if (runMode === 'build') cvPdfOnce().catch(() => undefined);
    // A build writes the publications' .bib files as soon as the bibliography is read, into its own
    // staging folder: on a slow disk, writing thousands of files is what a long list waits for last.
    // Kept ones are linked from the published site only once no page of content/ takes their address.
    if (runMode === 'build') {
      let resolve = (): void => undefined;
      let reject = (_error: unknown): void => undefined;
      const checked = new Promise<void>((resolved, rejected) => ((resolve = resolved), (reject = rejected)));
      checked.catch(() => undefined); // reported by the check itself
      addressesFree = { checked, resolve, reject };
      bibtexOnce(path.resolve(config.directories.output), { linkAfter: checked }).catch(() => undefined);
    }
    // A build checks the content before Eleventy starts (src/build.ts); serving checks it before
    // each rebuild, so that a page the dev server shows is one a build would publish.
    if (runMode !== 'build') await checkServedContent();
  });

  const checkServedContent = async (): Promise<void> => {
    const folder = (name: string): string => path.relative(options.root, path.resolve(name));
    const { warnings } = await checkContent(options.root, folder(config.directories.input), folder(config.directories.includes));
    for (const warning of warnings) console.warn(`Warning: ${formatProblem(warning)}`);
  };

  // What every page sees; publication pages see all of it but the long lists (see src/pages/publication-pages.ts).
  const sharedData = async () => {
    const { site, nav, contact } = await siteModel();
    const picture = await portraitOnce();
    const base = siteUrl(site);
    return { site, nav, contact, portrait: picture ?? null, siteUrl: base ?? '', profiles: toProfileViews(site.profiles), personJsonLd: personJsonLd(site, picture, base), openGraphLocale: openGraphLocale(site.language) ?? '' };
  };
  let shared: ReturnType<typeof sharedData> | undefined;
  const sharedOnce = () => (shared ??= sharedData());
  for (const name of ['site', 'nav', 'contact', 'portrait', 'siteUrl', 'profiles', 'personJsonLd', 'openGraphLocale'] as const) {
    config.addGlobalData(name, async () => (await sharedOnce())[name]);
  }
  config.addGlobalData('cv', async () => (await siteModel()).cv);
  config.addGlobalData('publications', async () => (await siteModel()).publications);
  config.addFilter('nav_current', navCurrent as (...args: never[]) => unknown);
  config.addFilter('absolute_url', ((sitePath: string, base: string) => (base === '' ? '' : new URL(sitePath.replace(/^\//, ''), base).href)) as (...args: never[]) => unknown);
  config.addGlobalData('layout', DEFAULT_LAYOUT);

  config.addTemplate('assets/site.css.11ty.js', {
    data: { permalink: '/assets/site.css', layout: false, eleventyExcludeFromCollections: true },
    render: stylesheetOnce,
  });

  // A page and a BibTeX file per publication, written by the engine itself rather than as thousands
  // of Eleventy templates (each of which costs data cascade, permalink and dependency work), and only
  // when they changed. They are rendered with Eleventy's own Nunjucks environment and the same layouts.
  let nunjucks: { nunjucks: NunjucksLibrary; environment: unknown } | undefined;
  config.on('eleventy.engine.njk', (engine: { nunjucks: NunjucksLibrary & NunjucksCompiler; environment: unknown }) => {
    nunjucks = engine;
    keepCompiledTemplates(engine.nunjucks, engine.environment, new DiskCache(options.root));
    pages = undefined;
  });
  // What the engine's own renderings depend on besides their data, worked out once per build.
  let pages: Promise<PageRendering> | undefined;
  const pageRendering = (): Promise<PageRendering> =>
    (pages ??= (async () => {
      if (nunjucks === undefined) throw new Error('Eleventy did not start its Nunjucks engine: the publication pages cannot be rendered');
      const layouts = path.resolve(config.directories.includes);
      const prefix = config.pathPrefix ?? '/';
      // As Eleventy does for its own pages under a path prefix (GitHub Pages project sites).
      const withBase = prefix === '/' ? undefined : (config.getFilter('transformWithHtmlBase') as ((this: unknown, html: string) => Promise<string>) | undefined);
      if (prefix !== '/' && withBase === undefined) throw new Error(`the path prefix ${prefix} cannot be applied to the publication pages: Eleventy's HTML base plugin is missing`);
      const shared = await sharedOnce();
      const templatesKey = hashOf(hashOfFolder(layouts), prefix, existsSync(configFile) ? hashOfFile(configFile) : '');
      return { renderer: new LayoutRenderer(nunjucks.nunjucks, nunjucks.environment, layouts), shared, sharedKey: hashOf(templatesKey, JSON.stringify(shared)), itemKeys: new WeakMap(), ...(withBase === undefined ? {} : { withBase }) };
    })());

  // A publication as an item of a list (the publications, bio, CV, home and research pages): the
  // same HTML wherever it is shown, rendered once and kept until the entry or the layouts change.
  const fragments = new FragmentCache(new DiskCache(options.root), 'publication-items');
  const engine: EngineData = {
    publicationItem: async (item) => {
      const { renderer, shared, sharedKey, itemKeys } = await pageRendering();
      // The same item is on several lists: its key is worked out once per build.
      let key = itemKeys.get(item);
      if (key === undefined) itemKeys.set(item, (key = hashOf('publication-item', sharedKey, viewKey(item))));
      return fragments.get(key, () => renderer.render(PUBLICATION_ITEM, { ...shared, item }));
    },
  };
  config.addGlobalData(ENGINE_DATA, () => engine);
  // Eleventy keeps the shortcodes of the first config it loaded in a process (tests, npm start
  // after an edited config): the shortcode asks the page's own data for this build's engine.
  // A list that may show an item twice on one page (the research page's projects) names itself
  // (`{% publication_item item, "xen2mx" %}`): the item's id gets that before it, so that no id repeats.
  config.addShortcode('publication_item', async function (this: { ctx?: Record<string, unknown> }, item: PublicationView, list?: string) {
    const current = this.ctx?.[ENGINE_DATA] as EngineData | undefined;
    if (current === undefined) throw new Error('the publication_item shortcode is used outside a page of this site');
    const html = await current.publicationItem(item);
    return list === undefined || list === '' ? html : html.replace(' id="pub-', ` id="${escapeXml(list)}-pub-`);
  });

  // The links of Eleventy's own pages, for the link check of a build: taken from what Eleventy wrote,
  // and kept under a hash of it, so that a list of thousands of publications is not read again.
  const eleventyPageLinks = new FragmentCache<PageLinks>(new DiskCache(options.root), 'page-links');

  type EleventyResult = { inputPath?: string; outputPath: string | false; content?: unknown };

  /** The owner's page Eleventy wrote at an address the engine's own file needs, reported at its permalink. */
  const addressTaken = (results: readonly EleventyResult[], output: string, address: string, what: string): SiteInputError => {
    const page = results.find((result) => result.outputPath !== false && sitePath(output, result.outputPath) === address)?.inputPath;
    const file = page === undefined ? 'content/' : path.relative(options.root, path.resolve(page)).split(path.sep).join('/');
    const line = page === undefined ? undefined : permalinkLine(path.resolve(page));
    return new SiteInputError([{ file, ...(line === undefined ? {} : { line, key: 'permalink' }), message: `this page is written at ${pageAddress(address)}, ${what}: give it another permalink` }]);
  };

  /** Each publication's .bib file, listed once per build: it needs nothing but the entry (see publicationBibtexFiles). */
  let bibtexFiles: Promise<GeneratedFile[]> | undefined;
  const bibtexFilesOnce = (): Promise<GeneratedFile[]> => (bibtexFiles ??= siteModel().then(({ publications }) => publicationBibtexFiles(publications.all)));
  let bibtexWritten: Promise<void> | undefined;
  const bibtexOnce = (output: string, when: Pick<GeneratedFilesOptions, 'eleventyWrote' | 'linkAfter'>): Promise<void> =>
    (bibtexWritten ??= bibtexFilesOnce().then((files) => writeGeneratedFiles(files, { output, published: publishedFolderOf(output), cache: new DiskCache(options.root), set: 'bibtex', ...when })));
  /** Settled by the check that no page of content/ takes the address of a generated file (a build's). */
  let addressesFree: { checked: Promise<void>; resolve(): void; reject(error: unknown): void } | undefined;

  /** The publication pages, after Eleventy's pages (whose links and addresses they need); gives where they are in the site. */
  const writePublicationPages = async (results: readonly EleventyResult[], output: string, taken: ReadonlySet<string>): Promise<string[]> => {
    await fragments.save();
    if (runMode === 'build') {
      const found = new Map<string, PageLinks>();
      for (const result of results) {
        const { outputPath, content } = result;
        if (outputPath === false || !outputPath.endsWith('.html') || typeof content !== 'string') continue;
        found.set(sitePath(output, outputPath), await eleventyPageLinks.get(hashOf(content), () => pageLinks(content)));
      }
      await eleventyPageLinks.save();
      recordPageLinks(output, found);
    }
    const { publications, site } = await siteModel();
    const { renderer, shared, sharedKey, withBase } = await pageRendering();
    const files = publicationPages(publications.all, {
      shared,
      sharedKey,
      siteUrl: siteUrl(site),
      render: async (layout, data, url) => {
        let html: string;
        try {
          html = await renderer.render(layout, data);
        } catch (error) {
          throw onPublicationPage(error, options.root);
        }
        return withBase === undefined ? html : withBase.call({ page: { url } }, html);
      },
    });
    const clash = [...files, ...(await bibtexFilesOnce())].find((file) => taken.has(file.path));
    if (clash !== undefined) {
      const error = addressTaken(results, output, clash.path, `a publication's ${clash.path.endsWith('.bib') ? 'BibTeX file' : 'page'}`);
      addressesFree?.reject(error);
      throw error;
    }
    addressesFree?.resolve();
    await writeGeneratedFiles(files, { output, published: publishedFolderOf(output), cache: new DiskCache(options.root), eleventyWrote: taken });
    return files.map((file) => file.path);
  };

  config.addTemplate('publications-bibtex.11ty.js', {
    data: { permalink: '/publications.bib', layout: false, eleventyExcludeFromCollections: true },
    render: async () => bibliographyFile((await siteModel()).entries),
  });
  config.addTemplate('publications-csl.11ty.js', {
    data: { permalink: '/publications.json', layout: false, eleventyExcludeFromCollections: true },
    render: async () => `${JSON.stringify((await siteModel()).entries.map(toCslItem), null, 2)}\n`,
  });
  config.addTemplate('site-js.11ty.js', {
    data: { permalink: '/assets/site.js', layout: false, eleventyExcludeFromCollections: true },
    render: () => readFile(new URL('./client/site.js', import.meta.url), 'utf8'),
  });

  config.addTemplate('contact-vcf.11ty.js', {
    data: { permalink: '/contact.vcf', layout: false, eleventyExcludeFromCollections: true },
    render: async () => {
      const { site } = await siteModel();
      return toVcard(vcardInput(site, await portraitOnce(), siteUrl(site)));
    },
  });

  // Files for GitHub Pages, search engines and feed readers.
  // Sitemaps and feeds need absolute addresses: they are written when the site's address is known.
  const whenAddressKnown = (permalink: string) => async () => (siteUrl((await siteModel()).site) === undefined ? false : permalink);
  config.addTemplate('sitemap.xml.11ty.js', {
    data: { permalink: whenAddressKnown('/sitemap.xml'), layout: false, eleventyExcludeFromCollections: true },
    render: async (data: { collections: { all: Array<{ url: string | false }> } }) => {
      const { site, publications } = await siteModel();
      // The owner's own "page not found" page (content/404.md) is in the collections, and is no page to index.
      const pages = data.collections.all.map((item) => item.url).filter((url): url is string => typeof url === 'string' && (url.endsWith('/') || url.endsWith('.html')) && url !== '/404.html');
      const base = siteUrl(site);
      return base === undefined ? '' : sitemapXml([...pages, ...publications.all.map((publication) => publication.url)], base);
    },
  });
  config.addTemplate('robots.txt.11ty.js', {
    data: { permalink: '/robots.txt', layout: false, eleventyExcludeFromCollections: true },
    render: async () => robotsTxt(siteUrl((await siteModel()).site)),
  });
  config.addTemplate('publications-feed.11ty.js', {
    data: { permalink: whenAddressKnown('/publications.xml'), layout: false, eleventyExcludeFromCollections: true },
    render: async () => {
      const { site, publications } = await siteModel();
      const base = siteUrl(site);
      return base === undefined ? '' : publicationsFeed(publications.all, { title: `${site.name}: publications`, author: site.name, base, language: site.language });
    },
  });
  // The owner's content/404.md, if there is one, is the page instead (checked to be at /404.html).
  if (!existsSync(path.join(config.directories.input, NOT_FOUND_PAGE))) {
    config.addTemplate(NOT_FOUND_PAGE, 'The page you asked for is not here. It may have moved: try [the home page](/) or [the publications](/publications/).\n', {
      permalink: '/404.html',
      title: 'Page not found',
      description: 'This page does not exist.',
      eleventyExcludeFromCollections: true,
    });
  }
  config.addTemplate('nojekyll.11ty.js', {
    // GitHub Pages must not run Jekyll over the site (it would drop files whose names start with _).
    data: { permalink: '/.nojekyll', layout: false, eleventyExcludeFromCollections: true, eleventyAllowMissingExtension: true },
    render: () => '',
  });
  config.addTemplate('cname.11ty.js', {
    data: {
      eleventyAllowMissingExtension: true,
      layout: false,
      eleventyExcludeFromCollections: true,
      // Only written when the site data names a custom domain.
      permalink: async () => ((await siteModel()).site.custom_domain === undefined ? false : '/CNAME'),
    },
    render: async () => `${(await siteModel()).site.custom_domain ?? ''}\n`,
  });

  config.addTemplate('favicon.svg.11ty.js', {
    data: { permalink: '/favicon.svg', layout: false, eleventyExcludeFromCollections: true },
    render: async () => faviconSvg((await siteModel()).site.name),
  });

  // The CV: the owner's own PDF if there is one, else one generated from the same data as the bio page.
  // It is written by the engine, not as an Eleventy template: Eleventy's pages would wait for it, and
  // so would the publication pages, which are written once Eleventy's are. A build renders it (in a
  // worker, from the start of the build) while it writes the publication pages, and writes it only
  // if both succeeded: a failed build writes nothing more into the folder it is about to remove.
  // While serving, the pages do not wait for it: a long CV takes a second or more to render, so the
  // edited page is shown at once and /cv.pdf follows when it is ready.
  let pdfGeneration = 0;
  const serveCvPdf = (target: string): void => {
    const generation = ++pdfGeneration;
    const { signal } = cvPdfAbort;
    cvPdfOnce().then(
      (pdf) => {
        // Only the newest edit's PDF is written: an older one may finish later. And only into the
        // served folder as it is then: one removed meanwhile (by a build that replaced it, say) is
        // not made again to hold a lone cv.pdf, which would also fail that build's swap.
        try {
          if (generation === pdfGeneration) writeFileAtomically(target, pdf, { createFolder: false });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') console.error(`Error: could not write ${target}: ${error instanceof Error ? error.message : String(error)}`);
        }
        flushCacheWrites(); // the PDF's own cache file
      },
      (error: unknown) => {
        if (!signal.aborted) console.error(`Error: ${cvPdfError(error).message}`);
      },
    );
  };

  // While serving, the files this session wrote into the served folder at its last rebuild. Eleventy
  // never removes what a page or an asset deleted meanwhile wrote, which a build would not publish
  // and the dev server would go on serving: each rebuild removes what the one before wrote and it
  // does not. Only files this session wrote are removed, never one put into the folder by hand.
  let servedFiles: ReadonlySet<string> | undefined;
  // The files Eleventy copied (content/assets/) in this build, by where they are in the site.
  let copied: ReadonlySet<string> | undefined;
  config.on('eleventy.passthrough', ({ map }: { map: Record<string, string> }) => {
    copied = new Set(Object.keys(map).map((address) => decodeURI(address).replace(/^\//, '')));
  });

  config.on('eleventy.after', async ({ results, incremental }: { results: EleventyResult[]; incremental?: boolean }) => {
    const output = path.resolve(config.directories.output);
    const taken = new Set(results.map((result) => (result.outputPath === false ? '' : sitePath(output, result.outputPath))));
    if (taken.has('cv.pdf')) throw addressTaken(results, output, 'cv.pdf', 'the CV');
    // The portrait's own file, copied from content/assets/, is published without what the camera
    // wrote about it: a phone's photo says where it was taken (see image-metadata.ts).
    const portrait = (await siteModel()).site.portrait?.src.replace(/^\/+/, '');
    if (runMode === 'build' && portrait !== undefined && copied?.has(portrait) === true) {
      const file = path.join(output, portrait);
      const bytes = await readFile(file);
      const published = withoutPhotoMetadata(bytes);
      // A new file, not the copy written over: the copy may share the owner's file (a link).
      if (published !== bytes) {
        await rm(file);
        await writeFile(file, published);
      }
    }
    if (runMode !== 'build') {
      // Everything this rebuild writes into the served folder, the CV PDF too (written when it is ready).
      const written = new Set([...taken, ...(copied ?? []), 'cv.pdf']);
      written.delete('');
      // Files are removed only when every file this rebuild writes is known: not so for an
      // --incremental one, which writes only what an edit changed.
      const complete = copied !== undefined && incremental !== true;
      try {
        for (const file of await writePublicationPages(results, output, taken)) written.add(file);
        await bibtexOnce(output, { eleventyWrote: taken });
        for (const file of await bibtexFilesOnce()) written.add(file.path);
        for (const file of portraitFiles(await portraitOnce())) written.add(file);
      } catch (error) {
        servedFiles = new Set([...(servedFiles ?? []), ...written]); // still there, for a later rebuild to remove
        throw error;
      }
      if (complete && servedFiles !== undefined) removeFilesNoLongerWritten(output, servedFiles, (file) => written.has(file));
      servedFiles = complete ? written : new Set([...(servedFiles ?? []), ...written]);
      // Once Eleventy has reported the build and the browser reloads.
      setTimeout(flushCacheWrites, 0);
      serveCvPdf(path.join(output, 'cv.pdf'));
      return;
    }
    const pages = Promise.all([writePublicationPages(results, output, taken), bibtexOnce(output, {})]);
    // A page that cannot be written fails the build: the PDF is of no more use.
    pages.catch((error: unknown) => cvPdfAbort.abort(error));
    const pdf = cvPdfOnce().then(
      (bytes) => writeFileAtomically(path.join(output, 'cv.pdf'), bytes),
      (error: unknown) => Promise.reject(cvPdfError(error)),
    );
    pdf.catch(() => undefined); // reported below, or by src/build.ts
    await pages;
    // A long CV's PDF is often the last part of a build to be ready: src/build.ts checks the site's
    // links meanwhile. Run otherwise (by `eleventy` itself), Eleventy's build ends with the PDF.
    if (!writeAfterEleventy(output, 'cv.pdf', pdf)) await pdf;
  });
  config.addTemplate('cv.json.11ty.js', {
    data: { permalink: '/cv.json', layout: false, eleventyExcludeFromCollections: true },
    render: async () => {
      const { site, cvData, entries } = await siteModel();
      return `${JSON.stringify(toJsonResume(site, cvData, entries, siteUrl(site)), null, 2)}\n`;
    },
  });
  config.addTemplate('cv-page.njk', '', { permalink: '/cv/', layout: 'cv.njk', title: 'Curriculum vitae', screen_only_header: true, description: 'Curriculum vitae: positions, education, publications, presentations, awards and memberships.' });

  config.addPassthroughCopy({ [path.join(config.directories.input, 'assets')]: 'assets' });
  // Eleventy waits until a changed file has kept its size for 150 ms before rebuilding; editors
  // save in a few milliseconds, and a save caught halfway is rebuilt when it ends. With 20 ms,
  // an edit of a 1,000-entry file is seen about 40 ms sooner than with 50 (37 ms against 75 to
  // 86 ms from the save to Eleventy's "File changed"), a tenth of the rebuild the bench measures.
  config.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 20, pollInterval: 5 } });
  for (const file of [options.bibliography, options.siteFile, options.cvFile]) config.addWatchTarget(throughItsFolder(path.join(options.root, file)));
  config.addWatchTarget(path.join(options.root, OWN_FONTS_DIR));
  config.addWatchTarget(path.join(options.root, path.dirname(options.styles)));
}

/**
 * A file for Eleventy to watch, as a pattern that matches it alone (its last character in
 * brackets), which chokidar watches through the file's folder. Watched by its name, a file that an
 * editor saves by renaming a new file over it (as most do) stayed registered twice, and chokidar
 * (4.0.3) threw while closing it at Ctrl-C: npm start printed an "Unhandled rejection" and could
 * go on running.
 */
function throughItsFolder(file: string): string {
  return file.split(path.sep).join('/').replace(/.$/, '[$&]');
}

/** What Eleventy's watch() does in 3.1.8: it gives back the rebuild it runs for a changed file, and keeps its watcher. */
interface WatchingEleventy {
  watch(this: WatchingEleventy): Promise<unknown>;
  watcher?: { on(event: 'unlink', listener: (file: string) => void): unknown };
}

let rebuildsOnDeletion = false;

/**
 * Eleventy 3.1.8 rebuilds when a file it watches is added or changed, not when one is deleted
 * (11ty/eleventy#2798, fixed in Eleventy 4): a page or an asset deleted while serving stayed in
 * the preview until npm start was restarted. Its watcher is made to run, on a deletion, the rebuild
 * that watch() gives back and runs on a change. This is done on Eleventy's class, once per process:
 * a plugin sees the config, never the Eleventy instance (`eleventy --serve` makes its own, and loads
 * the config before it calls watch(); a watch() already running is left as it is).
 */
function rebuildOnDeletion(): void {
  if (rebuildsOnDeletion) return;
  rebuildsOnDeletion = true;
  const eleventy = Eleventy.prototype as unknown as WatchingEleventy;
  const watch = eleventy.watch;
  eleventy.watch = async function (this: WatchingEleventy) {
    const rebuild = await watch.call(this);
    if (typeof rebuild === 'function') this.watcher?.on('unlink', (file) => void rebuild(file));
    return rebuild;
  };
}

/** The portrait's files in the site (`assets/img/...`), from the addresses its picture gives. */
function portraitFiles(picture: PictureView | undefined): string[] {
  if (picture === undefined) return [];
  const srcsets = [picture.srcset, ...picture.sources.map((source) => source.srcset)];
  const addresses = [picture.src, picture.largest, ...srcsets.flatMap((srcset) => srcset.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? ''))];
  return [...new Set(addresses.filter((address) => address.startsWith('/')).map((address) => decodeURI(address).slice(1)))];
}

/** What Eleventy gives a transform as `this`: the page it is writing. */
interface WrittenPage {
  page: { inputPath: string; outputPath: string | false };
}

/** Where a file Eleventy wrote is in the site, e.g. `bio/index.html`. */
function sitePath(output: string, file: string): string {
  return path.relative(output, path.resolve(file)).split(path.sep).join('/');
}

/** A layout error on a publication page, with what such a page can use (see publicationPages). */
function onPublicationPage(error: unknown, root: string): unknown {
  const found = templateError(error, root);
  if (found === undefined) return error;
  const seen = 'site, nav, contact, portrait, siteUrl, profiles, personJsonLd, page.url, title, description, scholar and publication';
  return new SiteInputError(found.problems.map((problem) => ({ ...problem, message: `${problem.message} (on a publication page, which sees ${seen}; not the whole publication list, collections or eleventy)` })));
}

/** Where the engine's per-build helpers sit in the data of every page. */
const ENGINE_DATA = 'academicHomepageEngine';

interface EngineData {
  publicationItem(item: PublicationView): Promise<string>;
}

interface PageRendering {
  renderer: LayoutRenderer;
  /** What every page sees (see sharedData). */
  shared: LayoutData;
  /** A hash of the shared data, the layouts, the config and the path prefix. */
  sharedKey: string;
  /** Each list item's key in this build. */
  itemKeys: WeakMap<PublicationView, string>;
  withBase?: (this: unknown, html: string) => Promise<string>;
}

/** The whole bibliography as clean BibTeX, in the order of the file. */
function bibliographyFile(entries: readonly Publication[]): string {
  return [...entries].sort((a, b) => a.line - b.line).map((entry) => entry.bibtex).join('\n');
}

/**
 * The site's absolute address with its path and a trailing slash: SITE_URL as
 * given (the deploy workflow passes GitHub's base URL, path included), else
 * `url` in the site data with PATH_PREFIX added.
 */
export function siteUrl(site: Site): string | undefined {
  const fromEnvironment = process.env['SITE_URL'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment.endsWith('/') ? fromEnvironment : `${fromEnvironment}/`;
  if (site.url === undefined) return undefined;
  const prefix = (process.env['PATH_PREFIX'] ?? '/').replace(/^\/*/, '').replace(/\/*$/, '');
  return new URL(prefix === '' ? '' : `${prefix}/`, site.url.endsWith('/') ? site.url : `${site.url}/`).href;
}

/** Front matter as YAML 1.2 reads it: each date but the page's own `date` the text it was written as (2024-01-01). */
function withDatesAsWritten(data: unknown, key?: string): unknown {
  if (data instanceof Date) return key === 'date' ? data : Number.isNaN(data.getTime()) ? String(data) : data.toISOString().replace(/T00:00:00\.000Z$/, '');
  if (Array.isArray(data)) return data.map((item) => withDatesAsWritten(item));
  if (data === null || typeof data !== 'object') return data;
  return Object.fromEntries(Object.entries(data).map(([name, value]) => [name, withDatesAsWritten(value, key === undefined ? name : '')]));
}

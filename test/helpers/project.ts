import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type HTMLElement } from 'node-html-parser';
import { buildSite } from '../../src/build.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The example site the tests build: a copy of the content the repository ships, kept here so that
 * the tests (and the deploy workflow that runs them) still pass once an owner has replaced
 * content/ and publications.bib with their own. A change to the shipped example is copied here.
 */
export const exampleRoot = path.join(repoRoot, 'test', 'fixtures', 'example-site');
const EXAMPLE_FILES = ['content', 'publications.bib'];
/** The engine's files a fork holds (copied, as an owner may change them), and those linked. */
const ENGINE_FILES = ['layouts', 'styles', '.eleventy.ts'];
const LINKED = ['src', 'node_modules', 'package.json'];

export interface TestProject {
  root: string;
  /** Writes a file relative to the project root, creating folders. */
  write(file: string, text: string | Uint8Array): Promise<void>;
  read(file: string): Promise<string>;
  build(): Promise<{ output: string }>;
  /** Reads a built page, e.g. `publications/index.html`, as a DOM. */
  page(file: string): Promise<HTMLElement>;
  remove(): Promise<void>;
}

/** A copy of the example site in a temporary folder, to build or to break on purpose. */
export async function createTestProject(): Promise<TestProject> {
  const root = await mkdtemp(path.join(tmpdir(), 'academic-homepage-'));
  for (const file of EXAMPLE_FILES) await cp(path.join(exampleRoot, file), path.join(root, file), { recursive: true });
  for (const file of ENGINE_FILES) await cp(path.join(repoRoot, file), path.join(root, file), { recursive: true });
  for (const file of LINKED) await symlink(path.join(repoRoot, file), path.join(root, file));
  const project: TestProject = {
    root,
    async write(file, text) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    },
    read: (file) => readFile(path.join(root, file), 'utf8'),
    build: () => buildSite({ root }),
    async page(file) {
      return parse(await readFile(path.join(root, '_site', file), 'utf8'));
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
  return project;
}

/** Builds the unchanged example site once per test file. */
let example: Promise<TestProject> | undefined;
export function builtExample(): Promise<TestProject> {
  example ??= (async () => {
    const project = await createTestProject();
    await project.build();
    return project;
  })();
  return example;
}

export function text(element: HTMLElement | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The compiled Nunjucks templates a project's cache keeps, one list per file of them (each file:
 * the cache's header line, then the templates by key as JSON); none before any was kept.
 */
export async function keptTemplateFiles(root: string): Promise<Array<Array<{ name: string; code: string }>>> {
  const folder = path.join(root, '.cache', 'academic-homepage', 'nunjucks-templates');
  if (!existsSync(folder)) return [];
  const files = (await readdir(folder, { recursive: true })).map(String).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(files.map(async (file) => {
    const text = await readFile(path.join(folder, file), 'utf8');
    return Object.values(JSON.parse(text.slice(text.indexOf('\n') + 1)) as Record<string, { name: string; code: string }>);
  }));
}

/** Every file of a folder as base64, to compare builds byte for byte. */
export async function snapshotFolder(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, file), (await readFile(file)).toString('base64'));
  }
  return files;
}

/** The URLs of the built pages (`/`, `/bio/`, ...), sorted. */
export async function builtPageUrls(site: string): Promise<string[]> {
  return (await readdir(site, { recursive: true }))
    .map(String)
    .filter((file) => file.endsWith('index.html'))
    .map((file) => `/${file.replace(/index\.html$/, '').split(path.sep).join('/')}`)
    .sort();
}

/** A build with the site's address, as the deploy workflow gives it (SITE_URL): then it writes the sitemap and the feed. */
export async function buildWithSiteUrl(project: TestProject, siteUrl = 'https://example.org/'): Promise<void> {
  process.env['SITE_URL'] = siteUrl;
  try {
    await project.build();
  } finally {
    delete process.env['SITE_URL'];
  }
}

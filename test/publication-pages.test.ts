import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Eleventy } from '@11ty/eleventy';
import { DiskCache } from '../src/cache.ts';
import { FragmentCache } from '../src/pages/fragment-cache.ts';
import { generateBibliography } from '../bench/generate-bibliography.ts';
import { mayUseWorkers, workersStarted } from '../src/parallel.ts';
import { buildWithSiteUrl, createTestProject, snapshotFolder, type TestProject } from './helpers/project.ts';

// Publication pages and their BibTeX files are written by the engine itself, beside Eleventy's
// pages, and only when what they show has changed (src/pages/).

const pageOf = (id: string): string => path.join('_site', 'publications', id, 'index.html');

describe('publication pages, written only when they change', () => {
  let project: TestProject;
  const inode = (file: string): number => statSync(path.join(project.root, file)).ino;
  before(async () => {
    project = await createTestProject();
    await project.build();
  });
  after(async () => project.remove());

  it('a warm build reuses every unchanged page and BibTeX file: the same file, not a copy', async () => {
    const before = new Map<string, number>();
    const files = (await readdir(path.join(project.root, '_site', 'publications'), { recursive: true })).map(String).filter((file) => file.endsWith('/index.html') || file.endsWith('.bib'));
    assert.ok(files.length > 30);
    for (const file of files) before.set(file, inode(path.join('_site', 'publications', file)));
    await project.build();
    for (const file of files) assert.equal(inode(path.join('_site', 'publications', file)), before.get(file), file);
  });

  it('editing one entry renders its page and its BibTeX file again, and no other', async () => {
    const edited = inode(pageOf('koukis2010gmblock'));
    const other = inode(pageOf('nanos2014xen2mx'));
    const otherBib = inode('_site/publications/nanos2014xen2mx.bib');
    const bib = await project.read('publications.bib');
    await project.write('publications.bib', bib.replace('@article{koukis2010gmblock,', '@article{koukis2010gmblock,\n  note = {Edited for the test},'));
    await project.build();
    assert.match(await project.read(pageOf('koukis2010gmblock')), /Edited for the test/);
    assert.match(await project.read('_site/publications/koukis2010gmblock.bib'), /Edited for the test/);
    assert.notEqual(inode(pageOf('koukis2010gmblock')), edited);
    assert.equal(inode(pageOf('nanos2014xen2mx')), other);
    assert.equal(inode('_site/publications/nanos2014xen2mx.bib'), otherBib);
    await project.write('publications.bib', bib);
    await project.build();
    assert.doesNotMatch(await project.read(pageOf('koukis2010gmblock')), /Edited for the test/);
  });

  it('a page changed by hand in _site/ is rendered again, never reused', async () => {
    const page = path.join(project.root, pageOf('nanos2014xen2mx'));
    const original = await readFile(page, 'utf8');
    await writeFile(page, original.replace('</article>', '<p>hand-made</p></article>'));
    await project.build();
    assert.equal(await readFile(page, 'utf8'), original);
  });

  it('gives the same bytes as a build without the cache', async () => {
    const warm = await snapshotFolder(path.join(project.root, '_site'));
    process.env['ACADEMIC_HOMEPAGE_CACHE'] = 'off';
    try {
      await project.build();
    } finally {
      delete process.env['ACADEMIC_HOMEPAGE_CACHE'];
    }
    assert.deepEqual(await snapshotFolder(path.join(project.root, '_site')), warm);
  });

  it('an edited layout, or partial, renders every publication page again', async () => {
    const layout = await project.read('layouts/publication.njk');
    await project.write('layouts/publication.njk', layout.replace('<h2 id="bibtex">BibTeX</h2>', '<h2 id="bibtex">BibTeX entry</h2>'));
    await project.build();
    for (const id of ['koukis2010gmblock', 'nanos2014xen2mx', 'mytilinis2015io']) assert.match(await project.read(pageOf(id)), /BibTeX entry<\/h2>/, id);
    await project.write('layouts/publication.njk', layout);
    const base = await project.read('layouts/base.njk');
    await project.write('layouts/base.njk', base.replace('<meta name="generator" content="academic-homepage">', '<meta name="generator" content="academic-homepage, edited">'));
    await project.build();
    for (const id of ['koukis2010gmblock', 'nanos2014xen2mx']) assert.match(await project.read(pageOf(id)), /academic-homepage, edited/, id);
    await project.write('layouts/base.njk', base);
    await project.build();
  });

  it('a change to the site data (the name in every header) renders every page again', async () => {
    const site = await project.read('content/_data/site.yaml');
    const name = /^name: (.*)$/m.exec(site)?.[1] ?? '';
    assert.notEqual(name, '');
    await project.write('content/_data/site.yaml', site.replace(/^name: .*$/m, 'name: Someone Else'));
    await project.build();
    assert.match(await project.read(pageOf('nanos2014xen2mx')), /<a class="site-name" href="\/">Someone Else<\/a>/);
    await project.write('content/_data/site.yaml', site);
    await project.build();
  });

  it('the sitemap lists every publication page', async () => {
    const site = await project.read('content/_data/site.yaml');
    await project.write('content/_data/site.yaml', `${site.replace(/^url: .*\n/m, '')}url: https://example.org\n`);
    await project.build();
    const sitemap = await project.read('_site/sitemap.xml');
    const ids = (await readdir(path.join(project.root, '_site', 'publications'))).filter((name) => !name.includes('.'));
    assert.ok(ids.length > 15);
    for (const id of ids) assert.ok(sitemap.includes(`<loc>https://example.org/publications/${id}/</loc>`), id);
    await project.write('content/_data/site.yaml', site);
  });
});

describe('publication pages of a long list, written by a thread of their own (src/pages/file-writer.ts)', () => {
  let project: TestProject;
  before(async () => {
    project = await createTestProject();
    // Without the style: formatting 150 entries in APA would only slow the test down.
    const site = await project.read('content/_data/site.yaml');
    await project.write('content/_data/site.yaml', site.replace(/^ {2}style: apa$/m, ''));
    await project.write('publications.bib', generateBibliography(150));
  });
  after(async () => project.remove());

  it('gives the same files as a build in one thread, and the next build reuses every one of them', async () => {
    await project.build();
    const threaded = await snapshotFolder(path.join(project.root, '_site'));
    const pages = [...threaded.keys()].filter((file) => /^publications\/[^/]+(\/index\.html|\.bib)$/.test(file));
    // Two of the 150 entries are proceedings that papers crossref and the owner did not edit: not listed.
    assert.ok(pages.length >= 296, `${pages.length} publication files`);
    // What the thread said of each file is what proves it untouched: with a wrong stat, nothing would be reused.
    const inodes = new Map(pages.map((file) => [file, statSync(path.join(project.root, '_site', file)).ino]));
    await project.build();
    for (const [file, ino] of inodes) assert.equal(statSync(path.join(project.root, '_site', file)).ino, ino, file);
    // A layout edited (invisibly) renders every page again, and only the writing thread starts: the rest is kept.
    const layout = await project.read('layouts/publication.njk');
    await project.write('layouts/publication.njk', layout.replace('{% set item = publication %}', '{# edited for the test #}{% set item = publication %}'));
    const startedBefore = workersStarted();
    await project.build();
    assert.equal(workersStarted() - startedBefore, mayUseWorkers() ? 1 : 0);
    const page = pages.find((file) => file.endsWith('/index.html')) ?? '';
    assert.notEqual(statSync(path.join(project.root, '_site', page)).ino, inodes.get(page), 'rendered and written again');
    assert.deepEqual(await snapshotFolder(path.join(project.root, '_site')), threaded);
    await project.write('layouts/publication.njk', layout);
    process.env['ACADEMIC_HOMEPAGE_WORKERS'] = '1';
    process.env['ACADEMIC_HOMEPAGE_CACHE'] = 'off';
    try {
      await project.build();
    } finally {
      delete process.env['ACADEMIC_HOMEPAGE_WORKERS'];
      delete process.env['ACADEMIC_HOMEPAGE_CACHE'];
    }
    assert.deepEqual(await snapshotFolder(path.join(project.root, '_site')), threaded);
  });

  it('writes a .bib file beside every publication page, with nothing to reuse', async () => {
    // Nothing to reuse: every file is written anew. (They are written from the moment the
    // bibliography is read, by a thread of their own; how much sooner that ends a build is the
    // bench's to say: in which order two threads finish on a busy machine is no test's.)
    await rm(path.join(project.root, '_site'), { recursive: true, force: true });
    await project.build();
    const folder = path.join(project.root, '_site', 'publications');
    const files = (await readdir(folder, { recursive: true })).map(String);
    const bibtex = files.filter((file) => /^[^/]+\.bib$/.test(file)).map((file) => file.replace(/\.bib$/, '')).sort();
    const pages = files.filter((file) => /^[^/]+\/index\.html$/.test(file)).map((file) => file.replace(/\/index\.html$/, '')).sort();
    assert.ok(bibtex.length >= 148, `${bibtex.length} .bib files`);
    assert.deepEqual(bibtex, pages, 'one .bib file for each page, by the same name');
  });
});

describe('a DBLP export with crossrefs: the owner\'s papers and the proceedings volumes they name', () => {
  // As DBLP's "BibTeX with crossref" writes them (see test/fixtures/bibtex/dblp with crossref.bib):
  // the paper is the owner's, the volume after it is the editors'.
  const exported = `
@inproceedings{child,
  author    = {Anastassios Nanos and Nectarios Koziris},
  title     = {A paper},
  crossref  = {DBLP:conf/test/2020},
  pages     = {1--10},
}

@proceedings{DBLP:conf/test/2020,
  editor    = {Ada Lovelace and Charles Babbage},
  title     = {Proceedings of the Test Conference},
  booktitle = {Proceedings of the Test Conference},
  publisher = {ACM},
  year      = {2020},
}
`;
  const standalone = '@inproceedings{child,\n  author    = {Anastassios Nanos and Nectarios Koziris},\n  title     = {A paper},\n  editor    = {Ada Lovelace and Charles Babbage},\n  booktitle = {Proceedings of the Test Conference},\n  publisher = {ACM},\n  year      = {2020},\n  pages     = {1--10},\n}\n';
  const parentId = 'dblp-conf-test-2020';
  let project: TestProject;
  // With the site's address, so that the sitemap and the feed are written too.
  const build = (): Promise<void> => buildWithSiteUrl(project);
  const keysOn = async (page: string): Promise<Array<string | undefined>> => (await project.page(page)).querySelectorAll('li.pub').map((li) => li.getAttribute('data-key'));
  before(async () => {
    project = await createTestProject();
    await project.write('publications.bib', `${await project.read('publications.bib')}${exported}`);
    // The build checks every internal link: nothing may point at a page it does not write.
    await build();
  });
  after(async () => project.remove());

  it('a paper\'s BibTeX, on its page, in its .bib file and in publications.bib, stands alone: what it takes from its volume is written in, without the crossref', async () => {
    assert.equal(await project.read('_site/publications/child.bib'), standalone);
    // (Nothing in it to escape as HTML.)
    assert.ok((await project.read('_site/publications/child/index.html')).includes(`<pre class="pub__bibtex-code publication__bibtex"><code>${standalone}</code></pre>`), 'its page');
    const whole = await project.read('_site/publications.bib');
    assert.ok(whole.includes(standalone));
    assert.doesNotMatch(whole, /crossref/i);
  });

  it('the volume, which the owner did not edit, is listed nowhere and has no page: not in the lists, the CV, the feed or the downloads', async () => {
    assert.ok(!existsSync(path.join(project.root, '_site', 'publications', parentId)), 'no page');
    assert.ok(!existsSync(path.join(project.root, '_site', 'publications', `${parentId}.bib`)), 'no .bib file');
    for (const page of ['publications/index.html', 'cv/index.html', 'bio/index.html']) {
      const keys = await keysOn(page);
      assert.ok(keys.includes('child') && !keys.includes('DBLP:conf/test/2020'), page);
    }
    assert.doesNotMatch(await project.read('_site/publications.bib'), /@proceedings\{DBLP:conf\/test\/2020,/);
    const csl = JSON.parse(await project.read('_site/publications.json')) as Array<{ id: string; 'container-title'?: string }>;
    assert.deepEqual(csl.filter((item) => item.id === 'child' || item.id === 'DBLP:conf/test/2020').map((item) => [item.id, item['container-title']]), [['child', 'Proceedings of the Test Conference']]);
    const resume = JSON.parse(await project.read('_site/cv.json')) as { publications: Array<{ name: string }> };
    assert.ok(resume.publications.some((publication) => publication.name === 'A paper'));
    assert.ok(!resume.publications.some((publication) => publication.name === 'Proceedings of the Test Conference'));
    const feed = await project.read('_site/publications.xml');
    assert.ok(feed.includes('/publications/child/') && !feed.includes(parentId), 'the feed');
    // Nothing links to where its page would be.
    for (const file of (await readdir(path.join(project.root, '_site'), { recursive: true })).map(String).filter((name) => /\.(html|xml|json|txt)$/.test(name))) {
      assert.ok(!(await project.read(path.join('_site', file))).includes(parentId), file);
    }
  });

  it('a volume the owner edited is listed as their own, with its page and its .bib file', async () => {
    const site = await project.read('content/_data/site.yaml');
    await project.write('content/_data/site.yaml', site.replace(/^author_names:\n/m, 'author_names:\n  - Lovelace, Ada\n'));
    try {
      await build();
      assert.ok((await keysOn('publications/index.html')).includes('DBLP:conf/test/2020'));
      assert.match(await project.read(`_site/publications/${parentId}.bib`), /^@proceedings\{DBLP:conf\/test\/2020,\n  editor/);
      assert.ok(existsSync(path.join(project.root, '_site', 'publications', parentId, 'index.html')));
      const whole = await project.read('_site/publications.bib');
      assert.ok(whole.includes(standalone) && whole.includes('@proceedings{DBLP:conf/test/2020,'), 'each entry stands alone');
    } finally {
      await project.write('content/_data/site.yaml', site);
    }
  });
});

/** Waits until the file is there, for a minute at most: what watch mode writes after the pages. */
async function untilExists(file: string): Promise<void> {
  for (let waited = 0; waited < 60_000 && !existsSync(file); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('publication pages in watch mode (npm start writes into _site/ itself)', () => {
  let project: TestProject;
  before(async () => {
    project = await createTestProject();
  });
  after(async () => project.remove());

  const write = async (output = '_site', into: TestProject = project): Promise<void> => {
    const eleventy = new Eleventy(path.join(into.root, 'content'), path.join(into.root, output), { configPath: path.join(into.root, '.eleventy.ts'), quietMode: true, runMode: 'watch' });
    await eleventy.write();
  };

  it('a failed build does not count: the pages of entries deleted meanwhile are still removed', async () => {
    await project.build();
    const bib = await project.read('publications.bib');
    const start = bib.indexOf('@inproceedings{mytilinis2015io,');
    const end = bib.indexOf('\n@', start + 1);
    await project.write('publications.bib', bib.slice(0, start) + bib.slice(end + 1));
    await project.write('content/broken.md', '---\ntitle: Broken\n---\n[nowhere](/nowhere/)\n');
    await assert.rejects(project.build(), /nowhere/);
    await rm(path.join(project.root, 'content/broken.md'));
    await write();
    assert.equal(existsSync(path.join(project.root, pageOf('mytilinis2015io'))), false);
    await project.write('publications.bib', bib);
    await write();
    assert.equal(existsSync(path.join(project.root, pageOf('mytilinis2015io'))), true);
  });

  it('a layout edited while serving gives its new id: a heading of the same name gives way at the next rebuild', async () => {
    const layout = await project.read('layouts/base.njk');
    const eleventy = new Eleventy(path.join(project.root, 'content'), path.join(project.root, '_site'), { configPath: path.join(project.root, '.eleventy.ts'), quietMode: true, runMode: 'watch' });
    const headingIds = async (): Promise<string[]> => [...(await project.read('_site/research/index.html')).matchAll(/<h2 id="([^"]*)"/g)].map((match) => match[1] ?? '');
    try {
      await eleventy.write();
      assert.ok((await headingIds()).includes('xen2mx'));
      await project.write('layouts/base.njk', layout.replace('<main id="main"', '<span id="xen2mx"></span><main id="main"'));
      // What Eleventy does when a file changes while it serves: the same instance, its config kept.
      await (eleventy as unknown as { restart(): Promise<void> }).restart();
      await eleventy.init();
      await eleventy.write();
      const ids = await headingIds();
      assert.ok(!ids.includes('xen2mx') && ids.includes('xen2mx-1'), ids.join(', '));
    } finally {
      await project.write('layouts/base.njk', layout);
    }
  });

  it('checks the content before each rebuild as a build does: what npm start shows is what a build publishes', async () => {
    await project.write('content/scripted.md', '---\ntitle: Scripted\n---\nHello.\n\n<script>alert(1)</script>\n');
    try {
      await assert.rejects(write(), /content\/scripted\.md:6: <script> is not allowed in a page/);
      assert.equal(existsSync(path.join(project.root, '_site', 'scripted')), false, 'the page is not served');
    } finally {
      await rm(path.join(project.root, 'content/scripted.md'));
    }
  });

  it('a page of content/ that takes a deleted entry\'s address stays', async () => {
    await write();
    const bib = await project.read('publications.bib');
    const start = bib.indexOf('@inproceedings{mytilinis2015io,');
    const end = bib.indexOf('\n@', start + 1);
    await project.write('publications.bib', bib.slice(0, start) + bib.slice(end + 1));
    await project.write('content/taken.md', '---\ntitle: Taken\npermalink: /publications/mytilinis2015io/\n---\nNow a page of mine.\n');
    await write();
    assert.match(await project.read(pageOf('mytilinis2015io')), /Now a page of mine\./);
    await rm(path.join(project.root, 'content/taken.md'));
    await project.write('publications.bib', bib);
  });

  it('does not make the served folder again for a CV PDF that is ready after the folder was removed', async () => {
    const fresh = await createTestProject(); // nothing cached: the PDF is drawn after the pages
    try {
      await write('_gone', fresh);
      assert.equal(existsSync(path.join(fresh.root, '_gone', 'cv.pdf')), false, 'the PDF comes after the pages');
      await rm(path.join(fresh.root, '_gone'), { recursive: true, force: true });
      // The PDF's cache file is written just after the PDF would be (see serveCvPdf in src/plugin.ts).
      const kept = path.join(fresh.root, '.cache', 'academic-homepage', 'cv-pdf');
      await untilExists(kept);
      assert.ok(existsSync(kept), 'the PDF was drawn');
      assert.equal(existsSync(path.join(fresh.root, '_gone')), false);
    } finally {
      await fresh.remove();
    }
  });

  it('writes the CV PDF after the pages, the same file a build makes', async () => {
    await project.build();
    await write('_serve');
    const served = path.join(project.root, '_serve', 'cv.pdf');
    // The pages do not wait for the PDF: it is written when its worker is done.
    await untilExists(served);
    assert.deepEqual(await readFile(served), await readFile(path.join(project.root, '_site', 'cv.pdf')));
  });

  it('leaves unchanged pages alone, rewrites an edited one and removes a deleted entry\'s page', async () => {
    await write();
    const bib = (await project.read('publications.bib')).replace('@article{nanos2014xen2mx,', '@article{nanos2014xen2mx,\n  note = {Edited while serving},');
    const start = bib.indexOf('@article{koukis2010gmblock,');
    const end = bib.indexOf('\n@', start + 1);
    await project.write('publications.bib', bib.slice(0, start) + bib.slice(end + 1));
    await write();
    assert.equal(existsSync(path.join(project.root, pageOf('koukis2010gmblock'))), false);
    assert.equal(existsSync(path.join(project.root, '_site/publications/koukis2010gmblock')), false, 'nor the folder it leaves empty');
    assert.equal(existsSync(path.join(project.root, '_site/publications/koukis2010gmblock.bib')), false);
    assert.match(await project.read(pageOf('nanos2014xen2mx')), /Edited while serving/);
    const untouched = (await readdir(path.join(project.root, '_site', 'publications'))).find((name) => !name.includes('.') && name !== 'nanos2014xen2mx' && name !== 'koukis2010gmblock') ?? '';
    assert.notEqual(untouched, '');
    const stat = statSync(path.join(project.root, pageOf(untouched)));
    await write();
    assert.equal(statSync(path.join(project.root, pageOf(untouched))).mtimeMs, stat.mtimeMs, 'an unchanged page is not written again');
  });
});

describe('npm start, stopped with Ctrl-C', () => {
  it('closes cleanly after the bibliography, site.yaml and cv.yaml were saved as editors save them, by renaming a new file over them', async () => {
    const project = await createTestProject();
    // As npm start runs it: from the project's folder, with the folders as it names them.
    const started = process.cwd();
    process.chdir(project.root);
    const eleventy = new Eleventy('content', '_site', { configPath: '.eleventy.ts', quietMode: true, runMode: 'watch' });
    const stopWatch = (): Promise<void> => (eleventy as unknown as { stopWatch(): Promise<void> }).stopWatch();
    try {
      await eleventy.init();
      await eleventy.watch();
      const bib = (await project.read('publications.bib')).replace('@article{nanos2014xen2mx,', '@article{nanos2014xen2mx,\n  note = {Saved by renaming},');
      for (const [file, text] of [['content/_data/site.yaml', await project.read('content/_data/site.yaml')], ['content/_data/cv.yaml', await project.read('content/_data/cv.yaml')], ['publications.bib', bib]] as const) {
        await project.write(`${file}.saving`, text);
        await rename(path.join(project.root, `${file}.saving`), path.join(project.root, file));
      }
      // Seen and rebuilt: the edited entry's page shows its note.
      for (let waited = 0; waited < 60_000 && !(await project.read(pageOf('nanos2014xen2mx'))).includes('Saved by renaming'); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.match(await project.read(pageOf('nanos2014xen2mx')), /Saved by renaming/);
      // What Eleventy's command does at Ctrl-C, and then expects to end: chokidar 4.0.3 threw here for files watched by their name.
      await assert.doesNotReject(stopWatch());
    } finally {
      await stopWatch().catch(() => undefined);
      process.chdir(started);
      await project.remove();
    }
  });
});

describe('publication pages and the rest of the site', () => {
  let project: TestProject;
  before(async () => {
    project = await createTestProject();
    await project.build();
  });
  after(async () => project.remove());

  it('a content page at a publication\'s address is an error, not silently replaced', async () => {
    await project.write('content/clash.md', '---\ntitle: Clash\npermalink: /publications/koukis2010gmblock/\n---\nMine.\n');
    await assert.rejects(project.build(), /^SiteInputError: content\/clash\.md:3 \(permalink\): this page is written at \/publications\/koukis2010gmblock\/, a publication's page: give it another permalink/);
    await rm(path.join(project.root, 'content/clash.md'));
  });

  it('so is a content page at a publication\'s .bib address, though the .bib files are written from the start of the build', async () => {
    // Another file: Eleventy keeps what it read of a file for the whole process.
    await project.write('content/bib-clash.md', '---\ntitle: Clash\npermalink: /publications/koukis2010gmblock.bib\n---\nMine.\n');
    await assert.rejects(project.build(), /^SiteInputError: content\/bib-clash\.md:3 \(permalink\): this page is written at \/publications\/koukis2010gmblock\.bib, a publication's BibTeX file/);
    await rm(path.join(project.root, 'content/bib-clash.md'));
    assert.match(await project.read('_site/publications/koukis2010gmblock.bib'), /@article\{koukis2010gmblock,/, 'the published site is left as it was');
  });

  it('so is a content page at the CV\'s address', async () => {
    // Another file: Eleventy keeps what it read of a file for the whole process.
    await project.write('content/cv-clash.md', '---\ntitle: Clash\npermalink: /cv.pdf\n---\nMine.\n');
    await assert.rejects(project.build(), /^SiteInputError: content\/cv-clash\.md:3 \(permalink\): this page is written at \/cv\.pdf, the CV/);
    await rm(path.join(project.root, 'content/cv-clash.md'));
  });

  it('an error in the publication layout names the layout and the line', async () => {
    const layout = await project.read('layouts/publication.njk');
    const broken = layout.replace('<h2 id="bibtex">BibTeX</h2>', '<h2 id="bibtex">{{ publication.missing.deeper }}</h2>');
    await project.write('layouts/publication.njk', broken);
    // The line in the file, front matter included (Nunjucks counts from the end of it).
    const line = broken.split('\n').findIndex((text) => text.includes('publication.missing.deeper')) + 1;
    await assert.rejects(project.build(), (error: Error) => {
      assert.match(error.message, new RegExp(`layouts/publication\\.njk:${line}:`));
      return true;
    });
    await project.write('layouts/publication.njk', layout);
  });

  it('a shared layout that uses what only Eleventy\'s pages have says what a publication page sees', async () => {
    const base = await project.read('layouts/base.njk');
    await project.write('layouts/base.njk', base.replace('</footer>', '<p>{{ publications.total }} publications</p></footer>'));
    await assert.rejects(project.build(), (error: Error) => {
      assert.match(error.message, /layouts\/base\.njk:\d+/);
      assert.match(error.message, /on a publication page, which sees site, nav, .* and publication; not the whole publication list/);
      return true;
    });
    await project.write('layouts/base.njk', base);
  });
});

describe('publications in lists, rendered once and kept (src/pages/fragment-cache.ts)', () => {
  let project: TestProject;
  before(async () => {
    project = await createTestProject();
    await project.build();
  });
  after(async () => project.remove());

  it('renders a fragment once per build, keeps it for the next build in memory and in the cache, and drops what a build did not use', async () => {
    const cache = new DiskCache(project.root);
    const rendered: string[] = [];
    const render = (text: string) => async (): Promise<string> => {
      rendered.push(text);
      return `<li>${text}</li>`;
    };
    const first = new FragmentCache(cache, 'test-fragments');
    assert.equal(await first.get('a', render('a')), '<li>a</li>');
    assert.equal(await first.get('a', render('a again')), '<li>a</li>');
    await first.get('b', render('b'));
    await first.save();
    assert.equal(await first.get('a', render('a, third')), '<li>a</li>', 'from memory, as npm start rebuilds');
    await first.save();
    const fresh = new FragmentCache(cache, 'test-fragments');
    assert.equal(await fresh.get('a', render('a, fourth')), '<li>a</li>', 'from the cache, as a new build starts');
    await fresh.get('b', render('b again'));
    assert.deepEqual(rendered, ['a', 'b', 'b again'], 'b was not used by the second build: dropped');
  });

  it('an edited list-item layout shows on every list at the next build', async () => {
    const partial = await project.read('layouts/partials/publication-item.njk');
    await project.write('layouts/partials/publication-item.njk', partial.replace('<p class="pub__title">', '<p class="pub__title" data-edited>'));
    await project.build();
    for (const page of ['publications/index.html', 'bio/index.html', 'cv/index.html', 'index.html']) {
      const html = await project.read(`_site/${page}`);
      assert.ok(html.includes('<p class="pub__title" data-edited>'), page);
      assert.ok(!html.includes('<p class="pub__title">'), page);
    }
    await project.write('layouts/partials/publication-item.njk', partial);
    await project.build();
    assert.ok(!(await project.read('_site/publications/index.html')).includes('data-edited'));
  });
});

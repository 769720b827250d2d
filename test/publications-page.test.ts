import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadBibliography } from '../src/bibliography/load-bibliography.ts';
import { compareNewestFirst } from '../src/view/publication-list.ts';
import { readPdf } from './helpers/pdf.ts';
import { builtExample, createTestProject, exampleRoot, repoRoot, type TestProject, text } from './helpers/project.ts';

let project: TestProject;
before(async () => {
  project = await builtExample();
});
after(async () => project.remove());

describe('the publications page', () => {
  it('lists every entry of publications.bib once, by type as the seed does, then newest first by year', async () => {
    const { publications } = await loadBibliography(exampleRoot, 'publications.bib');
    const html = await project.page('publications/index.html');
    const items = html.querySelectorAll('li.pub');
    assert.equal(items.length, publications.length);
    const sections = html.querySelectorAll('section.pub-section > h2').map((h) => text(h));
    assert.deepEqual(sections, ['Journal articles (2)', 'Conference and workshop papers (8)', 'Theses (1)', 'Posters and presentations (7)']);
    const keys = items.map((item) => item.getAttribute('data-key'));
    const kindOrder = ['article', 'conference', 'thesis', 'presentation'];
    const expected = [...publications].sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || compareNewestFirst(a, b)).map((p) => p.key);
    assert.deepEqual(keys, expected);
    for (const group of html.querySelectorAll('section.pub-group')) {
      const year = text(group.querySelector('h3'));
      for (const item of group.querySelectorAll('li.pub')) assert.match(text(item.querySelector('.pub__venue')), new RegExp(`${year}$`));
    }
  });

  it('shows title, authors with the owner highlighted, venue, year, links, and BibTeX without JavaScript', async () => {
    const html = await project.page('publications/index.html');
    const item = html.querySelector('li[data-key="koukis2010gmblock"]');
    assert.equal(text(item?.querySelector('.pub__title')), 'GMBlock: Optimizing Data Movement in a Block-level Storage Sharing System over Myrinet');
    assert.equal(item?.querySelector('.pub__title a')?.getAttribute('href'), '/publications/koukis2010gmblock/');
    assert.equal(text(item?.querySelector('.pub__authors')), 'Evangelos Koukis, Anastassios Nanos, Nectarios Koziris');
    assert.deepEqual(item?.querySelectorAll('.pub__me').map((me) => text(me)), ['Anastassios Nanos']);
    assert.equal(text(item?.querySelector('.pub__venue')), 'Cluster Computing, vol. 13, no. 4, pp. 349–372, 2010');
    assert.equal(item?.querySelector('.pub__links a')?.getAttribute('href'), 'https://doi.org/10.1007/s10586-009-0106-y');
    // node-html-parser reads <pre> as raw text, markup included.
    const bibtex = text(item?.querySelector('details.pub__bibtex pre')).replace(/<\/?code>/g, '');
    assert.match(bibtex, /^@article\{koukis2010gmblock, author = \{Koukis, Evangelos and Nanos, Anastassios/);
    assert.ok(!bibtex.includes('selected'), 'display-only fields are not in the BibTeX');
  });

  it('has a jump list to each type and year, and gives each entry a linkable id and the exact key', async () => {
    const html = await project.page('publications/index.html');
    const targets = html.querySelectorAll('nav.jump a[href^="#"]').map((a) => a.getAttribute('href')?.slice(1) ?? '');
    assert.ok(targets.length > 4);
    for (const target of targets) assert.ok(html.getElementById(target), `#${target} exists`);
    for (const item of html.querySelectorAll('li.pub')) {
      assert.match(item.id, /^[a-z0-9_-]+$/);
      assert.ok(item.getAttribute('data-key'));
    }
  });

  it('names each year\'s section by its kind and year ("Journal articles 2010"), so that no two landmarks share a name', async () => {
    const html = await project.page('publications/index.html');
    const names = html.querySelectorAll('section.pub-group').map((group) =>
      (group.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => text(html.getElementById(id))).join(' '));
    assert.ok(names.includes('Journal articles 2010'), names.join('; '));
    assert.equal(new Set(names).size, names.length, `unique: ${names.join('; ')}`);
  });
});

describe('a publication page', () => {
  it('has the full citation, the CSL "Cite" text, BibTeX and its download', async () => {
    const html = await project.page('publications/koukis2010gmblock/index.html');
    assert.equal(text(html.querySelector('h1')), 'GMBlock: Optimizing Data Movement in a Block-level Storage Sharing System over Myrinet');
    assert.equal(
      text(html.querySelector('.publication__citation')),
      'Koukis, E., Nanos, A., & Koziris, N. (2010). GMBlock: Optimizing Data Movement in a Block-level Storage Sharing System over Myrinet. Cluster Computing, 13(4), 349–372. https://doi.org/10.1007/s10586-009-0106-y',
    );
    assert.equal(html.querySelector('a[download]')?.getAttribute('href'), '/publications/koukis2010gmblock.bib');
    const bib = await project.read('_site/publications/koukis2010gmblock.bib');
    assert.match(bib, /^@article\{koukis2010gmblock,\n/);
  });

  it('carries the metadata Google Scholar asks for, and schema.org ScholarlyArticle JSON-LD', async () => {
    const html = await project.page('publications/koukis2010gmblock/index.html');
    const meta = (name: string): string[] => html.querySelectorAll(`meta[name="${name}"]`).map((m) => m.getAttribute('content') ?? '');
    assert.deepEqual(meta('citation_title'), ['GMBlock: Optimizing Data Movement in a Block-level Storage Sharing System over Myrinet']);
    assert.deepEqual(meta('citation_author'), ['Koukis, Evangelos', 'Nanos, Anastassios', 'Koziris, Nectarios']);
    assert.deepEqual(meta('citation_publication_date'), ['2010']);
    assert.deepEqual(meta('citation_journal_title'), ['Cluster Computing']);
    assert.deepEqual([meta('citation_volume'), meta('citation_issue'), meta('citation_firstpage'), meta('citation_lastpage')], [['13'], ['4'], ['349'], ['372']]);
    assert.deepEqual(meta('citation_doi'), ['10.1007/s10586-009-0106-y']);
    const conference = await project.page('publications/nanos2011smart/index.html');
    assert.deepEqual(conference.querySelectorAll('meta[name="citation_conference_title"]').map((m) => m.getAttribute('content')), ['Euro-Par 2011: Parallel Processing Workshops']);
    const jsonLd = JSON.parse(html.querySelector('script[type="application/ld+json"]')?.textContent ?? '{}') as Record<string, unknown>;
    assert.equal(jsonLd['@type'], 'ScholarlyArticle');
    assert.equal(jsonLd['headline'], 'GMBlock: Optimizing Data Movement in a Block-level Storage Sharing System over Myrinet');
    assert.equal(jsonLd['datePublished'], '2010');
    assert.equal(jsonLd['sameAs'], 'https://doi.org/10.1007/s10586-009-0106-y');
  });
});

describe('publications elsewhere on the site', () => {
  it('the home page shows the selected publications', async () => {
    const html = await project.page('index.html');
    const keys = html.querySelectorAll('#selected-publications + ol li.pub').map((li) => li.getAttribute('data-key'));
    assert.deepEqual(keys, ['nanos2015v4vsockets', 'nanos2014xen2mx', 'nanos2013phd', 'koukis2010gmblock']);
  });

  it('the research page lists each project\'s papers by keyword', async () => {
    const html = await project.page('research/index.html');
    const listOf = (id: string): Array<string | undefined> => html.querySelectorAll(`#${id} + ol li.pub`).map((li) => li.getAttribute('data-key'));
    assert.deepEqual(listOf('v4vsockets-publications'), ['nanos2015v4vsockets']);
    assert.deepEqual(listOf('xen2mx-publications'), ['nanos2014xen2mx', 'nanos2012xen2mx']);
    assert.deepEqual(listOf('myrixen-publications'), ['nanos2009myrixen']);
  });

  it('a paper in two projects, and a keyword with spaces, repeat no id on the research page', async () => {
    const own = await createTestProject();
    try {
      const research = await own.read('content/research.md');
      await own.write('content/research.md', research.replace('  - name: MyriXen\n    keyword: myrixen\n', '  - name: MyriXen\n    keyword: myrixen\n  - name: Cloud computing\n    keyword: Cloud Computing\n'));
      const bibliography = await own.read('publications.bib');
      await own.write('publications.bib', `${bibliography}\n@misc{both, author = {Nanos, Anastassios}, title = {On Both}, year = 2016, keywords = {xen2mx, v4vsockets, cloud computing}}\n`);
      await own.build();
      const html = await own.page('research/index.html');
      const ids = html.querySelectorAll('[id]').map((element) => element.getAttribute('id') ?? '');
      assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), [], 'no id twice');
      assert.ok(ids.every((id) => !/\s/.test(id)), 'no id with a space');
      assert.deepEqual(['v4vsockets', 'xen2mx', 'cloud-computing'].map((project) => html.querySelector(`#${project}-publications + ol li[data-key="both"]`)?.getAttribute('id')), ['v4vsockets-pub-both', 'xen2mx-pub-both', 'cloud-computing-pub-both']);
    } finally {
      await own.remove();
    }
  });

  it('the whole bibliography downloads as clean BibTeX and as CSL-JSON', async () => {
    const bib = await project.read('_site/publications.bib');
    assert.equal(bib.match(/^@/gm)?.length, 18);
    assert.ok(!/selected|keywords/.test(bib), 'site-only fields are left out');
    const csl = JSON.parse(await project.read('_site/publications.json')) as Array<{ id: string; type: string; title: string }>;
    assert.equal(csl.length, 18);
    assert.deepEqual(csl.find((item) => item.id === 'nanos2013phd'), {
      ...csl.find((item) => item.id === 'nanos2013phd'),
      type: 'thesis',
      title: 'Efficient I/O Device Sharing in Virtualized Environments',
    });
  });
});

const seedFile = path.join(repoRoot, '..', 'shared', 'seed', 'publications.bib');
describe('a collaboration paper with thousands of authors', () => {
  it('lists and the CV name the first authors (publications.max_authors), the owner, and how many more; its page names them all', async () => {
    const collaboration = await createTestProject();
    try {
      const names = Array.from({ length: 2900 }, (_, index) => `Member${index + 1}, Alex`);
      names[1499] = 'Nanos, Anastassios';
      const bibliography = await collaboration.read('publications.bib');
      await collaboration.write('publications.bib', `${bibliography}\n@article{four2024,\n  author = {One, Ann and Two, Bo and Three, Cy and Four, Di},\n  title = {Four Authors},\n  journal = {Physical Review Letters},\n  year = {2024}\n}\n@article{atlas2024,\n  author = {${names.join(' and ')}},\n  title = {A Measurement by a Large Collaboration},\n  journal = {Physical Review Letters},\n  year = {2024}\n}\n`);
      const site = await collaboration.read('content/_data/site.yaml');
      await collaboration.write('content/_data/site.yaml', site.replace('  group_by: type', '  group_by: type\n  max_authors: 3'));
      await collaboration.build();
      const list = (await collaboration.page('publications/index.html')).querySelector('li[data-key="atlas2024"] .pub__authors');
      assert.equal(list?.innerHTML, 'Alex Member1, Alex Member2, Alex Member3, …, <strong class="pub__me">Anastassios Nanos</strong>, and 2,896 more');
      const page = await collaboration.page('publications/atlas2024/index.html');
      assert.equal(page.querySelector('.pub__authors')?.textContent?.split(', ').length, 2900, 'its own page names every author');
      assert.equal(page.querySelectorAll('meta[name="citation_author"]').length, 2900);
      const pdf = await readPdf(await readFile(path.join(collaboration.root, '_site/cv.pdf')));
      assert.ok(pdf.text.includes('Alex Member1, Alex Member2, Alex Member3, …, Anastassios Nanos, and 2,896 more'), 'the CV as the list');
      // One author more than that is named, not counted ("and 1 more" would save nothing).
      assert.equal(text((await collaboration.page('publications/index.html')).querySelector('li[data-key="four2024"] .pub__authors')), 'Ann One, Bo Two, Cy Three, Di Four');
      // An entry with no more authors than that is named in full, as before.
      assert.equal(text((await collaboration.page('publications/index.html')).querySelector('li[data-key="koukis2010gmblock"] .pub__authors')), 'Evangelos Koukis, Anastassios Nanos, Nectarios Koziris');
    } finally {
      await collaboration.remove();
    }
  });
});

describe('the example bibliography', () => {
  it('keeps every field of the seed as it was compiled from public records', { skip: existsSync(seedFile) ? false : 'no shared/seed beside the repository (a user\'s clone)' }, async () => {
    const seed = await readFile(seedFile, 'utf8');
    const ours = await readFile(path.join(repoRoot, 'publications.bib'), 'utf8');
    const withoutSiteFields = ours.replace(/^  (keywords|selected) +=.*\n/gm, '').replace(/^%\n% `keywords`[^\n]*\n%[^\n]*\n/m, '');
    assert.equal(withoutSiteFields, seed);
  });
});

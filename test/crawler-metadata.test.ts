import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readBibtex, type ReadResult } from '../src/bibliography/read-bibtex.ts';
import { toPublicationView } from '../src/view/publication-list.ts';
import { scholarMetadata } from '../src/view/scholar.ts';
import { createTestProject, repoRoot, type TestProject } from './helpers/project.ts';

// What crawlers read of a site: Google Scholar's tags and schema.org JSON-LD on each publication's
// page (src/view/scholar.ts), and every page's canonical address, robots and Open Graph tags
// (layouts/base.njk).

let bibliography: ReadResult;

/** An entry of `crawler metadata.bib` as its page describes it: its tags (name → contents) and its JSON-LD. */
function described(key: string, siteUrl = 'https://example.org/'): { meta: Map<string, string[]>; jsonLd: Record<string, unknown> } {
  const publication = bibliography.publications.find((found) => found.key === key);
  assert.ok(publication, `entry ${key} was read`);
  const { meta, jsonLd } = scholarMetadata(toPublicationView(publication, () => false), siteUrl);
  const tags = new Map<string, string[]>();
  for (const { name, content } of meta) tags.set(name, [...(tags.get(name) ?? []), content]);
  return { meta: tags, jsonLd: JSON.parse(jsonLd) as Record<string, unknown> };
}

describe('Google Scholar tags and schema.org JSON-LD of a publication', () => {
  before(async () => {
    const file = path.join(repoRoot, 'test', 'fixtures', 'bibtex', 'crawler metadata.bib');
    bibliography = await readBibtex(await readFile(file, 'utf8'), { file: 'crawler metadata.bib' });
    assert.deepEqual([bibliography.errors, bibliography.warnings], [[], []]);
  });

  it('the publication date is the full date or the year alone, never year and month', () => {
    assert.deepEqual(described('month-only').meta.get('citation_publication_date'), ['2008']);
    assert.equal(described('month-only').jsonLd['datePublished'], '2008-04', 'schema.org takes the month');
    assert.deepEqual(described('full-date').meta.get('citation_publication_date'), ['2008/09/17']);
  });

  it('the day of a `day` field is the date\'s day', () => {
    assert.deepEqual(described('day-field').meta.get('citation_publication_date'), ['2008/09/17']);
  });

  it('a talk or a poster has no Scholar tags, and is a CreativeWork the event featured, not part of it', () => {
    for (const key of ['invited-talk', 'event-talk']) assert.deepEqual([...described(key).meta.keys()], [], key);
    const talk = described('event-talk').jsonLd;
    assert.equal(talk['@type'], 'CreativeWork');
    assert.equal(talk['isPartOf'], undefined);
    assert.deepEqual(talk['@reverse'], { workFeatured: { '@type': 'Event', name: 'FOSDEM 2019', location: { '@type': 'Place', name: 'Brussels, Belgium' } } });
    assert.deepEqual(talk['author'], [{ '@type': 'Person', name: 'Anastassios Nanos' }]);
  });

  it('a PDF given as the url is the PDF Scholar reads, unless the pdf field gives one', () => {
    assert.deepEqual(described('pdf-in-url').meta.get('citation_pdf_url'), ['https://example.org/files/Paper.PDF?download=1'], 'whatever its case and query');
    assert.deepEqual(described('pdf-field-and-url').meta.get('citation_pdf_url'), ['https://example.org/accepted.pdf']);
    assert.equal(described('page-in-url').meta.get('citation_pdf_url'), undefined, 'a page is no PDF');
  });

  it('a group written as one name is an Organization; people, even named in braces or by one name, are Persons', () => {
    const authors = described('group-authors').jsonLd['author'] as Array<Record<string, string>>;
    assert.deepEqual(authors.map((author) => `${author['@type']}: ${author['name']}`), [
      'Organization: ATLAS Collaboration',
      'Person: Jane Doe',
      'Organization: The Xen Project',
      'Person: Wang Wei',
      'Person: Plato',
      'Person: Jane Project',
    ]);
    assert.deepEqual(described('group-authors').meta.get('citation_author'), ['ATLAS Collaboration', 'Doe, Jane', 'The Xen Project', 'Wang Wei', 'Plato', 'Project, Jane'], 'Scholar\'s names are unchanged');
  });

  it('a technical report is a Report, with its number, published by its institution', () => {
    const report = described('cern-report').jsonLd;
    assert.deepEqual([report['@type'], report['reportNumber'], report['publisher'], report['isPartOf']], ['Report', 'CERN-TH-2020-001', { '@type': 'Organization', name: 'CERN' }, undefined]);
    assert.deepEqual(described('cern-report').meta.get('citation_technical_report_number'), ['CERN-TH-2020-001']);
  });

  it('an edited book is its editors\' to Scholar, and has editors and no empty author list in JSON-LD', () => {
    const book = described('edited-book');
    assert.deepEqual(book.meta.get('citation_author'), ['Brodie, Michael L.', 'IEEE Computer Society']);
    assert.equal('author' in book.jsonLd, false);
    assert.deepEqual(book.jsonLd['editor'], [{ '@type': 'Person', name: 'Michael L. Brodie' }, { '@type': 'Organization', name: 'IEEE Computer Society' }]);
  });
});

describe('what every page tells crawlers about itself', () => {
  let project: TestProject;
  const siteUrl = process.env['SITE_URL'];
  const setLanguage = async (language: string): Promise<void> => {
    const site = await project.read('content/_data/site.yaml');
    await project.write('content/_data/site.yaml', site.replace(/^language: .*$/m, `language: ${language}`));
  };
  const locale = async (file: string): Promise<string | undefined> => (await project.page(file)).querySelector('meta[property="og:locale"]')?.getAttribute('content') ?? undefined;

  before(async () => {
    process.env['SITE_URL'] = 'https://ananos.example.org';
    project = await createTestProject();
    await setLanguage('en-GB');
    await project.build();
  });
  after(async () => {
    if (siteUrl === undefined) delete process.env['SITE_URL'];
    else process.env['SITE_URL'] = siteUrl;
    await project.remove();
  });

  it('the "page not found" page is not to be indexed, and claims no address of its own', async () => {
    const notFound = await project.page('404.html');
    assert.equal(notFound.querySelector('meta[name="robots"]')?.getAttribute('content'), 'noindex');
    assert.equal(notFound.querySelector('link[rel="canonical"]'), null);
    assert.equal(notFound.querySelector('meta[property="og:url"]'), null);
    for (const file of ['index.html', 'publications/index.html', 'publications/koukis2010gmblock/index.html']) {
      const page = await project.page(file);
      assert.equal(page.querySelector('meta[name="robots"]'), null, file);
      assert.ok(page.querySelector('link[rel="canonical"]'), file);
      assert.ok(page.querySelector('meta[property="og:url"]'), file);
    }
  });

  it('the owner\'s own "page not found" page too', async () => {
    await project.write('content/404.md', '---\ntitle: Lost\npermalink: /404.html\n---\nNothing here.\n');
    await project.build();
    const notFound = await project.page('404.html');
    assert.match(notFound.querySelector('h1')?.textContent ?? '', /Lost/);
    assert.equal(notFound.querySelector('meta[name="robots"]')?.getAttribute('content'), 'noindex');
    assert.equal(notFound.querySelector('link[rel="canonical"]'), null);
    assert.equal(notFound.querySelector('meta[property="og:url"]'), null);
  });

  it('og:locale is language_TERRITORY, and left out when the site names no territory', async () => {
    assert.equal(await locale('index.html'), 'en_GB');
    assert.equal(await locale('publications/koukis2010gmblock/index.html'), 'en_GB', 'publication pages too');
    await setLanguage('zh-Hant-TW');
    await project.build();
    assert.equal(await locale('index.html'), 'zh_TW', 'past its script');
    for (const language of ['en', 'de']) {
      await setLanguage(language);
      await project.build();
      assert.equal(await locale('index.html'), undefined, language);
      assert.equal((await project.page('index.html')).querySelector('html')?.getAttribute('lang'), language);
    }
  });

  it('a talk\'s page has no Scholar tags, and a paper\'s still has them', async () => {
    const talk = await project.page('publications/nanos2013forth/index.html');
    assert.deepEqual(talk.querySelectorAll('meta').filter((meta) => meta.getAttribute('name')?.startsWith('citation_') === true), []);
    const jsonLd = JSON.parse(talk.querySelector('script[type="application/ld+json"]')?.textContent ?? '{}') as Record<string, unknown>;
    assert.equal(jsonLd['@type'], 'CreativeWork');
    const paper = await project.page('publications/koukis2010gmblock/index.html');
    assert.ok(paper.querySelector('meta[name="citation_title"]'));
  });
});

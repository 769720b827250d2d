import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadBibliography } from '../src/bibliography/load-bibliography.ts';
import { compareNewestFirst } from '../src/view/publication-list.ts';
import { builtExample, repoRoot, text, type TestProject } from './helpers/project.ts';

let project: TestProject;
before(async () => {
  project = await builtExample();
});
after(async () => project.remove());

describe('the publications page', () => {
  it('lists every entry of publications.bib, newest first, grouped by year', async () => {
    const entries = await loadBibliography(repoRoot, 'publications.bib');
    const html = await project.page('publications/index.html');
    const items = html.querySelectorAll('li.pub');
    assert.equal(items.length, entries.length);
    assert.deepEqual(
      items.map((item) => item.getAttribute('data-key')),
      [...entries].sort(compareNewestFirst).map((entry) => entry.key),
    );
    const years = html.querySelectorAll('section.pub-group h2').map((h) => text(h).split(' ')[0]);
    assert.deepEqual(years, ['2015', '2014', '2013', '2012', '2011', '2010', '2009', '2008']);
    for (const section of html.querySelectorAll('section.pub-group')) {
      const year = text(section.querySelector('h2')).split(' ')[0] ?? '';
      for (const item of section.querySelectorAll("li.pub")) assert.match(text(item.querySelector(".pub__venue")), new RegExp(`${year}$`));
    }
  });

  it('shows title, authors with the owner highlighted, venue and year', async () => {
    const html = await project.page('publications/index.html');
    const item = html.querySelector('li[data-key="koukis2010gmblock"]');
    assert.equal(text(item?.querySelector('.pub__title')), 'GMBlock: Optimizing Data Movement in a Block-level Storage Sharing System over Myrinet');
    assert.equal(text(item?.querySelector('.pub__authors')), 'Evangelos Koukis, Anastassios Nanos, Nectarios Koziris');
    assert.deepEqual(item?.querySelectorAll('.pub__me').map((me) => text(me)), ['Anastassios Nanos']);
    assert.equal(text(item?.querySelector('.pub__venue')), 'Cluster Computing, vol. 13, no. 4, pp. 349–372, 2010');
    assert.equal(item?.querySelector('.pub__links a')?.getAttribute('href'), 'https://doi.org/10.1007/s10586-009-0106-y');
  });

  it('gives each entry an id that visitors can link to and the exact key', async () => {
    const html = await project.page('publications/index.html');
    for (const item of html.querySelectorAll('li.pub')) {
      assert.match(item.id, /^[a-z0-9_-]+$/);
      assert.ok(item.getAttribute('data-key'));
    }
    const jump = html.querySelectorAll('nav.year-jump a').map((a) => a.getAttribute('href'));
    assert.equal(jump.length, 8);
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createTestProject, repoRoot, text, type TestProject } from './helpers/project.ts';

/** Changes one key of the publications block in the example's site.yaml. */
async function configure(project: TestProject, replace: [RegExp, string][]): Promise<void> {
  let site = await project.read('content/_data/site.yaml');
  for (const [pattern, value] of replace) site = site.replace(pattern, value);
  await project.write('content/_data/site.yaml', site);
}

describe('presentation options and safety, in a full build', () => {
  const projects: TestProject[] = [];
  after(async () => Promise.all(projects.map((project) => project.remove())));

  it('a CSL style from a .csl file in the project gives the "Cite" text', async () => {
    const project = await createTestProject();
    projects.push(project);
    await project.write('styles/citation/author-title-year.csl', await readFile(path.join(repoRoot, 'test/fixtures/styles/author-title-year.csl'), 'utf8'));
    await configure(project, [[/^ {2}style: apa$/m, '  style: styles/citation/author-title-year.csl']]);
    await project.build();
    const page = await project.page('publications/koukis2010gmblock/index.html');
    assert.equal(text(page.querySelector('.publication__citation')), 'Koukis, E.; Nanos, A.; Koziris, N. | GMBlock: Optimizing Data Movement in a Block-level Storage Sharing System over Myrinet | 2010.');
    assert.equal(page.querySelector('.publication__citation i')?.textContent, 'GMBlock: Optimizing Data Movement in a Block-level Storage Sharing System over Myrinet');
    // Edited while the same process goes on (as npm start does), the style is read again.
    const style = await project.read('styles/citation/author-title-year.csl');
    await project.write('styles/citation/author-title-year.csl', style.replace('<group delimiter=" | ">', '<group delimiter=" / ">'));
    await project.build();
    const edited = await project.page('publications/koukis2010gmblock/index.html');
    assert.match(text(edited.querySelector('.publication__citation')), /^Koukis, E\.; Nanos, A\.; Koziris, N\. \/ GMBlock/);
  });

  it('a built-in style by name, a list grouped by year only, and no style at all', async () => {
    const project = await createTestProject();
    projects.push(project);
    await configure(project, [[/^ {2}style: apa$/m, '  style: vancouver'], [/^ {2}group_by: type$/m, '  group_by: year']]);
    await project.build();
    const cite = text((await project.page('publications/koukis2010gmblock/index.html')).querySelector('.publication__citation'));
    assert.match(cite, /^Koukis E, Nanos A, Koziris N\. GMBlock/);
    const list = await project.page('publications/index.html');
    assert.deepEqual(list.querySelectorAll('section.pub-group > h2').map((h) => text(h).split(' ')[0]), ['2015', '2014', '2013', '2012', '2011', '2010', '2009', '2008']);

    await configure(project, [[/^ {2}style: vancouver\n/m, '']]);
    await project.build();
    assert.equal((await project.page('publications/koukis2010gmblock/index.html')).querySelector('.publication__citation'), null);
  });

  it('escapes every field and links only http(s) addresses', async () => {
    const project = await createTestProject();
    projects.push(project);
    await project.write('publications.bib', await readFile(path.join(repoRoot, 'test/fixtures/bibtex/hostile fields.bib'), 'utf8'));
    await project.build();
    for (const file of ['publications/index.html', 'publications/hostile/index.html']) {
      const html = await project.read(`_site/${file}`);
      assert.doesNotMatch(html, /<script>alert|<img src=x|<b>Evil|href="(javascript|data|file):/, file);
    }
  });

  it('an empty bibliography builds, with a page that says so', async () => {
    const project = await createTestProject();
    projects.push(project);
    await project.write('publications.bib', '% nothing yet\n');
    await project.build();
    const page = await project.page('publications/index.html');
    assert.equal(page.querySelectorAll('li.pub').length, 0);
    assert.match(text(page.querySelector('main')), /No publications yet: add entries to publications\.bib\./);
  });
});

import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { HTMLElement } from 'node-html-parser';
import { BibliographyError } from '../src/errors.ts';
import { createTestProject, repoRoot, text, type TestProject } from './helpers/project.ts';

/**
 * Real bibliographies from public repositories (see test/fixtures/corpus/SOURCES.md),
 * each built as the site's publications.bib and read as a visitor would.
 */
const corpus = path.join(repoRoot, 'test', 'fixtures', 'corpus');
const SAMPLE_PDF = path.join(repoRoot, 'test', 'fixtures', 'bibtex', 'site', 'assets', 'pdf', 'example_pdf.pdf');
const SAMPLE_PREVIEW = path.join(repoRoot, 'test', 'fixtures', 'bibtex', 'site', 'assets', 'img', 'publication_preview', 'epr.png');

async function buildWith(
  file: string,
  pdfs: string[] = [],
  edit: (bib: string) => string = (bib) => bib,
  previews: string[] = [],
): Promise<{ project: TestProject; page: HTMLElement }> {
  const project = await createTestProject();
  await project.write('publications.bib', edit(await readFile(path.join(corpus, file), 'utf8')));
  for (const pdf of pdfs) {
    await project.write(`content/assets/pdf/${pdf}`, '');
    await copyFile(SAMPLE_PDF, path.join(project.root, 'content/assets/pdf', pdf));
  }
  for (const image of previews) {
    await project.write(`content/assets/img/publication_preview/${image}`, '');
    await copyFile(SAMPLE_PREVIEW, path.join(project.root, 'content/assets/img/publication_preview', image));
  }
  await project.build();
  return { project, page: await project.page('publications/index.html') };
}

function shown(page: HTMLElement, selector: string): string[] {
  return page.querySelectorAll(selector).map((element) => text(element));
}

/** What a visitor reads in the list must not show LaTeX: no backslashes, braces or math dollars. */
function assertNoLatexLeaks(page: HTMLElement): void {
  // MathML keeps its TeX source in an <annotation>, which browsers do not display.
  for (const annotation of page.querySelectorAll('annotation')) annotation.remove();
  for (const line of shown(page, '.pub__title, .pub__authors, .pub__venue')) {
    assert.doesNotMatch(line, /\\[a-zA-Z]|[{}]|\$[^\d\s]/, `LaTeX shown to visitors: ${line}`);
  }
}

describe('real-world bibliographies build and read right', () => {
  const projects: TestProject[] = [];
  after(async () => Promise.all(projects.map((project) => project.remove())));

  it('al-folio-example.bib (al-folio demo): 7 entries, accents as LaTeX and as UTF-8, @string macro', async () => {
    const { project, page } = await buildWith('al-folio-example.bib', ['example_pdf.pdf'], undefined, ['brownian-motion.gif', 'wave-mechanics.gif']);
    projects.push(project);
    assert.equal(page.querySelectorAll('li.pub').length, 7);
    const titles = shown(page, '.pub__title');
    assert.ok(titles.some((t) => t.startsWith('Über die von der molekularkinetischen Theorie der Wärme geforderte Bewegung')), titles.join('\n'));
    assert.ok(shown(page, '.pub__authors').some((a) => a.includes('Erwin Schrödinger')));
    const links = page.querySelectorAll('.pub__links a').map((a) => a.getAttribute('href'));
    assert.ok(links.includes('/assets/pdf/example_pdf.pdf'), 'the pdf field links to the file in the assets');
    const previews = page.querySelectorAll('img.pub__preview').map((img) => img.getAttribute('src'));
    assert.deepEqual(previews.sort(), ['/assets/img/publication_preview/brownian-motion.gif', '/assets/img/publication_preview/wave-mechanics.gif']);
    // Google Scholar's trailing comma in publisher ("Courier Corporation,") is not shown.
    const book = await project.page('publications/einstein1956investigations/index.html');
    assert.match(text(book.querySelector('.pub__venue')), /^Courier Corporation, 1956$/);
    // A book has no venue: its publisher stands there in the list too.
    assert.equal(text(page.querySelector('li[data-key="einstein1956investigations"] .pub__venue')), 'Courier Corporation, 1956');
    assertNoLatexLeaks(page);
  });

  it('al-folio-user.bib (an al-folio user): 42 entries, front matter, upper-case fields, markers on names', async () => {
    const { project, page } = await buildWith('al-folio-user.bib', ['TMC2020.pdf', 'TMC2018.pdf']);
    projects.push(project);
    assert.equal(page.querySelectorAll('li.pub').length, 42);
    assert.ok(shown(page, '.pub__title').includes('TSC 2021 [A+] Scheduling Inter-Datacenter Video Flows for Cost Efficiency'), 'the abbr badge and the title');
    const withMarks = page.querySelectorAll('.pub__authors').map((p) => p.innerHTML).join('\n');
    assert.match(withMarks, /Ce Pang<sup>\*<\/sup>/);
    assert.match(withMarks, /Sourabh Yadav<sup>∗<\/sup>/);
    const item = page.querySelector('li[data-key="8368309"]');
    assert.match(text(item?.querySelector('.pub__venue')), /IEEE Transactions on Services Computing, vol\. 14, no\. 3, pp\. 834–849, May 2021$/);
    // ACM's @inbook of a conference paper: its venue is its booktitle, not its own title again.
    const acm = page.querySelector('li[data-key="10.5555/3306127.3331720"]');
    assert.match(text(acm?.querySelector('.pub__venue')), /^Proceedings of the 18th International Conference on Autonomous Agents and MultiAgent Systems, pp\. 404–412/);
    assertNoLatexLeaks(page);
  });

  it('dblp.bib (a DBLP export): 72 entries, escaped accents, hyphen guards, braced particles', async () => {
    const { project, page } = await buildWith('dblp.bib');
    projects.push(project);
    assert.equal(page.querySelectorAll('li.pub').length, 72);
    const authors = shown(page, '.pub__authors').join('\n');
    for (const name of ['Tomás Cerný', 'Martina De Sanctis', 'João Paulo Fernandes']) assert.ok(authors.includes(name), name);
    // CoRR preprints are listed as preprints, with one button for arXiv (its DOI, the url and the eprint all lead to the preprint's page).
    const corr = page.querySelector('li[data-key="DBLP:journals/corr/abs-2501-08243"]');
    assert.equal(corr?.closest('section.pub-section')?.querySelector('h2')?.getAttribute('id'), 'reports');
    assert.deepEqual(corr?.querySelectorAll('.pub__links a').map((a) => text(a)), ['arXiv'], 'arXiv\'s DOI and the eprint lead to one page');
    // A key with ":" and "/" has a page and a .bib file named by its slug: the link says the name the file is saved under.
    const download = (await project.page('publications/dblp-journals-corr-abs-2501-08243/index.html')).querySelector('a[download]');
    assert.deepEqual([download?.getAttribute('href'), text(download)], ['/publications/dblp-journals-corr-abs-2501-08243.bib', 'Download dblp-journals-corr-abs-2501-08243.bib']);
    assertNoLatexLeaks(page);
  });

  it('zotero.bib (Better BibTeX): 49 entries, double-braced titles, {\\relax DL} initials, "To Appear"', async () => {
    const { project, page } = await buildWith('zotero.bib');
    projects.push(project);
    assert.equal(page.querySelectorAll('li.pub').length, 49);
    const titles = shown(page, '.pub__title');
    assert.ok(titles.some((t) => t.startsWith('LODESTAR: A Single Arm Phase II Study of Rucaparib')), 'case-protected capitals kept');
    assert.ok(shown(page, '.pub__authors').some((a) => a.startsWith('DL Hertz, KM Kidwell, NJ Seewald')));
    const forthcoming = page.querySelector('li[data-key="moinWaveformDataCaptureToAppear"]');
    assert.match(text(forthcoming?.querySelector('.pub__venue')), /forthcoming$/);
    // A preprint whose server is its publisher names it once.
    const preprint = await project.page('publications/moindevelopmentvalidationsimple2025/index.html');
    assert.equal(text(preprint.querySelector('.pub__venue')), 'medRxiv, March 2025');
    assertNoLatexLeaks(page);
  });

  it('scholar-or-jabref.bib (Google Scholar): its duplicate key is an error naming both lines', async () => {
    const project = await createTestProject();
    projects.push(project);
    await project.write('publications.bib', await readFile(path.join(corpus, 'scholar-or-jabref.bib'), 'utf8'));
    await assert.rejects(project.build(), (error: unknown) => {
      assert.ok(error instanceof BibliographyError);
      assert.match(error.message, /^publications\.bib:227 \(gordon2021comparison\): duplicate key: line 218 uses it already/);
      return true;
    });
  });

  it('scholar-or-jabref.bib with the second key renamed: 45 entries, accents, raw H∞, an entry without year', async () => {
    const { project, page } = await buildWith('scholar-or-jabref.bib', [], (bib) => bib.replace('@article{gordon2021comparison,', '@article{gordon2021comparison-article,'));
    projects.push(project);
    assert.equal(page.querySelectorAll('li.pub').length, 45);
    const authors = shown(page, '.pub__authors').join('\n');
    assert.ok(authors.includes('Andrés A Peters, Diego A Oyarzún'));
    assert.ok(shown(page, '.pub__title').includes('Performance bounds of a SISO H∞ control problem with non-minimum phase plants'));
    assert.ok(page.querySelectorAll('h3').some((h) => text(h) === 'n.d.'), 'the entry without a year is under n.d.');
    const authorless = page.querySelector('li[data-key="2016leader"]');
    assert.ok(authorless !== null && authorless.querySelector('.pub__authors') === null, 'an entry without authors has no empty list of them');
    assert.equal((await project.page('publications/2016leader/index.html')).querySelector('.pub__authors'), null, 'nor has its page');
    const mangled = page.querySelector('li[data-key="peters2020algebraic"] .pub__title');
    assert.ok(mangled?.querySelector('math msub'), 'Scholar\'s escaped math is typeset as MathML');
    // Where only text can go (the tab's title, Google Scholar's meta tag), the math reads as typed, not as TeX.
    const own = await project.page('publications/peters2020algebraic/index.html');
    const title = 'An Algebraic Formula for Performance Bounds of a Weighted H∞ Optimal Control Problem';
    assert.equal(own.querySelector('meta[name="citation_title"]')?.getAttribute('content'), title);
    assert.ok(text(own.querySelector('title') ?? own).startsWith(`${title} · `));
    assertNoLatexLeaks(page);
  });
});

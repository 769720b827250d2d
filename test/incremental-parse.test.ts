import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateBibliography } from '../bench/generate-bibliography.ts';
import { readBibtex, readBibtexCached, type ReadOptions } from '../src/bibliography/read-bibtex.ts';
import { DiskCache } from '../src/cache.ts';
import { repoRoot } from './helpers/project.ts';
import { noWorkersLeft } from './helpers/workers.ts';
import { workersInProgress } from '../src/parallel.ts';

const folders: string[] = [];
after(async () => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));
async function freshCache(): Promise<DiskCache> {
  const folder = await mkdtemp(path.join(tmpdir(), 'parse-cache-'));
  folders.push(folder);
  return new DiskCache(folder, true);
}

/** Every BibTeX file the other tests read: quirks, errors, real exports. */
async function fixtures(): Promise<Array<{ name: string; text: string }>> {
  const found: Array<{ name: string; text: string }> = [];
  for (const folder of ['test/fixtures/bibtex', 'test/fixtures/corpus', 'test/fixtures/bad-bibtex']) {
    for (const name of (await readdir(path.join(repoRoot, folder))).filter((file) => file.endsWith('.bib')).sort()) {
      const bytes = await readFile(path.join(repoRoot, folder, name));
      // The Latin-1 fixture is refused before parsing; it says nothing about the parser.
      const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      found.push({ name: `${folder}/${name}`, text });
    }
  }
  return found;
}

const options = (file: string): ReadOptions => ({ file });

describe('parsing entry by entry, with the cache', () => {
  it('gives exactly what one ordinary parse gives, cold and warm, for every fixture (errors and warnings included)', async () => {
    for (const { name, text } of await fixtures()) {
      const expected = await readBibtex(text, options(name));
      const cache = await freshCache();
      assert.deepEqual(await readBibtexCached(text, options(name), cache), expected, `${name}, cold`);
      assert.deepEqual(await readBibtexCached(text, options(name), cache), expected, `${name}, warm`);
    }
  });

  it('after one entry is edited, parses that entry alone', async () => {
    const text = generateBibliography(200);
    const cache = await freshCache();
    const parsed: string[][] = [];
    const onParse = (keys: readonly string[]): void => void parsed.push([...keys]);
    await readBibtexCached(text, options('big.bib'), cache, { onParse });
    assert.equal(parsed[0]?.length, 200);
    await readBibtexCached(text, options('big.bib'), cache, { onParse });
    assert.deepEqual(parsed[1], []);
    const edited = text.replace('doi = {10.6658/gen.1},', 'doi = {10.6658/gen.1-edited},');
    assert.notEqual(edited, text);
    assert.deepEqual(await readBibtexCached(edited, options('big.bib'), cache, { onParse }), await readBibtex(edited, options('big.bib')));
    assert.deepEqual(parsed[2], ['gen12016-1']);
  });

  it('an edited @string, or an edited crossref parent, parses again the entries that use it', async () => {
    const text = '@string{conf = {Conference on Things}}\n\n@proceedings{parent, title = {Proceedings of Things}, year = 2020, booktitle = {Proceedings of Things}}\n\n@inproceedings{child, author = {Ann Author}, title = {A Paper}, crossref = {parent}}\n\n@article{other, author = {Bo Other}, title = {Elsewhere}, journal = conf, year = 2021}\n';
    const cache = await freshCache();
    const parsed: string[][] = [];
    const onParse = (keys: readonly string[]): void => void parsed.push([...keys]);
    await readBibtexCached(text, options('x.bib'), cache, { onParse });
    const parentEdited = text.replace('Proceedings of Things}, year = 2020', 'Proceedings of More Things}, year = 2020');
    const result = await readBibtexCached(parentEdited, options('x.bib'), cache, { onParse });
    assert.deepEqual(parsed.at(-1), ['parent', 'child']);
    assert.equal(result.publications.find((publication) => publication.key === 'child')?.venue?.text, 'Proceedings of More Things');
    const stringEdited = parentEdited.replace('Conference on Things', 'Conference on Stuff');
    assert.deepEqual(await readBibtexCached(stringEdited, options('x.bib'), cache, { onParse }), await readBibtex(stringEdited, options('x.bib')));
    assert.deepEqual(parsed.at(-1), ['parent', 'child', 'other'], 'the @string text is part of every entry\'s key');
  });

  it('agrees with one ordinary parse on what a line scan misreads: entries sharing a line, a BOM mid-file, macros after use', async () => {
    const cases = {
      'two entries on one line': '@article{a, title = {A}, year = 2020} @article{b, title = {B}, year = 2021}\n',
      'a BOM in the middle (files joined with cat)': '@article{a, title = {A}, year = 2020}\n\uFEFF@article{b, title = {B}, year = 2021}\n',
      'a macro defined after its use': '@article{a, title = {A}, journal = j, year = 2020}\n@string{j = {Journal}}\n',
      'a macro defined before its use': '@string{j = {Journal}}\n@article{a, title = {A}, journal = j, year = 2020}\n',
      'an unknown command in a @string': '@string{j = {\\frobnicate Journal}}\n@article{a, title = {A}, journal = j, year = 2020}\n',
    };
    const cache = await freshCache();
    for (const [name, text] of Object.entries(cases)) {
      const expected = await readBibtex(text, options('x.bib'));
      assert.deepEqual(await readBibtexCached(text, options('x.bib'), cache), expected, `${name}, cold`);
      assert.deepEqual(await readBibtexCached(text, options('x.bib'), cache), expected, `${name}, warm`);
    }
    assert.equal((await readBibtex(cases['two entries on one line'], options('x.bib'))).publications.length, 2);
    // The parser meets the command in the @string, and again where entry a uses the macro.
    assert.deepEqual((await readBibtex(cases['an unknown command in a @string'], options('x.bib'))).warnings.map((warning) => `${warning.key ?? ''}: ${warning.message}`), [
      ': unknown LaTeX command \\frobnicate in a @string or @preamble: left out, its argument shown as text',
      'a: unknown LaTeX command \\frobnicate: left out, its argument shown as text',
    ]);
  });

  it('an undefined macro in one entry does not stop the others from being cached', async () => {
    const text = `@article{odd, title = {Odd}, journal = nosuchmacro, year = 2020}\n\n${generateBibliography(30)}`;
    const cache = await freshCache();
    const parsed: string[][] = [];
    const onParse = (keys: readonly string[]): void => void parsed.push([...keys]);
    await readBibtexCached(text, options('x.bib'), cache, { onParse });
    const edited = text.replace('doi = {10.6658/gen.1},', 'doi = {10.6658/gen.1-edited},');
    assert.deepEqual(await readBibtexCached(edited, options('x.bib'), cache, { onParse }), await readBibtex(edited, options('x.bib')));
    assert.deepEqual(parsed.at(-1), ['gen12016-1']);
  });

  it('shares the entries among worker threads and gives the same result', async () => {
    const text = generateBibliography(120);
    const previous = process.env['ACADEMIC_HOMEPAGE_WORKERS'];
    process.env['ACADEMIC_HOMEPAGE_WORKERS'] = '3';
    try {
      assert.deepEqual(await readBibtexCached(text, options('big.bib'), await freshCache(), { entriesPerWorker: 30 }), await readBibtex(text, options('big.bib')));
    } finally {
      if (previous === undefined) delete process.env['ACADEMIC_HOMEPAGE_WORKERS'];
      else process.env['ACADEMIC_HOMEPAGE_WORKERS'] = previous;
    }
  });
});

describe('formatting citations in worker threads', () => {
  it('gives the same HTML as formatting in one thread, for a built-in and a project style', async () => {
    const { formatWithStyle } = await import('../src/bibliography/csl.ts');
    const { publications } = await readBibtex(generateBibliography(24), options('big.bib'));
    const previous = process.env['ACADEMIC_HOMEPAGE_WORKERS'];
    try {
      for (const style of ['apa', 'test/fixtures/styles/author-title-year.csl']) {
        process.env['ACADEMIC_HOMEPAGE_WORKERS'] = '1';
        const alone = await formatWithStyle(publications, style, repoRoot, 'site.yaml');
        process.env['ACADEMIC_HOMEPAGE_WORKERS'] = '2';
        const shared = await formatWithStyle(publications, style, repoRoot, 'site.yaml', undefined, { entriesPerWorker: 12 });
        assert.equal(shared.size, 24);
        assert.deepEqual(shared, alone, style);
      }
    } finally {
      if (previous === undefined) delete process.env['ACADEMIC_HOMEPAGE_WORKERS'];
      else process.env['ACADEMIC_HOMEPAGE_WORKERS'] = previous;
    }
  });

  it('each entry formats as with the style as written, in every built-in style and real project styles, though formatted without its sort keys and, where no names share a family name, without its citation', async () => {
    const { formatItems, namesMayCollide } = await import('../src/bibliography/csl-format.ts');
    const { toCslItem } = await import('../src/bibliography/csl.ts');
    const read = async (folder: string, name: string) => (await readBibtex(await readFile(path.join(repoRoot, folder, name), 'utf8'), options(name))).publications;
    const generated = (await readBibtex(generateBibliography(300), options('big.bib'))).publications;
    const realWorld = [await read('test/fixtures/example-site', 'publications.bib')];
    for (const name of (await readdir(path.join(repoRoot, 'test/fixtures/corpus'))).filter((file) => file.endsWith('.bib')).sort()) {
      realWorld.push(await read('test/fixtures/corpus', name));
    }
    const items = [...generated, ...realWorld.flat()].map(toCslItem);
    // Both ways are exercised: most entries are formatted alone, those whose names share a family name as written.
    const colliding = items.filter(namesMayCollide).length;
    assert.ok(colliding > 10 && colliding < items.length / 2, `${colliding} of ${items.length} entries have names that share a family name`);
    const projectStyles = [];
    for (const name of ['author-title-year', 'chicago-author-date', 'elsevier-harvard', 'american-sociological-association']) {
      projectStyles.push({ template: `test-${name}`, xml: await readFile(path.join(repoRoot, 'test/fixtures/styles', `${name}.csl`), 'utf8') });
    }
    for (const style of [{ template: 'apa' }, { template: 'vancouver' }, { template: 'harvard1' }, ...projectStyles]) {
      const formatted = await formatItems({ ...style, items });
      assert.deepEqual(formatted, await formatItems({ ...style, items }, { asWritten: true }), style.template);
      assert.equal(formatted.filter((html) => html.trim() === '').length, 0);
    }
  });

  it('an entry whose names share a family name keeps the disambiguation its style asks for; sort keys and citations are cut from the style', async () => {
    const { disambiguatesCitations, formatItems, forEntriesAlone, namesMayCollide, withoutSorting } = await import('../src/bibliography/csl-format.ts');
    const item = {
      id: 'twins', type: 'book', title: 'Two Martínezes', issued: { 'date-parts': [[2004]] },
      author: [{ family: 'Martínez', given: 'Antonín' }, { family: 'Müller', given: 'Jörg' }, { family: 'Ng', given: 'Søren' }, { family: 'Martínez', given: 'Aoife' }],
    };
    assert.equal(namesMayCollide(item), true);
    assert.equal(namesMayCollide({ ...item, author: [...item.author.slice(0, 3), { family: 'MARTINEZ', given: 'Aoife' }] }), true, 'the same family name, but for case and accents');
    assert.equal(namesMayCollide({ ...item, author: item.author.slice(0, 3) }), false);
    assert.equal(namesMayCollide({ ...item, author: [{ literal: 'CERN' }], editor: [{ literal: 'cern' }] }), true, 'across name variables');
    // harvard1 tells the two Martínezes apart by their given names; formatted without disambiguation, it would not.
    const [html] = await formatItems({ template: 'harvard1', items: [item] });
    assert.match(html ?? '', /Martínez, Antonín/);
    const [plain] = await formatItems({ template: 'harvard1', items: [{ ...item, author: item.author.slice(0, 3) }] });
    assert.match(plain ?? '', /Martínez, A\./);
    assert.equal(forEntriesAlone('<style><citation et-al-min="3" disambiguate-add-names="true"><sort><key variable="title"/></sort><layout><names variable="author"/></layout></citation><bibliography><layout/></bibliography></style>'),
      '<style><citation><layout><text value="-"/></layout></citation><bibliography><layout/></bibliography></style>');
    assert.equal(disambiguatesCitations('<style><citation et-al-min="3" disambiguate-add-givenname="true"><layout/></citation></style>'), true);
    assert.equal(disambiguatesCitations('<style><!-- <citation disambiguate-add-names="true"> --><citation disambiguate-add-names="false"><layout/></citation></style>'), false);
    assert.equal(disambiguatesCitations('<style><citation><layout/></citation><bibliography/></style>'), false);
    assert.equal(withoutSorting('<bibliography><sort><key macro="author"/></sort><sort/><layout/></bibliography>'), '<bibliography><layout/></bibliography>');
    assert.equal(withoutSorting('<!-- no <sort> here --><citation><layout/></citation><bibliography><sort><key variable="title"/></sort></bibliography>'), '<citation><layout/></citation><bibliography></bibliography>');
  });

  it('a style compiled ahead, while the bibliography is read, gives the same HTML; none is compiled when the citations are kept', async () => {
    const { formatWithStyle, warmStyle } = await import('../src/bibliography/csl.ts');
    const text = generateBibliography(24);
    const { publications } = await readBibtex(text, options('big.bib'));
    const cache = await freshCache();
    const bibliography = path.join(await mkdtemp(path.join(tmpdir(), 'warm-style-')), 'big.bib');
    folders.push(path.dirname(bibliography));
    await writeFile(bibliography, text);
    for (const style of ['apa', 'test/fixtures/styles/author-title-year.csl']) {
      const alone = await formatWithStyle(publications, style, repoRoot, 'site.yaml');
      await warmStyle(style, repoRoot, bibliography, cache);
      assert.equal(workersInProgress(), 1, `${style} compiles in a worker`);
      assert.deepEqual(await formatWithStyle(publications, style, repoRoot, 'site.yaml', cache), alone, style);
      await noWorkersLeft(); // the worker formatted the entries, and is gone
      await warmStyle(style, repoRoot, bibliography, cache);
      assert.equal(workersInProgress(), 0, 'every citation is kept, and newer than the bibliography');
      const later = new Date(Date.now() + 60_000);
      await utimes(bibliography, later, later);
      await warmStyle(style, repoRoot, bibliography, cache);
      assert.equal(workersInProgress(), 1, 'the bibliography was saved since');
      assert.deepEqual(await formatWithStyle(publications, style, repoRoot, 'site.yaml', cache), alone, style);
      await noWorkersLeft(); // nothing was formatted: the worker was stopped unused
      await utimes(bibliography, new Date(0), new Date(0));
    }
  });
});

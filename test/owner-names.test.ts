import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ownerMatcher, ownerNamesUnmatched } from '../src/bibliography/owner.ts';
import { readBibtex } from '../src/bibliography/read-bibtex.ts';
import type { Person, Publication } from '../src/bibliography/types.ts';
import { createTestProject, repoRoot } from './helpers/project.ts';

const fixture = path.join(repoRoot, 'test', 'fixtures', 'bibtex', 'owner names split differently.bib');

async function readFixture(ownerNames?: readonly string[]): Promise<Publication[]> {
  const result = await readBibtex(await readFile(fixture, 'utf8'), { file: 'owner names split differently.bib', ...(ownerNames === undefined ? {} : { ownerNames }) });
  assert.deepEqual([result.errors, result.warnings], [[], []]);
  return result.publications;
}

/** Whether each of an entry's authors (a volume's editors) is the owner, by entry. */
function marked(publications: readonly Publication[], names: readonly string[]): Record<string, boolean[]> {
  const isOwner = ownerMatcher(names);
  return Object.fromEntries(publications.map((publication) => [publication.key, (publication.authors.length > 0 ? publication.authors : publication.editors).map((person) => isOwner(person))]));
}

describe('the owner\'s name, wherever BibTeX splits it into given and family names', () => {
  const owner = {
    dblp: [true, false],
    zotero: [true, false],
    scholar: [true, false],
    initial: [true, false],
    others: [false, false, false, false],
    volume: [true],
  };

  it('matches DBLP\'s, Zotero\'s and Scholar\'s spellings of "García López, María" as read from BibTeX', async () => {
    assert.deepEqual(marked(await readFixture(), ['García López, María']), owner);
  });

  it('matches them all when author_names writes the name "Given Family", with or without the hyphen', async () => {
    const publications = await readFixture();
    // Written "Given Family", the family name is the last word, as BibTeX reads it: "López,
    // María" is then taken for her as before, and only "Family, Given" says it is not.
    const { others: _, ...hers } = owner;
    for (const name of ['María García López', 'María García-López']) {
      const { others: __, ...found } = marked(publications, [name]);
      assert.deepEqual(found, hers, name);
    }
    assert.deepEqual(marked(publications, ['GARCIA LOPEZ, Maria']), owner, 'ignoring case and accents');
  });

  it('matches particles written before the family name or after the given name', async () => {
    const publications = await readFixture();
    const ludwig = { dblp: [false, true], zotero: [false, true] };
    for (const name of ['van der Berg-Müller, Ludwig', 'Berg-Müller, Ludwig van der', 'Ludwig van der Berg-Müller', 'Van Der Berg Muller, Ludwig']) {
      const found = marked(publications, [name]);
      assert.deepEqual({ dblp: found['dblp'], zotero: found['zotero'] }, ludwig, name);
    }
  });

  it('lists the crossref parent she edited, written as DBLP writes her', async () => {
    const keys = (await readFixture(['García López, María'])).map((publication) => publication.key);
    assert.ok(keys.includes('volume'), keys.join(', '));
    assert.ok(!(await readFixture(['Otro, Juan'])).some((publication) => publication.key === 'volume'), 'and not when another person is the owner');
  });
});

describe('names that are not the owner\'s, however they are split', () => {
  const isMaria = ownerMatcher(['García López, María']);
  it('one family name of two is another person\'s name', () => {
    assert.ok(!isMaria({ given: 'María', family: 'García' }));
    assert.ok(!isMaria({ given: 'María', family: 'López' }));
    assert.ok(!ownerMatcher(['García, María'])({ given: 'María García', family: 'López' }), '"María García López" is not "García, María"');
    assert.ok(!ownerMatcher(['García, María'])({ given: 'María', family: 'García López' }));
    assert.ok(!ownerMatcher(['López, María'])({ given: 'María', family: 'García López' }), 'a family name written whole is not split');
  });

  it('another given name before the same family names', () => {
    assert.ok(!isMaria({ given: 'Juan García', family: 'López' }));
    assert.ok(!isMaria({ given: 'Mariana García', family: 'López' }));
    assert.ok(!isMaria({ given: 'García', family: 'López' }), 'a family name is not a given name');
    assert.ok(!isMaria({ given: 'María García', family: 'Pérez' }));
  });

  it('keeps the rules for given names: written out they are compared whole, an initial stands for any it begins', () => {
    const isZeLi = ownerMatcher(['Li, Ze']);
    const given = ['Ze', 'Z.', 'Zhuozhao', 'Zh.', 'Zhou Ze', 'Ze Zhou', 'Zhuozhao Ze'];
    assert.deepEqual(given.map((written) => isZeLi({ given: written, family: 'Li' })), [true, true, false, false, false, true, false]);
    assert.ok(!isZeLi({ given: 'Zhuozhao', family: 'Li' }), '"Zhuozhao Li" is not "Li, Ze"');
    assert.ok(isMaria({ given: 'M. García', family: 'López' }));
    assert.ok(isMaria({ given: 'María Elena García', family: 'López' }), 'the first given name decides, as before');
    assert.ok(!isMaria({ given: 'J. García', family: 'López' }));
    assert.ok(!isMaria({ given: 'M. G.', family: 'López' }), 'an initial stands for a given name, not for a family name');
  });

  it('a name kept whole is compared with the family name, as before', () => {
    const people: Person[] = [{ literal: 'García López' }, { literal: 'María García López' }];
    assert.deepEqual(people.map((person) => isMaria(person)), [true, false]);
  });
});

describe('a warning when author_names matches no one in the bibliography', () => {
  const files = { root: path.join(repoRoot, 'test', 'fixtures', 'example-site'), siteFile: 'content/_data/site.yaml', bibliography: 'publications.bib' };
  const paper = (key: string, authors: Person[]): Publication => ({ key, authors, editors: [] }) as unknown as Publication;
  const doe = { given: 'Jane', family: 'Doe' };
  const roe = { given: 'Richard', family: 'Roe' };

  it('names site.yaml\'s author_names line, the names written there, and the name in most entries', async () => {
    const line = (await readFile(path.join(files.root, files.siteFile), 'utf8')).split('\n').findIndex((text) => text.startsWith('author_names:')) + 1;
    assert.ok(line > 0);
    const entries = [paper('a', [doe, roe]), paper('b', [{ given: 'J.', family: 'Doe' }]), paper('c', [roe, doe])];
    assert.deepEqual(ownerNamesUnmatched(['Nanos, Anastassios', 'A. Nanos'], entries, files), [{
      file: 'content/_data/site.yaml',
      line,
      key: 'author_names',
      message: 'no author or editor of the 3 entries in publications.bib is "Nanos, Anastassios" or "A. Nanos", so no entry shows your name in bold: write your name here as your entries write it ("Family, Given"), a line for each spelling; "Doe, Jane" is in 2 of them',
    }]);
  });

  it('says nothing when a name matches, an editor\'s or a translator\'s too, or when there are no entries', () => {
    assert.deepEqual(ownerNamesUnmatched(['Doe, Jane'], [paper('a', [roe]), paper('b', [doe])], files), []);
    assert.deepEqual(ownerNamesUnmatched(['Doe, Jane'], [{ ...paper('a', [roe]), editors: [doe] }], files), []);
    assert.deepEqual(ownerNamesUnmatched(['Doe, Jane'], [{ ...paper('a', [roe]), translators: [doe] }], files), []);
    assert.deepEqual(ownerNamesUnmatched(['Doe, Jane'], [], files), []);
  });

  it('offers no name that is in only one entry', () => {
    const [warning] = ownerNamesUnmatched(['Nanos, Anastassios'], [paper('a', [doe]), paper('b', [roe])], files);
    assert.match(warning?.message ?? '', /a line for each spelling$/);
  });

  it('is a warning of the site model, which --strict turns into an error; the example\'s name matches its entries', async () => {
    const project = await createTestProject();
    try {
      const { loadSiteModel } = await import('../src/site-model.ts');
      const { buildSite } = await import('../src/build.ts');
      const model = { root: project.root, siteFile: 'content/_data/site.yaml', cvFile: 'content/_data/cv.yaml', bibliography: 'publications.bib' };
      const owner = (warnings: ReadonlyArray<{ key?: string }>): number => warnings.filter((warning) => warning.key === 'author_names').length;
      assert.equal(owner((await loadSiteModel(model)).warnings), 0);
      const site = await project.read('content/_data/site.yaml');
      await project.write('content/_data/site.yaml', site.replace('  - Nanos, Anastassios', '  - Nanos, Anastasia'));
      const warnings = (await loadSiteModel(model)).warnings;
      assert.equal(owner(warnings), 1);
      await assert.rejects(buildSite({ root: project.root, strict: true }), /^StrictModeError: content\/_data\/site\.yaml:\d+ \(author_names\): no author or editor of the \d+ entries in publications\.bib is "Nanos, Anastasia", so no entry shows your name in bold: .*; "Nanos, Anastassios" is in \d+ of them/);
    } finally {
      await project.remove();
    }
  });
});

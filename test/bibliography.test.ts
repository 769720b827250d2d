import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadBibliography } from '../src/bibliography/load-bibliography.ts';
import { ownerMatcher } from '../src/bibliography/owner.ts';
import { parseBibtex } from '../src/bibliography/parse-bibtex.ts';
import { scanEntryStarts } from '../src/bibliography/scan-entries.ts';
import { assignSlugs } from '../src/bibliography/slug.ts';
import { BibliographyError } from '../src/errors.ts';
import { repoRoot } from './helpers/project.ts';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'bibtex');
const fixture = (name: string): Promise<string> => readFile(path.join(fixtures, name), 'utf8');

function rejectsWith(action: () => unknown, pattern: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof BibliographyError, `expected a BibliographyError, got ${String(error)}`);
    assert.match(error.message.split('\n')[0] ?? '', pattern);
    return true;
  });
}

describe('reading the example bibliography', () => {
  it('reads all 18 entries of the seed with their types, years and venues', async () => {
    const entries = await loadBibliography(repoRoot, 'publications.bib');
    assert.equal(entries.length, 18);
    const thesis = entries.find((entry) => entry.key === 'nanos2013phd');
    assert.deepEqual(
      { kind: thesis?.kind, year: thesis?.year, month: thesis?.month, venue: thesis?.venue },
      { kind: 'thesis', year: 2013, month: 12, venue: 'PhD thesis, National Technical University of Athens' },
    );
    const talk = entries.find((entry) => entry.key === 'nanos2013forth');
    assert.equal(talk?.kind, 'presentation');
    assert.equal(talk?.venue, 'Invited talk, CARV group, FORTH-ICS, Heraklion, Greece');
    assert.equal(entries.filter((entry) => entry.kind === 'presentation').length, 7);
  });

  it('keeps the line of each entry for error messages', async () => {
    const text = await readFile(path.join(repoRoot, 'publications.bib'), 'utf8');
    const entries = parseBibtex(text, 'publications.bib');
    for (const entry of entries) {
      const line = text.split('\n')[entry.line - 1] ?? '';
      assert.ok(line.includes(`{${entry.key},`), `line ${entry.line} starts ${entry.key}`);
    }
  });

  it('writes page ranges with an en dash and DOIs without a resolver prefix', () => {
    const [entry] = parseBibtex('@article{a, title={T}, pages={1--5}, doi={https://doi.org/10.1000/xyz}, year=2020}', 'x.bib');
    assert.equal(entry?.pages, '1–5');
    assert.equal(entry?.doi, '10.1000/xyz');
  });
});

describe('bibliography errors name the file, the line of the entry and its key', () => {
  it('an unclosed brace in the middle of the file', async () => {
    const text = await fixture('unclosed brace mid-file.bib');
    rejectsWith(() => parseBibtex(text, 'publications.bib'), /^publications\.bib:7 \(broken\): invalid BibTeX/);
  });

  it('duplicate keys, including keys that differ only in case, with both lines', async () => {
    const text = await fixture('duplicate keys differing in case.bib');
    rejectsWith(() => parseBibtex(text, 'publications.bib'), /^publications\.bib:7 \(smith2020\): duplicate key.*line 1/);
  });

  it('a file that is not UTF-8, with the line and column of the first bad byte', async () => {
    await assert.rejects(loadBibliography(fixtures, 'latin-1 bytes.bib'), (error: unknown) => {
      assert.ok(error instanceof BibliographyError);
      assert.match(error.message, /^latin-1 bytes\.bib:2:14: the file is not valid UTF-8.*re-save it as UTF-8/);
      return true;
    });
  });

  it('a missing file', async () => {
    await assert.rejects(loadBibliography(fixtures, 'nope.bib'), /^BibliographyError: nope\.bib: cannot read the bibliography: file not found/);
  });
});

describe('slugs for citation keys', () => {
  it('are URL-safe, unique and do not depend on the order of the file', async () => {
    const entries = parseBibtex(await fixture('keys needing slugs.bib'), 'x.bib');
    const slugs = Object.fromEntries(entries.map((entry) => [entry.key, entry.id]));
    assert.deepEqual(slugs, { 'Ünïcode:2020/a': 'unicode-2020-a-2', 'unicode-2020-a': 'unicode-2020-a', noyear: 'noyear' });
    const forward = assignSlugs(['a b', 'a-b', 'A B']);
    const backward = assignSlugs(['A B', 'a-b', 'a b']);
    assert.deepEqual([...forward].sort(), [...backward].sort());
    assert.equal(new Set(forward.values()).size, 3);
  });

  it('an entry without a year has none, never NaN', async () => {
    const entries = parseBibtex(await fixture('keys needing slugs.bib'), 'x.bib');
    assert.equal(entries.find((entry) => entry.key === 'noyear')?.year, undefined);
  });
});

describe('finding entry starts', () => {
  it('skips % comment lines and @string/@comment/@preamble', () => {
    const starts = scanEntryStarts('% @article{fake,\n@string{x = "y"}\n@comment{c}\n  @Article{real,\n}');
    assert.deepEqual(starts, [{ entryType: 'article', key: 'real', line: 4 }]);
  });
});

describe('recognising the owner in author lists', () => {
  const isOwner = ownerMatcher(['Nanos, Anastassios']);
  it('matches full names, initials and accented spellings', () => {
    assert.ok(isOwner({ given: 'Anastassios', family: 'Nanos' }));
    assert.ok(isOwner({ given: 'A.', family: 'Nanos' }));
    assert.ok(isOwner({ given: 'Anastássios', family: 'Nános' }));
  });
  it('does not match other people with the same family name or initial', () => {
    assert.ok(!isOwner({ given: 'Bob', family: 'Nanos' }));
    assert.ok(!isOwner({ given: 'Anastassios', family: 'Nano' }));
  });
  it('accepts variants written "Given Family"', () => {
    const matcher = ownerMatcher(['Ji-woo Kim']);
    assert.ok(matcher({ given: 'J.', family: 'Kim' }));
  });
});

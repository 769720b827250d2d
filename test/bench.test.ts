import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateBibliography } from '../bench/generate-bibliography.ts';
import { readBibtex } from '../src/bibliography/read-bibtex.ts';

// npm run bench measures builds of generated bibliographies (bench/run.ts); these are what it measures.
describe('the benchmark bibliographies', () => {
  const text = generateBibliography(300);

  it('are the same for the same size and seed, so runs compare like with like', () => {
    assert.equal(generateBibliography(300), text);
    assert.notEqual(generateBibliography(300, 1), text);
    assert.ok(generateBibliography(1000).length > text.length);
  });

  it('read cleanly, with every entry type, accents, particles, suffixes, math, macros and crossrefs', async () => {
    const { publications, errors } = await readBibtex(text, { file: 'bench.bib' });
    assert.deepEqual(errors, []);
    assert.equal(publications.length, 300);
    const types = new Set([...text.matchAll(/^@(\w+)\{/gm)].map((match) => match[1]));
    for (const type of ['article', 'inproceedings', 'incollection', 'book', 'phdthesis', 'mastersthesis', 'techreport', 'misc', 'unpublished', 'proceedings', 'string']) assert.ok(types.has(type), type);
    for (const feature of [/\{\\"o\}|\{\\'e\}/, /Søren|Łukasz|Γιώργος/, /van der Berg|de la Fontaine/, /, Jr\., /, /\$O\(n\^2\)\$/, /publisher = acm,/, /month = (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec),/, /crossref = \{proc\d+\}/]) {
      assert.match(text, feature);
    }
  });
});

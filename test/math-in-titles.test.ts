import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCslItem } from '../src/bibliography/csl.ts';
import type { ReadResult } from '../src/bibliography/read-bibtex.ts';
import type { Publication } from '../src/bibliography/types.ts';
import { entryOf, readBibtexFixture } from './helpers/bibtex.ts';

// A field's HTML is what the pages show; its text is what every plain-text output reads (the
// <title>, Google Scholar's meta tags, JSON-LD, the feed, publications.json, the CV), and the CSL
// item is what citations and cv.json are made of.

const FIXTURE = 'angles and scripts in math.bib';

const read = (): Promise<ReadResult> => readBibtexFixture(FIXTURE);
const entry = entryOf;

/** The CSL item's value of a field, as citations get it. */
const csl = (publication: Publication, field: string): unknown => (toCslItem(publication) as unknown as Record<string, unknown>)[field];

describe('"<" and ">" in math', () => {
  it('are text in the title\'s HTML, its plain text and its CSL item, never markup', async () => {
    const result = await read();
    assert.deepEqual([result.errors, result.warnings], [[], []]);
    const { title } = entry(result, 'inequalities');
    assert.equal(title.html, 'No date at all: a&lt;b and b&gt;c', 'was "a<b>c</b>": a real <b> element');
    assert.equal(title.text, 'No date at all: a<b and b>c', 'was "No date at all: ac"');
    assert.equal(csl(entry(result, 'inequalities'), 'title'), 'No date at all: a<b and b>c');
  });

  it('are text in every field read the same way: the booktitle, the abstract, the note', async () => {
    const inequalities = entry(await read(), 'inequalities');
    assert.deepEqual(inequalities.venue, { html: 'Workshop on p&lt;q&gt;r Chains', text: 'Workshop on p<q>r Chains' }, 'was "pr": <q> was taken for a quotation');
    assert.equal(csl(inequalities, 'container-title'), 'Workshop on p<q>r Chains');
    const abstract = inequalities.abstract;
    assert.equal(abstract?.text, 'We show <i> and a<b>c, as do x<y>z and (1/2)<q>r, where a < b.', '$<i>$ vanished; \\lt and \\gt were dropped');
    assert.match(abstract?.html ?? '', /^We show &lt;i&gt; and a&lt;b&gt;c, as do x&lt;y&gt;z and <span class="katex">/);
    assert.equal(csl(inequalities, 'abstract'), abstract?.text);
    assert.equal(inequalities.note?.text, 'Also a<b>c and a<b>c', 'display math and DBLP\'s \\(...\\) too');
    assert.match(inequalities.note?.html ?? '', /<\/span> and a&lt;b&gt;c$/);
  });

  it('are MathML operators where the math is typeset', async () => {
    const inequalities = entry(await read(), 'inequalities');
    for (const html of [inequalities.abstract?.html ?? '', inequalities.note?.html ?? '']) {
      const mathml = html.replace(/<annotation[^>]*>[^<]*<\/annotation>/g, '');
      assert.match(mathml, /<mo>&lt;<\/mo><mi>[bq]<\/mi><mo>&gt;<\/mo>/);
    }
  });

  it('leave no element in the HTML but those the math and the markup made', async () => {
    const result = await read();
    for (const publication of result.publications) {
      for (const field of [publication.title, publication.venue, publication.abstract, publication.note]) {
        const elements = (field?.html ?? '').replace(/<span class="katex">[\s\S]*?<\/span>/g, '').match(/<[a-z][^>]*>/g) ?? [];
        assert.ok(elements.every((element) => /^<(?:sub|sup)>$/.test(element)), `${publication.key}: ${elements.join(' ')}`);
      }
    }
  });

  it('still let an export\'s HTML tags inside math be taken out (IEEE\'s $O(n<sup>2</sup>)$)', async () => {
    const { title } = entry(await read(), 'html-in-math');
    assert.deepEqual(title, { html: 'Sorting in O(n2) Time, Carefully', text: 'Sorting in O(n2) Time, Carefully' });
  });

  it('are text when written \\textless and \\textgreater, as Better BibTeX writes them, in math or not', async () => {
    const angles = entry(await read(), 'angle-commands');
    assert.equal(angles.title.html, 'When a&lt;b&gt;c: &lt;a href=&quot;https://x.example&quot;&gt;No Link', 'was a bold "c" and a real link');
    assert.equal(angles.title.text, 'When a<b>c: <a href="https://x.example">No Link');
    assert.equal(csl(angles, 'title'), angles.title.text);
  });
});

describe('subscripts and superscripts in plain text', () => {
  it('are Unicode\'s where each character has one, else after _ or ^, grouped when longer than one, as typeset math\'s text writes them', async () => {
    const scripts = entry(await read(), 'scripts');
    assert.equal(scripts.title.html, 'x²+y<sub>i</sub>, y<sub>ij</sub>, x<sub>α</sub>, x<sup>α</sup>, H<sub>∞</sub> and H<sub>eff</sub> in Intel<sup>TM</sup> Chips');
    assert.equal(scripts.title.text, 'x²+yᵢ, yᵢⱼ, x_α, x^α, H∞ and H_(eff) in Intel™ Chips', 'was "x²+yi, yij, xα, xα, H∞ and Heff in IntelTM Chips"');
    assert.equal(csl(scripts, 'title'), scripts.title.text);
  });
});

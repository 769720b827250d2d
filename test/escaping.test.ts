import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { formatWithStyle } from '../src/bibliography/csl.ts';
import type { ReadResult } from '../src/bibliography/read-bibtex.ts';
import type { Publication } from '../src/bibliography/types.ts';
import { withAddressesLinked } from '../src/text/urls.ts';
import { entryOf, readBibtexFixture } from './helpers/bibtex.ts';
import { repoRoot } from './helpers/project.ts';

// Everything from the bibliography is text in HTML: what looks like a tag in an entry (written
// with TeX's \textless, as an HTML entity, or in a DOI) never becomes an element, in the pages'
// HTML or in the citation, and its words stay in every plain text. Only the parser's own markup
// (\emph, \textsubscript, \href to an http(s) address...) and formatting tags an export wrote as
// entities are markup. Each field's HTML is read by a real HTML parser, as a browser reads it.

const FIXTURE = 'markup written as text.bib';

const read = (): Promise<ReadResult> => readBibtexFixture(FIXTURE);
const entry = entryOf;

/** The entry's APA citation as its page shows it, web addresses linked. */
async function citation(publication: Publication, style = 'apa', root = repoRoot): Promise<string> {
  const formatted = (await formatWithStyle([publication], style, root, 'site.yaml')).get(publication.key);
  assert.ok(formatted !== undefined, `${publication.key} was cited`);
  return withAddressesLinked(formatted);
}

interface ReadHtml {
  /** Each element as a browser builds it: its name, its attributes, and its text. */
  elements: string[];
  /** The text a browser shows. */
  text: string;
}

/** HTML as a browser reads it. */
function asBrowserReads(html: string): ReadHtml {
  const elements: string[] = [];
  const textOf = (node: DefaultTreeAdapterMap['parentNode']): string => node.childNodes.map((child) => {
    if (child.nodeName === '#text') return (child as DefaultTreeAdapterMap['textNode']).value;
    if (!('tagName' in child)) return '';
    const index = elements.push('') - 1;
    const inside = textOf(child);
    elements[index] = `${child.tagName}${child.attrs.map((attribute) => ` ${attribute.name}="${attribute.value}"`).join('')}: ${inside}`;
    return inside;
  }).join('');
  return { text: textOf(parseFragment(html)), elements };
}

/** A character reference cut short ("&gt" without its ";"), which browsers read as text by luck. */
const CUT_REFERENCE = /&(?!(?:[a-z][a-z\d]*|#\d+|#x[\da-f]+);)/i;

describe('what looks like HTML in an entry stays text', () => {
  it('a link written with \\textless and \\textgreater is text in the HTML, with all its words in the plain text', async () => {
    const { title } = entry(await read(), 'angle-commands-link');
    const words = 'Less <a href="https://evil.example/phish">click here</a> and x <b>bold';
    assert.deepEqual(asBrowserReads(title.html), { elements: [], text: words }, 'was a live link inside the list\'s link to the page');
    assert.equal(title.text, words, 'was "Less click here and x <b>bold"');
  });

  it('formatting tags an export wrote as entities are that formatting; a link, a script or a tag left open are text', async () => {
    const { title } = entry(await read(), 'escaped-formatting');
    const words = '<a href="https://evil.example/">a link</a>, <script>alert(1)</script> and <b>no end';
    assert.deepEqual(asBrowserReads(title.html), { elements: ['i: Drosophila', 'sub: eff'], text: `Genes of Drosophila at Teff, ${words}` });
    assert.equal(title.text, `Genes of Drosophila at T_(eff), ${words}`);
  });

  it('is text in the APA citation too, where citeproc\'s own markup stays', async () => {
    const result = await read();
    const cases: ReadonlyArray<[string, string, string[]]> = [
      ['angle-commands-link', 'Less <a href="https://evil.example/phish">click here</a> and x <b>bold. (2020). J.', ['i: J']],
      ['escaped-formatting', 'Genes of Drosophila at T_(eff), <a href="https://evil.example/">a link</a>, <script>alert(1)</script> and <b>no end. (2020). J.', ['i: J']],
      ['angles-as-text', 'Why <i> Is Not Italics. (2020). The <b> Journal.', ['i: The <b> Journal']],
    ];
    for (const [key, words, markup] of cases) {
      const shown = asBrowserReads(await citation(entry(result, key)));
      assert.equal(shown.text, words, key);
      // The one link a citation may have is an address written in its text, linked as written.
      const elements = shown.elements.filter((element) => !/^a href="(https:\/\/evil\.example\/[a-z]*)": \1$/.test(element));
      assert.deepEqual(elements, markup, `${key}: "<b>" emboldened the rest of the citation, "<i>" italicised it, and the link was live`);
    }
  });

  it('is text when a style writes "<" and ">" of its own around an address', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'angled-style-'));
    try {
      const style = (await readFile(path.join(repoRoot, 'test', 'fixtures', 'styles', 'author-title-year.csl'), 'utf8'))
        .replace('</group>', '</group>\n      <text variable="URL" prefix=" &lt;" suffix="&gt;"/>');
      await writeFile(path.join(root, 'angled.csl'), style);
      const publication = { ...entry(await read(), 'angles-as-text'), url: 'https://x.example/?a=1&b=2' };
      const html = await citation(publication, 'angled.csl', root);
      assert.deepEqual(asBrowserReads(html), {
        text: 'Why <i> Is Not Italics | 2020 <https://x.example/?a=1&b=2>.',
        elements: ['i: Why <i> Is Not Italics', 'a href="https://x.example/?a=1&b=2": https://x.example/?a=1&b=2'],
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('a DOI that holds markup', () => {
  it('is text in its citation, never with a character reference cut short', async () => {
    const html = await citation(entry(await read(), 'doi-with-markup'));
    assert.doesNotMatch(html, CUT_REFERENCE, 'the link text ended "&lt;/script&gt" without its ";"');
    const shown = asBrowserReads(html);
    assert.equal(shown.text, 'Odd DOI. (2020). J. https://doi.org/10.1/"><script>alert(1)</script>');
    // A quote ends a web address in text, as it does where written as itself.
    assert.deepEqual(shown.elements, ['i: J', 'a href="https://doi.org/10.1/": https://doi.org/10.1/']);
  });

  it('links web addresses taking each character reference whole, and leaving a closing one out', () => {
    const sici = 'https://doi.org/10.1002/(SICI)1097-4636(199706)35:4&lt;473::AID-JBM7&gt;3.0.CO;2-K';
    assert.equal(withAddressesLinked(`T. ${sici}.`), `T. <a href="${sici}">${sici}</a>.`, 'an old Wiley DOI keeps its "<" and ">"');
    assert.equal(withAddressesLinked('At &lt;https://x.example/a?b=1&amp;c=2&gt;.'), 'At &lt;<a href="https://x.example/a?b=1&amp;c=2">https://x.example/a?b=1&amp;c=2</a>&gt;.');
    assert.equal(withAddressesLinked('https://x.example/&lt;/script&gt;'), '<a href="https://x.example/&lt;/script">https://x.example/&lt;/script</a>&gt;');
  });
});

describe('a link to an address that is not http(s)', () => {
  it('keeps its text without the link, and is reported with the file, line, entry and field', async () => {
    const result = await read();
    const { title, note } = entry(result, 'unsafe-href');
    assert.deepEqual(asBrowserReads(title.html), {
      text: 'A Tricky Link, a Safe One and https://u.example/',
      elements: ['a href="https://ok.example/?a=1&b=2": Safe', 'a href="https://u.example/": https://u.example/'],
    }, '\\href and \\url to http(s) addresses stay links');
    assert.equal(title.text, 'A Tricky Link, a Safe One and https://u.example/');
    assert.deepEqual(asBrowserReads(note?.html ?? ''), { text: 'See here and there', elements: [] });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings.map((warning) => `${warning.file}:${warning.line} (${warning.key}): ${warning.message}`), [
      `${FIXTURE}:29 (unsafe-href): title links to "javascript:alert(3)", which is not an http(s) address; its text is shown without the link`,
      `${FIXTURE}:29 (unsafe-href): note links to "javascript:alert(3)", which is not an http(s) address; its text is shown without the link`,
      `${FIXTURE}:29 (unsafe-href): note links to "data:text/html,x", which is not an http(s) address; its text is shown without the link`,
    ], 'was left out with no word');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEntities, escapeXml } from '../src/text/escape.ts';
import { isSitePath, withAddressesLinked } from '../src/text/urls.ts';
import { readBibtex } from '../src/bibliography/read-bibtex.ts';
import { toRichText } from '../src/bibliography/rich-text.ts';

describe('character references (src/text/escape.ts)', () => {
  it('decodes named, decimal and hexadecimal references, and leaves unknown names as written', () => {
    assert.equal(decodeEntities('Fish &amp; chips &lt;3 &#233;t&#xE9; &nbsp;&copy;'), 'Fish & chips <3 été \u00a0&copy;');
  });

  it('reads a number that names no character as browsers do, U+FFFD, rather than failing the build', () => {
    assert.equal(decodeEntities('a&#x110000;b&#0;c&#xD800;d&#99999999999;e'), 'a\ufffdb\ufffdc\ufffdd\ufffde');
    assert.equal(decodeEntities('&#x10FFFF;'), '\u{10ffff}');
  });

  it('escapes what HTML and XML give a meaning to, and round-trips through decoding', () => {
    const text = `<a href="x">Tom & Jerry's</a>`;
    assert.equal(escapeXml(text), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
    assert.equal(decodeEntities(escapeXml(text)), text);
  });
});

describe('paths on this site (src/text/urls.ts)', () => {
  it('accepts paths that stay on the site and rejects those a browser would take elsewhere', () => {
    for (const value of ['/', '/research/', '/cv.pdf', '/a/b?c=d#e', '/%5Cevil']) assert.equal(isSitePath(value), true, value);
    for (const value of ['//evil.example/', '/\\evil.example/', '/\\\\evil.example/', '\\/evil.example/', '/\t/evil.example/', '/\n/evil.example', 'research/', 'https://evil.example/', '']) {
      assert.equal(isSitePath(value), false, JSON.stringify(value));
    }
  });
});

describe('addresses in a citation made links (src/text/urls.ts)', () => {
  it('links the web addresses of the text, not one in a tag or a link, and leaves a closing full stop out', () => {
    assert.equal(withAddressesLinked('<i>T</i>. https://doi.org/10.1/x.'), '<i>T</i>. <a href="https://doi.org/10.1/x">https://doi.org/10.1/x</a>.');
    assert.equal(withAddressesLinked('<a href="https://a.example/">https://a.example/</a>'), '<a href="https://a.example/">https://a.example/</a>');
    assert.equal(withAddressesLinked('<span title="https://a.example/">x</span> (https://b.example/?a=1&amp;b=2)'), '<span title="https://a.example/">x</span> (<a href="https://b.example/?a=1&amp;b=2">https://b.example/?a=1&amp;b=2</a>)');
    assert.equal(withAddressesLinked('ftp://c.example/ and javascript:alert(1)'), 'ftp://c.example/ and javascript:alert(1)');
  });
});

describe('rich text from BibTeX (src/bibliography/rich-text.ts)', () => {
  it('shows \\texttt as monospace markup on pages and as plain text in titles, meta tags and the CV', async () => {
    const { publications, errors } = await readBibtex('@article{fast, title = {Fast \\texttt{memcpy} in \\textsc{Linux}}, author = {Doe, Jane}, journal = {J}, year = {2020}}', { file: 'publications.bib' });
    assert.deepEqual(errors, []);
    assert.deepEqual(publications[0]?.title, { html: 'Fast <code>memcpy</code> in <span class="smallcaps">Linux</span>', text: 'Fast memcpy in Linux' });
    assert.deepEqual(toRichText('a <code class="x">b</code> <code>c'), { html: 'a <code>b</code> <code>c</code>', text: 'a b c' });
  });
});

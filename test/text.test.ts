import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEntities, escapeXml } from '../src/text/escape.ts';

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

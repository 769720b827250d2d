import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rawHtmlProblems } from '../src/content/raw-html.ts';
import path from 'node:path';
import { createMarkdown, layoutIds } from '../src/markdown.ts';
import { repoRoot } from './helpers/project.ts';

const markdown = createMarkdown();

describe('Markdown in content pages', () => {
  it('uses typographic quotes and dashes', () => {
    assert.equal(markdown.render("It's -- as \"they\" say --- done."), '<p>It’s – as “they” say — done.</p>\n');
  });

  it('gives headings stable anchors, in any script', () => {
    assert.equal(markdown.render('## Xen2MX'), '<h2 id="xen2mx">Xen2MX</h2>\n');
    assert.equal(markdown.render('## Ερευνα & Έργα'), '<h2 id="ερευνα-εργα">Ερευνα &amp; Έργα</h2>\n');
  });

  it('never gives a heading an id its page\'s layouts give an element of their own (a heading "Main" and the skip link\'s target)', () => {
    const folder = path.join(repoRoot, 'layouts');
    const page = layoutIds(folder, 'page.njk');
    assert.ok(page.has('main'), 'from base.njk, the layout page.njk is in');
    assert.ok(!page.has('teaching') && !page.has('email'), 'not from layouts the page is not in');
    assert.ok(layoutIds(folder, 'contact.njk').has('email'));
    assert.ok(layoutIds(folder, 'bio.njk').has('teaching'), 'from the partial bio.njk includes');
    assert.ok(![...layoutIds(folder, 'bio.njk')].some((id) => id.includes('{')), 'ids made from data are not known ahead');
    const withLayouts = createMarkdown({ reservedIds: (env) => layoutIds(folder, (env as { layout: string }).layout) });
    assert.equal(withLayouts.render('## Main', { layout: 'page.njk' }), '<h2 id="main-1">Main</h2>\n');
    const twice = [...withLayouts.render('## Main\n\n## Main', { layout: 'page.njk' }).matchAll(/id="([^"]*)"/g)].map((match) => match[1]);
    assert.deepEqual(twice, ['main-1', 'main-2'], 'each its own, numbered in the page\'s order');
    const ids = (text: string, reserved: string[]): Array<string | undefined> => [...createMarkdown({ reservedIds: () => new Set(reserved) }).render(text).matchAll(/id="([^"]*)"/g)].map((match) => match[1]);
    assert.deepEqual(ids('## Main\n\n## Main 1', ['main']), ['main-2', 'main-1'], 'a heading "Main 1" keeps its own anchor, which a link may use');
    assert.deepEqual(ids('## Main 1\n\n## Main\n\n## Main', ['main']), ['main-1', 'main-2', 'main-3']);
    assert.deepEqual(ids('## Foo\n\n## Foo', ['foo-1']), ['foo', 'foo-2'], 'nor the id the plugin numbers a second heading with');
    assert.equal(withLayouts.render('## Teaching\n\n## Email', { layout: 'page.njk' }), '<h2 id="teaching">Teaching</h2>\n<h2 id="email">Email</h2>\n', 'a table of contents still finds them');
    assert.equal(withLayouts.render('## Email', { layout: 'contact.njk' }), '<h2 id="email-1">Email</h2>\n');
  });

  it('keeps HTML comments out of the page', () => {
    const html = markdown.render('Text <!-- private note --> more.\n\n<!--\nhidden block\n-->\n\nEnd.');
    assert.ok(!html.includes('private note'), html);
    assert.ok(!html.includes('hidden block'), html);
    assert.match(html, /Text\s+more\./);
  });

  it('takes "<!--" inside an attribute value for part of the value: dropping it as a comment would leave the value open to swallow the next tag', async () => {
    const { parseFragment } = await import('parse5');
    type Node = { tagName?: string; attrs?: Array<{ name: string; value: string }>; childNodes?: Node[] };
    const elements = (node: Node): Node[] => [...(node.tagName === undefined ? [] : [node]), ...(node.childNodes ?? []).flatMap(elements)];
    for (const source of [
      `<img src="/a.jpg" alt="" title="<!--"><span title='-->" onload="alert(1)" x=y>'>hello</span>`,
      `<img src="/a.jpg" alt="" title="<!--">\n<span title='-->" onerror="alert(1)" x=y>'>hello</span>`,
    ]) {
      const html = markdown.render(source);
      const found = elements(parseFragment(html) as Node);
      assert.deepEqual(found.map((element) => element.tagName).filter((tag) => tag !== 'p'), ['img', 'span'], html);
      assert.deepEqual(found.flatMap((element) => element.attrs ?? []).filter(({ name }) => name.startsWith('on')), [], html);
      assert.equal(found.find((element) => element.tagName === 'img')?.attrs?.find(({ name }) => name === 'title')?.value, '<!--');
    }
    // A comment between tags still goes, and one inside a block of HTML too.
    assert.equal(markdown.render('<div title="a<!--b">\n<!-- note -->\n<p>kept</p>\n</div>'), '<div title="a<!--b">\n\n<p>kept</p>\n</div>');
  });

  it('renders template syntax in prose literally', () => {
    assert.equal(markdown.render('Use `{{ site.name }}` or {% raw %}.'), '<p>Use <code>{{ site.name }}</code> or {% raw %}.</p>\n');
  });
});

describe('front matter keys', () => {
  it('the keys read at every build for the address (front-matter-keys.ts) are those the schema allows', async () => {
    const { FRONT_MATTER_KEYS } = await import('../src/content/front-matter-keys.ts');
    const { frontMatterSchema } = await import('../src/content/front-matter-schema.ts');
    assert.deepEqual([...FRONT_MATTER_KEYS].sort(), Object.keys(frontMatterSchema.shape).sort());
  });
});

describe('raw HTML in a page (src/content/raw-html.ts)', () => {
  const problems = async (body: string): Promise<string[]> => (await rawHtmlProblems(body, 10, 'content/page.md')).map((problem) => `${problem.line}: ${problem.message.split(':')[0]}`);

  it('lets through links to other sites, images of this site, comments, and HTML shown as code', async () => {
    const body = [
      '<a href="https://example.org/">a link</a> <img src="/assets/img/x.png" alt="x">',
      '',
      '`<script src="https://cdn.example/x.js"></script>` in a code span',
      '',
      '    <img src="https://indented.example/code.png">',
      '',
      '```html',
      '<iframe src="https://fenced.example/"></iframe>',
      '```',
      '',
      '<!-- <img src="https://commented.example/x.png"> -->',
      '<a rel="me" href="https://mastodon.example/@me">Mastodon</a>',
      '',
      '| left | right |',
      '|:-----|------:|',
      '| a    | b     |',
    ].join('\n');
    assert.deepEqual(await problems(body), []);
  });

  it('names the line of each script, event handler, inline style, javascript: address and load from another site', async () => {
    const body = [
      'Text <a href="java\tscript:x()">tab</a>.', // browsers drop the tab
      '',
      '<div style="color: red" onclick="x()">',
      '<img srcset="/a.png 1x, //cdn.example/b.png 2x" alt="">',
      '</div>',
      '',
      '<link rel="stylesheet" href="https://fonts.example/css"><style>p { color: red }</style>',
      '<iframe src="https://video.example/embed"></iframe>',
    ].join('\n');
    assert.deepEqual(await problems(body), [
      '10: the address "javascript',
      '12: a style="..." attribute on <div>',
      '12: the event handler onclick="..." on <div> runs code',
      '13: <img> would load //cdn.example/b.png from another site, which every visitor\'s browser would then contact; put the file in content/assets/ and give its path',
      '16: <link> is not allowed in a page',
      '16: <style> is not allowed in a page',
      '17: <iframe> is not allowed in a page',
    ]);  });

  it('reads HTML as a browser does, so that no spelling of a script, a redirect or a load from another site gets through', async () => {
    const attempts = [
      '<div x=a"><script>alert(1)</script><b title=\'">\'></b></div>', // an unmatched quote
      '<div title=a" onmouseover=alert(1)>hover</div>',
      '<div>\n<img src="https://evil.example/t.png" x=a">\n</div>',
      '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
      '<object data="data:text/html,x"></object>',
      '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
      '<base href="https://evil.example/">',
      '<img src="\\\\evil.example/t.png" alt="">',
      '<img src="/\\evil.example/t.png" alt="">',
      '<img src="https:/\\evil.example/t.png" alt="">',
      '<img src="http:evil.example/t.png" alt="">',
      '<img src="&sol;&sol;evil.example/t.png" alt="">',
      'A <a href="javascript&colon;alert(1)">link</a>.',
      'A <a href="java&Tab;script:alert(1)">link</a>.',
      'A <a href="&#106avascript:alert(1)">link</a>.',
      '<image src="https://evil.example/t.png">',
      '<svg><image href="https://evil.example/t.png"/></svg>',
      '<table background="https://evil.example/t.png"><tr><td>x</td></tr></table>',
      '![badge](https://img.shields.io/badge/x)',
    ];
    for (const attempt of attempts) assert.notDeepEqual(await problems(attempt), [], attempt);
  });

  it('reports the same tag on each line it is written, not all at the first', async () => {
    assert.deepEqual(await problems(['<script>a()</script>', '', 'Text.', '', '<script>b()</script>', '', '<b onclick="x()">c</b> <i onclick="y()">d</i>'].join('\n')), [
      '10: <script> is not allowed in a page',
      '14: <script> is not allowed in a page',
      '16: the event handler onclick="..." on <b> runs code',
      '16: the event handler onclick="..." on <i> runs code',
    ]);
  });

  it('a path with a backslash, which browsers read as another site\'s address, is reported', async () => {
    const full = (await rawHtmlProblems('See <a href="/\\evil.example/">this page</a> and <a href="/research/">that one</a>.', 10, 'content/page.md')).map((problem) => `${problem.line}: ${problem.message}`);
    assert.deepEqual(full, ['10: the address "/\\evil.example/" on <a> looks like a page of this site, but browsers read its backslash as a slash and open evil.example; write a page\'s path with slashes only, or another site\'s full https:// address']);
  });

  it('links only to http(s), mailto:, tel: and the site, in Markdown as in HTML, and says why another scheme is refused, once', async () => {
    const full = async (body: string): Promise<string[]> => (await rawHtmlProblems(body, 10, 'content/page.md')).map((problem) => `${problem.line}: ${problem.message}`);
    const fine = '[a](https://example.org/) [b](HTTP://example.org) [c](mailto:me@example.org) [d](tel:+441234) [e](/research/) [f](#top) [g](page.html#a:b)\n\n[ref]: https://example.org/ref';
    assert.deepEqual(await full(fine), []);
    const ftp = 'the link "ftp://ftp.example.org/data" is an ftp: address, which browsers no longer open: link to an http(s) copy, or write the address as `code`';
    // With raw HTML on the page or without it: one report, from the Markdown (it was refused only beside HTML).
    assert.deepEqual(await full('Data: [here](ftp://ftp.example.org/data).'), [`10: ${ftp}`]);
    assert.deepEqual(await full('Data: [here](ftp://ftp.example.org/data). <b>bold</b>'), [`10: ${ftp}`]);
    assert.deepEqual(await full('The [repository][x].\n\n[x]: ssh://host.example/repo\n\n<doi:10.1145/1>'), [
      '12: the link "ssh://host.example/repo" has the scheme ssh:, which the site does not link to: only http(s), mailto:, tel: and site links are allowed',
      '14: the link "doi:10.1145/1" has the scheme doi:, which the site does not link to: write it https://doi.org/10.1145/1',
    ]);
    assert.deepEqual(await full('<a href="ftp://ftp.example.org/data">data</a>'), [`10: the address "ftp://ftp.example.org/data" on <a> ${ftp.replace(/^the link "[^"]*" /, '')}`]);
    assert.equal(markdown.render('[here](ftp://ftp.example.org/data)'), '<p>[here](ftp://ftp.example.org/data)</p>\n', 'never a link on the page');
    // Only links are links: code, escaped brackets, comments and text that looks like a scheme are not.
    const notLinks = [
      '```cpp\nstd::map<std::string, int> counts;\n[x](ssh://host)\n```',
      'In XML: `<xsl:template match="/">` and `[x](ssh://host)`.',
      '    [x](ssh://indented.example)',
      'For all x<y: f(x) < f(y). <Note: this is text>',
      '<!-- [x](ssh://commented.example) -->',
      '\\[x](ssh://escaped.example)',
      '~~~\n[x]: ssh://fenced.example\n~~~',
    ];
    for (const text of notLinks) assert.deepEqual(await full(text), [], text);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rawHtmlProblems } from '../src/content/raw-html.ts';
import { createMarkdown } from '../src/markdown.ts';

const markdown = createMarkdown();

describe('Markdown in content pages', () => {
  it('uses typographic quotes and dashes', () => {
    assert.equal(markdown.render("It's -- as \"they\" say --- done."), '<p>It’s – as “they” say — done.</p>\n');
  });

  it('gives headings stable anchors, in any script', () => {
    assert.equal(markdown.render('## Xen2MX'), '<h2 id="xen2mx">Xen2MX</h2>\n');
    assert.equal(markdown.render('## Ερευνα & Έργα'), '<h2 id="ερευνα-εργα">Ερευνα &amp; Έργα</h2>\n');
  });

  it('keeps HTML comments out of the page', () => {
    const html = markdown.render('Text <!-- private note --> more.\n\n<!--\nhidden block\n-->\n\nEnd.');
    assert.ok(!html.includes('private note'), html);
    assert.ok(!html.includes('hidden block'), html);
    assert.match(html, /Text\s+more\./);
  });

  it('renders template syntax in prose literally', () => {
    assert.equal(markdown.render('Use `{{ site.name }}` or {% raw %}.'), '<p>Use <code>{{ site.name }}</code> or {% raw %}.</p>\n');
  });
});

describe('raw HTML in a page (src/content/raw-html.ts)', () => {
  const problems = (body: string): string[] => rawHtmlProblems(body, 10, 'content/page.md').map((problem) => `${problem.line}: ${problem.message.split(':')[0]}`);

  it('lets through links to other sites, images of this site, comments, and HTML shown as code', () => {
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
      '<link rel="me" href="https://mastodon.example/@me">',
    ].join('\n');
    assert.deepEqual(problems(body), []);
  });

  it('names the line of each script, event handler, inline style, javascript: address and load from another site', () => {
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
    assert.deepEqual(problems(body), [
      '10: the address "javascript',
      '12: a style="..." attribute',
      '12: the event handler onclick="..." runs code',
      '13: <img> would load //cdn.example/b.png from another site, which every visitor\'s browser would then contact; put the file in content/assets/ and give its path',
      '16: <link> would load https',
      '16: a <style> element in a page',
      '17: <iframe> would load https',
    ]);
  });
});

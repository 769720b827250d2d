import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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

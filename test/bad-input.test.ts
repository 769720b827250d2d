import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { SiteInputError } from '../src/errors.ts';
import { withoutNetwork } from '../src/no-network.ts';
import { workersInProgress } from '../src/parallel.ts';
import { createTestProject, repoRoot, snapshotFolder, type TestProject } from './helpers/project.ts';

const run = promisify(execFile);
const badBibtex = path.join(repoRoot, 'test', 'fixtures', 'bad-bibtex');

const snapshot = snapshotFolder;

/**
 * Each case breaks one file of a built example, expects the build to fail with
 * a first line naming the place, and the previous _site/ to be untouched.
 */
describe('bad input fails precisely and leaves the previous site as it was', () => {
  let project: TestProject;
  let built: Map<string, string>;
  before(async () => {
    project = await createTestProject();
    await project.build();
    built = await snapshot(path.join(project.root, '_site'));
  });
  after(async () => project.remove());

  async function expectFailure(changes: Record<string, string>, firstLine: RegExp): Promise<void> {
    const originals: Record<string, string | undefined> = {};
    for (const file of Object.keys(changes)) originals[file] = await project.read(file).catch(() => undefined);
    try {
      for (const [file, text] of Object.entries(changes)) await project.write(file, text);
      await assert.rejects(project.build(), (error: unknown) => {
        assert.ok(error instanceof SiteInputError, `expected our error, got ${String(error)}`);
        assert.match(error.message.split('\n')[0] ?? '', firstLine);
        return true;
      });
      assert.deepEqual(await snapshot(path.join(project.root, '_site')), built, 'the previous site is byte-identical');
    } finally {
      for (const [file, text] of Object.entries(originals)) {
        if (text === undefined) await import('node:fs/promises').then((fs) => fs.rm(path.join(project.root, file), { force: true }));
        else await project.write(file, text);
      }
    }
  }

  const bibtexCases: Array<[string, RegExp]> = [
    ['missing comma.bib', /^publications\.bib:3 \(nocomma\): invalid BibTeX in this entry/],
    ['unbalanced quotes.bib', /^publications\.bib:3 \(quotes\): invalid BibTeX in this entry: Unterminated quote-value/],
    ['truncated file.bib', /^publications\.bib:3 \(truncated\): invalid BibTeX in this entry: Unterminated brace-value/],
    ['entry without a key.bib', /^publications\.bib:3: this @article entry has no citation key/],
    ['crossref cycle.bib', /^publications\.bib:1 \(a\): crossref cycle: a → b → a/],
    ['json.bib', /^publications\.bib:1: this is not BibTeX \(it looks like JSON/],
    ['a url.bib', /^publications\.bib:1: this is not BibTeX \(it is an address/],
    ['ris.bib', /^publications\.bib:1: this is not BibTeX \(it looks like RIS/],
  ];
  for (const [fixture, message] of bibtexCases) {
    it(`BibTeX: ${fixture.replace('.bib', '')}`, async () => {
      await expectFailure({ 'publications.bib': await readFile(path.join(badBibtex, fixture), 'utf8') }, message);
    });
  }

  it('BibTeX: Latin-1 bytes, with the line of the first bad byte', async () => {
    const originals = await project.read('publications.bib');
    await project.write('publications.bib', await readFile(path.join(repoRoot, 'test/fixtures/bibtex/latin-1 bytes.bib')));
    await assert.rejects(project.build(), /^BibliographyError: publications\.bib:2:14 \(latin1\): the file is not valid UTF-8/);
    assert.deepEqual(await snapshot(path.join(project.root, '_site')), built);
    await project.write('publications.bib', originals);
  });

  it('content files: Latin-1 bytes in site.yaml, cv.yaml or a Markdown page, with the line and column of the first bad byte', async () => {
    // "é" as Latin-1 writes it (one byte, 0xE9), in text that is otherwise UTF-8.
    const withLatin1 = (text: string, before: string): Buffer => {
      const at = text.indexOf(before) + before.length;
      assert.ok(at >= before.length, `"${before}" is in the file`);
      return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xe9]), Buffer.from(text.slice(at))]);
    };
    const cases: Array<[string, string | undefined, string, RegExp]> = [
      ['content/_data/site.yaml', await project.read('content/_data/site.yaml'), 'affiliation: OnApp Limit', /^content\/_data\/site\.yaml:7:25: the file is not valid UTF-8/],
      ['content/_data/cv.yaml', await project.read('content/_data/cv.yaml'), '  - title: Researcher', /^content\/_data\/cv\.yaml:13:22: the file is not valid UTF-8/],
      ['content/latin-1.md', undefined, 'Caf', /^content\/latin-1\.md:4:4: the file is not valid UTF-8/],
    ];
    for (const [file, original, before, message] of cases) {
      try {
        await project.write(file, withLatin1(original ?? '---\ntitle: Latin-1\n---\nCafe au lait.\n', before));
        await assert.rejects(project.build(), (error: unknown) => {
          assert.ok(error instanceof SiteInputError, `expected our error, got ${String(error)}`);
          assert.match(error.message.split('\n')[0] ?? '', message);
          return true;
        });
        assert.deepEqual(await snapshot(path.join(project.root, '_site')), built, 'the previous site is byte-identical');
      } finally {
        if (original === undefined) await rm(path.join(project.root, file), { force: true });
        else await project.write(file, original);
      }
    }
    // A YAML file among the assets is published as it is, in whatever encoding it was saved.
    try {
      await project.write('content/assets/data/old.yml', Buffer.from('name: Caf\xe9\n', 'latin1'));
      await project.build();
      assert.ok(existsSync(path.join(project.root, '_site/assets/data/old.yml')));
    } finally {
      await rm(path.join(project.root, 'content/assets/data'), { recursive: true, force: true });
      await project.build(); // the site the later cases compare with
    }
  });

  it('a file of content/assets/ at the address of the site\'s stylesheet or script is refused, not silently replaced', async () => {
    await expectFailure({ 'content/assets/site.css': 'body { color: red; }\n' }, /^content\/assets\/site\.css: the site's stylesheet \(made from styles\/\) is written at this address, and would replace this file: give it another name$/);
  });

  it('content/404.md: the owner\'s own "page not found" page replaces the engine\'s, at /404.html where GitHub Pages looks for it', async () => {
    await expectFailure({ 'content/404.md': '---\ntitle: Lost\n---\nNothing here.\n' }, /^content\/404\.md:1 \(permalink\): the site's "page not found" page is published at \/404\.html/);
    try {
      await project.write('content/404.md', '---\ntitle: Lost\npermalink: /404.html\n---\nNothing here, sorry.\n');
      // With the site's address, as the deploy workflow gives it, the build writes a sitemap.
      process.env['SITE_URL'] = 'https://example.org/';
      try {
        await project.build();
      } finally {
        delete process.env['SITE_URL'];
      }
      assert.match(await readFile(path.join(project.root, '_site/404.html'), 'utf8'), /<title>Lost · .*Nothing here, sorry\./s);
      assert.doesNotMatch(await readFile(path.join(project.root, '_site/sitemap.xml'), 'utf8'), /404/, 'no page for search engines to index');
    } finally {
      await rm(path.join(project.root, 'content/404.md'), { force: true });
      await project.build(); // the site the later cases compare with
    }
  });

  it('a page at the address of one the engine makes (content/cv.md at /cv/) is named, and Eleventy\'s own report of it, with its stack, is not printed', async () => {
    const printed: string[] = [];
    const { error, log } = console;
    console.error = (...args: unknown[]) => void printed.push(args.join(' '));
    console.log = (...args: unknown[]) => void printed.push(args.join(' '));
    try {
      await expectFailure({ 'content/cv.md': '---\ntitle: My CV\n---\nText.\n' }, /^content\/cv\.md: this page would be written at \/cv\/, where the engine writes a page of its own: give it another permalink or another file name$/);
    } finally {
      Object.assign(console, { error, log });
    }
    assert.deepEqual(printed.filter((line) => /Output conflict|stack trace/.test(line)), []);
  });

  const page = (frontMatter: string, body = 'Text.\n'): string => `${frontMatter}\n${body}`;
  const frontMatterCases: Array<[string, string, RegExp]> = [
    ['invalid YAML, reported at the line in the file', page('---\ntitle: Extra\ndescription: [unclosed\n---'), /^content\/extra\.md:3(:\d+)?: invalid YAML/],
    ['empty front matter, at its first line', '---\n---\nText.\n', /^content\/extra\.md:1 \(title\): missing required key/],
    ['a blank line before the front matter', '\n---\ntitle: Extra\n---\nText.\n', /^content\/extra\.md:1: the front matter must start on the first line: remove the blank line before ---$/],
    ['unclosed front matter', '---\ntitle: Extra\n\nText without the closing line.\n', /^content\/extra\.md:1: the front matter is not closed/],
    ['front matter closed with YAML\'s "...", which Eleventy does not read', page('---\ntitle: Extra\n...'), /^content\/extra\.md:3: close the front matter with ---, not \.\.\./],
    // Eleventy joins a permalink to the output folder as written: this one would overwrite the bibliography.
    ['a permalink that leaves the site', page('---\ntitle: Extra\npermalink: ../publications.bib\n---'), /^content\/extra\.md:3 \(permalink\): must be a path inside the site/],
    ['a permalink without its closing slash, which Eleventy would write as a file without an extension', page('---\ntitle: Extra\npermalink: /talks\n---'), /^content\/extra\.md:3 \(permalink\): must end with "\/" for a page at that address, such as \/talks\/ \(or name a file with its extension, such as \/talks\.html\)$/],
    ['a permalink with template code, which could make any path', page('---\ntitle: Extra\npermalink: "/{{ page.fileSlug }}/../../x"\n---'), /^content\/extra\.md:3 \(permalink\): must be a path inside the site/],
    ['a value cut short by " #", which YAML reads as a comment', page('---\ntitle: Talk #3\n---'), /^content\/extra\.md:2 \(title\): read as "Talk": in YAML, " #" starts a comment, so "#3" is left out; write "Talk #3" in quotes to keep it/],
    ['an impossible date', page('---\ntitle: Extra\ndate: 2024-02-30\n---'), /^content\/extra\.md:3 \(date\): must be a real date/],
    ['a misspelled key, with a hint', page('---\ntitle: Extra\ndescripton: A page\n---'), /^content\/extra\.md:3 \(descripton\): unknown key "descripton"; did you mean "description"\?/],
    ['executable front matter', page('---js\n{ title: "Extra" }\n---'), /^content\/extra\.md:1: executable front matter \(---js\) is not allowed/],
    ['a javascript: link', page('---\ntitle: Extra\n---', 'Intro.\n\n[Click](javascript:alert(1)) now.\n'), /^content\/extra\.md:6: the link "javascript:alert\(1\)" would run code/],
    ['a file: link, which points into the owner\'s computer', page('---\ntitle: Extra\n---', 'Intro.\n\n[paper](file:///C:/Users/me/paper.pdf)\n'), /^content\/extra\.md:6: the link "file:\/\/\/C:\/Users\/me\/paper\.pdf" points into your own computer: put the file in content\/assets\//],
    ['raw HTML that runs code', page('---\ntitle: Extra\n---', 'Intro.\n\nSee <a href="&#106;avascript:alert(9)">this</a>.\n'), /^content\/extra\.md:6: the address "javascript:alert\(9\)" on <a> would run code/],
    ['raw HTML with an event handler', page('---\ntitle: Extra\n---', '<div onmouseover="steal()">\nText\n</div>\n'), /^content\/extra\.md:4: the event handler onmouseover="\.\.\." on <div> runs code/],
    ['raw HTML that loads from another site', page('---\ntitle: Extra\n---', 'Intro.\n\n![ok](/assets/img/prof_pic.jpg) <img src="https://tracker.example/p.gif" alt="">\n'), /^content\/extra\.md:6: <img> would load https:\/\/tracker\.example\/p\.gif from another site/],
    ['a script, even from this site', page('---\ntitle: Extra\n---', 'Text.\n\n<script src="/assets/site.js"></script>\n'), /^content\/extra\.md:6: <script> is not allowed in a page: pages carry no scripts of their own/],
    ['an HTML comment never closed, which would hide the rest of the page', page('---\ntitle: Extra\n---', 'Intro.\n\n<!-- TODO: finish this section\n\n## Teaching\n\nI teach operating systems.\n'), /^content\/extra\.md:6: this HTML comment is never closed, so the rest of the page would not be shown: end it with -->/],
    ['an inline style, at the line of the attribute rather than of the word', page('---\ntitle: Extra\n---', 'My writing style is terse.\n\n<p style="color:red">Red</p>\n'), /^content\/extra\.md:6: a style="\.\.\." attribute on <p>/],
    ['a permalink another page has', page('---\ntitle: Extra\npermalink: /research/\n---'), /^content\/extra\.md:3 \(permalink\): this page would be written at \/research\/, as would content\/research\.md: give it another permalink$/],
    ['a layout that does not exist', page('---\ntitle: Extra\nlayout: fancy.njk\n---'), /^content\/extra\.md:3 \(layout\): no layout "fancy\.njk" in layouts\/ \(there are /],
    ['a layout named without its extension', page('---\ntitle: Extra\nlayout: page\n---'), /^content\/extra\.md:3 \(layout\): no layout "page" in layouts\/; did you mean "page\.njk"\? \(there are /],
  ];
  // A new file name per case: Eleventy keeps what it read in memory between builds of one process.
  frontMatterCases.forEach(([name, text, message], index) => {
    it(`front matter and Markdown: ${name}`, async () => {
      const file = `content/extra-${index}.md`;
      await expectFailure({ [file]: text }, new RegExp(message.source.replace('content\\/extra\\.md', `content\\/extra-${index}\\.md`)));
    });
  });

  // Eleventy reads these too, as no page of the site is read: a template runs or is published unchecked, data replaces the engine's.
  const eleventyOnlyCases: Array<[string, string, RegExp]> = [
    ['content/notes.njk', '<p>{{ site.name }}</p>\n', /^content\/notes\.njk: a Nunjucks template here would be published as a page without the checks a page gets: write the page in Markdown \(\.md\)/],
    ['content/assets/t.njk', '<p>x</p>\n', /^content\/assets\/t\.njk: a Nunjucks template here would be published/],
    ['content/feed.11ty.cjs', 'module.exports = class { render() { return process.version; } };\n', /^content\/feed\.11ty\.cjs: JavaScript here would run at every build/],
    ['content/_data/scholar.json', '{"jsonLd": "</script><script>alert(1)</script>"}\n', /^content\/_data\/scholar\.json: only site\.yaml and cv\.yaml are read from _data\/: Eleventy would read this file too, and its values could replace the data every page shows/],
    ['content/_data/extra.js', 'export default { a: 1 };\n', /^content\/_data\/extra\.js: only site\.yaml and cv\.yaml are read from _data\//],
    ['content/research.json', '{"title": "Replaced"}\n', /^content\/research\.json: a data file for research\.md, which is not read \(a page's data is its front matter, which is checked\): put its values in that page's front matter/],
    ['content/index.11tydata.js', 'export default { title: "Replaced" };\n', /^content\/index\.11tydata\.js: a data file for index\.md, which is not read/],
    ['content/notes/notes.11tydata.json', '{"layout": "page.njk"}\n', /^content\/notes\/notes\.11tydata\.json: a data file for the pages of its folder, which is not read/],
    ['content/content.json', '{"layout": "page.njk"}\n', /^content\/content\.json: a data file for the pages of its folder, which is not read/],
  ];
  for (const [file, text, message] of eleventyOnlyCases) {
    it(`a file Eleventy alone would read: ${file}`, async () => expectFailure({ [file]: text }, message));
  }

  it('a page written with an upper-case extension is checked as any page (Eleventy finds about.MD too)', async () => {
    await expectFailure({ 'content/upper.MD': '---\ntitle: Upper\n---\nText.\n\n<script>alert(1)</script>\n' }, /^content\/upper\.MD:6: <script> is not allowed in a page/);
  });

  it('a link to a folder in content/, whose files Eleventy would build unchecked', async () => {
    await mkdir(path.join(project.root, 'extra'), { recursive: true });
    await writeFile(path.join(project.root, 'extra', 'page.md'), '---\ntitle: Linked\n---\n<script>alert(1)</script>\n');
    await symlink(path.join(project.root, 'extra'), path.join(project.root, 'content', 'more'));
    try {
      await expectFailure({}, /^content\/more: this is a link to a folder, whose files Eleventy would build without the checks the others get: move the folder into content\/ instead/);
    } finally {
      await rm(path.join(project.root, 'content', 'more'));
      await rm(path.join(project.root, 'extra'), { recursive: true });
    }
  });

  it('a data file named after one of the engine\'s own pages (cv-page.json) is not read: nothing it computes runs', async () => {
    const ran = path.join(project.root, 'ran');
    const computed = `{{ range.constructor('process.getBuiltinModule("fs").writeFileSync(${JSON.stringify(ran)}, "ran"); return "Owned"')() }}`;
    await project.write('content/cv-page.json', JSON.stringify({ eleventyComputed: { title: computed } }));
    try {
      await project.build();
      assert.equal(existsSync(ran), false, 'the computed value did not run');
      assert.doesNotMatch(await project.read('_site/cv/index.html'), /Owned/);
    } finally {
      await rm(path.join(project.root, 'content/cv-page.json'));
      await project.build();
    }
  });

  it('what Eleventy rewrites after the check, under a path prefix, is checked as written: an attribute it quotes anew, a "./javascript:" link it tidies', async () => {
    const cases: Array<[string, RegExp]> = [
      [`<div>\n<img src="/favicon.svg" alt="icon" title={"x":'/onload=alert(document.domain)//}>\n</div>\n`, /^content\/rewritten-0\.md: as Eleventy wrote this page into the site, it holds onload="\.\.\." on <img>/],
      ['[a link](./javascript:alert(document.domain))\n', /^content\/rewritten-1\.md: as Eleventy wrote this page into the site, it holds the address "javascript:alert\(document\.domain\)" on <a>/],
    ];
    process.env['PATH_PREFIX'] = '/x/';
    try {
      for (const [index, [body, message]] of cases.entries()) {
        await project.write(`content/rewritten-${index}.md`, `---\ntitle: Rewritten\n---\n${body}`);
        await assert.rejects(project.build(), (error: unknown) => {
          assert.ok(error instanceof SiteInputError, String(error));
          assert.match(error.message, message);
          return true;
        });
        await rm(path.join(project.root, `content/rewritten-${index}.md`));
      }
    } finally {
      delete process.env['PATH_PREFIX'];
    }
  });

  it('files Eleventy does not read are left alone: a JSON file to publish under assets/, notes of other kinds', async () => {
    const { readByEleventyAlone } = await import('../src/content/check-content.ts');
    const none = (): boolean => false;
    for (const file of ['assets/data.json', 'assets/pdf/talk.json', 'notes.txt', 'draft.html', '_data/site.yaml', '_data/cv.yaml', 'orphan.11tydata.json']) assert.equal(readByEleventyAlone(file, 'content', none), undefined, file);
    assert.match(readByEleventyAlone('talks/talk.json', 'content', (page) => page === 'talks/talk.md') ?? '', /a data file for talks\/talk\.md/);
    assert.match(readByEleventyAlone('Notes.NJK', 'content', none) ?? '', /a Nunjucks template/, 'Eleventy finds templates whatever the case of their extension');
    assert.match(readByEleventyAlone('_data/extra.JSON', 'content', none) ?? '', /only site\.yaml and cv\.yaml/);
  });

  // site.yaml keeps the address off the site (pages spell it out): written anywhere else it would be published as it is.
  describe('the e-mail address, written where the site would publish it as written', () => {
    const address = 'anastassios.nanos@example.org';
    const leak = /your e-mail address .* would be published as written, which site\.yaml promises it never is/;
    const atLine = (file: string, text: string, written: string, more = ''): RegExp => new RegExp(`^${file.replaceAll('.', '\\.')}:${text.split('\n').findIndex((line) => line.includes(written)) + 1}${more}: ${leak.source}`);
    const contact = async (): Promise<string> => project.read('content/contact.md');

    it('in a page: in code, a link\'s title, an image\'s text, a mailto: link spelled with %40, front matter', async () => {
      for (const [index, body] of [`Mail \`${address}\` now.`, `[x](https://example.com/ "${address}")`, `![${address}](/assets/portrait.jpg)`, '[mail](mailto:anastassios.nanos%40example.org)'].entries()) {
        const text = `${await contact()}\n\n${body}\n`;
        await expectFailure({ [`content/leak-${index}.md`]: text }, atLine(`content/leak-${index}.md`, text, body));
      }
      const text = (await contact()).replace(/^description: .*$/m, `description: Mail ${address.toUpperCase()}`);
      await expectFailure({ 'content/leak-front.md': text }, atLine('content/leak-front.md', text, 'description:'));
    });

    it('in site.yaml besides email:, in cv.yaml, in a published entry', async () => {
      const site = (await project.read('content/_data/site.yaml')).replace(/^description: >-\n/m, `description: >-\n  Mail ${address}.\n`);
      await expectFailure({ 'content/_data/site.yaml': site }, atLine('content/_data/site.yaml', site, `Mail ${address}`, ' \\(description\\)'));
      const cv = (await project.read('content/_data/cv.yaml')).replace(/^interests:\n/m, `interests:\n  - Write to ${address}\n`);
      await expectFailure({ 'content/_data/cv.yaml': cv }, atLine('content/_data/cv.yaml', cv, 'Write to', ' \\(interests\\[0\\]\\)'));
      const bib = (await project.read('publications.bib')).replace('@article{nanos2014xen2mx,', `@article{nanos2014xen2mx,\n  note = {Write to anastassios.nanos{@}example.org},`);
      await expectFailure({ 'publications.bib': bib }, atLine('publications.bib', bib, 'Write to', ' \\(nanos2014xen2mx\\)'));
    });

    it('however it is spelled: YAML escapes and aliases, a character reference, BibTeX braces, a full-width @, split by a comment', async () => {
      const site = await project.read('content/_data/site.yaml');
      const escaped = site.replace(/^email: .*$/m, 'email: &e anastassios.nanos@example.org\nfooter: *e');
      await expectFailure({ 'content/_data/site.yaml': escaped }, /^content\/_data\/site\.yaml \(footer\): your e-mail address in this value would be published as written/);
      const yamlEscape = site.replace(/^description: >-\n/m, 'footer: "Mail: anastassios.nanos@exampl\\x65.org"\ndescription: >-\n');
      await expectFailure({ 'content/_data/site.yaml': yamlEscape }, /^content\/_data\/site\.yaml \(footer\): your e-mail address/);
      const fullWidth = site.replace(/^description: >-\n/m, 'footer: "anastassios.nanos＠example.org"\ndescription: >-\n');
      await expectFailure({ 'content/_data/site.yaml': fullWidth }, /^content\/_data\/site\.yaml:\d+ \(footer\): your e-mail address/);
      const cv = (await project.read('content/_data/cv.yaml')).replace(/^sections: \[\].*$/m, 'sections:\n  - title: Contact me\n    markdown: "Mail anastassios.nanos@exampl&#101;.org please."');
      await expectFailure({ 'content/_data/cv.yaml': cv }, /^content\/_data\/cv\.yaml:\d+ \(sections\[0\]\.markdown\): your e-mail address in the CV/);
      const bib = (await project.read('publications.bib')).replace('@article{nanos2014xen2mx,', '@article{nanos2014xen2mx,\n  note = {Contact: anastassios.nanos@exam{}ple.org},');
      await expectFailure({ 'publications.bib': bib }, atLine('publications.bib', bib, 'Contact:', ' \\(nanos2014xen2mx\\)'));
      const split = `${await contact()}\n\nWrite to anastassios.nanos@exam<!-- x -->ple.org today.\n`;
      await expectFailure({ 'content/leak-split.md': split }, atLine('content/leak-split.md', split, 'Write to'));
      const title = (await contact()).replace(/^title: .*$/m, 'title: "Write to anastassios.nanos@exampl\\x65.org"');
      await expectFailure({ 'content/leak-title.md': title }, /^content\/leak-title\.md: your e-mail address in front matter/);
    });

    it('in an attribute of raw HTML written without quotes, spelled out without breaking the attribute (its spaces would have made onload= an attribute)', async () => {
      const text = `${await contact()}\n\n<div>\n<img src="/favicon.svg" title=${address}=' alt=' onload=alert(document.domain) x'>\n</div>\n`;
      const originals = await contact();
      try {
        await project.write('content/contact.md', text);
        await project.build();
        const html = await project.read('_site/contact/index.html');
        assert.doesNotMatch(html, /\sonload=/);
        assert.ok(!html.toLowerCase().includes(address));
      } finally {
        await project.write('content/contact.md', originals);
        await project.build();
      }
    });

    it('is fine where it is not published: running text and mailto: links of a page (spelled out), comments, a hidden field', async () => {
      const page = `${await contact()}\n\nWrite to ${address}, or [by mail](mailto:${address}). <!-- ${address} -->\n`;
      const bib = `% ${address}\n${(await project.read('publications.bib')).replace(/^(\s*keywords\s*=\s*\{)/m, `$1${address}, `)}`;
      assert.notEqual(bib, await project.read('publications.bib'));
      const originals = { page: await contact(), bib: await project.read('publications.bib') };
      try {
        await project.write('content/contact.md', page);
        await project.write('publications.bib', bib);
        await project.build();
        const published = await snapshot(path.join(project.root, '_site'));
        for (const [file, bytes] of published) assert.ok(!Buffer.from(bytes, 'base64').toString('latin1').toLowerCase().includes(address), file);
      } finally {
        await project.write('content/contact.md', originals.page);
        await project.write('publications.bib', originals.bib);
        await project.build();
      }
    });
  });

  it('site.yaml: a control character in a value (written as an escape, or a carriage return alone), at its line: it would break the feed\'s XML and the vCard', async () => {
    const site = await project.read('content/_data/site.yaml');
    const withControl = site.replace(/^name: .*$/m, 'name: "Anastassios \\x01Nanos"');
    assert.notEqual(withControl, site);
    await expectFailure({ 'content/_data/site.yaml': withControl }, new RegExp(`^content/_data/site\\.yaml:${withControl.split('\n').findIndex((line) => line.startsWith('name:')) + 1} \\(name\\): this value holds a control character \\(U\\+0001\\), which no page can show`));
    const withReturn = site.replace(/^( {2}- )UK$/m, '$1"U\\rK"');
    assert.notEqual(withReturn, site);
    await expectFailure({ 'content/_data/site.yaml': withReturn }, /^content\/_data\/site\.yaml:\d+: this value holds a control character \(U\+000D\)/);
  });

  it('site.yaml: a misspelled field of hide_fields, which would hide nothing and leave the field published, is named with the field meant', async () => {
    const site = await project.read('content/_data/site.yaml');
    const misspelled = site.replace(/^( {2}hide_fields: )\[keywords\]$/m, '$1[keyword, doi_x_y_z]');
    assert.notEqual(misspelled, site, 'the example hides its keywords');
    const line = misspelled.split('\n').findIndex((text) => text.includes('hide_fields:')) + 1;
    await expectFailure({ 'content/_data/site.yaml': misspelled }, new RegExp(`^content/_data/site\\.yaml:${line} \\(publications\\.hide_fields\\): no entry has a field "keyword", so it hides nothing, and the field "keywords" that entries have is published: did you mean "keywords"\\?$`));
  });

  it('cv.yaml: a javascript: link in a free section stops the build, as in a page, with the key and the line', async () => {
    const cv = await project.read('content/_data/cv.yaml');
    const edited = cv.replace(/^sections: \[\].*\n/m, 'sections:\n  - title: Software\n    markdown: |\n      Maintainer of [my tool](javascript:alert(1)).\n');
    const line = edited.split('\n').findIndex((text) => text.includes('javascript:')) + 1;
    await expectFailure({ 'content/_data/cv.yaml': edited }, new RegExp(`^content/_data/cv\\.yaml:${line} \\(sections\\[0\\]\\.markdown\\): the link "javascript:alert\\(1\\)" would run code`));
  });

  it('cv.yaml: raw HTML in a free section is held to what a page may hold, with the key and the line', async () => {
    const cv = await project.read('content/_data/cv.yaml');
    const section = 'sections:\n  - title: Software\n    markdown: |\n      Maintainer of Xen2MX.\n\n      <img src="https://tracker.example/p.gif" alt="">\n';
    const edited = cv.replace(/^sections: \[\].*\n/m, section);
    assert.notEqual(edited, cv, 'the example cv.yaml has its empty sections line');
    const line = edited.split('\n').findIndex((text) => text.includes('tracker.example')) + 1;
    await expectFailure({ 'content/_data/cv.yaml': edited }, new RegExp(`^content/_data/cv\\.yaml:${line} \\(sections\\[0\\]\\.markdown\\): <img> would load https://tracker\\.example/p\\.gif from another site`));
  });

  it('Markdown: a link to a page or an anchor that does not exist, at its line', async () => {
    await expectFailure(
      { 'content/links.md': page('---\ntitle: Extra\n---', 'See [the bio](/bio/#nowhere).\n\nAnd [this](/no-such-page/).\n') },
      /^content\/links\.md:4: the link \/bio\/#nowhere is broken: no element with id "nowhere" \(and 1 more problem\)$/,
    );
  });

  it('a broken link found while a new CV PDF is still being made: the build fails once the PDF is done, and leaves nothing behind', async () => {
    // The links are checked while the PDF renders (src/build.ts); an edited CV makes a new one.
    const cv = await project.read('content/_data/cv.yaml');
    await expectFailure(
      { 'content/_data/cv.yaml': cv.replace('  - Scalable storage systems', '  - Scalable storage systems\n  - Unikernels'), 'content/pdf-links.md': page('---\ntitle: Extra\n---', 'See [this](/no-such-page/).\n') },
      /^content\/pdf-links\.md:4: the link \/no-such-page\/ is broken: HTTP 404$/,
    );
    assert.equal(workersInProgress(), 0, 'no worker is left running');
    assert.deepEqual((await readdir(project.root)).filter((name) => name.includes('staging')), [], 'no staging folder is left');
  });

  it('a link in raw HTML with a character reference naming no character: reported as a broken link, not a crash', async () => {
    await expectFailure({ 'content/odd-link.md': page('---\ntitle: Extra\n---', '<a href="/research/&#x110000;">odd</a>\n') }, /^content\/odd-link\.md(?::\d+)?: the link \/research\/\ufffd is broken: HTTP 404$/);
  });

  it('an image whose name differs only in case', async () => {
    await expectFailure({ 'content/image.md': page('---\ntitle: Extra\n---', '![Portrait](/assets/Portrait.jpg)\n') }, /^content\/image\.md:4: the link \/assets\/Portrait\.jpg is broken: HTTP 404/);
  });

  it('two pages whose addresses differ only in case', async () => {
    await expectFailure({ 'content/Research.md': page('---\ntitle: Twin\n---') }, /^_site\/research\/index\.html: "research\/index\.html" and "Research\/index\.html" differ only in case or accents; rename one of their pages/);
  });

  it('two pages whose addresses differ only in Unicode normalisation', async () => {
    await expectFailure(
      { 'content/caf\u00e9.md': page('---\ntitle: One\n---'), 'content/cafe\u0301.md': page('---\ntitle: Two\n---') },
      /^_site\/caf.+\/index\.html: "caf.+\/index\.html" and "caf.+\/index\.html" differ only in case or accents/,
    );
  });

  it('files: an asset over 100 MB is an error', async () => {
    const { open, rm } = await import('node:fs/promises');
    const big = path.join(project.root, 'content/assets/huge.bin');
    const handle = await open(big, 'w');
    await handle.truncate(101 * 1024 * 1024); // sparse: the size is real, the disk use is not
    await handle.close();
    try {
      await assert.rejects(project.build(), /^SiteInputError: content\/assets\/huge\.bin: 101 MB is too large to publish/);
      assert.deepEqual(await snapshot(path.join(project.root, '_site')), built);
    } finally {
      await rm(big);
    }
  });

  it('files: an unreadable bibliography (here a folder where the file should be)', async () => {
    const { mkdir, rename } = await import('node:fs/promises');
    await rename(path.join(project.root, 'publications.bib'), path.join(project.root, 'publications.bib.saved'));
    await mkdir(path.join(project.root, 'publications.bib'));
    try {
      await assert.rejects(project.build(), /^BibliographyError: publications\.bib: cannot read the bibliography: .*EISDIR/);
      assert.deepEqual(await snapshot(path.join(project.root, '_site')), built);
    } finally {
      await import('node:fs/promises').then((fs) => fs.rm(path.join(project.root, 'publications.bib'), { recursive: true }));
      await rename(path.join(project.root, 'publications.bib.saved'), path.join(project.root, 'publications.bib'));
    }
  });

  it('two pages with the same address', async () => {
    await assert.rejects(
      (async () => {
        await project.write('content/again.md', page('---\ntitle: Again\npermalink: /research/\n---'));
        await project.build();
      })(),
      /research/,
    );
    await import('node:fs/promises').then((fs) => fs.rm(path.join(project.root, 'content/again.md')));
    assert.deepEqual(await snapshot(path.join(project.root, '_site')), built);
  });

  it('config: a syntax error in a data file, and a missing required key', async () => {
    const site = await project.read('content/_data/site.yaml');
    await expectFailure({ 'content/_data/site.yaml': site.replace('title: Researcher', 'title: [Researcher') }, /^content\/_data\/site\.yaml:\d+(:\d+)?: invalid YAML/);
    await expectFailure({ 'content/_data/site.yaml': site.replace(/^email: .*$/m, '') }, /^content\/_data\/site\.yaml:\d+ \(email\): missing required key/);
  });

  it('a broken link of the navigation is reported once, at its line in site.yaml, not on every page that shows it', async () => {
    const site = await project.read('content/_data/site.yaml');
    const edited = site.replace('url: /research/', 'url: /reserach/');
    const line = edited.split('\n').findIndex((text) => text.includes('url: /reserach/')) + 1;
    await expectFailure({ 'content/_data/site.yaml': edited }, new RegExp(`^content/_data/site\\.yaml:${line}: the link /reserach/ is broken: HTTP 404 \\(it is on every page that shows it\\)$`));
  });

  it('an unknown citation style, at its line in site.yaml', async () => {
    const site = await project.read('content/_data/site.yaml');
    const line = site.split('\n').findIndex((text) => /^\s+style\s*:/.test(text)) + 1;
    assert.ok(line > 0, 'the example site.yaml names a style');
    await expectFailure({ 'content/_data/site.yaml': site.replace(/^(\s+style\s*:).*$/m, '$1 chicago') }, new RegExp(`^content/_data/site\\.yaml:${line} \\(publications\\.style\\): the CSL style "chicago" is neither a built-in style`));
  });

  it('a word too long to break into the CV PDF\'s lines stops the build at its line (pdfkit takes time and memory growing with its square)', async () => {
    const word = 'x'.repeat(5000);
    const site = await project.read('content/_data/site.yaml');
    const line = site.split('\n').findIndex((text) => text.startsWith('title:')) + 1;
    await expectFailure({ 'content/_data/site.yaml': site.replace(/^title: .*$/m, `title: ${word}`) }, new RegExp(`^content/_data/site\\.yaml:${line}: a word of 5,000 characters without a space \\("x{30}\\.\\.\\."\\) is too long to break into the lines of the CV PDF: add spaces, or shorten it$`));
    const bib = await project.read('publications.bib');
    const entryLine = bib.split('\n').findIndex((text) => text.startsWith('@inproceedings{mytilinis2015io,')) + 1;
    await expectFailure({ 'publications.bib': bib.replace(/(@inproceedings\{mytilinis2015io,[\s\S]*?title\s*=\s*\{)/, `$1${word.slice(0, 1200)} `) }, new RegExp(`^publications\\.bib:${entryLine} \\(mytilinis2015io\\): a word of 1,200 characters`));
  });

  it('files: a missing photo, a folder, a text file or a photo cut short for a photo, a missing publication PDF, a symlink out of the project', async () => {
    const site = await project.read('content/_data/site.yaml');
    await expectFailure({ 'content/_data/site.yaml': site.replace('src: assets/portrait.jpg', 'src: assets/Portrait.JPG') }, /^content\/_data\/site\.yaml:\d+ \(portrait\.src\): the photo "assets\/Portrait\.JPG" is not in content\//);
    await expectFailure({ 'content/_data/site.yaml': site.replace('src: assets/portrait.jpg', 'src: assets') }, /^content\/_data\/site\.yaml:\d+ \(portrait\.src\): "assets" is a folder, not a photo/);
    // A photo cut short, as an interrupted copy leaves it (bytes, so not through expectFailure's text).
    const photo = await readFile(path.join(project.root, 'content/assets/portrait.jpg'));
    try {
      await writeFile(path.join(project.root, 'content/assets/portrait.jpg'), photo.subarray(0, Math.floor(photo.length / 2)));
      await assert.rejects(project.build(), /^SiteDataError: content\/_data\/site\.yaml:\d+ \(portrait\.src\): the photo "assets\/portrait\.jpg" could not be read as an image \(.+\)/);
      assert.deepEqual(await snapshot(path.join(project.root, '_site')), built, 'the previous site is byte-identical');
    } finally {
      await writeFile(path.join(project.root, 'content/assets/portrait.jpg'), photo);
    }
    await expectFailure({ 'content/_data/site.yaml': site.replace('src: assets/portrait.jpg', 'src: assets/notes.txt'), 'content/assets/notes.txt': 'Not a photo.\n' }, /^content\/_data\/site\.yaml:\d+ \(portrait\.src\): the photo "assets\/notes\.txt" could not be read as an image \(.+\): use a JPEG, PNG, WebP or AVIF file$/);
    const bib = await project.read('publications.bib');
    await expectFailure({ 'publications.bib': bib.replace('  selected  = {true},\n}', '  selected  = {true},\n  pdf       = {missing.pdf},\n}') }, /^publications\.bib:\d+ \(\w+\): pdf names the file "missing\.pdf"/);
    const outside = path.join(tmpdir(), `outside-${process.pid}.txt`);
    await writeFile(outside, 'secret');
    try {
      await symlink(outside, path.join(project.root, 'content/assets/leak.txt'));
      await assert.rejects(project.build(), /^SiteInputError: content\/assets\/leak\.txt: this link points outside the project/);
      await rm(path.join(project.root, 'content/assets/leak.txt'));
    } finally {
      await rm(outside, { force: true });
    }
    assert.deepEqual(await snapshot(path.join(project.root, '_site')), built);
  });

  it('cv.yaml: a mistake found while citations are being formatted is reported, and no worker is left running', async () => {
    const bib = await project.read('publications.bib');
    const cv = await project.read('content/_data/cv.yaml');
    await expectFailure(
      { 'publications.bib': bib.replace('{{GMBlock}: Optimizing', '{{GMBlock}: Optimising'), 'content/_data/cv.yaml': `${cv}\nbogus_key: 1\n` },
      /^content\/_data\/cv\.yaml:\d+ \(bogus_key\): unknown key "bogus_key"/,
    );
    assert.equal(workersInProgress(), 0);
  });

  it('styles: a Sass syntax error names the file, line and column (the stylesheet compiles as the build starts)', async () => {
    const main = await project.read('styles/main.scss');
    await expectFailure({ 'styles/main.scss': `${main}\n.broken {\n  color: ;\n}\n` }, /^styles\/main\.scss:\d+:\d+: Sass: Expected expression/);
    assert.equal(workersInProgress(), 0, 'no worker is left running');
  });

  it('styles: Sass may not load files from outside the project', async () => {
    const outside = path.join(tmpdir(), `_outside-${process.pid}.scss`);
    await writeFile(outside, 'body { color: red; }');
    try {
      const main = await project.read('styles/main.scss');
      const relative = path.relative(path.join(project.root, 'styles'), path.join(tmpdir(), `outside-${process.pid}`));
      await expectFailure({ 'styles/main.scss': `${main}@use "${relative.split(path.sep).join('/')}";\n` }, /^styles\/main\.scss: the styles load file:\/\/.*outside-\d+\.scss, which is outside the project/);
    } finally {
      await rm(outside, { force: true });
    }
  });
});

describe('guarantees that need no broken file', () => {
  it('an oversized asset warns above 10 MB (and --strict fails on it)', async () => {
    const project = await createTestProject();
    try {
      await project.write('content/assets/big.bin', Buffer.alloc(11 * 1024 * 1024));
      const { buildSite } = await import('../src/build.ts');
      await buildSite({ root: project.root });
      await assert.rejects(buildSite({ root: project.root, strict: true }), /^StrictModeError: content\/assets\/big\.bin: 11 MB is large/);
    } finally {
      await project.remove();
    }
  });

  it('more entries selected than the home page shows warns, unless site.yaml says how many to show', async () => {
    const project = await createTestProject();
    try {
      const { loadSiteModel } = await import('../src/site-model.ts');
      const files = { root: project.root, siteFile: 'content/_data/site.yaml', cvFile: 'content/_data/cv.yaml', bibliography: 'publications.bib' };
      const more = [1, 2, 3].map((n) => `@misc{also-selected-${n}, title = {Also Selected ${n}}, author = {Nanos, Anastassios}, year = {2001}, selected = {true}}`).join('\n');
      await project.write('publications.bib', `${await project.read('publications.bib')}\n${more}\n`);
      const model = await loadSiteModel(files);
      const selected = model.entries.filter((entry) => entry.selected).length;
      assert.ok(selected > 5);
      const warnings = model.warnings.map((warning) => `${warning.file}: ${warning.message}`);
      assert.ok(warnings.includes(`publications.bib: ${selected} entries are selected (selected = {true}); the home page shows the newest 5: set publications.selected_on_home in site.yaml to show more, or to say 5 is meant`), warnings.join('\n'));
      const site = await project.read('content/_data/site.yaml');
      await project.write('content/_data/site.yaml', site.replace('  group_by: type', '  group_by: type\n  selected_on_home: 5'));
      assert.ok(!(await loadSiteModel(files)).warnings.some((warning) => /selected/.test(warning.message)));
    } finally {
      await project.remove();
    }
  });

  it('a value that looks like a date is shown as written (title: 2024-01-01), as the check reads it; the page\'s own date stays a date', async () => {
    const project = await createTestProject();
    try {
      await project.write('content/dated.md', '---\ntitle: 2024-01-01\ndescription: Notes of 2024-01-01\ndate: 2024-02-03\n---\nBody.\n');
      await project.build();
      const html = await project.read('_site/dated/index.html');
      assert.match(html, /<h1>2024-01-01<\/h1>/);
      assert.doesNotMatch(html, /GMT|Coordinated Universal Time/);
    } finally {
      await project.remove();
    }
  });

  it('{{ and {% in prose are shown as written, and HTML comments are not published', async () => {
    const project = await createTestProject();
    try {
      await project.write('content/extra.md', '---\ntitle: Extra\n---\nUse {{ site.email }} and {% raw %} here.\n\n<!-- a private note -->\n');
      await project.build();
      const html = await project.read('_site/extra/index.html');
      assert.match(html, /Use \{\{ site\.email \}\} and \{% raw %\} here\./);
      assert.doesNotMatch(html, /private note/);
    } finally {
      await project.remove();
    }
  });

  it('undefined variables in layouts are errors, not empty text', async () => {
    const project = await createTestProject();
    try {
      const layout = await project.read('layouts/page.njk');
      await project.write('layouts/page.njk', layout.replace('<h1>{{ title }}</h1>', '<h1>{{ title }} {{ subtitel }}</h1>'));
      await assert.rejects(project.build(), /^SiteInputError: layouts\/page\.njk:5:\d+: in this template: "subtitel" is undefined: check its name/);
      // The CV PDF's worker, started with Eleventy's build, was stopped: nothing writes into the project after this.
      assert.equal(workersInProgress(), 0);
    } finally {
      await project.remove();
    }
  });

  it('an undefined variable after an include is placed in the layout that uses it, not in the one included', async () => {
    const project = await createTestProject();
    try {
      // Nunjucks names the template included last (partials/picture.njk) with the line of contact.njk's own.
      const layout = await project.read('layouts/contact.njk');
      await project.write('layouts/contact.njk', layout.replace('{% if portrait_caption %}\n  <figcaption>{{ portrait_caption }}</figcaption>\n{% endif %}', '  <figcaption>{{ portrait_note }}</figcaption>'));
      const lines = (await project.read('layouts/contact.njk')).split('\n');
      const line = lines.findIndex((text) => text.includes('portrait_note')) + 1;
      await assert.rejects(project.build(), (error: Error) => {
        assert.equal(error.message.split('\n')[0], `layouts/contact.njk:${line}:15: in this template: "portrait_note" is undefined: check its name, or give it a value in the page's front matter or the site data (or show it only {% if %} it is set)`);
        return true;
      });
    } finally {
      await project.remove();
    }
  });

  it('a site without a page at /publications/, which every publication\'s page links back to, is told so at once', async () => {
    const project = await createTestProject();
    try {
      const list = await project.read('content/publications.md');
      await rm(path.join(project.root, 'content/publications.md'));
      const told = /^SiteInputError: content\/publications\.md: no page is at \/publications\/, where each publication's page links back to the list of them/;
      await assert.rejects(project.build(), told);
      await project.write('content/publications.md', list.replace('title: Publications\n', 'title: Publications\npermalink: /papers/\n'));
      await assert.rejects(project.build(), told);
      // Elsewhere in content/, at that address, it is found.
      await rm(path.join(project.root, 'content/publications.md'));
      await project.write('content/lists/all.md', list.replace('title: Publications\n', 'title: Publications\npermalink: "/publications/"\n'));
      await project.build();
      assert.ok(existsSync(path.join(project.root, '_site/publications/index.html')));
    } finally {
      await project.remove();
    }
  });

  it('a link to a file beside its page, which is not published, says where the file must go', async () => {
    const project = await createTestProject();
    try {
      await project.write('content/talks/index.md', '---\ntitle: Talks\n---\nMy [slides](slides.pdf).\n');
      await project.write('content/talks/slides.pdf', '%PDF-1.4\n');
      await assert.rejects(project.build(), (error: Error) => {
        assert.equal(error.message, 'content/talks/index.md:4: the link slides.pdf is broken: HTTP 404 (content/talks/slides.pdf is there, but only the files of content/assets/ are published as they are: move it into content/assets/ and link to /assets/...)');
        return true;
      });
    } finally {
      await project.remove();
    }
  });

  it('a page with `permalink: false` builds and is not published', async () => {
    const project = await createTestProject();
    try {
      await project.write('content/draft.md', '---\ntitle: Draft\npermalink: false\n---\nNot yet.\n');
      await project.build();
      assert.equal(existsSync(path.join(project.root, '_site/draft')), false);
      assert.doesNotMatch(await project.read('_site/index.html'), /Not yet/);
    } finally {
      await project.remove();
    }
  });

  it('a portrait needs no caption', async () => {
    const project = await createTestProject();
    try {
      const contact = await project.read('content/contact.md');
      await project.write('content/contact.md', contact.replace(/^portrait_caption:.*\n/m, ''));
      await project.build();
      const html = await project.read('_site/contact/index.html');
      assert.match(html, /<figure class="contact__photo">\s*<picture class="portrait">/);
      assert.doesNotMatch(html, /figcaption/);
    } finally {
      await project.remove();
    }
  });

  it('no network during a build: only this machine can be reached', async () => {
    await withoutNetwork(async () => {
      await assert.rejects(fetch('https://example.org/'), /builds run without network access/);
      const http = await import('node:http');
      assert.throws(() => http.get('http://example.org/'), /builds run without network access/);
    });
  });

  it('a build killed halfway leaves the previous site byte-identical, and the next build cleans up after it', async () => {
    const project = await createTestProject();
    try {
      await project.build();
      const before = await snapshot(path.join(project.root, '_site'));
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/build.ts'], { cwd: project.root, stdio: 'ignore' });
      // Kill it once Eleventy has started writing into the staging folder.
      for (let waited = 0; waited < 20000; waited += 50) {
        const staging = (await readdir(project.root)).find((name) => name.startsWith('._site-staging-'));
        if (staging !== undefined && (await readdir(path.join(project.root, staging))).length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      assert.deepEqual(await snapshot(path.join(project.root, '_site')), before);
      await project.build();
      assert.deepEqual((await readdir(project.root)).filter((name) => name.includes('staging')), []);
    } finally {
      await project.remove();
    }
  });

  it('the build command exits non-zero with the message, and zero on success', async () => {
    const project = await createTestProject();
    try {
      const ok = await run(process.execPath, ['--import', 'tsx', 'src/cli/build.ts'], { cwd: project.root });
      assert.match(ok.stdout, /^Built the site in/m);
      await project.write('publications.bib', await readFile(path.join(badBibtex, 'missing comma.bib'), 'utf8'));
      await assert.rejects(run(process.execPath, ['--import', 'tsx', 'src/cli/build.ts'], { cwd: project.root }), (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /^Build failed: publications\.bib:3 \(nocomma\): invalid BibTeX in this entry/m);
        assert.doesNotMatch(error.stderr, /\[11ty\]/, 'the owner reads our message, not also Eleventy\'s report of the same failure');
        assert.match(error.stderr, /The previous _site\/ \(if any\) was left unchanged\./);
        return true;
      });
    } finally {
      await project.remove();
    }
  });
});

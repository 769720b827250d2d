import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import type { UserConfig } from '@11ty/eleventy';
import { SiteDataError } from '../src/errors.ts';
import { academicSite, type AcademicSiteOptions } from '../src/plugin.ts';
import { ownerMatcher } from '../src/bibliography/owner.ts';
import { checkYaml } from '../src/data/checked-yaml.ts';
import { parseYamlWithSchema } from '../src/data/yaml-schema.ts';
import { loadSite } from '../src/site/load-site.ts';
import { siteSchema } from '../src/site/schema.ts';
import { closestMatch } from '../src/text/closest-match.ts';
import { exampleRoot, repoRoot } from './helpers/project.ts';

const FILE = 'content/_data/site.yaml';
const example = await readFile(path.join(exampleRoot, FILE), 'utf8');

function problemsOf(text: string): string[] {
  try {
    parseYamlWithSchema(text, FILE, siteSchema);
  } catch (error) {
    assert.ok(error instanceof SiteDataError, String(error));
    return error.problems.map((problem) => `${problem.line ?? '?'} ${problem.key ?? ''}: ${problem.message}`);
  }
  assert.fail('expected the site data to be rejected');
}

describe('the site data file', () => {
  it('accepts the example site and fills defaults', async () => {
    const site = await loadSite(exampleRoot, FILE);
    assert.equal(site.name, 'Anastassios Nanos');
    assert.equal(site.language, 'en');
    assert.deepEqual(site.nav.map((item) => item.url), ['/', '/research/', '/bio/', '/publications/', '/contact/', '/cv.pdf']);
  });

  it('names the line of a misspelled key and suggests the right one', () => {
    const problems = problemsOf(example.replace('\nskype: tassos.nanos', '\nskpye: tassos.nanos'));
    const line = example.split('\n').findIndex((l) => l.startsWith('skype:')) + 1;
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', new RegExp(`^${line} skpye: unknown key "skpye"; did you mean "skype"\\?`));
  });

  it('reports every problem at once: wrong types, bad URLs and e-mails, missing keys, nested keys', () => {
    const broken = example
      .replace('email: anastassios.nanos@example.org', 'email: not-an-address')
      .replace('url: https://github.com/ananos', 'url: javascript:alert(1)')
      .replace(/^name: .*\n/m, '')
      .replace('  - label: About\n    url: /', '  - label: About\n    url: /\n    icon: home');
    const problems = problemsOf(broken);
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.ok(problems.some((p) => /^\d+ name: missing required key/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /^\d+ email: Invalid email/i.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /^\d+ profiles\[0\]\.url: must be a full http/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /^\d+ nav\[0\]\.icon: unknown key "icon"/.test(p)), problems.join('\n'));
  });

  it('says a misspelled required key once, as the key meant, not also as that key missing', () => {
    const misspelled = problemsOf(example.replace(/^name: /m, 'nmae: '));
    assert.equal(misspelled.length, 1, misspelled.join('\n'));
    assert.match(misspelled[0] ?? '', new RegExp(`^${example.split('\n').findIndex((line) => line.startsWith('name: ')) + 1} nmae: unknown key "nmae"; did you mean "name"\\? Allowed here: `));
    const missing = problemsOf(example.replace(/^name: .*\n/m, ''));
    assert.ok(missing.some((problem) => /^\d+ name: missing required key/.test(problem)), 'a key simply left out is still said to be missing');
  });

  it('says what YAML read where the type is wrong, and how to write what was meant', () => {
    const edited = example
      .replace('title: Researcher', 'title: 2006')
      .replace('email_in_downloads: false', 'email_in_downloads: no')
      .replace('author_names:\n  - Nanos, Anastassios', 'author_names: Nanos, Anastassios')
      .replace('affiliation: OnApp Limited', 'affiliation: ""')
      .replace('  group_by: type', '  group_by: Type');
    const problems = problemsOf(edited);
    const line = (text: string): number => edited.split('\n').findIndex((written) => written.startsWith(text)) + 1;
    assert.deepEqual(problems, [
      `${line('title:')} title: expected text, found the number 2006: put it in quotes, "2006"`,
      `${line('affiliation:')} affiliation: must not be empty`,
      `${line('author_names:')} author_names: expected a list (one "- " item per line), found the text "Nanos, Anastassios": write it as a list item, "- Nanos, Anastassios", on the next line`,
      `${line('email_in_downloads:')} email_in_downloads: expected true or false, found the text "no"`,
      `${line('  group_by:')} publications.group_by: must be one of "year", "type", found the text "Type"`,
    ]);
  });

  it('rejects navigation links that a browser would take to another site (backslashes, //, tabs), naming the line', async () => {
    const line = example.split('\n').findIndex((l) => l.includes('url: /research/')) + 1;
    for (const url of ['/\\evil.example/', '/\\\\evil.example/', '/research\\..\\x', '"/\\t/evil.example/"']) {
      const text = example.replace('url: /research/', `url: ${url}`);
      const error = await checkYaml(text, FILE, 'site').then(() => undefined, (thrown: unknown) => thrown);
      assert.ok(error instanceof SiteDataError, `${url} was accepted`);
      assert.equal(error.problems.length, 1, error.message);
      assert.equal(error.problems[0]?.line, line, error.message);
      assert.equal(error.problems[0]?.key, 'nav[1].url', error.message);
      assert.match(error.message, /content\/_data\/site\.yaml:\d+.*must be a path on this site: starting with a single "\/", without backslashes/);
    }
    // Reported along with the file's other problems.
    const both = example.replace('url: /research/', 'url: /\\evil.example/').replace('email: anastassios.nanos@example.org', 'email: nope');
    await assert.rejects(checkYaml(both, FILE, 'site'), (error: unknown) => error instanceof SiteDataError && error.problems.length === 2);
    assert.equal((await checkYaml(example.replace('url: /research/', 'url: /research/?q=a%5Cb#top'), FILE, 'site')).nav[1]?.url, '/research/?q=a%5Cb#top');
  });

  it('takes a style by name or as a .csl file inside the project, nothing else', async () => {
    const line = example.split('\n').findIndex((l) => /^\s+style: apa/.test(l)) + 1;
    for (const style of ['/etc/passwd', '../elsewhere/style.csl', 'styles/../../x.csl', 'C:\\styles\\x.txt']) {
      const error = await checkYaml(example.replace(/^(\s+style:) apa$/m, `$1 "${style.replaceAll('\\', '\\\\')}"`), FILE, 'site').then(() => undefined, (thrown: unknown) => thrown);
      assert.ok(error instanceof SiteDataError, `${style} was accepted`);
      assert.deepEqual(error.problems.map((problem) => [problem.line, problem.key]), [[line, 'publications.style']], error.message);
      assert.match(error.message, /must be a built-in style \(apa, vancouver, harvard1\) or the path of a \.csl file inside the project/);
    }
    for (const style of ['vancouver', 'styles/ieee.csl', 'ieee.csl']) assert.equal((await checkYaml(example.replace(/^(\s+style:) apa$/m, `$1 ${style}`), FILE, 'site')).publications.style, style);
  });

  it('reports YAML syntax errors with the line in the file', () => {
    const problems = problemsOf('name: A\ntitle: [unclosed\n');
    assert.match(problems[0] ?? '', /^\d+ : invalid YAML/);
  });

  it('says what was most likely meant for the YAML errors people make most', () => {
    assert.deepEqual(problemsOf('name: A\ntitle: About: me\n'), ['2 : invalid YAML: Nested mappings are not allowed in compact mappings; a value with ": " in it needs quotes, e.g. title: "About: me"']);
    assert.deepEqual(problemsOf('name: A\nnav:\n  - label: Home\n    url: /\n  - label: Bio\n    url: /bio/\n\n    url: /cv/\n'), ['8 : invalid YAML: Map keys must be unique: "url" is given twice, first at line 6; keep one']);
    assert.match(problemsOf('name: A\naddress:\n\t- Street\n')[0] ?? '', /^3 : invalid YAML: Tabs are not allowed as indentation; indent with spaces/);
    // A value that is closed, with a quote inside it, is not "never closed".
    assert.match(problemsOf("name: A\ntitle: 'Jane's homepage'\n")[0] ?? '', /^2 : invalid YAML: .*; a quote inside a quoted value ends it: write '' for ' inside/);
    assert.match(problemsOf('name: Jane Doe\n  title: Professor\n')[0] ?? '', /^1 : invalid YAML: .*; is the next line indented further than this one\?/);
    assert.deepEqual(problemsOf('name: A\nphone "+44-7428318494"\nskype: x\n'), ['2 : invalid YAML: Implicit keys need to be on a single line; this line has no ": " after its key: write it key: value']);
    assert.deepEqual(problemsOf('name: A\ntitle: *t\naffiliation: &t Lab\n'), ['2 : invalid YAML: Unresolved alias (the anchor must be set before the alias): t; *t must come after the value marked &t']);
  });

  it('reports a quote or bracket left open at the line it opens, not where the parser noticed', () => {
    // The parser reads an unclosed quote to the end of the file, and an unclosed bracket to the next key.
    assert.deepEqual(problemsOf('name: A\ntitle: "Researcher\naffiliation: Lab\nemail: a@example.org\n'), [
      '2 : invalid YAML: the quoted value that starts here is never closed (Missing closing "quote, noticed at line 5)',
    ]);
    assert.deepEqual(problemsOf("name: A\ntitle: 'Researcher\naffiliation: Lab\n"), [
      "2 : invalid YAML: the quoted value that starts here is never closed (Missing closing 'quote, noticed at line 4)",
    ]);
    assert.match(problemsOf('name: A\nnav:\n  - label: [Home\n    url: /\n')[0] ?? '', /^3 : invalid YAML: the \[ that starts here is never closed \(.*noticed at line 4\)$/);
    assert.match(problemsOf('name: A\nprofiles: {x: 1\ntitle: B\n')[0] ?? '', /^2 : invalid YAML: the \{ that starts here is never closed/);
    // A value quoted and closed is not blamed for another problem.
    assert.match(problemsOf('name: "A"\ntitle: B: C\n')[0] ?? '', /^2 : invalid YAML: (?!the quoted)/);
  });

  it('a value a " #" cut short (a YAML comment in the middle of it) is reported with the way to keep it; comments written "# " are left alone', () => {
    assert.deepEqual(problemsOf('name: A\ntitle: Lecturer #2\naddress:\n  - Room #101\n  - Main Street # the old building\n'), [
      '2 title: read as "Lecturer": in YAML, " #" starts a comment, so "#2" is left out; write "Lecturer #2" in quotes to keep it, or "# " before a comment',
      '4 : read as "Room": in YAML, " #" starts a comment, so "#101" is left out; write "Room #101" in quotes to keep it, or "# " before a comment',
    ]);
    assert.match(problemsOf('name: A\nphone: #44 20 7946 0000\n')[0] ?? '', /^2 phone: read as empty: .* write "#44 20 7946 0000" in quotes/);
    // Comments on lines of their own, and after the comma of a list, are comments whatever follows their "#".
    const asWritten = ['interests:\n  - Scalable storage systems\n    #- Storage QoS (dropped 2016)\n', 'a:\n  b:\n  #c: 1\n  d: 2\n', 'b:\n#one', '- \n  #x\n', '[a,\n b, #c\n d]\n'];
    for (const text of asWritten) assert.doesNotThrow(() => parseYamlWithSchema(text, FILE, z.unknown()), text);
    assert.throws(() => parseYamlWithSchema('title: a long\n  value #x\n', FILE, z.unknown()), /^SiteDataError: content\/_data\/site\.yaml:2 \(title\): read as "a long value"/, 'at the line of the "#"');
    const kept = parseYamlWithSchema(example.replace(/^name: .*$/m, 'name: C# and F#').replace(/^title: .*$/m, 'title: "Room #1" #1').replace(/^description: >-$/m, 'description: |\n  Talk #3'), FILE, siteSchema);
    assert.deepEqual([kept.name, kept.title, kept.description?.split('\n')[0]], ['C# and F#', 'Room #1', 'Talk #3'], 'a # inside a word, quoted values and block text are as written');
  });

  it('says so when the file is missing', async () => {
    await assert.rejects(loadSite(repoRoot, 'content/_data/missing.yaml'), /content\/_data\/missing\.yaml: cannot read the site data \(your name, e-mail and navigation\): file not found/);
  });
});

describe('the owner\'s names (author_names) in author lists', () => {
  it('matches letters Unicode does not decompose as they are written without their stroke or ligature', () => {
    const isOwner = ownerMatcher(['Kowalczyk-Ørsted, Zofia', 'Łukasiewicz, Jan', 'Weiß, Æthelred', 'Œhlschläger, Ðorđe', 'Þórsdóttir, Ísold']);
    assert.ok(isOwner({ given: 'Z.', family: 'Kowalczyk-Orsted' }));
    assert.ok(isOwner({ given: 'Zofia', family: 'KOWALCZYK-ØRSTED' }));
    assert.ok(isOwner({ given: 'J.', family: 'Lukasiewicz' }));
    assert.ok(isOwner({ given: 'Aethelred', family: 'Weiss' }));
    assert.ok(isOwner({ given: 'Dorde', family: 'Oehlschlager' }));
    assert.ok(isOwner({ given: 'I', family: 'Thorsdottir' }));
    assert.ok(isOwner({ given: 'Z', family: 'Kowalczyk-Ørsted' }));
    assert.ok(!isOwner({ given: 'Z.', family: 'Kowalczyk-Ursted' }));
    assert.ok(!isOwner({ given: 'A.', family: 'Kowalczyk-Orsted' }));
  });
});

describe('did-you-mean hints', () => {
  it('suggests close names and nothing for unrelated ones', () => {
    assert.equal(closestMatch('adress', ['address', 'phone']), 'address');
    assert.equal(closestMatch('emial', ['email', 'name']), 'email');
    assert.equal(closestMatch('banana', ['address', 'phone']), undefined);
  });
});

describe('the plugin\'s options (.eleventy.ts)', () => {
  const config = {} as UserConfig;
  it('names a misspelt option and the one meant', () => {
    assert.throws(() => academicSite(config, { bibliografy: 'refs.bib' } as AcademicSiteOptions), /academicSite options: unknown option "bibliografy"; did you mean "bibliography"\? \(known: root, siteFile, cvFile, bibliography, styles\)/);
  });

  it('takes an object of paths', () => {
    assert.throws(() => academicSite(config, null as unknown as AcademicSiteOptions), /academicSite options: expected an object of paths, such as \{ root: '\.' \}, not null/);
  });

  it('takes paths only', () => {
    assert.throws(() => academicSite(config, { styles: 42 } as unknown as AcademicSiteOptions), /academicSite options: "styles" must be a path \(a string\), not number/);
  });
});

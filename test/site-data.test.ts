import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { UserConfig } from '@11ty/eleventy';
import { SiteDataError } from '../src/errors.ts';
import { academicSite, type AcademicSiteOptions } from '../src/plugin.ts';
import { parseYamlWithSchema } from '../src/data/yaml-schema.ts';
import { loadSite } from '../src/site/load-site.ts';
import { siteSchema } from '../src/site/schema.ts';
import { closestMatch } from '../src/text/closest-match.ts';
import { repoRoot } from './helpers/project.ts';

const FILE = 'content/_data/site.yaml';
const example = await readFile(path.join(repoRoot, FILE), 'utf8');

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
    const site = await loadSite(repoRoot, FILE);
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

  it('reports YAML syntax errors with the line in the file', () => {
    const problems = problemsOf('name: A\ntitle: [unclosed\n');
    assert.match(problems[0] ?? '', /^\d+ : invalid YAML/);
  });

  it('says so when the file is missing', async () => {
    await assert.rejects(loadSite(repoRoot, 'content/_data/missing.yaml'), /content\/_data\/missing\.yaml: cannot read the site data \(your name, e-mail and navigation\): file not found/);
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

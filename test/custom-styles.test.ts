import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { nearestLocale, offlineLocales } from '../src/bibliography/csl-style-check.ts';
import { SiteInputError } from '../src/errors.ts';
import { createTestProject, repoRoot, text, type TestProject } from './helpers/project.ts';

const run = promisify(execFile);
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'custom-styles');
/** Where the tests put the style in the project, and what site.yaml names. */
const STYLE = 'styles/citation/my-style.csl';
const SITE = 'content/_data/site.yaml';

/**
 * A project's own .csl file is checked when it is read, before citeproc sees it: each mistake
 * stops the build with the file and line to mend (and the line of site.yaml that names the file),
 * never with citeproc's stack trace or without a word.
 */
describe('a .csl file of the project is checked before it formats anything', () => {
  let project: TestProject;
  /** The line of site.yaml's `style:`, which every error names too. */
  let styleLine: number;
  before(async () => {
    project = await createTestProject();
    const site = await project.read(SITE);
    styleLine = site.split('\n').findIndex((line) => /^\s+style\s*:/.test(line)) + 1;
    await project.write(SITE, site.replace(/^ {2}style: apa$/m, `  style: ${STYLE}`));
  });
  after(async () => project.remove());

  const useStyle = async (fixture: string): Promise<void> => project.write(STYLE, await readFile(path.join(fixtures, fixture), 'utf8'));
  const named = (): string => `(named by publications.style at content/_data/site.yaml:${styleLine})`;

  const errors: Array<[string, (named: string) => string]> = [
    ['dependent style.csl', (named) => `${STYLE}:8: this is a dependent style: it only names its parent style, http://www.zotero.org/styles/elsevier-harvard, which does the formatting and which the build does not download; download the parent's .csl file into the project and name that in publications.style, or use a built-in style (apa, vancouver, harvard1) ${named}`],
    ['citations only.csl', (named) => `${STYLE}:2: this style has no <bibliography>, which the "Cite" text is formatted with: it only formats citations, so use a style that formats a bibliography too ${named}`],
    ['cut off mid-attribute.csl', (named) => `${STYLE}:11:18: this style is not well-formed XML (Unclosed attribute); the file may be cut off or damaged: download the style again ${named}`],
    ['web page.csl', (named) => `${STYLE}:6:1: this style is not well-formed XML (Missing end tag for element meta); this is a web page, not the style: download the .csl file itself ${named}`],
    ['no CSL namespace.csl', (named) => `${STYLE}:2: this is not a CSL style: it holds <style> where a style has <style xmlns="http://purl.org/net/xbiblio/csl"> ${named}`],
  ];
  for (const [fixture, message] of errors) {
    it(`${fixture.replace('.csl', '')}: an error at its line`, async () => {
      await useStyle(fixture);
      await assert.rejects(project.build(), (error: unknown) => {
        assert.ok(error instanceof SiteInputError, `expected our error, got ${String(error)}`);
        assert.equal(error.message, message(named()));
        return true;
      });
    });
  }

  it('undefined macros: each one, at its line, with the macro meant when one is close', async () => {
    await useStyle('undefined macros.csl');
    await assert.rejects(project.build(), (error: unknown) => {
      assert.ok(error instanceof SiteInputError);
      assert.deepEqual(error.message.split('\n'), [
        `${STYLE}:28: <text macro="author"> names a macro this style does not define (did you mean "authors"?); citeproc would leave it out of every entry ${named()} (and 1 more problem)`,
        `${STYLE}:30: <text macro="page-range"> names a macro this style does not define; citeproc would leave it out of every entry ${named()}`,
      ]);
      return true;
    });
  });

  it('the build command says it in one line, without a stack trace, and exits non-zero', async () => {
    await useStyle('dependent style.csl');
    await assert.rejects(run(process.execPath, ['--import', 'tsx', 'src/cli/build.ts'], { cwd: project.root }), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.equal(error.stderr.split('\n')[0], `Build failed: ${errors[0]?.[1](named())}`);
      assert.doesNotMatch(error.stderr, /^\s+at /m, 'no stack trace');
      assert.doesNotMatch(error.stderr, /TypeError|bibliography2?/);
      return true;
    });
  });

  it('a default-locale the build has offline gives its terms (de-DE: "und", "S.")', async () => {
    await useStyle('German terms.csl');
    await project.build();
    const page = await project.page('publications/koukis2010gmblock/index.html');
    assert.equal(text(page.querySelector('.publication__citation')), 'E. Koukis, A. Nanos und N. Koziris, GMBlock: Optimizing Data Movement in a Block-level Storage Sharing System over Myrinet, S. 349–372.');
  });

  it('a default-locale it does not have builds in English, with a warning at its line (the command exits zero)', async () => {
    await useStyle('Brazilian Portuguese terms.csl');
    const { stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/build.ts'], { cwd: project.root });
    assert.match(stderr, new RegExp(`^Warning: ${STYLE}:3: the style's default-locale "pt-BR" is not among the locales the build has offline \\(en-US, nl-NL, fr-FR, de-DE, es-ES\\): English \\(en-US\\) terms \\("edited by", "pp\\." and the like\\) and punctuation are used instead`, 'm'));
    const page = await project.page('publications/koukis2010gmblock/index.html');
    assert.equal(text(page.querySelector('.publication__citation')), 'E. Koukis, A. Nanos and N. Koziris, GMBlock: Optimizing Data Movement in a Block-level Storage Sharing System over Myrinet, pp. 349–372.');
    // A warning as the build's others are: --strict (the deploy workflow's) makes it an error.
    await assert.rejects(run(process.execPath, ['--import', 'tsx', 'src/cli/build.ts', '--strict'], { cwd: project.root }), (error: { stderr?: string }) => {
      assert.match(error.stderr ?? '', /default-locale "pt-BR" is not among the locales the build has offline/);
      return true;
    });
  });
});

describe('the locale a style is formatted in', () => {
  it('is the style\'s own when citation-js has it offline (any case, "-" or "_", or the language alone)', () => {
    const available = offlineLocales();
    assert.ok(available.includes('en-US') && available.includes('de-DE'), `citation-js carries en-US and de-DE (${available.join(', ')})`);
    assert.deepEqual(nearestLocale('de-DE', available), { locale: 'de-DE', exact: true });
    assert.deepEqual(nearestLocale('de_de', available), { locale: 'de-DE', exact: true });
    assert.deepEqual(nearestLocale('de', available), { locale: 'de-DE', exact: true });
  });

  it('is otherwise one of the same language, or en-US, and not exact (which is warned about)', () => {
    const available = ['en-US', 'fr-FR', 'de-DE'];
    assert.deepEqual(nearestLocale('fr-CA', available), { locale: 'fr-FR', exact: false });
    assert.deepEqual(nearestLocale('en-GB', available), { locale: 'en-US', exact: false });
    assert.deepEqual(nearestLocale('pt-BR', available), { locale: 'en-US', exact: false });
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { buildSite } from '../src/build.ts';
import { portraitsInProgress } from '../src/images.ts';
import { SiteDataError } from '../src/errors.ts';
import { loadCv } from '../src/cv/load-cv.ts';
import { sectionText, toCvView } from '../src/view/cv.ts';
import { createMarkdown } from '../src/markdown.ts';
import { toJsonResume } from '../src/cv/json-resume.ts';
import { readBibtex } from '../src/bibliography/read-bibtex.ts';
import { lastChanged } from '../src/cv/updated.ts';
import { loadBibliography } from '../src/bibliography/load-bibliography.ts';
import { builtExample, createTestProject, exampleRoot, repoRoot, type TestProject, text } from './helpers/project.ts';
import { readPdf } from './helpers/pdf.ts';

/** The warnings a build prints (console.warn), in order. */
async function capturedWarnings(build: () => Promise<unknown>): Promise<string[]> {
  const warn = mock.method(console, 'warn', () => undefined);
  try {
    await build();
    return warn.mock.calls.map((call) => String(call.arguments[0]));
  } finally {
    warn.mock.restore();
  }
}

let example: TestProject;
before(async () => {
  example = await builtExample();
});
after(async () => example.remove());

describe('the CV PDF', () => {

  it('is built at /cv.pdf with the name, every section and every publication title as text', async () => {
    const pdf = await readPdf(await readFile(path.join(example.root, '_site/cv.pdf')));
    assert.match(pdf.text, /^Anastassios Nanos Researcher, OnApp Limited/);
    for (const section of ['Research interests', 'Positions', 'Education', 'Publications', 'Posters/Presentations', 'Awards', 'Memberships']) {
      assert.ok(pdf.text.includes(section), `the PDF has the section "${section}"`);
    }
    assert.ok(pdf.text.includes('Thesis: Efficient I/O Device Sharing in Virtualized Environments'));
    for (const entry of (await loadBibliography(exampleRoot, 'publications.bib')).publications) {
      assert.ok(pdf.text.includes(entry.title.text), `the PDF lists "${entry.title.text}"`);
    }
  });

  it('has clickable DOI and profile links, and page numbers with the owner name on every page', async () => {
    const pdf = await readPdf(await readFile(path.join(example.root, '_site/cv.pdf')));
    assert.ok(pdf.links.includes('https://doi.org/10.1007/s10586-009-0106-y'));
    assert.ok(pdf.links.includes('https://github.com/ananos'));
    assert.ok(pdf.pages >= 2);
    for (let page = 1; page <= pdf.pages; page++) assert.ok(pdf.text.includes(`Page ${page} of ${pdf.pages}`));
    assert.equal(pdf.text.split('Anastassios Nanos · Curriculum Vitae').length - 1, pdf.pages);
  });

  it('embeds its fonts, so it looks the same everywhere', async () => {
    const bytes = (await readFile(path.join(example.root, '_site/cv.pdf'))).toString('latin1');
    assert.match(bytes, /\/FontFile2/);
    assert.doesNotMatch(bytes, /\/BaseFont \/Helvetica/);
  });

  it('is linked from the bio page with the date it was last updated', async () => {
    const bio = await example.page('bio/index.html');
    const link = bio.querySelector('.cv-download a');
    assert.equal(link?.getAttribute('href'), '/cv.pdf');
    assert.match(text(bio.querySelector(".cv-download")), /^Grab a copy of my CV \(PDF, updated [A-Z][a-z]{2} \d{4}\), or read it as a web page\.$/);
  });
});

describe('the bio page', () => {

  it('shows interests, positions and education from the CV data, with publications from the bibliography', async () => {
    const bio = await example.page('bio/index.html');
    const main = text(bio.querySelector('main'));
    assert.match(main, /Computer Systems, High-performance Interconnects, I\/O virtualization, Scalable storage systems\./);
    assert.match(main, /Feb 2015 – present Researcher, OnApp Limited, Cambridge, UK/);
    assert.match(main, /Dec 2013 PhD in Computer Engineering, National Technical University of Athens, Athens, Greece\. Thesis: Efficient I\/O Device Sharing in Virtualized Environments, advised by Professor Nectarios Koziris\./);
    // Papers and posters/presentations split as the publications page groups them, newest first there too.
    const list = await example.page('publications/index.html');
    const keys = (root: typeof bio, selector: string): string[] => root.querySelectorAll(`${selector} li[data-key]`).map((item) => item.getAttribute('data-key') ?? '');
    const presentations = keys(list, 'section[aria-labelledby="presentations-heading"]');
    const everything = keys(list, 'section.pub-section');
    assert.ok(presentations.length > 0);
    assert.deepEqual(keys(bio, 'section[aria-labelledby="posters-presentations"]'), presentations);
    assert.deepEqual(new Set(keys(bio, 'section[aria-labelledby="publications"]')), new Set(everything.filter((key) => !presentations.includes(key))));
  });
});

describe('the "updated" date of the CV', () => {
  let project: TestProject;
  const git = (args: string[], date?: string): void => {
    execFileSync('git', args, {
      cwd: project.root,
      stdio: 'ignore',
      env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.org', ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
    });
  };
  before(async () => {
    project = await createTestProject();
    git(['init', '-q']);
    git(['add', 'content', 'publications.bib'], undefined);
    git(['commit', '-qm', 'first'], '2021-03-15T12:00:00Z');
  });
  after(async () => project.remove());

  const inputs = ['content/_data/cv.yaml', 'publications.bib'];

  it('is the date of the last commit that changed the CV data or the bibliography', async () => {
    assert.deepEqual(await lastChanged(project.root, inputs), { year: 2021, month: 3 });
    await project.write('content/research.md', (await project.read('content/research.md')) + '\nMore.\n');
    git(['commit', '-qam', 'unrelated'], '2022-07-01T12:00:00Z');
    assert.deepEqual(await lastChanged(project.root, inputs), { year: 2021, month: 3 }, 'other files do not count');
    await project.write('publications.bib', (await project.read('publications.bib')) + '\n');
    git(['commit', '-qam', 'bib'], '2023-09-30T12:00:00Z');
    assert.deepEqual(await lastChanged(project.root, inputs), { year: 2023, month: 9 });
  });

  it('shows on the bio page, and the data file can override it', async () => {
    await project.build();
    assert.match(text((await project.page('bio/index.html')).querySelector('.cv-download')), /updated Sep 2023/);
    const cv = await project.read('content/_data/cv.yaml');
    await project.write('content/_data/cv.yaml', `updated: 2016-04\n${cv}`);
    git(['commit', '-qam', 'override'], '2024-01-10T12:00:00Z');
    await project.build();
    assert.match(text((await project.page('bio/index.html')).querySelector('.cv-download')), /updated Apr 2016/);
  });

  it('falls back to the files\' modification time outside git', async () => {
    const loose = await createTestProject();
    try {
      const now = new Date();
      assert.deepEqual(await lastChanged(loose.root, inputs), { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 });
    } finally {
      await loose.remove();
    }
  });
});

describe('the CV data file', () => {
  it('rejects unknown keys with a hint and bad dates, with their lines', async () => {
    const project = await createTestProject();
    try {
      const cv = await project.read('content/_data/cv.yaml');
      await project.write('content/_data/cv.yaml', cv.replace('education:', 'educaton:').replace('start: 2015-02', 'start: 2015-13'));
      await assert.rejects(loadCv(project.root, 'content/_data/cv.yaml'), (error: unknown) => {
        assert.ok(error instanceof SiteDataError);
        const messages = error.problems.map((p) => `${p.line} ${p.key}: ${p.message}`);
        assert.equal(messages.length, 2, messages.join('\n'));
        assert.match(messages[0] ?? '', /^\d+ positions\[0\]\.start: must be a year or a year and month/);
        assert.match(messages[1] ?? '', /^\d+ educaton: unknown key "educaton"; did you mean "education"\?/);
        return true;
      });
    } finally {
      await project.remove();
    }
  });

  it('rejects a position that ends before it starts, at the end\'s line; the same year, or a year without its month, is fine', async () => {
    const project = await createTestProject();
    try {
      const cv = await project.read('content/_data/cv.yaml');
      const backwards = cv.replace(/^( {4}start: )2015-02$/m, '$12015-02\n    end: 2014-11');
      assert.notEqual(backwards, cv);
      await project.write('content/_data/cv.yaml', backwards);
      await assert.rejects(loadCv(project.root, 'content/_data/cv.yaml'), (error: unknown) => {
        assert.ok(error instanceof SiteDataError);
        assert.deepEqual(error.problems.map((p) => `${p.line} ${p.key}: ${p.message}`), [`${backwards.split('\n').indexOf('    end: 2014-11') + 1} positions[0].end: ends before the position starts: check the two dates`]);
        return true;
      });
      await project.write('content/_data/cv.yaml', cv.replace(/^( {4}start: )2015-02$/m, '$12015-02\n    end: 2015'));
      await loadCv(project.root, 'content/_data/cv.yaml');
      // "present" is how many write a current position: it is told how.
      await project.write('content/_data/cv.yaml', cv.replace(/^( {4}start: )2015-02$/m, '$12015-02\n    end: present'));
      await assert.rejects(loadCv(project.root, 'content/_data/cv.yaml'), (error: unknown) => {
        assert.ok(error instanceof SiteDataError);
        assert.deepEqual(error.problems.map((p) => `${p.key}: ${p.message}`), ['positions[0].end: a current position has no end: leave out `end`']);
        return true;
      });
      // A start that is no date is reported as such, not also as after the end.
      await project.write('content/_data/cv.yaml', cv.replace(/^( {4}start: )2015-02$/m, '$1April 2015\n    end: 2016'));
      await assert.rejects(loadCv(project.root, 'content/_data/cv.yaml'), (error: unknown) => {
        assert.ok(error instanceof SiteDataError);
        assert.deepEqual(error.problems.map((p) => `${p.key}: ${p.message.split(',')[0]}`), ['positions[0].start: must be a year or a year and month']);
        return true;
      });
    } finally {
      await project.remove();
    }
  });

  it('writes a position that began and ended in the same month or year with its date once', () => {
    const position = (start: string, end?: string) => ({ title: 'Researcher', organisation: 'NTUA', start, ...(end === undefined ? {} : { end }) });
    const cv = { interests: [], positions: [position('1999', '1999'), position('2015-02', '2015-02'), position('2008-07', '2008'), position('2015-02')], education: [], awards: [], memberships: [], service: [], teaching: [], languages: [], sections: [] };
    const view = toCvView(cv as unknown as Parameters<typeof toCvView>[0], undefined, (source) => source);
    assert.deepEqual(view.positions.map((p) => p.period), ['1999', 'Feb 2015', 'Jul 2008 – 2008', 'Feb 2015 – present']);
  });

  it('takes a year written without quotes, which YAML reads as a number, as the year', async () => {
    const project = await createTestProject();
    try {
      const cv = await project.read('content/_data/cv.yaml');
      const edited = cv.replace('date: 2006-09', 'date: 2006').replace('service: []', 'service:\n  - { role: Program committee member, date: 2015 }');
      assert.notEqual(edited, cv);
      await project.write('content/_data/cv.yaml', edited);
      const loaded = await loadCv(project.root, 'content/_data/cv.yaml');
      assert.ok(loaded.education.some((entry) => entry.date === '2006'), JSON.stringify(loaded.education));
      assert.equal(loaded.service[0]?.date, '2015');
    } finally {
      await project.remove();
    }
  });
});

describe('the CV as a web page and as JSON Resume', () => {
  it('/cv/ is laid out as a CV: name, role, every section, links to the PDF and JSON', async () => {
    const page = await example.page('cv/index.html');
    assert.equal(text(page.querySelector('h1')), 'Anastassios Nanos');
    assert.equal(text(page.querySelector('.cv__role')), 'Researcher, OnApp Limited');
    assert.deepEqual(page.querySelectorAll('main h2').map((h) => text(h)), ['Research interests', 'Positions', 'Education', 'Publications', 'Posters/Presentations', 'Awards', 'Member']);
    assert.deepEqual(page.querySelectorAll('.cv__meta a').map((a) => a.getAttribute('href')), ['/cv.pdf', '/cv.json']);
  });

  it('/cv.json follows the JSON Resume schema and holds the same facts', async () => {
    const resume = JSON.parse(await example.read('_site/cv.json')) as Record<string, unknown> & { work: Array<Record<string, string>>; publications: unknown[]; basics: Record<string, unknown> };
    const { validate } = (await import('@jsonresume/schema')).default as { validate(resume: unknown, done: (errors: unknown, valid: boolean) => void): void };
    const errors = await new Promise<unknown>((resolve) => validate(resume, (problems) => resolve(problems)));
    assert.equal(errors, null, JSON.stringify(errors));
    assert.deepEqual(resume.work[0], { name: 'OnApp Limited', position: 'Researcher', location: 'Cambridge, UK', startDate: '2015-02' });
    assert.equal(resume.publications.length, 18);
    const thesis = (resume.publications as Array<Record<string, string>>).find((publication) => publication['name'] === 'Efficient I/O Device Sharing in Virtualized Environments');
    assert.equal(thesis?.['publisher'], 'National Technical University of Athens', 'a thesis is published by its school, not by "PhD thesis"');
    assert.equal(resume.basics['email'], undefined, 'no e-mail unless the owner asks for it');
  });

  it('/cv.json names a book\'s publisher, which has no venue', async () => {
    const { publications } = await readBibtex('@book{b, author = {Doe, Jane}, title = {A Book}, publisher = {Courier Corporation}, year = 2012}\n', { file: 'book.bib' });
    const site = { name: 'Jane Doe', email: 'jane@example.org', profiles: [] } as unknown as Parameters<typeof toJsonResume>[0];
    const cv = { interests: [], positions: [], education: [], awards: [], memberships: [], service: [], teaching: [], languages: [], sections: [] } as unknown as Parameters<typeof toJsonResume>[1];
    const resume = toJsonResume(site, cv, publications, undefined) as { publications: Array<Record<string, string>> };
    assert.equal(resume.publications[0]?.['publisher'], 'Courier Corporation');
  });

  it('/cv.json puts each fact where the schema means it: a thesis is no field of study, a service\'s year is its dates', async () => {
    const site = { name: 'Jane Doe', email: 'jane@example.org', profiles: [] } as unknown as Parameters<typeof toJsonResume>[0];
    const cv = {
      interests: [],
      positions: [],
      education: [{ degree: 'PhD in Computer Science', institution: 'NTUA', place: 'Athens, Greece', date: '2013-12', thesis: 'Efficient I/O', advisor: 'Professor N. Koziris' }],
      awards: [],
      memberships: [{ name: 'ACM', since: '2010' }],
      service: [{ role: 'Program committee member', organisation: 'VHPC', date: '2015' }, { role: 'Reviewer', date: '2012–2014' }, { role: 'Organiser', organisation: 'A summer school', date: 'every summer' }],
      teaching: [{ course: 'Operating Systems', role: 'teaching assistant', institution: 'NTUA', date: '2008-2012' }],
      languages: [],
      sections: [],
    } as unknown as Parameters<typeof toJsonResume>[1];
    const resume = toJsonResume(site, cv, [], undefined) as Record<string, Array<Record<string, unknown>>>;
    assert.deepEqual(resume['education'], [{ institution: 'NTUA', studyType: 'PhD in Computer Science', endDate: '2013-12', location: 'Athens, Greece', thesis: 'Efficient I/O', advisor: 'Professor N. Koziris' }]);
    assert.deepEqual(resume['volunteer'], [
      { organization: 'VHPC', position: 'Program committee member', startDate: '2015', endDate: '2015' },
      { position: 'Reviewer', startDate: '2012', endDate: '2014' },
      { organization: 'A summer school', position: 'Organiser', summary: 'every summer' },
    ]);
    assert.deepEqual(resume['teaching'], [{ course: 'Operating Systems', role: 'teaching assistant', institution: 'NTUA', startDate: '2008', endDate: '2012' }]);
    assert.deepEqual(resume['memberships'], [{ name: 'ACM', startDate: '2010' }]);
    const { validate } = (await import('@jsonresume/schema')).default as { validate(resume: unknown, done: (errors: unknown, valid: boolean) => void): void };
    assert.equal(await new Promise<unknown>((resolve) => validate(resume, (problems) => resolve(problems))), null);
  });

  it('a free section\'s Markdown keeps its shape in the PDF: list items with bullets, table rows, links with their address', () => {
    const md = createMarkdown();
    assert.equal(sectionText(md.render('Intro with [a site](https://example.org/) and <https://example.org/x>.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |', {})), [
      'Intro with a site (https://example.org/) and https://example.org/x.',
      '• one',
      '• two',
      'a · b',
      '1 · 2',
    ].join('\n'));
  });

  it('the navigation links to the PDF with its "updated" date', async () => {
    const nav = (await example.page('index.html')).querySelector('nav[aria-label="Main"]');
    assert.match(text(nav?.querySelector('a[href="/cv.pdf"]')), /^CV \(updated [A-Z][a-z]{2} \d{4}\)$/);
  });
});

describe('the owner\'s choices for the CV', () => {
  const projects: TestProject[] = [];
  after(async () => Promise.all(projects.map((project) => project.remove())));

  it('a hand-made content/assets/cv.pdf is served at /cv.pdf instead of the generated one', async () => {
    const project = await createTestProject();
    projects.push(project);
    const own = await readFile(path.join(repoRoot, 'test/fixtures/bibtex/site/assets/pdf/example_pdf.pdf'));
    await project.write('content/assets/cv.pdf', own);
    await project.build();
    assert.deepEqual(await readFile(path.join(project.root, '_site/cv.pdf')), own);
  });

  it('/cv/ gives the e-mail (spelled out, as the contact page does), the phone and the address that site.yaml has, with separators only between them', async () => {
    const project = await createTestProject();
    projects.push(project);
    const site = await project.read('content/_data/site.yaml');
    const noPhone = site.replace(/^phone: .*\n/m, '');
    assert.notEqual(noPhone, site);
    await project.write('content/_data/site.yaml', noPhone);
    await project.build();
    const spelled = 'anastassios [dot] nanos [at] example [dot] org';
    assert.equal(text((await project.page('cv/index.html')).querySelector('.cv__contact')), `${spelled} · West one peak 501, 15 Cavendish st., S3 7SR Sheffield, UK`);
    await project.write('content/_data/site.yaml', noPhone.replace(/^address:\n(?: {2}- .*\n)+/m, ''));
    await project.build();
    assert.equal(text((await project.page('cv/index.html')).querySelector('.cv__contact')), spelled);
    assert.match(text((await example.page('cv/index.html')).querySelector('.cv__contact')), /^anastassios \[dot\] nanos \[at\] example \[dot\] org · \+44.* · West one peak 501/);
    assert.doesNotMatch(await example.read('_site/cv/index.html'), /anastassios\.nanos@/, 'never written out');
  });

  it('lists a forthcoming paper as forthcoming, an undated one as "n.d." once, and authors\' marks as the pages show them', async () => {
    const project = await createTestProject();
    projects.push(project);
    await project.write('publications.bib', `${await project.read('publications.bib')}
@article{coming, title = {A Paper Still in Press}, author = {Nanos, Anastassios and Pang$^*$, Ce}, journal = {Journal of Tomorrow}, year = {To Appear}}
@misc{undated, title = {An Undated Report}, author = {Nanos, Anastassios}, howpublished = {Technical note}}
`);
    await project.build();
    const pdf = (await readPdf(await readFile(path.join(project.root, '_site/cv.pdf')))).text;
    assert.match(pdf, /\] forthcoming A Paper Still in Press Anastassios Nanos, Ce Pang\* Journal of Tomorrow (?!, forthcoming)/);
    assert.match(pdf, /\] n\.d\. An Undated Report Anastassios Nanos Technical note(?!, n\.d\.)/);
  });

  it('a CV that cannot be made fails the build, saying it is the CV, and leaves the published site alone', async () => {
    const project = await createTestProject();
    projects.push(project);
    await project.build();
    const published = await readFile(path.join(project.root, '_site/cv.pdf'));
    // A folder where the hand-made PDF would be: there is a CV, and it cannot be read.
    await mkdir(path.join(project.root, 'content/assets/cv.pdf/inside'), { recursive: true });
    await assert.rejects(project.build(), /the CV PDF could not be made: EISDIR/);
    assert.deepEqual(await readFile(path.join(project.root, '_site/cv.pdf')), published);
  });

  it('filled service, teaching, languages and free Markdown sections show on the page and in the PDF; the e-mail only when asked', async () => {
    const project = await createTestProject();
    projects.push(project);
    const cv = await project.read('content/_data/cv.yaml');
    await project.write(
      'content/_data/cv.yaml',
      cv
        .replace(/^service: \[\].*$/m, 'service:\n  - { role: Program committee member, organisation: Example Workshop, date: "2015" }')
        .replace(/^teaching: \[\].*$/m, 'teaching:\n  - { course: Operating Systems, role: teaching assistant, institution: Example University, date: "2010" }')
        .replace(/^languages: \[\].*$/m, 'languages:\n  - { language: Ελληνικά, fluency: native }\n  - { language: English, fluency: fluent }')
        .replace(/^sections: \[\].*$/m, 'sections:\n  - { title: Software, markdown: "Maintainer of **Xen2MX** ([code](https://github.com/ananos/xen2mx))." }\n  - { title: Talks, markdown: "- At FOSDEM\\n- At [HiPEAC](https://www.hipeac.net/)" }'),
    );
    const site = await project.read('content/_data/site.yaml');
    await project.write('content/_data/site.yaml', site.replace('email_in_downloads: false', 'email_in_downloads: true'));
    // A book: its publisher stands where a venue would.
    const bibliography = await project.read('publications.bib');
    // And an edited book, which names its editors only.
    await project.write('publications.bib', `${bibliography}\n@book{nanos2020book,\n  author = {Nanos, Anastassios},\n  title = {A Book on Unikernels},\n  publisher = {Εκδόσεις Παράδειγμα},\n  address = {Athens},\n  year = {2020}\n}\n\n@book{nanos2021edited,\n  editor = {Nanos, Anastassios and Koziris, Nectarios},\n  title = {Edited Volume},\n  publisher = {ACM},\n  year = {2021}\n}\n`);
    await project.build();
    const page = await project.page('cv/index.html');
    assert.deepEqual(page.querySelectorAll('main h2').map((h) => text(h)).slice(-5), ['Service', 'Teaching', 'Languages', 'Software', 'Talks']);
    assert.equal(page.querySelector('#software + p strong')?.textContent, 'Xen2MX');
    const pdf = await readPdf(await readFile(path.join(project.root, '_site/cv.pdf')));
    for (const expected of ['Service', 'Program committee member, Example Workshop', 'Teaching', 'Operating Systems (teaching assistant), Example University', 'Ελληνικά (native) · English (fluent)', 'Software', 'Maintainer of Xen2MX (code (https://github.com/ananos/xen2mx)).', '• At FOSDEM', '• At HiPEAC (https://www.hipeac.net/)', 'anastassios.nanos@example.org', 'Athens: Εκδόσεις Παράδειγμα, 2020', 'Anastassios Nanos, Nectarios Koziris (eds.)']) {
      assert.ok(pdf.text.includes(expected), `the PDF has "${expected}"`);
    }
    const edited = (await project.page('publications/index.html')).querySelector('li[data-key="nanos2021edited"] .pub__authors');
    assert.equal(edited?.innerHTML, '<strong class="pub__me">Anastassios Nanos</strong>, Nectarios Koziris (eds.)', 'the editors in the authors\' place, the owner in bold');
    const resume = JSON.parse(await project.read('_site/cv.json')) as { basics: Record<string, unknown> };
    assert.equal(resume.basics['email'], 'anastassios.nanos@example.org');
  });

  it('the same inputs give the same PDF bytes', async () => {
    const project = await createTestProject();
    projects.push(project);
    await project.build();
    const first = await readFile(path.join(project.root, '_site/cv.pdf'));
    await project.build();
    assert.deepEqual(await readFile(path.join(project.root, '_site/cv.pdf')), first);
  });
});

describe('scripts in the CV PDF', () => {
  const projects: TestProject[] = [];
  after(async () => Promise.all(projects.map((project) => project.remove())));
  const fixtureFont = (weight: 'Regular' | 'Bold'): Promise<Buffer> => readFile(path.join(repoRoot, `test/fixtures/fonts/NotoSansSC-${weight}.subset.ttf`));
  /** The example with a Chinese position and thesis title in the CV data. */
  const chineseCv = async (project: TestProject): Promise<void> => {
    const cv = await project.read('content/_data/cv.yaml');
    await project.write('content/_data/cv.yaml', cv
      .replace('  - title: Researcher\n', '  - title: 研究员 Researcher\n')
      .replace('thesis: Efficient I/O Device Sharing in Virtualized Environments', 'thesis: "博士论文: Efficient I/O Device Sharing (清华大学)"')
      .replace(/^languages: \[\].*$/m, 'languages:\n  - { language: 中文, fluency: native }\n  - { language: Ελληνικά }\n  - { language: Русский }\n  - { language: العربية }\n  - { language: עברית }'));
  };

  it('a word too long to lay out is found in any script that needs spaces to break, not in Chinese, Japanese or Korean text', async () => {
    const { overlongWord } = await import('../src/cv/pdf-glyphs.ts');
    const found = (text: string): string | undefined => overlongWord([{ file: 'content/_data/cv.yaml', line: 3, texts: ['Short', text] }], example.root)?.message;
    assert.match(found('x'.repeat(1001)) ?? '', /^a word of 1,001 characters without a space \("x{30}\.\.\."\)/);
    assert.match(found(`Title ${'Ελληνικά'.repeat(130)}`) ?? '', /^a word of 1,040 characters/);
    for (const text of ['x'.repeat(1000), '研究'.repeat(600), 'データ'.repeat(400), '연구'.repeat(600), 'long-'.repeat(300)]) assert.equal(found(text), undefined, text.slice(0, 12));
  });

  it('the main font draws Latin, Greek, Cyrillic, Arabic and Hebrew; nothing else is needed for them', async () => {
    const { PdfFonts } = await import('../src/cv/pdf-fonts.ts');
    const fonts = new PdfFonts(example.root);
    for (const text of ['Anastassios Nanos', 'Αναστάσιος Νάνος', 'Анастасиос', 'Håstad Dvořák Nguyễn', 'محمد علي', 'שלום']) {
      assert.equal(fonts.runs(text, 'regular').length, 1, text);
    }
    assert.deepEqual(fonts.missing(), []);
    const { MAIN_FONTS } = await import('../src/cv/font-files.ts');
    assert.deepEqual(fonts.runs('أطروحة', 'italic'), [{ font: MAIN_FONTS.regular, text: 'أطروحة' }], 'the oblique face has no Arabic: the upright one draws it');
    assert.deepEqual(fonts.runs('Thesis: محمد علي, and עברית.', 'regular').map((run) => run.text), ['Thesis: ', 'محمد علي', ', and ', 'עברית', '.'], 'right-to-left words are runs of their own');
    assert.deepEqual(fonts.runs('Nanos, A. (2013). I/O in [Xen] ~ 100% {fast}', 'bold'), [{ font: MAIN_FONTS.bold, text: 'Nanos, A. (2013). I/O in [Xen] ~ 100% {fast}' }]);
    assert.deepEqual(fonts.runs('', 'regular'), []);
    // The shortcut for text the main face draws whole gives what the character-by-character loop gives.
    const tricky = ['\u0301Ábc', 'a\u00a0b\tc\u00add', 'Nanos\u200dA', 'x \u0663\u0664 y', 'مرحبا 12.', 'Über naïve — “quoted” ½', 'Thesis: محمد', 'ǅemal Ǆ', ' leading and trailing '];
    for (const role of ['regular', 'bold', 'italic'] as const) {
      for (const text of tricky) assert.deepEqual(fonts.runs(text, role), fonts.characterRuns(text, role), `${role}: ${text}`);
    }
    assert.deepEqual(fonts.missing(), []);
    for (let time = 0; time < 2; time++) fonts.runs('王小明', 'bold');
    assert.deepEqual(fonts.missing(), ['小 (U+5C0F)', '明 (U+660E)', '王 (U+738B)'], 'asked again: the same answer');
  });

  it('reads which characters a font draws from its character map as fontkit does, for the main font and fonts of other scripts', async () => {
    const fontkit = await import('fontkit');
    const { fontCoverage } = await import('../src/cv/font-coverage.ts');
    const { MAIN_FONTS } = await import('../src/cv/font-files.ts');
    const folder = await mkdtemp(path.join(tmpdir(), 'font-coverage-'));
    try {
      // A map of format 4 that uses every part of it: glyph indices by delta and from the glyph
      // array (0 in it: not drawn; a delta that wraps to glyph 0: not drawn), behind a subtable
      // fontkit does not prefer, which maps Z only.
      const synthetic = path.join(folder, 'synthetic.ttf');
      await writeFile(synthetic, fontWithCharacterMaps([
        [0, 3, [{ start: 0x5a, end: 0x5a, delta: 1 }]],
        [3, 1, [{ start: 0x41, end: 0x45, delta: 0, glyphs: [5, 0, 7, 8, 0] }, { start: 0x61, end: 0x63, delta: 10 - 0x61 }, { start: 0x100, end: 0x102, delta: 3, glyphs: [65533, 40, 0] }]],
      ]));
      // DejaVu's map is of format 12; that of the Chinese test font (a subset), of format 4 with deltas only.
      for (const file of [...Object.values(MAIN_FONTS), path.join(repoRoot, 'test/fixtures/fonts/NotoSansSC-Regular.subset.ttf'), synthetic]) {
        const coverage = fontCoverage(file);
        assert.ok(coverage !== undefined, file);
        const font = fontkit.openSync(file) as unknown as { hasGlyphForCodePoint(codePoint: number): boolean };
        let drawn = 0;
        for (let codePoint = 0; codePoint <= 0x30000; codePoint++) {
          const expected = font.hasGlyphForCodePoint(codePoint);
          if (coverage(codePoint) !== expected) assert.fail(`${path.basename(file)}: U+${codePoint.toString(16)} should ${expected ? '' : 'not '}be drawn`);
          if (expected) drawn++;
        }
        assert.ok(drawn > (file === synthetic ? 0 : 20), `${path.basename(file)} draws ${drawn} characters`);
      }
      const synthetics = fontCoverage(synthetic);
      assert.deepEqual([...'ABCDEZabc'].filter((char) => synthetics?.(char.codePointAt(0) ?? 0)), ['A', 'C', 'D', 'a', 'b', 'c']);
      assert.deepEqual([0x100, 0x101, 0x102].map((codePoint) => synthetics?.(codePoint)), [false, true, false]);
      // A damaged file is left to fontkit, which says what is wrong with it.
      const whole = await readFile(MAIN_FONTS.regular);
      const tables = Array.from({ length: whole.readUInt16BE(4) }, (_, index) => 12 + index * 16);
      const cmap = whole.readUInt32BE((tables.find((record) => whole.toString('latin1', record, record + 4) === 'cmap') ?? 0) + 8);
      for (const [name, bytes] of [['cut-in-its-map.ttf', whole.subarray(0, cmap + 100)], ['cut-before-its-map.ttf', whole.subarray(0, 2000)], ['empty.ttf', Buffer.alloc(0)], ['text.ttf', Buffer.from('not a font')]] as const) {
        await writeFile(path.join(folder, name), bytes);
        assert.equal(fontCoverage(path.join(folder, name)), undefined, name);
      }
      assert.equal(fontCoverage(path.join(folder, 'missing.ttf')), undefined);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('a font in content/fonts/ draws the characters the main font lacks, in its closest weight', async () => {
    const project = await createTestProject();
    projects.push(project);
    await project.write('content/fonts/NotoSansSC-Regular.ttf', await fixtureFont('Regular'));
    await project.write('content/fonts/NotoSansSC-Bold.ttf', await fixtureFont('Bold'));
    await project.write('content/fonts/OFL.txt', 'the licence travels with the font\n');
    const { PdfFonts } = await import('../src/cv/pdf-fonts.ts');
    const { MAIN_FONTS } = await import('../src/cv/font-files.ts');
    const fonts = new PdfFonts(project.root);
    const own = (name: string): string => path.join(project.root, 'content/fonts', name);
    assert.deepEqual(fonts.runs('研究员 Researcher, 清华大学', 'regular'), [
      { font: own('NotoSansSC-Regular.ttf'), text: '研究员 ' },
      { font: MAIN_FONTS.regular, text: 'Researcher, ' },
      { font: own('NotoSansSC-Regular.ttf'), text: '清华大学' },
    ]);
    assert.deepEqual(fonts.runs('王小明', 'bold'), [{ font: own('NotoSansSC-Bold.ttf'), text: '王小明' }]);
    assert.deepEqual(fonts.runs('王', 'italic'), [{ font: own('NotoSansSC-Regular.ttf'), text: '王' }], 'no italic face: the upright regular one');
    assert.deepEqual(fonts.missing(), []);
  });

  it('fonts are tried in order: content/fonts/ by name, then installed @expo-google-fonts packages; other files are ignored', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'pdf-fonts-'));
    try {
      const touch = async (file: string): Promise<void> => {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), '');
      };
      for (const file of ['content/fonts/b.otf', 'content/fonts/A.ttf', 'content/fonts/OFL.txt', 'node_modules/@expo-google-fonts/noto-sans-thai/400Regular/NotoSansThai_400Regular.ttf', 'node_modules/@expo-google-fonts/noto-sans-thai/300Light/NotoSansThai_300Light.ttf', 'node_modules/@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf', 'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf', 'node_modules/@expo-google-fonts/noto-sans-sc/index.js']) await touch(file);
      const { fallbackFontFiles } = await import('../src/cv/font-files.ts');
      assert.deepEqual(fallbackFontFiles(root).map((file) => path.relative(root, file)), [
        'content/fonts/A.ttf',
        'content/fonts/b.otf',
        'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
        'node_modules/@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
        'node_modules/@expo-google-fonts/noto-sans-thai/400Regular/NotoSansThai_400Regular.ttf',
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('with that font the built PDF holds the Chinese text, embedded, next to Greek, Cyrillic, Arabic and Hebrew, and no warning', async () => {
    const project = await createTestProject();
    projects.push(project);
    await chineseCv(project);
    await project.write('content/fonts/NotoSansSC-Regular.ttf', await fixtureFont('Regular'));
    await project.write('content/fonts/NotoSansSC-Bold.ttf', await fixtureFont('Bold'));
    const warnings = await capturedWarnings(() => project.build());
    assert.deepEqual(warnings, []);
    const bytes = await readFile(path.join(project.root, '_site/cv.pdf'));
    const pdf = await readPdf(bytes);
    for (const expected of ['研究员 Researcher', '博士论文: Efficient I/O Device Sharing (清华大学)', '中文 (native)', 'Ελληνικά', 'Русский', 'العربية', 'עברית']) {
      assert.ok(pdf.text.includes(expected), `the PDF has "${expected}"`);
    }
    const fontNames = [...bytes.toString('latin1').matchAll(/\/BaseFont \/[A-Z]{6}\+([\w-]+)/g)].map((match) => match[1]);
    assert.deepEqual([...new Set(fontNames)].sort(), ['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSans-Oblique', 'NotoSansSC-Bold', 'NotoSansSC-Regular']);
    assert.doesNotMatch(await project.read('_site/sitemap.xml').catch(() => ''), /fonts/);
    await assert.rejects(readFile(path.join(project.root, '_site/fonts/NotoSansSC-Regular.ttf')), 'the fonts are for the PDF, not published');
  });

  it('without a font for them the build warns, naming the characters, where they are and the font to add', async () => {
    const project = await createTestProject();
    projects.push(project);
    await chineseCv(project);
    const warnings = await capturedWarnings(() => project.build());
    assert.equal(warnings.length, 1, warnings.join('\n'));
    // At the first line of cv.yaml that has one of them.
    const line = (await project.read('content/_data/cv.yaml')).split('\n').findIndex((text) => /[中清研究员博士论文华大学]/u.test(text)) + 1;
    assert.ok(line > 0);
    assert.ok((warnings[0] ?? '').startsWith(`Warning: content/_data/cv.yaml:${line}: `), warnings[0]);
    assert.match(warnings[0] ?? '', /^Warning: content\/_data\/cv\.yaml:\d+: no font of the CV PDF can draw 中 \(U\+4E2D\), .*清 \(U\+6E05\).*, so \/cv\.pdf would show empty boxes: put the \.ttf files of Noto Sans SC \(regular and bold\) into content\/fonts\/, or run: npm install @expo-google-fonts\/noto-sans-sc$/);
    await assert.rejects(buildSite({ root: project.root, strict: true }), /^StrictModeError: content\/_data\/cv\.yaml:\d+: no font of the CV PDF can draw/);
  });

  it('the advice follows the script and the site language', async () => {
    const { missingGlyphsAdvice } = await import('../src/cv/pdf-fonts.ts');
    assert.match(missingGlyphsAdvice(['日 (U+65E5)'], 'ja'), /Noto Sans JP .*@expo-google-fonts\/noto-sans-jp$/);
    assert.match(missingGlyphsAdvice(['學 (U+5B78)'], 'zh-TW'), /Noto Sans TC/);
    assert.match(missingGlyphsAdvice(['한 (U+D55C)', '日 (U+65E5)'], 'en'), /Noto Sans KR and Noto Sans SC/);
    assert.match(missingGlyphsAdvice(['क (U+0915)'], 'hi'), /Noto Sans Devanagari .*noto-sans-devanagari$/);
    assert.match(missingGlyphsAdvice(['𓀀 (U+13000)'], 'en'), /put a \.ttf or \.otf font that has them into content\/fonts\/$/);
  });

  it('a font file that cannot be embedded fails the build, naming it', async () => {
    const project = await createTestProject();
    projects.push(project);
    await chineseCv(project);
    await project.write('content/fonts/NotoSansSC-Regular.woff2', 'not used');
    await assert.rejects(project.build(), /^SiteInputError: content\/fonts\/NotoSansSC-Regular\.woff2: only \.ttf and \.otf fonts can be embedded in the CV PDF/);
    // The first build of the project failed after it had started encoding the portrait: it waited for that.
    assert.equal(portraitsInProgress(), 0, 'the failed build left no portrait encoding behind, writing into .cache/');
    await rm(path.join(project.root, 'content/fonts/NotoSansSC-Regular.woff2'));
    await project.write('content/fonts/Broken.ttf', 'this is not a font');
    await assert.rejects(project.build(), /^SiteInputError: content\/fonts\/Broken\.ttf: cannot be read as a TrueType\/OpenType font/);
  });
});

/** A segment of a format-4 character map: characters start..end, to glyphs by delta, or from `glyphs` (plus delta). */
interface MapSegment {
  start: number;
  end: number;
  delta: number;
  glyphs?: number[];
}

/** A font file holding nothing but character maps of format 4, by platform and encoding (what fontkit needs to answer hasGlyphForCodePoint). */
function fontWithCharacterMaps(maps: ReadonlyArray<readonly [number, number, readonly MapSegment[]]>): Buffer {
  const subtables = maps.map(([, , given]) => {
    const segments = [...given, { start: 0xffff, end: 0xffff, delta: 1 }];
    const count = segments.length;
    const glyphArray: number[] = [];
    const rangeOffsets = segments.map((segment, index) => {
      if (segment.glyphs === undefined) return 0;
      const offset = (count - index + glyphArray.length) * 2;
      glyphArray.push(...segment.glyphs);
      return offset;
    });
    const words = [4, 0, 0, count * 2, 0, 0, 0, ...segments.map((segment) => segment.end), 0, ...segments.map((segment) => segment.start), ...segments.map((segment) => segment.delta & 0xffff), ...rangeOffsets, ...glyphArray];
    words[1] = words.length * 2;
    const table = Buffer.alloc(words.length * 2);
    words.forEach((word, index) => table.writeUInt16BE(word, index * 2));
    return table;
  });
  const header = Buffer.alloc(4 + maps.length * 8);
  header.writeUInt16BE(maps.length, 2);
  let offset = header.length;
  maps.forEach(([platform, encoding], index) => {
    header.writeUInt16BE(platform, 4 + index * 8);
    header.writeUInt16BE(encoding, 6 + index * 8);
    header.writeUInt32BE(offset, 8 + index * 8);
    offset += subtables[index]?.length ?? 0;
  });
  const cmap = Buffer.concat([header, ...subtables]);
  const directory = Buffer.alloc(12 + 16);
  directory.writeUInt32BE(0x00010000, 0);
  directory.writeUInt16BE(1, 4);
  directory.write('cmap', 12, 'latin1');
  directory.writeUInt32BE(directory.length, 12 + 8);
  directory.writeUInt32BE(cmap.length, 12 + 12);
  return Buffer.concat([directory, cmap]);
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { renderCvPdf, type CvPdfInput } from '../src/cv/pdf.ts';
import { cvPdfContent } from '../src/cv/pdf-glyphs.ts';
import { loadSiteModel } from '../src/site-model.ts';
import type { CvView } from '../src/view/cv.ts';
import { createTestProject, type TestProject } from './helpers/project.ts';

/** A run of text as a PDF viewer finds it: on a page (from 1), at a position in points from the page's bottom left. */
interface Drawn {
  page: number;
  text: string;
  x: number;
  /** The baseline. */
  y: number;
  width: number;
  size: number;
}

/** Every run of text a PDF draws, page by page, as pdf.js reads it (as test/helpers/pdf.ts does, with positions). */
async function drawnText(bytes: Uint8Array): Promise<Drawn[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false }).promise;
  const drawn: Drawn[] = [];
  for (let page = 1; page <= doc.numPages; page++) {
    for (const item of (await (await doc.getPage(page)).getTextContent()).items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const [, , , size = 0, x = 0, y = 0] = item.transform as number[];
      drawn.push({ page, text: item.str, x, y, width: item.width, size });
    }
  }
  await doc.destroy();
  return drawn;
}

/** The first run of text that starts with `text`: each line of the CV is a run of its own. */
function find(drawn: readonly Drawn[], text: string): Drawn {
  const found = drawn.find((item) => item.text.startsWith(text));
  assert.ok(found !== undefined, `the PDF draws "${text}"`);
  return found;
}

/** The running head and the page number, which every page has. */
const onEveryPage = (item: Drawn): boolean => /^Page \d+ of \d+$/.test(item.text) || item.text.endsWith('· Curriculum Vitae');

/** Asserts that each heading has something of its section below it on its page. */
function assertNoHeadingAlone(drawn: readonly Drawn[], headings: readonly string[], what: string): void {
  for (const title of headings) {
    const heading = drawn.find((item) => item.text === title);
    if (heading === undefined) continue;
    const below = drawn.filter((item) => item.page === heading.page && item.y < heading.y - 1 && !onEveryPage(item));
    assert.ok(below.length > 0, `${what}: "${title}" ends page ${heading.page}, with its first entry on the next`);
  }
}

/** Asserts that no two runs of text are drawn over one another. */
function assertNothingOverlaps(drawn: readonly Drawn[], what: string): void {
  // A line's ink: from its descent to its ascent, about a fifth and four fifths of its size.
  const box = (item: Drawn) => ({ left: item.x, right: item.x + item.width, bottom: item.y - item.size * 0.2, top: item.y + item.size * 0.8 });
  for (const [index, one] of drawn.entries()) {
    for (const other of drawn.slice(index + 1)) {
      if (other.page !== one.page) continue;
      const [a, b] = [box(one), box(other)];
      const overlaps = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.top, b.top) - Math.max(a.bottom, b.bottom) > 0.5;
      assert.ok(!overlaps, `${what}: "${one.text}" and "${other.text}" are drawn over one another on page ${one.page}`);
    }
  }
}

/** Asserts that a row's date and its first text start on one page, side by side. */
function assertSideBySide(date: Drawn, entry: Drawn, what: string): void {
  assert.equal(date.page, entry.page, `${what}: "${date.text}" is on page ${date.page}, "${entry.text}" on page ${entry.page}`);
  // Both start at the row's top; the text is half a point larger.
  assert.ok(Math.abs(date.y - entry.y) < 2, `${what}: "${date.text}" at ${date.y}, "${entry.text}" at ${entry.y}`);
}

const HEADINGS = ['Research interests', 'Positions', 'Education', 'Publications', 'Posters/Presentations', 'Awards', 'Memberships', 'Service', 'Teaching', 'Languages'];

/** A position as the CV view has it, one a year back from 2020 for each index. */
const position = (index: number): CvView['positions'][number] => ({ title: `Position ${index + 1}`, organisation: 'An organisation', place: 'Town', period: `${2020 - index} – ${2021 - index}` });

/** A PhD whose institution and thesis take seven lines. */
const longPhd: CvView['education'][number] = {
  degree: 'PhD in Computer Science',
  institution: 'Università degli Studi dell\'Aquila, Department of Information Engineering, Computer Science and Mathematics',
  place: 'L\'Aquila, Italy',
  date: 'Mar 2016',
  thesis: 'A Self-Adaptive Architecture-Based Approach to the Engineering of Internet-of-Things Systems that Learn from Their Own Runtime Behaviour and Adapt Themselves to Changing Conditions While Preserving Guarantees',
  advisor: 'Prof. Henry Muccini',
};

describe('the CV PDF\'s pages', () => {
  let project: TestProject;
  /** The example's CV PDF input, without publications, with the CV's sections replaced by `cv`'s. */
  let inputWith: (cv: Partial<CvView>) => CvPdfInput;
  before(async () => {
    project = await createTestProject();
    const model = await loadSiteModel({ root: project.root, siteFile: 'content/_data/site.yaml', cvFile: 'content/_data/cv.yaml', bibliography: 'publications.bib' });
    const input: CvPdfInput = { ...cvPdfContent(model.site, model.cv, model.publications), date: model.cvDate, root: project.root };
    const empty: CvView = { updated: 'Nov 2026', interests: ['Computer Systems'], positions: [], education: [], awards: [], memberships: [], service: [], teaching: [], languages: [], sections: [] };
    inputWith = (cv) => ({ ...input, papers: [], presentations: [], cv: { ...empty, ...cv } });
  });
  after(async () => project.remove());

  it('keeps a section heading on the page of its first entry (positions, then a PhD with a long institution and thesis, as in the review)', async () => {
    // The review's CV: 14 positions left room for "Education" at the bottom of page 1, not for the PhD.
    for (let count = 10; count <= 26; count++) {
      const what = `${count} positions`;
      const drawn = await drawnText(await renderCvPdf(inputWith({ positions: Array.from({ length: count }, (_, index) => position(index)), education: [longPhd] })));
      const heading = find(drawn, 'Education');
      const degree = find(drawn, 'PhD in Computer Science');
      assert.equal(heading.page, degree.page, `${what}: "Education" is on page ${heading.page}, the PhD on page ${degree.page}`);
      assertSideBySide(find(drawn, 'Mar 2016'), degree, what);
      assertNoHeadingAlone(drawn, HEADINGS, what);
    }
  });

  it('keeps a date that wraps in the date column with its entry, on one page (29 courses, the last "every spring semester since 2011")', async () => {
    // The review's CV: "every spring" ended page 1, "semester since 2011" and "Course 29" went to page 2, far apart.
    // A row of one line takes 18.3 points, a date of two lines 11 more: the research interests, on
    // one, two and three lines, move the rows by a third of a row, so that some count of courses
    // brings the long date to the bottom of a page in every way it can come there.
    for (const lines of [1, 2, 3]) {
      const interests = Array.from({ length: [1, 6, 10][lines - 1] ?? 1 }, (_, index) => `Research interest ${index + 1}`);
      for (let count = 20; count <= 40; count++) {
        const what = `${count} courses after research interests on ${lines} line(s)`;
        const teaching = Array.from({ length: count }, (_, index) => ({ course: `Course ${index + 1}`, institution: 'NTUA', date: String(2001 + (index % 20)) }));
        teaching[count - 1] = { course: `Course ${count}`, institution: 'NTUA', date: 'every spring semester since 2011' };
        const drawn = await drawnText(await renderCvPdf(inputWith({ interests, teaching })));
        const [top, bottom] = [find(drawn, 'Research interests'), find(drawn, 'Teaching')];
        assert.equal(new Set(drawn.filter((item) => item.page === 1 && item.y < top.y && item.y > bottom.y).map((item) => item.y)).size, lines, what);
        const date = find(drawn, 'every spring');
        const rest = find(drawn, 'semester since 2011');
        const entry = find(drawn, `Course ${count}, NTUA`);
        assert.equal(rest.page, date.page, `${what}: the date is split across pages ${date.page} and ${rest.page}`);
        assert.ok(rest.y < date.y, `${what}: the date's second line is below its first`);
        assertSideBySide(date, entry, what);
        assertNoHeadingAlone(drawn, HEADINGS, what);
        assertNothingOverlaps(drawn, what);
      }
    }
  });

  it('draws an entry taller than a page readably, under its heading, and nothing over anything', async () => {
    const longThesis = { ...longPhd, thesis: `${'A self-adaptive approach that goes on and on. '.repeat(160)}The end.` };
    const longDate = `${'every spring semester '.repeat(170)}since 2011`;
    const cases = [
      { what: 'a thesis longer than a page', degree: longThesis, sideBySide: true },
      { what: 'a date longer than a page', degree: { ...longPhd, date: longDate }, sideBySide: true },
      // The texts then follow the date's end: side by side, each would have to go back a few pages.
      { what: 'both longer than a page', degree: { ...longThesis, date: longDate }, sideBySide: false },
    ];
    for (const { what, degree, sideBySide } of cases) {
      for (const count of [0, 8, 20]) {
        const label = `${what}, after ${count} positions`;
        const education = [degree, { degree: 'MSc in Computer Science', institution: 'University of Athens', date: 'Jun 2010' }];
        const drawn = await drawnText(await renderCvPdf(inputWith({ positions: Array.from({ length: count }, (_, index) => position(index)), education, awards: [{ title: 'Best Paper Award', date: 'May 2022' }] })));
        const date = find(drawn, degree.date.slice(0, 12));
        const first = find(drawn, 'PhD in Computer Science');
        assert.equal(find(drawn, 'Education').page, date.page, `${label}: "Education" is on another page than its first entry`);
        const dateEnd = drawn.filter((item) => item.x < first.x && (item.text.includes('since 2011') || item.text === degree.date)).at(-1);
        assert.ok(dateEnd !== undefined);
        if (sideBySide) assertSideBySide(date, first, label);
        else assert.ok(first.page > dateEnd.page || (first.page === dateEnd.page && first.y < dateEnd.y), `${label}: the texts follow the date`);
        // The next entry comes after all of this one.
        const end = drawn.filter((item) => item.text.includes('The end.') || item.text.includes('Advisor: Prof. Henry Muccini') || item === dateEnd).at(-1);
        const next = find(drawn, 'MSc in Computer Science');
        assert.ok(end !== undefined && (next.page > end.page || (next.page === end.page && next.y < end.y)), `${label}: the next entry is drawn after the long one`);
        assertSideBySide(find(drawn, 'Jun 2010'), next, label);
        assertNoHeadingAlone(drawn, HEADINGS, label);
        assertNothingOverlaps(drawn, label);
      }
    }
  });

  it('names an award\'s awarder, between its title and its detail, as the CV page does', async () => {
    const awards = [
      { title: 'Best Paper Award', date: 'May 2022', awarder: 'IEEE International Conference on Software Architecture (ICSA)', detail: 'For "Self-adaptive ML systems", one of 3 out of 250 papers.' },
      { title: 'ERC Starting Grant', date: '2021', awarder: 'European Research Council' },
      { title: 'Teaching prize', detail: 'For the operating systems course.' },
    ];
    const drawn = await drawnText(await renderCvPdf(inputWith({ awards })));
    const [title, awarder, detail] = ['Best Paper Award', 'IEEE International Conference on Software Architecture (ICSA)', 'For "Self-adaptive ML systems"'].map((text) => find(drawn, text));
    assert.ok(title !== undefined && awarder !== undefined && detail !== undefined);
    assert.ok(title.y > awarder.y && awarder.y > detail.y, 'title, awarder, detail, one below the other');
    assert.equal(awarder.x, title.x);
    assertSideBySide(find(drawn, 'May 2022'), title, 'an award with an awarder');
    assert.ok(find(drawn, 'European Research Council').y < find(drawn, 'ERC Starting Grant').y);
    assert.ok(find(drawn, 'For the operating systems course.').y < find(drawn, 'Teaching prize').y);
  });
});

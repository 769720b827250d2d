import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { generateBibliography } from '../bench/generate-bibliography.ts';
import { MAIN_FONTS } from '../src/cv/font-files.ts';
import { isCandidate, pairwiseLayout, type LayoutFont, type Run } from '../src/cv/pair-layout.ts';
import { makePrebuiltLayout, prebuiltPairs, type PrebuiltLayout } from '../src/cv/prebuilt-layout.ts';
import { LineBook } from '../src/cv/kept-lines.ts';
import { collectContentAsText } from '../src/cv/page-content.ts';
import { renderCvPdf, renderCvPdfKeepingLines, type CvPdfInput } from '../src/cv/pdf.ts';
import { cvPdfContent } from '../src/cv/pdf-glyphs.ts';
import { loadSiteModel } from '../src/site-model.ts';
import { createTestProject, repoRoot, type TestProject } from './helpers/project.ts';

/** What pdfkit reads of a layout: glyph ids and code points, positions, total advance. */
function shown(run: Run): unknown {
  return {
    glyphs: run.glyphs.map((glyph) => [glyph.id, glyph.codePoints]),
    positions: run.positions.map((position) => ({ ...position })),
    advanceWidth: run.advanceWidth,
  };
}

/** Words as pdfkit asks for them (each with its trailing space), from texts a CV prints. */
function words(texts: readonly string[]): string[] {
  return [...new Set(texts.flatMap((text) => text.match(/[^ \t]*[ \t]?/g) ?? []).filter((word) => word !== ''))];
}

/** Words a CV prints, from a generated bibliography's field values. */
const printedWords = (): string[] => words(generateBibliography(400).split('\n').map((line) => line.replace(/^\s*\w+\s*=\s*[{"]?|[}"]?,?\s*$/g, '')));

/** A font as fontkit opens it, with every text its layout is asked for. */
function listenedTo(file: string): { font: LayoutFont; asked: string[] } {
  const font = fontkit.openSync(file) as unknown as LayoutFont;
  const asked: string[] = [];
  const shape = font.layout.bind(font);
  font.layout = (text: string, ...options: unknown[]) => {
    asked.push(text);
    return shape(text, ...options);
  };
  return { font, asked };
}

/** The CV PDF's input for a test project, after writing its bibliography when one is given. */
async function cvPdfInputOf(project: TestProject, bibliography?: string): Promise<CvPdfInput> {
  if (bibliography !== undefined) await project.write('publications.bib', bibliography);
  const model = await loadSiteModel({ root: project.root, siteFile: 'content/_data/site.yaml', cvFile: 'content/_data/cv.yaml', bibliography: 'publications.bib' });
  return { ...cvPdfContent(model.site, model.cv, model.publications), date: model.cvDate, root: project.root };
}

const TRICKY = [
  'AVATAR ', 'WAVE', 'Type', 'LTA', 'Wo', 'T.', 'y,', 'P.', 'Vy', 'office', 'fluffy ', 'ffi', 'fl', '«ab»', '“Quoted”', 'don’t',
  'naïve ', 'Ærø', 'Łukasz', 'Dvořák', 'co\u00adop', 'e\u0301', 'Παπαδόπουλος ', '王小明', 'שלום', '10.1145/3299874.3317983',
  'https://doi.org/10.6658/gen.1', '[4557] ', '101–111, ', '2016', '—', '… ', 'a  b', ' ', '', 'x', 'ABC-DEF/GHI:JKL;MNO',
];

describe('laying out the CV PDF\'s words pair by pair', () => {
  const projects: TestProject[] = [];
  after(async () => Promise.all(projects.map((project) => project.remove())));

  it('gives fontkit\'s glyphs and positions for every word, and asks fontkit whole words only where it must', () => {
    const printed = printedWords();
    for (const [role, file] of Object.entries(MAIN_FONTS)) {
      const reference = fontkit.openSync(file) as unknown as LayoutFont;
      const { font, asked } = listenedTo(file);
      const layout = pairwiseLayout(font);
      for (const word of [...TRICKY, ...printed]) assert.deepEqual(shown(layout(word)), shown(reference.layout(word)), `${role}: ${JSON.stringify(word)}`);
      assert.ok(printed.length > 1000);
      const tricky = new Set(TRICKY);
      const fromBibliography = asked.filter((word) => [...word].length > 2 && !tricky.has(word));
      assert.ok(fromBibliography.length < printed.length / 10, `${role}: ${fromBibliography.length} of ${printed.length} words went to fontkit whole`);
    }
  });

  it('gives the same PDF, byte for byte, as fontkit laying out every word, with or without the prebuilt answers', async () => {
    const project = await createTestProject();
    projects.push(project);
    for (const bibliography of [undefined, generateBibliography(300)]) {
      const input = await cvPdfInputOf(project, bibliography);
      const what = bibliography === undefined ? 'the example' : '300 generated entries';
      const fontkitOnly = await renderCvPdf(input, { pairwiseLayout: false });
      assert.ok((await renderCvPdf(input)).equals(fontkitOnly), `${what}, from the prebuilt answers`);
      assert.ok((await renderCvPdf(input, { prebuiltLayout: false })).equals(fontkitOnly), `${what}, asking fontkit for each character and pair`);
    }
  });

  describe('with fontkit\'s answers asked ahead of time (src/prebuilt/main-font-layout.json)', () => {
    const shipped = async (): Promise<PrebuiltLayout> => JSON.parse(await readFile(path.join(repoRoot, 'src/prebuilt/main-font-layout.json'), 'utf8')) as PrebuiltLayout;

    it('ships what fontkit answers today, for the installed fontkit and fonts (else `npm run prebuilt-font-layout`)', async () => {
      assert.deepEqual(await shipped(), makePrebuiltLayout(), 'src/prebuilt/main-font-layout.json is out of date: run `npm run prebuilt-font-layout`');
    });

    it('lays out every word as fontkit does, asking fontkit only for words it shapes otherwise than glyph by glyph', async () => {
      const record = await shipped();
      const printed = printedWords();
      for (const [role, file] of Object.entries(MAIN_FONTS)) {
        const reference = fontkit.openSync(file) as unknown as LayoutFont;
        const { font, asked } = listenedTo(file);
        const known = prebuiltPairs(file);
        assert.ok(known !== undefined, `${role}: the shipped answers are used`);
        const layout = pairwiseLayout(font, known);
        for (const word of [...TRICKY, ...printed]) assert.deepEqual(shown(layout(word)), shown(reference.layout(word)), `${role}: ${JSON.stringify(word)}`);
        // Only ligatures (ff, fi, fl) and characters outside the table send a word to fontkit.
        const ligatures = Object.entries(record.faces[role as keyof PrebuiltLayout['faces']].kerning).filter(([, adjustment]) => adjustment === null).map(([pair]) => pair);
        assert.deepEqual(ligatures.sort(), ['ff', 'fi', 'fl']);
        const mustAsk = (word: string): boolean => word === '' || !isCandidate(word) || ligatures.some((pair) => word.includes(pair));
        assert.deepEqual(asked.filter((word) => !mustAsk(word)), [], `${role}: words fontkit was asked about although the table knows them`);
        assert.ok(asked.length < printed.length / 10, `${role}: ${asked.length} of ${printed.length} words went to fontkit`);
      }
    });

    it('is what the CV PDF starts from: fontkit is asked only about words with a ligature or a character outside the table', async () => {
      const project = await createTestProject();
      projects.push(project);
      const input = await cvPdfInputOf(project);
      // Every layout fontkit does for pdfkit, whichever font object pdfkit opened.
      const prototype = Object.getPrototypeOf(fontkit.openSync(MAIN_FONTS.regular)) as LayoutFont;
      const layout = Object.getOwnPropertyDescriptor(prototype, 'layout');
      const asked: string[] = [];
      const askedFor = async (options: { prebuiltLayout?: boolean }): Promise<string[]> => {
        asked.length = 0;
        const shape = prototype.layout;
        prototype.layout = function (this: LayoutFont, text: string, ...rest: unknown[]) {
          asked.push(text);
          return shape.call(this, text, ...rest);
        };
        try {
          await renderCvPdf(input, options);
        } finally {
          if (layout !== undefined) Object.defineProperty(prototype, 'layout', layout);
        }
        return [...asked];
      };
      const withTable = await askedFor({});
      assert.deepEqual(withTable.filter((text) => isCandidate(text) && !/ff|fi|fl/.test(text)), [], 'texts fontkit was asked about although the table knows them');
      assert.ok(withTable.length > 0 && withTable.length < 10, `${withTable.length} texts: ${withTable.join(' | ')}`);
      const without = await askedFor({ prebuiltLayout: false });
      assert.ok(without.length > 500, `without the table, fontkit is asked about each character and pair (${without.length} texts)`);
    });

    it('is used only for the very font file, fontkit and pair-layout.ts it was made with', async () => {
      const record = await shipped();
      assert.ok(prebuiltPairs(MAIN_FONTS.regular, record) !== undefined);
      assert.match(record.shaping, /^(\S+@\S+ )*fontkit@\d+\.\d+\.\d+ (\S+@\S+ )*restructure@\S+ (\S+@\S+ )*unicode-properties@\S+/, 'fontkit and the packages it uses');
      assert.equal(prebuiltPairs(MAIN_FONTS.regular, { ...record, shaping: record.shaping.replace(/fontkit@\S+/, 'fontkit@0.0.1') }), undefined, 'another fontkit');
      assert.equal(prebuiltPairs(MAIN_FONTS.regular, { ...record, shaping: record.shaping.replace(/restructure@\S+/, 'restructure@0.0.1') }), undefined, 'another version of a package fontkit uses');
      assert.equal(prebuiltPairs(MAIN_FONTS.regular, { ...record, layout: 'f'.repeat(64) }), undefined, 'another pair-layout.ts or prebuilt-layout.ts');
      const folder = await mkdtemp(path.join(tmpdir(), 'font-'));
      try {
        const copy = path.join(folder, 'DejaVuSans.ttf');
        await copyFile(MAIN_FONTS.regular, copy);
        assert.ok(prebuiltPairs(copy, record) !== undefined, 'a copy of the same bytes, anywhere');
        const bytes = await readFile(copy);
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
        await writeFile(copy, bytes);
        assert.equal(prebuiltPairs(copy, record), undefined, 'a font file changed in one byte');
        assert.equal(prebuiltPairs(path.join(folder, 'missing.ttf'), record), undefined, 'a missing file');
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
      const { regular } = record.faces;
      const { AV: _removed, ...withoutAV } = regular.kerning;
      for (const damaged of [
        null,
        [],
        { ...record, faces: { regular, bold: regular } },
        { ...record, faces: { ...record.faces, regular: { ...regular, kerning: withoutAV } } },
        { ...record, faces: { ...record.faces, regular: { ...regular, kerning: { ...regular.kerning, AV: -1 } } } },
        { ...record, faces: { ...record.faces, regular: { ...regular, glyphs: { ...regular.glyphs, A: [36, '1401'] } } } },
        { ...record, faces: { ...record.faces, regular: { ...regular, glyphs: { ...regular.glyphs, AB: [36, 1401] } } } },
        { ...record, faces: { ...record.faces, regular: { ...regular, glyphs: { ...regular.glyphs, '\u0301': [36, 1401] } } } },
        { ...record, faces: { ...record.faces, regular: { ...regular, kerning: { ...regular.kerning, AV: '-1' } } } },
        { ...record, faces: { ...record.faces, regular: { ...regular, kerning: { ...regular.kerning, AVA: -1 } } } },
        { ...record, faces: { ...record.faces, regular: { ...regular, checksum: 0 } } },
      ]) {
        assert.equal(prebuiltPairs(MAIN_FONTS.regular, damaged), undefined, JSON.stringify(damaged)?.slice(0, 200));
      }
    });
  });
});

describe('drawing the CV PDF\'s texts from the lines of the PDF before (src/cv/kept-lines.ts)', () => {
  let project: TestProject;
  before(async () => {
    project = await createTestProject();
  });
  after(async () => project.remove());

  const inputFor = (bibliography?: string): Promise<CvPdfInput> => cvPdfInputOf(project, bibliography);

  it('gives the same PDF, byte for byte, as pdfkit\'s line breaker, breaking no text it has the lines of', async () => {
    for (const [what, bibliography] of [['the example', undefined], ['300 generated entries', generateBibliography(300)]] as const) {
      const input = await inputFor(bibliography);
      const broken = await renderCvPdf(input);
      const first = new LineBook();
      assert.ok((await renderCvPdf(input, { lines: first })).equals(broken), `${what}: keeping the lines changes nothing`);
      const second = new LineBook(first.used());
      assert.ok((await renderCvPdf(input, { lines: second })).equals(broken), `${what}: drawn from the kept lines`);
      assert.ok(first.counts.broken > 20, `${what}: ${first.counts.broken} texts drawn by the breaker`);
      // Each row is measured before it is drawn: drawn from the lines its measuring made.
      assert.ok(first.counts.measured > 20 && first.counts.kept >= first.counts.measured, `${what}: ${JSON.stringify(first.counts)}`);
      assert.deepEqual(second.counts, { kept: first.counts.kept + first.counts.broken, broken: 0, measured: 0 }, what);
    }
  });

  it('after one edited entry, breaks only that entry\'s texts again, and the rows below move as they should', async () => {
    const bibliography = generateBibliography(300);
    const before = new LineBook();
    await renderCvPdf(await inputFor(bibliography), { lines: before });
    // A title three times as long: its row grows by lines, and every row after it moves down.
    const edited = bibliography.replace(/(title = \{)([^}]*)\}/, (_match, start: string, title: string) => `${start}${title} ${title} ${title}}`);
    assert.notEqual(edited, bibliography);
    const input = await inputFor(edited);
    const after = new LineBook(before.used());
    assert.ok((await renderCvPdf(input, { lines: after })).equals(await renderCvPdf(input)));
    // The entry's title, and the venue of entries that take it by crossref.
    const again = after.counts.broken + after.counts.measured;
    assert.ok(again >= 1 && again <= 10, `${again} texts broken again`);
    assert.ok(after.counts.kept > 100 * again, `${after.counts.kept} drawn from kept lines`);
  });

  it('leaves to the line breaker a text with a line break of its own, one broken at a soft hyphen, and one that runs onto the next page', async () => {
    const input = await inputFor(generateBibliography(40));
    const long = 'Super\u00adcali\u00adfragi\u00adlistic\u00adexpi\u00adali\u00addocious '.repeat(12);
    const [paper, ...others] = input.papers;
    assert.ok(paper !== undefined);
    const tricky = {
      ...input,
      papers: [{ ...paper, title: long }, ...others],
      cv: { ...input.cv, interests: ['first line\nsecond line', ...input.cv.interests], sections: [...input.cv.sections, { title: 'Longer than a page', id: 'longer', html: '', text: 'Words that go on. '.repeat(900) }] },
    };
    const first = new LineBook();
    const broken = await renderCvPdf(tricky);
    assert.ok((await renderCvPdf(tricky, { lines: first })).equals(broken));
    const second = new LineBook(first.used());
    assert.ok((await renderCvPdf(tricky, { lines: second })).equals(broken));
    assert.ok(second.counts.broken >= 2, 'the soft-hyphenated title and the text longer than a page are broken again');
  });

  it('keeps the lines in the project\'s cache from one PDF to the next, and ignores a damaged file', async () => {
    const input = await inputFor(generateBibliography(60));
    const expected = await renderCvPdf(input);
    const folder = path.join(project.root, '.cache', 'academic-homepage', 'cv-lines');
    await rm(folder, { recursive: true, force: true });
    assert.ok((await renderCvPdfKeepingLines(input)).equals(expected));
    const files = (await readdir(folder, { recursive: true })).map(String).filter((file) => file.endsWith('.json'));
    assert.equal(files.length, 1);
    assert.ok((await renderCvPdfKeepingLines(input)).equals(expected));
    const file = path.join(folder, files[0] ?? '');
    const text = await readFile(file, 'utf8');
    // Every kept line one character longer: drawn from it, the PDF would differ.
    await writeFile(file, text.replace(/\[\[(\d+),/g, (_match, length: string) => `[[${Number(length) + 1},`));
    assert.ok((await renderCvPdfKeepingLines(input)).equals(expected));
  });
});

describe('handing pdfkit each page\'s content as one chunk (src/cv/page-content.ts)', () => {
  let project: TestProject;
  before(async () => {
    project = await createTestProject();
  });
  after(async () => project.remove());

  const inputFor = (bibliography?: string): Promise<CvPdfInput> => cvPdfInputOf(project, bibliography);

  /** How many chunks each of pdfkit's objects (its PDFReference) is given while `work` runs, by object. */
  const chunksWhile = async (work: () => Promise<unknown>): Promise<number[]> => {
    const reference = Object.getPrototypeOf(new PDFDocument().page.content) as { write(this: object, chunk: unknown): void };
    const write = reference.write;
    const chunks = new Map<object, number>();
    reference.write = function (this: object, chunk: unknown) {
      chunks.set(this, (chunks.get(this) ?? 0) + 1);
      write.call(this, chunk);
    };
    try {
      await work();
    } finally {
      reference.write = write;
    }
    return [...chunks.values()];
  };

  it('gives the same PDF, byte for byte, as pdfkit given every operator on its own', async () => {
    for (const [what, bibliography] of [['the example', undefined], ['300 generated entries', generateBibliography(300)]] as const) {
      const input = await inputFor(bibliography);
      assert.ok((await renderCvPdf(input)).equals(await renderCvPdf(input, { contentAsText: false })), what);
    }
  });

  it('gives the same bytes as pdfkit for any text, bytes among the text, and pages that flow onto new ones', async () => {
    const draw = async (asText: boolean): Promise<Buffer> => {
      const doc = new PDFDocument({ bufferPages: true, info: { CreationDate: new Date(0) } });
      if (asText) collectContentAsText(doc);
      const chunks: Buffer[] = [];
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
      doc.addContent('% Ł ř “quoted” 王 \ud800 é').addContent('');
      doc.page.write(Buffer.from([0x25, 0xff, 0x0a]));
      doc.addContent('% after the bytes');
      doc.text('Words that go on. '.repeat(400), { link: 'https://example.org/' });
      doc.switchToPage(0);
      doc.addContent('% written to the first page at the end');
      doc.end();
      return done;
    };
    const pdfkit = await draw(false);
    assert.ok((pdfkit.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0) > 1, 'the text runs onto more pages');
    assert.ok((await draw(true)).equals(pdfkit));
  });

  it('gives each page\'s content stream its text as one chunk, where pdfkit makes one per operator', async () => {
    const input = await inputFor(generateBibliography(300));
    const pages = (await renderCvPdf(input)).toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
    assert.ok(pages > 20, `${pages} pages`);
    // Two for a page: the transform pdfkit writes as it makes the page, and the rest.
    const collected = await chunksWhile(() => renderCvPdf(input));
    assert.ok(Math.max(...collected) <= 2, `at most two chunks per object, not ${Math.max(...collected)}`);
    assert.ok(collected.filter((count) => count === 2).length >= pages, 'every page\'s stream');
    const operators = await chunksWhile(() => renderCvPdf(input, { contentAsText: false }));
    assert.ok(operators.filter((count) => count > 100).length >= pages - 1, 'without: a full page\'s stream takes hundreds');
  });
});

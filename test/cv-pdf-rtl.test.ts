import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import PDFDocument from 'pdfkit';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { drawLinesInVisualOrder, visualPieces, type LineLayoutFont } from '../src/cv/bidi.ts';
import { MAIN_FONTS } from '../src/cv/font-files.ts';
import { renderCvPdf } from '../src/cv/pdf.ts';
import { cvPdfContent } from '../src/cv/pdf-glyphs.ts';
import { PdfFonts } from '../src/cv/pdf-fonts.ts';
import { loadSiteModel } from '../src/site-model.ts';
import { createTestProject, repoRoot, type TestProject } from './helpers/project.ts';

/**
 * The lines a PDF draws, top to bottom, each as the text of its glyphs from left to right (what
 * the page shows, not what a viewer makes of it): read from the content stream by pdf.js, which
 * maps each glyph back to its characters through the font's ToUnicode map. A glyph no font has
 * (.notdef) reads as "□".
 */
async function drawnLines(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false }).promise;
  const lines: string[] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    const { fnArray, argsArray } = await page.getOperatorList();
    // pdfkit starts every fragment (one font, one line) with a text matrix at its left end.
    const fragments: Array<{ x: number; y: number; text: string }> = [];
    let at = { x: 0, y: 0 };
    fnArray.forEach((fn, index) => {
      const args = argsArray[index] as unknown[];
      if (fn === OPS.setTextMatrix) {
        const matrix = args[0] as ArrayLike<number>;
        at = { x: matrix[4] ?? 0, y: Math.round(matrix[5] ?? 0) };
      } else if (fn === OPS.showText) {
        const glyphs = (args[0] as Array<number | { unicode: string }>).filter((glyph) => typeof glyph !== 'number');
        fragments.push({ ...at, text: glyphs.map((glyph) => (glyph.unicode === '\u0000' || glyph.unicode === '' ? '□' : glyph.unicode)).join('') });
      }
    });
    const rows = [...new Set(fragments.map((fragment) => fragment.y))].sort((a, b) => b - a);
    for (const y of rows) lines.push(fragments.filter((fragment) => fragment.y === y).sort((a, b) => a.x - b.x).map((fragment) => fragment.text).join(''));
  }
  await doc.destroy();
  return lines;
}

/** Right-to-left text as the page shows it from left to right: its characters reversed (the test's words have no ligatures). */
const shown = (text: string): string => [...text].reverse().join('');

/** A project folder whose content/fonts/ holds the Chinese test font, as an owner would add it. */
async function folderWithChineseFont(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'cv-pdf-rtl-'));
  await mkdir(path.join(root, 'content/fonts'), { recursive: true });
  for (const weight of ['Regular', 'Bold']) {
    await copyFile(path.join(repoRoot, `test/fixtures/fonts/NotoSansSC-${weight}.subset.ttf`), path.join(root, `content/fonts/NotoSansSC-${weight}.ttf`));
  }
  return root;
}

/**
 * Draws texts as renderCvPdf's write() does (src/cv/pdf.ts): in the runs PdfFonts makes, each in
 * its font, continued one after the other, each font drawing its lines in visual order.
 */
function drawAsTheCv(root: string, texts: ReadonlyArray<{ text: string; width: number }>): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', compress: false });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const fonts = new PdfFonts(root);
  doc.fontSize(10.5);
  // Every run sits on the main font's baseline, as in the CV.
  const baseline = -(fonts.mainAscender('regular') / 1000) * 10.5;
  for (const { text, width } of texts) {
    const runs = fonts.runs(text, 'regular');
    runs.forEach((run, index) => {
      doc.font(run.font);
      drawLinesInVisualOrder((doc as unknown as { _font: LineLayoutFont })._font);
      const options = { width, baseline, continued: index < runs.length - 1 };
      if (index === 0) doc.text(run.text, 56, doc.y, options);
      else doc.text(run.text, options);
    });
    doc.moveDown();
  }
  doc.end();
  return done;
}

describe('right-to-left text in the CV PDF', () => {
  let root: string;
  before(async () => {
    root = await folderWithChineseFont();
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('draws the words of an Arabic or Hebrew phrase from right to left, with one space between them', async () => {
    const phrases = ['أستاذ مساعد', 'אוניברסיטת תל אביב', 'ثول، المملكة العربية السعودية', 'كلية علوم الحاسب والمعلومات'];
    const lines = await drawnLines(await drawAsTheCv(root, phrases.map((text) => ({ text, width: 480 }))));
    assert.deepEqual(lines, phrases.map(shown));
  });

  it('places numbers and punctuation as the Unicode Bidirectional Algorithm does, in a left-to-right line', async () => {
    const texts = {
      'جامعة 2005': `2005 ${shown('جامعة')}`,
      'Professor, جامعة الملك سعود, Riyadh': `Professor, ${shown('جامعة الملك سعود')}, Riyadh`,
      'Thesis: محمد علي, and עברית.': `Thesis: ${shown('محمد علي')}, and ${shown('עברית')}.`,
      'אוניברסיטת תל אביב 2005-2010 (Israel)': `2005-2010 ${shown('אוניברסיטת תל אביב')} (Israel)`,
      'جامعة (الملك سعود)': shown('جامعة )الملك سعود('),
    };
    const lines = await drawnLines(await drawAsTheCv(root, Object.keys(texts).map((text) => ({ text, width: 480 }))));
    assert.deepEqual(lines, Object.values(texts));
  });

  it('breaks a long right-to-left phrase into lines in reading order: its first words on the first line, each line right to left', async () => {
    const words = ['كلية', 'علوم', 'الحاسب', 'والمعلومات', 'جامعة', 'الملك', 'سعود', 'الرياض', 'المملكة', 'العربية', 'السعودية', 'قسم', 'هندسة', 'البرمجيات'];
    const phrase = words.join(' ');
    for (const text of [phrase, `Thesis: ${phrase}, Riyadh`]) {
      const lines = await drawnLines(await drawAsTheCv(root, [{ text, width: 150 }]));
      assert.ok(lines.length >= 3, `${text}: ${lines.length} lines`);
      // Each line read from right to left (its right-to-left part) gives the next words of the phrase.
      const read = lines.map((line) => line.replace(/^Thesis: /, '').replace(/, Riyadh$/, '')).map((line) => shown(line).trim());
      assert.equal(read.join(' '), phrase, text);
      for (const line of lines) assert.ok(!line.startsWith(' '), `${JSON.stringify(line)}: the space at a line's end stays at its right end`);
      assert.ok(lines[0]?.startsWith(text === phrase ? '' : 'Thesis: '));
    }
  });

  it('gives spaces and punctuation next to right-to-left text only to a font that draws them', async () => {
    const main = MAIN_FONTS;
    const fonts = new PdfFonts(root);
    const chinese = path.join(root, 'content/fonts/NotoSansSC-Regular.ttf');
    assert.deepEqual(fonts.runs('العربية · 中文', 'regular'), [
      { font: main.regular, text: 'العربية' },
      { font: main.regular, text: ' · ' },
      { font: chinese, text: '中文' },
    ]);
    assert.deepEqual(fonts.runs('العربية 中文', 'regular'), [{ font: main.regular, text: 'العربية' }, { font: chinese, text: ' 中文' }], 'the Chinese font has a space: it takes it');
    assert.deepEqual(fonts.missing(), []);
    const lines = await drawnLines(await drawAsTheCv(root, [{ text: 'العربية · 中文', width: 480 }]));
    assert.deepEqual(lines, [`${shown('العربية')} · 中文`]);
  });

  it('lays out a line without right-to-left text as pdfkit does', () => {
    for (const text of ['Professor, King Saud University', ' 2005 ', '', 'x ١٢ y']) assert.deepEqual(visualPieces(text), [text]);
  });
});

describe('right-to-left text in the built CV PDF', () => {
  let project: TestProject;
  before(async () => {
    project = await createTestProject();
    for (const weight of ['Regular', 'Bold']) {
      await project.write(`content/fonts/NotoSansSC-${weight}.ttf`, await readFile(path.join(repoRoot, `test/fixtures/fonts/NotoSansSC-${weight}.subset.ttf`)));
    }
    const cv = await project.read('content/_data/cv.yaml');
    await project.write('content/_data/cv.yaml', cv
      .replace('  - title: Researcher\n    organisation: OnApp Limited\n    place: Cambridge, UK\n', '  - title: "أستاذ مساعد"\n    organisation: "Professor, جامعة الملك سعود"\n    place: "ثول، المملكة العربية السعودية"\n')
      .replace(/^languages: \[\].*$/m, 'languages:\n  - { language: العربية }\n  - { language: 中文 }'));
  });
  after(() => project.remove());

  const built = async (): Promise<string[]> => {
    const model = await loadSiteModel({ root: project.root, siteFile: 'content/_data/site.yaml', cvFile: 'content/_data/cv.yaml', bibliography: 'publications.bib' });
    return drawnLines(await renderCvPdf({ ...cvPdfContent(model.site, model.cv, model.publications), date: model.cvDate, root: project.root }));
  };

  it('draws the punctuation between Arabic and Chinese languages, in a font that has it', async () => {
    const lines = await built();
    assert.ok(lines.includes(`${shown('العربية')} · 中文`), lines.join('\n'));
    assert.ok(!lines.some((line) => line.includes('□')), 'no glyph is missing');
  });

  // renderCvPdf must hand each font it uses to drawLinesInVisualOrder (see bidi.ts) for this.
  it('draws a position in Arabic from right to left', async () => {
    const lines = await built();
    // The title shares its line with the date column.
    assert.ok(lines.some((line) => line.endsWith(` – present${shown('أستاذ مساعد')}`)), lines.join('\n'));
    // The comma between two right-to-left names is right to left too, as in a browser.
    assert.ok(lines.includes(`Professor, ${shown('جامعة الملك سعود, ثول، المملكة العربية السعودية')}`), lines.join('\n'));
  });
});

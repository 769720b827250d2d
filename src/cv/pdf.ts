import PDFDocument from 'pdfkit';
import { drawLinesInVisualOrder, type LineLayoutFont } from './bidi.ts';
import type { Site } from '../site/schema.ts';
import type { CvView } from '../view/cv.ts';
import { creditLine, type PublicationView } from '../view/publication-list.ts';
import { DiskCache, hashOf } from '../cache.ts';
import { fallbackFontFingerprint, MAIN_FONTS, type FontRole } from './font-files.ts';
import { LineBook, type KeptLines } from './kept-lines.ts';
import { cvVenueLine, cvYear } from './pdf-glyphs.ts';
import { pairwiseLayout, type LayoutFont } from './pair-layout.ts';
import { collectContentAsText } from './page-content.ts';
import { PdfFonts } from './pdf-fonts.ts';
import { prebuiltPairs } from './prebuilt-layout.ts';

export interface CvPdfInput {
  site: Site;
  cv: CvView;
  papers: readonly PublicationView[];
  presentations: readonly PublicationView[];
  /** Written into the PDF's metadata instead of the current time, so builds are reproducible. */
  date: Date;
  /** Printed only when the owner chose to (`email_in_downloads` in site.yaml). */
  email?: string;
  /** The project folder, where fonts for other scripts are found (see pdf-fonts.ts). */
  root: string;
}

const PAGE_MARGIN = 56;
const ACCENT = '#1d5b8f';
const MUTED = '#555555';
const DATE_COLUMN = 118;
/** The width of the date column's text, and the font sizes of a dated row's two columns. */
const DATE_WIDTH = DATE_COLUMN - 10;
const DATE_SIZE = 10;
const TEXT_SIZE = 10.5;

/** A row of the CV's dated sections: a date on the left, texts below one another on the right. */
interface Row {
  date: string;
  lines: Array<{ text: string; font?: FontRole; link?: string }>;
}

/** The heights of a row's two columns, as pdfkit's line breaker lays them out. */
interface RowSize {
  date: number;
  text: number;
}

export interface RenderOptions {
  /** Lay out words in the main font pair by pair (src/cv/pair-layout.ts); false asks fontkit for every word. */
  pairwiseLayout?: boolean;
  /** Start from fontkit's answers asked ahead of time (src/cv/prebuilt-layout.ts); false asks fontkit for each character and pair. */
  prebuiltLayout?: boolean;
  /** Draw wrapped texts from the lines of an earlier PDF, and keep this one's (src/cv/kept-lines.ts). */
  lines?: LineBook;
  /** Keep each page's content as text until the page is written (src/cv/page-content.ts); false leaves it to pdfkit. */
  contentAsText?: boolean;
}

/** Renders the CV as an A4 PDF with selectable text, links, the owner's name and page numbers on every page. */
export function renderCvPdf(input: CvPdfInput, options: RenderOptions = {}): Promise<Buffer> {
  const { site, cv } = input;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE_MARGIN + 14, bottom: PAGE_MARGIN, left: PAGE_MARGIN, right: PAGE_MARGIN },
    bufferPages: true,
    autoFirstPage: true,
    lang: site.language,
    displayTitle: true,
    info: {
      Title: `${site.name}: Curriculum Vitae`,
      Author: site.name,
      Subject: 'Curriculum Vitae',
      Creator: 'academic-homepage',
      Producer: 'academic-homepage',
      CreationDate: input.date,
      ModDate: input.date,
    },
  });
  if (options.contentAsText !== false) collectContentAsText(doc);
  // Every string is drawn in runs: the main font where it has the glyphs, a fallback font elsewhere.
  const fonts = new PdfFonts(input.root);
  // The main font's words are laid out pair by pair: the same result as fontkit's, three times
  // faster, and from answers fontkit gave ahead of time for the shipped fonts.
  const mainFonts = new Set<string>(Object.values(MAIN_FONTS));
  const pairwise = new WeakSet<LayoutFont>();
  const useFont = (file: string): void => {
    doc.font(file);
    const embedded = (doc as unknown as { _font?: LineLayoutFont & { font?: LayoutFont } })._font;
    // pdfkit has no bidi: each font draws its lines with right-to-left words in their order (bidi.ts).
    if (embedded !== undefined) drawLinesInVisualOrder(embedded);
    const font = embedded?.font;
    if (options.pairwiseLayout === false || !mainFonts.has(file) || font === undefined || pairwise.has(font)) return;
    font.layout = pairwiseLayout(font, options.prebuiltLayout === false ? undefined : prebuiltPairs(file));
    pairwise.add(font);
  };
  type TextOptions = PDFKit.Mixins.TextOptions;
  const book = options.lines;
  const write = (value: string, role: FontRole, options: TextOptions = {}, at?: { x: number; y: number }): void => {
    const runs = fonts.runs(value, role);
    const [only] = runs;
    // A wrapped text in one font: through the line book, which may have its lines already.
    if (book !== undefined && runs.length === 1 && only !== undefined && at !== undefined && options.width !== undefined && options.lineBreak !== false) {
      useFont(only.font);
      const fontSize = (doc as unknown as { _fontSize: number })._fontSize;
      book.text(doc, only.font, only.text, at, { ...options, width: options.width, baseline: -(fonts.mainAscender(role) / 1000) * fontSize, continued: false });
      return;
    }
    if (runs.length === 0 && at !== undefined) {
      doc.x = at.x;
      doc.y = at.y;
    }
    // Every run sits on the main font's baseline, so a fallback font with a taller ascent lines up.
    const fontSize = (doc as unknown as { _fontSize: number })._fontSize;
    const baseline = -(fonts.mainAscender(role) / 1000) * fontSize;
    runs.forEach((run, index) => {
      useFont(run.font);
      const runOptions = { ...options, baseline, continued: index < runs.length - 1 };
      if (index === 0 && at !== undefined) doc.text(run.text, at.x, at.y, runOptions);
      else doc.text(run.text, runOptions);
    });
  };

  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - PAGE_MARGIN * 2;

  doc.fontSize(22).fillColor('#000');
  write(site.name, 'bold');
  doc.fontSize(11).fillColor(MUTED);
  write([site.title, site.affiliation].filter(Boolean).join(', '), 'regular');
  const contact = [input.email, site.phone === undefined ? undefined : `Tel. ${site.phone}`, site.address?.join(', ')].filter(Boolean).join('  ·  ');
  if (contact !== '') write(contact, 'regular');
  for (const profile of site.profiles) {
    doc.fillColor(ACCENT);
    write(`${profile.label}: ${profile.url}`, 'regular', { link: profile.url, underline: false });
  }
  if (cv.updated !== undefined) {
    doc.fillColor(MUTED).fontSize(9);
    write(`Updated ${cv.updated}`, 'regular');
  }

  const bottomLimit = (): number => doc.page.height - doc.page.margins.bottom;
  /** The room for text on a page of its own, below the running head. */
  const pageRoom = (): number => bottomLimit() - doc.page.margins.top;
  const lineGap = (): number => (doc as unknown as { _lineGap?: number })._lineGap ?? 0;
  /**
   * Whether what needs `height` must start a new page: it does not fit below, and would on a new
   * page (else a new page would only leave a gap).
   */
  const needsNewPage = (height: number): boolean => doc.y + height > bottomLimit() && height <= pageRoom();
  /** The space moveDown(1.2) leaves above a heading, in the font and size of the text before it. */
  const spaceAboveHeading = (): number => doc.currentLineHeight(true) * 1.2 + lineGap();
  /** A heading's height, with the space above and below it. */
  const headingHeight = (title: string, above: number): number => {
    useFont(fonts.measuringFont(title, 'bold'));
    doc.fontSize(13);
    return above + doc.heightOfString(title, { width }) + doc.currentLineHeight(true) * 0.5 + lineGap();
  };
  /**
   * A section's heading. `keep` is the height of what must follow it on its page (its first row):
   * a heading never stands alone at the bottom of a page. A section of running text has none: it
   * flows from page to page, and 90 points leave room for its first lines. `above` is the space
   * above the heading, when it was taken before the first row was measured (measuring changes the font).
   */
  const heading = (title: string, next: { above?: number; keep?: number } = {}): void => {
    const above = next.above ?? spaceAboveHeading();
    if (doc.y > bottomLimit() - 90 || (next.keep !== undefined && needsNewPage(headingHeight(title, above) + next.keep))) doc.addPage();
    doc.y += above;
    doc.fontSize(13).fillColor(ACCENT);
    write(title, 'bold');
    const y = doc.y + 2;
    doc.moveTo(PAGE_MARGIN, y).lineTo(PAGE_MARGIN + width, y).lineWidth(0.6).strokeColor(ACCENT).stroke();
    doc.moveDown(0.5).fillColor('#000');
  };

  /** The height pdfkit's line breaker gives a text in a column: counted from its kept lines when the book has them. */
  const heightIn = (text: string, role: FontRole, size: number, column: number): number => {
    const font = fonts.measuringFont(text, role);
    useFont(font);
    doc.fontSize(size);
    return book?.heightOf(doc, font, text, column) ?? doc.heightOfString(text, { width: column });
  };
  /** The height of one line of a text, as its measuring font sets it. */
  const lineHeightOf = (text: string, role: FontRole, size: number): number => {
    useFont(fonts.measuringFont(text, role));
    doc.fontSize(size);
    return doc.currentLineHeight(true) + lineGap();
  };
  /**
   * The date column's height. Nearly every date is narrower than its column, and so one line:
   * its width says so without pdfkit's line breaker, which then breaks it only to draw it. The
   * breaker adds up the widths of the words between break opportunities, which differ from the
   * whole date's width by the kerning across a dash or hyphen, well under the margin kept here.
   * Any other date is measured by the breaker, which keeps its lines for drawing.
   */
  const dateHeight = (date: string): number => {
    if (date === '') return 0;
    useFont(fonts.measuringFont(date, 'regular'));
    doc.fontSize(DATE_SIZE);
    if (!/[\n\r\v\f\u0085\u2028\u2029]/.test(date) && doc.widthOfString(date) <= DATE_WIDTH - 2) return doc.currentLineHeight(true) + lineGap();
    return heightIn(date, 'regular', DATE_SIZE, DATE_WIDTH);
  };
  /** A row's two columns' heights: the date's (it may wrap too) and its texts'. */
  const measureRow = (row: Row): RowSize => ({
    date: dateHeight(row.date),
    text: row.lines.reduce((sum, line) => sum + heightIn(line.text, line.font ?? 'regular', TEXT_SIZE, width - DATE_COLUMN), 0),
  });
  /**
   * How much of a row must be on the page where it starts: all of it, when it fits on a page;
   * else its shorter column and the first line of the longer, which runs on over the next pages
   * (the first line of each, when both columns are longer than a page).
   */
  const startHeight = (row: Row, size: RowSize): number => {
    const tallest = Math.max(size.date, size.text);
    if (tallest <= pageRoom()) return tallest;
    const [first] = row.lines;
    const firstLines = Math.max(row.date === '' ? 0 : lineHeightOf(row.date, 'regular', DATE_SIZE), first === undefined ? 0 : lineHeightOf(first.text, first.font ?? 'regular', TEXT_SIZE));
    const shortest = Math.min(size.date, size.text);
    return shortest <= pageRoom() ? Math.max(shortest, firstLines) : firstLines;
  };

  const drawDate = (date: string, top: number): void => {
    doc.fontSize(DATE_SIZE).fillColor(MUTED);
    write(date, 'regular', { width: DATE_WIDTH }, { x: PAGE_MARGIN, y: top });
  };
  const drawTexts = (lines: Row['lines'], top: number): void => {
    doc.y = top;
    for (const line of lines) {
      doc.fontSize(TEXT_SIZE).fillColor(line.link === undefined ? '#000' : ACCENT);
      write(line.text, line.font ?? 'regular', { width: width - DATE_COLUMN, ...(line.link === undefined ? {} : { link: line.link }) }, { x: PAGE_MARGIN + DATE_COLUMN, y: doc.y });
    }
  };

  /**
   * A row with a date on the left and texts on the right, as measured (measureRow). A row that
   * fits on a page is kept on one: as tall as its taller column, it starts a new page when it
   * would not fit, so that pdfkit never breaks a page inside either column.
   */
  const dated = (row: Row, size: RowSize): void => {
    const tallest = Math.max(size.date, size.text);
    if (tallest <= pageRoom()) {
      if (doc.y + tallest > bottomLimit()) doc.addPage();
      const top = doc.y;
      drawDate(row.date, top);
      const afterDate = doc.y;
      drawTexts(row.lines, top);
      doc.y = Math.max(doc.y, afterDate);
    } else {
      longRow(row, size);
    }
    doc.x = PAGE_MARGIN;
    doc.moveDown(0.5);
  };
  /**
   * A row taller than a page. pdfkit continues a text on a page it adds at the end, so both
   * columns start on the current page: the shorter one first, all on this page, then the longer,
   * which runs on over new pages. Both longer than a page: the texts follow the date's end.
   */
  const longRow = (row: Row, size: RowSize): void => {
    if (needsNewPage(startHeight(row, size))) doc.addPage();
    const top = doc.y;
    const page = doc.page;
    if (Math.min(size.date, size.text) > pageRoom()) {
      drawDate(row.date, top);
      drawTexts(row.lines, doc.y);
      return;
    }
    const dateFirst = size.date <= size.text;
    if (dateFirst) drawDate(row.date, top);
    else drawTexts(row.lines, top);
    const afterFirst = doc.y;
    if (dateFirst) drawTexts(row.lines, top);
    else drawDate(row.date, top);
    if (doc.page === page) doc.y = Math.max(doc.y, afterFirst);
  };
  /** A heading and its rows; the heading is kept on the page of the first row. */
  const datedSection = (title: string, rows: readonly Row[]): void => {
    const [first] = rows;
    if (first === undefined) return;
    const above = spaceAboveHeading();
    const firstSize = measureRow(first);
    heading(title, { above, keep: startHeight(first, firstSize) });
    rows.forEach((row, index) => dated(row, index === 0 ? firstSize : measureRow(row)));
  };

  if (cv.interests.length > 0) {
    heading('Research interests');
    doc.fontSize(TEXT_SIZE);
    write(cv.interests.join(' · '), 'regular', { width }, { x: PAGE_MARGIN, y: doc.y });
  }
  datedSection('Positions', cv.positions.map((position) => ({
    date: position.period,
    lines: [
      { text: position.title, font: 'bold' },
      { text: [position.organisation, position.place].filter(Boolean).join(', ') },
    ],
  })));
  datedSection('Education', cv.education.map((degree) => ({
    date: degree.date,
    lines: [
      { text: degree.degree, font: 'bold' },
      { text: [degree.institution, degree.place].filter(Boolean).join(', ') },
      ...(degree.thesis === undefined ? [] : [{ text: `Thesis: ${degree.thesis}`, font: 'italic' as const }]),
      ...(degree.advisor === undefined ? [] : [{ text: `Advisor: ${degree.advisor}` }]),
    ],
  })));
  for (const [title, list] of [['Publications', input.papers], ['Posters/Presentations', input.presentations]] as const) {
    datedSection(title, list.map((item, index) => {
      // Its DOI's address; arXiv's DOI is shown as the arXiv button it leads to (see links.ts).
      const doi = item.links.find((link) => link.label === 'DOI') ?? (item.doi === undefined ? undefined : item.links.find((link) => link.label === 'arXiv'));
      return {
        date: `[${list.length - index}] ${cvYear(item)}`,
        lines: [
          { text: item.title, font: 'bold' },
          // Marks after names (students, equal contributions) as the pages show them, in line.
          { text: creditLine(item, { marks: true }) },
          // A book has no venue: its publisher stands there, as in the publication list.
          { text: cvVenueLine(item), font: 'italic' },
          ...(doi === undefined ? [] : [{ text: doi.href, link: doi.href }]),
        ],
      };
    }));
  }
  // As the CV page has it: the title, who gave the award, and what for.
  datedSection('Awards', cv.awards.map((award) => ({
    date: award.date ?? '',
    lines: [{ text: award.title, font: 'bold' }, ...[award.awarder, award.detail].filter((text) => text !== undefined).map((text) => ({ text }))],
  })));
  datedSection('Memberships', cv.memberships.map((membership) => ({ date: membership.since === undefined ? '' : `since ${membership.since}`, lines: [{ text: membership.name }] })));
  datedSection('Service', cv.service.map((item) => ({ date: item.date ?? '', lines: [{ text: [item.role, item.organisation].filter(Boolean).join(', ') }] })));
  datedSection('Teaching', cv.teaching.map((item) => ({ date: item.date ?? '', lines: [{ text: `${item.course}${item.role === undefined ? '' : ` (${item.role})`}${item.institution === undefined ? '' : `, ${item.institution}`}` }] })));
  if (cv.languages.length > 0) {
    heading('Languages');
    doc.fontSize(TEXT_SIZE).fillColor('#000');
    write(cv.languages.map((item) => (item.fluency === undefined ? item.language : `${item.language} (${item.fluency})`)).join(' · '), 'regular', { width }, { x: PAGE_MARGIN, y: doc.y });
  }
  for (const section of cv.sections) {
    heading(section.title);
    doc.fontSize(TEXT_SIZE).fillColor('#000');
    write(section.text, 'regular', { width }, { x: PAGE_MARGIN, y: doc.y });
  }

  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(8.5).fillColor(MUTED);
    write(`${site.name} · Curriculum Vitae`, 'regular', { width, align: 'left', lineBreak: false }, { x: PAGE_MARGIN, y: PAGE_MARGIN - 20 });
    write(`Page ${index + 1} of ${range.count}`, 'regular', { width, align: 'right', lineBreak: false }, { x: PAGE_MARGIN, y: doc.page.height - PAGE_MARGIN + 20 });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

const LINES_KIND = 'cv-lines';

/** The cache key of a project's kept lines: they hold for the fonts they were broken with (the main fonts are the engine's). */
function keptLinesKey(root: string): string {
  return hashOf(LINES_KIND, ...fallbackFontFingerprint(root));
}

/** The lines of a project's last CV PDF, as its cache holds them, with where they are kept. */
function keptLinesOf(root: string): { root: string; cache: DiskCache; key: string; lines: KeptLines } {
  const cache = new DiskCache(root);
  const key = keptLinesKey(root);
  return { root, cache, key, lines: cache.getNow<KeptLines>(LINES_KIND, key, LINES_KIND) ?? [] };
}

/** The kept lines a worker read while it waited for the CV (see prepare). */
let prepared: ReturnType<typeof keptLinesOf> | undefined;

/**
 * renderCvPdf, starting from the lines of the project's last CV PDF (kept in its cache) and keeping
 * this one's: after one edited entry, only that entry's texts go through pdfkit's line breaker.
 */
export async function renderCvPdfKeepingLines(input: CvPdfInput): Promise<Buffer> {
  const kept = prepared?.root === input.root ? prepared : keptLinesOf(input.root);
  const book = new LineBook(kept.lines);
  const pdf = await renderCvPdf(input, { lines: book });
  // Written before the PDF is handed over: a worker is stopped once it has answered.
  if (book.counts.broken + book.counts.measured > 0) await kept.cache.set(LINES_KIND, kept.key, book.used(), LINES_KIND);
  return pdf;
}

/**
 * What a worker started before the CV's content is known does meanwhile (see cv-pdf-file.ts):
 * reads the main font's prebuilt answers, checking the font files against them, and the
 * project's kept lines.
 */
export function prepare(root?: string): void {
  for (const file of Object.values(MAIN_FONTS)) prebuiltPairs(file);
  if (root !== undefined) prepared = keptLinesOf(root);
}

/** What a worker thread runs (see cv-pdf-file.ts). */
export const run = (input: CvPdfInput): Promise<Buffer> => renderCvPdfKeepingLines(input);

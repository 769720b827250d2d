import PDFDocument from 'pdfkit';
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
    const font = (doc as unknown as { _font?: { font?: LayoutFont } })._font?.font;
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
  const heading = (title: string): void => {
    if (doc.y > bottomLimit() - 90) doc.addPage();
    doc.moveDown(1.2).fontSize(13).fillColor(ACCENT);
    write(title, 'bold');
    const y = doc.y + 2;
    doc.moveTo(PAGE_MARGIN, y).lineTo(PAGE_MARGIN + width, y).lineWidth(0.6).strokeColor(ACCENT).stroke();
    doc.moveDown(0.5).fillColor('#000');
  };

  /** A row with a date on the left and text on the right. */
  const dated = (date: string, lines: Array<{ text: string; font?: FontRole; link?: string }>): void => {
    // Keep a row on one page: measure it first and start a new page when it would not fit.
    const needed = lines.reduce((sum, line) => {
      const font = fonts.measuringFont(line.text, line.font ?? 'regular');
      useFont(font);
      doc.fontSize(10.5);
      return sum + (book?.heightOf(doc, font, line.text, width - DATE_COLUMN) ?? doc.heightOfString(line.text, { width: width - DATE_COLUMN }));
    }, 0);
    if (doc.y + needed > bottomLimit()) doc.addPage();
    const top = doc.y;
    doc.fontSize(10).fillColor(MUTED);
    write(date, 'regular', { width: DATE_COLUMN - 10 }, { x: PAGE_MARGIN, y: top });
    const afterDate = doc.y;
    doc.y = top;
    for (const line of lines) {
      doc.fontSize(10.5).fillColor(line.link === undefined ? '#000' : ACCENT);
      write(line.text, line.font ?? 'regular', { width: width - DATE_COLUMN, ...(line.link === undefined ? {} : { link: line.link }) }, { x: PAGE_MARGIN + DATE_COLUMN, y: doc.y });
    }
    doc.x = PAGE_MARGIN;
    doc.y = Math.max(doc.y, afterDate);
    doc.moveDown(0.5);
  };

  if (cv.interests.length > 0) {
    heading('Research interests');
    doc.fontSize(10.5);
    write(cv.interests.join(' · '), 'regular', { width }, { x: PAGE_MARGIN, y: doc.y });
  }
  if (cv.positions.length > 0) {
    heading('Positions');
    for (const position of cv.positions) {
      dated(position.period, [
        { text: position.title, font: 'bold' },
        { text: [position.organisation, position.place].filter(Boolean).join(', ') },
      ]);
    }
  }
  if (cv.education.length > 0) {
    heading('Education');
    for (const degree of cv.education) {
      dated(degree.date, [
        { text: degree.degree, font: 'bold' },
        { text: [degree.institution, degree.place].filter(Boolean).join(', ') },
        ...(degree.thesis === undefined ? [] : [{ text: `Thesis: ${degree.thesis}`, font: 'italic' as const }]),
        ...(degree.advisor === undefined ? [] : [{ text: `Advisor: ${degree.advisor}` }]),
      ]);
    }
  }
  for (const [title, list] of [['Publications', input.papers], ['Posters/Presentations', input.presentations]] as const) {
    if (list.length === 0) continue;
    heading(title);
    list.forEach((item, index) => {
      const doi = item.links.find((link) => link.label === 'DOI');
      dated(`[${list.length - index}] ${cvYear(item)}`, [
        { text: item.title, font: 'bold' },
        // Marks after names (students, equal contributions) as the pages show them, in line.
        { text: creditLine(item, { marks: true }) },
        // A book has no venue: its publisher stands there, as in the publication list.
        { text: cvVenueLine(item), font: 'italic' },
        ...(doi === undefined ? [] : [{ text: doi.href, link: doi.href }]),
      ]);
    });
  }
  if (cv.awards.length > 0) {
    heading('Awards');
    for (const award of cv.awards) dated(award.date ?? '', [{ text: award.title, font: 'bold' }, ...(award.detail === undefined ? [] : [{ text: award.detail }])]);
  }
  if (cv.memberships.length > 0) {
    heading('Memberships');
    for (const membership of cv.memberships) dated(membership.since === undefined ? '' : `since ${membership.since}`, [{ text: membership.name }]);
  }

  const simple = (title: string, lines: Array<{ date?: string | undefined; text: string }>): void => {
    if (lines.length === 0) return;
    heading(title);
    for (const line of lines) dated(line.date ?? '', [{ text: line.text }]);
  };
  simple('Service', cv.service.map((item) => ({ date: item.date, text: [item.role, item.organisation].filter(Boolean).join(', ') })));
  simple('Teaching', cv.teaching.map((item) => ({ date: item.date, text: `${item.course}${item.role === undefined ? '' : ` (${item.role})`}${item.institution === undefined ? '' : `, ${item.institution}`}` })));
  if (cv.languages.length > 0) {
    heading('Languages');
    doc.fontSize(10.5).fillColor('#000');
    write(cv.languages.map((item) => (item.fluency === undefined ? item.language : `${item.language} (${item.fluency})`)).join(' · '), 'regular', { width }, { x: PAGE_MARGIN, y: doc.y });
  }
  for (const section of cv.sections) {
    heading(section.title);
    doc.fontSize(10.5).fillColor('#000');
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

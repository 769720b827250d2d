import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Site } from '../site/schema.ts';
import type { CvView } from '../view/cv.ts';
import type { PublicationView } from '../view/publication-list.ts';

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
/** DejaVu covers Latin, Greek and Cyrillic; pdfkit embeds only the glyphs used. */
const FONTS = {
  regular: path.join(FONT_DIR, 'DejaVuSans.ttf'),
  bold: path.join(FONT_DIR, 'DejaVuSans-Bold.ttf'),
  italic: path.join(FONT_DIR, 'DejaVuSans-Oblique.ttf'),
};

export interface CvPdfInput {
  site: Site;
  cv: CvView;
  papers: readonly PublicationView[];
  presentations: readonly PublicationView[];
  /** Written into the PDF's metadata instead of the current time, so builds are reproducible. */
  date: Date;
  /** Printed only when the owner chose to (`email_in_downloads` in site.yaml). */
  email?: string;
}

const PAGE_MARGIN = 56;
const ACCENT = '#1d5b8f';
const MUTED = '#555555';
const DATE_COLUMN = 118;

/** Characters of the text that the embedded font cannot draw, as "王 (U+738B)". */
export function missingGlyphs(texts: Iterable<string>): string[] {
  const font = fontkit.openSync(FONTS.regular) as { hasGlyphForCodePoint(codePoint: number): boolean };
  const missing = new Set<string>();
  for (const text of texts) {
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0;
      if (codePoint > 0x20 && !/\s/.test(char) && !font.hasGlyphForCodePoint(codePoint)) missing.add(`${char} (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')})`);
    }
  }
  return [...missing].sort();
}

/** Renders the CV as an A4 PDF with selectable text, links, the owner's name and page numbers on every page. */
export function renderCvPdf(input: CvPdfInput): Promise<Buffer> {
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
  // Record every string, to report characters the font lacks instead of printing empty boxes.
  const written: string[] = [];
  const text = doc.text.bind(doc);
  doc.text = ((value: string, ...rest: unknown[]) => {
    written.push(String(value));
    return (text as (...args: unknown[]) => PDFKit.PDFDocument)(value, ...rest);
  }) as typeof doc.text;
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  doc.registerFont('italic', FONTS.italic);

  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - PAGE_MARGIN * 2;

  doc.font('bold').fontSize(22).fillColor('#000').text(site.name);
  doc.font('regular').fontSize(11).fillColor(MUTED).text([site.title, site.affiliation].filter(Boolean).join(', '));
  const contact = [input.email, site.phone === undefined ? undefined : `Tel. ${site.phone}`, site.address?.join(', ')].filter(Boolean).join('  ·  ');
  if (contact !== '') doc.text(contact);
  for (const profile of site.profiles) {
    doc.fillColor(ACCENT).text(`${profile.label}: ${profile.url}`, { link: profile.url, underline: false });
  }
  if (cv.updated !== undefined) doc.fillColor(MUTED).fontSize(9).text(`Updated ${cv.updated}`);

  const bottomLimit = (): number => doc.page.height - doc.page.margins.bottom;
  const heading = (title: string): void => {
    if (doc.y > bottomLimit() - 90) doc.addPage();
    doc.moveDown(1.2).font('bold').fontSize(13).fillColor(ACCENT).text(title);
    const y = doc.y + 2;
    doc.moveTo(PAGE_MARGIN, y).lineTo(PAGE_MARGIN + width, y).lineWidth(0.6).strokeColor(ACCENT).stroke();
    doc.moveDown(0.5).fillColor('#000');
  };

  /** A row with a date on the left and text on the right. */
  const dated = (date: string, lines: Array<{ text: string; font?: 'regular' | 'bold' | 'italic'; link?: string }>): void => {
    // Keep a row on one page: measure it first and start a new page when it would not fit.
    const needed = lines.reduce(
      (sum, line) => sum + doc.font(line.font ?? 'regular').fontSize(10.5).heightOfString(line.text, { width: width - DATE_COLUMN }),
      0,
    );
    if (doc.y + needed > bottomLimit()) doc.addPage();
    const top = doc.y;
    doc.font('regular').fontSize(10).fillColor(MUTED).text(date, PAGE_MARGIN, top, { width: DATE_COLUMN - 10 });
    const afterDate = doc.y;
    doc.y = top;
    for (const line of lines) {
      doc.font(line.font ?? 'regular').fontSize(10.5).fillColor(line.link === undefined ? '#000' : ACCENT)
        .text(line.text, PAGE_MARGIN + DATE_COLUMN, doc.y, { width: width - DATE_COLUMN, ...(line.link === undefined ? {} : { link: line.link }) });
    }
    doc.x = PAGE_MARGIN;
    doc.y = Math.max(doc.y, afterDate);
    doc.moveDown(0.5);
  };

  if (cv.interests.length > 0) {
    heading('Research interests');
    doc.font('regular').fontSize(10.5).text(cv.interests.join(' · '), PAGE_MARGIN, doc.y, { width });
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
      dated(`[${list.length - index}] ${item.year ?? 'n.d.'}`, [
        { text: item.title, font: 'bold' },
        { text: item.authors.map((author) => author.name).join(', ') },
        { text: [item.venue, item.details, item.place, item.date].filter(Boolean).join(', '), font: 'italic' },
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
    doc.font('regular').fontSize(10.5).fillColor('#000').text(cv.languages.map((item) => (item.fluency === undefined ? item.language : `${item.language} (${item.fluency})`)).join(' · '), PAGE_MARGIN, doc.y, { width });
  }
  for (const section of cv.sections) {
    heading(section.title);
    doc.font('regular').fontSize(10.5).fillColor('#000').text(section.text, PAGE_MARGIN, doc.y, { width });
  }

  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(8.5).fillColor(MUTED);
    doc.text(`${site.name} · Curriculum Vitae`, PAGE_MARGIN, PAGE_MARGIN - 20, { width, align: 'left', lineBreak: false });
    doc.text(`Page ${index + 1} of ${range.count}`, PAGE_MARGIN, doc.page.height - PAGE_MARGIN + 20, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  const missing = missingGlyphs(written);
  if (missing.length > 0) {
    console.warn(`Warning: the CV PDF's font (DejaVu Sans: Latin, Greek, Cyrillic) cannot draw ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}; they show as empty boxes in /cv.pdf. Put your own CV at content/assets/cv.pdf to avoid this.`);
  }
  doc.end();
  return done;
}

import path from 'node:path';
import { DiskCache, hashOf } from '../cache.ts';
import { lineInFile, type Problem } from '../errors.ts';
import { fontCoverage } from './font-coverage.ts';
import { fallbackFontFingerprint, MAIN_FONTS } from './font-files.ts';
import type { Site } from '../site/schema.ts';
import type { CvView } from '../view/cv.ts';
import { creditLine, type PublicationView } from '../view/publication-list.ts';
import type { CvPdfInput } from './pdf.ts';

/** Text the CV PDF prints, with where it comes from. */
export interface PrintedText {
  file: string;
  line?: number;
  key?: string;
  texts: readonly string[];
}

/** Every string value of a view, except markup and anchors, which the PDF does not print. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => (key === 'html' || key === 'id' ? [] : stringsOf(item)));
  return [];
}

/** What the generated CV shows: the PDF's input without its date and project folder. */
export type CvPdfContent = Omit<CvPdfInput, 'root' | 'date'>;

/** The CV's content from the site's parts; the e-mail only when the owner chose to show it. */
export function cvPdfContent(site: Site, cv: CvView, publications: { papers: PublicationView[]; presentations: PublicationView[] }): CvPdfContent {
  return { site, cv, papers: publications.papers, presentations: publications.presentations, ...(site.email_in_downloads ? { email: site.email } : {}) };
}

/** What renderCvPdf prints, by the file it comes from, so that fonts can be checked before the build. */
export function printedTexts(input: CvPdfContent, files: { siteFile: string; cvFile: string; bibliography: string }, lines: ReadonlyMap<string, number>): PrintedText[] {
  const { site } = input;
  return [
    { file: files.siteFile, texts: [site.name, site.title ?? '', site.affiliation ?? '', site.phone ?? '', ...(site.address ?? []), ...site.profiles.flatMap((profile) => [profile.label, profile.url]), input.email ?? ''] },
    { file: files.cvFile, texts: stringsOf(input.cv) },
    ...[...input.papers, ...input.presentations].map((item) => {
      const line = lines.get(item.key);
      return {
        file: files.bibliography,
        ...(line === undefined ? {} : { line }),
        key: item.key,
        texts: [item.title, creditLine(item, { marks: true }), cvVenueLine(item), cvYear(item)],
      };
    }),
  ];
}

/** A publication's date in the CV PDF's column: its year, "forthcoming", or "n.d." when it has no date. */
export function cvYear(item: PublicationView): string {
  return item.forthcoming ? 'forthcoming' : item.year === undefined ? 'n.d.' : String(item.year);
}

/** A publication's venue line in the CV PDF: venue (a book's publisher, with its city), details, place, and its date when it says more than the column. */
export function cvVenueLine(item: PublicationView): string {
  const publisher = item.publisher !== undefined && item.publisherPlace !== undefined ? `${item.publisherPlace}: ${item.publisher}` : item.publisher;
  return [item.venue ?? publisher, item.details, item.place, item.year === undefined || item.forthcoming ? undefined : item.date].filter(Boolean).join(', ');
}

/**
 * The longest run of characters without a space the CV PDF lays out. pdfkit breaks a longer word
 * by measuring what is left of it again at every line, which grows with the square of its length:
 * a title of 30,000 letters took 4 s and 1.3 GB, one of 300,000 ran out of memory.
 */
const LONGEST_WORD = 1000;

/** The first text of the CV PDF with a word longer than LONGEST_WORD, as a problem at its file and line (and entry). */
export function overlongWord(printed: readonly PrintedText[], root: string): Problem | undefined {
  // Chinese, Japanese and Korean text breaks between its characters, and a hyphen after itself.
  const long = new RegExp(`[^\\s\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\-]{${LONGEST_WORD + 1},}`, 'u');
  for (const source of printed) {
    for (const text of source.texts) {
      const word = text.length > LONGEST_WORD ? long.exec(text)?.[0] : undefined;
      if (word === undefined) continue;
      const line = source.line ?? lineInFile(path.join(root, source.file), (written) => written.includes(word.slice(0, 40)));
      return {
        file: source.file,
        ...(line === undefined ? {} : { line }),
        ...(source.key === undefined ? {} : { key: source.key }),
        message: `a word of ${word.length.toLocaleString('en')} characters without a space ("${word.slice(0, 30)}...") is too long to break into the lines of the CV PDF: add spaces, or shorten it`,
      };
    }
  }
  return undefined;
}

/**
 * The warning for characters of the CV PDF that no font can draw, or undefined. The answer is kept
 * in the cache, so a build whose PDF is cached does not load the font machinery at all.
 */
export async function checkCvPdfGlyphs(root: string, printed: readonly PrintedText[], language: string, cache: DiskCache): Promise<Problem | undefined> {
  const key = hashOf('cv-glyphs', JSON.stringify(printed), language, ...fallbackFontFingerprint(root));
  const cached = await cache.get<{ problem: Problem | null }>('cv-glyphs', key, 'cv.pdf');
  if (cached !== undefined) return cached.problem ?? undefined;
  // Nearly always, the main font draws every character in all three faces: fontkit is not needed to say so.
  const problem = drawnByMainFont(printed) ? undefined : (await import('./pdf-fonts.ts')).missingGlyphsProblem(root, printed, language);
  await cache.set('cv-glyphs', key, { problem: problem ?? null }, 'cv.pdf');
  return problem;
}

/** Whether each face of the main font draws every character of these texts (false when its character map is not one fontCoverage reads). */
function drawnByMainFont(printed: readonly PrintedText[]): boolean {
  const faces = Object.values(MAIN_FONTS).map(fontCoverage);
  const drawn = new Map<number, boolean>();
  for (const source of printed) {
    for (const text of source.texts) {
      for (const char of text) {
        const codePoint = char.codePointAt(0) ?? 0;
        let known = drawn.get(codePoint);
        if (known === undefined) drawn.set(codePoint, (known = faces.every((face) => face?.(codePoint) === true)));
        if (!known) return false;
      }
    }
  }
  return true;
}

import * as fontkit from 'fontkit';
import path from 'node:path';
import { lineInFile, SiteInputError, type Problem } from '../errors.ts';
import { RIGHT_TO_LEFT } from '../text/right-to-left.ts';
import { leftToRightTail } from './bidi.ts';
import { fallbackFontFiles, MAIN_FONTS, OWN_FONTS_DIR, type FontRole } from './font-files.ts';
import type { PrintedText } from './pdf-glyphs.ts';

interface OpenFont {
  familyName: string;
  ascent: number;
  unitsPerEm: number;
  italicAngle: number;
  'OS/2': { usWeightClass: number };
  hasGlyphForCodePoint(codePoint: number): boolean;
}

interface Face {
  file: string;
  weight: number;
  italic: boolean;
  font: OpenFont;
}

/** A run of text drawn with one font file. */
export interface TextRun {
  font: string;
  text: string;
}

/**
 * Takes off the last run (right-to-left text) the spaces and punctuation that stand on its right,
 * with the font that run draws them in; the run goes when nothing else is left of it.
 */
function takeLeftToRightTail(runs: Array<TextRun & { rtl: boolean }>): TextRun | undefined {
  const last = runs.at(-1);
  const length = last === undefined ? 0 : leftToRightTail(last.text);
  if (last === undefined || length === 0) return undefined;
  const tail = { font: last.font, text: last.text.slice(-length) };
  if (length === last.text.length) runs.pop();
  else last.text = last.text.slice(0, -length);
  return tail;
}

function openFont(file: string, root: string): OpenFont {
  try {
    const font = fontkit.openSync(file) as unknown as OpenFont;
    if (typeof font.hasGlyphForCodePoint !== 'function') throw new Error('a font collection, not a single font');
    return font;
  } catch (error) {
    throw new SiteInputError([{ file: path.relative(root, file), message: `cannot be read as a TrueType/OpenType font (${(error as Error).message}); the CV PDF needs a single-font .ttf or .otf file` }]);
  }
}

/** The face of a family closest to what a role asks for: weight first, then slant. */
function closestFace(faces: readonly Face[], role: FontRole): Face {
  const weight = role === 'bold' ? 700 : 400;
  const italic = role === 'italic';
  const score = (face: Face): number => Math.abs(face.weight - weight) + (face.italic === italic ? 0 : 1000);
  return [...faces].sort((a, b) => score(a) - score(b) || a.file.localeCompare(b.file))[0] as Face;
}

function describe(char: string): string {
  return `${char} (U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Chooses, for every character of the CV, a font that can draw it: the main font when it has the
 * glyph, else the first fallback that has it. Fallback fonts are opened only when the text needs one.
 */
export class PdfFonts {
  private readonly main: Record<FontRole, OpenFont>;
  private fallbacks: Array<Record<FontRole, Face>> | undefined;
  /** Characters no font can draw, as "王 (U+738B)". */
  private readonly missingChars = new Set<string>();
  /**
   * By role and code point: whether the main face draws the character and it is not of a
   * right-to-left script. A text of such characters only is one run in the main face, which is
   * what runs() finds for nearly every text of a CV, at a fraction of the cost.
   */
  private readonly plain: Record<FontRole, Map<number, boolean>> = { regular: new Map(), bold: new Map(), italic: new Map() };
  /** fontFor's answers by role, and hasGlyph's by font file: a long CV asks about the same few hundred characters a million times. */
  private readonly chosen: Record<FontRole, Map<number, string | undefined>> = { regular: new Map(), bold: new Map(), italic: new Map() };
  private readonly glyphs = new Map<string, Map<number, boolean>>();

  constructor(private readonly root: string) {
    this.main = {
      regular: openFont(MAIN_FONTS.regular, root),
      bold: openFont(MAIN_FONTS.bold, root),
      italic: openFont(MAIN_FONTS.italic, root),
    };
  }

  /** The fallback families, each with the face chosen for every role. */
  private fallbackFamilies(): Array<Record<FontRole, Face>> {
    if (this.fallbacks !== undefined) return this.fallbacks;
    const families = new Map<string, Face[]>();
    for (const file of fallbackFontFiles(this.root)) {
      const font = openFont(file, this.root);
      const face: Face = { file, font, weight: font['OS/2']?.usWeightClass ?? 400, italic: font.italicAngle !== 0 };
      const family = families.get(font.familyName) ?? [];
      family.push(face);
      families.set(font.familyName, family);
    }
    this.fallbacks = [...families.values()].map((faces) => ({
      regular: closestFace(faces, 'regular'),
      bold: closestFace(faces, 'bold'),
      italic: closestFace(faces, 'italic'),
    }));
    return this.fallbacks;
  }

  private hasGlyph(file: string, codePoint: number): boolean {
    let known = this.glyphs.get(file);
    if (known === undefined) this.glyphs.set(file, (known = new Map()));
    let has = known.get(codePoint);
    if (has === undefined) known.set(codePoint, (has = this.uncachedHasGlyph(file, codePoint)));
    return has;
  }

  private uncachedHasGlyph(file: string, codePoint: number): boolean {
    const main = (Object.keys(MAIN_FONTS) as FontRole[]).find((role) => MAIN_FONTS[role] === file);
    if (main !== undefined) return this.main[main].hasGlyphForCodePoint(codePoint);
    for (const family of this.fallbackFamilies()) {
      for (const face of Object.values(family)) if (face.file === file) return face.font.hasGlyphForCodePoint(codePoint);
    }
    return false;
  }

  /** The file of the font that draws this character in this role, or undefined when none can. */
  private fontFor(codePoint: number, role: FontRole): string | undefined {
    const known = this.chosen[role];
    if (known.has(codePoint)) return known.get(codePoint);
    const font = this.uncachedFontFor(codePoint, role);
    known.set(codePoint, font);
    return font;
  }

  private uncachedFontFor(codePoint: number, role: FontRole): string | undefined {
    if (this.main[role].hasGlyphForCodePoint(codePoint)) return MAIN_FONTS[role];
    // DejaVu's oblique face lacks Arabic and Hebrew, which have no italics anyway: use the upright one.
    if (role === 'italic' && this.main.regular.hasGlyphForCodePoint(codePoint)) return MAIN_FONTS.regular;
    for (const family of this.fallbackFamilies()) if (family[role].font.hasGlyphForCodePoint(codePoint)) return family[role].file;
    return undefined;
  }

  /**
   * Splits text into runs of one font and one writing direction each. Spaces, marks, joiners,
   * digits and punctuation stay with the run before them, so a word or a cluster is never split;
   * a right-to-left script (Arabic, Hebrew...) gets runs of its own, with the numbers and the
   * spaces among its words. The words of such a run are put in right-to-left order line by line,
   * when pdfkit draws them (drawLinesInVisualOrder in bidi.ts).
   */
  runs(text: string, role: FontRole): TextRun[] {
    // Nearly every text of a CV: what characterRuns() makes of it is one run in the main face.
    if (this.isPlain(text, role)) return text === '' ? [] : [{ font: MAIN_FONTS[role], text }];
    return this.characterRuns(text, role);
  }

  /** The runs of a text, character by character (runs() gives the same, faster when it can). */
  characterRuns(text: string, role: FontRole): TextRun[] {
    const runs: Array<TextRun & { rtl: boolean }> = [];
    let current: (TextRun & { rtl: boolean }) | undefined;
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0;
      const letter = /\p{L}/u.test(char);
      const rtl = letter ? RIGHT_TO_LEFT.test(char) : (current?.rtl ?? false);
      // Marks and joiners shape with their base; a space stays in the run when its font has one.
      const attached = current !== undefined && (/[\p{M}\p{Cf}]/u.test(char) || (!letter && this.hasGlyph(current.font, codePoint)));
      let font = attached ? (current as TextRun).font : this.fontFor(codePoint, role);
      if (font === undefined) {
        if (!/[\s\p{Cc}]/u.test(char)) this.missingChars.add(describe(char));
        font = current?.font ?? MAIN_FONTS[role];
      }
      if (current !== undefined && current.font === font && current.rtl === rtl) {
        current.text += char;
        continue;
      }
      // Spaces and punctuation after right-to-left text stand on its right (see bidi.ts), with
      // what follows: in that run where its font draws them, else in a run of their own.
      const tail = current?.rtl === true && !rtl ? takeLeftToRightTail(runs) : undefined;
      if (tail !== undefined && ![...tail.text].every((tailChar) => this.hasGlyph(font, tailChar.codePointAt(0) ?? 0))) {
        runs.push({ ...tail, rtl: false });
        runs.push((current = { font, text: char, rtl }));
      } else {
        runs.push((current = { font, text: (tail?.text ?? '') + char, rtl }));
      }
    }
    // The same at the end of the text: a final full stop follows the words, on their right.
    const tail = runs.at(-1)?.rtl === true ? takeLeftToRightTail(runs) : undefined;
    if (tail !== undefined) runs.push({ ...tail, rtl: false });
    return runs.map(({ font, text: runText }) => ({ font, text: runText }));
  }

  private isPlain(text: string, role: FontRole): boolean {
    const known = this.plain[role];
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0;
      let plain = known.get(codePoint);
      if (plain === undefined) known.set(codePoint, (plain = this.main[role].hasGlyphForCodePoint(codePoint) && !RIGHT_TO_LEFT.test(char)));
      if (!plain) return false;
    }
    return true;
  }

  /**
   * The font to measure a text's height with before drawing it: a fallback font where the text
   * needs one (CJK characters are wider than Latin ones, so the estimate errs on the safe side).
   */
  measuringFont(text: string, role: FontRole): string {
    return this.runs(text, role).find((run) => run.font !== MAIN_FONTS[role] && run.font !== MAIN_FONTS.regular)?.font ?? MAIN_FONTS[role];
  }

  /** Whether the main font has this character in all its faces. */
  mainFontDraws(codePoint: number): boolean {
    return Object.values(this.main).every((font) => font.hasGlyphForCodePoint(codePoint));
  }

  /** The main font's ascent in thousandths of the font size, as pdfkit measures it. */
  mainAscender(role: FontRole): number {
    return (this.main[role].ascent / this.main[role].unitsPerEm) * 1000;
  }

  /** Characters that were asked for and that no font could draw, sorted. */
  missing(): string[] {
    return [...this.missingChars].sort();
  }
}

/** Scripts the main font lacks, with the Noto family that covers them and its package, for advice. */
const SCRIPT_FONTS: ReadonlyArray<{ script: RegExp; name: string; family: (language: string) => string }> = [
  { script: /\p{Script=Hangul}/u, name: 'Korean', family: () => 'Noto Sans KR' },
  { script: /[\p{Script=Hiragana}\p{Script=Katakana}]/u, name: 'Japanese', family: () => 'Noto Sans JP' },
  { script: /\p{Script=Han}/u, name: 'Chinese characters', family: hanFamily },
  { script: /\p{Script=Devanagari}/u, name: 'Devanagari', family: () => 'Noto Sans Devanagari' },
  { script: /\p{Script=Thai}/u, name: 'Thai', family: () => 'Noto Sans Thai' },
  { script: /\p{Script=Khmer}/u, name: 'Khmer', family: () => 'Noto Sans Khmer' },
  { script: /\p{Script=Lao}/u, name: 'Lao', family: () => 'Noto Sans Lao' },
];
/** Families published as `@expo-google-fonts/<slug>` (checked against the npm registry). */
const PACKAGED = new Set(['Noto Sans SC', 'Noto Sans TC', 'Noto Sans HK', 'Noto Sans JP', 'Noto Sans KR', 'Noto Sans Devanagari', 'Noto Sans Thai', 'Noto Sans Khmer', 'Noto Sans Lao']);

/** Han characters look different in Chinese (simplified, traditional), Japanese and Korean: follow the site's language. */
function hanFamily(language: string): string {
  const tag = language.toLowerCase();
  if (tag.startsWith('ja')) return 'Noto Sans JP';
  if (tag.startsWith('ko')) return 'Noto Sans KR';
  if (/^zh-(hk|mo)/.test(tag)) return 'Noto Sans HK';
  if (/^zh-(tw|hant)/.test(tag)) return 'Noto Sans TC';
  return 'Noto Sans SC';
}

/** Which characters no font of the CV PDF can draw, and how to add a font for them. */
export function missingGlyphsAdvice(missing: readonly string[], language: string): string {
  const shown = `${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`;
  const chars = missing.map((item) => item.split(' ')[0] ?? '').join('');
  const families = [...new Set(SCRIPT_FONTS.filter((entry) => entry.script.test(chars)).map((entry) => entry.family(language)))];
  const packaged = families.filter((family) => PACKAGED.has(family)).map((family) => `@expo-google-fonts/${family.toLowerCase().replaceAll(' ', '-')}`);
  const advice = families.length === 0
    ? `put a .ttf or .otf font that has them into ${OWN_FONTS_DIR}/`
    : `put the .ttf files of ${families.join(' and ')} (regular and bold) into ${OWN_FONTS_DIR}/${packaged.length > 0 ? `, or run: npm install ${packaged.join(' ')}` : ''}`;
  return `no font of the CV PDF can draw ${shown}, so /cv.pdf would show empty boxes: ${advice}`;
}
/**
 * Checks, before the build writes anything, that some font can draw every character the CV PDF
 * prints. Returns one warning for all of them, at the first place such a character is written.
 */
export function missingGlyphsProblem(root: string, printed: readonly PrintedText[], language: string): Problem | undefined {
  const fonts = new PdfFonts(root);
  const places: PrintedText[] = [];
  // A text whose every character the main font draws in all three faces needs no closer look.
  const drawn = new Map<number, boolean>();
  const plain = (text: string): boolean => {
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0;
      let known = drawn.get(codePoint);
      if (known === undefined) drawn.set(codePoint, (known = fonts.mainFontDraws(codePoint)));
      if (!known) return false;
    }
    return true;
  };
  for (const source of printed) {
    const before = fonts.missing().length;
    // The PDF prints any text in any of the three faces (titles bold, theses and venues italic).
    for (const text of source.texts) if (!plain(text)) for (const role of ['regular', 'bold', 'italic'] as const) fonts.runs(text, role);
    if (fonts.missing().length > before) places.push(source);
  }
  const [first, ...others] = places;
  if (first === undefined) return undefined;
  const elsewhere = others.length === 0 ? '' : ` (and in ${others.length} more place${others.length === 1 ? '' : 's'}: ${others.slice(0, 3).map((place) => place.key ?? place.file).join(', ')}${others.length > 3 ? ', ...' : ''})`;
  // site.yaml and cv.yaml: the first line that has one of the characters.
  const characters = new Set(fonts.missing().map((described) => [...described][0] ?? ''));
  const line = first.line ?? lineInFile(path.join(root, first.file), (written) => [...written].some((char) => characters.has(char)));
  return {
    file: first.file,
    ...(line === undefined ? {} : { line }),
    ...(first.key === undefined ? {} : { key: first.key }),
    message: `${missingGlyphsAdvice(fonts.missing(), language)}${elsewhere}`,
  };
}

/**
 * A faster text layout for the CV's main font, with exactly fontkit's result.
 *
 * pdfkit asks fontkit to lay out every word it has not seen in the document (its cache is by
 * word), and fontkit shapes each one from scratch: about 45 µs a word. A long publication list
 * is mostly words seen once (page ranges, DOIs, numbers), so that was a third of the PDF's time.
 * For Latin text in a font like DejaVu Sans, shaping is a glyph per character plus kerning between
 * neighbours; this lays out a word from what fontkit said about each of its characters and each
 * pair of neighbours, asked once per document. A character or pair that fontkit shapes in any
 * other way (a ligature, a mark, an offset, a substituted glyph) sends the word to fontkit itself.
 */

/** A glyph, as fontkit gives it and pdfkit reads it. */
interface Glyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

/** A glyph's position, with fontkit's fields in fontkit's order (pdfkit scales every field). */
interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

/** What fontkit's layout returns, as far as pdfkit reads it. */
export interface Run {
  glyphs: Glyph[];
  positions: Position[];
  readonly advanceWidth: number;
}

/** The part of a fontkit font this module uses. */
export interface LayoutFont {
  layout(text: string, ...options: unknown[]): Run;
  /** fontkit's glyph of this id: the one its layout gives, once it has made one, else a new one with these code points. */
  getGlyph(id: number, codePoints?: number[]): Glyph;
}

/**
 * Characters whose shaping in Latin text can only be a glyph each plus pair kerning, if fontkit's
 * answers for them say so: printable ASCII, Latin-1 (without the soft hyphen, which fontkit hides)
 * and the common typographic punctuation. Marks, format characters and other scripts go to fontkit.
 */
const CANDIDATE = /^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u00ff\u2010-\u2015\u2018-\u201f\u2020-\u2022\u2026\u2030\u2032\u2033\u2039\u203a\u20ac\u2122]+$/;

class PairRun implements Run {
  constructor(
    readonly glyphs: Glyph[],
    readonly positions: Position[],
  ) {}

  // Read after pdfkit has scaled the positions, like fontkit's own getter.
  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position.xAdvance;
    return width;
  }
}

/** A character on its own: its glyph and advance, or undefined when fontkit does more with it. */
export type Single = { glyph: Glyph; advance: number } | undefined;

/**
 * What fontkit said, for one font file, about characters and pairs: known before the first word
 * when a table was made for that file ahead of time (src/cv/prebuilt-layout.ts). `singles` gives
 * a character's glyph id and advance, or undefined when fontkit does more than place one glyph;
 * `kerning` holds the pairs whose answer is not 0 (a number, or undefined when fontkit does more
 * than kern them); a pair of two `singles` with no entry there is kerned by 0.
 */
export interface KnownPairs {
  singles: ReadonlyMap<string, { id: number; advance: number } | undefined>;
  kerning: ReadonlyMap<string, number | undefined>;
}

/** Asks fontkit about one character, and about one pair of neighbours, as pairwiseLayout does. */
export function askFontkit(shape: (text: string) => Run): { single(char: string): Single; kern(first: NonNullable<Single>, second: NonNullable<Single>, pair: string): number | undefined } {
  return {
    single(char: string): Single {
      const run = shape(char);
      const [glyph] = run.glyphs;
      const [position] = run.positions;
      const plain = run.glyphs.length === 1 && glyph !== undefined && position !== undefined && position.yAdvance === 0 && position.xOffset === 0 && position.yOffset === 0;
      return plain ? { glyph, advance: position.xAdvance } : undefined;
    },
    /** How much fontkit moves the first of the two closer to the second; undefined if it does anything else. */
    kern(a, b, pair) {
      const run = shape(pair);
      const [p, q] = run.positions;
      const [g, h] = run.glyphs;
      const plain =
        run.glyphs.length === 2 && g?.id === a.glyph.id && h?.id === b.glyph.id && p !== undefined && q !== undefined &&
        p.yAdvance === 0 && p.xOffset === 0 && p.yOffset === 0 && q.xAdvance === b.advance && q.yAdvance === 0 && q.xOffset === 0 && q.yOffset === 0;
      return plain ? p.xAdvance - a.advance : undefined;
    },
  };
}

/** Whether pairwiseLayout may lay out this text from single characters and pairs. */
export function isCandidate(text: string): boolean {
  return CANDIDATE.test(text);
}

/**
 * Lays text out with `font`, from fontkit's answers for single characters and pairs where it
 * can, else with fontkit (always when options are given, such as OpenType features). `known`
 * answers made ahead of time for the font's file spare asking fontkit at all for most texts.
 */
export function pairwiseLayout(font: LayoutFont, known?: KnownPairs): LayoutFont['layout'] {
  const shape = font.layout.bind(font);
  const ask = askFontkit(shape);
  const singles = new Map<string, Single>();
  const kerning = new Map<string, number | undefined>(known?.kerning);

  const single = (char: string): Single => {
    if (singles.has(char)) return singles.get(char);
    let answer: Single;
    if (known?.singles.has(char) === true) {
      // fontkit's own glyph object, as its layout of the character would give it.
      const plain = known.singles.get(char);
      answer = plain === undefined ? undefined : { glyph: font.getGlyph(plain.id, [char.codePointAt(0) ?? 0]), advance: plain.advance };
    } else {
      answer = ask.single(char);
    }
    singles.set(char, answer);
    return answer;
  };

  const kern = (first: string, second: string, a: NonNullable<Single>, b: NonNullable<Single>): number | undefined => {
    const pair = first + second;
    if (kerning.has(pair)) return kerning.get(pair);
    if (known?.singles.has(first) === true && known.singles.has(second)) return 0;
    const answer = ask.kern(a, b, pair);
    kerning.set(pair, answer);
    return answer;
  };

  return (text: string, ...options: unknown[]): Run => {
    if (options.some((option) => option !== undefined) || text === '' || !CANDIDATE.test(text)) return shape(text, ...options);
    const glyphs: Glyph[] = [];
    const positions: Position[] = [];
    let previous: { char: string; single: NonNullable<Single> } | undefined;
    for (const char of text) {
      const current = single(char);
      if (current === undefined) return shape(text);
      if (previous !== undefined) {
        const adjustment = kern(previous.char, char, previous.single, current);
        if (adjustment === undefined) return shape(text);
        const last = positions[positions.length - 1];
        if (last !== undefined) last.xAdvance += adjustment;
      }
      glyphs.push(current.glyph);
      positions.push({ xAdvance: current.advance, yAdvance: 0, xOffset: 0, yOffset: 0 });
      previous = { char, single: current };
    }
    return new PairRun(glyphs, positions);
  };
}

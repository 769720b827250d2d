/**
 * Right-to-left text in the CV PDF's left-to-right lines, after the Unicode Bidirectional
 * Algorithm (UAX #9) as it applies to the CV's short fields: one left-to-right paragraph, no
 * explicit embeddings or isolates. pdfkit has no bidi: it shapes a line word by word (at each
 * space) and puts the words side by side from left to right, so the words of an Arabic or Hebrew
 * phrase came out in reverse order, each word's space on its wrong side. fontkit does shape one
 * right-to-left word as it should (its glyphs reversed, letters joined), so this module only
 * decides the order of the pieces of a line and leaves the shaping of each piece to fontkit.
 */

import { RIGHT_TO_LEFT } from '../text/right-to-left.ts';

/** The bidi classes the CV's text needs told apart (Unicode's names); explicit formatting characters are not among them. */
type BidiClass = 'L' | 'R' | 'AL' | 'EN' | 'AN' | 'ES' | 'ET' | 'CS' | 'WS' | 'ON' | 'NSM';


/** Scripts whose letters are class AL: after them, European digits are Arabic numbers (rule W2). */
const ARABIC_LETTER = /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\u061b\u061c\u061f]/u;
const ARABIC_NUMBER = /[\u0600-\u0605\u0660-\u0669\u066b\u066c\u06dd\u0890\u0891\u08e2\u{10d30}-\u{10d39}\u{10e60}-\u{10e7e}]/u;
const EUROPEAN_NUMBER = /[0-9\u00b2\u00b3\u00b9\u06f0-\u06f9\u2070\u2074-\u2079\u2080-\u2089\u2488-\u249b\uff10-\uff19]/u;
const EUROPEAN_SEPARATOR = /[+\-\u207a\u207b\u208a\u208b\u2212\ufb29\ufe62\ufe63\uff0b\uff0d]/u;
const EUROPEAN_TERMINATOR = /[#$%\u00a2-\u00a5\u00b0\u00b1\u0609\u060a\u066a\u09f2\u09f3\u0af1\u0bf9\u0e3f\u17db\u2030-\u2034\u20a0-\u20cf\u212e\u2213\ufe5f\ufe69\ufe6a\uff03-\uff05\uffe0\uffe1\uffe5\uffe6]/u;
const COMMON_SEPARATOR = /[,./:\u00a0\u060c\u202f\u2044\ufe50\ufe52\ufe55\uff0c\uff0e\uff0f\uff1a]/u;

function classOf(char: string): BidiClass {
  if (char === '\u200e') return 'L';
  if (char === '\u200f') return 'R';
  // Marks and joiners (ZWJ, ZWNJ) take the class of what they follow.
  if (/[\p{M}\p{Cf}]/u.test(char)) return 'NSM';
  if (ARABIC_NUMBER.test(char)) return 'AN';
  if (EUROPEAN_NUMBER.test(char)) return 'EN';
  if (ARABIC_LETTER.test(char) && !COMMON_SEPARATOR.test(char) && !EUROPEAN_TERMINATOR.test(char)) return 'AL';
  if (RIGHT_TO_LEFT.test(char)) return 'R';
  if (EUROPEAN_SEPARATOR.test(char)) return 'ES';
  if (EUROPEAN_TERMINATOR.test(char)) return 'ET';
  if (COMMON_SEPARATOR.test(char)) return 'CS';
  if (/\s/u.test(char)) return 'WS';
  if (/[\p{L}\p{Nd}\p{Nl}\p{Co}]/u.test(char)) return 'L';
  return 'ON';
}

/** The last strong class before `index` (L, R or AL), or L for the start of the line. */
function strongBefore(classes: readonly BidiClass[], index: number): BidiClass {
  for (let at = index - 1; at >= 0; at--) {
    const found = classes[at];
    if (found === 'L' || found === 'R' || found === 'AL') return found;
  }
  return 'L';
}

/** The weak-type rules W1-W7, in place. */
function resolveWeak(classes: BidiClass[]): void {
  classes.forEach((found, index) => {
    if (found === 'NSM') classes[index] = index === 0 ? 'L' : (classes[index - 1] as BidiClass);
  });
  classes.forEach((found, index) => {
    if (found === 'EN' && strongBefore(classes, index) === 'AL') classes[index] = 'AN';
  });
  classes.forEach((found, index) => {
    if (found === 'AL') classes[index] = 'R';
  });
  // W4: one separator between two numbers of a kind joins them ("1,000", "2005-2010").
  for (let index = 1; index < classes.length - 1; index++) {
    const [before, found, after] = [classes[index - 1], classes[index], classes[index + 1]];
    if (before === 'EN' && after === 'EN' && (found === 'ES' || found === 'CS')) classes[index] = 'EN';
    else if (before === 'AN' && after === 'AN' && found === 'CS') classes[index] = 'AN';
  }
  // W5: currency and percent signs next to a European number belong to it.
  for (let index = 0; index < classes.length; index++) {
    if (classes[index] !== 'ET') continue;
    let end = index;
    while (classes[end] === 'ET') end++;
    if (classes[index - 1] === 'EN' || classes[end] === 'EN') classes.fill('EN', index, end);
    index = end;
  }
  classes.forEach((found, index) => {
    if (found === 'ES' || found === 'ET' || found === 'CS') classes[index] = 'ON';
  });
  classes.forEach((found, index) => {
    if (found === 'EN' && strongBefore(classes, index) === 'L') classes[index] = 'L';
  });
}

const OPENING = new Map([['(', ')'], ['[', ']'], ['{', '}'], ['\uff08', '\uff09'], ['\uff3b', '\uff3d'], ['\uff5b', '\uff5d']]);
const CLOSING = new Set(OPENING.values());

/** The pairs of brackets of a line (BD16), as indices of their opening and closing characters, in the order they open. */
function bracketPairs(chars: readonly string[], classes: readonly BidiClass[]): Array<[number, number]> {
  const open: Array<{ index: number; closing: string }> = [];
  const pairs: Array<[number, number]> = [];
  chars.forEach((char, index) => {
    if (classes[index] !== 'ON') return;
    const closing = OPENING.get(char);
    if (closing !== undefined) open.push({ index, closing });
    else if (CLOSING.has(char)) {
      const at = open.findLastIndex((bracket) => bracket.closing === char);
      if (at < 0) return;
      pairs.push([(open[at] as { index: number }).index, index]);
      open.length = at;
    }
  });
  return pairs.sort((a, b) => a[0] - b[0]);
}

/**
 * N0: a pair of brackets around right-to-left text, after right-to-left text, is right to left
 * too, so that "جامعة (الملك سعود)" keeps its brackets around the words they enclose.
 */
function resolveBrackets(chars: readonly string[], classes: BidiClass[]): void {
  const direction = (found: BidiClass | undefined): 'L' | 'R' | undefined => (found === 'L' ? 'L' : found === 'R' || found === 'EN' || found === 'AN' ? 'R' : undefined);
  for (const [opening, closing] of bracketPairs(chars, classes)) {
    const inside = new Set(classes.slice(opening + 1, closing).map(direction));
    if (inside.has('L')) classes[opening] = classes[closing] = 'L';
    else if (inside.has('R')) {
      let before: 'L' | 'R' = 'L';
      for (let at = opening - 1; at >= 0; at--) {
        const found = direction(classes[at]);
        if (found !== undefined) {
          before = found;
          break;
        }
      }
      classes[opening] = classes[closing] = before;
    }
  }
}

/** N1-N2: white space and other neutrals take the direction of the text on both sides when it agrees, else the line's (left to right). */
function resolveNeutral(classes: BidiClass[]): void {
  const direction = (found: BidiClass | undefined): 'L' | 'R' => (found === 'R' || found === 'EN' || found === 'AN' ? 'R' : 'L');
  for (let index = 0; index < classes.length; index++) {
    if (classes[index] !== 'WS' && classes[index] !== 'ON') continue;
    let end = index;
    while (classes[end] === 'WS' || classes[end] === 'ON') end++;
    const before = index === 0 ? 'L' : direction(classes[index - 1]);
    const after = end === classes.length ? 'L' : direction(classes[end]);
    classes.fill(before === after ? before : 'L', index, end);
    index = end;
  }
}

/**
 * The embedding level of each character (code point) of a line in a left-to-right paragraph:
 * 0 left to right, 1 right to left, 2 a number inside right-to-left text. White space at the
 * end of the line gets 0 (rule L1), as any neutral there does here: the line is taken to go on
 * to the right.
 */
export function bidiLevels(text: string): number[] {
  const chars = [...text];
  const classes = chars.map(classOf);
  resolveWeak(classes);
  resolveBrackets(chars, classes);
  resolveNeutral(classes);
  return classes.map((found) => (found === 'R' ? 1 : found === 'EN' || found === 'AN' ? 2 : 0));
}

/** Whether a text has a character of a right-to-left script, so that its order may change. */
export function hasRightToLeft(text: string): boolean {
  return RIGHT_TO_LEFT.test(text);
}

/**
 * How many characters (UTF-16 code units) at the end of a right-to-left text follow it on its
 * right, at the line's direction: the spaces and punctuation after its last word or number.
 */
export function leftToRightTail(text: string): number {
  const chars = [...text];
  const levels = bidiLevels(text);
  let length = 0;
  for (let index = chars.length - 1; index >= 0 && levels[index] === 0; index--) length += (chars[index] as string).length;
  return length;
}

/** Brackets and quotes that a right-to-left line draws mirrored (rule L4), both ways. */
const MIRRORED: ReadonlyMap<string, string> = new Map(
  ['()', '[]', '{}', '<>', '«»', '‹›', '⁅⁆', '⁽⁾', '₍₎', '〈〉', '《》', '「」', '（）', '［］', '｛｝', '＜＞'].flatMap(([open, close]) => [[open, close], [close, open]] as Array<[string, string]>),
);

interface Piece {
  level: number;
  chars: string[];
}

/**
 * A line's text as the pieces to shape, from left to right (rule L2): left-to-right text and
 * numbers as they are, right-to-left text a word (or a space) at a time, in reverse order. A
 * right-to-left word is given in its own order, which the shaper reverses; a piece of mirrored
 * punctuation only is reversed here, as the shaper would keep its order.
 */
export function visualPieces(text: string): string[] {
  const levels = hasRightToLeft(text) ? bidiLevels(text) : [];
  // Numbers alone keep their place: only right-to-left words change it.
  if (!levels.includes(1)) return [text];
  const pieces: Piece[] = [];
  [...text].forEach((char, index) => {
    const level = levels[index] ?? 0;
    const last = pieces.at(-1);
    const space = /\s/u.test(char);
    // Right-to-left text is cut at its spaces, so that its words can change places.
    const joins = last !== undefined && last.level === level && (level % 2 === 0 || space === /\s/u.test(last.chars.at(-1) ?? ''));
    if (joins) last.chars.push(char);
    else pieces.push({ level, chars: [char] });
  });
  const highest = Math.max(...pieces.map((piece) => piece.level));
  for (let level = highest; level >= 1; level--) {
    for (let start = 0; start < pieces.length; start++) {
      if ((pieces[start]?.level ?? 0) < level) continue;
      let end = start;
      while (end < pieces.length && (pieces[end]?.level ?? 0) >= level) end++;
      pieces.splice(start, end - start, ...pieces.slice(start, end).reverse());
      start = end;
    }
  }
  return pieces.map(({ level, chars }) => {
    if (level % 2 === 0) return chars.join('');
    const mirrored = chars.map((char) => MIRRORED.get(char) ?? char);
    const joined = mirrored.join('');
    return hasRightToLeft(joined) ? joined : mirrored.reverse().join('');
  });
}

/** What pdfkit's font for the PDF (its EmbeddedFont) returns from layout, as far as this module reads it. */
interface LaidOut {
  glyphs: unknown[] | null;
  positions: unknown[] | null;
  advanceWidth: number;
}

/** The part of pdfkit's font object (doc._font) that lays a line out for drawing and measuring. */
export interface LineLayoutFont {
  layout(text: string, features?: unknown, onlyWidth?: boolean): LaidOut;
}

const reordering = new WeakSet<LineLayoutFont>();

/**
 * Makes a pdfkit font draw each line (pdfkit lays out one line of one font at a time for drawing)
 * in visual order: right-to-left words from right to left, numbers among them from left to right.
 * Measuring is left as it is: a line's width does not depend on the order of its words, and
 * pdfkit breaks lines by measuring, so a long right-to-left phrase keeps its first words on its
 * first line. A line without right-to-left text is laid out exactly as before.
 */
export function drawLinesInVisualOrder(font: LineLayoutFont): void {
  if (reordering.has(font)) return;
  reordering.add(font);
  const layout = font.layout.bind(font);
  font.layout = (text: string, features?: unknown, onlyWidth?: boolean): LaidOut => {
    if (onlyWidth === true || !hasRightToLeft(text)) return layout(text, features, onlyWidth);
    const pieces = visualPieces(text).map((piece) => layout(piece, features, false));
    return {
      glyphs: pieces.flatMap((piece) => piece.glyphs ?? []),
      positions: pieces.flatMap((piece) => piece.positions ?? []),
      advanceWidth: pieces.reduce((sum, piece) => sum + piece.advanceWidth, 0),
    };
  };
}

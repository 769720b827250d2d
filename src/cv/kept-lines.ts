/**
 * A line as pdfkit's line breaker made it: its length (the text's next characters, with the spaces
 * it ends with), and the width, word count and line width the breaker handed to its drawing.
 */
export type KeptLine = [length: number, textWidth: number, wordCount: number, lineWidth: number];

/** Kept lines by what they depend on (the font file, its size, the width of the column and the text), as pairs. */
export type KeptLines = Array<[key: string, lines: KeptLine[]]>;

/** What of pdfkit's text drawing the kept lines go through: the parts below `text()`, which it does not export. */
interface TextInternals {
  _initOptions(x: number, y: number, options: object): TextOptions;
  _text(text: string, x: number, y: number, options: object, lineCallback: LineCallback): unknown;
  _fragment(text: string, x: number, y: number, options: TextOptions): void;
  _line(text: string, options: TextOptions, wrapper?: unknown): void;
  _wrapper: unknown;
  _textOptions: unknown;
  _lineGap?: number;
  _fontSize: number;
}
interface TextOptions {
  lineGap?: number;
  textWidth?: number;
  wordCount?: number;
  lineWidth?: number;
}
type LineCallback = (lineText: string, lineOptions: TextOptions, wrapper?: unknown) => unknown;

/**
 * The CV's wrapped texts, line by line, from the PDF made before: a text drawn again in the same
 * font, size and column is drawn from its kept lines, without pdfkit's line breaker, and measured
 * by counting them (a long list's rows are each measured and then drawn: the 5,000 publications'
 * CV took about a quarter less time drawn from kept lines). A text measured by the breaker keeps
 * the lines it made, so that drawing it next needs no breaker either. The lines are exactly those the
 * breaker gave for the same text, font and width, drawn through the same call as the breaker draws
 * them, so the PDF is the same byte for byte (tested). Where pdfkit's internals are not as
 * expected, or a row would not fit below the lines before it, texts go the ordinary way. What a
 * PDF used is what the next one starts from.
 */
export class LineBook {
  readonly #kept: ReadonlyMap<string, KeptLine[]>;
  readonly #used = new Map<string, KeptLine[]>();
  /** How many texts were drawn from kept lines, how many by the line breaker, and how many were measured by it. */
  readonly counts = { kept: 0, broken: 0, measured: 0 };

  constructor(kept: KeptLines = []) {
    this.#kept = new Map(kept);
  }

  /** The lines this PDF drew, for the next one. */
  used(): KeptLines {
    return [...this.#used];
  }

  /**
   * The height pdfkit's heightOfString gives for this text at the current font and size: counted
   * from its lines if they are kept, else measured by heightOfString, keeping the lines its line
   * breaker makes. Undefined for a text that is always left to the breaker (see text()), and for
   * an empty one, which has no lines.
   */
  heightOf(doc: PDFKit.PDFDocument, font: string, text: string, width: number): number | undefined {
    if (text === '' || !breaksOnlyWhereItFits(text) || !hasInternals(doc)) return undefined;
    const key = keyOf(doc, font, text, width);
    const lines = this.#lines(key);
    if (lines === undefined) return this.#measure(doc, key, text, width);
    // As heightOfString adds up each line's height, in the same order (floating point).
    const step = doc.currentLineHeight(true) + (doc._lineGap || 0);
    let y = doc.y;
    for (const _line of lines) y += step;
    return y - doc.y;
  }

  /** heightOfString, keeping the lines its breaker made: they are the lines text() would draw, as the breaker breaks a text by its width alone. */
  #measure(doc: PDFKit.PDFDocument & TextInternals, key: string, text: string, width: number): number {
    this.counts.measured++;
    const textMethod = doc._text;
    const made = new Lines(text);
    // heightOfString hands the breaker a callback of its own for each line: it passes here first.
    doc._text = function (this: unknown, value: string, x: number, y: number, options: object, lineCallback: LineCallback) {
      return textMethod.call(this, value, x, y, options, (lineText: string, lineOptions: TextOptions, wrapper?: unknown) => {
        made.add(lineText, lineOptions, wrapper);
        return lineCallback(lineText, lineOptions, wrapper);
      });
    };
    let height: number;
    try {
      height = doc.heightOfString(text, { width });
    } finally {
      doc._text = textMethod;
    }
    if (made.complete()) this.#used.set(key, made.lines);
    return height;
  }

  /**
   * Draws a text wrapped to `options.width` at `at`, as `doc.text(text, at.x, at.y, options)` does,
   * in the font and size set: from its kept lines if there are any, else through pdfkit's line
   * breaker, keeping the lines it makes.
   */
  text(doc: PDFKit.PDFDocument, font: string, text: string, at: { x: number; y: number }, options: PDFKit.Mixins.TextOptions & { width: number }): void {
    if (!breaksOnlyWhereItFits(text) || !hasInternals(doc)) {
      this.counts.broken++;
      doc.text(text, at.x, at.y, options);
      return;
    }
    const key = keyOf(doc, font, text, options.width);
    const lines = this.#lines(key);
    if (lines !== undefined && drawKept(doc, text, lines, at, options)) {
      this.#used.set(key, lines);
      this.counts.kept++;
      return;
    }
    this.counts.broken++;
    const made = new Lines(text);
    const line = doc._line;
    // Each line the breaker draws passes here, with what it measured of it.
    doc._line = function (this: unknown, lineText: string, lineOptions: TextOptions, wrapper?: unknown) {
      made.add(lineText, lineOptions, wrapper);
      return line.call(this, lineText, lineOptions, wrapper);
    };
    try {
      doc.text(text, at.x, at.y, options);
    } finally {
      doc._line = line;
    }
    if (made.complete()) this.#used.set(key, made.lines);
  }

  #lines(key: string): KeptLine[] | undefined {
    return this.#used.get(key) ?? this.#kept.get(key);
  }
}

/**
 * The lines pdfkit's line breaker makes of a text, as it hands them on. A line that is not the
 * text's next characters (a soft hyphen drawn as a hyphen) leaves the text to the breaker.
 */
class Lines {
  readonly lines: KeptLine[] = [];
  #offset = 0;
  #slices = true;

  constructor(readonly text: string) {}

  add(lineText: string, lineOptions: TextOptions, wrapper: unknown): void {
    if (wrapper === undefined || !this.#slices) return;
    this.#slices = this.text.startsWith(lineText, this.#offset);
    this.#offset += lineText.length;
    this.lines.push([lineText.length, lineOptions.textWidth ?? 0, lineOptions.wordCount ?? 0, lineOptions.lineWidth ?? 0]);
  }

  /** Whether there are lines, each the text's next characters. */
  complete(): boolean {
    return this.#slices && this.lines.length > 0;
  }
}

/**
 * Whether the text has no line break of its own (newline, vertical tab, form feed, next line, line
 * or paragraph separator): the breaker checks for room differently after those, so such texts are
 * always broken by it.
 */
function breaksOnlyWhereItFits(text: string): boolean {
  return !/[\n\r\v\f\u0085\u2028\u2029]/.test(text);
}

function keyOf(doc: PDFKit.PDFDocument, font: string, text: string, width: number): string {
  return `${font}\u0000${(doc as unknown as TextInternals)._fontSize}\u0000${width}\u0000${text}`;
}

function hasInternals(doc: PDFKit.PDFDocument): doc is PDFKit.PDFDocument & TextInternals {
  const internals = doc as unknown as Partial<TextInternals>;
  return typeof internals._initOptions === 'function' && typeof internals._fragment === 'function' && typeof internals._line === 'function' && typeof internals._fontSize === 'number';
}

/**
 * What pdfkit's text() does for a wrapped text, given its lines: each drawn by _fragment with what
 * the breaker measured, one line height (and gap) below the other, and the position left as the
 * breaker leaves it. False, having drawn nothing, where the breaker would have started a new page
 * (a line that does not fit above the page's bottom margin).
 */
function drawKept(doc: PDFKit.PDFDocument & TextInternals, text: string, lines: readonly KeptLine[], at: { x: number; y: number }, options: PDFKit.Mixins.TextOptions): boolean {
  // As text() starts: the position set, the options completed (it draws nothing yet).
  const drawn = doc._initOptions(at.x, at.y, { ...options, continued: false });
  const height = doc.currentLineHeight(true);
  const gap = drawn.lineGap || doc._lineGap || 0;
  const maxY = pdfNumber(doc.page.maxY());
  // The breaker's checks: before the first line, and after each line but the last, for the next.
  if (at.y > maxY || at.y + height > maxY) return false;
  let y = at.y;
  for (let index = 0; index < lines.length - 1; index++) {
    y += height + gap;
    if (pdfNumber(y + height) > maxY) return false;
  }
  doc._wrapper = null;
  doc._textOptions = null;
  let offset = 0;
  for (const [length, textWidth, wordCount, lineWidth] of lines) {
    drawn.textWidth = textWidth;
    drawn.wordCount = wordCount;
    drawn.lineWidth = lineWidth;
    doc._fragment(text.slice(offset, offset + length), doc.x, doc.y, drawn);
    offset += length;
    doc.y += height + gap;
  }
  doc.x = at.x;
  return true;
}

/** The number pdfkit writes for `n`, as its line breaker compares positions: the nearest 32-bit float not above it (not below, for negatives). */
function pdfNumber(n: number): number {
  const rounded = Math.fround(n);
  if (rounded <= n) return rounded;
  const float = new Float32Array([n]);
  const bits = new Uint32Array(float.buffer);
  bits[0] = (bits[0] ?? 0) + (n <= 0 ? 1 : -1);
  return float[0] ?? n;
}

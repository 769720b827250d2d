import { readFileSync } from 'node:fs';

/** Whether a font draws a character (by code point). */
export type Coverage = (codePoint: number) => boolean;

/** Unicode subtables, by platform and encoding, in the order fontkit prefers them. */
const PREFERRED: ReadonlyArray<readonly [number, number]> = [[3, 10], [0, 6], [0, 4], [3, 1], [0, 3], [0, 2], [0, 1], [0, 0]];

/**
 * Which characters a font draws, read from its character map (the OpenType `cmap` table) without
 * fontkit. Checking a CV's text against the main font is all most builds need of fonts before the
 * PDF; loading fontkit for it cost the main thread a tenth of a second, on the way to the first
 * page. The subtable is chosen as fontkit chooses it, and a character is drawn when it maps to a
 * glyph other than 0, as fontkit's hasGlyphForCodePoint says. A font this cannot read (a chosen
 * subtable of another format than 4 or 12, a damaged file) gives undefined: the caller asks fontkit.
 */
export function fontCoverage(file: string): Coverage | undefined {
  try {
    return readCoverage(file);
  } catch {
    return undefined; // fontkit says what is wrong with it
  }
}

function readCoverage(file: string): Coverage | undefined {
  const font = readFileSync(file);
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const cmap = tableOffset(font, view, 'cmap');
  if (cmap === undefined) return undefined;
  const subtables = view.getUint16(cmap + 2);
  for (const [platform, encoding] of PREFERRED) {
    for (let index = 0; index < subtables; index++) {
      const record = cmap + 4 + index * 8;
      if (view.getUint16(record) !== platform || view.getUint16(record + 2) !== encoding) continue;
      const subtable = cmap + view.getUint32(record + 4);
      const format = view.getUint16(subtable);
      if (format === 12) return format12Coverage(view, subtable);
      if (format === 4) return format4Coverage(view, subtable);
      return undefined;
    }
  }
  return undefined;
}

function tableOffset(font: Buffer, view: DataView, tag: string): number | undefined {
  const tables = view.getUint16(4);
  for (let index = 0; index < tables; index++) {
    const record = 12 + index * 16;
    if (font.toString('latin1', record, record + 4) === tag) return view.getUint32(record + 8);
  }
  return undefined;
}

/** Format 12: groups of consecutive characters mapped to consecutive glyphs (undefined if they run past the file's end). */
function format12Coverage(view: DataView, subtable: number): Coverage | undefined {
  const groups = view.getUint32(subtable + 12);
  const group = (index: number): number => subtable + 16 + index * 12;
  if (group(groups) > view.byteLength) return undefined;
  return (codePoint) => {
    let low = 0;
    let high = groups - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const start = view.getUint32(group(middle));
      if (codePoint < start) high = middle - 1;
      else if (codePoint > view.getUint32(group(middle) + 4)) low = middle + 1;
      else return view.getUint32(group(middle) + 8) + (codePoint - start) !== 0;
    }
    return false;
  };
}

/** Format 4: segments of the Basic Multilingual Plane, with a delta or an array of glyph indices (undefined if they run past the file's end). */
function format4Coverage(view: DataView, subtable: number): Coverage | undefined {
  const segments = view.getUint16(subtable + 6) >> 1; // as fontkit reads it, should the count be odd
  const endCodes = subtable + 14;
  const startCodes = endCodes + segments * 2 + 2;
  const deltas = startCodes + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  const glyphIndices = rangeOffsets + segments * 2;
  const end = Math.min(subtable + view.getUint16(subtable + 2), view.byteLength);
  if (glyphIndices > end) return undefined;
  return (codePoint) => {
    let low = 0;
    let high = segments - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const start = view.getUint16(startCodes + middle * 2);
      if (codePoint < start) high = middle - 1;
      else if (codePoint > view.getUint16(endCodes + middle * 2)) low = middle + 1;
      else {
        const delta = view.getUint16(deltas + middle * 2);
        const rangeOffset = view.getUint16(rangeOffsets + middle * 2);
        if (rangeOffset === 0) return ((codePoint + delta) & 0xffff) !== 0;
        const index = rangeOffset / 2 + (codePoint - start) - (segments - middle);
        const at = glyphIndices + index * 2;
        const glyph = at >= glyphIndices && at + 2 <= end ? view.getUint16(at) : 0;
        return glyph !== 0 && ((glyph + delta) & 0xffff) !== 0;
      }
    }
    return false;
  };
}

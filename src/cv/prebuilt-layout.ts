import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { engineSources, hashOfFile } from '../cache.ts';
import { fontFileHash, MAIN_FONTS, type FontRole } from './font-files.ts';
import { askFontkit, isCandidate, type KnownPairs, type LayoutFont, type Single } from './pair-layout.ts';

/**
 * What fontkit says about the main font's characters and pairs of neighbours (see pair-layout.ts),
 * asked ahead of time and kept in the repository (src/prebuilt/main-font-layout.json, made by
 * `npm run prebuilt-font-layout`). Asking fontkit costs little once its code is warm and the font's
 * tables are read; in a first build neither is, and the thousand pairs of the example's CV took a
 * third of the PDF's time, which is what a first build waits for last. A face's answers are used
 * only while its font file is byte for byte the one they were asked of, fontkit the same version
 * and pair-layout.ts the same code; anything else asks fontkit again, so a stale record costs
 * time, never correctness.
 */
export interface PrebuiltLayout {
  /** The fontkit version that answered. */
  fontkit: string;
  /** A hash of src/cv/pair-layout.ts, which says what is asked and what counts as a plain answer. */
  layout: string;
  faces: Record<FontRole, PrebuiltFace>;
}

export interface PrebuiltFace {
  /** A hash of the font file's bytes. */
  font: string;
  /** Every character pairwiseLayout takes: [glyph id, glyph advance, glyph code points, advance], or null when fontkit does more than place one glyph. */
  glyphs: Record<string, [number, number, number[], number] | null>;
  /** The pairs of those characters not kerned by 0: by how much, or null when fontkit does more than kern them. */
  kerning: Record<string, number | null>;
}

const PREBUILT = new URL('../prebuilt/main-font-layout.json', import.meta.url);

/** Every character pairwiseLayout may lay out itself. */
function candidateCharacters(): string[] {
  const chars: string[] = [];
  for (let codePoint = 0; codePoint <= 0xffff; codePoint++) {
    const char = String.fromCharCode(codePoint);
    if (isCandidate(char)) chars.push(char);
  }
  return chars;
}

/** Asks fontkit about every candidate character of a font file, and every pair of those it places plainly. */
export function makePrebuiltFace(file: string): PrebuiltFace {
  const font = fontkit.openSync(file) as unknown as LayoutFont;
  const ask = askFontkit((text) => font.layout(text));
  const glyphs: PrebuiltFace['glyphs'] = {};
  const plain = new Map<string, NonNullable<Single>>();
  for (const char of candidateCharacters()) {
    const single = ask.single(char);
    glyphs[char] = single === undefined ? null : [single.glyph.id, single.glyph.advanceWidth, [...single.glyph.codePoints], single.advance];
    if (single !== undefined) plain.set(char, single);
  }
  const kerning: PrebuiltFace['kerning'] = {};
  for (const [first, a] of plain) {
    for (const [second, b] of plain) {
      const adjustment = ask.kern(a, b, first + second);
      if (adjustment !== 0) kerning[first + second] = adjustment ?? null;
    }
  }
  return { font: fontFileHash(file), glyphs, kerning };
}

/** The record for the installed fontkit, this pair-layout.ts and the main font's three faces. */
export function makePrebuiltLayout(): PrebuiltLayout {
  const layout = layoutHash();
  if (layout === undefined) throw new Error('src/cv/pair-layout.ts cannot be read: the prebuilt layout would never be used');
  return {
    fontkit: installedFontkitVersion(),
    layout,
    faces: { regular: makePrebuiltFace(MAIN_FONTS.regular), bold: makePrebuiltFace(MAIN_FONTS.bold), italic: makePrebuiltFace(MAIN_FONTS.italic) },
  };
}

/** Writes the record into the repository: a line per face's table, so that a change reads as one. */
export function writePrebuiltLayout(): void {
  const record = makePrebuiltLayout();
  const faces = Object.entries(record.faces).map(
    ([role, face]) => `    ${JSON.stringify(role)}: {\n      "font": ${JSON.stringify(face.font)},\n      "glyphs": ${JSON.stringify(face.glyphs)},\n      "kerning": ${JSON.stringify(face.kerning)}\n    }`,
  );
  writeFileSync(PREBUILT, `{\n  "fontkit": ${JSON.stringify(record.fontkit)},\n  "layout": ${JSON.stringify(record.layout)},\n  "faces": {\n${faces.join(',\n')}\n  }\n}\n`);
}

/** The shipped record's answers, by the hash of the font file they are for. */
const known = new Map<string, KnownPairs | undefined>();

/**
 * fontkit's answers for this font file, if the record holds them for exactly this file, this
 * fontkit and this pair-layout.ts. `prebuilt` is the shipped record unless given.
 */
export function prebuiltPairs(file: string, prebuilt?: unknown): KnownPairs | undefined {
  let hash: string;
  try {
    hash = fontFileHash(file);
  } catch {
    return undefined;
  }
  if (prebuilt !== undefined) return pairsFrom(hash, prebuilt);
  if (!known.has(hash)) known.set(hash, pairsFrom(hash, readPrebuilt()));
  return known.get(hash);
}

function pairsFrom(fontHash: string, record: unknown): KnownPairs | undefined {
  if (!isPrebuiltLayout(record) || record.fontkit !== installedFontkitVersion() || record.layout !== layoutHash()) return undefined;
  const face = Object.values(record.faces).find((candidate) => candidate.font === fontHash);
  if (face === undefined) return undefined;
  const singles = new Map<string, Single>();
  for (const [char, glyph] of Object.entries(face.glyphs)) {
    singles.set(char, glyph === null ? undefined : { glyph: { id: glyph[0], advanceWidth: glyph[1], codePoints: glyph[2] }, advance: glyph[3] });
  }
  const kerning = new Map<string, number | undefined>();
  for (const [pair, adjustment] of Object.entries(face.kerning)) kerning.set(pair, adjustment ?? undefined);
  return { singles, kerning };
}

function readPrebuilt(): unknown {
  try {
    return JSON.parse(readFileSync(PREBUILT, 'utf8'));
  } catch {
    return undefined;
  }
}

function isPrebuiltLayout(value: unknown): value is PrebuiltLayout {
  if (!isRecord(value) || typeof value['fontkit'] !== 'string' || typeof value['layout'] !== 'string' || !isRecord(value['faces'])) return false;
  const faces = value['faces'];
  return (['regular', 'bold', 'italic'] as const).every((role) => isPrebuiltFace(faces[role]));
}

function isPrebuiltFace(value: unknown): value is PrebuiltFace {
  if (!isRecord(value) || typeof value['font'] !== 'string' || !isRecord(value['glyphs']) || !isRecord(value['kerning'])) return false;
  const isGlyph = (glyph: unknown): boolean =>
    glyph === null ||
    (Array.isArray(glyph) && glyph.length === 4 && Number.isInteger(glyph[0]) && Number.isFinite(glyph[1]) && Array.isArray(glyph[2]) && glyph[2].every(Number.isInteger) && Number.isFinite(glyph[3]));
  const glyphs = Object.entries(value['glyphs']);
  return (
    glyphs.every(([char, glyph]) => [...char].length === 1 && isCandidate(char) && isGlyph(glyph)) &&
    Object.entries(value['kerning']).every(([pair, adjustment]) => [...pair].length === 2 && (adjustment === null || Number.isFinite(adjustment)))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The version of fontkit in node_modules, read from its package.json (which the package does not export). */
function installedFontkitVersion(): string {
  const main = createRequire(import.meta.url).resolve('fontkit');
  return (JSON.parse(readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** A hash of src/cv/pair-layout.ts as written. */
function layoutHash(): string | undefined {
  try {
    return hashOfFile(path.join(engineSources(), 'cv', 'pair-layout.ts'));
  } catch {
    return undefined;
  }
}

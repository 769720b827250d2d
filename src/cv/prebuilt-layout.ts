import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { engineSources, hashOf, hashOfFile } from '../cache.ts';
import { fontFileHash, MAIN_FONTS, type FontRole } from './font-files.ts';
import { askFontkit, isCandidate, type KnownPairs, type LayoutFont, type Single } from './pair-layout.ts';

/**
 * What fontkit says about the main font's characters and pairs of neighbours (see pair-layout.ts),
 * asked ahead of time and kept in the repository (src/prebuilt/main-font-layout.json, made by
 * `npm run prebuilt-font-layout`). Asking fontkit costs little once its code is warm and the font's
 * tables are read; in a first build neither is, and the thousand pairs of the example's CV took a
 * third of the PDF's time, which is what a first build waits for last. A face's answers are used
 * only while its font file is byte for byte the one they were asked of, fontkit (the one pdfkit
 * loads) and the packages it uses the same versions, pair-layout.ts and this file the same code,
 * and the table itself as written (its checksum); anything else asks fontkit again, so a stale
 * record costs time, never correctness.
 */
export interface PrebuiltLayout {
  /** fontkit and the packages it uses, with their versions: what answered (see shapingPackages). */
  shaping: string;
  /** A hash of src/cv/pair-layout.ts and this file, which say what is asked and what counts as a plain answer. */
  layout: string;
  faces: Record<FontRole, PrebuiltFace>;
}

export interface PrebuiltFace {
  /** A hash of the font file's bytes. */
  font: string;
  /** A hash of `glyphs` and `kerning` as written: a table that was edited or merged by hand is not used. */
  checksum: string;
  /** Every character pairwiseLayout takes: [glyph id, advance], or null when fontkit does more than place one glyph. */
  glyphs: Record<string, [number, number] | null>;
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
    glyphs[char] = single === undefined ? null : [single.glyph.id, single.advance];
    if (single !== undefined) plain.set(char, single);
  }
  const kerning: PrebuiltFace['kerning'] = {};
  for (const [first, a] of plain) {
    for (const [second, b] of plain) {
      const adjustment = ask.kern(a, b, first + second);
      if (adjustment !== 0) kerning[first + second] = adjustment ?? null;
    }
  }
  return { font: fontFileHash(file), checksum: faceChecksum(glyphs, kerning), glyphs, kerning };
}

function faceChecksum(glyphs: unknown, kerning: unknown): string {
  return hashOf(JSON.stringify(glyphs), JSON.stringify(kerning));
}

/** The record for the installed fontkit and the packages it uses, this code and the main font's three faces. */
export function makePrebuiltLayout(): PrebuiltLayout {
  const layout = layoutHash();
  if (layout === undefined) throw new Error('src/cv/pair-layout.ts or prebuilt-layout.ts cannot be read: the prebuilt layout would never be used');
  const shaping = shapingPackages();
  if (shaping === undefined) throw new Error('pdfkit uses another fontkit than the engine: the prebuilt layout would never be used');
  return {
    shaping,
    layout,
    faces: { regular: makePrebuiltFace(MAIN_FONTS.regular), bold: makePrebuiltFace(MAIN_FONTS.bold), italic: makePrebuiltFace(MAIN_FONTS.italic) },
  };
}

/** Writes the record into the repository: a line per face's table, so that a change reads as one. */
export function writePrebuiltLayout(): void {
  const record = makePrebuiltLayout();
  const faces = Object.entries(record.faces).map(
    ([role, face]) =>
      `    ${JSON.stringify(role)}: {\n      "font": ${JSON.stringify(face.font)},\n      "checksum": ${JSON.stringify(face.checksum)},\n      "glyphs": ${JSON.stringify(face.glyphs)},\n      "kerning": ${JSON.stringify(face.kerning)}\n    }`,
  );
  writeFileSync(PREBUILT, `{\n  "shaping": ${JSON.stringify(record.shaping)},\n  "layout": ${JSON.stringify(record.layout)},\n  "faces": {\n${faces.join(',\n')}\n  }\n}\n`);
}

/** The shipped record's answers, by the hash of the font file they are for. */
const known = new Map<string, KnownPairs | undefined>();

/**
 * fontkit's answers for this font file, if the record holds them for exactly this file, this
 * fontkit and the packages it uses, and this code, and is intact. `prebuilt` is the shipped
 * record unless given.
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
  if (!isPrebuiltLayout(record) || record.shaping !== shapingPackages() || record.layout !== layoutHash()) return undefined;
  const face = Object.values(record.faces).find((candidate) => candidate.font === fontHash);
  if (face === undefined || face.checksum !== faceChecksum(face.glyphs, face.kerning)) return undefined;
  const singles = new Map<string, { id: number; advance: number } | undefined>();
  for (const [char, glyph] of Object.entries(face.glyphs)) singles.set(char, glyph === null ? undefined : { id: glyph[0], advance: glyph[1] });
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
  if (!isRecord(value) || typeof value['shaping'] !== 'string' || typeof value['layout'] !== 'string' || !isRecord(value['faces'])) return false;
  const faces = value['faces'];
  return (['regular', 'bold', 'italic'] as const).every((role) => isPrebuiltFace(faces[role]));
}

function isPrebuiltFace(value: unknown): value is PrebuiltFace {
  if (!isRecord(value) || typeof value['font'] !== 'string' || typeof value['checksum'] !== 'string' || !isRecord(value['glyphs']) || !isRecord(value['kerning'])) return false;
  const isGlyph = (glyph: unknown): boolean => glyph === null || (Array.isArray(glyph) && glyph.length === 2 && Number.isInteger(glyph[0]) && Number.isFinite(glyph[1]));
  const glyphs = Object.entries(value['glyphs']);
  return (
    glyphs.every(([char, glyph]) => [...char].length === 1 && isCandidate(char) && isGlyph(glyph)) &&
    Object.entries(value['kerning']).every(([pair, adjustment]) => [...pair].length === 2 && (adjustment === null || Number.isFinite(adjustment)))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * fontkit as pdfkit loads it, and every package it uses, with their versions ("fontkit@2.0.4
 * restructure@3.0.2 ..."): an update of any of them may shape differently. Undefined when pdfkit
 * loads another fontkit than the engine's (then the table would not be pdfkit's answers).
 */
const shapingPackages = once((): string | undefined => {
  const require = createRequire(import.meta.url);
  const ours = packageFolder('fontkit', path.dirname(require.resolve('fontkit')));
  const pdfkits = packageFolder('fontkit', path.dirname(createRequire(require.resolve('pdfkit')).resolve('fontkit')));
  if (ours === undefined || ours !== pdfkits) return undefined;
  const found = new Set<string>();
  const visit = (name: string, folder: string): void => {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
    const id = `${name}@${manifest.version}`;
    if (found.has(id)) return;
    found.add(id);
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      const dependencyFolder = installedFolder(dependency, folder);
      if (dependencyFolder !== undefined) visit(dependency, dependencyFolder);
    }
  };
  visit('fontkit', ours);
  return [...found].sort().join(' ');
});

/** The folder of the package `name` that contains `inside` (the folder of one of its files). */
function packageFolder(name: string, inside: string): string | undefined {
  for (let folder = inside; folder !== path.dirname(folder); folder = path.dirname(folder)) {
    if (folder.endsWith(path.join('node_modules', name))) return folder;
  }
  return undefined;
}

/** Where Node finds the package `name` from a package in `from`: its node_modules, then those of the folders above. */
function installedFolder(name: string, from: string): string | undefined {
  for (let folder = from; folder !== path.dirname(folder); folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

/** A hash of src/cv/pair-layout.ts and src/cv/prebuilt-layout.ts as written. */
const layoutHash = once((): string | undefined => {
  try {
    return hashOf(...['pair-layout.ts', 'prebuilt-layout.ts'].map((file) => hashOfFile(path.join(engineSources(), 'cv', file))));
  } catch {
    return undefined;
  }
});

/** `compute`, worked out at its first call and remembered for the process. */
function once<T>(compute: () => T): () => T {
  let value: { of: T } | undefined;
  return () => (value ??= { of: compute() }).of;
}

import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hashOfFile } from '../cache.ts';
import { SiteInputError } from '../errors.ts';

/** The face a piece of text asks for; a fallback font stands in with its closest face. */
export type FontRole = 'regular' | 'bold' | 'italic';

const require = createRequire(import.meta.url);
const DEJAVU_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/**
 * The main font, DejaVu Sans, draws Latin, Greek, Cyrillic, Arabic, Hebrew, Armenian and Georgian;
 * pdfkit embeds only the glyphs used.
 */
export const MAIN_FONTS: Readonly<Record<FontRole, string>> = {
  regular: path.join(DEJAVU_DIR, 'DejaVuSans.ttf'),
  bold: path.join(DEJAVU_DIR, 'DejaVuSans-Bold.ttf'),
  italic: path.join(DEJAVU_DIR, 'DejaVuSans-Oblique.ttf'),
};

/** Fonts the owner adds for other scripts (CJK, Devanagari, Thai...). Read by the PDF only, never published. */
export const OWN_FONTS_DIR = 'content/fonts';
/** Installed Google Fonts packages (`npm install @expo-google-fonts/noto-sans-sc`) are used too. */
const FONT_PACKAGES_DIR = 'node_modules/@expo-google-fonts';
const PACKAGE_FACES = ['400Regular', '700Bold', '400Regular_Italic'];

const EMBEDDABLE = /\.(ttf|otf)$/i;
const OTHER_FONT_FORMATS = /\.(ttc|otc|woff2?|dfont|pfb|pfa)$/i;

function sortedEntries(folder: string): string[] {
  try {
    return readdirSync(folder).sort();
  } catch {
    return [];
  }
}

/** The font files that may stand in for the main font, in the order they are tried: the owner's, then installed packages. */
export function fallbackFontFiles(root: string): string[] {
  const own = path.join(root, OWN_FONTS_DIR);
  const files: string[] = [];
  for (const name of sortedEntries(own)) {
    if (EMBEDDABLE.test(name)) files.push(path.join(own, name));
    else if (OTHER_FONT_FORMATS.test(name)) {
      throw new SiteInputError([{ file: path.join(OWN_FONTS_DIR, name), message: 'only .ttf and .otf fonts can be embedded in the CV PDF: use the TrueType or OpenType file of this font' }]);
    }
  }
  const packages = path.join(root, FONT_PACKAGES_DIR);
  for (const name of sortedEntries(packages)) {
    for (const face of PACKAGE_FACES) {
      for (const file of sortedEntries(path.join(packages, name, face))) if (EMBEDDABLE.test(file)) files.push(path.join(packages, name, face, file));
    }
  }
  return files;
}

const contentHashes = new Map<string, string>();

/** A hash of a font file's bytes, read again only when its size or time changed. */
export function fontFileHash(file: string): string {
  const stats = statSync(file);
  const stamp = `${file}:${stats.size}:${stats.mtimeMs}`;
  let hash = contentHashes.get(stamp);
  if (hash === undefined) {
    hash = hashOfFile(file);
    contentHashes.set(stamp, hash);
  }
  return hash;
}

/**
 * What the fallback fonts are, for cache keys: the PDF changes when they do. By content, so that a
 * fresh checkout (new modification times) still finds its PDF in the cache, and a replaced font
 * with the old time is still noticed.
 */
export function fallbackFontFingerprint(root: string): string[] {
  return fallbackFontFiles(root).map((file) => `${path.relative(root, file)}:${fontFileHash(file)}`);
}

import { readdir, readFile } from 'node:fs/promises';
import { hashOf, type DiskCache } from '../cache.ts';
import path from 'node:path';
import { BibliographyError, type Problem } from '../errors.ts';
import type { Publication } from './types.ts';
import { scanEntryStarts } from './scan-entries.ts';

export interface Bibliography {
  publications: Publication[];
  /** Things that were read with a guess: unknown commands, odd months, missing years. */
  warnings: Problem[];
}

export interface LoadOptions {
  /** Where parsed bibliographies are kept between builds. */
  cache?: DiskCache;
  /** The folder served at the site's root, where `pdf = {paper.pdf}` files are looked for. */
  contentDir?: string;
  hiddenFields?: readonly string[];
  /** How the owner's name is written (site.yaml's author_names): a crossref parent is listed only when they wrote or edited it. */
  ownerNames?: readonly string[];
}

/**
 * Reads the bibliography file (UTF-8) and returns its entries in file order.
 * Every problem in the file is reported at once, in one BibliographyError.
 */
export async function loadBibliography(projectRoot: string, file: string, options: LoadOptions = {}): Promise<Bibliography> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(projectRoot, file));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new BibliographyError([{ file, message: `cannot read the bibliography: ${reason}` }]);
  }
  const assetsDir = options.contentDir === undefined ? undefined : path.resolve(projectRoot, options.contentDir, 'assets');
  const assetNames = assetsDir === undefined ? [] : (await readdir(assetsDir, { recursive: true }).catch(() => [] as string[])).map(String).sort();
  // Parsing is the slow part; the result depends only on the text, the options and which asset files exist.
  const key = hashOf('bibliography', file, bytes.toString('base64'), JSON.stringify(options.hiddenFields ?? []), JSON.stringify(options.ownerNames ?? null), assetNames.join('\n'));
  // One cached parse per bibliography file: each edit replaces it.
  const cached = await options.cache?.get<Bibliography>('bibliography', key, file);
  if (cached !== undefined) return cached;
  // What reads BibTeX is loaded only when the bibliography is not in the cache (the parser only when an entry needs it).
  const { readBibtex, readBibtexCached } = await import('./read-bibtex.ts');
  const readOptions = {
    file,
    ...(options.contentDir === undefined ? {} : { assets: { contentDir: path.resolve(projectRoot, options.contentDir), folders: ['assets/pdf', 'assets'] } }),
    ...(options.hiddenFields === undefined ? {} : { hiddenFields: options.hiddenFields }),
    ...(options.ownerNames === undefined ? {} : { ownerNames: options.ownerNames }),
  };
  // With a cache, entries that did not change since the last build are not parsed again.
  const text = decodeUtf8(bytes, file);
  const result = options.cache === undefined ? await readBibtex(text, readOptions) : await readBibtexCached(text, readOptions, options.cache);
  if (result.errors.length > 0) throw new BibliographyError(result.errors);
  const bibliography = { publications: result.publications, warnings: result.warnings };
  // Written once the model is on its way (see setSoon): nothing changes what was read.
  options.cache?.setSoon('bibliography', key, bibliography, file);
  return bibliography;
}

/** Decodes UTF-8 strictly: a wrong encoding is reported, never turned into mojibake. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const { line, column } = firstInvalidUtf8(bytes);
    // The entry it is in, as the file reads with the bad bytes replaced.
    const key = scanEntryStarts(new TextDecoder('utf-8').decode(bytes)).filter((start) => start.line <= line).at(-1)?.key;
    throw new BibliographyError([
      { file, line, column, ...(key === undefined || key === '' ? {} : { key }), message: 'the file is not valid UTF-8 (it may be Latin-1 or Windows-1252); re-save it as UTF-8' },
    ]);
  }
}

function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < bytes.length; ) {
    const byte = bytes[index] ?? 0;
    const length = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 0;
    try {
      if (length === 0) throw new Error('continuation byte');
      decoder.decode(bytes.subarray(index, index + length));
    } catch {
      return { line, column: index - lineStart + 1 };
    }
    if (byte === 0x0a) {
      line++;
      lineStart = index + 1;
    }
    index += length;
  }
  return { line, column: 1 };
}

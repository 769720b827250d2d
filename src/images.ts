import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { hashOf, hashOfFile, type DiskCache } from './cache.ts';

/** A responsive picture: one `<source>` per modern format and a JPEG fallback. */
export interface PictureView {
  alt: string;
  sources: Array<{ type: string; srcset: string }>;
  src: string;
  srcset: string;
  /** The width the layout shows the picture at, for the `sizes` attribute. */
  sizes: string;
  width: number;
  height: number;
  /** The largest JPEG, for link previews and the vCard. */
  largest: string;
}

/** The portrait is shown 160 CSS pixels wide; the larger files serve screens of 2x and 3x density. */
const PORTRAIT_DISPLAY_WIDTH = 160;
const PORTRAIT_WIDTHS = [PORTRAIT_DISPLAY_WIDTH, PORTRAIT_DISPLAY_WIDTH * 2, PORTRAIT_DISPLAY_WIDTH * 3];

export interface PortraitCache {
  /** Where the image files are made, once per photo. */
  folder: string;
  disk: DiskCache;
}

/** Portraits being made into the cache, by key, so that a build that started one early does not make it twice. */
const making = new Map<string, Promise<MadePortrait>>();

/**
 * The portrait's files in the cache, made if they are not there. Encoding AVIF is slow: images
 * are made once into the cache (file names are content hashes) and copied into each build. What
 * was made is remembered with the photo's hash, so a warm build loads neither eleventy-img nor sharp.
 */
function madeInCache(source: string, alt: string, cache: PortraitCache): Promise<MadePortrait> {
  const key = hashOf('portrait', alt, hashOfFile(source));
  let made = making.get(key);
  if (made === undefined) {
    made = (async () => {
      const kept = await cache.disk.get<MadePortrait>('portrait', key);
      if (kept !== undefined && kept.files.every((file) => existsSync(path.join(cache.folder, file)))) return kept;
      const fresh = await makePortrait(source, alt, cache.folder);
      await cache.disk.set('portrait', key, fresh);
      return fresh;
    })();
    making.set(key, made);
    made.finally(() => making.delete(key)).catch(() => undefined);
  }
  return made;
}

/** How many portraits are being made in this process. */
export function portraitsInProgress(): number {
  return making.size;
}

/** Waits until no portrait is being made: a build that fails must leave no work behind it, writing into .cache/. */
export async function portraitsSettled(): Promise<void> {
  while (making.size > 0) await Promise.allSettled([...making.values()]);
}

/**
 * Starts making the portrait into the cache, without waiting for it: a build does so as soon as
 * it has read site.yaml, so that the encoding (on libvips' threads) runs while the bibliography
 * is read and formatted. A failure is reported by buildPortrait, which waits for the same work.
 */
export function startPortrait(source: string, alt: string, cache: PortraitCache): void {
  madeInCache(source, alt, cache).catch(() => undefined);
}

/**
 * Makes the portrait in AVIF, WebP and JPEG at a few widths, written into the
 * build's output under `assets/img/`. File names are content hashes, so the
 * same photo always gives the same files.
 */
export async function buildPortrait(source: string, alt: string, outputRoot: string, cache?: PortraitCache): Promise<PictureView> {
  const folder = path.join(outputRoot, 'assets/img');
  const made = cache === undefined ? await makePortrait(source, alt, folder) : await madeInCache(source, alt, cache);
  portraitsWritten.set(path.resolve(outputRoot), { source, files: made.files.map((file) => path.resolve(folder, file)) });
  if (cache === undefined) return made.picture;
  await mkdir(folder, { recursive: true });
  for (const file of made.files) await copyFile(path.join(cache.folder, file), path.join(folder, file));
  return made.picture;
}

/** The portrait's files each output folder was given, and the photo they were made from. */
const portraitsWritten = new Map<string, { source: string; files: string[] }>();

/**
 * The portrait's files written into an output folder (absolute paths), if any, forgotten once
 * taken: a build checks that no page or asset of the owner's was written over them (src/build.ts).
 */
export function takePortraitFiles(outputRoot: string): { source: string; files: string[] } | undefined {
  const written = portraitsWritten.get(path.resolve(outputRoot));
  portraitsWritten.delete(path.resolve(outputRoot));
  return written;
}

interface MadePortrait {
  picture: PictureView;
  /** The files made, by name, in the folder they were made in. */
  files: string[];
}

async function makePortrait(source: string, alt: string, madeIn: string): Promise<MadePortrait> {
  const { default: Image } = await import('@11ty/eleventy-img');
  const stats = await Image(source, {
    widths: PORTRAIT_WIDTHS,
    formats: ['avif', 'webp', 'jpeg'],
    outputDir: madeIn,
    urlPath: '/assets/img/',
    sharpJpegOptions: { quality: 80, mozjpeg: true },
    sharpWebpOptions: { quality: 78 },
    sharpAvifOptions: { quality: 55, effort: 2 },
    // A photo cut short (an interrupted copy) is an error, not a portrait with a grey lower half.
    // (sharp's own options, which eleventy-img passes on; its option types do not list them.)
    ...({ sharpOptions: { failOn: 'truncated' } } as object),
  });
  const jpeg = stats['jpeg'];
  const fallback = jpeg?.[0];
  if (jpeg === undefined || fallback === undefined) throw new Error(`no JPEG was made from ${source}`);
  const picture: PictureView = {
    alt,
    sources: (['avif', 'webp'] as const).flatMap((format) => {
      const variants = stats[format];
      return variants === undefined || variants.length === 0
        ? []
        : [{ type: variants[0]?.sourceType ?? `image/${format}`, srcset: variants.map((variant) => variant.srcset).join(', ') }];
    }),
    src: fallback.url,
    srcset: jpeg.map((variant) => variant.srcset).join(', '),
    sizes: `${PORTRAIT_DISPLAY_WIDTH}px`,
    width: fallback.width,
    height: fallback.height,
    largest: jpeg.at(-1)?.url ?? fallback.url,
  };
  return { picture, files: Object.values(stats).flat().map((variant) => path.basename(variant.outputPath)).sort() };
}

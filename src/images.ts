import Image from '@11ty/eleventy-img';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

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

/**
 * Makes the portrait in AVIF, WebP and JPEG at a few widths, written into the
 * build's output under `assets/img/`. File names are content hashes, so the
 * same photo always gives the same files.
 */
export async function buildPortrait(source: string, alt: string, outputRoot: string, cacheDir?: string): Promise<PictureView> {
  // Encoding AVIF is slow: images are made once into the cache (file names are content hashes,
  // and eleventy-img skips files that exist) and copied into each build.
  const madeIn = cacheDir ?? path.join(outputRoot, 'assets/img');
  const stats = await Image(source, {
    widths: PORTRAIT_WIDTHS,
    formats: ['avif', 'webp', 'jpeg'],
    outputDir: madeIn,
    urlPath: '/assets/img/',
    sharpJpegOptions: { quality: 80, mozjpeg: true },
    sharpWebpOptions: { quality: 78 },
    sharpAvifOptions: { quality: 55 },
  });
  if (cacheDir !== undefined) {
    await mkdir(path.join(outputRoot, 'assets/img'), { recursive: true });
    for (const variant of Object.values(stats).flat()) {
      await copyFile(variant.outputPath, path.join(outputRoot, 'assets/img', path.basename(variant.outputPath)));
    }
  }
  const jpeg = stats['jpeg'];
  const fallback = jpeg?.[0];
  if (jpeg === undefined || fallback === undefined) throw new Error(`no JPEG was made from ${source}`);
  return {
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
}

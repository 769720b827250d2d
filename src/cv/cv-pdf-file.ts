import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DiskCache, hashOf, lastModified } from '../cache.ts';
import { mayUseWorkers, prepareWorker, runInWorkers, takeWaiting, type PreparedWorker } from '../parallel.ts';
import { DEFAULT_CONTENT_DIR, OWN_CV_PDF, type SiteModel } from '../site-model.ts';
import { fallbackFontFiles, fallbackFontFingerprint } from './font-files.ts';
import { cvPdfContent } from './pdf-glyphs.ts';
import { viewKey } from '../view/view-key.ts';
import type { CvPdfInput } from './pdf.ts';

const PDF_MODULE = new URL('./pdf.ts', import.meta.url);

/** Workers started before the site model was ready, with pdfkit and fontkit loaded, by project root. */
const warming = new Map<string, PreparedWorker<CvPdfInput, Uint8Array>>();

/**
 * Starts the PDF worker while the site model is still being read, when the PDF will likely be
 * made anew (none kept yet, or kept before one of `inputs` or the fallback fonts last changed):
 * loading pdfkit and fontkit takes about 0.2 s, which then no longer follows the formatting of
 * the publications. cvPdfFile stops the worker unused if the PDF turns out to be in the cache.
 */
export function warmCvPdf(root: string, inputs: readonly string[]): void {
  if (!mayUseWorkers() || warming.get(root)?.waiting() === true || existsSync(path.join(root, DEFAULT_CONTENT_DIR, OWN_CV_PDF))) return;
  let fonts: string[];
  try {
    fonts = fallbackFontFiles(root);
  } catch {
    return; // the PDF reports it
  }
  const keptAt = new DiskCache(root).keptAt('cv-pdf', undefined, 'cv.pdf');
  if (keptAt !== undefined && [...inputs, ...fonts].every((file) => lastModified(file) <= keptAt)) return;
  const worker = prepareWorker<CvPdfInput, Uint8Array>(PDF_MODULE, root);
  warming.set(root, worker);
}

/**
 * The bytes of /cv.pdf: the owner's own PDF if there is one, else the generated one, from the
 * cache when its inputs (and the fonts for other scripts, and the code) are unchanged. A new PDF
 * is rendered in a worker thread, so that Eleventy renders the pages meanwhile: for a long
 * publication list the PDF takes seconds. Aborting the signal stops that worker.
 */
export async function cvPdfFile(model: SiteModel, root: string, signal?: AbortSignal): Promise<Buffer> {
  const warm = takeWaiting(warming, root);
  if (model.ownCvPdf !== undefined) {
    warm?.stop();
    return readFile(model.ownCvPdf);
  }
  const shown = { ...cvPdfContent(model.site, model.cv, model.publications), date: model.cvDate };
  const input: CvPdfInput = { ...shown, root };
  const cache = new DiskCache(root);
  // A worker warmed by warmCvPdf was started because this PDF is likely not in the cache: it draws
  // from now on, while the cache is asked (hashing thousands of publications takes a while; a long
  // PDF is the last part of a build to finish). It is stopped if the PDF is there after all.
  const unused = new AbortController();
  const drawing = warm?.run(input, signal === undefined ? unused.signal : AbortSignal.any([signal, unused.signal]));
  drawing?.catch(() => undefined); // awaited below, unless the PDF was in the cache
  // The publications by their views' hashes: serialising thousands of them again is slow.
  const key = hashOf('cv-pdf', JSON.stringify({ ...shown, papers: shown.papers.map(viewKey), presentations: shown.presentations.map(viewKey) }), ...fallbackFontFingerprint(root));
  const cached = await cache.get<string>('cv-pdf', key, 'cv.pdf');
  if (cached !== undefined) {
    unused.abort(new Error('the CV PDF was in the cache'));
    return Buffer.from(cached, 'base64');
  }
  let pdf: Buffer;
  if (mayUseWorkers()) {
    const bytes = drawing === undefined ? (await runInWorkers<CvPdfInput, Uint8Array>(PDF_MODULE, [input], signal))[0] : await drawing;
    if (bytes === undefined) throw new Error('the CV PDF worker gave no PDF');
    pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } else {
    pdf = await (await import('./pdf.ts')).renderCvPdfKeepingLines(input);
  }
  await cache.set('cv-pdf', key, pdf.toString('base64'), 'cv.pdf');
  return pdf;
}

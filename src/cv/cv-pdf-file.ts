import { readFile } from 'node:fs/promises';
import { DiskCache, hashOf } from '../cache.ts';
import { mayUseWorkers, runInWorkers } from '../parallel.ts';
import type { SiteModel } from '../site-model.ts';
import { fallbackFontFingerprint } from './font-files.ts';
import { cvPdfContent } from './pdf-glyphs.ts';
import { viewKey } from '../view/view-key.ts';
import type { CvPdfInput } from './pdf.ts';

/**
 * The bytes of /cv.pdf: the owner's own PDF if there is one, else the generated one, from the
 * cache when its inputs (and the fonts for other scripts, and the code) are unchanged. A new PDF
 * is rendered in a worker thread, so that Eleventy renders the pages meanwhile: for a long
 * publication list the PDF takes seconds. Aborting the signal stops that worker.
 */
export async function cvPdfFile(model: SiteModel, root: string, signal?: AbortSignal): Promise<Buffer> {
  if (model.ownCvPdf !== undefined) return readFile(model.ownCvPdf);
  const shown = { ...cvPdfContent(model.site, model.cv, model.publications), date: model.cvDate };
  const input: CvPdfInput = { ...shown, root };
  const cache = new DiskCache(root);
  // The publications by their views' hashes: serialising thousands of them again is slow.
  const key = hashOf('cv-pdf', JSON.stringify({ ...shown, papers: shown.papers.map(viewKey), presentations: shown.presentations.map(viewKey) }), ...fallbackFontFingerprint(root));
  const cached = await cache.get<string>('cv-pdf', key, 'cv.pdf');
  if (cached !== undefined) return Buffer.from(cached, 'base64');
  let pdf: Buffer;
  if (mayUseWorkers()) {
    const [bytes] = await runInWorkers<CvPdfInput, Uint8Array>(new URL('./pdf.ts', import.meta.url), [input], signal);
    if (bytes === undefined) throw new Error('the CV PDF worker gave no PDF');
    pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } else {
    pdf = await (await import('./pdf.ts')).renderCvPdf(input);
  }
  await cache.set('cv-pdf', key, pdf.toString('base64'), 'cv.pdf');
  return pdf;
}

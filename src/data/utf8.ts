import { decodeUtf8 } from '../bibliography/load-bibliography.ts';
import { BibliographyError, SiteDataError } from '../errors.ts';

/**
 * Decodes one of the owner's content files (site.yaml, cv.yaml, a Markdown page) strictly, as
 * the bibliography is: a file saved in another encoding is reported with the line and column of
 * its first wrong byte, never published with U+FFFD in place of its accented letters.
 */
export function decodeContentFile(bytes: Uint8Array, file: string): string {
  try {
    return decodeUtf8(bytes, file);
  } catch (error) {
    if (error instanceof BibliographyError) throw new SiteDataError(error.problems);
    throw error;
  }
}

// How exports say an entry is a preprint, and where they put its arXiv identifier: in eprint (with
// or without archivePrefix), in a journal named after it (Google Scholar, INSPIRE), in DBLP's
// CoRR volume, in Zotero's number, in arXiv's own DOI. Only read-bibtex.ts uses this.

/** An arXiv identifier, new style (2403.11043, with its version) or old (cs/0112017). */
const ARXIV_ID = String.raw`(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[a-z]{2})?\/\d{7}(?:v\d+)?)`;
/** An identifier as written where a journal or note would be: "arXiv preprint arXiv:2403.11043" (Google Scholar), "arXiv:2401.01234 [hep-th]" (INSPIRE, by hand). */
const ARXIV_ID_IN_JOURNAL = new RegExp(String.raw`^(?:arxiv preprint\s+(?:arxiv:\s*)?|arxiv:\s*)${ARXIV_ID}(?:\s*\[[a-z.-]+\])?(?:[\s.,]*\d{4})?[\s.,]*$`, 'i');
/** arXiv's DOI, which its DataCite export gives: 10.48550/arXiv.1706.03762. */
export const ARXIV_DOI = new RegExp(String.raw`^10\.48550\/arxiv\.${ARXIV_ID}$`, 'i');
/** An eprint that is on arXiv whatever its eprinttype (none, in old SPIRES and JabRef exports). */
export const ARXIV_EPRINT = new RegExp(String.raw`^(?:arxiv:)?${ARXIV_ID}$`, 'i');
const ARXIV_ID_IN_CORR_VOLUME = new RegExp(String.raw`^abs\/${ARXIV_ID}$`, 'i');
/** Zotero's number of a preprint on arXiv: "arXiv:1706.03762". */
export const ARXIV_NUMBER = new RegExp(String.raw`^arxiv:\s*${ARXIV_ID}$`, 'i');

/**
 * The arXiv identifier in a journal as Google Scholar writes a preprint ("arXiv preprint
 * arXiv:2403.11043", "arXiv preprint cs/0112017"), or INSPIRE ("arXiv:2401.01234 [hep-th]"), or
 * undefined.
 */
export function arxivIdInJournal(journal: string | undefined): string | undefined {
  return ARXIV_ID_IN_JOURNAL.exec(journal?.trim() ?? '')?.[1];
}

/** An address of a preprint's page or PDF on arXiv: https://arxiv.org/abs/2503.13310, https://arxiv.org/pdf/2512.04702v2.pdf. */
const ARXIV_ADDRESS = new RegExp(String.raw`^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\/${ARXIV_ID}(?:\.pdf)?\/?$`, 'i');

/** The arXiv identifier of an address on arXiv (a url field, or a doi field given one, as DBLP and some journals write), or undefined. */
export function arxivIdInAddress(address: string | undefined): string | undefined {
  return ARXIV_ADDRESS.exec(address?.trim() ?? '')?.[1];
}

/** The arXiv identifier in DBLP's volume of a CoRR entry ("abs/2403.11043", "abs/cs/0112017"), or undefined. */
export function arxivIdInCorrVolume(journal: string | undefined, volume: string | undefined): string | undefined {
  // DBLP's journal "CoRR"; Semantic Scholar's "ArXiv".
  if (!/^(?:corr|arxiv)$/i.test(journal?.trim() ?? '')) return undefined;
  return ARXIV_ID_IN_CORR_VOLUME.exec(volume?.trim() ?? '')?.[1];
}

/**
 * An @article that is a preprint, in the forms exports leave no doubt about: DBLP's journal
 * "CoRR", a journal "arXiv", "arXiv preprint ..." (Google Scholar) or "arXiv e-prints" (ADS), or
 * an arXiv eprint with no other journal.
 */
export function isPreprintArticle(journal: string | undefined, eprintType: string): boolean {
  const name = journal?.trim().replace(/,$/, '');
  if (name !== undefined && (/^(corr|arxiv)$/i.test(name) || /^arxiv (preprint|e-prints)\b/i.test(name) || arxivIdInJournal(name) !== undefined)) return true;
  // Other preprint servers, as their exports and Scholar name them: "bioRxiv", "Available at SSRN 3412345".
  if (name !== undefined && (/^(biorxiv|medrxiv|chemrxiv|research square)$/i.test(name) || /\bssrn\b/i.test(name))) return true;
  return eprintType === 'arxiv' && (name === undefined || name === '');
}

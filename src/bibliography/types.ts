/** A person in an author list, as read from the bibliography. */
export interface Person {
  given?: string;
  family?: string;
  /** A name kept whole, e.g. a corporate author written `{The ACME Team}`. */
  literal?: string;
}

/** How an entry is presented: papers and theses are publications, talks and posters are presentations. */
export type PublicationKind = 'article' | 'conference' | 'chapter' | 'book' | 'thesis' | 'report' | 'presentation' | 'other';

/** One bibliography entry, read and normalised, ready to be presented. */
export interface Publication {
  /** The exact citation key, e.g. `nanos2014xen2mx`. */
  key: string;
  /** A URL-safe, unique, stable slug of the key, used for anchors and page URLs. */
  id: string;
  /** The BibTeX entry type in lower case, e.g. `inproceedings`. */
  entryType: string;
  kind: PublicationKind;
  title: string;
  authors: Person[];
  /** Where it appeared: journal, proceedings, school or event. */
  venue?: string;
  year?: number;
  month?: number;
  volume?: string;
  issue?: string;
  pages?: string;
  publisher?: string;
  place?: string;
  doi?: string;
  url?: string;
  /** 1-based line of the entry's `@` in the bibliography file. */
  line: number;
}

import type { RichText } from './rich-text.ts';

/** A person in an author or editor list. */
export interface Person {
  given?: string;
  family?: string;
  /** Particles such as "van der", shown before the family name. */
  prefix?: string;
  /** "Jr.", "III". */
  suffix?: string;
  /** A name kept whole, e.g. a corporate author written `{The ACME Team}`. */
  literal?: string;
  /** Footnote marks written next to the name, e.g. "*" or "†" for equal contribution. */
  marks?: string;
}

/** How an entry is presented: papers and theses are publications, talks and posters are presentations. */
export type PublicationKind = 'article' | 'conference' | 'chapter' | 'book' | 'thesis' | 'report' | 'preprint' | 'presentation' | 'other';

/** A link shown as a button next to an entry, in a fixed order. */
export interface PublicationLink {
  /** What the button says, e.g. "PDF", "DOI", "Code". */
  label: string;
  href: string;
}

/** One bibliography entry, read and normalised, ready to be presented. */
export interface Publication {
  /** The exact citation key, e.g. `nanos2014xen2mx`. */
  key: string;
  /** A URL-safe, unique, stable slug of the key, used for anchors and page URLs. */
  id: string;
  /** The BibTeX entry type in lower case, e.g. `inproceedings`. */
  entryType: string;
  kind: PublicationKind;
  title: RichText;
  authors: Person[];
  /** The author list ended with "and others". */
  etAl: boolean;
  editors: Person[];
  /** The editor list ended with "and others". */
  editorsEtAl?: boolean;
  /** What the editors did when not editing (biblatex's editortype, as Better BibLaTeX gives a film's director). */
  editorType?: 'director' | 'compiler';
  /** A translation's translators. */
  translators?: Person[];
  /** The collaboration it is published by, as INSPIRE-HEP names it in `collaboration`: "ATLAS Collaboration". */
  collaboration?: string;
  /** Where it appeared: journal, proceedings, school, institution or event. */
  venue?: RichText;
  year?: number;
  /** "in press", "to appear", "forthcoming", "accepted": shown as Forthcoming. */
  forthcoming: boolean;
  month?: number;
  day?: number;
  /** The year a reprinted or translated work first appeared (biblatex's origdate, or "[1867] 1990"). */
  originalYear?: number;
  volume?: string;
  issue?: string;
  /** Page range(s) with en dashes ("349–372", "1–5, 9–12"), a single page, or an identifier ("P5-12-05"). */
  pages?: string;
  /**
   * The number an article is cited by when it has no pages of its own: biblatex's `eid`, ACM's
   * `articleno`, MDPI's and Web of Science's `article-number`, Scopus' `art_number`.
   */
  articleNumber?: string;
  /** How many pages the work has (ACM's `numpages`, biblatex's `pagetotal`): "25", or "xii + 350" with its front matter. */
  pageCount?: string;
  /** A book's edition: its number ("3", from "3rd" or "Third edition" too), or as written ("Revised"). */
  edition?: string;
  publisher?: string;
  /** A thesis's kind ("PhD thesis", or as its `type` says: "Habilitation"), or a report's series ("Working Paper"). */
  genre?: string;
  /** An @article in a newspaper or a magazine (biblatex's entrysubtype), not a journal. */
  periodical?: 'newspaper' | 'magazine';
  /** The venue is the @misc's publisher (Zenodo, medRxiv, Google Patents): cited as its publisher, not a container. */
  venueIsPublisher?: boolean;
  /** The venue says how it was published (a @misc's howpublished: "SOEP panel data, v37"): cited as its kind, not a container. */
  venueIsDescription?: boolean;
  /** Software's or data's version ("v1.2.0"). */
  version?: string;
  /** The entry's language as a code ("de", "en-US"), from biblatex's langid or a language field. */
  language?: string;
  /** A thesis's school (or institution) alone, as plain text: what CSL styles cite as its publisher. */
  school?: string;
  /** The publisher's place (`address`, or biblatex's `location`). */
  place?: string;
  /** Where a conference or talk took place, when the entry tells it apart from the publisher's place. */
  eventPlace?: string;
  series?: string;
  /** The multivolume work a volume is of (biblatex's maintitle), as plain text. */
  mainTitle?: string;
  /** A book's (or chapter's, or proceedings') number in its series: biblatex's and Zotero's `number` beside a `series`. */
  seriesNumber?: string;
  note?: RichText;
  doi?: string;
  /** Its ISBNs (a book's or its container's: print and electronic) and its journal's ISSNs, each with a right check digit. */
  isbn?: string[];
  issn?: string[];
  url?: string;
  abstract?: RichText;
  keywords: string[];
  /** The keywords are in `hide_fields`: they tie the entry to research projects, and are not published. */
  keywordsHidden?: boolean;
  /** al-folio's `selected = {true}`: shown on the home page. */
  selected: boolean;
  /** al-folio's `abbr`, a short venue badge such as "ICML". */
  abbr?: string;
  /** al-folio's `award`/`award_name`. */
  award?: string;
  /** al-folio's `preview`: a thumbnail image, as a site path. */
  preview?: string;
  /** al-folio's `annotation` (a short note shown with the entry) and `additional_info` (appended to the venue line). */
  annotation?: RichText;
  additionalInfo?: RichText;
  /** Buttons: PDF, DOI, code, slides ... */
  links: PublicationLink[];
  /** The entry as clean BibTeX: display-only and private fields removed. */
  bibtex: string;
  /** 1-based line of the entry's `@` in the bibliography file. */
  line: number;
}

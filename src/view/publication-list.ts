import { displayName, invertedName } from '../bibliography/names.ts';
import type { Person, Publication, PublicationKind, PublicationLink } from '../bibliography/types.ts';
import { formatMonthYear } from '../text/dates.ts';
import { escapeXml } from '../text/escape.ts';
import { RIGHT_TO_LEFT } from '../text/right-to-left.ts';

/** A person credited beside the authors (an editor, a translator): `name` as shown, `inverted` as indexers want it. */
export type CreditedPerson = { name: string; inverted: string; isOwner: boolean };

/** What a layout needs to show one publication. Fields ending in `Html` are safe HTML; the rest is plain text. */
export interface PublicationView {
  key: string;
  id: string;
  kind: PublicationKind;
  /** Its own page, e.g. /publications/nanos2014xen2mx/. */
  url: string;
  title: string;
  titleHtml: string;
  /** `name` as shown ("Given Family"), `inverted` as indexers want it ("Family, Given"). */
  authors: Array<{ name: string; inverted: string; isOwner: boolean; marks?: string }>;
  etAl: boolean;
  /** An edited book's editors, when it names no authors: shown in their place, "(eds.)" after them. */
  editors?: CreditedPerson[];
  /** The editors end with "and others". */
  editorsEtAl?: boolean;
  /** What the editors did, when biblatex's editortype says they did other than edit: "dir.", "comp.". */
  editorRole?: string;
  /** An authored book's editors (a critical edition's): named after the authors, "; ed. ...". */
  editedBy?: CreditedPerson[];
  /** A translation's translators: after the authors ("; trans. ..."), or in their place ("... (trans.)"). */
  translators?: CreditedPerson[];
  /** The collaboration that published it ("ATLAS Collaboration"), named after its authors. */
  collaboration?: string;
  /** The authors (or editors) as its page shows them, the owner in bold, as safe HTML; absent when there are none. */
  creditHtml?: string;
  /** When it has more authors than lists show (`publications.max_authors`): how many they show, and the line they show. */
  listedAuthors?: number;
  shortCreditHtml?: string;
  venue?: string;
  venueHtml?: string;
  /** Edition, volume, issue, article number and pages, e.g. "vol. 13, no. 4, pp. 349–372" or "vol. 21, no. 4, art. no. 1136". */
  details?: string;
  /** `details` as safe HTML, each range ("pp. 349–372") kept on one line. */
  detailsHtml?: string;
  /** The parts of `details` one by one, for indexers' tags. */
  volume?: string;
  issue?: string;
  articleNumber?: string;
  pages?: string;
  pageCount?: string;
  /** Where: a conference's own place when the entry gives it, else the publisher's when lists show the publisher; none for a journal article. */
  place?: string;
  publisher?: string;
  /** The publisher's city when lists show the venue instead of the publisher: shown with the publisher ("Cham: Springer"). */
  publisherPlace?: string;
  /** The venue is who published it (a repository, a society), no container (see Publication). */
  venueIsPublisher?: boolean;
  /** A thesis's school or institution. */
  school?: string;
  year?: number;
  forthcoming: boolean;
  /** "March 2015", "2015", "forthcoming" or "n.d.". */
  date: string;
  /** ISO-like date for machines: "2015-03", "2015", or undefined. */
  isoDate?: string;
  doi?: string;
  isbn?: string[];
  issn?: string[];
  links: PublicationLink[];
  abstractHtml?: string;
  noteHtml?: string;
  abbr?: string;
  award?: string;
  /** Thumbnail image path (al-folio's `preview`). */
  preview?: string;
  annotationHtml?: string;
  /** Appended to the venue line (al-folio's `additional_info`). */
  additionalInfoHtml?: string;
  selected: boolean;
  keywords: string[];
  /** Whether the keywords are published (in the JSON-LD); they are not when `hide_fields` names them. */
  keywordsHidden?: boolean;
  bibtex: string;
  /** The formatted citation in the configured CSL style, as safe HTML. */
  citationHtml?: string;
}

export interface PublicationGroup {
  /** Heading text, e.g. "2014", "Forthcoming" or "n.d.". */
  label: string;
  /** Anchor of the heading. */
  id: string;
  items: PublicationView[];
}

export interface PublicationSection {
  /** Heading of a type section ("Journal articles"); absent when the list is grouped by year only. */
  label?: string;
  id: string;
  count: number;
  groups: PublicationGroup[];
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

type Credited = { name: string; isOwner: boolean; marks?: string };

/** biblatex's editor types other than "editor", as a list says them after the names. */
const EDITOR_ROLES: Readonly<Record<NonNullable<Publication['editorType']>, string>> = { director: 'dir.', compiler: 'comp.' };

/**
 * Who a publication is by: its authors ("..., et al.") and their collaboration, or an edited book's
 * editors ("... (eds.)"), or a translation's translators ("... (trans.)"); then who else made it:
 * an authored book's editors ("; ed. ...") and translators ("; trans. ..."). Each person is shown
 * by `show`, other text by `asText`. Past `most` people, the first `most`, then any of the owner's
 * names among the rest, and how many more there are ("A, B, …, Owner, and 2,896 more").
 */
function credit(item: PublicationView, show: (person: Credited) => string, most = Infinity, asText: (text: string) => string = (text) => text): string {
  const byTranslators = item.editors === undefined && item.authors.length === 0 && !item.etAl && item.collaboration === undefined && item.translators !== undefined;
  const people: readonly Credited[] = item.editors ?? (byTranslators ? item.translators ?? [] : item.authors);
  const etAl = item.editors === undefined ? item.etAl : item.editorsEtAl === true;
  const owners = people.slice(most).filter((person) => person.isOwner);
  const names = [...people.slice(0, most).map(show), ...(owners.length > 0 ? ['…', ...owners.map(show)] : [])];
  const rest = Math.max(0, people.length - most) - owners.length;
  const more = etAl ? 'et al.' : rest > 0 ? `and ${rest.toLocaleString('en-US')} more` : '';
  let line = (more === '' ? names : [...names, more]).join(', ');
  // A collaboration's paper: "Georges Aad, et al. (ATLAS Collaboration)", or the collaboration alone.
  if (item.editors === undefined && item.collaboration !== undefined) line = line === '' ? asText(item.collaboration) : `${line} (${asText(item.collaboration)})`;
  if (item.editors !== undefined) line = `${line} (${item.editorRole ?? (item.editors.length > 1 || etAl ? 'eds.' : 'ed.')})`;
  if (byTranslators) return `${line} (trans.)`;
  const also = [
    ...(item.editedBy === undefined ? [] : [`${item.editorRole ?? 'ed.'} ${item.editedBy.map(show).join(', ')}`]),
    ...(item.translators === undefined ? [] : [`trans. ${item.translators.map(show).join(', ')}`]),
  ];
  return [line, ...also].filter((part) => part !== '').join('; ');
}

/** Who a publication is by, in plain text, as lists show it (see listedAuthors). */
export function creditLine(item: PublicationView, { marks = false } = {}): string {
  return credit(item, (person) => (marks && person.marks !== undefined ? `${person.name}${person.marks}` : person.name), item.listedAuthors);
}

/** Who a publication is by, as the layouts show it: the owner's name in bold, marks as superscripts. */
function creditHtml(item: PublicationView, most?: number): string {
  return credit(item, (person) => {
    // A name in a right-to-left script is isolated, so that the commas around it stay in place.
    const escaped = RIGHT_TO_LEFT.test(person.name) ? `<bdi>${escapeXml(person.name)}</bdi>` : escapeXml(person.name);
    const name = person.isOwner ? `<strong class="pub__me">${escaped}</strong>` : escaped;
    return person.marks === undefined ? name : `${name}<sup>${escapeXml(person.marks)}</sup>`;
  }, most, escapeXml);
}

/** A publication in one line of plain text: its authors, venue and date, for a page's description and the feed. */
export function publicationSummary(item: PublicationView): string {
  // Each part a sentence; one that ends with its own full stop ("Phys. Rev.", "Jr.") gets no second.
  return [creditLine(item), item.venue, item.date]
    .filter((part): part is string => part !== undefined && part !== '')
    .reduce((summary, part) => (summary === '' ? part : `${summary}${/[.?!]$/.test(summary) ? ' ' : '. '}${part}`), '');
}

/** Forthcoming first, then newest first; within a year by month, then by title. Undated entries come last. */
export function compareNewestFirst(a: Publication, b: Publication): number {
  const rank = (p: Publication): number => (p.forthcoming ? Infinity : p.year ?? -Infinity);
  return (
    rank(b) - rank(a) ||
    (b.month ?? 0) - (a.month ?? 0) ||
    collator.compare(a.title.text, b.title.text) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/** `maxAuthors`: how many authors lists and the CV show (its own page shows them all). */
export function toPublicationView(publication: Publication, isOwner: (person: Person) => boolean, maxAuthors = Infinity): PublicationView {
  const view: PublicationView = {
    key: publication.key,
    id: publication.id,
    kind: publication.kind,
    url: `/publications/${publication.id}/`,
    title: publication.title.text,
    // A title is itself a link in lists: a link inside it (\href, \url) is shown as its text, as no link may hold another.
    titleHtml: publication.title.html.includes('<a ') ? publication.title.html.replace(/<a\b[^>]*>|<\/a>/g, '') : publication.title.html,
    authors: publication.authors.map((person) => ({
      name: displayName(person),
      inverted: invertedName(person),
      isOwner: isOwner(person),
      ...(person.marks === undefined ? {} : { marks: person.marks }),
    })),
    etAl: publication.etAl,
    ...(publication.collaboration === undefined ? {} : { collaboration: publication.collaboration }),
    forthcoming: publication.forthcoming,
    date: publication.forthcoming ? 'forthcoming' : publication.year === undefined ? 'n.d.' : formatMonthYear(publication.year, publication.month),
    links: publication.links,
    selected: publication.selected,
    keywords: publication.keywords,
    ...(publication.keywordsHidden === true ? { keywordsHidden: true } : {}),
    bibtex: publication.bibtex,
  };
  if (publication.venue !== undefined) {
    view.venue = publication.venue.text;
    view.venueHtml = publication.venue.html;
  } else if (publication.kind === 'preprint' && publication.links.some((link) => link.label === 'arXiv')) {
    // An arXiv eprint with nothing else to say where it is (Zotero's @misc): on arXiv, as its siblings with a publisher say.
    view.venue = 'arXiv';
    view.venueHtml = 'arXiv';
  }
  // A talk's note says where it was given ("Invited talk, Dagstuhl Seminar 23101"), where a
  // howpublished would: lists and the CV show it in the venue's place, the page once.
  const noteIsVenue = view.venue === undefined && publication.kind === 'presentation' && publication.note !== undefined;
  if (noteIsVenue && publication.note !== undefined) {
    view.venue = publication.note.text;
    view.venueHtml = publication.note.html;
  }
  const credited = (people: readonly Person[]): CreditedPerson[] => people.map((person) => ({ name: displayName(person), inverted: invertedName(person), isOwner: isOwner(person) }));
  if (publication.authors.length === 0 && !publication.etAl && publication.editors.length > 0) {
    view.editors = credited(publication.editors);
    if (publication.editorsEtAl === true) view.editorsEtAl = true;
  } else if (publication.kind === 'book' && publication.editors.length > 0 && publication.series === undefined) {
    // An authored book's editors edited this book (a chapter's edited the book it is in: its venue).
    // Beside a series they may be the series' (Zotero's BibTeX writes series editors as editors): not said.
    view.editedBy = credited(publication.editors);
  }
  if ((view.editors !== undefined || view.editedBy !== undefined) && publication.editorType !== undefined) view.editorRole = EDITOR_ROLES[publication.editorType];
  if (publication.translators !== undefined) view.translators = credited(publication.translators);
  const creditedHtml = creditHtml(view);
  if (creditedHtml !== '') view.creditHtml = creditedHtml;
  // One name more than lists show is shown rather than "and 1 more", which would save nothing.
  if ((view.editors ?? view.authors).length > maxAuthors + 1) {
    view.listedAuthors = maxAuthors;
    view.shortCreditHtml = creditHtml(view, maxAuthors);
  }
  const details = detailsOf(publication);
  if (details !== undefined) {
    view.details = details;
    view.detailsHtml = rangesUnbroken(details);
  }
  for (const part of ['volume', 'issue', 'articleNumber', 'pages', 'pageCount'] as const) {
    const value = publication[part];
    if (value !== undefined) view[part] = value;
  }
  // A conference paper is placed where the conference was, rather than where its publisher is; a
  // journal article by no place (its journal's publisher's city, or Web of Science's street address).
  // Owners write where a conference was as its address, beside its publisher, as often as exports
  // write the publisher's city there; a city only publishers are in (Cham, Richland, Piscataway) is
  // the publisher's. Where lists show the venue rather than the publisher (a conference paper, a
  // chapter), it alone would read as where the conference was ("AAMAS, Richland, SC"): it goes
  // with the publisher on the publication's page ("Richland, SC: IFAAMAS").
  // A book's or chapter's place is its publisher's, whatever the city ("New York, NY: Springer").
  if (publication.kind !== 'article' && publication.kind !== 'preprint') {
    const place = publication.eventPlace ?? publication.place;
    const publishers = publication.kind === 'book' || publication.kind === 'chapter' || (view.venue !== undefined && place !== undefined && isPublishersCity(place));
    if (place !== undefined && publication.eventPlace === undefined && publication.publisher !== undefined && publishers) view.publisherPlace = place;
    else if (place !== undefined) view.place = place;
  }
  if (publication.publisher !== undefined) view.publisher = publication.publisher;
  if (publication.venueIsPublisher === true) view.venueIsPublisher = true;
  if (publication.school !== undefined) view.school = publication.school;
  if (publication.year !== undefined) {
    view.year = publication.year;
    view.isoDate = [publication.year, publication.month, publication.day]
      .filter((part): part is number => part !== undefined)
      .map((part, index) => (index === 0 ? String(part) : String(part).padStart(2, '0')))
      .join('-');
  }
  if (publication.doi !== undefined) view.doi = publication.doi;
  if (publication.isbn !== undefined) view.isbn = publication.isbn;
  if (publication.issn !== undefined) view.issn = publication.issn;
  if (publication.abstract !== undefined) view.abstractHtml = publication.abstract.html;
  if (publication.note !== undefined && !noteIsVenue) view.noteHtml = publication.note.html;
  if (publication.abbr !== undefined) view.abbr = publication.abbr;
  if (publication.award !== undefined) view.award = publication.award;
  if (publication.preview !== undefined) view.preview = publication.preview;
  if (publication.annotation !== undefined) view.annotationHtml = publication.annotation.html;
  if (publication.additionalInfo !== undefined) view.additionalInfoHtml = publication.additionalInfo.html;
  return view;
}

/** Groups publications that are already sorted newest first by year. */
export function groupByYear(views: readonly PublicationView[], idPrefix = ''): PublicationGroup[] {
  const groups: PublicationGroup[] = [];
  for (const view of views) {
    const label = view.forthcoming ? 'Forthcoming' : view.year === undefined ? 'n.d.' : String(view.year);
    let group = groups.at(-1);
    if (group === undefined || group.label !== label) {
      const id = view.forthcoming ? 'forthcoming' : view.year === undefined ? 'undated' : `y${view.year}`;
      group = { label, id: `${idPrefix}${id}`, items: [] };
      groups.push(group);
    }
    group.items.push(view);
  }
  return groups;
}

/** Section headings when the list is grouped by type, in the order they appear. */
export const KIND_SECTIONS: ReadonlyArray<{ label: string; id: string; kinds: readonly PublicationKind[] }> = [
  { label: 'Journal articles', id: 'articles', kinds: ['article'] },
  { label: 'Conference and workshop papers', id: 'conference-papers', kinds: ['conference'] },
  { label: 'Books and chapters', id: 'books', kinds: ['book', 'chapter'] },
  { label: 'Theses', id: 'theses', kinds: ['thesis'] },
  { label: 'Reports and preprints', id: 'reports', kinds: ['report', 'preprint'] },
  { label: 'Other', id: 'other', kinds: ['other'] },
  { label: 'Posters and presentations', id: 'presentations', kinds: ['presentation'] },
];

/** The publication list: one unlabelled section by year, or one section per type, each by year. */
export function sectionsOf(views: readonly PublicationView[], groupBy: 'year' | 'type'): PublicationSection[] {
  if (groupBy === 'year') return [{ id: 'all', count: views.length, groups: groupByYear(views) }];
  return KIND_SECTIONS.flatMap((section) => {
    const items = views.filter((view) => section.kinds.includes(view.kind));
    return items.length === 0 ? [] : [{ label: section.label, id: section.id, count: items.length, groups: groupByYear(items, `${section.id}-`) }];
  });
}

/**
 * A journal's article number where an export put the article's pages (Elsevier's 111923, IOP's
 * 012001, Wiley's e70077, SPIE's 106990A): no page of a volume is numbered so. A short number
 * (MDPI's 801) may be either, and stays a page.
 */
const ARTICLE_NUMBER_AS_PAGES = /^(?:e\d{4,}|0\d{3,}|\d{5,}[A-Z]?)$/;

/** Up to three names, as a sentence says them ("A, B and C"); more as the first and "et al.". */
function namesInLine(people: readonly Person[], etAl: boolean): string {
  const names = people.map(displayName);
  if (names.length > 3 || (etAl && names.length > 0)) return `${names[0]} et al.`;
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function detailsOf(publication: Publication): string | undefined {
  const parts: string[] = [];
  // The series a book, chapter or proceedings is in, with its number there: "Folio classique 3461",
  // "Lecture Notes in Computer Science, vol. 7156". Not a conference paper's series without a
  // number (ACM's "CIKM '20", the conference again), nor one its venue names already.
  const series = publication.series;
  const numbered = publication.seriesNumber !== undefined || publication.volume !== undefined;
  if (series !== undefined && publication.kind !== 'article' && publication.kind !== 'preprint' && (numbered || publication.kind !== 'conference') && publication.venue?.text.includes(series) !== true) {
    parts.push(publication.seriesNumber === undefined ? series : `${series} ${publication.seriesNumber}`);
  }
  if (publication.mainTitle !== undefined) parts.push(publication.mainTitle);
  // A chapter's venue is the book it is in: who edited that book.
  if (publication.kind === 'chapter' && publication.authors.length > 0 && publication.editors.length > 0) parts.push(`edited by ${namesInLine(publication.editors, publication.editorsEtAl === true)}`);
  if (publication.edition !== undefined) parts.push(editionOf(publication.edition));
  if (publication.version !== undefined) parts.push(`version ${publication.version.replace(/^v(?:ersion)?\.?\s*(?=\d)/i, '')}`);
  if (publication.volume !== undefined) parts.push(`vol. ${publication.volume}`);
  // A report's number is its own, said with what kind of report it is ("Technical report TR-12").
  const report = publication.kind === 'report' ? publication.genre ?? (publication.entryType === 'techreport' ? 'Technical report' : undefined) : undefined;
  if (report !== undefined) parts.push(publication.issue === undefined ? report : `${report} ${publication.issue}`);
  else if (publication.issue !== undefined) parts.push(`no. ${publication.issue}`);
  if (publication.articleNumber !== undefined) parts.push(`art. no. ${publication.articleNumber}`);
  // Pages are a range or a list ("1–5, 9–12"), or one page ("1,234" grouped by thousands), or an
  // article's number that the export gave as its pages.
  const pages = publication.pages;
  if (pages !== undefined) parts.push(/–|, /.test(pages) ? `pp. ${pages}` : ARTICLE_NUMBER_AS_PAGES.test(pages) ? `art. no. ${pages}` : `p. ${pages}`);
  // Its length, when its place in a volume is not given ("art. no. 47, 25 pp.", a book's "xii + 350 pp.").
  else if (publication.pageCount !== undefined) parts.push(`${publication.pageCount} pp.`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

/**
 * Cities where publishers of proceedings and collected volumes are, and conferences hardly ever:
 * Springer (Cham, Heidelberg, Dordrecht), IFAAMAS (Richland), IEEE (Piscataway, Los Alamitos),
 * Curran (Red Hook), ACL (Stroudsburg), Wiley (Hoboken), AAAI (Menlo Park).
 */
const PUBLISHERS_CITY = /^(?:cham|(?:berlin,? )?heidelberg|dordrecht|richland|piscataway|los alamitos|red hook|stroudsburg|hoboken|menlo park)\b/i;

function isPublishersCity(place: string): boolean {
  return PUBLISHERS_CITY.test(place.trim());
}

/** Escaped, with each range ("349–372", "e12–e19") unbroken: a line that ends in "349–" reads as a range that ends there. */
function rangesUnbroken(text: string): string {
  return escapeXml(text).replace(/[^\s,]+–[^\s,]+/g, '<span class="nowrap">$&</span>');
}

/** Words for "edition" in editions written out, in the languages a CV may be in. */
const EDITION_WORD = /(?<!\p{L})(?:ed|edn|edition|editions|éd|édition|edizione|edición|edicion|edição|edicao|auflage|aufl|ausg|ausgabe|uitg|uitgave|druk|wyd|wydanie|utg|udg|upplaga|painos|издание|изд|έκδοση|έκδ)(?!\p{L})|版/iu;

/** "3" as "3rd ed.", "Revised" as "Revised ed.", "Revised edition" or "4e éd." as written. */
function editionOf(edition: string): string {
  if (/^\d+$/.test(edition)) {
    const number = Number(edition);
    const suffix = number % 100 >= 11 && number % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][number % 10] ?? 'th');
    return `${number}${suffix} ed.`;
  }
  // English words ("Revised", "Rev.", "2nd rev.", "20th anniversary") get "ed."; an edition that
  // says it is one, in any language ("2nd edn", "4e éd.", "2., überarb. Aufl.", "2a edizione", "第2版"), is as written.
  return EDITION_WORD.test(edition) ? edition : `${edition.replace(/,$/, '')} ed.`;
}

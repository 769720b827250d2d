import type { PublicationView } from './publication-list.ts';
import { linkedIdentifiers } from '../bibliography/links.ts';

export interface ScholarMetadata {
  /** `<meta name content>` pairs from Google Scholar's inclusion guidelines (Highwire Press tags); none for a talk or a poster. */
  meta: Array<{ name: string; content: string }>;
  /** schema.org JSON-LD of the work (ScholarlyArticle, Book, Report...), serialised so it is safe inside a `<script>` element. */
  jsonLd: string;
}

/** A name as the view gives it: `name` as shown, `inverted` as indexers want it. */
type Named = { name: string; inverted: string };

/**
 * The machine-readable description of a publication page. `siteUrl` is the
 * site's absolute origin and path prefix, e.g. https://example.org/, used to
 * make file links absolute as indexers require.
 */
export function scholarMetadata(item: PublicationView, siteUrl: string | undefined): ScholarMetadata {
  // Indexers need absolute addresses; without the site's address, site files are left out.
  const absolute = (href: string): string | undefined => (!href.startsWith('/') ? href : siteUrl === undefined ? undefined : new URL(href.slice(1), siteUrl).href);
  const publisher = item.publisher ?? (item.venueIsPublisher === true ? item.venue : undefined);
  const pdf = pdfLinkOf(item);
  const pdfUrl = pdf === undefined ? undefined : absolute(pdf);
  // Google Scholar indexes papers: a talk or a poster is none, and tags would list it as one.
  const meta = item.kind === 'presentation' ? [] : highwireTags(item, { publisher, pdfUrl, abstractUrl: item.abstractHtml === undefined ? undefined : absolute(`${item.url}#abstract`) });
  return { meta, jsonLd: JSON.stringify(schemaOrg(item, publisher, absolute(item.url))).replace(/</g, '\\u003c') };
}

/** Google Scholar's tags (Highwire Press's), as its inclusion guidelines name them. */
function highwireTags(item: PublicationView, found: { publisher: string | undefined; pdfUrl: string | undefined; abstractUrl: string | undefined }): Array<{ name: string; content: string }> {
  const meta: Array<{ name: string; content: string }> = [{ name: 'citation_title', content: item.title }];
  for (const author of item.authors) meta.push({ name: 'citation_author', content: author.inverted });
  if (item.authors.length === 0) {
    // A collaboration's paper with no names (a CONF note) is the collaboration's; an edited
    // book is its editors': Scholar leaves out an entry with no author at all.
    if (item.collaboration !== undefined) meta.push({ name: 'citation_author', content: item.collaboration });
    else for (const editor of item.editors ?? []) meta.push({ name: 'citation_author', content: editor.inverted });
  }
  if (item.isoDate !== undefined) meta.push({ name: 'citation_publication_date', content: scholarDate(item.isoDate) });
  const venueTag: Partial<Record<PublicationView['kind'], string>> = {
    article: 'citation_journal_title',
    conference: 'citation_conference_title',
    chapter: 'citation_inbook_title',
    thesis: 'citation_dissertation_institution',
    report: 'citation_technical_report_institution',
  };
  const tag = venueTag[item.kind];
  // A thesis's venue is its genre and school: the school alone is its institution.
  const venue = item.kind === 'thesis' ? item.school : item.venue;
  if (tag !== undefined && venue !== undefined) meta.push({ name: tag, content: venue });
  if (item.volume !== undefined) meta.push({ name: 'citation_volume', content: item.volume });
  if (item.issue !== undefined) meta.push({ name: item.kind === 'report' ? 'citation_technical_report_number' : 'citation_issue', content: item.issue });
  const [firstPage, lastPage] = pageSpan(item);
  if (firstPage !== undefined) meta.push({ name: 'citation_firstpage', content: firstPage });
  if (lastPage !== undefined) meta.push({ name: 'citation_lastpage', content: lastPage });
  if (found.publisher !== undefined) meta.push({ name: 'citation_publisher', content: found.publisher });
  if (item.doi !== undefined) meta.push({ name: 'citation_doi', content: item.doi });
  for (const isbn of item.isbn ?? []) meta.push({ name: 'citation_isbn', content: isbn });
  for (const issn of item.issn ?? []) meta.push({ name: 'citation_issn', content: issn });
  if (found.pdfUrl !== undefined) meta.push({ name: 'citation_pdf_url', content: found.pdfUrl });
  if (found.abstractUrl !== undefined) meta.push({ name: 'citation_abstract_html_url', content: found.abstractUrl });
  return meta;
}

/**
 * Scholar's date is the full date ("2008/09/17") or the year alone: "2008/09" is neither, and
 * is misread. A month without its day is left out.
 */
function scholarDate(isoDate: string): string {
  const [year = isoDate, month, day] = isoDate.split('-');
  return month === undefined || day === undefined ? year : `${year}/${month}/${day}`;
}

/** The paper's PDF: the `pdf` field's link, else the `url` field's when it is a PDF (`.pdf`, whatever its query). */
function pdfLinkOf(item: PublicationView): string | undefined {
  return (item.links.find((link) => link.label === 'PDF') ?? item.links.find((link) => link.label === 'Link' && /\.pdf$/i.test(link.href.replace(/[?#].*$/, ''))))?.href;
}

/**
 * The work as schema.org describes it. A book is a Book, with its ISBNs, a chapter a Chapter, a
 * thesis a Thesis, a report a Report issued by its institution; a talk or a poster a CreativeWork
 * the event featured; anything else an article, part of a periodical (with the journal's ISSNs) or
 * of a book (a chapter's, or a conference paper's proceedings that have ISBNs, with them).
 */
function schemaOrg(item: PublicationView, publisher: string | undefined, pageUrl: string | undefined): Record<string, unknown> {
  const isBook = item.kind === 'book';
  const jsonLd: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': SCHEMA_TYPES[item.kind] ?? 'ScholarlyArticle',
    headline: item.title,
    name: item.title,
  };
  // An edited book has editors and no authors: an empty author list would say it has none.
  const authors = [...item.authors.map(agent), ...(item.collaboration === undefined ? [] : [{ '@type': 'Organization', name: item.collaboration }])];
  if (authors.length > 0) jsonLd['author'] = authors;
  if (isBook && item.isbn !== undefined) jsonLd['isbn'] = item.isbn;
  // schema.org's number of pages is a whole number: "xii + 350" has none to give.
  if (isBook && item.pageCount !== undefined && /^[\d,]+$/.test(item.pageCount)) jsonLd['numberOfPages'] = Number(item.pageCount.replaceAll(',', ''));
  const editors = (item.editors ?? item.editedBy)?.map(agent);
  if (item.translators !== undefined) jsonLd['translator'] = item.translators.map(agent);
  if (item.isoDate !== undefined) jsonLd['datePublished'] = item.isoDate;
  if (item.kind === 'report' && item.issue !== undefined) jsonLd['reportNumber'] = item.issue;
  // A thesis's venue is its genre and school, a report's its institution, a repository's or
  // society's its publisher: none of them contains it. A talk's is the event it was given at.
  const contained = item.venue !== undefined && item.kind !== 'thesis' && item.kind !== 'report' && item.venueIsPublisher !== true;
  if (contained && item.kind === 'presentation') {
    // schema.org has no property from a work to the event it was presented at, only Event's
    // workFeatured the other way; an event is no CreativeWork to be part of.
    const event: Record<string, unknown> = { '@type': 'Event', name: item.venue };
    if (item.place !== undefined) event['location'] = { '@type': 'Place', name: item.place };
    jsonLd['@reverse'] = { workFeatured: event };
  } else if (contained) {
    const container: Record<string, unknown> = { '@type': 'CreativeWork', name: item.venue };
    if (item.kind === 'article') container['@type'] = 'Periodical';
    const inBook = item.kind === 'chapter' || (item.kind === 'conference' && item.isbn !== undefined);
    if (inBook) container['@type'] = 'Book';
    if (item.kind === 'article' && item.issn !== undefined) container['issn'] = item.issn;
    if (inBook && item.isbn !== undefined) container['isbn'] = item.isbn;
    // A chapter's editors edited the book it is in.
    if (item.kind === 'chapter' && editors !== undefined) container['editor'] = editors;
    jsonLd['isPartOf'] = container;
  }
  if (editors !== undefined && !(item.kind === 'chapter' && contained)) jsonLd['editor'] = editors;
  const by = item.kind === 'thesis' ? item.school : item.kind === 'report' ? item.venue ?? publisher : publisher;
  if (by !== undefined) jsonLd['publisher'] = { '@type': 'Organization', name: by };
  // The DOI, and the arXiv, PubMed and PMC identifiers its links give; the first one's page is the work's.
  const identifiers = [
    ...(item.doi === undefined ? [] : [{ name: 'DOI', value: item.doi, href: `https://doi.org/${item.doi}` }]),
    ...linkedIdentifiers(item.links),
  ];
  if (identifiers.length > 0) {
    const values = identifiers.map(({ name, value }) => ({ '@type': 'PropertyValue', propertyID: name, value }));
    jsonLd['identifier'] = values.length === 1 ? values[0] : values;
    jsonLd['sameAs'] = identifiers[0]?.href;
  }
  if (pageUrl !== undefined) jsonLd['url'] = pageUrl;
  if (item.keywords.length > 0 && item.keywordsHidden !== true) jsonLd['keywords'] = item.keywords.join(', ');
  return jsonLd;
}

/**
 * schema.org's type for each kind; the rest are ScholarlyArticle. A talk or a poster is a
 * CreativeWork: PresentationDigitalDocument is a file of slides, which a poster is not, and a
 * talk is no file at all (its slides are a link of its own).
 */
const SCHEMA_TYPES: Partial<Record<PublicationView['kind'], string>> = {
  book: 'Book',
  chapter: 'Chapter',
  thesis: 'Thesis',
  report: 'Report',
  presentation: 'CreativeWork',
};

/** A person, or a group written as one name (`{ATLAS Collaboration}`, `{The Xen Project}`): an Organization. */
function agent(person: Named): { '@type': 'Person' | 'Organization'; name: string } {
  return { '@type': isGroupName(person) ? 'Organization' : 'Person', name: person.name };
}

/**
 * Words that name a group, not a person, in English and the languages universities are named in.
 * A person's family name is hardly ever one of them.
 */
const GROUP_WORD =
  /(?<![\p{L}\p{N}])(?:collaborations?|consorti(?:um|a)|group|project|team|committee|society|association|foundation|institut[eo]?|network|initiative|council|organi[sz]ation|task force|alliance|labs?|laborator(?:y|ies)|laboratoire|universit(?:y|ies|ät|é|à|ad|ade|eit)|college|academy|cent(?:er|re)|department|agency|commission|federation|union|bureau|office|ministry|board|corporation|company|inc|ltd|llc|gmbh|developers|contributors)(?![\p{L}\p{N}])/iu;

/**
 * A group is written as one literal, braced whole, so it has no given name: shown as written, the
 * way indexers want it too (a person's "Given Family" is inverted to "Family, Given"). A single
 * word, braced ("{Plato}") or a family name alone, is taken for a person.
 */
function isGroupName(person: Named): boolean {
  return person.name === person.inverted && /\s/.test(person.name) && GROUP_WORD.test(person.name);
}

/**
 * The first and last page for indexers: the ends of the page ranges, written out, or the one
 * page; an article without pages is found by its article number, which publishers give as its
 * first page (as PLOS's "e0123456").
 */
function pageSpan(item: PublicationView): Array<string | undefined> {
  if (item.pages === undefined) return [item.articleNumber];
  const ends = item.pages.split(/, |–/).filter((end) => end !== '');
  if (ends.length <= 1) return [ends[0]];
  const [first, last] = [ends[0] ?? '', ends.at(-1) ?? ''];
  // PubMed shortens a range's end ("1234-45"): indexers want the page itself.
  return [first, /^\d+$/.test(first) && /^\d+$/.test(last) && last.length < first.length ? first.slice(0, first.length - last.length) + last : last];
}

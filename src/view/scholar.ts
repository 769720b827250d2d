import type { PublicationView } from './publication-list.ts';
import { linkedIdentifiers } from '../bibliography/links.ts';

export interface ScholarMetadata {
  /** `<meta name content>` pairs from Google Scholar's inclusion guidelines (Highwire Press tags). */
  meta: Array<{ name: string; content: string }>;
  /** schema.org ScholarlyArticle, serialised so it is safe inside a `<script>` element. */
  jsonLd: string;
}

/**
 * The machine-readable description of a publication page. `siteUrl` is the
 * site's absolute origin and path prefix, e.g. https://example.org/, used to
 * make file links absolute as indexers require.
 */
export function scholarMetadata(item: PublicationView, siteUrl: string | undefined): ScholarMetadata {
  // Indexers need absolute addresses; without the site's address, site files are left out.
  const absolute = (href: string): string | undefined => (!href.startsWith('/') ? href : siteUrl === undefined ? undefined : new URL(href.slice(1), siteUrl).href);
  const meta: Array<{ name: string; content: string }> = [{ name: 'citation_title', content: item.title }];
  for (const author of item.authors) meta.push({ name: 'citation_author', content: author.inverted });
  // A collaboration's paper with no names (a CONF note) is the collaboration's.
  if (item.authors.length === 0 && item.collaboration !== undefined) meta.push({ name: 'citation_author', content: item.collaboration });
  if (item.isoDate !== undefined) meta.push({ name: 'citation_publication_date', content: item.isoDate.replaceAll('-', '/') });
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
  const publisher = item.publisher ?? (item.venueIsPublisher === true ? item.venue : undefined);
  if (publisher !== undefined) meta.push({ name: 'citation_publisher', content: publisher });
  if (item.doi !== undefined) meta.push({ name: 'citation_doi', content: item.doi });
  for (const isbn of item.isbn ?? []) meta.push({ name: 'citation_isbn', content: isbn });
  for (const issn of item.issn ?? []) meta.push({ name: 'citation_issn', content: issn });
  const pdf = item.links.find((link) => link.label === 'PDF');
  const pdfUrl = pdf === undefined ? undefined : absolute(pdf.href);
  if (pdfUrl !== undefined) meta.push({ name: 'citation_pdf_url', content: pdfUrl });
  const abstractUrl = item.abstractHtml === undefined ? undefined : absolute(`${item.url}#abstract`);
  if (abstractUrl !== undefined) meta.push({ name: 'citation_abstract_html_url', content: abstractUrl });

  // A book is a schema.org Book, with its ISBNs, a chapter a Chapter, a thesis a Thesis; anything
  // else an article, part of a periodical (with the journal's ISSNs) or of a book (a chapter's,
  // or a conference paper's proceedings that have ISBNs, with them).
  const isBook = item.kind === 'book';
  const jsonLd: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': isBook ? 'Book' : item.kind === 'chapter' ? 'Chapter' : item.kind === 'thesis' ? 'Thesis' : 'ScholarlyArticle',
    headline: item.title,
    name: item.title,
    author: [
      ...item.authors.map((author) => ({ '@type': 'Person', name: author.name })),
      ...(item.collaboration === undefined ? [] : [{ '@type': 'Organization', name: item.collaboration }]),
    ],
  };
  if (isBook && item.isbn !== undefined) jsonLd['isbn'] = item.isbn;
  // schema.org's number of pages is a whole number: "xii + 350" has none to give.
  if (isBook && item.pageCount !== undefined && /^[\d,]+$/.test(item.pageCount)) jsonLd['numberOfPages'] = Number(item.pageCount.replaceAll(',', ''));
  const editors = item.editors ?? item.editedBy;
  if (editors !== undefined) jsonLd['editor'] = editors.map((editor) => ({ '@type': 'Person', name: editor.name }));
  if (item.translators !== undefined) jsonLd['translator'] = item.translators.map((translator) => ({ '@type': 'Person', name: translator.name }));
  if (item.isoDate !== undefined) jsonLd['datePublished'] = item.isoDate;
  // A thesis's venue is its genre and school, a repository's or society's its publisher: neither contains it.
  if (item.venue !== undefined && item.kind !== 'thesis' && item.venueIsPublisher !== true) {
    const container: Record<string, unknown> = { '@type': 'CreativeWork', name: item.venue };
    if (item.kind === 'article') container['@type'] = 'Periodical';
    const inBook = item.kind === 'chapter' || (item.kind === 'conference' && item.isbn !== undefined);
    if (inBook) container['@type'] = 'Book';
    if (item.kind === 'article' && item.issn !== undefined) container['issn'] = item.issn;
    if (inBook && item.isbn !== undefined) container['isbn'] = item.isbn;
    jsonLd['isPartOf'] = container;
  }
  const by = item.kind === 'thesis' ? item.school : publisher;
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
  const pageUrl = absolute(item.url);
  if (pageUrl !== undefined) jsonLd['url'] = pageUrl;
  if (item.keywords.length > 0 && item.keywordsHidden !== true) jsonLd['keywords'] = item.keywords.join(', ');
  return { meta, jsonLd: JSON.stringify(jsonLd).replace(/</g, '\\u003c') };
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

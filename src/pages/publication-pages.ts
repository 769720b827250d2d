import { hashOf } from '../cache.ts';
import { publicationSummary, type PublicationView } from '../view/publication-list.ts';
import { scholarMetadata } from '../view/scholar.ts';
import { viewKey } from '../view/view-key.ts';
import type { GeneratedFile } from './generated-files.ts';
import type { LayoutData } from './layout-renderer.ts';

/** The layout of a publication's page, in layouts/. */
export const PUBLICATION_LAYOUT = 'publication.njk';
/** A publication in a list, in layouts/ (shown by the `publication_item` shortcode). */
export const PUBLICATION_ITEM = 'partials/publication-item.njk';

export interface PublicationPageOptions {
  /** What every page of the site sees (site, nav, portrait, …); never the whole publication list. */
  shared: LayoutData;
  /** The site's absolute address, for Google Scholar's tags. */
  siteUrl: string | undefined;
  /** A hash of the shared data and everything else the pages depend on: the layouts, the config, the path prefix. */
  sharedKey: string;
  render(layout: string, data: LayoutData, url: string): Promise<string>;
}

/**
 * A page for every publication. A page's key covers its own entry, the shared
 * data and the layouts, so editing one entry renders one page again. Pages see
 * the shared data and their own publication, not the whole list: otherwise any
 * edit anywhere would change every page.
 */
export function publicationPages(publications: readonly PublicationView[], options: PublicationPageOptions): GeneratedFile[] {
  return publications.map((publication) => ({
    path: `publications/${publication.id}/index.html`,
    key: hashOf('publication-page', options.sharedKey, viewKey(publication), options.siteUrl ?? ''),
    // What the page shows follows from the key's parts: worked out only when the page is rendered.
    render: () =>
      options.render(
        PUBLICATION_LAYOUT,
        {
          ...options.shared,
          page: { url: publication.url },
          title: publication.title,
          description: publicationSummary(publication),
          scholar: scholarMetadata(publication, options.siteUrl),
          publication,
        },
        publication.url,
      ),
  }));
}

/**
 * A BibTeX file for every publication. It needs nothing but the entry, so a build writes these
 * from the moment the bibliography is read, long before the pages can be rendered.
 */
export function publicationBibtexFiles(publications: readonly PublicationView[]): GeneratedFile[] {
  return publications.map((publication) => ({ path: `publications/${publication.id}.bib`, key: hashOf('publication-bibtex', publication.bibtex), render: () => publication.bibtex }));
}

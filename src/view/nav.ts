/**
 * How a navigation link stands to the page it is shown on, for `aria-current`: "page" on the page
 * it links to; "true" on a page of its section (a publication's page, under /publications/) or on
 * the page of the file it links to (/cv/ for /cv.pdf); nothing elsewhere.
 */
export function navCurrent(link: string, page: string | false): 'page' | 'true' | undefined {
  // A page with `permalink: false` is rendered (for its content elsewhere) but has no address.
  if (page === false) return undefined;
  if (link === page) return 'page';
  if (link !== '/' && link.endsWith('/') && page.startsWith(link)) return 'true';
  if (/\/[^/]+\.[A-Za-z\d]+$/.test(link) && link.replace(/\.[A-Za-z\d]+$/, '/') === page) return 'true';
  return undefined;
}

import { escapeXml } from './text/escape.ts';
import { publicationSummary, type PublicationView } from './view/publication-list.ts';

/** sitemap.xml for the given site paths (as Eleventy writes them, without the path prefix). */
export function sitemapXml(paths: readonly string[], base: string): string {
  const urls = [...new Set(paths)].sort().map((sitePath) => `  <url><loc>${escapeXml(new URL(sitePath.replace(/^\//, ''), base).href)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

export function robotsTxt(base: string | undefined): string {
  return `User-agent: *\nAllow: /\n${base === undefined ? '' : `Sitemap: ${new URL('sitemap.xml', base).href}\n`}`;
}

/**
 * An Atom feed of the publications, newest first, so followers learn of new
 * papers: those accepted and not yet out too. Dates come from the entries (the
 * first of their month), never from the clock, so the feed is the same for the
 * same bibliography; a forthcoming paper without a date of its own has the
 * newest date of the others.
 */
export function publicationsFeed(items: readonly PublicationView[], feed: { title: string; author: string; base: string; language: string }): string {
  const listed = items.filter((item) => item.year !== undefined || item.forthcoming);
  const isoOf = (item: PublicationView): string | undefined => {
    if (item.isoDate === undefined) return undefined;
    const [year = 1970, month = 1, day = 1] = item.isoDate.split('-').map(Number);
    return new Date(Date.UTC(year, month - 1, day)).toISOString().replace('.000Z', 'Z');
  };
  const updated = listed.map(isoOf).filter((iso) => iso !== undefined).sort().at(-1) ?? '1970-01-01T00:00:00Z';
  const entries = listed.map((item) => {
    const link = new URL(item.url.replace(/^\//, ''), feed.base).href;
    const summary = publicationSummary(item);
    // A title with math as text: readers that show titles as text would show MathML's TeX beside it.
    const title = /<math[\s>]/.test(item.titleHtml) ? `<title>${escapeXml(item.title)}</title>` : `<title type="html">${escapeXml(item.titleHtml)}</title>`;
    return [
      '  <entry>',
      `    ${title}`,
      `    <link href="${escapeXml(link)}"/>`,
      `    <id>${escapeXml(link)}</id>`,
      `    <updated>${isoOf(item) ?? updated}</updated>`,
      ...item.authors.map((author) => `    <author><name>${escapeXml(author.name)}</name></author>`),
      `    <summary>${escapeXml(summary)}</summary>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(feed.language)}">`,
    `  <title>${escapeXml(feed.title)}</title>`,
    `  <link href="${escapeXml(new URL('publications.xml', feed.base).href)}" rel="self"/>`,
    `  <link href="${escapeXml(new URL('publications/', feed.base).href)}"/>`,
    `  <id>${escapeXml(new URL('publications/', feed.base).href)}</id>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>${escapeXml(feed.author)}</name></author>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

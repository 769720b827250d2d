import type { CslItem } from './csl.ts';

/** A share of the formatting: CSL items, and the style by name (built in) or as XML. */
export interface CslJob {
  items: CslItem[];
  /** The style's name for citation-js: built-in, or the name the XML is registered under. */
  template: string;
  xml?: string;
  /** The locale of the style's terms, one citation-js has offline (see csl-style-check.ts); en-US when not given. */
  locale?: string;
}

/**
 * Formats each item on its own as a bibliography entry and returns citeproc's HTML for each,
 * without the number column of numbered styles. Loads citation-js, so it runs only when some
 * entry is not in the cache; it is also what a worker thread runs (see parallel.ts).
 */
export async function formatItems(job: CslJob, options: FormatOptions = {}): Promise<string[]> {
  const format = await formatterFor(job, options);
  return job.items.map(format);
}

export interface FormatOptions {
  /** Format every entry with the style as written: its sort keys, its citations and their disambiguation (see forEntriesAlone). */
  asWritten?: boolean;
}

/**
 * The style without its sort keys (`<sort>` in the citation and the bibliography). Each entry is
 * formatted alone, so there is nothing to sort, but citeproc still works out every entry's sort
 * keys with the style's macros: a third of APA's time per entry. The output is the same (tested
 * with every built-in style).
 */
export function withoutSorting(xml: string): string {
  // Comments first: one that mentions <sort> must not swallow the style's own elements.
  return xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<sort\b[^>]*\/>|<sort\b[^>]*>[\s\S]*?<\/sort>/g, '');
}

/**
 * The style for an entry formatted alone whose names cannot be taken for one another (see
 * namesMayCollide): without its sort keys, and with a citation that renders nothing of the entry
 * and disambiguates nothing. citeproc renders each new entry's citation twice before its
 * bibliography entry, to find the citations it could be confused with and to disambiguate them;
 * an entry alone has no other citation, so the only thing that work can change is how names that
 * share a family name within the entry are told apart (harvard1 then writes their given names in
 * full). Everything else the bibliography shows comes from the style's bibliography and macros,
 * which stay as written. APA formats each entry about 30% faster so (the output is the same:
 * tested with every built-in style and real bibliographies).
 */
export function forEntriesAlone(xml: string): string {
  return withoutSorting(xml).replace(/<citation(?=[\s>/])[^>]*?(?:\/>|>[\s\S]*?<\/citation>)/, '<citation><layout><text value="-"/></layout></citation>');
}

/**
 * Whether two of the item's names (authors, editors, any name variable) share a family name, or a
 * literal name, ignoring case and accents: the one case where disambiguating an entry alone can
 * change its bibliography entry, so in a style that disambiguates its citations it is formatted
 * with the style as written.
 */
export function namesMayCollide(item: CslItem): boolean {
  const seen = new Set<string>();
  for (const value of Object.values(item)) {
    if (!Array.isArray(value)) continue;
    for (const name of value) {
      if (name === null || typeof name !== 'object') continue;
      const { family, literal, given } = name as Record<string, unknown>;
      const key = family ?? literal ?? given;
      if (typeof key !== 'string') continue;
      const folded = key.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
      if (seen.has(folded)) return true;
      seen.add(folded);
    }
  }
  return false;
}

/** Whether the style's citations ask citeproc to disambiguate them (any disambiguate-add-* option set). */
export function disambiguatesCitations(xml: string): boolean {
  const citation = /<citation(?=[\s>/])[^>]*>/.exec(withoutSorting(xml))?.[0] ?? '';
  return /\sdisambiguate-add-[a-z-]+\s*=\s*["']true["']/.test(citation);
}

/** A function that formats one item in the job's style, with citation-js loaded and the style registered. */
async function formatterFor(style: Omit<CslJob, 'items'>, options: FormatOptions = {}): Promise<(item: CslItem) => string> {
  const { Cite, plugins } = await import('@citation-js/core');
  await import('@citation-js/plugin-csl');
  const styles = plugins.config.get('@csl').styles;
  if (style.xml !== undefined && !styles.has(style.template)) styles.add(style.template, style.xml);
  // citation-js compiles a registered style when it first formats with it, so the style as
  // written costs nothing while no entry needs it.
  const xml = styles.get(style.template);
  const written = options.asWritten === true ? style.template : `${style.template}-unsorted`;
  if (!styles.has(written)) styles.add(written, withoutSorting(xml));
  const alone = `${style.template}-alone`;
  if (!styles.has(alone)) styles.add(alone, forEntriesAlone(xml));
  const disambiguates = disambiguatesCitations(xml);
  return (item) => {
    const template = options.asWritten === true || (disambiguates && namesMayCollide(item)) ? written : alone;
    const [entry] = new Cite([forCiteproc(item)]).format('bibliography', { format: 'html', template, lang: style.locale ?? 'en-US', asEntryArray: true }) as unknown as Array<[string, string]>;
    // Numbered styles put the entry's number in a margin column; one entry alone has no number to show.
    return (entry?.[1] ?? '').replace(/<div class="csl-left-margin">[\s\S]*?<\/div>/, '').replace(/<\/?div[^>]*>/g, ' ');
  };
}

/**
 * The item as citeproc is to read it: a hyphen left in its pages is part of an identifier
 * ("P5-12-05"; ranges have en dashes by now, see read-bibtex.ts), which citeproc would otherwise
 * read as a range and give an en dash, so it is escaped as citeproc asks.
 */
function forCiteproc(item: CslItem): CslItem {
  const page = item['page'];
  return typeof page === 'string' && page.includes('-') ? { ...item, page: page.replaceAll('-', '\\-') } : item;
}

/**
 * What a prepared worker (see parallel.ts) does before its entries are known: loads citation-js
 * and compiles the style, which citation-js keeps for the formatting that follows (loading
 * citation-js takes about 0.07 s, compiling APA 0.08 s, formatting an entry 2 to 5 ms). Each entry
 * is formatted on its own, so the probe leaves nothing behind in what follows.
 */
export async function prepare(style: Omit<CslJob, 'items'>): Promise<void> {
  const format = await formatterFor(style);
  format({ id: 'probe', type: 'book', title: 'Probe' });
}

export const run = (job: CslJob): Promise<string[]> => formatItems(job);

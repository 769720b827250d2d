import type { CslItem } from './csl.ts';

/** A share of the formatting: CSL items, and the style by name (built in) or as XML. */
export interface CslJob {
  items: CslItem[];
  /** The style's name for citation-js: built-in, or the name the XML is registered under. */
  template: string;
  xml?: string;
}

/**
 * Formats each item on its own as a bibliography entry and returns citeproc's HTML for each,
 * without the number column of numbered styles. Loads citation-js, so it runs only when some
 * entry is not in the cache; it is also what a worker thread runs (see parallel.ts).
 */
export async function formatItems(job: CslJob): Promise<string[]> {
  const format = await formatterFor(job);
  return job.items.map(format);
}

/** A function that formats one item in the job's style, with citation-js loaded and the style registered. */
async function formatterFor(style: Omit<CslJob, 'items'>): Promise<(item: CslItem) => string> {
  const { Cite, plugins } = await import('@citation-js/core');
  await import('@citation-js/plugin-csl');
  if (style.xml !== undefined) plugins.config.get('@csl').styles.add(style.template, style.xml);
  return (item) => {
    const [entry] = new Cite([item]).format('bibliography', { format: 'html', template: style.template, lang: 'en-US', asEntryArray: true }) as unknown as Array<[string, string]>;
    // Numbered styles put the entry's number in a margin column; one entry alone has no number to show.
    return (entry?.[1] ?? '').replace(/<div class="csl-left-margin">[\s\S]*?<\/div>/, '').replace(/<\/?div[^>]*>/g, ' ');
  };
}

/**
 * What a prepared worker (see parallel.ts) does before its entries are known: loads citation-js
 * and compiles the style, which citation-js keeps for the formatting that follows (compiling APA
 * takes about 0.7 s, formatting an entry a few ms). Each entry is formatted on its own, so the
 * probe leaves nothing behind in what follows.
 */
export async function prepare(style: Omit<CslJob, 'items'>): Promise<void> {
  const format = await formatterFor(style);
  format({ id: 'probe', type: 'book', title: 'Probe' });
}

export const run = formatItems;

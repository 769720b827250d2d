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
  const { Cite, plugins } = await import('@citation-js/core');
  await import('@citation-js/plugin-csl');
  if (job.xml !== undefined) plugins.config.get('@csl').styles.add(job.template, job.xml);
  return job.items.map((item) => {
    const [entry] = new Cite([item]).format('bibliography', { format: 'html', template: job.template, lang: 'en-US', asEntryArray: true }) as unknown as Array<[string, string]>;
    // Numbered styles put the entry's number in a margin column; one entry alone has no number to show.
    return (entry?.[1] ?? '').replace(/<div class="csl-left-margin">[\s\S]*?<\/div>/, '').replace(/<\/?div[^>]*>/g, ' ');
  });
}

export const run = formatItems;

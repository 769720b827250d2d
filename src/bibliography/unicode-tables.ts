import type { combining as Combining, latex2unicode as Latex2unicode } from 'unicode2latex';

/**
 * The two tables of unicode2latex that reading BibTeX needs (LaTeX to Unicode, and the combining
 * accents), loaded from their own files beside the package's index. The index loads every table
 * the package has, among them 260 KB for the other direction, which nothing here uses: 50 to 70 ms
 * to import against about 25 ms (10 fresh processes each), on the main thread of every build that
 * reads a bibliography. They are the modules the index imports, so the BibTeX parser, when loaded,
 * shares them. Should the package lay its files out otherwise, they come from the index.
 */
async function loadTables(): Promise<{ latex2unicode: typeof Latex2unicode; combining: typeof Combining }> {
  try {
    const index = import.meta.resolve('unicode2latex');
    const [toUnicode, accents] = (await Promise.all([import(new URL('tables/latex2unicode.js', index).href), import(new URL('tables/combining.js', index).href)])) as Array<{ table?: unknown }>;
    if (toUnicode?.table !== undefined && accents?.table !== undefined) return { latex2unicode: toUnicode.table as typeof Latex2unicode, combining: accents.table as typeof Combining };
  } catch {
    // Laid out otherwise: from the index, below.
  }
  const { latex2unicode, combining } = await import('unicode2latex');
  return { latex2unicode, combining };
}

export const { latex2unicode, combining } = await loadTables();

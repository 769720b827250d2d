import { plugins, type CslItem, type CslName } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import { BibliographyError } from '../errors.ts';
import { scanEntryStarts, type EntryStart } from './scan-entries.ts';
import { assignSlugs } from './slug.ts';
import type { Person, Publication, PublicationKind } from './types.ts';

/**
 * Parses BibTeX text into publications. This module is the only one that
 * imports citation-js, so its quirks stay here.
 */
export function parseBibtex(text: string, file: string): Publication[] {
  const starts = scanEntryStarts(text);
  const duplicates = findDuplicateKeys(starts, file);
  if (duplicates.length > 0) throw new BibliographyError(duplicates);

  let items: CslItem[];
  try {
    // Forcing the input type makes citation-js report syntax errors with their line
    // instead of "This format is not supported or recognized".
    items = plugins.input.chain(text, { forceType: '@biblatex/text', generateGraph: false });
  } catch (error) {
    throw syntaxError(error, starts, file);
  }

  const startByKey = new Map(starts.map((start) => [start.key, start]));
  const slugs = assignSlugs(items.map((item) => item['citation-key'] ?? item.id));
  return items.map((item) => {
    const key = item['citation-key'] ?? item.id;
    const start = startByKey.get(key);
    return toPublication(item, key, slugs.get(key) ?? key, start);
  });
}

function findDuplicateKeys(starts: readonly EntryStart[], file: string) {
  const firstByKey = new Map<string, EntryStart>();
  const problems = [];
  for (const start of starts) {
    const folded = start.key.toLowerCase();
    const first = firstByKey.get(folded);
    if (first === undefined) {
      firstByKey.set(folded, start);
    } else {
      problems.push({
        file,
        line: start.line,
        key: start.key,
        message: `duplicate key: "${start.key}" is already used by the entry at line ${first.line}` +
          `${first.key === start.key ? '' : ` ("${first.key}"; keys that differ only in case are the same to BibTeX)`}; rename one of them`,
      });
    }
  }
  return problems;
}

function syntaxError(error: unknown, starts: readonly EntryStart[], file: string): BibliographyError {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at line (\d+) col (\d+)/.exec(message);
  const errorLine = position === null ? undefined : Number(position[1]);
  const errorColumn = position === null ? 1 : Number(position[2]);
  // The entry at fault is the last one that starts before the error position: an unclosed
  // brace makes the parser fail only at the start of the next entry (line N, column 1).
  const entry = errorLine === undefined
    ? undefined
    : [...starts].reverse().find((start) => start.line < errorLine || (start.line === errorLine && errorColumn > 1));
  const what = (message.split('\n')[0] ?? message).replace(/ at line \d+ col \d+:?$/, '');
  const location = entry ?? (errorLine === undefined ? {} : { line: errorLine });
  const detail = errorLine === undefined || entry === undefined ? '' : ` (the parser stopped at line ${errorLine}${position?.[2] ? `, column ${position[2]}` : ''})`;
  return new BibliographyError([
    {
      file,
      ...('line' in location && location.line !== undefined ? { line: location.line } : {}),
      ...(entry === undefined ? {} : { key: entry.key }),
      message: `invalid BibTeX: ${what}${detail}; check this entry for an unclosed brace, a missing comma or a stray quote`,
    },
  ]);
}

function toPublication(item: CslItem, key: string, id: string, start: EntryStart | undefined): Publication {
  const entryType = start?.entryType ?? 'misc';
  const [year, month] = item.issued?.['date-parts']?.[0] ?? [];
  const publication: Publication = {
    key,
    id,
    entryType,
    kind: kindOf(entryType),
    title: item.title ?? '',
    authors: (item.author ?? []).map(toPerson),
    line: start?.line ?? 0,
  };
  const venue = venueOf(item, entryType);
  if (venue !== undefined) publication.venue = venue;
  if (typeof year === 'number' && Number.isFinite(year)) publication.year = year;
  if (typeof month === 'number' && month >= 1 && month <= 12) publication.month = month;
  setText(publication, 'volume', item.volume);
  setText(publication, 'issue', item.issue);
  setText(publication, 'pages', item.page?.replace(/\s*-+\s*/g, '–'));
  setText(publication, 'publisher', entryType === 'misc' ? undefined : item.publisher);
  setText(publication, 'place', item['publisher-place']);
  setText(publication, 'doi', item.DOI?.replace(/^https?:\/\/(dx\.)?doi\.org\//i, ''));
  setText(publication, 'url', item.URL);
  return publication;
}

function setText(target: Publication, field: 'volume' | 'issue' | 'pages' | 'publisher' | 'place' | 'doi' | 'url', value: unknown): void {
  if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') target[field] = String(value).trim();
}

function toPerson(name: CslName): Person {
  if (name.literal !== undefined) return { literal: name.literal };
  const family = [name['non-dropping-particle'], name.family].filter(Boolean).join(' ');
  const given = [name.given, name['dropping-particle']].filter(Boolean).join(' ');
  const person: Person = {};
  if (given !== '') person.given = given;
  if (family !== '') person.family = name.suffix === undefined ? family : `${family}, ${name.suffix}`;
  return person;
}

const KIND_BY_ENTRY_TYPE: Readonly<Record<string, PublicationKind>> = {
  article: 'article',
  inproceedings: 'conference',
  conference: 'conference',
  proceedings: 'book',
  incollection: 'chapter',
  inbook: 'chapter',
  book: 'book',
  phdthesis: 'thesis',
  mastersthesis: 'thesis',
  thesis: 'thesis',
  techreport: 'report',
  report: 'report',
  misc: 'presentation',
  unpublished: 'presentation',
};

function kindOf(entryType: string): PublicationKind {
  return KIND_BY_ENTRY_TYPE[entryType] ?? 'other';
}

function venueOf(item: CslItem, entryType: string): string | undefined {
  if (item['container-title']) return item['container-title'];
  if (entryType === 'phdthesis') return item.publisher ? `PhD thesis, ${item.publisher}` : 'PhD thesis';
  if (entryType === 'mastersthesis') return item.publisher ? `Master's thesis, ${item.publisher}` : "Master's thesis";
  // citation-js maps `howpublished` of a @misc entry to `publisher`.
  return item.publisher ?? item['event-title'];
}

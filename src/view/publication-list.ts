import type { Person, Publication, PublicationKind } from '../bibliography/types.ts';
import { formatMonthYear } from '../text/dates.ts';
import { safeWebUrl } from '../text/urls.ts';

/** What a layout needs to show one publication; every string is plain text. */
export interface PublicationView {
  key: string;
  id: string;
  kind: PublicationKind;
  title: string;
  authors: Array<{ name: string; isOwner: boolean }>;
  venue?: string;
  /** Volume, issue and pages, e.g. "vol. 13, no. 4, pp. 349–372". */
  details?: string;
  place?: string;
  year?: number;
  date: string;
  links: Array<{ label: string; href: string }>;
}

export interface PublicationGroup {
  /** Heading text, e.g. "2014", "Forthcoming" or "n.d.". */
  label: string;
  /** Anchor of the heading. */
  id: string;
  items: PublicationView[];
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Newest first; within a year by month, then by title. Entries without a year come last. */
export function compareNewestFirst(a: Publication, b: Publication): number {
  return (
    (b.year ?? -Infinity) - (a.year ?? -Infinity) ||
    (b.month ?? 0) - (a.month ?? 0) ||
    collator.compare(a.title, b.title) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

export function toPublicationView(publication: Publication, isOwner: (person: Person) => boolean): PublicationView {
  const view: PublicationView = {
    key: publication.key,
    id: publication.id,
    kind: publication.kind,
    title: publication.title,
    authors: publication.authors.map((person) => ({ name: displayName(person), isOwner: isOwner(person) })),
    date: publication.year === undefined ? 'n.d.' : formatMonthYear(publication.year, publication.month),
    links: linksOf(publication),
  };
  if (publication.venue !== undefined) view.venue = publication.venue;
  const details = detailsOf(publication);
  if (details !== undefined) view.details = details;
  if (publication.place !== undefined) view.place = publication.place;
  if (publication.year !== undefined) view.year = publication.year;
  return view;
}

/** Groups publications that are already sorted newest first by year, for the publication list. */
export function groupByYear(views: readonly PublicationView[]): PublicationGroup[] {
  const groups: PublicationGroup[] = [];
  for (const view of views) {
    const label = view.year === undefined ? 'n.d.' : String(view.year);
    let group = groups.at(-1);
    if (group === undefined || group.label !== label) {
      group = { label, id: view.year === undefined ? 'undated' : `y${view.year}`, items: [] };
      groups.push(group);
    }
    group.items.push(view);
  }
  return groups;
}

export function displayName(person: Person): string {
  if (person.literal !== undefined) return person.literal;
  return [person.given, person.family].filter(Boolean).join(' ');
}

function detailsOf(publication: Publication): string | undefined {
  const parts: string[] = [];
  if (publication.volume !== undefined) parts.push(`vol. ${publication.volume}`);
  if (publication.issue !== undefined) parts.push(`no. ${publication.issue}`);
  if (publication.pages !== undefined) parts.push(/[–-]/.test(publication.pages) ? `pp. ${publication.pages}` : `p. ${publication.pages}`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

function linksOf(publication: Publication): Array<{ label: string; href: string }> {
  const links: Array<{ label: string; href: string }> = [];
  if (publication.doi !== undefined) {
    links.push({ label: 'DOI', href: `https://doi.org/${publication.doi.split('/').map(encodeURIComponent).join('/')}` });
  }
  const url = publication.url === undefined ? undefined : safeWebUrl(publication.url);
  if (url !== undefined && !links.some((link) => link.href === url)) links.push({ label: 'Link', href: url });
  return links;
}

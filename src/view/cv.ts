import type { Cv } from '../cv/schema.ts';
import type { YearMonth } from '../cv/updated.ts';
import { formatMonthYear, formatYearMonthText } from '../text/dates.ts';
import { decodeEntities } from '../text/escape.ts';
import { slugifyHeading } from '../text/slugify.ts';

/** The CV as the bio page and the PDF show it: dates already written out. */
export interface CvView {
  /** e.g. "Apr 2016"; absent when no date could be found. */
  updated?: string;
  interests: string[];
  // Optional fields may hold undefined: they come straight from the validated data file.
  positions: Array<{ title: string; organisation: string; place?: string | undefined; period: string }>;
  education: Array<{ degree: string; institution: string; place?: string | undefined; date: string; thesis?: string | undefined; advisor?: string | undefined }>;
  awards: Array<{ title: string; date?: string; detail?: string | undefined; awarder?: string | undefined }>;
  memberships: Array<{ name: string; since?: string }>;
  service: Array<{ role: string; organisation?: string | undefined; date?: string | undefined }>;
  teaching: Array<{ course: string; institution?: string | undefined; date?: string | undefined; role?: string | undefined }>;
  languages: Array<{ language: string; fluency?: string | undefined }>;
  /** Free sections, their Markdown rendered to HTML (and kept as text for the PDF). */
  sections: Array<{ title: string; id: string; html: string; text: string }>;
  /** The current position (the first one without an end date), for headers. */
  current?: { title: string; organisation: string };
}

/** "Feb 2015 – present", "2008 – 2011"; a position that began and ended in the same month or year once ("1999", not "1999 – 1999"). */
function periodOf(start: Parameters<typeof formatYearMonthText>[0], end: Parameters<typeof formatYearMonthText>[0] | undefined): string {
  const from = formatYearMonthText(start, 'short');
  const to = end === undefined ? 'present' : formatYearMonthText(end, 'short');
  return from === to ? from : `${from} – ${to}`;
}

export function toCvView(cv: Cv, lastChanged: YearMonth | undefined, markdown: (source: string) => string): CvView {
  const updated = cv.updated === undefined
    ? lastChanged === undefined ? undefined : formatMonthYear(lastChanged.year, lastChanged.month, 'short')
    : formatYearMonthText(cv.updated, 'short');
  return {
    ...(updated === undefined ? {} : { updated }),
    interests: cv.interests,
    positions: cv.positions.map(({ start, end, ...rest }) => ({ ...rest, period: periodOf(start, end) })),
    education: cv.education.map(({ date, ...rest }) => ({ ...rest, date: formatYearMonthText(date, 'short') })),
    awards: cv.awards.map(({ date, ...rest }) => ({ ...rest, ...(date === undefined ? {} : { date: formatYearMonthText(date, 'short') }) })),
    memberships: cv.memberships.map(({ since, ...rest }) => ({ ...rest, ...(since === undefined ? {} : { since: formatYearMonthText(since, 'short') }) })),
    service: cv.service,
    teaching: cv.teaching,
    languages: cv.languages,
    sections: cv.sections.map((section) => {
      const html = markdown(section.markdown);
      return { title: section.title, id: slugifyHeading(section.title), html, text: sectionText(html) };
    }),
    ...currentOf(cv),
  };
}

/**
 * A free section's Markdown, rendered, as the CV PDF prints it: each paragraph, heading and list
 * item on lines of its own (an item after a bullet), a table's rows as lines of cells, and a link
 * to another site followed by its address, which a printed CV cannot click.
 */
export function sectionText(html: string): string {
  const text = html
    .replace(/<a\s[^>]*?href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g, (_link, href: string, inner: string) => {
      const address = decodeEntities(href);
      const label = decodeEntities(inner.replace(/<[^>]+>/g, '')).trim();
      return !/^https?:\/\//i.test(address) || label === address || label === address.replace(/^https?:\/\//i, '') ? inner : `${inner} (${href})`;
    })
    .replace(/<li\b[^>]*>/g, '\n• ')
    .replace(/<\/t[dh]>\s*<t[dh]\b[^>]*>/g, ' · ')
    .replace(/<\/(?:p|li|h[1-6]|tr|blockquote|pre|ul|ol)>|<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '' && line !== '•')
    .join('\n');
}

function currentOf(cv: Cv): { current?: { title: string; organisation: string } } {
  const position = cv.positions.find((entry) => entry.end === undefined);
  return position === undefined ? {} : { current: { title: position.title, organisation: position.organisation } };
}

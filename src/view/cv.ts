import type { Cv } from '../cv/schema.ts';
import type { YearMonth } from '../cv/updated.ts';
import { formatMonthYear, formatYearMonthText } from '../text/dates.ts';

/** The CV as the bio page and the PDF show it: dates already written out. */
export interface CvView {
  /** e.g. "Apr 2016"; absent when no date could be found. */
  updated?: string;
  interests: string[];
  // Optional fields may hold undefined: they come straight from the validated data file.
  positions: Array<{ title: string; organisation: string; place?: string | undefined; period: string }>;
  education: Array<{ degree: string; institution: string; place?: string | undefined; date: string; thesis?: string | undefined; advisor?: string | undefined }>;
  awards: Array<{ title: string; date?: string; detail?: string | undefined }>;
  memberships: Array<{ name: string; since?: string }>;
}

export function toCvView(cv: Cv, lastChanged: YearMonth | undefined): CvView {
  const updated = cv.updated === undefined
    ? lastChanged === undefined ? undefined : formatMonthYear(lastChanged.year, lastChanged.month, 'short')
    : formatYearMonthText(cv.updated, 'short');
  return {
    ...(updated === undefined ? {} : { updated }),
    interests: cv.interests,
    positions: cv.positions.map(({ start, end, ...rest }) => ({
      ...rest,
      period: `${formatYearMonthText(start, 'short')} – ${end === undefined ? 'present' : formatYearMonthText(end, 'short')}`,
    })),
    education: cv.education.map(({ date, ...rest }) => ({ ...rest, date: formatYearMonthText(date, 'short') })),
    awards: cv.awards.map(({ date, ...rest }) => ({ ...rest, ...(date === undefined ? {} : { date: formatYearMonthText(date, 'short') }) })),
    memberships: cv.memberships.map(({ since, ...rest }) => ({ ...rest, ...(since === undefined ? {} : { since: formatYearMonthText(since, 'short') }) })),
  };
}

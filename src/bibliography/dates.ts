export interface EntryDate {
  year?: number;
  month?: number;
  day?: number;
  forthcoming: boolean;
  /** The year the work first appeared, for a reprint or a translation: biblatex's origdate, or "[1867] 1990". */
  originalYear?: number;
}

const MONTH_NAMES: ReadonlyArray<readonly string[]> = [
  ['jan', 'january', 'janvier', 'januar'],
  ['feb', 'february', 'février', 'februar'],
  ['mar', 'march', 'mars', 'märz'],
  ['apr', 'april', 'avril'],
  ['may', 'mai'],
  ['jun', 'june', 'juin', 'juni'],
  ['jul', 'july', 'juillet', 'juli'],
  ['aug', 'august', 'août'],
  ['sep', 'sept', 'september', 'septembre'],
  ['oct', 'october', 'octobre', 'oktober'],
  ['nov', 'november', 'novembre'],
  ['dec', 'december', 'décembre', 'dezember'],
];

const FORTHCOMING = /^(in press|to appear|forthcoming|accepted|in print|under review|submitted)$/i;

/** Reads a month written as a number, a macro, or a name in any common spelling ("Sep.", "sept", "June"). */
export function parseMonth(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const cleaned = value.trim().toLowerCase().replace(/\.$/, '');
  if (/^\d{1,2}$/.test(cleaned)) {
    const month = Number(cleaned);
    return month >= 1 && month <= 12 ? month : undefined;
  }
  // "Sep.--Oct." or "June 3-5": the first month counts.
  const first = cleaned.split(/[\s/–-]+/)[0]?.replace(/\.$/, '') ?? '';
  const index = MONTH_NAMES.findIndex((names) => names.includes(first));
  return index === -1 ? undefined : index + 1;
}

/**
 * Reads `year`, `month` and biblatex's `date` (which wins when present).
 * "in press" and "to appear" are forthcoming; anything without a year is undated.
 */
export function parseEntryDate(fields: { year?: string | undefined; month?: string | undefined; day?: string | undefined; date?: string | undefined; pubstate?: string | undefined; origdate?: string | undefined }): EntryDate {
  const result = editionDate(fields);
  const original = /^\s*(\d{4})/.exec(fields.origdate ?? '')?.[1] ?? (fields.date === undefined ? /^\s*\[(\d{4})\]\s+\d{4}\b/.exec(fields.year ?? '')?.[1] : undefined);
  if (original !== undefined && result.year !== undefined && Number(original) !== result.year) result.originalYear = Number(original);
  return result;
}

/** The date of the edition the entry is of. */
function editionDate(fields: { year?: string | undefined; month?: string | undefined; day?: string | undefined; date?: string | undefined; pubstate?: string | undefined }): EntryDate {
  const date = fields.date?.trim();
  const isoDate = date === undefined ? null : /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(date);
  if (isoDate !== null) {
    const result: EntryDate = { year: Number(isoDate[1]), forthcoming: false };
    // Only a real month and day: EDTF's seasons ("2020-21") and ADS's "1993-00-00" name neither.
    const month = Number(isoDate[2]);
    const day = Number(isoDate[3]);
    if (month >= 1 && month <= 12) {
      result.month = month;
      if (day >= 1 && day <= 31) result.day = day;
    }
    return result;
  }
  const year = fields.year?.trim() ?? '';
  if (FORTHCOMING.test(year) || (date !== undefined && FORTHCOMING.test(date))) return { forthcoming: true };
  // A reprint's year after the original's in brackets ("[1867] 1990") is the edition's.
  const found = /^\[\d{4}\]\s+(\d{4})\b/.exec(year) ?? /\b(\d{4})\b/.exec(year);
  // biblatex's publication state, for an entry not dated yet.
  if (found === null) return { forthcoming: /^(?:inpress|forthcoming)$/i.test(fields.pubstate?.trim() ?? '') };
  const result: EntryDate = { year: Number(found[1]), forthcoming: false };
  const month = parseMonth(fields.month);
  if (month !== undefined) result.month = month;
  // biblatex's day field (and JabRef's): a day of that month.
  const day = dayOf(fields.day, result.year, month);
  if (day !== undefined) result.day = day;
  return result;
}

/** A day written alone ("17", "07"), when it is one of the month's days; none without a month. */
function dayOf(written: string | undefined, year: number | undefined, month: number | undefined): number | undefined {
  if (written === undefined || year === undefined || month === undefined || !/^\s*\d{1,2}\s*$/.test(written)) return undefined;
  const day = Number(written);
  // Day 0 of the next month is the last of this one.
  return day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate() ? day : undefined;
}

/**
 * What of an entry's date could not be read, for a warning: a year that is no year ("2020a"), a
 * month that is no month ("Spring", 13). The entry is listed by what could be read.
 */
export function unreadDate(fields: { year?: string | undefined; month?: string | undefined; day?: string | undefined; date?: string | undefined }, read: EntryDate): string | undefined {
  const date = fields.date?.trim();
  if (date !== undefined && read.year !== undefined) {
    const month = /^\d{4}-(\d{2})/.exec(date)?.[1];
    // EDTF's seasons and quarters (21 to 41) are meant, and ADS's "00" says there is none.
    const meant = month === undefined || month === '00' || (Number(month) >= 21 && Number(month) <= 41);
    return !meant && read.month === undefined ? `date = {${date}}: ${month} is not a month, so the date shows the year alone` : undefined;
  }
  const year = fields.year?.trim();
  if (read.year === undefined && !read.forthcoming) {
    return year === undefined || year === '' ? 'no year: listed under "n.d."' : `year = {${year}} is not a year: listed under "n.d."; write the year alone, e.g. 2020`;
  }
  const month = fields.month?.trim();
  if (read.year !== undefined && month !== undefined && month !== '' && read.month === undefined) return `month = {${month}} is not a month, so the date shows the year alone`;
  const day = fields.day?.trim();
  if (read.month !== undefined && day !== undefined && day !== '' && read.day === undefined) return `day = {${day}} is not a day of that month, so the date is read without it`;
  return undefined;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "December 2013" (long) or "Dec 2013" (short); just the year when there is no month. */
export function formatMonthYear(year: number, month: number | undefined, style: 'long' | 'short' = 'long'): string {
  const name = month === undefined ? undefined : MONTHS[month - 1];
  if (name === undefined) return String(year);
  return `${style === 'short' ? name.slice(0, 3) : name} ${year}`;
}

/** Formats "2015-02" or "2015" from a data file. */
export function formatYearMonthText(value: string, style: 'long' | 'short' = 'long'): string {
  const [year, month] = value.split('-').map(Number);
  return formatMonthYear(year ?? 0, month, style);
}

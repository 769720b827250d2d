import { z } from 'zod';

/** A year written without quotes, which YAML reads as a number, is the year as written. */
const yearAsText = (value: unknown): unknown => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? String(value) : value);

/** "2015" or "2015-02": CVs rarely need days. */
const yearMonth = z.preprocess(yearAsText, z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'must be a year or a year and month, e.g. 2015 or 2015-02'));

/** A position's end: as a start, and "present" (or the like) is told how a current position is written. */
const endYearMonth = z.preprocess(
  yearAsText,
  z.string().superRefine((value, context) => {
    if (/^\d{4}(-(0[1-9]|1[0-2]))?$/.test(value)) return;
    const current = /^(?:present|now|current|currently|today|ongoing|to date|–|-)$/i.test(value.trim());
    context.addIssue({ code: 'custom', message: current ? 'a current position has no end: leave out `end`' : 'must be a year or a year and month, e.g. 2015 or 2015-02' });
  }),
);

const text = z.string().min(1);

/** Whether "2014" or "2014-03" comes before the start; a year alone is any month of it. Dates that are neither are reported as such, not compared. */
function endsBeforeStart(start: string, end: string): boolean {
  if (![start, end].every((date) => /^\d{4}(-\d{2})?$/.test(date))) return false;
  const [startYear = '', startMonth] = start.split('-');
  const [endYear = '', endMonth] = end.split('-');
  return endYear < startYear || (endYear === startYear && startMonth !== undefined && endMonth !== undefined && endMonth < startMonth);
}

export const cvSchema = z.strictObject({
  /** Overrides the "updated" date of the CV, which otherwise comes from git history. */
  updated: yearMonth.optional(),
  interests: z.array(text).default([]),
  positions: z
    .array(
      z.strictObject({
        title: text,
        organisation: text,
        place: text.optional(),
        start: yearMonth,
        /** Leave out for a current position. */
        end: endYearMonth.optional(),
      }).refine((position) => position.end === undefined || !endsBeforeStart(position.start, position.end), {
        path: ['end'],
        message: 'ends before the position starts: check the two dates',
      }),
    )
    .default([]),
  education: z
    .array(
      z.strictObject({
        degree: text,
        institution: text,
        place: text.optional(),
        date: yearMonth,
        thesis: text.optional(),
        advisor: text.optional(),
      }),
    )
    .default([]),
  awards: z.array(z.strictObject({ title: text, date: yearMonth.optional(), detail: text.optional(), awarder: text.optional() })).default([]),
  memberships: z.array(z.strictObject({ name: text, since: yearMonth.optional() })).default([]),
  /** Reviewing, program committees, organising: one line each. */
  service: z.array(z.strictObject({ role: text, organisation: text.optional(), date: z.preprocess(yearAsText, text).optional() })).default([]),
  teaching: z.array(z.strictObject({ course: text, institution: text.optional(), date: z.preprocess(yearAsText, text).optional(), role: text.optional() })).default([]),
  languages: z.array(z.strictObject({ language: text, fluency: text.optional() })).default([]),
  /** Anything else, in Markdown, shown after the other sections. */
  sections: z.array(z.strictObject({ title: text, markdown: text })).default([]),
});

export type Cv = z.output<typeof cvSchema>;

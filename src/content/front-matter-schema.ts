import { z } from 'zod';

const isoDate = z.union([
  z.date(),
  z.string().refine((value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (match === null) return false;
    const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    return date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
  }, 'must be a real date written YYYY-MM-DD'),
]);

/**
 * Where a page is written, inside the site: Eleventy joins a permalink to the output folder as it
 * is, so "../publications.bib" would overwrite the owner's bibliography. A path of the site's own
 * (/talks/ or talks/index.html), without ".." or backslashes, and written out: a template in it
 * could make any path.
 */
const insideSite = (value: string): boolean => !value.split(/[\\/]/).includes('..') && !value.includes('\\') && !/^[a-z][a-z\d+.-]*:|^\/\//i.test(value) && !/\{[{%]/.test(value);
const permalink = z
  .string()
  .min(1)
  .refine(insideSite, {
    message: 'must be a path inside the site, such as /talks/ (no "..", no backslashes, no address of another site, no template code)',
  })
  // "talks" or "/talks" would be written as a file named "talks", which servers do not give as a page.
  .refine((value) => !insideSite(value) || value.endsWith('/') || /\.[A-Za-z\d]+$/.test(value.split('/').pop() ?? ''), {
    message: 'must end with "/" for a page at that address, such as /talks/ (or name a file with its extension, such as /talks.html)',
  });

/** What a content page's front matter may hold; anything else is a typo until proven otherwise. */
export const frontMatterSchema = z.strictObject({
  title: z.string().min(1),
  description: z.string().min(1).optional(),
  layout: z.string().min(1).optional(),
  permalink: z.union([permalink, z.literal(false)]).optional(),
  date: isoDate.optional(),
  tags: z.union([z.string(), z.array(z.string())]).optional(),
  eleventyExcludeFromCollections: z.boolean().optional(),
  /** research page: projects listing their publications by keyword. */
  projects: z.array(z.strictObject({ name: z.string().min(1), keyword: z.string().min(1) })).optional(),
  /** contact page: the caption under the photo. */
  portrait_caption: z.string().optional(),
});

export type FrontMatter = z.output<typeof frontMatterSchema>;

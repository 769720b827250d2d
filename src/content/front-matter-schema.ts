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

/** What a content page's front matter may hold; anything else is a typo until proven otherwise. */
export const frontMatterSchema = z.strictObject({
  title: z.string().min(1),
  description: z.string().min(1).optional(),
  layout: z.string().min(1).optional(),
  permalink: z.union([z.string().min(1), z.literal(false)]).optional(),
  date: isoDate.optional(),
  tags: z.union([z.string(), z.array(z.string())]).optional(),
  eleventyExcludeFromCollections: z.boolean().optional(),
  /** research page: projects listing their publications by keyword. */
  projects: z.array(z.strictObject({ name: z.string().min(1), keyword: z.string().min(1) })).optional(),
  /** contact page: the caption under the photo. */
  portrait_caption: z.string().optional(),
});

export type FrontMatter = z.output<typeof frontMatterSchema>;

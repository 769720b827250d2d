/**
 * The keys a page's front matter may give (front-matter-schema.ts checks them; a test keeps the
 * two lists the same). Apart from the schema, which loads the schema library, for what reads a
 * page's values at every build.
 */
export const FRONT_MATTER_KEYS = ['title', 'description', 'layout', 'permalink', 'date', 'tags', 'eleventyExcludeFromCollections', 'projects', 'portrait_caption'] as const;

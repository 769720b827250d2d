import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { hashOf, type DiskCache } from '../cache.ts';
import type { FrontMatter } from '../content/front-matter-schema.ts';
import type { Cv } from '../cv/schema.ts';
import { SiteDataError } from '../errors.ts';
import type { Site } from '../site/schema.ts';
import { decodeContentFile } from './utf8.ts';

/** What each kind of YAML text becomes once checked. */
export interface CheckedYaml {
  site: Site;
  cv: Cv;
  'front-matter': FrontMatter;
}

/**
 * The schemas, loaded only when a text has to be checked: the YAML parser and zod take about
 * 0.1 s to load, a sixth of a warm build of the example site, and a text checked once is
 * not checked again (its result is cached under a hash of the text and the code).
 */
const SCHEMAS = {
  site: async () => (await import('../site/schema.ts')).siteSchema,
  cv: async () => (await import('../cv/schema.ts')).cvSchema,
  'front-matter': async () => (await import('../content/front-matter-schema.ts')).frontMatterSchema,
} as const;

/**
 * Parses YAML text and checks it against the named schema (see yaml-schema.ts for what the
 * owner is told when it does not pass). `lineOffset` counts the lines of the file before the
 * YAML text, e.g. 1 for front matter after its `---` line.
 */
export async function checkYaml<Kind extends keyof CheckedYaml>(
  text: string,
  file: string,
  kind: Kind,
  options: { cache?: DiskCache; lineOffset?: number } = {},
): Promise<CheckedYaml[Kind]> {
  const { cache, lineOffset = 0 } = options;
  const key = hashOf(kind, String(lineOffset), text);
  // One cache file per file checked (the latest text), not one per text: every save while serving would add one.
  const slot = `${kind} ${file}`;
  const cached = await cache?.get<CheckedYaml[Kind]>('checked-yaml', key, slot);
  if (cached !== undefined) return cached;
  const [{ parseYamlWithSchema }, schema] = await Promise.all([import('./yaml-schema.ts'), SCHEMAS[kind]()]);
  const value = parseYamlWithSchema(text, file, schema, lineOffset) as CheckedYaml[Kind];
  // Only what survives JSON unchanged is kept (a value with a Date in it is checked every time).
  if (cache !== undefined && isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) await cache.set('checked-yaml', key, value, slot);
  return value;
}

/**
 * Reads a YAML data file of the project and checks it against the named schema.
 * `purpose` tells the owner what the file is for when it is missing.
 */
export async function loadYamlData<Kind extends keyof CheckedYaml>(
  projectRoot: string,
  file: string,
  kind: Kind,
  purpose: string,
  cache?: DiskCache,
): Promise<CheckedYaml[Kind]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(projectRoot, file));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new SiteDataError([{ file, message: `cannot read ${purpose}: ${reason}` }]);
  }
  return checkYaml(decodeContentFile(bytes, file), file, kind, cache === undefined ? {} : { cache });
}

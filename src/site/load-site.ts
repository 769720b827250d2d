import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseYamlWithSchema } from '../data/yaml-schema.ts';
import { SiteDataError } from '../errors.ts';
import { siteSchema, type Site } from './schema.ts';

/** Reads and validates the site identity file (`content/_data/site.yaml`). */
export async function loadSite(projectRoot: string, file: string): Promise<Site> {
  let text: string;
  try {
    text = await readFile(path.join(projectRoot, file), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new SiteDataError([{ file, message: `cannot read the site data: ${reason}; it holds your name, e-mail and navigation` }]);
  }
  return parseYamlWithSchema(text, file, siteSchema);
}

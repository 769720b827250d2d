import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseYamlWithSchema } from '../data/yaml-schema.ts';
import { siteSchema, type Site } from './schema.ts';

/** Reads and validates the site identity file (`content/_data/site.yaml`). */
export async function loadSite(projectRoot: string, file: string): Promise<Site> {
  const text = await readFile(path.join(projectRoot, file), 'utf8');
  return parseYamlWithSchema(text, file, siteSchema);
}

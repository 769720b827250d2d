import type { DiskCache } from '../cache.ts';
import { loadYamlData } from '../data/checked-yaml.ts';
import type { Site } from './schema.ts';

/** Reads and validates the site identity file (`content/_data/site.yaml`). */
export function loadSite(projectRoot: string, file: string, cache?: DiskCache): Promise<Site> {
  return loadYamlData(projectRoot, file, 'site', 'the site data (your name, e-mail and navigation)', cache);
}

import { loadYamlData } from '../data/yaml-schema.ts';
import { siteSchema, type Site } from './schema.ts';

/** Reads and validates the site identity file (`content/_data/site.yaml`). */
export function loadSite(projectRoot: string, file: string): Promise<Site> {
  return loadYamlData(projectRoot, file, siteSchema, 'the site data (your name, e-mail and navigation)');
}

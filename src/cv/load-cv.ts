import type { DiskCache } from '../cache.ts';
import { loadYamlData } from '../data/checked-yaml.ts';
import type { Cv } from './schema.ts';

/** Reads and validates the CV data file (`content/_data/cv.yaml`). */
export function loadCv(projectRoot: string, file: string, cache?: DiskCache): Promise<Cv> {
  return loadYamlData(projectRoot, file, 'cv', 'the CV data (your positions and education)', cache);
}

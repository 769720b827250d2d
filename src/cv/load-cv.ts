import { loadYamlData } from '../data/yaml-schema.ts';
import { cvSchema, type Cv } from './schema.ts';

/** Reads and validates the CV data file (`content/_data/cv.yaml`). */
export function loadCv(projectRoot: string, file: string): Promise<Cv> {
  return loadYamlData(projectRoot, file, cvSchema, 'the CV data (your positions and education)');
}

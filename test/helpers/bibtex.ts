import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readBibtex, type ReadResult } from '../../src/bibliography/read-bibtex.ts';
import type { Publication } from '../../src/bibliography/types.ts';
import { repoRoot } from './project.ts';

/** The BibTeX files the tests read, each with the quirks its name says. */
export const bibtexFixtures = path.join(repoRoot, 'test', 'fixtures', 'bibtex');

/** A fixture of test/fixtures/bibtex/ read as a build reads publications.bib, named as it is. */
export async function readBibtexFixture(name: string, assets?: { contentDir: string; folders: string[] }): Promise<ReadResult> {
  return await readBibtex(await readFile(path.join(bibtexFixtures, name), 'utf8'), { file: name, ...(assets === undefined ? {} : { assets }) });
}

/** The entry of a key, which the test needs to have been read. */
export function entryOf(result: ReadResult, key: string): Publication {
  const found = result.publications.find((publication) => publication.key === key);
  assert.ok(found, `entry ${key} was read`);
  return found;
}

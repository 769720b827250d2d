import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A small persistent cache in .cache/ for work that depends only on its
 * input text: parsed bibliographies and formatted citations. Entries are
 * keyed by a hash of the input, the kind of work and the code version, and
 * every file carries a checksum of its own content, so a stale or corrupted
 * file is detected and rebuilt, never trusted.
 */
const CODE_VERSION = codeVersion();

/** Any change to the engine's code or its locked dependencies invalidates everything cached. */
function codeVersion(): string {
  // The compiled engine (src/cli/run.mjs) points back at the TypeScript it was made from.
  const src = process.env['ACADEMIC_HOMEPAGE_ENGINE_SOURCE'] ?? path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256').update(process.version);
  for (const file of readdirSync(src, { recursive: true }).map(String).filter((name) => name.endsWith('.ts')).sort()) {
    hash.update(file).update(readFileSync(path.join(src, file)));
  }
  try {
    hash.update(readFileSync(path.join(src, '..', 'package-lock.json')));
  } catch {
    // no lock file next to the engine: the sources alone decide
  }
  return hash.digest('hex').slice(0, 16);
}

export function hashOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('hex');
}

/** A hash of a file's bytes, for cache keys and change checks. */
export function hashOfFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

interface Envelope<T> {
  format: 1;
  version: string;
  key: string;
  checksum: string;
  value: T;
}

export class DiskCache {
  readonly #folder: string;
  readonly #enabled: boolean;

  /** ACADEMIC_HOMEPAGE_CACHE=off turns the cache off (e.g. to measure cold builds). */
  constructor(projectRoot: string, enabled = process.env['ACADEMIC_HOMEPAGE_CACHE'] !== 'off') {
    this.#folder = path.join(projectRoot, '.cache', 'academic-homepage');
    this.#enabled = enabled;
  }

  async get<T>(kind: string, key: string): Promise<T | undefined> {
    if (!this.#enabled) return undefined;
    try {
      // Synchronous: a build reads up to one file per entry, and small reads through the
      // thread pool spend most of their time waiting for their turn.
      const text = readFileSync(this.#file(kind, key), 'utf8');
      const envelope = JSON.parse(text) as Envelope<T>;
      if (envelope.format !== 1 || envelope.version !== CODE_VERSION || envelope.key !== key) return undefined;
      if (envelope.checksum !== hashOf(JSON.stringify(envelope.value))) return undefined;
      return envelope.value;
    } catch {
      return undefined; // missing, unreadable or corrupted: rebuild
    }
  }

  async set<T>(kind: string, key: string, value: T): Promise<void> {
    // A build that was abandoned (its project removed) must not bring the folder back.
    if (!this.#enabled || !existsSync(path.dirname(path.dirname(this.#folder)))) return;
    const file = this.#file(kind, key);
    // Synchronous, like get(): a cold build writes one small file per entry.
    mkdirSync(path.dirname(file), { recursive: true });
    const envelope: Envelope<T> = { format: 1, version: CODE_VERSION, key, checksum: hashOf(JSON.stringify(value)), value };
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(envelope));
    renameSync(temporary, file); // never a half-written cache file
  }

  #file(kind: string, key: string): string {
    return path.join(this.#folder, kind, `${key.slice(0, 2)}`, `${key}.json`);
  }
}

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomically } from './atomic-write.ts';
import { ENGINE_FOLDER, sourceVersions } from './source-versions.mjs';

/**
 * A small persistent cache in .cache/ for work that depends only on its input
 * text: parsed bibliographies, formatted citations, checked YAML, the CV PDF,
 * rendered fragments. Entries are keyed by a hash of the input, the kind of
 * work and the code version, and every file carries a checksum of its own
 * content, so a stale or corrupted file is detected and rebuilt, never trusted.
 */
const CODE_VERSION = codeVersion();

/** The engine's TypeScript sources (src/): the compiled engine (src/cli/run.mjs) points back at those it was made from. */
export function engineSources(): string {
  return process.env['ACADEMIC_HOMEPAGE_ENGINE_SOURCE'] ?? path.dirname(fileURLToPath(import.meta.url));
}

/**
 * Any change to the engine's code or its locked dependencies invalidates everything cached. Run
 * compiled, the engine is told its version by src/cli/run.mjs, which read the same files (and
 * believes it only then: a value left in the environment never stands for sources run by tsx).
 */
function codeVersion(): string {
  const given = process.env['ACADEMIC_HOMEPAGE_CODE_VERSION'];
  const compiled = fileURLToPath(import.meta.url).includes(`${ENGINE_FOLDER}${path.sep}`);
  if (compiled && given !== undefined && process.env['ACADEMIC_HOMEPAGE_ENGINE_SOURCE'] !== undefined) return given;
  return sourceVersions(path.dirname(engineSources())).code;
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

/** A hash of every file in a folder (the layouts, partials included), or of nothing if it is missing. */
export function hashOfFolder(folder: string): string {
  let names: string[];
  try {
    names = readdirSync(folder, { recursive: true }).map(String).sort();
  } catch {
    return hashOf('no folder', folder);
  }
  const parts: string[] = [];
  for (const name of names) {
    try {
      parts.push(name, readFileSync(path.join(folder, name), 'utf8'));
    } catch {
      // a folder
    }
  }
  return hashOf(...parts);
}

/**
 * A cache file: a header line of JSON, then the value's JSON. The checksum is of the value's text
 * as written (its UTF-8 bytes), so reading checks it without serialising the value again, and
 * neither writing nor reading encodes the value's text twice.
 */
interface Header {
  format: 2;
  version: string;
  key: string;
  checksum: string;
}

/** When the file was last modified (ms since the epoch); 0 if it is not there. */
export function lastModified(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** A file's header, if it is of this format and code version, and for this key (any key if none is given). */
function currentHeader(headerLine: string, key: string | undefined): Header | undefined {
  const header = JSON.parse(headerLine) as Header;
  return header.format === 2 && header.version === CODE_VERSION && (key === undefined || header.key === key) ? header : undefined;
}

/** A header is well within this many bytes (its key and checksum are 64 hex digits each). */
const HEADER_BYTES = 512;

/** Cache files waiting to be written, by path (see deferCacheWrites and DiskCache.setSoon): their text, or how to make it. */
const pending = new Map<string, Buffer | (() => Buffer)>();
let deferring = false;
let flushesOnExit = false;

/**
 * While serving, cache files are written after the rebuilt pages are shown, not before: nothing
 * in the same process needs them from disk (reads see the waiting ones), and the next process
 * only needs them eventually. flushCacheWrites() writes them.
 */
export function deferCacheWrites(defer: boolean): void {
  if (defer && !flushesOnExit) {
    process.once('exit', flushCacheWrites);
    flushesOnExit = true;
  }
  deferring = defer;
  if (!defer) flushCacheWrites();
}

export function flushCacheWrites(): void {
  for (const [file, text] of pending) {
    pending.delete(file);
    writeWaiting(file, text);
  }
}

/** The bytes of a cache file waiting to be written. */
function bytesOf(waiting: Buffer | (() => Buffer)): Buffer {
  return typeof waiting === 'function' ? waiting() : waiting;
}

/**
 * Writes a cache file that waited, unless its project was removed meanwhile. One that cannot be
 * written (a full disk) is a warning: a later build makes it again, and this one goes on.
 */
function writeWaiting(file: string, text: Buffer | (() => Buffer)): void {
  // The file is <root>/.cache/academic-homepage/<kind>/<xx>/<hash>.json.
  if (!existsSync(path.resolve(file, '../../../../..'))) return;
  try {
    writeFileAtomically(file, bytesOf(text));
  } catch (error) {
    console.warn(`Warning: could not write the cache file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** What earlier versions kept and this one never reads: `citation/` held one file per entry (now one per style, in `citations/`). */
const RETIRED_KINDS = ['citation'];

/**
 * Removes what earlier versions of the engine cached and this one never reads: it would otherwise
 * stay in .cache/ for good, and in the deploy workflow's cache (20 MB for 5,000 entries in APA).
 */
export function removeRetiredCaches(projectRoot: string): void {
  for (const kind of RETIRED_KINDS) rmSync(path.join(projectRoot, '.cache', 'academic-homepage', kind), { recursive: true, force: true });
}

export class DiskCache {
  readonly #folder: string;
  readonly #enabled: boolean;

  /** ACADEMIC_HOMEPAGE_CACHE=off turns the cache off (e.g. to measure cold builds). */
  constructor(projectRoot: string, enabled = process.env['ACADEMIC_HOMEPAGE_CACHE'] !== 'off') {
    this.#folder = path.join(projectRoot, '.cache', 'academic-homepage');
    this.#enabled = enabled;
  }

  /**
   * The value kept under this key, if it is there and intact. With a `slot`, the kind keeps one
   * value per slot (the latest), not one per key: for large values whose key changes with every
   * edit, such as a whole bibliography or the CV PDF, which would otherwise pile up.
   */
  async get<T>(kind: string, key: string, slot?: string): Promise<T | undefined> {
    return this.getNow<T>(kind, key, slot);
  }

  /** get(), for a caller that cannot wait (a library's synchronous hook). */
  getNow<T>(kind: string, key: string, slot?: string): T | undefined {
    if (!this.#enabled) return undefined;
    try {
      // Synchronous: a build reads up to one file per entry, and small reads through the
      // thread pool spend most of their time waiting for their turn.
      const file = this.#file(kind, slot ?? key);
      const waiting = pending.get(file);
      const bytes = waiting === undefined ? readFileSync(file) : bytesOf(waiting);
      const split = bytes.indexOf(NEWLINE);
      const header = currentHeader(bytes.toString('utf8', 0, split), key);
      if (header === undefined || header.checksum !== hashOfBytes(bytes.subarray(split + 1))) return undefined;
      return JSON.parse(bytes.toString('utf8', split + 1)) as T;
    } catch {
      return undefined; // missing, unreadable or corrupted: rebuild
    }
  }

  /**
   * When the value under this key (any key, in a slot) was kept, in ms since the epoch, if a file
   * of this version holds it; reads only the file's header, not the value, which is not checked.
   */
  keptAt(kind: string, key: string | undefined, slot?: string): number | undefined {
    if (!this.#enabled) return undefined;
    const name = slot ?? key;
    if (name === undefined) return undefined;
    const file = this.#file(kind, name);
    if (pending.has(file)) return Date.now();
    let descriptor: number | undefined;
    try {
      descriptor = openSync(file, 'r');
      const head = Buffer.alloc(HEADER_BYTES);
      const read = readSync(descriptor, head, 0, HEADER_BYTES, 0);
      const text = head.toString('utf8', 0, read);
      if (currentHeader(text.slice(0, text.indexOf('\n')), key) === undefined) return undefined;
      return fstatSync(descriptor).mtimeMs;
    } catch {
      return undefined;
    } finally {
      if (descriptor !== undefined) closeSync(descriptor);
    }
  }

  async set<T>(kind: string, key: string, value: T, slot?: string): Promise<void> {
    // A build that was abandoned (its project removed) must not bring the folder back.
    if (!this.#enabled || !existsSync(path.dirname(path.dirname(this.#folder)))) return;
    const file = this.#file(kind, slot ?? key);
    const text = fileBytes(key, value);
    // Synchronous, like get(): a cold build writes one small file per entry.
    if (deferring) pending.set(file, text);
    else writeFileAtomically(file, text);
  }

  /**
   * set(), a moment later: once the work now under way has gone on (a promise's callbacks run
   * first, then what the event loop waits for). For a large value kept on the way to work that
   * waits for it: a long bibliography's parse (two files of 6 to 7 MB of JSON at 5,000 entries,
   * to make, hash and write) comes just before the CV PDF can start, which is the last part of
   * its build to finish. The value is written as it is then: give it one that nothing changes.
   * Reads see it meanwhile; a failure to write it is a warning (the next build makes it again).
   */
  setSoon<T>(kind: string, key: string, value: T, slot?: string): void {
    if (!this.#enabled) return;
    const file = this.#file(kind, slot ?? key);
    let made: Buffer | undefined;
    const text = (): Buffer => (made ??= fileBytes(key, value));
    pending.set(file, text);
    setImmediate(() => {
      // Replaced since, or left to flushCacheWrites while serving.
      if (pending.get(file) !== text || deferring) return;
      pending.delete(file);
      writeWaiting(file, text);
    });
  }

  #file(kind: string, name: string): string {
    const hashed = /^[0-9a-f]{16,}$/.test(name) ? name : hashOf(name);
    return path.join(this.#folder, kind, hashed.slice(0, 2), `${hashed}.json`);
  }
}

const NEWLINE = 0x0a;

/** A cache file's bytes: its header line, then the value's JSON (see Header). */
function fileBytes(key: string, value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value));
  const header: Header = { format: 2, version: CODE_VERSION, key, checksum: hashOfBytes(json) };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), json]);
}

/** hashOf() of a text, given its UTF-8 bytes. */
function hashOfBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).update('\u0000').digest('hex');
}

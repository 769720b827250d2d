import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file whole or not at all (a temporary file, then a rename): a reader never sees it half
 * written, and a file that was a hard link to another is replaced, never written through. Its
 * folder is made if missing, unless `createFolder` is false (then a missing folder is an ENOENT).
 */
export function writeFileAtomically(file: string, content: string | Uint8Array, options: { createFolder?: boolean } = {}): void {
  if (options.createFolder !== false) mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

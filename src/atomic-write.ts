import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file whole or not at all (a temporary file, then a rename): a reader never sees it half
 * written, and a file that was a hard link to another is replaced, never written through. Its
 * folder is made if missing, unless `createFolder` is false (then a missing folder is an ENOENT).
 * A write that fails (a full disk) takes its temporary file with it: nothing would remove it later.
 */
export function writeFileAtomically(file: string, content: string | Uint8Array, options: { createFolder?: boolean } = {}): void {
  if (options.createFolder !== false) mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // never made, or not ours to remove: the write's own error is the one to report
    }
    // A failed write(2) names no file (ENOSPC "no space left on device, write"): say which one it was.
    if (error instanceof Error && (error as NodeJS.ErrnoException).path === undefined) Object.assign(error, { path: file });
    throw error;
  }
}

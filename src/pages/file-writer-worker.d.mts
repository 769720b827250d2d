/** What a file's stat said right after it was written: the proof, later, that nobody touched it. */
export interface WrittenStat {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** Writes a file, creating its folder first unless it is among `folders` (which it then joins). */
export function writeFile(file: string, content: string, folders: Set<string>): WrittenStat;

// Writing a build's generated files (see file-writer.ts), and the thread that does it: each file
// after its folder, answered with the file's size, modification time and inode. Plain JavaScript:
// the thread needs nothing of the engine, so it starts in milliseconds.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

export function writeFile(file, content, folders) {
  const folder = path.dirname(file);
  if (!folders.has(folder)) {
    mkdirSync(folder, { recursive: true });
    folders.add(folder);
  }
  writeFileSync(file, content);
  const { size, mtimeMs, ino } = statSync(file);
  return { size, mtimeMs, ino };
}

// In the thread started for it (not in any other worker that imports this module): batches of
// [file, content] in order, each answered whole, or with the first error.
if (!isMainThread && parentPort !== null && workerData?.writesGeneratedFiles === true) {
  const folders = new Set();
  parentPort.on('message', ({ batch, files }) => {
    try {
      parentPort.postMessage({ batch, stats: files.map(([file, content]) => writeFile(file, content, folders)) });
    } catch (error) {
      parentPort.postMessage({ batch, error: error instanceof Error ? error.message : String(error) });
    }
  });
}

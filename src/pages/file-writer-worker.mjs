// The thread that writes the generated files of a build (see file-writer.ts): it takes batches of
// [path, content] in order, writes each file, creating its folder, and answers with each file's
// size, modification time and inode, or with the first error. Plain JavaScript: it needs nothing
// of the engine, so it starts in milliseconds.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';

const folders = new Set();

parentPort.on('message', ({ batch, files }) => {
  try {
    const stats = files.map(([file, content]) => {
      const folder = path.dirname(file);
      if (!folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      writeFileSync(file, content);
      const { size, mtimeMs, ino } = statSync(file);
      return { size, mtimeMs, ino };
    });
    parentPort.postMessage({ batch, stats });
  } catch (error) {
    parentPort.postMessage({ batch, error: error instanceof Error ? error.message : String(error) });
  }
});

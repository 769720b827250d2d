import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiskCache } from '../src/cache.ts';
import { FileWriter, type WrittenStat } from '../src/pages/file-writer.ts';
import { writeGeneratedFiles, type GeneratedFile } from '../src/pages/generated-files.ts';
import { mayUseWorkers, stopWorkers, workersStarted } from '../src/parallel.ts';
import { noWorkersLeft, until } from './helpers/workers.ts';

// The generated files of a build (a page and a BibTeX file per publication) are written by a
// thread of their own when there are many, so that waiting on the disk does not hold up rendering.

describe('writing the generated files (src/pages/file-writer.ts)', () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'file-writer-'));
  });
  after(async () => rm(folder, { recursive: true, force: true }));

  /** Writes `count` files under `name`/, each in a folder of its own, and returns what each callback was given. */
  const writeMany = async (writer: FileWriter, name: string, count: number): Promise<Map<string, WrittenStat>> => {
    const stats = new Map<string, WrittenStat>();
    for (let index = 0; index < count; index++) {
      const file = path.join(folder, name, `entry${index}`, 'index.html');
      writer.write(file, `<p>entry ${index}: ${'é'.repeat(index)}</p>`, (stat) => stats.set(file, stat));
    }
    await writer.finish();
    return stats;
  };

  it('writes many files in a thread of its own, each with its folder, and gives each its stat as written', async () => {
    const startedBefore = workersStarted();
    const writer = new FileWriter(true);
    const stats = await writeMany(writer, 'many', 300);
    assert.equal(writer.usedThread, true);
    assert.equal(workersStarted(), startedBefore + 1);
    assert.equal(stats.size, 300);
    for (const [file, stat] of stats) {
      const now = statSync(file);
      assert.deepEqual(stat, { size: now.size, mtimeMs: now.mtimeMs, ino: now.ino }, file);
    }
    assert.equal(await readFile(path.join(folder, 'many', 'entry299', 'index.html'), 'utf8'), `<p>entry 299: ${'é'.repeat(299)}</p>`);
    await noWorkersLeft();
  });

  it('writes a few files, or any number when threads are off, in this thread', async () => {
    const startedBefore = workersStarted();
    const few = new FileWriter(true);
    assert.equal((await writeMany(few, 'few', 20)).size, 20);
    const unthreaded = new FileWriter(false);
    assert.equal((await writeMany(unthreaded, 'unthreaded', 300)).size, 300);
    assert.equal(few.usedThread, false);
    assert.equal(unthreaded.usedThread, false);
    assert.equal(workersStarted(), startedBefore);
    assert.equal(await readFile(path.join(folder, 'unthreaded', 'entry7', 'index.html'), 'utf8'), `<p>entry 7: ${'é'.repeat(7)}</p>`);
  });

  it('fails with the file system\'s message, which names the file, and stops its thread', async () => {
    // A file where a folder should be: the 100th file cannot be written.
    writeFileSync(path.join(folder, 'blocked'), 'a file, not a folder');
    const writer = new FileWriter(true);
    for (let index = 0; index < 200; index++) {
      const file = index === 99 ? path.join(folder, 'blocked', 'entry99', 'index.html') : path.join(folder, 'broken', `entry${index}`, 'index.html');
      writer.write(file, 'text', () => undefined);
    }
    await assert.rejects(writer.finish(), (error: Error) => error.message.includes(path.join(folder, 'blocked')) && /ENOTDIR|EEXIST/.test(error.message));
    assert.equal(writer.usedThread, true);
    await noWorkersLeft();
  });

  it('holds rendering back while many batches wait to be written, so that pages do not pile up in memory', async () => {
    const most = async (name: string, waits: boolean): Promise<number> => {
      const writer = new FileWriter(true);
      let inFlight = 0;
      for (let index = 0; index < 64 * 50; index++) {
        writer.write(path.join(folder, name, `entry${index}`, 'index.html'), 'text', () => undefined);
        if (waits) await writer.room();
        inFlight = Math.max(inFlight, writer.inFlight);
      }
      await writer.finish();
      return inFlight;
    };
    assert.ok((await most('unheld', false)) > 33, 'without room(), every batch is sent before the first is written');
    assert.ok((await most('held', true)) <= 33);
    await noWorkersLeft();
  });

  it('after a file that could not be written, the next write fails at once, so that rendering stops', async () => {
    writeFileSync(path.join(folder, 'in-the-way'), 'a file, not a folder');
    const writer = new FileWriter(true);
    for (let index = 0; index < 64; index++) writer.write(path.join(folder, index === 10 ? 'in-the-way' : 'early', `entry${index}`, 'index.html'), 'text', () => undefined);
    let refused: unknown;
    let late = 0;
    await until(() => {
      try {
        writer.write(path.join(folder, 'late', `entry${late++}`, 'index.html'), 'text', () => undefined);
        return false;
      } catch (error) {
        refused = error;
        return true;
      }
    }, () => 'writes are still taken', 10_000);
    assert.ok(refused instanceof Error && refused.message.includes(path.join(folder, 'in-the-way')), String(refused));
    await assert.rejects(writer.finish(), (error: Error) => error === refused);
    await noWorkersLeft();
  });

  it('a thread stopped between batches (a build stopping its workers) fails what comes after it, never waits forever', { timeout: 30_000 }, async () => {
    const writer = new FileWriter(true);
    const written: string[] = [];
    for (let index = 0; index < 64; index++) writer.write(path.join(folder, 'stopped', `entry${index}`, 'index.html'), 'text', () => written.push(`entry${index}`));
    await until(() => written.length === 64, () => `${written.length} of 64 files written`, 10_000);
    assert.equal(written.length, 64);
    await stopWorkers();
    await assert.rejects(async () => {
      for (let index = 64; index < 128; index++) writer.write(path.join(folder, 'stopped', `entry${index}`, 'index.html'), 'text', () => written.push(`entry${index}`));
      await writer.finish();
    }, /stopped/);
    await noWorkersLeft();
  });

  it('close() stops the thread of a build that failed meanwhile, with nothing left running', async () => {
    const writer = new FileWriter(true);
    for (let index = 0; index < 100; index++) writer.write(path.join(folder, 'abandoned', `entry${index}`, 'index.html'), 'text', () => undefined);
    assert.equal(writer.usedThread, true);
    await writer.close();
    await noWorkersLeft();
  });
});

describe('a build\'s generated files (src/pages/generated-files.ts)', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'generated-files-'));
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('links every unchanged file from the published site, and renders those it cannot link', async () => {
    const file = (index: number): string => `publications/entry${index}/index.html`;
    const rendered: string[] = [];
    const files: GeneratedFile[] = Array.from({ length: 120 }, (_, index) => ({
      path: file(index),
      key: `key ${index}`,
      render: () => {
        rendered.push(file(index));
        return `<p>entry ${index}</p>`;
      },
    }));
    const cache = new DiskCache(root);
    const site = path.join(root, '_site');
    const startedBefore = workersStarted();
    await writeGeneratedFiles(files, { output: site, published: site, cache });
    assert.equal(rendered.length, 120);
    rendered.length = 0;
    // A file already where the 6th would be linked: the link fails, as on a file system without hard links.
    const staging = path.join(root, 'staging');
    await mkdir(path.join(staging, 'publications', 'entry5'), { recursive: true });
    writeFileSync(path.join(staging, file(5)), 'in the way');
    await writeGeneratedFiles(files, { output: staging, published: site, cache });
    // In place (npm start), here; into a staging folder, the 115 rendered ones through the writing thread.
    assert.equal(workersStarted() - startedBefore, mayUseWorkers() ? 1 : 0);
    // From the first link that fails, the rest are rendered.
    assert.deepEqual(rendered, files.slice(5).map((generated) => generated.path));
    for (let index = 0; index < files.length; index++) {
      assert.equal(await readFile(path.join(staging, file(index)), 'utf8'), `<p>entry ${index}</p>`);
      assert.equal(statSync(path.join(staging, file(index))).ino === statSync(path.join(site, file(index))).ino, index < 5, file(index));
    }
    await noWorkersLeft();
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SiteInputError } from '../src/errors.ts';
import { prepareWorker, runInWorkers, splitEvenly, takeWaiting, workersFor } from '../src/parallel.ts';
import { noWorkersLeft } from './helpers/workers.ts';

const PREPARED = new URL('./fixtures/workers/prepared.ts', import.meta.url);

describe('worker threads', () => {
  it('an error thrown in a worker reaches the build as the owner-facing error it was, with its problems', async () => {
    const failure = await runInWorkers(new URL('./fixtures/workers/fails.ts', import.meta.url), [{ file: 'content/fonts/Broken.ttf' }]).then(
      () => assert.fail('the worker should have failed'),
      (error: unknown) => error,
    );
    assert.ok(failure instanceof SiteInputError);
    assert.deepEqual(failure.problems, [{ file: 'content/fonts/Broken.ttf', line: 3, message: 'cannot be read' }]);
    assert.equal(failure.message, 'content/fonts/Broken.ttf:3: cannot be read');
  });

  it('stop at once when their work is no longer wanted (a newer edit), with the reason given', async () => {
    const controller = new AbortController();
    // Each would wait a minute: the test would time out if stopping did not stop them.
    const running = runInWorkers(new URL('./fixtures/workers/waits.ts', import.meta.url), [{ seconds: 60 }, { seconds: 60 }], controller.signal);
    setTimeout(() => controller.abort(new Error('a newer edit')), 200);
    await assert.rejects(running, /a newer edit/);
    await assert.rejects(runInWorkers(new URL('./fixtures/workers/waits.ts', import.meta.url), [{ seconds: 60 }], controller.signal), /a newer edit/, 'an aborted signal starts no worker');
  });

  it('a prepared worker prepares before its input is known, then answers it', async () => {
    const worker = prepareWorker<string, { prepared?: string; input: string }>(PREPARED, { label: 'the APA style' });
    assert.equal(worker.waiting(), true);
    assert.deepEqual(await worker.run('three entries'), { prepared: 'the APA style', input: 'three entries' });
    assert.equal(worker.waiting(), false);
    await assert.rejects(worker.run('again'), /was given a second input/);
    await noWorkersLeft();
  });

  it('a failed preparation is the answer; a prepared worker that is not needed is stopped, and offered only once', async () => {
    const failing = prepareWorker<string, unknown>(PREPARED, { label: 'a broken style', fail: true });
    await assert.rejects(failing.run('entries'), /could not prepare a broken style/);
    const unused = prepareWorker<string, unknown>(PREPARED, { label: 'unused' });
    unused.stop();
    assert.equal(unused.waiting(), false);
    await noWorkersLeft();
    const kept = new Map([['apa', unused], ['other', prepareWorker<string, unknown>(PREPARED, { label: 'other' })]]);
    assert.equal(takeWaiting(kept, 'apa'), undefined, 'a stopped worker is not offered');
    const other = takeWaiting(kept, 'other');
    assert.ok(other !== undefined);
    assert.equal(takeWaiting(kept, 'other'), undefined, 'a worker is offered once');
    const controller = new AbortController();
    const answer = other.run('entries', controller.signal);
    controller.abort(new Error('a newer edit'));
    await assert.rejects(answer, /a newer edit/);
    await noWorkersLeft();
  });

  it('an idle prepared worker does not keep the process from ending', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'prepared-'));
    try {
      const script = path.join(folder, 'idle.mjs');
      await writeFile(script, `import { prepareWorker } from ${JSON.stringify(new URL('../src/parallel.ts', import.meta.url).href)};
        const worker = prepareWorker(new URL(${JSON.stringify(PREPARED.href)}), { label: 'never used' });
        setTimeout(() => console.log(worker.waiting() ? 'idle' : 'gone'), 1000);\n`);
      // Were the worker keeping the process alive, the process would be killed after a minute, and fail the test.
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 60_000 });
      assert.equal(stdout.trim(), 'idle', 'the worker was alive and waiting when the process ended');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('are used only when each has enough work, up to ACADEMIC_HOMEPAGE_WORKERS', () => {
    const previous = process.env['ACADEMIC_HOMEPAGE_WORKERS'];
    try {
      process.env['ACADEMIC_HOMEPAGE_WORKERS'] = '4';
      assert.equal(workersFor(1999, 1000), 0, 'one worker is no better than the main thread');
      assert.equal(workersFor(2000, 1000), 2);
      assert.equal(workersFor(100000, 1000), 4);
      process.env['ACADEMIC_HOMEPAGE_WORKERS'] = '1';
      assert.equal(workersFor(100000, 1000), 0);
    } finally {
      if (previous === undefined) delete process.env['ACADEMIC_HOMEPAGE_WORKERS'];
      else process.env['ACADEMIC_HOMEPAGE_WORKERS'] = previous;
    }
    assert.deepEqual(splitEvenly([1, 2, 3, 4, 5], 2), [[1, 2, 3], [4, 5]]);
    assert.deepEqual(splitEvenly([1], 3), [[1]]);
  });
});

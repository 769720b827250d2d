import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SiteInputError } from '../src/errors.ts';
import { runInWorkers, splitEvenly, workersFor } from '../src/parallel.ts';

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

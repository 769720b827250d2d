import assert from 'node:assert/strict';
import { workersInProgress } from '../../src/parallel.ts';

/** Checks `done` every 10 ms until it holds; fails, saying what did not happen, after `limit` ms. */
export async function until(done: () => boolean, notYet: () => string, limit = 30_000): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > limit) assert.fail(notYet());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until every worker thread has exited (a stopped worker exits a moment later); fails if one is still running after half a minute. */
export async function noWorkersLeft(): Promise<void> {
  await until(() => workersInProgress() === 0, () => `${workersInProgress()} worker thread(s) still running`);
}

import assert from 'node:assert/strict';
import { workersInProgress } from '../../src/parallel.ts';

/** Waits until every worker thread has exited (a stopped worker exits a moment later); fails if one is still running after half a minute. */
export async function noWorkersLeft(): Promise<void> {
  for (let waited = 0; workersInProgress() > 0; waited += 10) {
    if (waited > 30_000) assert.fail(`${workersInProgress()} worker thread(s) still running`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

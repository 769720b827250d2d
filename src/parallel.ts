import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SiteInputError, type Problem } from './errors.ts';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** The worker threads running in this process. */
const running = new Set<Worker>();

/** How many worker threads this process has started. */
let started = 0;

export function workersStarted(): number {
  return started;
}

/** How many worker threads are running. */
export function workersInProgress(): number {
  return running.size;
}

/** Stops every worker thread still running, and waits until they are gone: a build that failed has no use for their work. */
export async function stopWorkers(): Promise<void> {
  await Promise.all([...running].map(async (worker) => {
    await worker.terminate();
    running.delete(worker);
  }));
}

/**
 * How many workers a job of this many items is worth: one per core, but none (0) when there
 * is too little work to pay for starting a worker (about 0.2 s each, loading tsx and libraries).
 * ACADEMIC_HOMEPAGE_WORKERS sets the ceiling (1 turns parallel work off).
 */
export function workersFor(items: number, minimumPerWorker: number): number {
  const count = Math.min(workerCeiling(), Math.floor(items / minimumPerWorker));
  return count >= 2 ? count : 0;
}

/** Whether work may move to a worker thread beside the main one (not with ACADEMIC_HOMEPAGE_WORKERS=1, or on one core). */
export function mayUseWorkers(): boolean {
  return workerCeiling() >= 2;
}

function workerCeiling(): number {
  const ceiling = Number(process.env['ACADEMIC_HOMEPAGE_WORKERS'] ?? availableParallelism());
  return Number.isFinite(ceiling) && ceiling >= 1 ? Math.floor(ceiling) : 1;
}

/** Splits items into `count` contiguous runs of nearly equal length, keeping their order. */
export function splitEvenly<T>(items: readonly T[], count: number): T[][] {
  const size = Math.ceil(items.length / count);
  return Array.from({ length: count }, (_, index) => items.slice(index * size, (index + 1) * size)).filter((part) => part.length > 0);
}

/**
 * Runs the `run` export of a module (TypeScript or JavaScript) in one worker thread per input, all
 * at once, and returns their results in the order of the inputs. Inputs and results are copied
 * between threads, so they must be plain data. Aborting the signal stops the workers at once (a
 * newer edit makes their work useless) and rejects with the signal's reason.
 */
export function runInWorkers<Input, Output>(module: URL, inputs: readonly Input[], signal?: AbortSignal): Promise<Output[]> {
  return Promise.all(
    inputs.map((input) => {
      if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
      const worker = startWorker(module, { input });
      return untilAborted(worker, answerOf<Output>(worker, module), signal);
    }),
  );
}

/** A worker thread that was started before its input was known (see prepareWorker). */
export interface PreparedWorker<Input, Output> {
  /** Hands the worker its one input; resolves with what its module's `run` returns. Aborting the signal stops the worker. */
  run(input: Input, signal?: AbortSignal): Promise<Output>;
  /** Stops the worker, unless it was already given its input. */
  stop(): void;
  /** Whether the worker still waits for its input (it was neither given one, nor stopped, nor failed). */
  waiting(): boolean;
}

/**
 * Starts a worker thread ahead of its work: it loads the module and calls its `prepare` export with
 * `preparation` (e.g. to load a library and compile a style), then waits for one input for `run`.
 * The preparation overlaps whatever the main thread does until the input is known. An idle
 * prepared worker does not keep the process alive, and stopWorkers() stops it like any other.
 * An error in `prepare` is the answer to `run`.
 */
export function prepareWorker<Input, Output>(module: URL, preparation: unknown): PreparedWorker<Input, Output> {
  const worker = startWorker(module, { prepare: preparation });
  // Listened for from the start: a worker whose module fails to load answers (with the error) at once.
  const answer = answerOf<Output>(worker, module);
  answer.catch(() => undefined);
  // After the listeners: listening for messages refs the worker again.
  worker.unref();
  let given = false;
  let exited = false;
  worker.once('exit', () => (exited = true));
  return {
    run(input: Input, signal?: AbortSignal): Promise<Output> {
      if (given) return Promise.reject(new Error(`a prepared worker running ${module.pathname} was given a second input`));
      given = true;
      if (signal?.aborted === true) {
        void worker.terminate();
        return Promise.reject(signal.reason as Error);
      }
      worker.ref();
      worker.postMessage({ input });
      return untilAborted(worker, answer, signal);
    },
    stop(): void {
      if (given) return;
      given = true;
      void worker.terminate();
    },
    waiting: () => !given && !exited,
  };
}

/** Takes the prepared worker kept under this key, if it still waits for its input; it is offered once. */
export function takeWaiting<Key, Input, Output>(workers: Map<Key, PreparedWorker<Input, Output>>, key: Key): PreparedWorker<Input, Output> | undefined {
  const worker = workers.get(key);
  workers.delete(key);
  return worker?.waiting() === true ? worker : undefined;
}

function startWorker(module: URL, data: { input: unknown } | { prepare: unknown }): Worker {
  return tracked(new Worker(ENTRY, { workerData: { module: module.href, ...data } }));
}

/** Counts a worker thread and keeps it among the running ones (which stopWorkers() stops) until it exits. */
export function tracked(worker: Worker): Worker {
  started++;
  running.add(worker);
  worker.once('exit', () => running.delete(worker));
  return worker;
}

/** The worker's answer, or the signal's reason as soon as it aborts, which stops the worker. */
function untilAborted<Output>(worker: Worker, answer: Promise<Output>, signal: AbortSignal | undefined): Promise<Output> {
  if (signal === undefined) return answer;
  return new Promise<Output>((resolve, reject) => {
    const stop = (): void => {
      reject(signal.reason as Error);
      void worker.terminate();
    };
    signal.addEventListener('abort', stop, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** The worker's one answer; the worker is stopped once it has answered. */
function answerOf<Output>(worker: Worker, module: URL): Promise<Output> {
  return new Promise<Output>((resolve, reject) => {
    let settled = false;
    worker.once('message', (answer: { value: Output } | { error: WorkerError }) => {
      settled = true;
      if ('error' in answer) reject(rebuildError(answer.error));
      else resolve(answer.value);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`a worker running ${module.pathname} stopped (exit code ${code}) without an answer`));
    });
  });
}

interface WorkerError {
  name?: string;
  message: string;
  problems?: Problem[];
  stack?: string;
}

/** The error a worker threw, as the main thread would have thrown it: with its problems when it had them. */
function rebuildError(sent: WorkerError): Error {
  const error = sent.problems !== undefined && sent.problems.length > 0 ? new SiteInputError(sent.problems) : new Error(sent.message);
  if (sent.name !== undefined) error.name = sent.name;
  if (sent.stack !== undefined) error.stack = sent.stack;
  return error;
}

import { Worker } from 'node:worker_threads';
import { tracked } from '../parallel.ts';
import { writeFile, type WrittenStat } from './file-writer-worker.mjs';

export type { WrittenStat };

/** Files sent to the writing thread at a time. */
const BATCH = 64;

/**
 * Batches sent and not yet written before room() waits: on a disk slower than the rendering, the
 * pages waiting to be written would otherwise pile up in memory (about 20 MB at this many).
 */
const MOST_IN_FLIGHT = 32;

const WORKER = new URL('./file-writer-worker.mjs', import.meta.url);

interface Waiting {
  written: Array<(stat: WrittenStat) => void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Writes new files into a folder nobody else writes to (a build's staging folder), in a thread of
 * its own once there is more than a batch of them. Creating thousands of files and folders waits
 * on the file system, seconds of it on a slow or busy disk, while rendering the next page needs
 * only the processor: with the writing elsewhere, the two overlap. A few files (a small site, an
 * edit) are written in this thread when finish() is called, as starting a thread would cost more.
 * Each file's stat is handed to its callback once it is written; finish() waits for them all, and
 * fails with the first error (the file system's own message, which names the file), which the
 * next write() throws too, as soon as it is known.
 */
export class FileWriter {
  readonly #threaded: boolean;
  #worker: Worker | undefined;
  #files: Array<[string, string]> = [];
  #written: Array<(stat: WrittenStat) => void> = [];
  readonly #waiting = new Map<number, Waiting>();
  readonly #answers: Array<Promise<void>> = [];
  #batches = 0;
  readonly #folders = new Set<string>();
  /** The first thing that went wrong: every later write and finish() fails with it. */
  #failure: Error | undefined;
  #closing = false;

  /** With `threaded` false, every file is written in this thread (ACADEMIC_HOMEPAGE_WORKERS=1). */
  constructor(threaded: boolean) {
    this.#threaded = threaded;
  }

  /** Whether the files went to a thread of their own (more than a batch of them, and threads allowed). */
  get usedThread(): boolean {
    return this.#batches > 0;
  }

  /** Queues a file; throws at once if an earlier one could not be written, so that the build stops rendering. */
  write(file: string, content: string, written: (stat: WrittenStat) => void): void {
    if (this.#failure !== undefined) throw this.#failure;
    this.#files.push([file, content]);
    this.#written.push(written);
    if (this.#files.length >= BATCH) this.#send(false);
  }

  /** Batches sent to the thread and not yet written. */
  get inFlight(): number {
    return this.#waiting.size;
  }

  /** Resolves at once, unless many batches wait to be written: then when the oldest is (fails if it failed). */
  async room(): Promise<void> {
    if (this.#waiting.size <= MOST_IN_FLIGHT) return;
    await this.#answers[Math.min(...this.#waiting.keys())];
  }

  /** Writes what is left and waits until every file is written; the thread, if any, is stopped. */
  async finish(): Promise<void> {
    try {
      if (this.#failure !== undefined) throw this.#failure;
      this.#send(true);
      await Promise.all(this.#answers);
    } finally {
      await this.close();
    }
  }

  /** Stops the thread, with whatever it has not written yet: for a build that failed meanwhile. */
  async close(): Promise<void> {
    this.#closing = true;
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  #send(last: boolean): void {
    if (this.#files.length === 0) return;
    const files = this.#files;
    const written = this.#written;
    this.#files = [];
    this.#written = [];
    if (this.#worker === undefined && (last || !this.#threaded)) {
      files.forEach(([file, content], index) => written[index]?.(writeFile(file, content, this.#folders)));
      return;
    }
    const worker = (this.#worker ??= this.#start());
    const batch = this.#batches++;
    const answer = new Promise<void>((resolve, reject) => this.#waiting.set(batch, { written, resolve, reject }));
    answer.catch(() => undefined); // finish() reports it
    this.#answers.push(answer);
    worker.postMessage({ batch, files });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }

  #start(): Worker {
    const worker = tracked(new Worker(WORKER, { workerData: { writesGeneratedFiles: true } }));
    worker.on('message', (answer: { batch: number; stats: WrittenStat[] } | { batch: number; error: string }) => {
      const waiting = this.#waiting.get(answer.batch);
      this.#waiting.delete(answer.batch);
      if (waiting === undefined) return;
      if ('error' in answer) {
        const error = new Error(answer.error);
        waiting.reject(error);
        this.#fail(error);
        return;
      }
      answer.stats.forEach((stat, index) => waiting.written[index]?.(stat));
      waiting.resolve();
    });
    worker.on('error', (error) => this.#fail(error));
    // Stopped by anything but close() (stopWorkers(), a crash): what is queued or still to come cannot be written.
    worker.on('exit', (code) => {
      if (!this.#closing) this.#fail(new Error(`the thread writing the generated files stopped (exit code ${code}) before it wrote them all`));
    });
    return worker;
  }
}

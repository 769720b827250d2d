// The entry point of the engine's worker threads (see parallel.ts). Plain JavaScript, because a
// worker does not inherit the TypeScript loader of the main thread: it registers tsx, then
// imports the TypeScript module it was given and sends back what its `run` returns.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const module = await import(workerData.module);
parentPort.postMessage(await module.run(workerData.input));
